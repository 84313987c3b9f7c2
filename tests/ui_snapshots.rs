#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests and their helpers fail loudly"
)]
//! Whole-screen snapshots of the terminal UI, drawn on ratatui's TestBackend from the demo
//! mailbox. Colours are not in the snapshots, which is why every status also has a glyph.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use hopscope::{
    analysis::{AnalysisOptions, parse_message},
    sources,
    ui::{
        app::App,
        draw::draw,
        event::{AppEvent, Effect, LoadEvent},
        theme::Theme,
    },
};
use ratatui::{Terminal, backend::TestBackend};

fn loaded_app() -> App {
    loaded_app_named("demo")
}

fn loaded_app_named(label: &str) -> App {
    let mut app = App::new(label, false);
    let _ = app.start();
    let reports = sources::demo()
        .iter()
        .map(|m| parse_message(&m.source, &m.headers, &AnalysisOptions::default()))
        .collect();
    app.update(AppEvent::Load(LoadEvent::Batch {
        request_id: app.request_id,
        reports,
    }));
    let effects = app.update(AppEvent::Load(LoadEvent::Finished {
        request_id: app.request_id,
    }));
    // Run the re-decision job inline, as the runtime does on a worker.
    for effect in effects {
        if let Effect::Job(job) = effect {
            app.update(job.run());
        }
    }
    app
}

fn key(app: &mut App, code: KeyCode) {
    app.update(AppEvent::Key(KeyEvent::from(code)));
}

fn chars(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn render(app: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| draw(f, app, &Theme::new(true))).unwrap();
    terminal
}

#[test]
fn list_with_mixed_verdicts() {
    let mut app = loaded_app();
    insta::assert_snapshot!(render(&mut app, 100, 30).backend());
}

#[test]
fn filtered_to_unencrypted() {
    let mut app = loaded_app();
    chars(&mut app, "u");
    let t = render(&mut app, 100, 30);
    let screen = t.backend().to_string();
    assert!(screen.contains("filter: unencrypted only"));
    assert!(
        !screen.contains("● TLS  "),
        "no encrypted message is listed"
    );
    insta::assert_snapshot!(t.backend());
}

#[test]
fn detail_of_a_plaintext_hop() {
    let mut app = loaded_app();
    chars(&mut app, "/Acme");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    let t = render(&mut app, 100, 30);
    let screen = t.backend().to_string();
    assert!(screen.contains("Verdict: PLAINTEXT"));
    assert!(screen.contains("plaintext (keyword)"));
    insta::assert_snapshot!(t.backend());
}

#[test]
fn raw_headers_view() {
    let mut app = loaded_app();
    chars(&mut app, "/Summit");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    chars(&mut app, "h");
    let t = render(&mut app, 100, 30);
    assert!(t.backend().to_string().contains("Raw headers"));
    insta::assert_snapshot!(t.backend());
}

#[test]
fn help_overlay() {
    let mut app = loaded_app();
    chars(&mut app, "?");
    insta::assert_snapshot!(render(&mut app, 100, 30).backend());
}

/// An app 20 messages into a load of `total` (live: a sync; else: files).
fn partly_loaded(label: &str, live: bool, total: Option<usize>) -> App {
    let mut app = App::new(label, live);
    let _ = app.start();
    let id = app.request_id;
    let reports: Vec<_> = sources::demo()
        .iter()
        .take(20)
        .map(|m| parse_message(&m.source, &m.headers, &AnalysisOptions::default()))
        .collect();
    app.update(AppEvent::Load(LoadEvent::Progress {
        request_id: id,
        done: 0,
        total,
    }));
    app.update(AppEvent::Load(LoadEvent::Batch {
        request_id: id,
        reports,
    }));
    app
}

#[test]
fn syncing_with_progress() {
    let mut app = partly_loaded("work/INBOX", true, Some(50));
    let t = render(&mut app, 100, 30);
    assert!(t.backend().to_string().contains("syncing 20/50"));
    insta::assert_snapshot!(t.backend());
}

