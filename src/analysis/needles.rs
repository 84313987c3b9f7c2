//! Searching a short text for a fixed list of lower-case ASCII words at once.
//!
//! Every Received line is searched for ~30 MTA signatures. aho-corasick's packed (Teddy, SIMD)
//! searcher does that in less than half the instructions of its automaton on lines of a few
//! hundred bytes, but it knows no case folding: callers search an ASCII-lower-cased copy
//! (`stack_text::with_ascii_lowercase`). Where the CPU lacks the SIMD the packed searcher needs,
//! the automaton is used instead, with the same answers.

use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind, Span, packed};

pub struct Needles(Kind);

enum Kind {
    Packed(packed::Searcher),
    Automaton(AhoCorasick),
}

impl Needles {
    /// Leftmost-first: of the words that match at one position, the earliest in the list wins.
    pub fn new(words: &[&str]) -> Option<Self> {
        Self::packed(words).or_else(|| Self::automaton(words))
    }

    pub fn packed(words: &[&str]) -> Option<Self> {
        packed::Config::new()
            .match_kind(packed::MatchKind::LeftmostFirst)
            // Fat Teddy spreads ~30 words over 16 buckets instead of 8: fewer false candidates
            // to verify, which cost more than its half-width steps (measured in instructions).
            .only_teddy_fat(Some(true))
            .builder()
            .extend(words)
            .build()
            .map(|s| Self(Kind::Packed(s)))
    }

    pub fn automaton(words: &[&str]) -> Option<Self> {
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .kind(Some(AhoCorasickKind::DFA))
            .build(words)
            .ok()
            .map(|a| Self(Kind::Automaton(a)))
    }

    /// The leftmost match starting at or after `from` in the lower-cased `haystack`, as
    /// (index of the word, start).
    pub fn find_from(&self, haystack: &[u8], from: usize) -> Option<(usize, usize)> {
        if from >= haystack.len() {
            return None;
        }
        let span = Span::from(from..haystack.len());
        let hit = match &self.0 {
            Kind::Packed(s) => s.find_in(haystack, span),
            Kind::Automaton(a) => a.find(Input::new(haystack).span(span)),
        }?;
        Some((hit.pattern().as_usize(), hit.start()))
    }

    /// The lowest index of a word found anywhere in the lower-cased `haystack`. Every start
    /// position with a match is visited (the search resumes one byte after a match's start, not
    /// after its end), so a word overlapping an earlier match is still seen.
    pub fn first_present(&self, haystack: &[u8]) -> Option<usize> {
        let mut best: Option<usize> = None;
        let mut from = 0;
        while let Some((word, start)) = self.find_from(haystack, from) {
            best = Some(best.map_or(word, |b| b.min(word)));
            if word == 0 {
                break;
            }
            from = start + 1;
        }
        best
    }
}

/// Whether `needle` (lower case, starting with an ASCII byte) occurs in `hay`, ignoring ASCII
/// case. Jumps between occurrences of the needle's first byte: the short texts searched
/// rarely hold it, and a comparison at every position was a noticeable share of reading a hop.
pub fn contains_ignore_ascii_case(hay: &[u8], needle: &[u8]) -> bool {
    let Some(&first) = needle.first() else {
        return true;
    };
    let mut from = 0;
    while let Some(p) = hay
        .get(from..)
        .and_then(|rest| memchr::memchr2(first, first.to_ascii_uppercase(), rest))
    {
        let at = from + p;
        if hay
            .get(at..at + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(needle))
        {
            return true;
        }
        from = at + 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORDS: [&str; 6] = [
        "(postfix",
        "tls",
        "with both starttls",
        "qmail",
        ", tls: ",
        "s",
    ];

    fn brute_force(lower: &str) -> Option<usize> {
        WORDS.iter().position(|w| lower.contains(w))
    }

    proptest::proptest! {
        /// The jumping search finds what a comparison at every position finds.
        #[test]
        fn contains_ignore_ascii_case_matches_a_plain_search(
            hay in "((unix|UNIX|uNiX|unIx:|Socket|SOCKET|\\[local\\]|\\[LoCaL\\]|\\[loca)|[unx:\\[\\] é]){0,8}",
            needle in proptest::sample::select(vec!["unix", "unix:", "socket", "[local]"]),
        ) {
            let plain = hay
                .as_bytes()
                .windows(needle.len())
                .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()));
            proptest::prop_assert_eq!(
                contains_ignore_ascii_case(hay.as_bytes(), needle.as_bytes()),
                plain
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// Both searchers find exactly what a plain substring check finds.
        #[test]
        fn finds_what_a_substring_check_finds(
            text in "((\\(postfix|tls|with both starttls|qmail|, tls: |s)|[(pq,@x 0-9é]){0,12}"
        ) {
            for needles in [Needles::packed(&WORDS), Needles::automaton(&WORDS)].iter().flatten() {
                proptest::prop_assert_eq!(needles.first_present(text.as_bytes()), brute_force(&text));
            }
        }
    }
}
