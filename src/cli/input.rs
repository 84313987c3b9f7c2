//! Where messages come from for `analyze` and `report`: files, the demo, or a synced account.

use std::{io::Write, path::PathBuf};

use anyhow::{Context as _, Result, bail};

use super::{AnalysisArgs, InputArgs, account};
use crate::{
    analysis::{
        AnalysisOptions, MessageReport, ReceiverStats, analyze_owned, decide_each,
        parse_owned_counted,
    },
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
    let label = sources::paths_label(&input.paths);
    let read = sources::read_paths(&input.paths)?;
    // One line on standard error, so JSON or a table on standard output stays clean.
    if let Some(note) = sources::reading_note(&label, &read.not_mail, read.messages.len()) {
        eprintln!("hopscope: {note}");
    }
    Ok((label, read.messages, options))
}

/// Analyses messages together (as `analysis::analyze_owned`), reading them on every core: each
/// message is parsed on its own, so the work splits cleanly; the mailbox-wide decisions then run
/// once over all of them. The messages are handed over: their header bytes become the reports'
/// text without a copy.
pub fn analyze_raw(messages: Vec<RawMessage>, options: &AnalysisOptions) -> Vec<MessageReport> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || messages.len() < 2_000 {
        return analyze_owned(messages.into_iter().map(|m| (m.source, m.headers)), options);
    }
    let chunk = messages.len().div_ceil(threads);
    let mut parts: Vec<Vec<RawMessage>> = Vec::with_capacity(threads);
    let mut rest = messages;
    while rest.len() > chunk {
        let tail = rest.split_off(chunk);
        parts.push(std::mem::replace(&mut rest, tail));
    }
    parts.push(rest);
    let mut stats = ReceiverStats::default();
    let mut reports: Vec<MessageReport> = std::thread::scope(|scope| {
        let workers: Vec<_> = parts
            .into_iter()
            .map(|part| {
                scope.spawn(move || {
                    parse_owned_counted(part.into_iter().map(|m| (m.source, m.headers)), options)
                })
            })
            .collect();
        let mut all = Vec::new();
        for worker in workers {
            // The analysis core does not panic; if it ever did, the panic goes on as it would on
            // one thread rather than silently dropping a part of the mailbox.
            let (reports, part_stats) = worker
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p));
            all.extend(reports);
            stats.merge(part_stats);
        }
        all
    });
    decide_each(&mut reports, &stats);
    reports
}

pub fn run_analyze(
    ctx: &Context,
    input: &InputArgs,
    json: bool,
    analysis: &AnalysisArgs,
    color: bool,
) -> Result<()> {
    let (_, messages, options) = load_input(ctx, input, analysis)?;
    let reports = analyze_raw(messages, &options);
    if json {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        let written = report::write_json_lines(&mut out, &reports).and_then(|()| out.flush());
        return match written {
            // A closed pipe (`hopscope analyze --json | head`) is the reader's choice.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            other => other.context("cannot write to standard output"),
        };
    }
    // On a terminal the table fits its width; into a pipe or a file it keeps one fixed layout.
    let width = std::io::IsTerminal::is_terminal(&std::io::stdout())
        .then(|| crossterm::terminal::size().ok())
        .flatten()
        .map(|(columns, _)| usize::from(columns));
    write_stdout(&report::table::render(&reports, color, width))
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
    let mut reports = analyze_raw(messages, &options);
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
    std::fs::write(output, text).map_err(|e| {
        anyhow::anyhow!(
            "cannot write the report to {}: {e} (check that the folder exists and is writable, \
             or write to standard output with -o -)",
            output.display()
        )
    })?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze_mailbox;

    #[test]
    fn reading_on_every_core_gives_the_single_thread_result() {
        // Enough messages to take the threaded path; the demo repeated under new names.
        let demo = crate::sources::demo();
        let messages: Vec<RawMessage> = (0..40)
            .flat_map(|round| {
                demo.iter().map(move |m| RawMessage {
                    source: format!("{}@{round}", m.source),
                    headers: m.headers.clone(),
                })
            })
            .collect();
        assert!(messages.len() >= 2_000);
        let options = AnalysisOptions::default();
        let single = analyze_mailbox(
            messages
                .iter()
                .map(|m| (m.source.as_str(), m.headers.as_slice())),
            &options,
        );
        assert_eq!(analyze_raw(messages, &options), single);
    }
}