#[test]
fn loading_files_of_unknown_count_shows_a_count_and_no_gauge() {
    let mut app = partly_loaded("inbox/", false, None);
    let screen = render(&mut app, 100, 30).backend().to_string();
    let header = screen.lines().next().unwrap();
    assert!(header.contains("loading 20 …"), "{header}");
    assert!(!header.contains('%'), "no gauge without a total: {header}");
}

#[test]
fn error_banner() {
    let mut app = App::new("work/INBOX", true);
    let _ = app.start();
    app.update(AppEvent::Load(LoadEvent::Failed {
        request_id: app.request_id,
        message: "cannot log in to imap.example.org:993 as me@example.org: wrong password (run `hopscope login work`)".into(),
    }));
    let t = render(&mut app, 100, 30);
    insta::assert_snapshot!(t.backend());
    // The message wraps, so what to do, at its end, is on screen at any usual width.
    for (w, h) in [(100, 30), (80, 24), (60, 20)] {
        let rows = screen_rows(&render(&mut app, w, h));
        let list = rows.iter().position(|r| r.starts_with('┌')).unwrap();
        let banner: Vec<&str> = rows[1..list].iter().map(|r| r.trim()).collect();
        assert!(
            banner
                .join(" ")
                .ends_with("wrong password (run `hopscope login work`) (Esc to dismiss)"),
            "{w}x{h}: {banner:?}"
        );
    }
}

#[test]
fn small_terminal_60x20() {
    let mut app = loaded_app();
    insta::assert_snapshot!("small_list", render(&mut app, 60, 20).backend());
    key(&mut app, KeyCode::Enter);
    insta::assert_snapshot!("small_detail", render(&mut app, 60, 20).backend());
}

#[test]
fn tiny_and_odd_sizes_do_not_panic() {
    let mut app = loaded_app();
    key(&mut app, KeyCode::Enter);
    for (w, h) in [(1, 1), (10, 3), (20, 5), (59, 19), (300, 100), (60, 20)] {
        render(&mut app, w, h);
        chars(&mut app, "h");
        render(&mut app, w, h);
        chars(&mut app, "?");
        render(&mut app, w, h);
        key(&mut app, KeyCode::Esc);
        chars(&mut app, "e");
        render(&mut app, w, h);
        key(&mut app, KeyCode::Esc);
    }
}

/// The rows of the screen, as a person reads them.
fn screen_rows(t: &Terminal<TestBackend>) -> Vec<String> {
    let b = t.backend().buffer();
    (0..b.area.height)
        .map(|y| {
            (0..b.area.width)
                .map(|x| b[(x, y)].symbol())
                .collect::<String>()
        })
        .collect()
}

#[test]
fn classic_80x24_terminal_shows_every_count_and_the_help_key() {
    let mut app = loaded_app();
    let rows = screen_rows(&render(&mut app, 80, 24));
    let (header, footer) = (&rows[0], &rows[23]);
    // The demo's counts: 11 plaintext, 8 unrecorded, 4 weak, 37 encrypted, 6 internal, 2 no hops.
    for count in ["✗ 11", "? 8", "◐ 4", "● 37", "· 6", "∅ 2"] {
        assert!(header.contains(count), "{count} missing from {header:?}");
    }
    assert!(
        footer.contains("? help") && footer.contains("q quit"),
        "{footer:?}"
    );
    // Where everything fits, the labels are spelled out.
    let wide = screen_rows(&render(&mut app, 120, 30));
    assert!(wide[0].contains("✗ PLAIN 11") && wide[0].contains("NO HOPS 2"));
    assert!(wide[29].contains("e export") && wide[29].contains("h raw"));
    // With the detail pane open, the raw toggle is kept over the list's keys.
    key(&mut app, KeyCode::Enter);
    let footer = screen_rows(&render(&mut app, 60, 20)).pop().unwrap();
    assert!(
        footer.contains("h raw") && footer.contains("? help"),
        "{footer:?}"
    );
}

