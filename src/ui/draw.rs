//! The whole screen: header line, optional banner, message list, detail pane, footer, overlays.
//! A function of the app state; the only state it writes back is ratatui's scroll bookkeeping.

use ratatui::{
    Frame,
    layout::{Constraint, Flex, Layout, Rect},
    style::Modifier,
    text::{Line, Span},
    widgets::{Block, Borders, Clear, Gauge, List, ListItem, ListState, Paragraph, Wrap},
};

use super::{
    app::{App, LoadState, Overlay},
    detail,
    keys::KEYMAP,
    list,
    theme::{Theme, status_glyph, verdict_badge},
};
use crate::{
    analysis::{Status, Verdict},
    report::ReportFormat,
    text::sanitize,
};

pub fn draw(frame: &mut Frame, app: &mut App, theme: &Theme) {
    let area = frame.area();
    let has_banner = app.banner.is_some() || app.status.is_some();
    let [header, banner, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(u16::from(has_banner)),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_header(frame, header, app, theme);
    if let Some(msg) = &app.banner {
        let text = format!(" ⚠ {} (Esc to dismiss)", sanitize(msg));
        frame.render_widget(Paragraph::new(text).style(theme.banner()), banner);
    } else if let Some(msg) = &app.status {
        frame.render_widget(
            Paragraph::new(format!(" {}", sanitize(msg))).style(theme.title()),
            banner,
        );
    }
    if app.detail_open {
        let list_height = (body.height / 3).max(4);
        let [top, bottom] =
            Layout::vertical([Constraint::Length(list_height), Constraint::Min(6)]).areas(body);
        list::draw(frame, top, app, theme);
        // Analysed here (cached) so that drawing itself needs only a shared borrow.
        let _ = app.selected_report();
        detail::draw(frame, bottom, app, theme);
    } else {
        list::draw(frame, body, app, theme);
    }
    draw_footer(frame, footer, app, theme);
    match &app.overlay {
        Overlay::None => {}
        Overlay::Help => draw_help(frame, area, theme),
        Overlay::Export(prompt) => {
            draw_export(frame, area, app, prompt.format, &prompt.path, theme)
        }
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
    for &(v, n) in app.verdict_counts() {
        if n > 0 || v != Verdict::NoHops {
            let label = verdict_badge(v).trim().to_string();
            spans.push(Span::styled(format!("{label} {n}"), theme.verdict(v)));
            spans.push(Span::raw("  "));
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), left);
}

fn draw_footer(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let line = if app.searching {
        Line::from(vec![
            Span::styled(" search: ", theme.title()),
            Span::raw(format!("{}█", sanitize(&app.filter.search))),
            Span::styled("  (Enter keep · Esc clear)", theme.dim()),
        ])
    } else {
        let mut spans = Vec::new();
        for b in KEYMAP {
            if let Some(label) = b.footer {
                let key = b.keys.split(' ').next().unwrap_or(b.keys);
                spans.push(Span::styled(format!(" {key}"), theme.title()));
                spans.push(Span::styled(format!(" {label} "), theme.dim()));
            }
        }
        Line::from(spans)
    };
    frame.render_widget(Paragraph::new(line), area);
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

fn draw_help(frame: &mut Frame, area: Rect, theme: &Theme) {
    let mut lines: Vec<Line<'_>> = KEYMAP
        .iter()
        .map(|b| {
            Line::from(vec![
                Span::styled(format!("{:>10}  ", b.keys), theme.title()),
                Span::raw(b.help),
            ])
        })
        .collect();
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
    let rect = centered(area, 72, lines.len() as u16 + 2);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::default()
                .borders(Borders::ALL)
                .title(" Help · any key closes "),
        ),
        rect,
    );
}

fn draw_export(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    format: ReportFormat,
    path: &str,
    theme: &Theme,
) {
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
        Line::styled("Enter write · Esc cancel", theme.dim()),
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
