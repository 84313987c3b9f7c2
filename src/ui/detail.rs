//! The detail pane: verdict and reasons, the hop table (oldest first), the selected hop's facts,
//! Authentication-Results, and a raw-headers view with the selected hop's lines highlighted.

use ratatui::{
    Frame,
    layout::{Constraint, Layout, Rect},
    text::{Line, Span},
    widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState, Wrap},
};

use super::{
    app::{App, Pane, RowsOnScreen},
    theme::{Theme, status_glyph},
};
use crate::{
    analysis::{Hop, MessageReport, hop_label},
    text::sanitize,
    wrap::{CONTINUATION, wrap_line},
};

fn delay_text(hop: &Hop) -> String {
    match hop.delay_s {
        Some(d) if hop.clock_skew => format!("{d}s!"),
        Some(d) => format!("{d}s"),
        None => "-".into(),
    }
}

/// Draws the pane; returns where the hop table's rows went (none in the raw view).
pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) -> Option<RowsOnScreen> {
    let report = app.current_detail()?;
    let focused = app.focus == Pane::Detail;
    let title = format!(
        " {} · {} ",
        if app.raw_view {
            "Raw headers"
        } else {
            "Detail"
        },
        sanitize(report.subject.as_deref().unwrap_or("(no subject)"))
    );
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        title,
        if focused { theme.title() } else { theme.dim() },
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if app.raw_view {
        draw_raw(frame, inner, report, app.hop_selected, theme);
        None
    } else {
        Some(draw_summary(frame, inner, report, app.hop_selected, theme))
    }
}

fn draw_summary(
    frame: &mut Frame,
    area: Rect,
    report: &MessageReport,
    hop_selected: usize,
    theme: &Theme,
) -> RowsOnScreen {
    let head = summary_head(report, theme);
    let head_height = (head.len() as u16 + report.reasons.len() as u16)
        .min(area.height / 2)
        .max(1);
    let columns = Columns {
        // Two lines per hop (from, then → by) when there is room: host names are long.
        tall: area.height >= head_height + report.hops.len() as u16 * 2 + 6,
        wide: area.width >= 140,
        narrow: area.width < 80,
    };
    let row_height = columns.row_height();
    let hop_rows = report.hops.len() as u16 * row_height + 1;
    let [head_area, table_area, hop_area, auth_area] = Layout::vertical([
        Constraint::Length(head_height),
        Constraint::Length(
            hop_rows
                .min(area.height.saturating_sub(head_height + 4))
                .max(2),
        ),
        Constraint::Min(2),
        Constraint::Length(1),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(head).wrap(Wrap { trim: true }), head_area);

    let rows = report.hops.iter().map(|h| hop_row(h, columns, theme));
    let (widths, header) = columns.layout();
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme.dim()))
        .row_highlight_style(theme.selected())
        .column_spacing(1);
    let mut state = TableState::default().with_selected(Some(hop_selected));
    frame.render_stateful_widget(table, table_area, &mut state);
    // Below the column header; the table may have scrolled to keep the selected hop in view.
    let below_offset = report.hops.len().saturating_sub(state.offset());
    let shown = u16::try_from(below_offset)
        .unwrap_or(u16::MAX)
        .saturating_mul(row_height);
    let hop_rows = RowsOnScreen {
        area: Rect {
            y: table_area.y + 1,
            height: shown.min(table_area.height.saturating_sub(1)),
            ..table_area
        },
        offset: state.offset(),
        row_height,
    };

    if let Some(hop) = report.hops.get(hop_selected) {
        frame.render_widget(
            Paragraph::new(hop_facts(hop, theme)).wrap(Wrap { trim: true }),
            hop_area,
        );
    }
    frame.render_widget(Paragraph::new(auth_line(report, theme)), auth_area);
    hop_rows
}

/// The verdict, the sender and one line per reason.
fn summary_head<'a>(report: &MessageReport, theme: &Theme) -> Vec<Line<'a>> {
    let mut head = vec![Line::from(vec![
        Span::raw("Verdict: "),
        Span::styled(
            report.verdict.as_str().to_uppercase(),
            theme.verdict(report.verdict),
        ),
        Span::styled(
            format!(
                "   from {}",
                sanitize(report.from.as_deref().unwrap_or("?"))
            ),
            theme.dim(),
        ),
    ])];
    for reason in &report.reasons {
        head.push(Line::from(format!("• {}", sanitize(reason))));
    }
    head
}

/// Which hop-table columns the pane's size allows.
#[derive(Clone, Copy)]
struct Columns {
    /// Two lines per hop.
    tall: bool,
    /// Room for the from address.
    wide: bool,
    /// Only the path and the status.
    narrow: bool,
}

impl Columns {
    fn row_height(self) -> u16 {
        if self.tall { 2 } else { 1 }
    }

    fn layout(self) -> (Vec<Constraint>, Vec<&'static str>) {
        let mut widths = vec![Constraint::Length(2), Constraint::Fill(3)];
        let mut header = vec!["#", "from → by"];
        if self.wide {
            widths.push(Constraint::Length(18));
            header.push("from ip");
        }
        if self.narrow {
            widths.push(Constraint::Length(26));
            header.push("status (basis)");
        } else {
            widths.extend([
                Constraint::Length(8),
                Constraint::Fill(1),
                Constraint::Length(6),
                Constraint::Length(9),
                Constraint::Length(28),
            ]);
            header.extend(["proto", "tls", "delay", "scope", "status (basis)"]);
        }
        (widths, header)
    }
}

