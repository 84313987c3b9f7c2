#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests and their helpers fail loudly"
)]
//! App logic without a terminal: events in, state and effects out.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};
use hopscope::{
    analysis::{AnalysisOptions, MessageReport, Verdict, analyze_mailbox, parse_message},
    sources,
    ui::{
        app::{App, LoadState, Overlay, Pane, SortKey},
        event::{AppEvent, Effect, LoadEvent},
        jobs::Job,
        row::Row,
    },
};

/// Feeds an event and carries out the worker jobs it asks for, inline, as the runtime would on
/// a thread. Returns the other effects.
fn step(app: &mut App, event: AppEvent) -> Vec<Effect> {
    let mut rest = Vec::new();
    let mut pending = app.update(event);
    while let Some(effect) = pending.pop() {
        match effect {
            Effect::Job(job) => pending.extend(app.update(job.run())),
            other => rest.push(other),
        }
    }
    rest
}

fn demo_reports() -> Vec<MessageReport> {
    sources::demo()
        .iter()
        .map(|m| parse_message(&m.source, &m.headers, &AnalysisOptions::default()))
        .collect()
}

fn loaded() -> App {
    let mut app = App::new("demo", false);
    let effects = app.start();
    assert!(effects.contains(&Effect::Load {
        request_id: 1,
        mailbox: None
    }));
    app.update(AppEvent::Load(LoadEvent::Batch {
        request_id: 1,
        reports: demo_reports(),
    }));
    step(
        &mut app,
        AppEvent::Load(LoadEvent::Finished { request_id: 1 }),
    );
    app
}

fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(AppEvent::Key(KeyEvent::from(code)))
}

fn type_str(app: &mut App, s: &str) {
    for c in s.chars() {
        press(app, KeyCode::Char(c));
    }
}

#[test]
fn batches_fill_the_list_and_finish_sets_ready() {
    let mut app = App::new("demo", false);
    app.start();
    let reports = demo_reports();
    let (a, b) = reports.split_at(30);
    app.update(AppEvent::Load(LoadEvent::Progress {
        request_id: 1,
        done: 0,
        total: Some(68),
    }));
    app.update(AppEvent::Load(LoadEvent::Batch {
        request_id: 1,
        reports: a.to_vec(),
    }));
    assert_eq!(app.view.len(), 30);
    assert_eq!(
        app.load,
        LoadState::Loading {
            done: 30,
            total: Some(68)
        }
    );
    app.update(AppEvent::Load(LoadEvent::Batch {
        request_id: 1,
        reports: b.to_vec(),
    }));
    let effects = app.update(AppEvent::Load(LoadEvent::Finished { request_id: 1 }));
    let [Effect::Job(job @ Job::Refine { .. })] = effects.as_slice() else {
        panic!("rows with unrecorded hops are re-decided on a worker: {effects:?}")
    };
    assert!(
        matches!(app.load, LoadState::Loading { .. }),
        "still working until the rows are re-decided"
    );
    app.update(job.clone().run());
    assert_eq!(app.load, LoadState::Ready);
    assert_eq!(app.view.len(), reports.len());
    // Every row now says what analysing the whole mailbox at once says.
    let demo = sources::demo();
    let whole = analyze_mailbox(
        demo.iter()
            .map(|m| (m.source.as_str(), m.headers.as_slice())),
        &AnalysisOptions::default(),
    );
    let rows: Vec<Verdict> = app.rows.iter().map(|r| r.verdict).collect();
    let expected: Vec<Verdict> = whole.iter().map(|r| r.verdict).collect();
    assert_eq!(rows, expected);
}

#[test]
fn a_row_reanalysed_on_demand_is_the_report_it_came_from() {
    // The list keeps summaries; the detail pane and the export re-analyse the header text.
    let demo = sources::demo();
    let whole = analyze_mailbox(
        demo.iter()
            .map(|m| (m.source.as_str(), m.headers.as_slice())),
        &AnalysisOptions::default(),
    );
    let stats = hopscope::analysis::ReceiverStats::from_reports(whole.iter());
    for report in &whole {
        let again = Row::from_report(report).analyse(&stats, &AnalysisOptions::default());
        assert_eq!(&again, report, "{}", report.source);
    }
}

