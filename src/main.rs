//! The hopscope binary: parse arguments, run, print one clear line on error.

use std::process::ExitCode;

use clap::Parser;

// mimalloc instead of glibc malloc: analysis makes many small, short-lived allocations, and
// glibc spent a quarter of a large mailbox's analysis time in malloc, free and page faults
// (measured with `cargo bench --bench analyze`, which uses the same allocator).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match hopscope::cli::run(hopscope::cli::Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hopscope: {}", hopscope::cli::error_line(&e));
            ExitCode::FAILURE
        }
    }
}