/// One hop's row in the table; a claimed hop (below the trust boundary) is dimmed.
fn hop_row<'a>(h: &Hop, columns: Columns, theme: &Theme) -> Row<'a> {
    let style = if h.claimed {
        theme.dim()
    } else {
        ratatui::style::Style::new()
    };
    let mut status = format!("{} {}", status_glyph(h.status), h.status.as_str());
    if let Some(b) = &h.basis {
        status.push_str(&format!(" ({})", b.short()));
    }
    if h.claimed {
        status.push_str(" claim");
    }
    let label = sanitize(&hop_label(h)).into_owned();
    let path = if columns.tall {
        let (from, by) = label.split_once(" → ").unwrap_or((label.as_str(), ""));
        Cell::from(vec![
            Line::from(from.to_string()),
            Line::from(format!("→ {by}")),
        ])
    } else {
        Cell::from(label)
    };
    let mut cells = vec![Cell::from(h.index.to_string()), path];
    if columns.wide {
        cells.push(Cell::from(
            sanitize(h.from_ip.as_deref().unwrap_or("-")).into_owned(),
        ));
    }
    if !columns.narrow {
        cells.extend([
            Cell::from(sanitize(h.protocol.as_deref().unwrap_or("-")).into_owned()),
            Cell::from(sanitize(&h.tls_cell()).into_owned()),
            Cell::from(delay_text(h)),
            Cell::from(h.scope.as_str()),
        ]);
    }
    cells.push(Cell::from(Span::styled(status, theme.status(h.status))));
    Row::new(cells).style(style).height(columns.row_height())
}

fn hop_facts<'a>(hop: &'a Hop, theme: &Theme) -> Vec<Line<'a>> {
    let s = |v: Option<&str>| sanitize(v.unwrap_or("-")).into_owned();
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("hop {}: ", hop.index), theme.title()),
        Span::raw(format!(
            "from {} (rdns {}, helo {}, ip {}) by {} · {} · mta {}",
            s(hop.from_host.as_deref()),
            s(hop.from_rdns.as_deref()),
            s(hop.from_helo.as_deref()),
            s(hop.from_ip.as_deref()),
            s(hop.by_host.as_deref()),
            s(hop.date.as_deref()),
            hop.mta.unwrap_or("?"),
        )),
    ])];
    if let Some(t) = &hop.tls {
        lines.push(Line::from(format!(
            "TLS: version {} · cipher {} · bits {} · note {}",
            s(t.version.as_deref()),
            s(t.cipher.as_deref()),
            t.bits.map_or("-".into(), |b| b.to_string()),
            s(t.note.as_deref())
        )));
    }
    if let Some(sentence) = crate::analysis::basis_sentence(hop) {
        lines.push(Line::from(format!("basis: {sentence}")));
    }
    if hop.claimed {
        lines.push(Line::styled(
            "claimed: written by a server below your provider's first hop; it could be forged",
            theme.dim(),
        ));
    }
    lines
}

fn auth_line<'a>(report: &'a MessageReport, theme: &Theme) -> Line<'a> {
    let a = &report.auth;
    if a.is_empty() {
        return Line::styled("Authentication-Results: none recorded", theme.dim());
    }
    let f = |name: &str, v: &Option<String>| {
        format!("{name} {}", sanitize(v.as_deref().unwrap_or("-")))
    };
    Line::from(format!(
        "Authentication: {} · {} · {} · {}{}",
        f("SPF", &a.spf),
        f("DKIM", &a.dkim),
        f("DMARC", &a.dmarc),
        f("ARC", &a.arc),
        a.authserv_id
            .as_deref()
            .map(|id| format!(" (by {})", sanitize(id)))
            .unwrap_or_default()
    ))
}

/// Line range (start, count) of the selected hop's Received field within the raw headers.
pub fn hop_line_range(report: &MessageReport, hop_selected: usize) -> Option<(usize, usize)> {
    let hop = report.hops.get(hop_selected)?;
    let pos = hop.raw.offset();
    let start = report.raw_headers.get(..pos)?.matches('\n').count();
    let count = hop.raw.as_str().matches('\n').count() + 1;
    Some((start, count))
}

fn draw_raw(
    frame: &mut Frame,
    area: Rect,
    report: &MessageReport,
    hop_selected: usize,
    theme: &Theme,
) {
    if area.is_empty() {
        return;
    }
    let range = hop_line_range(report, hop_selected);
    let mut rows: Vec<Line<'_>> = Vec::new();
    let mut hop_first_row = 0;
    for (i, l) in report.raw_headers.lines().enumerate() {
        let in_hop = range.is_some_and(|(s, n)| i >= s && i < s + n);
        if range.is_some_and(|(s, _)| i == s) {
            hop_first_row = rows.len();
        }
        for row in wrap_line(&sanitize(l), usize::from(area.width), CONTINUATION) {
            rows.push(if in_hop {
                Line::styled(row, theme.highlight_line())
            } else {
                Line::from(row)
            });
        }
    }
    // The selected hop starts two rows down, but the view never scrolls past the end: a header
    // that fits is shown from its first line.
    let scroll = hop_first_row
        .saturating_sub(2)
        .min(rows.len().saturating_sub(usize::from(area.height)));
    frame.render_widget(
        Paragraph::new(rows).scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0)),
        area,
    );
}