#[test]
fn mailbox_basis_appears_once_the_whole_mailbox_is_in() {
    // Riverbend messages without a TLS note are plaintext only because the same Proofpoint host
    // recorded TLS on other messages: loading them alone leaves them unrecorded or provider-based.
    let mut app = loaded();
    app.selected = app
        .view
        .iter()
        .position(|&i| app.rows[i].subject() == Some("Care team update for Daniel Kowalski"))
        .unwrap();
    assert_eq!(app.selected_row().unwrap().verdict, Verdict::Plaintext);
    let r = app.selected_report().unwrap();
    assert_eq!(r.verdict, Verdict::Plaintext);
    assert!(
        r.reasons
            .iter()
            .any(|s| s.contains("recorded TLS on 3 other messages")),
        "{:?}",
        r.reasons
    );
}

#[test]
fn stale_batches_are_dropped() {
    let mut app = loaded();
    let effects = press(&mut app, KeyCode::Char('r'));
    assert!(effects.contains(&Effect::Load {
        request_id: 2,
        mailbox: None
    }));
    assert!(app.rows.is_empty());
    app.update(AppEvent::Load(LoadEvent::Batch {
        request_id: 1,
        reports: demo_reports(),
    }));
    step(
        &mut app,
        AppEvent::Load(LoadEvent::Finished { request_id: 1 }),
    );
    assert!(
        app.rows.is_empty(),
        "a batch for request 1 arrived after request 2 started"
    );
    assert!(matches!(app.load, LoadState::Loading { .. }));
}

/// The loader's notice (files skipped as not mail) shows in the status line until the next
/// key; one from a superseded load is dropped.
#[test]
fn a_notice_shows_until_the_next_key() {
    let mut app = loaded();
    let notice = |request_id, message: &str| {
        AppEvent::Load(LoadEvent::Notice {
            request_id,
            message: message.to_string(),
        })
    };
    app.update(notice(1, "skipped notes.txt: not a message"));
    assert_eq!(
        app.status.as_deref(),
        Some("skipped notes.txt: not a message")
    );
    press(&mut app, KeyCode::Down);
    assert_eq!(app.status, None);
    app.update(notice(0, "from an older load"));
    assert_eq!(app.status, None);
}

#[test]
fn unencrypted_filter_and_verdict_cycle() {
    let mut app = loaded();
    press(&mut app, KeyCode::Char('u'));
    assert!(!app.view.is_empty());
    assert!(
        app.view
            .iter()
            .all(|&i| app.rows[i].verdict.is_unencrypted())
    );
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(app.view.len(), app.rows.len());
    press(&mut app, KeyCode::Char('v'));
    assert_eq!(app.filter.verdict, Some(Verdict::Plaintext));
    assert!(
        app.view
            .iter()
            .all(|&i| app.rows[i].verdict == Verdict::Plaintext)
    );
    for _ in 0..Verdict::ALL.len() {
        press(&mut app, KeyCode::Char('v'));
    }
    assert_eq!(
        app.filter.verdict, None,
        "cycling past the last verdict clears the filter"
    );
}

#[test]
fn search_matches_sender_subject_and_hosts_as_you_type() {
    let mut app = loaded();
    press(&mut app, KeyCode::Char('/'));
    type_str(&mut app, "pphosted");
    assert!(app.searching);
    assert_eq!(
        app.view.len(),
        8,
        "six Riverbend and two Summit Dental messages went through Proofpoint"
    );
    press(&mut app, KeyCode::Enter);
    assert!(!app.searching);
    assert_eq!(app.filter.search, "pphosted");
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.view.len(), app.rows.len(), "Esc clears the search");
}

#[test]
fn sort_cycles_and_keeps_selection() {
    let mut app = loaded();
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Char('j'));
    let chosen = app.view[app.selected];
    press(&mut app, KeyCode::Char('s'));
    assert_eq!(app.sort, SortKey::Verdict);
    assert_eq!(app.view[app.selected], chosen);
    let verdicts: Vec<Verdict> = app.view.iter().map(|&i| app.rows[i].verdict).collect();
    assert!(verdicts.windows(2).all(|w| w[0] <= w[1]), "worst first");
    press(&mut app, KeyCode::Char('s'));
    assert_eq!(app.sort, SortKey::SenderDomain);
    press(&mut app, KeyCode::Char('s'));
    assert_eq!(app.sort, SortKey::Date);
}

