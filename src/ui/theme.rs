//! Colours and glyphs, in one place. Every status has both a colour and a distinct glyph, so the
//! screen reads without colour (NO_COLOR, snapshots, colour-blind users). Only the 16 basic ANSI
//! colours are used: the terminal's own palette keeps them readable on dark and light themes.

use ratatui::style::{Color, Modifier, Style};

use crate::analysis::{Status, Verdict};

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    pub fn new(color: bool) -> Self {
        Self { color }
    }

    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    pub fn status(&self, s: Status) -> Style {
        match s {
            Status::Plaintext => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            Status::Unrecorded => self.fg(Color::Yellow),
            Status::Weak => self.fg(Color::Magenta).add_modifier(Modifier::BOLD),
            Status::Encrypted => self.fg(Color::Green),
            Status::Internal => self.fg(Color::Blue),
        }
    }

    pub fn verdict(&self, v: Verdict) -> Style {
        match v {
            Verdict::Plaintext => self.status(Status::Plaintext),
            Verdict::Unrecorded => self.status(Status::Unrecorded),
            Verdict::Weak => self.status(Status::Weak),
            Verdict::Encrypted => self.status(Status::Encrypted),
            Verdict::Internal => self.status(Status::Internal),
            Verdict::NoHops => Style::new().add_modifier(Modifier::DIM),
        }
    }

    pub fn title(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn dim(&self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }

    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn banner(&self) -> Style {
        if self.color {
            Style::new()
                .fg(Color::White)
                .bg(Color::Red)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }

    pub fn highlight_line(&self) -> Style {
        if self.color {
            Style::new().fg(Color::Black).bg(Color::Yellow)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }
}

/// One glyph per hop status: shape carries the meaning, colour repeats it.
pub fn status_glyph(s: Status) -> &'static str {
    match s {
        Status::Encrypted => "●",
        Status::Weak => "◐",
        Status::Plaintext => "✗",
        Status::Unrecorded => "?",
        Status::Internal => "·",
    }
}

/// The verdict's glyph alone, for places too narrow for its badge.
pub fn verdict_glyph(v: Verdict) -> &'static str {
    match v {
        Verdict::Plaintext => status_glyph(Status::Plaintext),
        Verdict::Unrecorded => status_glyph(Status::Unrecorded),
        Verdict::Weak => status_glyph(Status::Weak),
        Verdict::Encrypted => status_glyph(Status::Encrypted),
        Verdict::Internal => status_glyph(Status::Internal),
        Verdict::NoHops => "∅",
    }
}

pub fn verdict_badge(v: Verdict) -> &'static str {
    match v {
        Verdict::Plaintext => "✗ PLAIN",
        Verdict::Unrecorded => "? UNREC",
        Verdict::Weak => "◐ WEAK",
        Verdict::Encrypted => "● TLS",
        Verdict::Internal => "· INTERN",
        Verdict::NoHops => "  NO HOPS",
    }
}
