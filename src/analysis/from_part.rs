//! The from part of a Received line: who connected (the name it gave, its reverse-DNS name, its
//! address), read from the from clause's words and comments in every way MTAs write them.

use std::net::IpAddr;

use smallvec::SmallVec;

use super::{model::ShortText, network::parse_ip_token, tokens::Token, trim};

/// `localhost`, `localhost.localdomain`, sendmail's `user@localhost`.
pub fn is_localhost_name(host: &str) -> bool {
    let starts = |p: &str| {
        host.get(..p.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(p))
    };
    let ends = |p: &str| {
        host.len() >= p.len()
            && host
                .get(host.len() - p.len()..)
                .is_some_and(|h| h.eq_ignore_ascii_case(p))
    };
    host.eq_ignore_ascii_case("localhost") || starts("localhost.") || ends("@localhost")
}

/// What a from part says about the connecting side.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FromFacts {
    /// The first word: the name the client gave (or an address, or `unknown`).
    pub host: Option<ShortText>,
    pub rdns: Option<ShortText>,
    pub helo: Option<ShortText>,
    pub ip: Option<IpAddr>,
    pub unix_socket: bool,
}

pub fn from_facts(tokens: &[Token<'_>]) -> FromFacts {
    let mut facts = FromFacts::default();
    let mut host_word = None;
    for tok in tokens {
        match *tok {
            Token::Word(w) if host_word.is_none() => {
                let h = trim::both(w, b"[]");
                facts.host = Some(trim::end(h, b".").into());
                // Read as an address only if nothing else gives one (below).
                host_word = Some(w);
            }
            Token::Word(w) => {
                if facts.ip.is_none() {
                    facts.ip = parse_ip_token(w);
                }
            }
            Token::Comment(c) => read_from_comment(c, &mut facts),
            Token::Semicolon => {}
        }
    }
    if facts.ip.is_none() {
        facts.ip = host_word.and_then(parse_ip_token);
    }
    if let Some(rdns) = &facts.rdns
        && (rdns.eq_ignore_ascii_case("unknown") || rdns.is_empty())
    {
        facts.rdns = None;
    }
    facts
}

/// A from-part comment: `(rdns [ip])`, `([ip] helo=name)`, `(HELO name)`, `(ip)`,
/// `(user@ip)`, `(IDENT:user@rdns [ip])`, `(localhost [[UNIX: localhost]])`.
fn read_from_comment(c: &str, facts: &mut FromFacts) {
    let has =
        |needle: &str| super::needles::contains_ignore_ascii_case(c.as_bytes(), needle.as_bytes());
    if has("unix") && (has("socket") || has("unix:")) || has("[local]") {
        facts.unix_socket = true;
    }
    // With the address and the client's name known, only a HELO name can still be read, and
    // every way of writing one (`helo`, `ehlo`, `lhlo`, `hello`, `helo=`) contains `lo`: a later
    // comment without it (Postfix's TLS note) need not be split into words.
    if facts.ip.is_some() && facts.rdns.is_some() && (facts.helo.is_some() || !has("lo")) {
        return;
    }
    // `name[192.0.2.1]` (no space) is written by some Postfix builds: a `[` starts a word.
    let mut words = Words::new();
    comment_words(c, !c.contains("]["), &mut words);
    // Each word is tried as an address at most once (IPv6 parsing is not free), and only while
    // an answer can still change: a from part's later comments (Postfix's TLS note, `(No client
    // certificate requested)`) come after its address was found, and need no word tried.
    let mut tried: SmallVec<[Option<Option<IpAddr>>; 16]> = SmallVec::from_elem(None, words.len());
    let mut ip_at = |i: usize| *tried[i].get_or_insert_with(|| parse_ip_token(words[i]));
    let want_ip = facts.ip.is_none();
    let mut skip_next = false;
    let mut comment_ip = None;
    for (i, w) in words.iter().enumerate() {
        if skip_next {
            skip_next = false;
            continue;
        }
        let trimmed = trim::both(w, b"\"");
        let is_helo_word = ["helo", "ehlo", "lhlo", "hello"]
            .iter()
            .any(|k| trimmed.eq_ignore_ascii_case(k));
        if is_helo_word {
            if let Some(next) = words.get(i + 1) {
                let name = trim::both(next, b"\")(");
                if !name.is_empty() && facts.helo.is_none() {
                    facts.helo = Some(name.into());
                }
            }
            skip_next = true;
            continue;
        }
        if trimmed
            .get(..5)
            .is_some_and(|p| p.eq_ignore_ascii_case("helo="))
        {
            let name = &trimmed[5..];
            if facts.helo.is_none() && !name.is_empty() {
                facts.helo = Some(trim::both(&trimmed["helo=".len()..], b"\")").into());
            }
            continue;
        }
        let rdns_check = i == 0 && facts.rdns.is_none() && words.len() >= 2;
        if !(want_ip && comment_ip.is_none() || rdns_check) {
            continue;
        }
        if let Some(ip) = ip_at(i) {
            comment_ip = Some(ip);
        } else if rdns_check {
            // `(rdns [ip])`: the first word names the client only when an address follows it.
            if (1..words.len()).any(|k| ip_at(k).is_some()) {
                let name = w.rsplit('@').next().unwrap_or(w);
                let name = trim::end(trim::both(name, b"()<>\""), b".");
                let name = name.split('[').next().unwrap_or(name);
                if name.contains('.') || name.eq_ignore_ascii_case("localhost") {
                    facts.rdns = Some(name.into());
                }
            }
        }
    }
    if want_ip {
        facts.ip = comment_ip;
    }
}

/// A from-part comment's words, kept inline: a comment has a handful.
type Words<'a> = SmallVec<[&'a str; 16]>;

