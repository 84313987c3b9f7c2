#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests and their helpers fail loudly"
)]
//! Whole-screen snapshots of the terminal UI, drawn on ratatui's TestBackend from the demo
//! mailbox. Colours are not in the snapshots, which is why every status also has a glyph.

use crossterm::event::{KeyCode, KeyEvent};
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
    let mut app = App::new("demo", false);
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
    assert!(t.backend().to_string().contains("hopscope login work"));
    insta::assert_snapshot!(t.backend());
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
