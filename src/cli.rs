//! Command-line interface: argument definitions and the headless commands.

use std::{
    io::{IsTerminal, Write},
    path::PathBuf,
};

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};

use crate::{
    analysis::{AnalysisOptions, MessageReport, analyze_mailbox},
    report::{self, ReportContext, ReportFormat},
    sources::{self, RawMessage},
};

/// Did this email travel encrypted, hop by hop?
///
/// hopscope reads the Received headers of every message in a mailbox and judges each hop:
/// encrypted, weak TLS, plaintext, internal (no TLS needed), or unrecorded (crossed
/// organisations and nothing tells). Run without arguments to browse the bundled demo mailbox.
#[derive(Debug, Parser)]
#[command(name = "hopscope", version, about, long_about, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Open the bundled demo mailbox in the terminal UI.
    #[arg(long, global = false)]
    pub demo: bool,

    /// Disable colours (also honoured: the NO_COLOR environment variable).
    #[arg(long, global = true)]
    pub no_color: bool,
}

const AFTER_HELP: &str = "Examples:
  hopscope                         browse the demo mailbox
  hopscope open ~/Mail/inbox       browse an mbox, Maildir or folder of .eml files
  hopscope analyze --json a.eml    one JSON line per message
  hopscope report --demo --format md -o report.md";

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Browse messages from files in the terminal UI (mbox, Maildir, folder of .eml, or -).
    Open {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        analysis: AnalysisArgs,
    },
    /// Print each message's hops and verdict (all inputs are analysed together).
    Analyze {
        #[command(flatten)]
        input: InputArgs,
        /// Write JSON Lines (one message per line, documented in README) instead of a table.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        analysis: AnalysisArgs,
    },
    /// Write a session report: summary plus one row per message.
    Report {
        #[command(flatten)]
        input: InputArgs,
        #[arg(long, short = 'f', value_enum, default_value = "md")]
        format: ReportFormat,
        /// Output file ("-" for standard output).
        #[arg(long, short = 'o', default_value = "-")]
        output: PathBuf,
        /// Only messages whose verdict is plaintext, unrecorded or weak.
        #[arg(long)]
        unencrypted_only: bool,
        #[command(flatten)]
        analysis: AnalysisArgs,
    },
}

#[derive(Debug, Args)]
pub struct InputArgs {
    /// Files or folders to read: .eml, header-only text, mbox, Maildir, folder of .eml, or - for stdin.
    pub paths: Vec<PathBuf>,
    /// Use the bundled demo mailbox.
    #[arg(long)]
    pub demo: bool,
}

#[derive(Debug, Args, Clone, Default)]
pub struct AnalysisArgs {
    /// Your own domain(s): hops below the first one received by them are shown as claims.
    /// Defaults to the organisation of the newest receiving host.
    #[arg(long = "own-domain", value_name = "DOMAIN")]
    pub own_domains: Vec<String>,
}

impl AnalysisArgs {
    pub fn options(&self) -> AnalysisOptions {
        AnalysisOptions {
            own_domains: self.own_domains.clone(),
        }
    }
}

/// Colour on stdout only for a terminal, and never when NO_COLOR is set (any non-empty value).
pub fn use_color(no_color_flag: bool) -> bool {
    let no_color_env = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    !no_color_flag && !no_color_env && std::io::stdout().is_terminal()
}

pub fn load_input(input: &InputArgs) -> Result<(String, Vec<RawMessage>)> {
    if input.demo {
        if !input.paths.is_empty() {
            bail!("give either --demo or paths, not both");
        }
        return Ok((sources::DEMO_LABEL.to_string(), sources::demo()));
    }
    if input.paths.is_empty() {
        bail!("nothing to read: give one or more paths (or - for standard input), or --demo");
    }
    let label = input
        .paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    Ok((label, sources::read_paths(&input.paths)?))
}

pub fn analyze_raw(messages: &[RawMessage], options: &AnalysisOptions) -> Vec<MessageReport> {
    analyze_mailbox(
        messages
            .iter()
            .map(|m| (m.source.as_str(), m.headers.as_slice())),
        options,
    )
}

pub fn run_analyze(
    input: &InputArgs,
    json: bool,
    analysis: &AnalysisArgs,
    color: bool,
) -> Result<()> {
    let (_, messages) = load_input(input)?;
    let reports = analyze_raw(&messages, &analysis.options());
    let text = if json {
        report::json_lines(&reports)
    } else {
        report::table::render(&reports, color)
    };
    write_stdout(&text)
}

pub fn run_report(
    input: &InputArgs,
    format: ReportFormat,
    output: &PathBuf,
    unencrypted_only: bool,
    analysis: &AnalysisArgs,
) -> Result<()> {
    let (label, messages) = load_input(input)?;
    let mut reports = analyze_raw(&messages, &analysis.options());
    if unencrypted_only {
        reports.retain(|r| r.verdict.is_unencrypted());
    }
    let ctx = ReportContext {
        source: label,
        filter: unencrypted_only
            .then(|| "unencrypted only (plaintext, unrecorded, weak)".to_string()),
    };
    let text = report::render(format, &reports, &ctx);
    if output.as_os_str() == "-" {
        return write_stdout(&text);
    }
    std::fs::write(output, text)
        .with_context(|| format!("cannot write the report to {}", output.display()))?;
    eprintln!(
        "hopscope: wrote {} messages to {}",
        reports.len(),
        output.display()
    );
    Ok(())
}

/// Opens the terminal UI on the demo mailbox or on files.
pub fn run_tui_files(
    paths: Vec<PathBuf>,
    demo: bool,
    analysis: &AnalysisArgs,
    color: bool,
) -> Result<()> {
    use std::io::IsTerminal as _;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        bail!(
            "the terminal UI needs a terminal; for scripts use `hopscope analyze --json` or `hopscope report`"
        );
    }
    let label = if demo {
        sources::DEMO_LABEL.to_string()
    } else {
        paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let source = crate::ui::loader::FileSource {
        paths,
        demo,
        options: analysis.options(),
    };
    crate::ui::run(
        std::sync::Arc::new(source),
        crate::ui::UiOptions {
            label,
            live: false,
            color,
            mailbox: None,
        },
    )
}

fn write_stdout(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        // A closed pipe (`hopscope analyze | head`) is the reader's choice, not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to standard output"),
    }
}
