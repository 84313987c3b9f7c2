//! Keys typed while a prompt or overlay has the keyboard: the search line, the export prompt,
//! the mailbox picker and the help. Each takes the key and the overlay's state, and leaves the overlay
//! open, changed or closed.

use std::{path::PathBuf, sync::Arc};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{App, ExportPrompt, Overlay};
use crate::{
    report::{ReportContext, ReportFormat},
    ui::{
        event::Effect,
        jobs::Job,
        keys::{Action, action_for},
    },
};

impl App {
    pub(super) fn on_search_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        match key.code {
            KeyCode::Esc => {
                self.searching = false;
                self.filter.search.clear();
            }
            KeyCode::Enter => self.searching = false,
            KeyCode::Backspace => {
                self.filter.search.pop();
            }
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                return self.quit();
            }
            KeyCode::Char(c) => self.filter.search.push(c),
            _ => return Vec::new(),
        }
        self.rebuild_view();
        Vec::new()
    }

    pub(super) fn on_export_key(&mut self, key: KeyEvent, mut prompt: ExportPrompt) -> Vec<Effect> {
        match key.code {
            KeyCode::Esc => {
                self.overlay = Overlay::None;
                return Vec::new();
            }
            KeyCode::Tab | KeyCode::BackTab => {
                let i = ReportFormat::ALL
                    .iter()
                    .position(|f| *f == prompt.format)
                    .unwrap_or(0);
                prompt.format = ReportFormat::ALL[(i + 1) % ReportFormat::ALL.len()];
                prompt.exists = false;
                if !prompt.edited {
                    prompt.path = default_export_path(&self.source_label, prompt.format);
                }
            }
            KeyCode::Backspace => {
                prompt.path.pop();
                prompt.edited = true;
                prompt.exists = false;
            }
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                return self.quit();
            }
            KeyCode::Char(c) => {
                prompt.path.push(c);
                prompt.edited = true;
                prompt.exists = false;
            }
            KeyCode::Enter => {
                self.overlay = Overlay::None;
                if prompt.path.trim().is_empty() {
                    self.banner = Some("export cancelled: give a file path".into());
                    return Vec::new();
                }
                // Analysing and rendering 50,000 messages takes seconds: a worker does it.
                return vec![Effect::Job(Job::Export {
                    path: PathBuf::from(prompt.path.trim()),
                    replace: prompt.exists,
                    format: prompt.format,
                    context: ReportContext {
                        source: self.source_label.clone(),
                        filter: self.filter.describe(),
                    },
                    rows: self.view.iter().map(|&i| self.rows[i].clone()).collect(),
                    stats: Arc::clone(&self.stats),
                    options: Arc::clone(&self.options),
                })];
            }
            _ => {}
        }
        self.overlay = Overlay::Export(prompt);
        Vec::new()
    }

    pub(super) fn on_picker_key(&mut self, key: KeyEvent, selected: usize) -> Vec<Effect> {
        let n = self.mailboxes.len();
        match action_for(key) {
            Some(Action::Up) => {
                self.overlay = Overlay::MailboxPicker {
                    selected: selected.saturating_sub(1),
                }
            }
            Some(Action::Down) => {
                self.overlay = Overlay::MailboxPicker {
                    selected: (selected + 1).min(n.saturating_sub(1)),
                }
            }
            Some(Action::Close) => self.overlay = Overlay::None,
            Some(Action::Quit) => return self.quit(),
            Some(Action::Open) => {
                self.overlay = Overlay::None;
                if let Some(name) = self.mailboxes.get(selected).cloned() {
                    self.mailbox = Some(name);
                    return self.begin_load();
                }
            }
            _ => {}
        }
        Vec::new()
    }

    /// In the help, the moving keys and the wheel scroll it (on a short terminal it does not
    /// fit); q quits and any other key closes it. The drawing keeps `scroll` within the text.
    pub(super) fn on_help(&mut self, action: Option<Action>, scroll: usize) -> Vec<Effect> {
        let page = self.page_rows.max(1);
        let scroll = match action {
            Some(Action::Quit) => return self.quit(),
            Some(Action::Up) => scroll.saturating_sub(1),
            Some(Action::Down) => scroll.saturating_add(1),
            Some(Action::PageUp) => scroll.saturating_sub(page),
            Some(Action::PageDown) => scroll.saturating_add(page),
            Some(Action::Top) => 0,
            Some(Action::Bottom) => usize::MAX,
            _ => {
                self.overlay = Overlay::None;
                return Vec::new();
            }
        };
        self.overlay = Overlay::Help { scroll };
        Vec::new()
    }
}

/// The file an export is offered to write: the report and the source in its name, in the
/// working directory.
pub fn default_export_path(source: &str, format: ReportFormat) -> String {
    let stem: String = source
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect::<String>()
        .trim_matches('-')
        .chars()
        .take(40)
        .collect();
    let stem = if stem.is_empty() {
        "mailbox".to_string()
    } else {
        stem
    };
    format!("hopscope-report-{stem}.{}", format.extension())
}
