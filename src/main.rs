//! The hopscope binary: parse arguments, dispatch, print one clear line on error.

use std::process::ExitCode;

use clap::Parser;
use hopscope::cli::{Cli, Command, run_analyze, run_report, run_tui_files, use_color};

/// The UI draws on the terminal even when stdout checks differ; only the flag and NO_COLOR matter.
fn tui_color(cli: &Cli) -> bool {
    !cli.no_color && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = use_color(cli.no_color);
    let result = match &cli.command {
        Some(Command::Analyze {
            input,
            json,
            analysis,
        }) => run_analyze(input, *json, analysis, color),
        Some(Command::Report {
            input,
            format,
            output,
            unencrypted_only,
            analysis,
        }) => run_report(input, *format, output, *unencrypted_only, analysis),
        Some(Command::Open { paths, analysis }) => {
            run_tui_files(paths.clone(), false, analysis, tui_color(&cli))
        }
        None => run_tui_files(Vec::new(), true, &Default::default(), tui_color(&cli)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hopscope: {e:#}");
            ExitCode::FAILURE
        }
    }
}
