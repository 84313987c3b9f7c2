//! The key map: one table from keys to actions. The help overlay, the footer and the README key
//! table are all generated from (or checked against) this table, so they cannot drift apart.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    Close,
    SwitchPane,
    ToggleUnencrypted,
    CycleVerdict,
    Search,
    CycleSort,
    PickMailbox,
    Resync,
    Export,
    ToggleRaw,
    Help,
    Quit,
}

pub struct Binding {
    pub action: Action,
    pub keys: &'static str,
    pub help: &'static str,
    /// Shown in the footer when there is room.
    pub footer: Option<&'static str>,
}

pub const KEYMAP: &[Binding] = &[
    Binding {
        action: Action::Up,
        keys: "↑ k",
        help: "previous message (or hop in the detail pane)",
        footer: None,
    },
    Binding {
        action: Action::Down,
        keys: "↓ j",
        help: "next message (or hop in the detail pane)",
        footer: None,
    },
    Binding {
        action: Action::PageUp,
        keys: "PgUp",
        help: "page up",
        footer: None,
    },
    Binding {
        action: Action::PageDown,
        keys: "PgDn",
        help: "page down",
        footer: None,
    },
    Binding {
        action: Action::Top,
        keys: "Home g",
        help: "first message",
        footer: None,
    },
    Binding {
        action: Action::Bottom,
        keys: "End G",
        help: "last message",
        footer: None,
    },
    Binding {
        action: Action::Open,
        keys: "Enter",
        help: "open the detail pane",
        footer: Some("detail"),
    },
    Binding {
        action: Action::Close,
        keys: "Esc",
        help: "close the pane, prompt or search",
        footer: None,
    },
    Binding {
        action: Action::SwitchPane,
        keys: "Tab",
        help: "switch focus between list and detail",
        footer: None,
    },
    Binding {
        action: Action::ToggleUnencrypted,
        keys: "u",
        help: "unencrypted only (plaintext, unrecorded, weak)",
        footer: Some("unencrypted"),
    },
    Binding {
        action: Action::CycleVerdict,
        keys: "v",
        help: "cycle the verdict filter",
        footer: Some("verdict"),
    },
    Binding {
        action: Action::Search,
        keys: "/",
        help: "search sender, subject and host names",
        footer: Some("search"),
    },
    Binding {
        action: Action::CycleSort,
        keys: "s",
        help: "cycle sort: date, verdict, sender domain",
        footer: Some("sort"),
    },
    Binding {
        action: Action::PickMailbox,
        keys: "m",
        help: "pick another mailbox (live accounts)",
        footer: None,
    },
    Binding {
        action: Action::Resync,
        keys: "r",
        help: "re-sync / reload",
        footer: None,
    },
    Binding {
        action: Action::Export,
        keys: "e",
        help: "export the listed messages as a report",
        footer: Some("export"),
    },
    Binding {
        action: Action::ToggleRaw,
        keys: "h",
        help: "toggle raw headers in the detail pane",
        footer: Some("raw"),
    },
    Binding {
        action: Action::Help,
        keys: "?",
        help: "this help",
        footer: Some("help"),
    },
    Binding {
        action: Action::Quit,
        keys: "q",
        help: "quit",
        footer: Some("quit"),
    },
];

pub fn action_for(key: KeyEvent) -> Option<Action> {
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return matches!(key.code, KeyCode::Char('c')).then_some(Action::Quit);
    }
    Some(match key.code {
        KeyCode::Up | KeyCode::Char('k') => Action::Up,
        KeyCode::Down | KeyCode::Char('j') => Action::Down,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::Home | KeyCode::Char('g') => Action::Top,
        KeyCode::End | KeyCode::Char('G') => Action::Bottom,
        KeyCode::Enter => Action::Open,
        KeyCode::Esc => Action::Close,
        KeyCode::Tab | KeyCode::BackTab => Action::SwitchPane,
        KeyCode::Char('u') => Action::ToggleUnencrypted,
        KeyCode::Char('v') => Action::CycleVerdict,
        KeyCode::Char('/') => Action::Search,
        KeyCode::Char('s') => Action::CycleSort,
        KeyCode::Char('m') => Action::PickMailbox,
        KeyCode::Char('r') => Action::Resync,
        KeyCode::Char('e') => Action::Export,
        KeyCode::Char('h') => Action::ToggleRaw,
        KeyCode::Char('?') => Action::Help,
        KeyCode::Char('q') => Action::Quit,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_one_binding() {
        let all = [
            Action::Up,
            Action::Down,
            Action::PageUp,
            Action::PageDown,
            Action::Top,
            Action::Bottom,
            Action::Open,
            Action::Close,
            Action::SwitchPane,
            Action::ToggleUnencrypted,
            Action::CycleVerdict,
            Action::Search,
            Action::CycleSort,
            Action::PickMailbox,
            Action::Resync,
            Action::Export,
            Action::ToggleRaw,
            Action::Help,
            Action::Quit,
        ];
        for a in all {
            assert_eq!(KEYMAP.iter().filter(|b| b.action == a).count(), 1, "{a:?}");
        }
    }

    #[test]
    fn documented_keys_map_to_their_action() {
        for b in KEYMAP {
            for label in b.keys.split(' ') {
                let code = match label {
                    "↑" => KeyCode::Up,
                    "↓" => KeyCode::Down,
                    "PgUp" => KeyCode::PageUp,
                    "PgDn" => KeyCode::PageDown,
                    "Home" => KeyCode::Home,
                    "End" => KeyCode::End,
                    "Enter" => KeyCode::Enter,
                    "Esc" => KeyCode::Esc,
                    "Tab" => KeyCode::Tab,
                    s => KeyCode::Char(s.chars().next().unwrap()),
                };
                assert_eq!(action_for(KeyEvent::from(code)), Some(b.action), "{label}");
            }
        }
    }
}
