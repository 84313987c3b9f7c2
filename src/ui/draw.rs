//! The whole screen: header line, optional banner, message list, detail pane, footer, overlays.
//! A function of the app state; the only state it writes back is layout bookkeeping: scroll
//! positions (list, help) and where the list's and the hop table's rows were drawn, for clicks.

use ratatui::{
    Frame,
    layout::{Constraint, Flex, Layout, Rect},
    style::Modifier,
    text::{Line, Span},
    widgets::{Block, Borders, Clear, Gauge, List, ListItem, ListState, Paragraph, Wrap},
};
use unicode_width::UnicodeWidthStr;

use super::{
    app::{App, ExportPrompt, LoadState, Overlay},
    detail,
    keys::{Action, Binding, KEYMAP},
    list,
    theme::{Theme, status_glyph, verdict_badge, verdict_glyph},
};
use crate::{
    analysis::{Status, Verdict},
    report::ReportFormat,
    text::sanitize,
};

pub fn draw(frame: &mut Frame, app: &mut App, theme: &Theme) {
    let area = frame.area();
    // An error or notice wraps onto up to three rows: what to do comes at the end of each
    // message ("… (run `hopscope login work`)"), so cutting it at the edge would lose it.
    let notice = match (&app.banner, &app.status) {
        (Some(msg), _) => Some(
            Paragraph::new(format!(" ⚠ {} (Esc to dismiss)", sanitize(msg))).style(theme.banner()),
        ),
        (None, Some(msg)) => {
            Some(Paragraph::new(format!(" {}", sanitize(msg))).style(theme.title()))
        }
        (None, None) => None,
    }
    .map(|p| p.wrap(Wrap { trim: false }));
    let notice_rows = notice
        .as_ref()
        .map_or(0, |p| p.line_count(area.width).min(3));
    let [header, banner, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(u16::try_from(notice_rows).unwrap_or(3)),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_header(frame, header, app, theme);
    if let Some(notice) = notice {
        frame.render_widget(notice, banner);
    }
    if app.detail_open {
        let list_height = (body.height / 3).max(4);
        let [top, bottom] =
            Layout::vertical([Constraint::Length(list_height), Constraint::Min(6)]).areas(body);
        list::draw(frame, top, app, theme);
        // Analysed here (cached) so that drawing itself needs only a shared borrow.
        let _ = app.selected_report();
        app.hop_rows = detail::draw(frame, bottom, app, theme).unwrap_or_default();
    } else {
        list::draw(frame, body, app, theme);
    }
    draw_footer(frame, footer, app, theme);
    match &app.overlay {
        Overlay::None => {}
        Overlay::Help { scroll } => {
            let shown = draw_help(frame, area, *scroll, theme);
            app.overlay = Overlay::Help { scroll: shown };
        }
        Overlay::Export(prompt) => draw_export(frame, area, app, prompt, theme),
        Overlay::MailboxPicker { selected } => draw_picker(frame, area, app, *selected, theme),
    }
}

fn draw_header(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let mut source = sanitize(&app.source_label).into_owned();
    if let Some(m) = &app.mailbox {
        source.push('/');
        source.push_str(&sanitize(m));
    }
    let mut spans = vec![
        Span::styled(" hopscope ", theme.title()),
        Span::raw(format!("│ {source} │ ")),
    ];
    // A gauge only when the total is known (a sync knows it; reading files does not).
    let [left, gauge_area] = match &app.load {
        LoadState::Loading { total: Some(_), .. } => {
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(24)]).areas(area)
        }
        _ => [area, Rect::default()],
    };
    let verb = if app.live { "syncing" } else { "loading" };
    match &app.load {
        LoadState::Idle => spans.push(Span::raw("idle │ ")),
        LoadState::Loading { done, total: None } => {
            spans.push(Span::raw(format!("{verb} {done} … │ ")));
        }
        LoadState::Loading {
            done,
            total: Some(total),
        } => {
            spans.push(Span::raw(format!("{verb} {done}/{total} │ ")));
            let ratio = if *total > 0 {
                (*done as f64 / *total as f64).clamp(0.0, 1.0)
            } else {
                0.0
            };
            frame.render_widget(
                Gauge::default()
                    .ratio(ratio)
                    .label(format!("{:.0}%", ratio * 100.0))
                    .gauge_style(theme.status(Status::Encrypted)),
                gauge_area,
            );
        }
        LoadState::Ready => spans.push(Span::raw(format!("{} messages │ ", app.rows.len()))),
        LoadState::Failed(_) => spans.push(Span::styled(
            "sync failed │ ",
            theme.status(Status::Plaintext),
        )),
    }
    // The counts are what the header is for: where the full labels do not fit (an 80-column
    // terminal), they shrink to the glyphs the list uses, then the program's name goes.
    let full = Line::from([spans.clone(), verdict_counts(app, theme, false)].concat());
    let line = if full.width() <= usize::from(left.width) {
        full
    } else {
        let compact = Line::from([spans.clone(), verdict_counts(app, theme, true)].concat());
        if compact.width() <= usize::from(left.width) {
            compact
        } else {
            // Then the source label loses its start: its end (the file or mailbox) says most.
            let mut rest = spans.split_off(1);
            let counts = verdict_counts(app, theme, true);
            let others: usize = rest[1..].iter().chain(&counts).map(Span::width).sum();
            let room = usize::from(left.width).saturating_sub(others + " │ ".width() + 1);
            rest[0] = Span::raw(format!(" {} │ ", keep_end(&source, room)));
            Line::from([rest, counts].concat())
        }
    };
    frame.render_widget(Paragraph::new(line), left);
}

