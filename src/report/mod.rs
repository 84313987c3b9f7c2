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

/// Short one-line description of a message's hops for tables: `2/5 cross-org, TLSv1.2`.
pub fn hop_digest(r: &MessageReport) -> String {
    use crate::analysis::Status;
    let statuses: Vec<&str> = r.hops.iter().map(|h| h.status.as_str()).collect();
    let crossing = r
        .hops
        .iter()
        .filter(|h| h.status != Status::Internal)
        .count();
    format!(
        "{} hops, {crossing} crossing: {}",
        r.hops.len(),
        statuses.join(" > ")
    )
}
