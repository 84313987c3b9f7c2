//! Session reports: a summary over many `MessageReport`s plus one row per message, rendered as
//! JSON, CSV, Markdown or HTML. Pure: reports in, `String` out. The CLI `report` command and the
//! terminal UI's export both call `render`.

mod csv;
mod html;
mod markdown;
pub mod summary;
pub mod table;

use crate::analysis::MessageReport;
pub use summary::Summary;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Json,
    Csv,
    Md,
    Html,
}

impl ReportFormat {
    pub const ALL: [ReportFormat; 4] = [
        ReportFormat::Md,
        ReportFormat::Html,
        ReportFormat::Csv,
        ReportFormat::Json,
    ];

    pub fn extension(self) -> &'static str {
        match self {
            ReportFormat::Json => "json",
            ReportFormat::Csv => "csv",
            ReportFormat::Md => "md",
            ReportFormat::Html => "html",
        }
    }
}

/// Context printed at the top of a report: what was analysed and with which filter.
#[derive(Debug, Clone, Default)]
pub struct ReportContext {
    pub source: String,
    pub filter: Option<String>,
}

pub fn render(format: ReportFormat, reports: &[MessageReport], ctx: &ReportContext) -> String {
    let summary = Summary::from_reports(reports);
    match format {
        ReportFormat::Json => json_report(&summary, reports, ctx),
        ReportFormat::Csv => csv::render(reports),
        ReportFormat::Md => markdown::render(&summary, reports, ctx),
        ReportFormat::Html => html::render(&summary, reports, ctx),
    }
}

/// One JSON object per line, one line per message: the documented `--json` contract.
pub fn json_lines(reports: &[MessageReport]) -> String {
    let mut out = Vec::new();
    // Writing plain owned data into a Vec cannot fail.
    let _ = write_json_lines(&mut out, reports);
    String::from_utf8(out).unwrap_or_default()
}

/// `json_lines`, streamed: 50,000 messages make ~180 MB of JSON, which need not exist at once.
pub fn write_json_lines(
    out: &mut impl std::io::Write,
    reports: &[MessageReport],
) -> std::io::Result<()> {
    for r in reports {
        serde_json::to_writer(&mut *out, r)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

fn json_report(summary: &Summary, reports: &[MessageReport], ctx: &ReportContext) -> String {
    let value = serde_json::json!({
        "source": ctx.source,
        "filter": ctx.filter,
        "summary": summary,
        "messages": reports,
    });
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
    s.push('\n');
    s
}

/// Short one-line description of a message's hops for tables, oldest first:
/// `3 hops, 1 crossing: internal > plaintext > internal`.
pub fn hop_digest(r: &MessageReport) -> String {
    use crate::analysis::Status;
    if r.hops.is_empty() {
        return "no hops".into();
    }
    let statuses: Vec<&str> = r.hops.iter().map(|h| h.status.as_str()).collect();
    let crossing = r
        .hops
        .iter()
        .filter(|h| h.status != Status::Internal)
        .count();
    format!(
        "{} {}, {crossing} crossing: {}",
        r.hops.len(),
        if r.hops.len() == 1 { "hop" } else { "hops" },
        statuses.join(" > ")
    )
}

#[cfg(test)]
mod tests {
    use crate::analysis::{AnalysisOptions, analyze_mailbox};

    fn digests(messages: &[&str]) -> Vec<String> {
        let inputs = messages.iter().map(|m| ("t", m.as_bytes()));
        analyze_mailbox(inputs, &AnalysisOptions::default())
            .iter()
            .map(super::hop_digest)
            .collect()
    }

    #[test]
    fn hop_digests_count_in_words_a_reader_expects() {
        let one = "Received: from a.example.org (a.example.org [192.0.2.1])\n\tby b.example.org (Postfix) with ESMTP id 1;\n\tMon, 2 Nov 2026 10:00:00 +0000\nSubject: x\n\n";
        let two = format!(
            "Received: from mail.example.net (mail.example.net [198.51.100.7])\n\tby c.example.com (Postfix) with ESMTP id 2;\n\tMon, 2 Nov 2026 10:00:01 +0000\n{one}"
        );
        assert_eq!(
            digests(&[one, &two, "Subject: draft\n\n"]),
            [
                "1 hop, 0 crossing: internal",
                "2 hops, 1 crossing: internal > plaintext",
                "no hops",
            ]
        );
    }
}
