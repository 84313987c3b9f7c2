//! Where messages come from for `analyze` and `report`: files, the demo, or a synced account.

use std::{io::Write, path::PathBuf};

use anyhow::{Context as _, Result, bail};

use super::{AnalysisArgs, InputArgs, account};
use crate::{
    analysis::{AnalysisOptions, MessageReport, analyze_mailbox},
    report::{self, ReportContext, ReportFormat},
    sources::{self, RawMessage},
};

/// Options every command shares.
pub struct Context {
    pub config_path: Option<PathBuf>,
    pub no_cache: bool,
}

/// Reads the input and returns a label for it, the messages, and analysis options (the
/// account's `own-domains` when `--own-domain` was not given).
pub fn load_input(
    ctx: &Context,
    input: &InputArgs,
    analysis: &AnalysisArgs,
) -> Result<(String, Vec<RawMessage>, AnalysisOptions)> {
    let mut options = analysis.options();
    let given = usize::from(input.demo)
        + usize::from(input.account.is_some())
        + usize::from(!input.paths.is_empty());
    if given > 1 {
        bail!("give one input: paths, --demo or --account");
    }
    if !input.mailbox.is_empty() && input.account.is_none() {
        bail!("--mailbox needs --account");
    }
    if input.demo {
        return Ok((sources::DEMO_LABEL.to_string(), sources::demo(), options));
    }
    if let Some(name) = &input.account {
        let (label, messages, own) = account::collect_messages(ctx, name, &input.mailbox)?;
        if options.own_domains.is_empty() {
            options.own_domains = own;
        }
        return Ok((label, messages, options));
    }
    if input.paths.is_empty() {
        bail!(
            "nothing to read: give one or more paths (or - for standard input), --demo, or --account"
        );
    }
    let label = input
        .paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    Ok((label, sources::read_paths(&input.paths)?, options))
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
    ctx: &Context,
    input: &InputArgs,
    json: bool,
    analysis: &AnalysisArgs,
    color: bool,
) -> Result<()> {
    let (_, messages, options) = load_input(ctx, input, analysis)?;
    let reports = analyze_raw(&messages, &options);
    let text = if json {
        report::json_lines(&reports)
    } else {
        report::table::render(&reports, color)
    };
    write_stdout(&text)
}

pub fn run_report(
    ctx: &Context,
    input: &InputArgs,
    format: ReportFormat,
    output: &PathBuf,
    unencrypted_only: bool,
    analysis: &AnalysisArgs,
) -> Result<()> {
    let (label, messages, options) = load_input(ctx, input, analysis)?;
    let mut reports = analyze_raw(&messages, &options);
    if unencrypted_only {
        reports.retain(|r| r.verdict.is_unencrypted());
    }
    let rctx = ReportContext {
        source: label,
        filter: unencrypted_only
            .then(|| "unencrypted only (plaintext, unrecorded, weak)".to_string()),
    };
    let text = report::render(format, &reports, &rctx);
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

pub fn write_stdout(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        // A closed pipe (`hopscope analyze | head`) is the reader's choice, not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to standard output"),
    }
}
