//! The mouse: the wheel moves what ↑ and ↓ would, a click selects a message or a hop. Where
//! things were drawn comes from the last frame (`list_rows`, `hop_rows`).

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Position, Rect};

use super::{App, Overlay, Pane};
use crate::ui::{event::Effect, keys::Action};

/// Where a list's rows were drawn in the last frame, for mouse clicks: their screen area (below
/// any column header), the index of the first one shown (lists scroll), and the screen rows each
/// takes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RowsOnScreen {
    pub area: Rect,
    pub offset: usize,
    pub row_height: u16,
}

impl RowsOnScreen {
    /// The index of the item drawn at (`column`, `row`), if any.
    pub fn index_at(&self, column: u16, row: u16) -> Option<usize> {
        if !self.area.contains(Position::new(column, row)) {
            return None;
        }
        let rows = (row - self.area.y) / self.row_height.max(1);
        Some(self.offset + usize::from(rows))
    }
}

impl App {
    /// The wheel moves what ↑ and ↓ would: the list or the hops, the help's text, the mailbox
    /// picker's choice; under the export prompt it does nothing (the list behind stays put).
    pub(super) fn on_wheel(&mut self, action: Action) -> Vec<Effect> {
        let key = KeyEvent::from(if action == Action::Up {
            KeyCode::Up
        } else {
            KeyCode::Down
        });
        match self.overlay {
            Overlay::None => self.on_action(action),
            Overlay::Help { scroll } => self.on_help(Some(action), scroll),
            Overlay::MailboxPicker { selected } => self.on_picker_key(key, selected),
            Overlay::Export(_) => Vec::new(),
        }
    }

    /// A click on a message selects it; a click on the message already selected opens it, as
    /// Enter does. A click on a hop in the detail pane selects that hop. Clicks elsewhere, or
    /// while a prompt or the help is up, do nothing.
    pub(super) fn on_click(&mut self, column: u16, row: u16) -> Vec<Effect> {
        if self.overlay != Overlay::None || self.searching {
            return Vec::new();
        }
        if self.detail_open
            && let Some(hop) = self.hop_rows.index_at(column, row)
        {
            if let Some(r) = self.selected_row()
                && hop < r.marks.len()
            {
                self.hop_selected = hop;
                self.focus = Pane::Detail;
            }
            return Vec::new();
        }
        let Some(index) = self.list_rows.index_at(column, row) else {
            return Vec::new();
        };
        if index >= self.view.len() {
            return Vec::new();
        }
        self.focus = Pane::List;
        if index == self.selected {
            return self.on_action(Action::Open);
        }
        self.move_selection(index as isize - self.selected as isize);
        Vec::new()
    }
}
