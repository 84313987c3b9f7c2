//! What the list shows: the filter and the sort, and the view of row indices rebuilt from them.

use super::{App, Pane};
use crate::{analysis::Verdict, ui::row::Row};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Date,
    Verdict,
    SenderDomain,
}

impl SortKey {
    /// The sort `s` moves to: date, verdict, sender domain, date again.
    pub fn next(self) -> Self {
        match self {
            SortKey::Date => SortKey::Verdict,
            SortKey::Verdict => SortKey::SenderDomain,
            SortKey::SenderDomain => SortKey::Date,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SortKey::Date => "date",
            SortKey::Verdict => "verdict",
            SortKey::SenderDomain => "sender domain",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub unencrypted_only: bool,
    pub verdict: Option<Verdict>,
    pub search: String,
}

impl Filter {
    pub fn describe(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.unencrypted_only {
            parts.push("unencrypted only".to_string());
        }
        if let Some(v) = self.verdict {
            parts.push(format!("verdict {}", v.as_str()));
        }
        if !self.search.is_empty() {
            parts.push(format!("search \"{}\"", self.search));
        }
        (!parts.is_empty()).then(|| parts.join(", "))
    }

    pub(super) fn matches(&self, r: &Row, needle_lower: &str) -> bool {
        if self.unencrypted_only && !r.verdict.is_unencrypted() {
            return false;
        }
        if self.verdict.is_some_and(|v| v != r.verdict) {
            return false;
        }
        needle_lower.is_empty() || r.search_matches(needle_lower)
    }
}

/// The verdict filter's next step: each verdict in turn, then none.
pub(super) fn next_verdict(current: Option<Verdict>) -> Option<Verdict> {
    match current {
        None => Some(Verdict::ALL[0]),
        Some(v) => Verdict::ALL
            .iter()
            .position(|x| *x == v)
            .and_then(|i| Verdict::ALL.get(i + 1))
            .copied(),
    }
}

impl App {
    /// Recomputes what follows from the rows alone (the verdict counts, the newest year), then
    /// the view. For when rows are added or re-decided: a filter or sort change needs only
    /// `rebuild_view`, which runs on every keystroke of a search.
    pub fn rows_changed(&mut self) {
        self.newest_year = self
            .rows
            .iter()
            .filter(|r| r.timestamp.is_some())
            .max_by_key(|r| r.timestamp)
            .and_then(|r| Some(r.date()?.get(..4)?.to_string()));
        for (v, n) in &mut self.counts {
            *n = self.rows.iter().filter(|r| r.verdict == *v).count();
        }
        self.rebuild_view();
    }

    /// Recomputes the filtered, sorted view and keeps the selection on the same message.
    pub fn rebuild_view(&mut self) {
        let keep = self.view.get(self.selected).copied();
        let needle = self.filter.search.to_lowercase();
        let mut view: Vec<usize> = (0..self.rows.len())
            .filter(|&i| self.filter.matches(&self.rows[i], &needle))
            .collect();
        let rows = &self.rows;
        match self.sort {
            SortKey::Date => view.sort_by_key(|&i| std::cmp::Reverse(rows[i].timestamp)),
            SortKey::Verdict => {
                view.sort_by_key(|&i| (rows[i].verdict, std::cmp::Reverse(rows[i].timestamp)))
            }
            SortKey::SenderDomain => {
                view.sort_by_cached_key(|&i| {
                    (
                        rows[i].sender_domain(),
                        std::cmp::Reverse(rows[i].timestamp),
                    )
                });
            }
        }
        self.view = view;
        self.selected = keep
            .and_then(|k| self.view.iter().position(|&i| i == k))
            .unwrap_or(0);
        self.list_offset = self.list_offset.min(self.selected);
        if self.view.is_empty() {
            self.detail_open = false;
            self.focus = Pane::List;
        }
    }

    /// Count of loaded messages per verdict (for the header line).
    pub fn verdict_counts(&self) -> &[(Verdict, usize)] {
        &self.counts
    }
}