#[test]
fn movement_keys_and_mouse_wheel() {
    let mut app = loaded();
    app.page_rows = 10;
    press(&mut app, KeyCode::Down);
    assert_eq!(app.selected, 1);
    press(&mut app, KeyCode::PageDown);
    assert_eq!(app.selected, 11);
    press(&mut app, KeyCode::Char('G'));
    assert_eq!(app.selected, app.view.len() - 1);
    press(&mut app, KeyCode::Home);
    assert_eq!(app.selected, 0);
    press(&mut app, KeyCode::Up);
    assert_eq!(app.selected, 0, "no wrap-around above the first message");
    let wheel = MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: 0,
        row: 0,
        modifiers: KeyModifiers::NONE,
    };
    app.update(AppEvent::Mouse(wheel));
    assert_eq!(app.selected, 1);
}

#[test]
fn enter_opens_detail_on_the_deciding_hop_and_esc_closes() {
    let mut app = loaded();
    press(&mut app, KeyCode::Char('/'));
    type_str(&mut app, "Summit");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    assert!(app.detail_open);
    assert_eq!(app.focus, Pane::Detail);
    let hop = app.hop_selected;
    let r = app.selected_report().unwrap();
    assert_eq!(r.hops[hop].status.as_str(), "plaintext");
    press(&mut app, KeyCode::Down);
    assert_eq!(
        app.hop_selected, 1,
        "arrows move between hops while the detail pane has focus"
    );
    press(&mut app, KeyCode::Char('h'));
    assert!(app.raw_view);
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, Pane::List);
    press(&mut app, KeyCode::Esc);
    assert!(!app.detail_open);
    assert!(!app.raw_view);
}

#[test]
fn export_writes_what_is_listed_with_the_filter() {
    let mut app = loaded();
    press(&mut app, KeyCode::Char('u'));
    let listed = app.view.len();
    press(&mut app, KeyCode::Char('e'));
    let Overlay::Export(prompt) = &app.overlay else {
        panic!("export prompt expected")
    };
    assert!(prompt.path.ends_with(".md"));
    press(&mut app, KeyCode::Tab);
    let Overlay::Export(prompt) = &app.overlay else {
        panic!()
    };
    assert!(
        prompt.path.ends_with(".html"),
        "the default path follows the format"
    );
    for _ in 0..prompt.path.len() {
        press(&mut app, KeyCode::Backspace);
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.html");
    type_str(&mut app, out.to_str().unwrap());
    let effects = press(&mut app, KeyCode::Enter);
    let [Effect::Job(job @ Job::Export { .. })] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert!(!out.exists(), "the UI thread writes nothing itself");
    app.update(job.clone().run());
    assert_eq!(
        app.status.as_deref(),
        Some(format!("wrote {listed} messages to {}", out.display()).as_str())
    );
    let contents = std::fs::read_to_string(&out).unwrap();
    assert!(contents.contains("unencrypted only"));
    assert!(contents.starts_with("<!doctype html>"));
    // One table row per listed message, each with its verdict, and nothing filtered out.
    let messages = contents.split("<h2>Messages</h2>").nth(1).unwrap();
    assert_eq!(messages.matches("<td class=\"").count(), listed);
    for verdict in ["plaintext", "unrecorded", "weak"] {
        assert!(
            messages.contains(&format!("class=\"{verdict}\"")),
            "{verdict}"
        );
    }
    for verdict in ["encrypted", "internal", "no_hops"] {
        assert!(
            !messages.contains(&format!("class=\"{verdict}\"")),
            "{verdict}"
        );
    }
}

#[test]
fn export_asks_before_replacing_a_file_and_edits_ask_again() {
    let mut app = loaded();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("kept.md");
    std::fs::write(&out, "an earlier report").unwrap();
    press(&mut app, KeyCode::Char('e'));
    let Overlay::Export(prompt) = &app.overlay else {
        panic!("export prompt expected")
    };
    for _ in 0..prompt.path.chars().count() {
        press(&mut app, KeyCode::Backspace);
    }
    type_str(&mut app, out.to_str().unwrap());
    step(&mut app, AppEvent::Key(KeyEvent::from(KeyCode::Enter)));
    // Nothing written: the prompt is back, saying the file exists.
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "an earlier report");
    let Overlay::Export(prompt) = &app.overlay else {
        panic!("the prompt should ask, got {:?}", app.overlay)
    };
    assert!(prompt.exists && prompt.path == out.to_str().unwrap());
    assert_eq!(app.status, None);
    // Editing the path asks again, for another existing file or for the same name typed back.
    let other = dir.path().join("kept.mdx");
    std::fs::write(&other, "another report").unwrap();
    type_str(&mut app, "x");
    step(&mut app, AppEvent::Key(KeyEvent::from(KeyCode::Enter)));
    assert_eq!(std::fs::read_to_string(&other).unwrap(), "another report");
    assert!(matches!(&app.overlay, Overlay::Export(p) if p.exists));
    press(&mut app, KeyCode::Backspace);
    step(&mut app, AppEvent::Key(KeyEvent::from(KeyCode::Enter)));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "an earlier report");
    assert!(matches!(&app.overlay, Overlay::Export(p) if p.exists && p.path.ends_with("kept.md")));
    // Enter on the question replaces the file.
    step(&mut app, AppEvent::Key(KeyEvent::from(KeyCode::Enter)));
    assert_eq!(app.overlay, Overlay::None);
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .starts_with("# hopscope report")
    );
    assert!(
        app.status
            .as_deref()
            .unwrap()
            .starts_with("wrote 68 messages to")
    );
}