#[test]
fn raw_headers_wrap_long_lines_and_start_at_the_top_when_they_fit() {
    let mut app = loaded_app();
    chars(&mut app, "/Köln");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    chars(&mut app, "h");
    let rows = screen_rows(&render(&mut app, 80, 30));
    let pane = rows.iter().position(|r| r.contains("Raw headers")).unwrap();
    // The newest Received line is the first row: nothing is scrolled away above it.
    assert!(
        rows[pane + 1].starts_with("│Received: from mx1.northwind-clinic.example"),
        "{:?}",
        rows[pane + 1]
    );
    // The line is 81 columns: its end is on an indented row of its own, not cut off.
    let at = rows
        .iter()
        .position(|r| r.starts_with("│Received: from mx.latin1-mail.example"))
        .unwrap();
    assert!(
        rows[at + 1].starts_with("│    [2001:db8:1a7::2])"),
        "{:?}",
        rows[at + 1]
    );
}

#[test]
fn help_scrolls_on_a_short_terminal_to_its_last_line() {
    let mut app = loaded_app();
    chars(&mut app, "?");
    let last = "bold = crossed organisations";
    let screen = render(&mut app, 80, 24).backend().to_string();
    assert!(screen.contains("↓ more") && !screen.contains(last));
    key(&mut app, KeyCode::End);
    let screen = render(&mut app, 80, 24).backend().to_string();
    assert!(screen.contains(last) && !screen.contains("↓ more"));
    // The end is where it stops: one key up from there scrolls up at once.
    key(&mut app, KeyCode::Down);
    render(&mut app, 80, 24);
    key(&mut app, KeyCode::Up);
    let screen = render(&mut app, 80, 24).backend().to_string();
    assert!(screen.contains("↓ more") && !screen.contains(last));
    key(&mut app, KeyCode::Home);
    let screen = render(&mut app, 80, 24).backend().to_string();
    assert!(screen.contains("previous message"));
    // Any other key closes it; where it all fits, it says so.
    chars(&mut app, "x");
    assert!(
        !render(&mut app, 80, 24)
            .backend()
            .to_string()
            .contains("Help")
    );
    chars(&mut app, "?");
    let screen = render(&mut app, 100, 40).backend().to_string();
    assert!(screen.contains("Help · any key closes") && screen.contains(last));
}

fn mouse(app: &mut App, kind: MouseEventKind, column: u16, row: u16) {
    app.update(AppEvent::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    }));
}

fn click(app: &mut App, column: u16, row: u16) {
    mouse(app, MouseEventKind::Down(MouseButton::Left), column, row);
}

#[test]
fn clicking_a_message_selects_it_and_a_second_click_opens_it() {
    let mut app = loaded_app();
    let rows = screen_rows(&render(&mut app, 100, 30));
    // Row 0 is the header line, 1 the list's border, 2 its column titles: messages start at 3.
    let y = rows
        .iter()
        .position(|r| r.contains("Cita médica mañana"))
        .unwrap();
    click(&mut app, 40, 2);
    assert_eq!(
        app.selected, 0,
        "a click on the column titles selects nothing"
    );
    click(&mut app, 40, y as u16);
    let screen = render(&mut app, 100, 30).backend().to_string();
    assert!(!screen.contains("Detail ·"), "one click only selects");
    click(&mut app, 40, y as u16);
    let screen = render(&mut app, 100, 30).backend().to_string();
    assert!(screen.contains("Detail · Cita médica mañana"), "{screen}");
    // With the list filtered to a few messages, a click below the last one does nothing, also
    // before the next frame is drawn (the keys and the click came in one burst).
    key(&mut app, KeyCode::Esc);
    chars(&mut app, "/Photo");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.view.len(), 2);
    let before = app.selected;
    click(&mut app, 40, 3 + 2);
    click(&mut app, 40, 3 + 2);
    assert_eq!(app.selected, before);
    assert!(
        !render(&mut app, 100, 30)
            .backend()
            .to_string()
            .contains("Detail ·")
    );
}

fn wheel_down(app: &mut App) {
    mouse(app, MouseEventKind::ScrollDown, 40, 10);
}

