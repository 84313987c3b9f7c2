//! The mouse: the wheel moves what ↑ and ↓ would, a click selects a message or a hop. Where
//! things were drawn comes from the last frame (`list_rows_area`, `hop_rows`).

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Position;

use super::{App, Overlay, Pane};
use crate::ui::{event::Effect, keys::Action};

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
            && let Some(hop) = self.hop_rows.hop_at(column, row)
        {
            if let Some(r) = self.selected_row()
                && hop < r.marks.len()
            {
                self.hop_selected = hop;
                self.focus = Pane::Detail;
            }
            return Vec::new();
        }
        if !self.list_rows_area.contains(Position::new(column, row)) {
            return Vec::new();
        }
        let index = self.list_offset + usize::from(row - self.list_rows_area.y);
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
