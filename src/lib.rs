//! hopscope: did this email travel encrypted, hop by hop?
//!
//! Architecture (dependencies point one way):
//! - `analysis`: the pure core. Header bytes in, `MessageReport` out. Knows nothing of IMAP,
//!   files or terminals.
//! - `sources`: readers that turn files, mbox, Maildir and stdin into raw header blocks.
//! - `report`: renders reports (JSON Lines, CSV, Markdown, HTML, the readable hop table).
//! - `text`: sanitising mail text before it reaches a terminal.
//! - `cli`: argument parsing and the headless commands; `main.rs` is a thin wrapper.

pub mod analysis;
pub mod cache;
pub mod cli;
pub mod config;
pub mod imap;
pub mod report;
pub mod secrets;
pub mod sources;
pub mod text;
pub mod ui;
pub mod wrap;