#[test]
fn the_wheel_scrolls_the_help_and_leaves_the_list_behind_a_prompt_alone() {
    let mut app = loaded_app();
    chars(&mut app, "?");
    render(&mut app, 80, 24);
    wheel_down(&mut app);
    let screen = render(&mut app, 80, 24).backend().to_string();
    assert!(screen.contains("Help ·"), "the help stays open");
    assert!(
        !screen.contains("previous message"),
        "its first line scrolled away"
    );
    assert_eq!(app.selected, 0, "the list behind it did not move");
    key(&mut app, KeyCode::Esc);
    chars(&mut app, "e");
    wheel_down(&mut app);
    assert_eq!(app.selected, 0, "nor behind the export prompt");
    key(&mut app, KeyCode::Esc);
    wheel_down(&mut app);
    assert_eq!(
        app.selected, 1,
        "with nothing over it, the wheel moves the list"
    );
}

#[test]
fn clicking_a_hop_in_the_detail_pane_selects_it() {
    let mut app = loaded_app();
    // Photo of rash: three hops, the detail opens on hop 2 (the one that decided the verdict).
    chars(&mut app, "/Photo of rash");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    for (w, h) in [(100, 40), (80, 24)] {
        let rows = screen_rows(&render(&mut app, w, h));
        assert!(rows.iter().any(|r| r.contains("hop 2: from")), "{rows:#?}");
        let y = rows.iter().position(|r| r.starts_with("│1  ")).unwrap();
        click(&mut app, 10, y as u16);
        assert_eq!(app.hop_selected, 0, "{w}x{h}");
        let rows = screen_rows(&render(&mut app, w, h));
        assert!(rows.iter().any(|r| r.contains("hop 1: from")), "{rows:#?}");
        // The rows below the last hop are not hops.
        let y = rows.iter().position(|r| r.starts_with("│3  ")).unwrap();
        click(&mut app, 10, y as u16 + 2);
        assert_eq!(app.hop_selected, 0, "{w}x{h}");
        click(&mut app, 10, y as u16);
        assert_eq!(app.hop_selected, 2, "{w}x{h}");
        // Back on hop 2 for the next size.
        key(&mut app, KeyCode::Up);
    }
}

#[test]
fn messages_from_an_earlier_year_show_their_year() {
    let message = |date: &str, subject: &str| {
        let headers = format!(
            "Received: from mx.example.org (mx.example.org [192.0.2.1])\r\n\tby mx.example.net (Postfix) with ESMTPS id 1;\r\n\t{date}\r\nDate: {date}\r\nSubject: {subject}\r\n\r\n"
        );
        parse_message(subject, headers.as_bytes(), &AnalysisOptions::default())
    };
    let mut app = App::new("archive", false);
    let _ = app.start();
    app.update(AppEvent::Load(LoadEvent::Batch {
        request_id: app.request_id,
        reports: vec![
            message("Mon, 10 Oct 2022 15:11:35 -0500", "old news"),
            message("Tue, 3 Nov 2026 09:05:00 +0000", "this year"),
        ],
    }));
    let rows = screen_rows(&render(&mut app, 100, 12));
    let row_of = |subject: &str| rows.iter().find(|r| r.contains(subject)).cloned().unwrap();
    // The newest message's year goes without saying; any other year is written out.
    assert!(row_of("this year").contains("11-03 09:05"), "{rows:#?}");
    assert!(row_of("old news").contains("2022-10-10"), "{rows:#?}");
}

#[test]
fn a_long_source_label_gives_way_to_the_counts() {
    let label = "/home/ana/Mail/archive/2019/clinic-correspondence, /home/ana/Mail/archive/2020/lab-results";
    let mut app = loaded_app_named(label);
    let rows = screen_rows(&render(&mut app, 80, 24));
    let header = &rows[0];
    // Every count stays on screen; the label keeps its end, the most specific part.
    assert!(header.contains("✗ 11 ? 8 ◐ 4 ● 37 · 6 ∅ 2"), "{header}");
    assert!(
        header.contains("…") && header.contains("lab-results │"),
        "{header}"
    );
    // With room, the label is whole.
    let wide = screen_rows(&render(&mut app, 200, 24));
    assert!(wide[0].contains(label), "{}", wide[0]);
}
