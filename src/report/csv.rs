//! One row per message, RFC 4180 quoting. Cells that a spreadsheet would run as a formula
//! (`=`, `+`, `-`, `@` first) get a leading apostrophe: mail text is attacker-controlled.

use crate::{analysis::MessageReport, text::sanitize};

fn cell(value: &str) -> String {
    let clean = sanitize(value);
    let guarded = if clean.starts_with(['=', '+', '-', '@']) {
        format!("'{clean}")
    } else {
        clean.into_owned()
    };
    if guarded.contains([',', '"', '\n']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

pub fn render(reports: &[MessageReport]) -> String {
    let mut out = String::from(
        "source,date,from,subject,verdict,hops,crossing_hops,plaintext_hops,tls_versions,reasons\n",
    );
    for r in reports {
        let crossing = r
            .hops
            .iter()
            .filter(|h| h.status != crate::analysis::Status::Internal)
            .count();
        let plain = r
            .hops
            .iter()
            .filter(|h| h.status == crate::analysis::Status::Plaintext)
            .count();
        let mut versions: Vec<&str> = r
            .hops
            .iter()
            .filter_map(|h| h.tls.as_ref().and_then(|t| t.version.as_deref()))
            .collect();
        versions.dedup();
        let row = [
            cell(&r.source),
            cell(r.date.as_deref().unwrap_or("")),
            cell(r.from.as_deref().unwrap_or("")),
            cell(r.subject.as_deref().unwrap_or("")),
            r.verdict.as_str().to_string(),
            r.hops.len().to_string(),
            crossing.to_string(),
            plain.to_string(),
            cell(&versions.join(" ")),
            cell(&r.reasons.join(" | ")),
        ];
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}
