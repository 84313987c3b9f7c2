//! What flows into the app (`AppEvent`) and what the app asks the runtime to do (`Effect`).
//! Owned data only: workers send results, they never share state with the UI.

use std::path::PathBuf;

use crossterm::event::{KeyEvent, MouseEvent};

use super::{jobs::Job, row::Decision};
use crate::analysis::MessageReport;

#[derive(Debug)]
pub enum AppEvent {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize,
    Load(LoadEvent),
    /// Result of an `Effect::WriteFile`: the path written, or what went wrong.
    Written {
        result: Result<(PathBuf, usize), String>,
    },
    /// An export found its path taken and wrote nothing: ask before replacing the file.
    ExportExists {
        path: PathBuf,
        format: crate::report::ReportFormat,
    },
    Tick,
}

/// Progress of a load or sync. Every event carries the request id it answers, so results of a
/// superseded request (the user switched mailbox or pressed `r`) are dropped.
#[derive(Debug)]
pub enum LoadEvent {
    Progress {
        request_id: u64,
        done: usize,
        total: Option<usize>,
    },
    Batch {
        request_id: u64,
        reports: Vec<MessageReport>,
    },
    Finished {
        request_id: u64,
    },
    /// Rows re-decided once the whole mailbox was seen (index into the app's rows).
    Refined {
        request_id: u64,
        updates: Vec<(usize, Decision)>,
    },
    Failed {
        request_id: u64,
        message: String,
    },
    /// Something worth a line that is no failure (files skipped as not mail).
    Notice {
        request_id: u64,
        message: String,
    },
    Mailboxes {
        names: Vec<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Start loading (files) or syncing (account). `mailbox` is for live accounts.
    Load {
        request_id: u64,
        mailbox: Option<String>,
    },
    /// Stop the running load; its late events will be ignored anyway.
    Cancel,
    /// Work for a worker thread; its result comes back as an `AppEvent`.
    Job(Job),
    Quit,
}
