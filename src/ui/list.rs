//! The message list: date, verdict badge, sender, subject and the hop timeline.

use ratatui::{
    Frame,
    layout::{Constraint, Rect},
    text::{Line, Span},
    widgets::{Block, Borders, Cell, Row, Table, TableState},
};

use super::{
    app::{App, Pane, RowsOnScreen},
    row::Row as Message,
    theme::{Theme, verdict_badge},
    timeline,
};
use crate::text::sanitize;

/// The date column: `11-02 08:39` in the newest message's year, `2022-10-10` in any other, so
/// an archive that spans years reads unambiguously (no clock is read: the mailbox's own newest
/// date stands for "this year", which keeps the list the same from one day to the next).
fn short_date(rfc3339: Option<&str>, newest_year: Option<&str>) -> String {
    let Some(d) = rfc3339 else {
        return "?".into();
    };
    let parts = (d.get(..4), d.get(5..10), d.get(11..16));
    match parts {
        (Some(year), Some(day), Some(time)) if Some(year) == newest_year => {
            format!("{day} {time}")
        }
        (Some(_), Some(_), _) => d.get(..10).unwrap_or(d).to_string(),
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
    let focused = app.focus == Pane::List;
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        title(app),
        if focused { theme.title() } else { theme.dim() },
    ));
    let inner_rows = area.height.saturating_sub(3) as usize;
    app.page_rows = inner_rows.max(1);

    let narrow = area.width < 80;
    // Only the rows on screen are built: with 50,000 messages, building every row (sanitising
    // each subject, laying out each timeline) cost ~60 ms per key press; a window costs
    // microseconds. ratatui's own offset logic is replaced by the same rule applied here.
    let offset = window_offset(
        app.list_offset,
        app.selected,
        inner_rows.max(1),
        app.view.len(),
    );
    app.list_offset = offset;
    let end = (offset + inner_rows.max(1)).min(app.view.len());
    let rows = app.view[offset..end]
        .iter()
        .map(|&i| message_row(&app.rows[i], narrow, app.newest_year.as_deref(), theme));
    let (widths, header) = columns(narrow);
    let table = Table::new(rows, widths)
        .header(Row::new(header.into_iter().map(|h| Cell::from(Line::from(h)))).style(theme.dim()))
        .block(block)
        .row_highlight_style(theme.selected())
        .column_spacing(1);
    // Below the border and the column header: one screen row per listed message.
    app.list_rows = RowsOnScreen {
        area: Rect {
            x: area.x + 1,
            y: area.y + 2,
            width: area.width.saturating_sub(2),
            height: u16::try_from((end - offset).min(inner_rows)).unwrap_or(0),
        },
        offset,
        row_height: 1,
    };
    let mut state = TableState::default()
        .with_offset(0)
        .with_selected((!app.view.is_empty()).then(|| app.selected.saturating_sub(offset)));
    frame.render_stateful_widget(table, area, &mut state);
}

/// `Messages 12/68 · sort: date · filter: ...`: how many are shown, of how many, and why.
fn title(app: &App) -> String {
    let mut t = format!(
        " Messages {}/{} · sort: {} ",
        app.view.len(),
        app.rows.len(),
        app.sort.label()
    );
    if let Some(f) = app.filter.describe() {
        t.push_str(&format!("· filter: {} ", sanitize(&f)));
    }
    t
}

/// One message's row: date (not when narrow), verdict, sender, subject, hop timeline.
fn message_row<'a>(
    r: &'a Message,
    narrow: bool,
    newest_year: Option<&str>,
    theme: &Theme,
) -> Row<'a> {
    let mut cells = Vec::with_capacity(5);
    if !narrow {
        cells.push(Cell::from(short_date(r.date(), newest_year)));
    }
    cells.push(Cell::from(Span::styled(
        verdict_badge(r.verdict),
        theme.verdict(r.verdict),
    )));
    cells.push(Cell::from(sender_name(r.from())));
    cells.push(Cell::from(
        sanitize(r.subject().unwrap_or("(no subject)")).into_owned(),
    ));
    cells.push(Cell::from(timeline::line(r, theme)));
    Row::new(cells)
}

/// The list's column widths and headers; a narrow terminal drops the date.
fn columns(narrow: bool) -> (Vec<Constraint>, Vec<&'static str>) {
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
    (widths, header)
}

/// The first row to show: the previous offset, moved just enough to keep the selection visible
/// (no jump when it already is), and never past the point where the last page is full.
fn window_offset(previous: usize, selected: usize, rows: usize, len: usize) -> usize {
    let mut offset = previous.min(len.saturating_sub(rows));
    if selected < offset {
        offset = selected;
    } else if selected >= offset + rows {
        offset = selected + 1 - rows;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::{short_date, window_offset};

    #[test]
    fn dates_of_other_years_than_the_newest_show_the_year() {
        let newest = Some("2026");
        assert_eq!(
            short_date(Some("2026-11-02T08:39:02Z"), newest),
            "11-02 08:39"
        );
        assert_eq!(
            short_date(Some("2022-10-10T15:11:35-05:00"), newest),
            "2022-10-10"
        );
        assert_eq!(short_date(None, newest), "?");
        assert_eq!(short_date(Some("garbage"), newest), "?");
    }

    #[test]
    fn window_follows_the_selection_without_jumping() {
        // Moving inside the window keeps it still.
        assert_eq!(window_offset(10, 15, 10, 100), 10);
        // Moving one past the bottom scrolls by one.
        assert_eq!(window_offset(10, 20, 10, 100), 11);
        // Jumping up above the window puts the selection on top.
        assert_eq!(window_offset(50, 3, 10, 100), 3);
        // End: the last page is full.
        assert_eq!(window_offset(0, 99, 10, 100), 90);
        // A list shorter than the window never scrolls.
        assert_eq!(window_offset(7, 2, 10, 5), 0);
    }
}
