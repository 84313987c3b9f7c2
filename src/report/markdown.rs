//! Markdown report: summary tables, then one row per message.

use std::fmt::Write as _;

use super::{
    ReportContext, hop_digest,
    summary::{Summary, version_label},
};
use crate::{analysis::MessageReport, text::sanitize};

fn md(value: &str) -> String {
    let clean = sanitize(value);
    let mut out = String::with_capacity(clean.len());
    for c in clean.chars() {
        if matches!(
            c,
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

pub fn render(summary: &Summary, reports: &[MessageReport], ctx: &ReportContext) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# hopscope report\n");
    let _ = writeln!(o, "- Source: {}", md(&ctx.source));
    let _ = writeln!(
        o,
        "- Filter: {}",
        md(ctx.filter.as_deref().unwrap_or("none"))
    );
    let _ = writeln!(o, "- Messages: {}\n", summary.messages);
    counts(&mut o, summary);
    section_hops(
        &mut o,
        "Plaintext cross-organisation hops",
        &summary.plaintext_cross_org_hops,
    );
    section_hops(&mut o, "Weak TLS hops", &summary.weak_hops);
    let _ = writeln!(o, "\n## Receivers that never recorded TLS\n");
    if summary.receivers_never_recording_tls.is_empty() {
        let _ = writeln!(o, "None.");
    }
    for r in &summary.receivers_never_recording_tls {
        let _ = writeln!(o, "- {}", md(r));
    }
    messages(&mut o, reports);
    o
}

/// The counting tables: verdicts, sending domains, TLS versions, ciphers.
fn counts(o: &mut String, summary: &Summary) {
    let _ = writeln!(
        o,
        "## Verdicts\n\n| verdict | messages | share |\n|---|---:|---:|"
    );
    for (v, share) in summary.verdict_rows() {
        let _ = writeln!(o, "| {} | {} | {:.1}% |", md(v), share.count, share.percent);
    }
    let _ = writeln!(
        o,
        "\n## Sending domains\n\n| domain | verdicts |\n|---|---|"
    );
    for (domain, counts) in summary.domain_rows() {
        let list: Vec<String> = counts
            .iter()
            .map(|(v, n)| format!("{} {n}", md(v)))
            .collect();
        let _ = writeln!(o, "| {} | {} |", md(domain), list.join(", "));
    }
    let _ = writeln!(
        o,
        "\n## TLS versions seen\n\n| version | hops |\n|---|---:|"
    );
    for (v, n) in &summary.tls_versions {
        let _ = writeln!(o, "| {} | {n} |", md(version_label(v)));
    }
    let _ = writeln!(o, "\n## Ciphers seen\n\n| cipher | hops |\n|---|---:|");
    for (c, n) in &summary.ciphers {
        let _ = writeln!(o, "| {} | {n} |", md(c));
    }
}

fn messages(o: &mut String, reports: &[MessageReport]) {
    let _ = writeln!(
        o,
        "\n## Messages\n\n| date | from | subject | verdict | hops |\n|---|---|---|---|---|"
    );
    for r in reports {
        let _ = writeln!(
            o,
            "| {} | {} | {} | **{}** | {} |",
            md(r.date.as_deref().unwrap_or("?")),
            md(r.from.as_deref().unwrap_or("?")),
            md(r.subject.as_deref().unwrap_or("(no subject)")),
            r.verdict.as_str(),
            md(&hop_digest(r))
        );
    }
}

fn section_hops(o: &mut String, title: &str, hops: &[super::summary::HopRef]) {
    let _ = writeln!(o, "\n## {title}\n");
    if hops.is_empty() {
        let _ = writeln!(o, "None.");
        return;
    }
    let _ = writeln!(o, "| message | hop | path | detail |\n|---|---:|---|---|");
    for h in hops {
        let claimed = if h.claimed { " (claimed)" } else { "" };
        let _ = writeln!(
            o,
            "| {} | {} | {}{claimed} | {} |",
            md(h.subject.as_deref().unwrap_or(&h.source)),
            h.hop,
            md(&h.path),
            md(&h.detail)
        );
    }
}