/// `text` when it fits in `width` columns, else its end behind `…` in exactly that room.
fn keep_end(text: &str, width: usize) -> std::borrow::Cow<'_, str> {
    use unicode_width::UnicodeWidthChar;
    if text.width() <= width {
        return text.into();
    }
    let mut used = 1; // the `…`
    let mut start = text.len();
    for (i, c) in text.char_indices().rev() {
        used += c.width().unwrap_or(0);
        if used > width {
            break;
        }
        start = i;
    }
    format!("…{}", &text[start..]).into()
}

/// `✗ PLAIN 11  ? UNREC 8 …`, or compact `✗ 11 ? 8 … ∅ 2`.
fn verdict_counts(app: &App, theme: &Theme, compact: bool) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    for &(v, n) in app.verdict_counts() {
        if n > 0 || v != Verdict::NoHops {
            let label = if compact {
                verdict_glyph(v)
            } else {
                verdict_badge(v).trim()
            };
            spans.push(Span::styled(format!("{label} {n}"), theme.verdict(v)));
            spans.push(Span::raw(if compact { " " } else { "  " }));
        }
    }
    spans
}

fn draw_footer(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let line = if app.searching {
        Line::from(vec![
            Span::styled(" search: ", theme.title()),
            Span::raw(format!("{}█", sanitize(&app.filter.search))),
            Span::styled("  (Enter keep · Esc clear)", theme.dim()),
        ])
    } else {
        footer_hints(usize::from(area.width), app.detail_open, theme)
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// The footer's key hints, in key-map order, as many as fit: help and quit always stay, since
/// help leads to every other key, and so does raw while the detail pane is open.
fn footer_hints(width: usize, detail_open: bool, theme: &Theme) -> Line<'static> {
    let hints: Vec<(&Binding, String, String)> = KEYMAP
        .iter()
        .filter_map(|b| {
            let label = b.footer?;
            let key = b.keys.split(' ').next().unwrap_or(b.keys);
            Some((b, format!(" {key}"), format!(" {label} ")))
        })
        .collect();
    let cost = |(_, k, l): &(&Binding, String, String)| k.width() + l.width();
    let kept = |b: &Binding| {
        matches!(b.action, Action::Help | Action::Quit)
            || (detail_open && b.action == Action::ToggleRaw)
    };
    let mut room = width.saturating_sub(hints.iter().filter(|h| kept(h.0)).map(cost).sum());
    // The others in order until one does not fit, so a hint is never skipped for a later one.
    let mut fits = true;
    let mut spans = Vec::new();
    for hint in &hints {
        if !kept(hint.0) {
            fits = fits && cost(hint) <= room;
            if !fits {
                continue;
            }
            room -= cost(hint);
        }
        spans.push(Span::styled(hint.1.clone(), theme.title()));
        spans.push(Span::styled(hint.2.clone(), theme.dim()));
    }
    Line::from(spans)
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [v] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [h] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(v);
    h
}

/// Draws the help from line `scroll` (kept within the text) and returns the line it drew from.
fn draw_help(frame: &mut Frame, area: Rect, scroll: usize, theme: &Theme) -> usize {
    let mut lines: Vec<Line<'_>> = KEYMAP
        .iter()
        .map(|b| {
            Line::from(vec![
                Span::styled(format!("{:>10}  ", b.keys), theme.title()),
                Span::raw(b.help),
            ])
        })
        .collect();
    lines.push(Line::from(vec![
        Span::styled(format!("{:>10}  ", "mouse"), theme.title()),
        Span::raw("wheel scrolls; click selects, a second click opens"),
    ]));
    lines.push(Line::from(""));
    lines.push(Line::styled(
        "Hop glyphs (oldest hop on the left):",
        theme.title(),
    ));
    for (s, text) in [
        (Status::Encrypted, "encrypted: TLS recorded"),
        (Status::Weak, "weak TLS (old version or broken cipher)"),
        (
            Status::Plaintext,
            "plaintext: no TLS where this receiver records it",
        ),
        (
            Status::Unrecorded,
            "unrecorded: crossed organisations, nothing tells",
        ),
        (
            Status::Internal,
            "internal: same host, private network or provider",
        ),
    ] {
        lines.push(Line::from(vec![
            Span::styled(format!("{:>10}  ", status_glyph(s)), theme.status(s)),
            Span::raw(text),
        ]));
    }
    lines.push(Line::styled(
        "bold = crossed organisations · dim = claimed (could be forged)",
        theme.dim(),
    ));
    let rect = centered(area, 72, u16::try_from(lines.len() + 2).unwrap_or(u16::MAX));
    let text = Paragraph::new(lines).wrap(Wrap { trim: false });
    // On a short terminal (80×24) the help does not fit: it scrolls, and says so.
    let rows = text.line_count(rect.width.saturating_sub(2));
    let max_scroll = rows.saturating_sub(usize::from(rect.height.saturating_sub(2)));
    let scroll = scroll.min(max_scroll);
    let title = if max_scroll == 0 {
        " Help · any key closes ".to_string()
    } else {
        let more = if scroll < max_scroll {
            "↓ more · "
        } else {
            ""
        };
        format!(" Help · {more}↑↓ PgUp PgDn scroll · other keys close ")
    };
    frame.render_widget(Clear, rect);
    frame.render_widget(
        text.scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0))
            .block(Block::default().borders(Borders::ALL).title(title)),
        rect,
    );
    scroll
}

