//! The readable hop table `hopscope analyze` prints: one block per message, hops oldest first.
//! Colour is optional (the caller decides from the terminal and NO_COLOR).

use std::fmt::Write as _;

use crate::{
    analysis::{Hop, MessageReport, Status, Verdict, hop_label},
    text::sanitize,
};

fn paint(text: &str, code: &str, color: bool) -> String {
    if color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

pub fn verdict_color(v: Verdict) -> &'static str {
    match v {
        Verdict::Plaintext => "1;31",
        Verdict::Unrecorded => "33",
        Verdict::Weak => "35",
        Verdict::Encrypted => "32",
        Verdict::Internal | Verdict::NoHops => "2",
    }
}

fn status_color(s: Status) -> &'static str {
    match s {
        Status::Plaintext => "1;31",
        Status::Unrecorded => "33",
        Status::Weak => "35",
        Status::Encrypted => "32",
        Status::Internal => "2",
    }
}

fn tls_cell(hop: &Hop) -> String {
    match &hop.tls {
        Some(t) => {
            let v = t.version.as_deref().unwrap_or("TLS");
            match &t.cipher {
                Some(c) => format!("{v} {c}"),
                None => v.to_string(),
            }
        }
        None => "-".into(),
    }
}

fn truncate(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_string();
    }
    let mut t: String = s.chars().take(width.saturating_sub(1)).collect();
    t.push('…');
    t
}

pub fn render(reports: &[MessageReport], color: bool) -> String {
    let mut o = String::new();
    for r in reports {
        let _ = writeln!(o, "{}", paint(&sanitize(&r.source), "1", color));
        let _ = writeln!(
            o,
            "  date {}  from {}\n  subject {}",
            r.date.as_deref().unwrap_or("?"),
            sanitize(r.from.as_deref().unwrap_or("?")),
            sanitize(r.subject.as_deref().unwrap_or("(no subject)"))
        );
        let verdict = r.verdict.as_str().to_uppercase();
        let _ = writeln!(
            o,
            "  verdict {}",
            paint(&verdict, verdict_color(r.verdict), color)
        );
        for reason in &r.reasons {
            let _ = writeln!(o, "    - {}", sanitize(reason));
        }
        if !r.hops.is_empty() {
            let _ = writeln!(
                o,
                "  {:>2}  {:<58} {:<8} {:<34} {:<9} status",
                "#", "from → by", "proto", "tls", "scope"
            );
        }
        for h in &r.hops {
            let status = h.status.as_str();
            let mut status_text = paint(status, status_color(h.status), color);
            if let Some(b) = &h.basis {
                let basis = match b {
                    crate::analysis::Basis::Keyword => "keyword".to_string(),
                    crate::analysis::Basis::Mailbox { messages } => format!("mailbox:{messages}"),
                    crate::analysis::Basis::Provider { provider } => format!("provider:{provider}"),
                };
                let _ = write!(status_text, " ({basis})");
            }
            if h.claimed {
                status_text.push_str(" claimed");
            }
            if h.clock_skew {
                status_text.push_str(" skew");
            }
            let _ = writeln!(
                o,
                "  {:>2}  {:<58} {:<8} {:<34} {:<9} {}",
                h.index,
                truncate(&sanitize(&hop_label(h)), 58),
                truncate(&sanitize(h.protocol.as_deref().unwrap_or("-")), 8),
                truncate(&sanitize(&tls_cell(h)), 34),
                h.scope.as_str(),
                status_text
            );
        }
        o.push('\n');
    }
    o
}
