//! The hopscope binary: parse arguments, run, print one clear line on error.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    match hopscope::cli::run(hopscope::cli::Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hopscope: {e:#}");
            ExitCode::FAILURE
        }
    }
}