#[test]
fn load_failure_shows_a_banner_and_keeps_what_arrived() {
    let mut app = App::new("work/INBOX", true);
    app.start();
    let some: Vec<_> = demo_reports().into_iter().take(5).collect();
    app.update(AppEvent::Load(LoadEvent::Batch {
        request_id: 1,
        reports: some,
    }));
    app.update(AppEvent::Load(LoadEvent::Failed {
        request_id: 1,
        message: "connection lost".into(),
    }));
    assert_eq!(app.banner.as_deref(), Some("connection lost"));
    assert_eq!(app.view.len(), 5);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.banner, None);
}

#[test]
fn mailbox_picker_switches_and_reloads() {
    let mut app = App::new("work", true);
    app.start();
    app.update(AppEvent::Load(LoadEvent::Mailboxes {
        names: vec!["INBOX".into(), "Archive".into()],
    }));
    press(&mut app, KeyCode::Char('m'));
    assert!(matches!(
        app.overlay,
        Overlay::MailboxPicker { selected: 0 }
    ));
    press(&mut app, KeyCode::Down);
    let effects = press(&mut app, KeyCode::Enter);
    assert!(effects.contains(&Effect::Load {
        request_id: 2,
        mailbox: Some("Archive".into())
    }));
    assert_eq!(app.mailbox.as_deref(), Some("Archive"));
    // The mouse wheel moves the picker's choice too.
    press(&mut app, KeyCode::Char('m'));
    let wheel = |kind| {
        AppEvent::Mouse(MouseEvent {
            kind,
            column: 10,
            row: 5,
            modifiers: KeyModifiers::NONE,
        })
    };
    app.update(wheel(MouseEventKind::ScrollDown));
    assert!(matches!(
        app.overlay,
        Overlay::MailboxPicker { selected: 1 }
    ));
    app.update(wheel(MouseEventKind::ScrollUp));
    assert!(matches!(
        app.overlay,
        Overlay::MailboxPicker { selected: 0 }
    ));
}

#[test]
fn quit_from_anywhere() {
    let mut app = loaded();
    let effects = press(&mut app, KeyCode::Char('q'));
    assert!(effects.contains(&Effect::Quit));
    let mut app = loaded();
    press(&mut app, KeyCode::Char('/'));
    let effects = app.update(AppEvent::Key(KeyEvent::new(
        KeyCode::Char('c'),
        KeyModifiers::CONTROL,
    )));
    assert!(effects.contains(&Effect::Quit));
}
