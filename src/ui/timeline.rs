//! The hop timeline: one glyph per hop, oldest on the left. Shape and colour both carry the
//! status; hops that crossed organisations are bold, claimed hops (below the trust boundary) dim.

use ratatui::{
    style::Modifier,
    text::{Line, Span},
};

use super::row::Row;
use super::theme::{Theme, status_glyph};

/// At most this many glyphs; longer paths show the newest ones after a `…`.
pub const MAX_GLYPHS: usize = 12;

pub fn line(row: &Row, theme: &Theme) -> Line<'static> {
    let hops = &row.marks;
    let mut spans = Vec::with_capacity(hops.len().min(MAX_GLYPHS) + 1);
    let skip = hops.len().saturating_sub(MAX_GLYPHS);
    if skip > 0 {
        spans.push(Span::styled("…", theme.dim()));
    }
    for hop in hops.iter().skip(skip) {
        let mut style = theme.status(hop.status);
        if hop.cross_org {
            style = style.add_modifier(Modifier::BOLD);
        }
        if hop.claimed {
            style = style.add_modifier(Modifier::DIM);
        }
        spans.push(Span::styled(status_glyph(hop.status), style));
    }
    if hops.is_empty() {
        spans.push(Span::styled("∅", theme.dim()));
    }
    Line::from(spans)
}
