//! The application state and its one mutation entry point, `App::update`.
//!
//! No IO and no terminal here: events in, state changes and `Effect`s out. That keeps every
//! interaction testable without a terminal, and keeps blocking work off the UI thread.

use std::sync::Arc;

use crossterm::event::{KeyEvent, MouseButton, MouseEventKind};

use super::{
    event::{AppEvent, Effect},
    keys::{Action, action_for},
    row::Row,
};
use crate::{
    analysis::{AnalysisOptions, MessageReport, ReceiverStats, Status, Verdict},
    report::ReportFormat,
};

mod loading;
mod mouse;
mod prompts;
mod view;

pub use mouse::RowsOnScreen;
pub use prompts::default_export_path;
pub use view::{Filter, SortKey};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadState {
    Idle,
    Loading { done: usize, total: Option<usize> },
    Ready,
    Failed(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    List,
    Detail,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportPrompt {
    pub format: ReportFormat,
    pub path: String,
    /// True once the user edited the path: changing the format then keeps their path.
    pub edited: bool,
    /// The path names a file that exists: the next Enter replaces it (editing the path or the
    /// format asks again). A report is never written over another without this.
    pub exists: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    None,
    /// `scroll`: the first help line shown.
    Help {
        scroll: usize,
    },
    Export(ExportPrompt),
    MailboxPicker {
        selected: usize,
    },
}

pub struct App {
    pub source_label: String,
    /// One summary row per loaded message, in load order.
    pub rows: Vec<Row>,
    /// What every message loaded so far says about each receiver; complete once loaded.
    stats: Arc<ReceiverStats>,
    /// Own domains etc., for re-analysing a row (detail pane, export).
    pub options: Arc<AnalysisOptions>,
    /// The selected message's full report, re-analysed from its header text when the
    /// selection or the statistics change: (row index, report).
    detail: Option<(usize, MessageReport)>,
    /// Indices into `rows` after filter and sort.
    pub view: Vec<usize>,
    /// The year of the newest dated message: the list writes dates of this year without it.
    pub newest_year: Option<String>,
    pub selected: usize,
    /// First row the list shows (kept between frames so scrolling is stable).
    pub list_offset: usize,
    pub filter: Filter,
    pub sort: SortKey,
    pub searching: bool,
    pub overlay: Overlay,
    pub detail_open: bool,
    pub focus: Pane,
    pub raw_view: bool,
    pub hop_selected: usize,
    pub load: LoadState,
    pub request_id: u64,
    pub banner: Option<String>,
    pub status: Option<String>,
    pub live: bool,
    pub mailbox: Option<String>,
    pub mailboxes: Vec<String>,
    /// Rows of the message list visible in the last frame (for paging).
    pub page_rows: usize,
    /// Where the list's message rows were drawn in the last frame (for mouse clicks).
    pub list_rows: RowsOnScreen,
    /// Where the detail pane's hop rows were drawn in the last frame (for mouse clicks).
    pub hop_rows: RowsOnScreen,
    /// Loaded messages per verdict, in `Verdict::ALL` order; recounted when the rows change,
    /// not on every frame.
    counts: Vec<(Verdict, usize)>,
    pub should_quit: bool,
}

impl App {
    pub fn new(source_label: impl Into<String>, live: bool) -> Self {
        Self {
            source_label: source_label.into(),
            rows: Vec::new(),
            stats: Arc::default(),
            options: Arc::default(),
            detail: None,
            view: Vec::new(),
            newest_year: None,
            selected: 0,
            list_offset: 0,
            filter: Filter::default(),
            sort: SortKey::Date,
            searching: false,
            overlay: Overlay::None,
            detail_open: false,
            focus: Pane::List,
            raw_view: false,
            hop_selected: 0,
            load: LoadState::Idle,
            request_id: 0,
            banner: None,
            status: None,
            live,
            mailbox: None,
            mailboxes: Vec::new(),
            page_rows: 10,
            list_rows: RowsOnScreen::default(),
            hop_rows: RowsOnScreen::default(),
            counts: Verdict::ALL.iter().map(|v| (*v, 0)).collect(),
            should_quit: false,
        }
    }

    /// The first load: returns the effect that starts it.
    pub fn start(&mut self) -> Vec<Effect> {
        self.begin_load()
    }

    pub fn selected_row(&self) -> Option<&Row> {
        self.view.get(self.selected).and_then(|&i| self.rows.get(i))
    }

    /// The selected message's full report, analysed on first use and kept until the selection
    /// or the mailbox statistics change.
    pub fn selected_report(&mut self) -> Option<&MessageReport> {
        let index = *self.view.get(self.selected)?;
        if self.detail.as_ref().is_none_or(|(i, _)| *i != index) {
            let report = self.rows.get(index)?.analyse(&self.stats, &self.options);
            self.detail = Some((index, report));
        }
        self.detail.as_ref().map(|(_, r)| r)
    }

    /// The report `selected_report` last produced, if it is still the selected message's.
    pub fn current_detail(&self) -> Option<&MessageReport> {
        let index = *self.view.get(self.selected)?;
        self.detail
            .as_ref()
            .filter(|(i, _)| *i == index)
            .map(|(_, r)| r)
    }

    pub fn update(&mut self, event: AppEvent) -> Vec<Effect> {
        match event {
            AppEvent::Key(key) => self.on_key(key),
            AppEvent::Mouse(m) => match m.kind {
                MouseEventKind::ScrollDown => self.on_wheel(Action::Down),
                MouseEventKind::ScrollUp => self.on_wheel(Action::Up),
                MouseEventKind::Down(MouseButton::Left) => self.on_click(m.column, m.row),
                _ => Vec::new(),
            },
            AppEvent::Load(ev) => self.on_load(ev),
            AppEvent::ExportExists { path, format } => {
                // The prompt comes back, asking, unless another overlay took its place.
                if self.overlay == Overlay::None {
                    self.overlay = Overlay::Export(ExportPrompt {
                        format,
                        path: path.to_string_lossy().into_owned(),
                        edited: true,
                        exists: true,
                    });
                } else {
                    self.banner = Some(format!(
                        "not exported: {} exists (export again to replace it)",
                        path.display()
                    ));
                }
                Vec::new()
            }
            AppEvent::Written { result } => {
                match result {
                    Ok((path, n)) => {
                        self.status = Some(format!("wrote {n} messages to {}", path.display()))
                    }
                    Err(e) => self.banner = Some(e),
                }
                Vec::new()
            }
            AppEvent::Resize | AppEvent::Tick => Vec::new(),
        }
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        self.status = None;
        if self.searching {
            return self.on_search_key(key);
        }
        match self.overlay.clone() {
            Overlay::Export(prompt) => return self.on_export_key(key, prompt),
            Overlay::MailboxPicker { selected } => return self.on_picker_key(key, selected),
            Overlay::Help { scroll } => return self.on_help(action_for(key), scroll),
            Overlay::None => {}
        }
        match action_for(key) {
            Some(action) => self.on_action(action),
            None => Vec::new(),
        }
    }

    fn quit(&mut self) -> Vec<Effect> {
        self.should_quit = true;
        vec![Effect::Cancel, Effect::Quit]
    }

    fn on_action(&mut self, action: Action) -> Vec<Effect> {
        let in_detail = self.detail_open && self.focus == Pane::Detail;
        match action {
            Action::Quit => return self.quit(),
            Action::Up if in_detail => self.hop_selected = self.hop_selected.saturating_sub(1),
            Action::Down if in_detail => {
                let hops = self.selected_row().map_or(0, |r| r.marks.len());
                self.hop_selected = (self.hop_selected + 1).min(hops.saturating_sub(1));
            }
            Action::Up => self.move_selection(-1),
            Action::Down => self.move_selection(1),
            Action::PageUp => self.move_selection(-(self.page_rows.max(1) as isize)),
            Action::PageDown => self.move_selection(self.page_rows.max(1) as isize),
            Action::Top => self.move_selection(isize::MIN / 2),
            Action::Bottom => self.move_selection(isize::MAX / 2),
            Action::Open => {
                if let Some(r) = self.selected_row() {
                    // Start on the hop that decided the verdict: the worst one that left an
                    // organisation, else the newest.
                    self.hop_selected = worst_hop(r);
                    self.detail_open = true;
                    self.focus = Pane::Detail;
                }
            }
            Action::Close => self.close(),
            Action::SwitchPane => {
                if self.detail_open {
                    self.focus = if self.focus == Pane::List {
                        Pane::Detail
                    } else {
                        Pane::List
                    };
                }
            }
            Action::ToggleUnencrypted => {
                self.filter.unencrypted_only = !self.filter.unencrypted_only;
                self.rebuild_view();
            }
            Action::CycleVerdict => {
                self.filter.verdict = view::next_verdict(self.filter.verdict);
                self.rebuild_view();
            }
            Action::Search => self.searching = true,
            Action::CycleSort => {
                self.sort = self.sort.next();
                self.rebuild_view();
            }
            Action::PickMailbox => self.open_mailbox_picker(),
            Action::Resync => return self.begin_load(),
            Action::Export => {
                let format = ReportFormat::Md;
                self.overlay = Overlay::Export(ExportPrompt {
                    format,
                    path: default_export_path(&self.source_label, format),
                    edited: false,
                    exists: false,
                });
            }
            Action::ToggleRaw => {
                if self.detail_open {
                    self.raw_view = !self.raw_view;
                }
            }
            Action::Help => self.overlay = Overlay::Help { scroll: 0 },
        }
        Vec::new()
    }

    /// Esc: clears a search first, then closes the detail pane, then dismisses the banner.
    fn close(&mut self) {
        if !self.filter.search.is_empty() && !self.detail_open {
            self.filter.search.clear();
            self.rebuild_view();
        } else if self.detail_open {
            self.detail_open = false;
            self.raw_view = false;
            self.focus = Pane::List;
        } else {
            self.banner = None;
        }
    }

    fn open_mailbox_picker(&mut self) {
        if self.live && !self.mailboxes.is_empty() {
            let current = self
                .mailbox
                .as_ref()
                .and_then(|m| self.mailboxes.iter().position(|x| x == m));
            self.overlay = Overlay::MailboxPicker {
                selected: current.unwrap_or(0),
            };
        } else if self.live {
            self.status = Some("the mailbox list is still loading".into());
        } else {
            self.status = Some("mailboxes can be picked only for a live account".into());
        }
    }

    fn move_selection(&mut self, delta: isize) {
        if self.view.is_empty() {
            self.selected = 0;
            return;
        }
        let max = self.view.len() - 1;
        let next = (self.selected as isize)
            .saturating_add(delta)
            .clamp(0, max as isize);
        if next as usize != self.selected {
            self.hop_selected = 0;
        }
        self.selected = next as usize;
    }
}

fn worst_hop(r: &Row) -> usize {
    r.marks
        .iter()
        .enumerate()
        .filter(|(_, h)| h.status != Status::Internal)
        .max_by_key(|(i, h)| (h.status, *i))
        .map_or(r.marks.len().saturating_sub(1), |(i, _)| i)
}