fn draw_export(frame: &mut Frame, area: Rect, app: &App, prompt: &ExportPrompt, theme: &Theme) {
    let (format, path) = (prompt.format, prompt.path.as_str());
    let formats: Vec<Span<'_>> = ReportFormat::ALL
        .iter()
        .flat_map(|f| {
            let style = if *f == format {
                theme.selected()
            } else {
                theme.dim()
            };
            [
                Span::styled(format!(" {} ", f.extension()), style),
                Span::raw(" "),
            ]
        })
        .collect();
    let lines = vec![
        Line::from(format!(
            "Export the {} listed messages{}",
            app.view.len(),
            app.filter
                .describe()
                .map(|f| format!(" ({})", sanitize(&f)))
                .unwrap_or_default()
        )),
        Line::from(""),
        Line::from(
            [
                vec![Span::raw("Format: ")],
                formats,
                vec![Span::styled(" (Tab)", theme.dim())],
            ]
            .concat(),
        ),
        Line::from(vec![
            Span::raw("Path:   "),
            Span::styled(
                format!("{}█", sanitize(path)),
                theme.title().add_modifier(Modifier::UNDERLINED),
            ),
        ]),
        Line::from(""),
        if prompt.exists {
            Line::styled(
                "File exists: Enter replaces it · edit the path · Esc cancel",
                theme.status(Status::Weak),
            )
        } else {
            Line::styled("Enter write · Esc cancel", theme.dim())
        },
    ];
    let rect = centered(area, 70, 8);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(" Export report "),
        ),
        rect,
    );
}

fn draw_picker(frame: &mut Frame, area: Rect, app: &App, selected: usize, theme: &Theme) {
    let items: Vec<ListItem<'_>> = app
        .mailboxes
        .iter()
        .map(|m| ListItem::new(sanitize(m).into_owned()))
        .collect();
    let rect = centered(area, 50, (items.len() as u16 + 2).min(20));
    frame.render_widget(Clear, rect);
    let list = List::new(items)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(" Mailbox · Enter open · Esc cancel "),
        )
        .highlight_style(theme.selected());
    let mut state = ListState::default().with_selected(Some(selected));
    frame.render_stateful_widget(list, rect, &mut state);
}
