//! The hopscope binary: parse arguments, dispatch, print one clear line on error.

use std::process::ExitCode;

use clap::Parser;
use hopscope::cli::{Cli, Command, run_analyze, run_report, use_color};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = use_color(cli.no_color);
    let result = match &cli.command {
        Some(Command::Analyze { input, json, analysis }) => run_analyze(input, *json, analysis, color),
        Some(Command::Report { input, format, output, unencrypted_only, analysis }) => {
            run_report(input, *format, output, *unencrypted_only, analysis)
        }
        Some(Command::Open { .. }) | None => Err(anyhow::anyhow!("the terminal UI is not built yet")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hopscope: {e:#}");
            ExitCode::FAILURE
        }
    }
}
