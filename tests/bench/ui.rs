#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "benchmarks fail loudly"
)]
//! Terminal UI speed with 50,000 messages: time to the first frame after the headers are in
//! memory (the list fills batch by batch), a key press (update + full redraw), a search
//! keystroke, and resident memory once everything is loaded. Drawn on ratatui's TestBackend at
//! 120x40, which does the same layout and buffer work as a real terminal minus the write.
//!
//!     cargo bench --bench ui

// The same allocator as the binary (src/main.rs), so the figures are the program's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "generate.rs"]
mod generate;

use std::{hint::black_box, time::Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent};
use hopscope::{
    analysis::{AnalysisOptions, parse_message},
    ui::{
        app::App,
        draw::draw,
        event::{AppEvent, Effect, LoadEvent},
        loader::BATCH,
        theme::Theme,
    },
};
use ratatui::{Terminal, backend::TestBackend};

const N: usize = 50_000;

fn rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

fn load_all(messages: &[Vec<u8>]) -> App {
    let mut app = App::new("bench", true);
    let _ = app.start();
    let id = app.request_id;
    for (n, chunk) in messages.chunks(BATCH).enumerate() {
        let reports = chunk
            .iter()
            .enumerate()
            .map(|(i, m)| {
                parse_message(
                    &format!("bench/INBOX/{}", n * BATCH + i),
                    m,
                    &AnalysisOptions::default(),
                )
            })
            .collect();
        app.update(AppEvent::Load(LoadEvent::Batch {
            request_id: id,
            reports,
        }));
    }
    for effect in app.update(AppEvent::Load(LoadEvent::Finished { request_id: id })) {
        if let Effect::Job(job) = effect {
            app.update(job.run());
        }
    }
    app
}

fn bench(c: &mut Criterion) {
    let messages = generate::generate(N);
    let theme = Theme::new(true);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();

    // First frame: the first batch parsed and drawn, as the UI does while a load runs.
    let before = rss_mb();
    let start = Instant::now();
    let mut app = App::new("bench", true);
    let _ = app.start();
    let first: Vec<_> = messages[..BATCH]
        .iter()
        .map(|m| parse_message("bench", m, &AnalysisOptions::default()))
        .collect();
    app.update(AppEvent::Load(LoadEvent::Batch {
        request_id: app.request_id,
        reports: first,
    }));
    terminal.draw(|f| draw(f, &mut app, &theme)).unwrap();
    let first_frame = start.elapsed();

    let start = Instant::now();
    let mut app = load_all(&messages);
    terminal.draw(|f| draw(f, &mut app, &theme)).unwrap();
    let full_load = start.elapsed();
    eprintln!(
        "ui: first frame after {:.1} ms; all {N} messages analysed and drawn after {:.0} ms; resident memory {:.0} MB (process), {:.0} MB for the loaded app",
        first_frame.as_secs_f64() * 1000.0,
        full_load.as_secs_f64() * 1000.0,
        rss_mb(),
        rss_mb() - before
    );

    c.bench_function("key_j_and_redraw_50k", |b| {
        b.iter(|| {
            app.update(AppEvent::Key(KeyEvent::from(KeyCode::Char('j'))));
            terminal.draw(|f| draw(f, &mut app, &theme)).unwrap();
        });
    });
    c.bench_function("toggle_unencrypted_filter_and_redraw_50k", |b| {
        b.iter(|| {
            app.update(AppEvent::Key(KeyEvent::from(KeyCode::Char('u'))));
            terminal.draw(|f| draw(f, &mut app, &theme)).unwrap();
        });
    });
    app.update(AppEvent::Key(KeyEvent::from(KeyCode::Char('/'))));
    c.bench_function("search_keystroke_and_redraw_50k", |b| {
        b.iter(|| {
            app.update(AppEvent::Key(KeyEvent::from(KeyCode::Char('x'))));
            app.update(AppEvent::Key(KeyEvent::from(KeyCode::Backspace)));
            terminal.draw(|f| draw(f, &mut app, &theme)).unwrap();
        });
    });
    app.update(AppEvent::Key(KeyEvent::from(KeyCode::Esc)));
    // A different message every time: the detail pane re-analyses its header text.
    c.bench_function("next_message_open_detail_and_redraw_50k", |b| {
        b.iter(|| {
            app.update(AppEvent::Key(KeyEvent::from(KeyCode::Char('j'))));
            app.update(AppEvent::Key(KeyEvent::from(KeyCode::Enter)));
            terminal.draw(|f| draw(f, &mut app, &theme)).unwrap();
            app.update(AppEvent::Key(KeyEvent::from(KeyCode::Esc)));
        });
    });
    black_box(&app);
}

criterion_group!(benches, bench);
criterion_main!(benches);
