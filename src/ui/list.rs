//! The message list: date, verdict badge, sender, subject and the hop timeline.

use ratatui::{
    Frame,
    layout::{Constraint, Rect},
    text::{Line, Span},
    widgets::{Block, Borders, Cell, Row, Table, TableState},
};

use super::{
    app::{App, Pane},
    theme::{Theme, verdict_badge},
    timeline,
};
use crate::text::sanitize;

fn short_date(rfc3339: Option<&str>) -> String {
    // 2026-11-02T08:39:02Z → 11-02 08:39
    match rfc3339 {
        Some(d) if d.len() >= 16 => format!("{} {}", &d[5..10], &d[11..16]),
        _ => "?".into(),
    }
}

fn sender_name(from: Option<&str>) -> String {
    let from = from.unwrap_or("?");
    let name = from
        .split('<')
        .next()
        .unwrap_or(from)
        .trim()
        .trim_matches('"');
    sanitize(if name.is_empty() { from } else { name }).into_owned()
}

pub fn draw(frame: &mut Frame, area: Rect, app: &mut App, theme: &Theme) {
    let title = {
        let mut t = format!(
            " Messages {}/{} · sort: {} ",
            app.view.len(),
            app.reports.len(),
            app.sort.label()
        );
        if let Some(f) = app.filter.describe() {
            t.push_str(&format!("· filter: {} ", sanitize(&f)));
        }
        t
    };
    let focused = app.focus == Pane::List;
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        title,
        if focused { theme.title() } else { theme.dim() },
    ));
    let inner_rows = area.height.saturating_sub(3) as usize;
    app.page_rows = inner_rows.max(1);

    let narrow = area.width < 80;
    let rows = app.view.iter().map(|&i| {
        let r = &app.reports[i];
        let mut cells = Vec::with_capacity(5);
        if !narrow {
            cells.push(Cell::from(short_date(r.date.as_deref())));
        }
        cells.push(Cell::from(Span::styled(
            verdict_badge(r.verdict),
            theme.verdict(r.verdict),
        )));
        cells.push(Cell::from(sender_name(r.from.as_deref())));
        cells.push(Cell::from(
            sanitize(r.subject.as_deref().unwrap_or("(no subject)")).into_owned(),
        ));
        cells.push(Cell::from(timeline::line(r, theme)));
        Row::new(cells)
    });
    let mut widths = Vec::new();
    let mut header = Vec::new();
    if !narrow {
        widths.push(Constraint::Length(11));
        header.push("date");
    }
    widths.extend([
        Constraint::Length(9),
        Constraint::Length(if narrow { 12 } else { 20 }),
        Constraint::Fill(1),
        Constraint::Length(if narrow {
            8
        } else {
            timeline::MAX_GLYPHS as u16 + 1
        }),
    ]);
    header.extend(["verdict", "from", "subject", "hops"]);
    let table = Table::new(rows, widths)
        .header(Row::new(header.into_iter().map(|h| Cell::from(Line::from(h)))).style(theme.dim()))
        .block(block)
        .row_highlight_style(theme.selected())
        .column_spacing(1);
    let mut state = TableState::default()
        .with_offset(app.list_offset)
        .with_selected(Some(app.selected));
    if app.view.is_empty() {
        state.select(None);
    }
    frame.render_stateful_widget(table, area, &mut state);
    app.list_offset = state.offset();
}
