//! The terminal UI: runtime (terminal lifecycle, threads, event loop) around a pure `App`.
//!
//! Threads: an input thread turns terminal events into `AppEvent`s; loads and syncs run on
//! worker threads (`loader`); the main thread owns the `App`, applies every pending event, then
//! draws once. Effects returned by `App::update` (start a load, write a file, quit) are carried
//! out here, never inside the app.

pub mod app;
pub mod detail;
pub mod draw;
pub mod event;
pub mod imap_source;
pub mod jobs;
pub mod keys;
pub mod list;
pub mod loader;
pub mod row;
pub mod theme;
pub mod timeline;

use std::{
    io,
    sync::{Arc, mpsc},
};

use anyhow::Result;
use crossterm::{
    event::{self as ct, DisableMouseCapture, EnableMouseCapture, Event, KeyEventKind},
    execute,
};

use self::{
    app::App,
    event::{AppEvent, Effect},
    jobs::Job,
    loader::{LoadRunner, MailSource},
    theme::Theme,
};

pub struct UiOptions {
    pub label: String,
    pub live: bool,
    pub color: bool,
    pub mailbox: Option<String>,
    /// The options the source analyses with; the app re-analyses rows with the same ones.
    pub analysis: crate::analysis::AnalysisOptions,
}

/// Restores the terminal when dropped, whatever way `run` ends.
struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        let _ = execute!(io::stdout(), DisableMouseCapture);
        ratatui::restore();
    }
}

pub fn run(source: Arc<dyn MailSource>, options: UiOptions) -> Result<()> {
    // ratatui::init also installs a panic hook that restores the terminal before the message.
    let mut terminal = ratatui::try_init()?;
    let _guard = TerminalGuard;
    execute!(io::stdout(), EnableMouseCapture)?;
    let theme = Theme::new(options.color);

    // Bounded: a loader that runs ahead of a slow terminal waits instead of queueing batches of
    // reports without limit (each batch is a few MB).
    let (tx, rx) = mpsc::sync_channel::<AppEvent>(8);
    spawn_input_thread(tx.clone());
    let mut runner = LoadRunner::new(source, tx.clone());

    let mut app = App::new(options.label, options.live);
    app.mailbox = options.mailbox;
    app.options = Arc::new(options.analysis);
    // Exports still writing when the user quits: waited for, so no report is cut short.
    let mut writers = Vec::new();
    let effects = app.start();
    apply_effects(effects, &mut runner, &tx, &mut writers);
    loop {
        terminal.draw(|f| draw::draw(f, &mut app, &theme))?;
        let Ok(first) = rx.recv() else { break };
        let mut effects = app.update(first);
        // Drain everything already queued, then draw once: a burst of batches or key repeats
        // costs one frame.
        while let Ok(ev) = rx.try_recv() {
            effects.extend(app.update(ev));
        }
        apply_effects(effects, &mut runner, &tx, &mut writers);
        if app.should_quit {
            break;
        }
    }
    // Nobody reads events any more: dropping the receiver makes a worker blocked on a full
    // channel fail its send and finish, so joining it cannot hang.
    drop(rx);
    runner.shutdown();
    for w in writers {
        let _ = w.join();
    }
    Ok(())
}

fn apply_effects(
    effects: Vec<Effect>,
    runner: &mut LoadRunner,
    tx: &mpsc::SyncSender<AppEvent>,
    writers: &mut Vec<std::thread::JoinHandle<()>>,
) {
    for effect in effects {
        match effect {
            Effect::Load {
                request_id,
                mailbox,
            } => runner.start(request_id, mailbox),
            Effect::Cancel => runner.cancel(),
            Effect::Job(job) => {
                let tx = tx.clone();
                let writes = matches!(job, Job::Export { .. });
                let handle = std::thread::spawn(move || {
                    let _ = tx.send(job.run());
                });
                if writes {
                    writers.retain(|w| !w.is_finished());
                    writers.push(handle);
                }
            }
            Effect::Quit => {}
        }
    }
}

fn spawn_input_thread(tx: mpsc::SyncSender<AppEvent>) {
    std::thread::spawn(move || {
        loop {
            let event = match ct::read() {
                Ok(Event::Key(k)) if k.kind == KeyEventKind::Press => AppEvent::Key(k),
                Ok(Event::Mouse(m)) => AppEvent::Mouse(m),
                Ok(Event::Resize(..)) => AppEvent::Resize,
                Ok(_) => continue,
                Err(_) => break,
            };
            if tx.send(event).is_err() {
                break;
            }
        }
    });
}
