//! A single self-contained HTML page (no scripts, no external resources).

use std::fmt::Write as _;

use super::{
    ReportContext, hop_digest,
    summary::{HopRef, Summary, version_label},
};
use crate::{analysis::MessageReport, text::sanitize};

fn h(value: &str) -> String {
    let clean = sanitize(value);
    let mut out = String::with_capacity(clean.len());
    for c in clean.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}\
td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}.plaintext{color:#b00020;font-weight:bold}\
.unrecorded{color:#8a5a00}.weak{color:#a0522d}.encrypted{color:#1b7f3b}.internal{color:#555}.no_hops{color:#555}";

/// A titled table of hops, one row each: message, hop number, path, and `last` (what is wrong).
fn hop_table(o: &mut String, title: &str, last: &str, hops: &[HopRef]) {
    let _ = write!(
        o,
        "<h2>{title}</h2><table><tr><th>message</th><th>hop</th><th>path</th><th>{last}</th></tr>"
    );
    for hop in hops {
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            h(hop.subject.as_deref().unwrap_or(&hop.source)),
            hop.hop,
            h(&hop.path),
            h(&hop.detail)
        );
    }
    let _ = write!(o, "</table>");
}

pub fn render(summary: &Summary, reports: &[MessageReport], ctx: &ReportContext) -> String {
    let mut o = String::new();
    let _ = write!(
        o,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>hopscope report</title><style>{STYLE}</style></head><body>"
    );
    let _ = write!(
        o,
        "<h1>hopscope report</h1><p>Source: {}<br>Filter: {}<br>Messages: {}</p>",
        h(&ctx.source),
        h(ctx.filter.as_deref().unwrap_or("none")),
        summary.messages
    );
    counts(&mut o, summary);
    hop_table(
        &mut o,
        "Plaintext cross-organisation hops",
        "basis",
        &summary.plaintext_cross_org_hops,
    );
    hop_table(&mut o, "Weak TLS hops", "weakness", &summary.weak_hops);
    let _ = write!(o, "<h2>Receivers that never recorded TLS</h2><ul>");
    for r in &summary.receivers_never_recording_tls {
        let _ = write!(o, "<li>{}</li>", h(r));
    }
    o.push_str("</ul>");
    messages(&mut o, reports);
    o.push_str("</body></html>\n");
    o
}

/// The counting tables: verdicts, sending domains, TLS versions, ciphers.
fn counts(o: &mut String, summary: &Summary) {
    let _ = write!(
        o,
        "<h2>Verdicts</h2><table><tr><th>verdict</th><th>messages</th><th>share</th></tr>"
    );
    for (v, s) in summary.verdict_rows() {
        let _ = write!(
            o,
            "<tr><td class=\"{v}\">{v}</td><td>{}</td><td>{:.1}%</td></tr>",
            s.count, s.percent
        );
    }
    let _ = write!(
        o,
        "</table><h2>Sending domains</h2><table><tr><th>domain</th><th>verdicts</th></tr>"
    );
    for (domain, counts) in summary.domain_rows() {
        let list: Vec<String> = counts
            .iter()
            .map(|(v, n)| format!("<span class=\"{v}\">{v} {n}</span>"))
            .collect();
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td></tr>",
            h(domain),
            list.join(", ")
        );
    }
    let _ = write!(
        o,
        "</table><h2>TLS versions seen</h2><table><tr><th>version</th><th>hops</th></tr>"
    );
    for (v, n) in &summary.tls_versions {
        let _ = write!(o, "<tr><td>{}</td><td>{n}</td></tr>", h(version_label(v)));
    }
    let _ = write!(
        o,
        "</table><h2>Ciphers seen</h2><table><tr><th>cipher</th><th>hops</th></tr>"
    );
    for (c, n) in &summary.ciphers {
        let _ = write!(o, "<tr><td>{}</td><td>{n}</td></tr>", h(c));
    }
    let _ = write!(o, "</table>");
}

fn messages(o: &mut String, reports: &[MessageReport]) {
    let _ = write!(
        o,
        "<h2>Messages</h2><table><tr><th>date</th><th>from</th><th>subject</th><th>verdict</th><th>hops</th></tr>"
    );
    for r in reports {
        let v = r.verdict.as_str();
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"{v}\">{v}</td><td>{}</td></tr>",
            h(r.date.as_deref().unwrap_or("?")),
            h(r.from.as_deref().unwrap_or("?")),
            h(r.subject.as_deref().unwrap_or("(no subject)")),
            h(&hop_digest(r))
        );
    }
    o.push_str("</table>");
}
