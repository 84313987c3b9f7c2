//! The readable hop table `hopscope analyze` prints: one block per message, hops oldest first.
//! Colour is optional (the caller decides from the terminal and NO_COLOR).

use std::fmt::Write as _;

use crate::{
    analysis::{Hop, MessageReport, Status, Verdict, hop_label},
    text::sanitize,
    wrap::wrap_line,
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

fn truncate(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_string();
    }
    let mut t: String = s.chars().take(width.saturating_sub(1)).collect();
    t.push('…');
    t
}

/// The hop rows of the wide layout take about 150 columns; on a narrower terminal each hop
/// takes two rows instead (and reasons wrap), rather than every row wrapping where it falls.
const WIDE_COLUMNS: usize = 150;

/// `width`: the terminal's columns when stdout is one; `None` (a pipe or a file) keeps the
/// fixed wide layout, whatever its length.
pub fn render(reports: &[MessageReport], color: bool, width: Option<usize>) -> String {
    let narrow = width.filter(|w| *w < WIDE_COLUMNS);
    let mut o = String::new();
    for r in reports {
        let _ = writeln!(o, "{}", paint(&sanitize(&r.source), "1", color));
        let lines = [
            format!(
                "  date {}  from {}",
                r.date.as_deref().unwrap_or("?"),
                sanitize(r.from.as_deref().unwrap_or("?"))
            ),
            format!(
                "  subject {}",
                sanitize(r.subject.as_deref().unwrap_or("(no subject)"))
            ),
        ];
        for line in lines {
            push_wrapped(&mut o, &line, narrow, "    ");
        }
        let verdict = r.verdict.as_str().to_uppercase();
        let _ = writeln!(
            o,
            "  verdict {}",
            paint(&verdict, verdict_color(r.verdict), color)
        );
        for reason in &r.reasons {
            push_wrapped(
                &mut o,
                &format!("    - {}", sanitize(reason)),
                narrow,
                "      ",
            );
        }
        match narrow {
            Some(width) => narrow_hops(&mut o, r, width, color),
            None => wide_hops(&mut o, r, color),
        }
        o.push('\n');
    }
    o
}

fn push_wrapped(o: &mut String, line: &str, width: Option<usize>, indent: &str) {
    match width {
        Some(w) => {
            for row in wrap_line(line, w, indent) {
                let _ = writeln!(o, "{row}");
            }
        }
        None => {
            let _ = writeln!(o, "{line}");
        }
    }
}

/// `plaintext (keyword) claimed`: the status (painted), its basis and its marks, and the width
/// of that text unpainted.
fn status_text(h: &Hop, color: bool) -> (String, usize) {
    let status = h.status.as_str();
    let mut marks = String::new();
    if let Some(b) = &h.basis {
        let _ = write!(marks, " ({})", b.short());
    }
    if h.claimed {
        marks.push_str(" claimed");
    }
    if h.clock_skew {
        marks.push_str(" skew");
    }
    let width = status.chars().count() + marks.chars().count();
    (
        format!("{}{marks}", paint(status, status_color(h.status), color)),
        width,
    )
}

fn wide_hops(o: &mut String, r: &MessageReport, color: bool) {
    if !r.hops.is_empty() {
        let _ = writeln!(
            o,
            "  {:>2}  {:<58} {:<8} {:<34} {:<9} status",
            "#", "from → by", "proto", "tls", "scope"
        );
    }
    for h in &r.hops {
        let _ = writeln!(
            o,
            "  {:>2}  {:<58} {:<8} {:<34} {:<9} {}",
            h.index,
            truncate(&sanitize(&hop_label(h)), 58),
            truncate(&sanitize(h.protocol.as_deref().unwrap_or("-")), 8),
            truncate(&sanitize(&h.tls_cell()), 34),
            h.scope.as_str(),
            status_text(h, color).0
        );
    }
}

/// Each hop in two rows: `#  from → by`, then the judgement and the evidence, which go on a
/// row of their own when both do not fit:
///
/// ```text
///    3  mail-wr1-f40.google.com → mx1.northwind-clinic.example
///       encrypted · scope cross_org · ESMTPS · TLSv1.3 TLS_AES_256_GCM_SHA384
/// ```
fn narrow_hops(o: &mut String, r: &MessageReport, width: usize, color: bool) {
    for h in &r.hops {
        let label = sanitize(&hop_label(h)).into_owned();
        let _ = writeln!(
            o,
            "  {:>2}  {}",
            h.index,
            truncate(&label, width.saturating_sub(6).max(12))
        );
        let (status, status_width) = status_text(h, color);
        let evidence = format!(
            "scope {} · {} · {}",
            h.scope.as_str(),
            sanitize(h.protocol.as_deref().unwrap_or("no protocol")),
            match h.tls {
                Some(_) => sanitize(&h.tls_cell()).into_owned(),
                None => "no TLS note".into(),
            }
        );
        if 6 + status_width + 3 + evidence.chars().count() <= width {
            let _ = writeln!(o, "      {status} · {evidence}");
        } else {
            let _ = writeln!(o, "      {status}");
            push_wrapped(o, &format!("      {evidence}"), Some(width), "        ");
        }
    }
}

#[cfg(test)]
mod tests {
    use unicode_width::UnicodeWidthStr;

    use crate::{
        analysis::{AnalysisOptions, analyze_owned},
        sources,
    };

    fn demo() -> Vec<crate::analysis::MessageReport> {
        let input: Vec<(String, Vec<u8>)> = sources::demo()
            .iter()
            .map(|m| (m.source.clone(), m.headers.clone()))
            .collect();
        analyze_owned(input, &AnalysisOptions::default())
    }

    #[test]
    fn on_an_80_column_terminal_no_line_is_wider_and_each_hop_takes_two_or_three_rows() {
        let reports = demo();
        let text = super::render(&reports, false, Some(80));
        for line in text.lines() {
            assert!(line.width() <= 80, "{} columns: {line}", line.width());
        }
        assert!(!text.contains("from → by"), "no wide column header");
        assert!(text.contains(
            "   3  mail-wr1-f40.google.com → mx1.northwind-clinic.example\n      encrypted · scope cross_org · ESMTPS · TLSv1.3 TLS_AES_256_GCM_SHA384\n"
        ));
        // Every hop is there: one `#  from → by` row per hop.
        let hops: usize = reports.iter().map(|r| r.hops.len()).sum();
        let numbered = text
            .lines()
            .filter(|l| {
                l.get(..4)
                    .is_some_and(|n| n.trim().parse::<usize>().is_ok())
                    && l.get(4..6) == Some("  ")
            })
            .count();
        assert_eq!(numbered, hops);
    }

    #[test]
    fn into_a_pipe_the_layout_is_the_wide_fixed_one() {
        let reports = demo();
        let text = super::render(&reports, false, None);
        assert!(text.contains("   #  from → by"));
        assert!(text.lines().any(|l| l.width() > 120));
        // A terminal wide enough for it gets the same.
        assert_eq!(super::render(&reports, false, Some(200)), text);
    }
}
