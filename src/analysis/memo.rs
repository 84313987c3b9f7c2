//! A bounded memo of answers keyed by text, for the few lookups a mailbox repeats message after
//! message (the organisation of a host name, the facts of a TLS note).
//!
//! It only remembers answers a pure function already gave, so it never changes one. Its keys come
//! from mail anyone can send: the hash is seeded per process, and past `LIMIT` entries the memo
//! starts over rather than grow.

use std::collections::HashMap;

use super::model::ShortText;

/// Entries kept before the memo starts over: far above the distinct hosts or notes of a mailbox,
/// and a bound on memory when a mailbox is built to defeat it.
pub const LIMIT: usize = 4096;

pub struct Memo<V>(HashMap<ShortText, V, foldhash::fast::RandomState>);

impl<V> Default for Memo<V> {
    fn default() -> Self {
        Self(HashMap::default())
    }
}

impl<V: Clone> Memo<V> {
    /// The remembered answer for `key`, or `compute()`'s, remembered.
    pub fn get_or_compute(&mut self, key: &str, compute: impl FnOnce() -> V) -> V {
        if let Some(v) = self.0.get(key) {
            return v.clone();
        }
        let v = compute();
        if self.0.len() >= LIMIT {
            self.0.clear();
        }
        self.0.insert(key.into(), v.clone());
        v
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    #[cfg(test)]
    pub fn clear(&mut self) {
        self.0.clear();
    }
}