/// The words of a from-part comment: split at blanks and commas and, when `bracket_starts_word`,
/// before each `[` (the `[` begins the next word) that does not follow a `=`: Exim's
/// `helo=[192.168.1.10]` is one word, the name the client gave, and not its address. All
/// separators are ASCII, so every cut is on a character boundary. Filled into the caller's list:
/// returned by value, the list was copied.
fn comment_words<'a>(c: &'a str, bracket_starts_word: bool, words: &mut Words<'a>) {
    let mut start = 0;
    let mut previous = 0u8;
    for (i, b) in c.bytes().enumerate() {
        let cut = match b {
            b' ' | b'\t' | b'\r' | b'\n' | b',' => Some(i + 1),
            b'[' if bracket_starts_word && previous != b'=' => Some(i),
            _ => None,
        };
        previous = b;
        if let Some(next) = cut {
            if let Some(word) = c.get(start..i).filter(|w| !w.is_empty()) {
                words.push(word);
            }
            start = next;
        }
    }
    if let Some(word) = c.get(start..).filter(|w| !w.is_empty()) {
        words.push(word);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reader of a from-part comment before it tried addresses lazily: every word was
    /// parsed up front.
    fn eager_read_from_comment(c: &str, facts: &mut FromFacts) {
        let has = |needle: &str| {
            super::super::needles::contains_ignore_ascii_case(c.as_bytes(), needle.as_bytes())
        };
        if has("unix") && (has("socket") || has("unix:")) || has("[local]") {
            facts.unix_socket = true;
        }
        let mut words = Words::new();
        comment_words(c, !c.contains("]["), &mut words);
        let ips: Vec<Option<IpAddr>> = words.iter().map(|w| parse_ip_token(w)).collect();
        let mut skip_next = false;
        let mut comment_ip = None;
        for (i, w) in words.iter().enumerate() {
            if skip_next {
                skip_next = false;
                continue;
            }
            let trimmed = w.trim_matches('"');
            if ["helo", "ehlo", "lhlo", "hello"]
                .iter()
                .any(|k| trimmed.eq_ignore_ascii_case(k))
            {
                if let Some(next) = words.get(i + 1) {
                    let name = next.trim_matches(['"', ')', '(']);
                    if !name.is_empty() && facts.helo.is_none() {
                        facts.helo = Some(name.into());
                    }
                }
                skip_next = true;
                continue;
            }
            if trimmed
                .get(..5)
                .is_some_and(|p| p.eq_ignore_ascii_case("helo="))
            {
                let name = &trimmed[5..];
                if facts.helo.is_none() && !name.is_empty() {
                    facts.helo = Some(trimmed["helo=".len()..].trim_matches(['"', ')']).into());
                }
                continue;
            }
            if let Some(ip) = ips[i] {
                if comment_ip.is_none() {
                    comment_ip = Some(ip);
                }
            } else if i == 0
                && facts.rdns.is_none()
                && words.len() >= 2
                && ips[1..].iter().any(Option::is_some)
            {
                let name = w.rsplit('@').next().unwrap_or(w);
                let name = name
                    .trim_matches(['(', ')', '<', '>', '"'])
                    .trim_end_matches('.');
                let name = name.split('[').next().unwrap_or(name);
                if name.contains('.') || name.eq_ignore_ascii_case("localhost") {
                    facts.rdns = Some(name.into());
                }
            }
        }
        if facts.ip.is_none() {
            facts.ip = comment_ip;
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        /// Trying addresses only while they can still change the answer reads every comment as
        /// parsing all of them did, whatever the facts gathered before it.
        #[test]
        fn lazy_address_tries_read_comments_alike(
            words in proptest::collection::vec(
                proptest::sample::select(vec![
                    "mx1.example.org", "[192.0.2.7]", "192.0.2.8", "[IPv6:2001:db8::5]",
                    "2001:db8::9]:25", "user@192.0.2.9", "HELO", "ehlo", "helo=relay.example",
                    "helo=", "localhost", "unknown", "using", "TLSv1.3", "(256/256", "bits))",
                    "\"quoted.example\"", "name[192.0.2.10]", ",", "[", "]",
                ]),
                0..7,
            ),
            separators in proptest::collection::vec(proptest::sample::select(vec![" ", ", ", "\t", ""]), 7),
            ip_known in proptest::bool::ANY,
            rdns_known in proptest::bool::ANY,
            helo_known in proptest::bool::ANY,
        ) {
            let mut c = String::new();
            for (w, sep) in words.iter().zip(&separators) {
                c.push_str(w);
                c.push_str(sep);
            }
            let before = FromFacts {
                ip: ip_known.then(|| "198.51.100.1".parse().unwrap()),
                rdns: rdns_known.then(|| "known.example".into()),
                helo: helo_known.then(|| "known-helo".into()),
                ..FromFacts::default()
            };
            let (mut lazy, mut eager) = (before.clone(), before);
            read_from_comment(&c, &mut lazy);
            eager_read_from_comment(&c, &mut eager);
            proptest::prop_assert_eq!(lazy, eager);
        }

        /// The word splitter cuts where inserting a space before each `[` and splitting at
        /// blanks and commas would.
        #[test]
        fn comment_words_match_the_spaced_split(c in "[a-z0-9 \t\r\n,\\[\\]:.é]{0,40}") {
            let bracket = !c.contains("][");
            let spaced = if bracket { c.replace('[', " [") } else { c.clone() };
            let expected: Vec<&str> = spaced
                .split([' ', '\t', '\r', '\n', ','])
                .filter(|w| !w.is_empty())
                .collect();
            let mut got = Words::new();
            comment_words(&c, bracket, &mut got);
            let got: Vec<&str> = got.into_iter().collect();
            proptest::prop_assert_eq!(got, expected);
        }
    }
}
