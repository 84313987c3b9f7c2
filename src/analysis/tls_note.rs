//! Reads TLS facts out of the many ways receivers write them.
//!
//! Each MTA family has its own note: sendmail and Gmail `(version=TLS1_3 cipher=... bits=256/256)`,
//! Postfix `(using TLSv1.3 with cipher ... (256/256 bits))`, Exim `(TLS1.3) tls CIPHER` or
//! `(TLSv1.2:CIPHER:256)`, OpenSMTPD `(TLSv1.3:AEAD-...:256:NO)`, Courier `(TLS: TLSv1/SSLv3,
//! 168bits,CIPHER)`, IronPort `with ESMTP/TLS/CIPHER`, qpsmtpd/MessageLabs `(CIPHER encrypted)`,
//! Exchange `Microsoft SMTP Server (TLS)`, Gmail `(Google Transport Security)`.
//! Everything here works on one comment or one `with` value at a time and never fails.

use super::{
    memo::Memo,
    model::{ShortText, TlsFacts},
    stack_text::{with_ascii_lowercase, with_ascii_lowercase_in},
    trim,
};

thread_local! {
    // A receiver writes the same note on every message it takes (`(version=TLS1_3
    // cipher=TLS_AES_256_GCM_SHA384 bits=256/256)` on every Gmail hop), so a mailbox holds few
    // distinct notes, each many times, and reading one cost thousands of instructions.
    static NOTE_MEMO: std::cell::RefCell<Memo<Option<TlsFacts>>> = std::cell::RefCell::default();
}

/// Facts from one parenthesised comment, if it is a TLS note.
pub fn from_comment(comment: &str) -> Option<TlsFacts> {
    let c = trim::blank(comment);
    // Every note form names one of these; most comments (`(Postfix)`, `(envelope-from <..>)`,
    // `(host [ip])`) are turned away here in one pass, without an allocation or a lookup.
    if !has_marker(c.as_bytes()) {
        return None;
    }
    let mut facts =
        NOTE_MEMO.with_borrow_mut(|memo| memo.get_or_compute(c, || facts_of_note(c)))?;
    let mut note = String::with_capacity(c.len() + 2);
    note.push('(');
    note.push_str(c);
    note.push(')');
    facts.note = Some(note);
    Some(facts)
}

/// Facts from a trimmed comment with a TLS marker, without the note text.
fn facts_of_note(c: &str) -> Option<TlsFacts> {
    with_ascii_lowercase(c.as_bytes(), |lower| {
        // Lower-casing ASCII keeps UTF-8 valid and every byte where it was, so the two texts
        // share offsets.
        let lower = std::str::from_utf8(lower).unwrap_or_default();
        note_facts(c, lower)
    })
}

/// Facts from a comment with a TLS marker (`lower` is the same text, lower-cased).
fn note_facts(c: &str, lower: &str) -> Option<TlsFacts> {
    if let Some(rest_lower) = lower.strip_prefix("using ") {
        using_note(&c[c.len() - rest_lower.len()..], rest_lower)
    } else if contains(lower, "version=") {
        key_value_note(c)
    } else if let Some(pos) = find_courier(lower) {
        courier_note(&c[pos..])
    } else if lower == "tls"
        || lower == "ssl"
        || contains(lower, "transport security")
        || contains(lower, "tls secured")
    {
        // Exchange's `(TLS)`, Gmail's `(Google Transport Security)`: TLS, parameters unstated.
        Some(TlsFacts::default())
    } else if let Some(cipher) = lower.strip_suffix(" encrypted") {
        let cipher = c[..cipher.len()]
            .split_whitespace()
            .last()
            .unwrap_or_default();
        Some(TlsFacts {
            cipher: non_empty(cipher),
            ..TlsFacts::default()
        })
    } else {
        colon_note(c, lower)
    }
}

/// Where `needle` first occurs in `hay` (an empty needle is never found). TLS notes are a few
/// dozen bytes: a first-byte scan beats setting up `str::find`'s two-way searcher, which cost
/// more than the search.
fn find(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let first = *n.first()?;
    let mut from = 0;
    while let Some(p) = memchr::memchr(first, h.get(from..)?) {
        let at = from + p;
        if h.get(at..at + n.len()) == Some(n) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

fn contains(hay: &str, needle: &str) -> bool {
    find(hay, needle).is_some()
}

/// Facts from top-level words after `with` (IronPort `ESMTP/TLS/CIPHER`, `CIPHER encrypted SMTP`,
/// `over TLS secured channel`).
pub fn from_with_words(words: &[&str]) -> Option<TlsFacts> {
    let first = words.first()?;
    let bytes = first.as_bytes();
    let at = |i: usize, s: &str| {
        bytes
            .get(i..i + s.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(s.as_bytes()))
    };
    // Only a `/` can start `/TLS/`: jump between them rather than compare at every byte.
    if let Some(pos) = memchr::memchr_iter(b'/', bytes).find(|&i| at(i, "/TLS/")) {
        return Some(TlsFacts {
            cipher: non_empty(&first[pos + 5..]),
            note: Some((*first).to_string()),
            ..TlsFacts::default()
        });
    }
    if bytes.len() >= 4 && at(bytes.len() - 4, "/TLS") {
        return Some(TlsFacts {
            note: Some((*first).to_string()),
            ..TlsFacts::default()
        });
    }
    for (i, w) in words.iter().enumerate() {
        if w.eq_ignore_ascii_case("encrypted") && i > 0 {
            return Some(TlsFacts {
                cipher: non_empty(words[i - 1]),
                note: Some(format!("{} encrypted", words[i - 1])),
                ..TlsFacts::default()
            });
        }
        if w.eq_ignore_ascii_case("secured") && i > 0 && words[i - 1].eq_ignore_ascii_case("tls") {
            return Some(TlsFacts {
                note: Some("TLS secured".into()),
                ..TlsFacts::default()
            });
        }
    }
    None
}

/// Exim 4.9x writes `(TLS1.3) tls TLS_AES_256_GCM_SHA384`: a bare version comment.
pub fn bare_version(comment: &str) -> Option<ShortText> {
    let c = trim::blank(comment);
    // One search for either byte: this runs on nearly every comment that is not a TLS note.
    if memchr::memchr2(b' ', b':', c.as_bytes()).is_some() {
        return None;
    }
    normalize_version(c)
}

fn find_courier(lower: &str) -> Option<usize> {
    ["tls: ", "ssl: "].iter().find_map(|p| {
        find(lower, p)
            .filter(|&i| i == 0 || lower[..i].ends_with(", ") || lower[..i].ends_with(' '))
    })
}

/// `using TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)`, `using SSLv3`.
fn using_note(rest: &str, rest_lower: &str) -> Option<TlsFacts> {
    let mut words = rest.split_whitespace();
    let version = normalize_version(trim::end(words.next()?, b","))?;
    let mut facts = TlsFacts {
        version: Some(version),
        ..TlsFacts::default()
    };
    if let Some(p) = find(rest_lower, "with cipher ") {
        let after = &rest[p + "with cipher ".len()..];
        facts.cipher = after
            .split_whitespace()
            .next()
            .map(|s| trim::end(s, b",").into());
    }
    if let Some(open) = rest.find('(') {
        facts.bits = leading_number(&rest[open + 1..]);
    }
    Some(facts)
}

/// `version=TLSv1/SSLv3 cipher=DHE-RSA-AES256-SHA bits=256 verify=NOT` and the comma-separated
/// Microsoft form `version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384`.
fn key_value_note(c: &str) -> Option<TlsFacts> {
    let mut facts = TlsFacts::default();
    // Split at blanks and commas byte by byte (all ASCII, so every cut is a char boundary):
    // `str::split` with a set of chars cost more than the rest of the note.
    let parts = c
        .as_bytes()
        .split(|b| matches!(b, b' ' | b',' | b'\t' | b'\r' | b'\n'));
    let mut offset = 0;
    for bytes in parts {
        let part = &c[offset..offset + bytes.len()];
        offset += bytes.len() + 1;
        let Some(eq) = bytes.iter().position(|&b| b == b'=') else {
            continue;
        };
        let (key, value) = (&part[..eq], &part[eq + 1..]);
        if key.eq_ignore_ascii_case("version") {
            facts.version = normalize_version(value);
        } else if key.eq_ignore_ascii_case("cipher") {
            facts.cipher = non_empty(value);
        } else if key.eq_ignore_ascii_case("bits") {
            facts.bits = leading_number(value);
        } else if key.eq_ignore_ascii_case("verify") {
            facts.verify = non_empty(value);
        }
    }
    (facts.version.is_some() || facts.cipher.is_some()).then_some(facts)
}

/// Courier `TLS: TLSv1/SSLv3, 168bits,DES-CBC3-SHA` or `AUTH: ..., TLS: TLS1.3, 128bits, CIPHER`.
fn courier_note(part: &str) -> Option<TlsFacts> {
    let body = part.split_once(':').map(|(_, b)| b)?;
    let mut facts = TlsFacts::default();
    for item in body.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        if facts.version.is_none()
            && let Some(v) = normalize_version(item)
        {
            facts.version = Some(v);
            continue;
        }
        if item.to_ascii_lowercase().ends_with("bits") {
            facts.bits = leading_number(item);
        } else if facts.cipher.is_none() && !item.contains(' ') {
            facts.cipher = Some(item.into());
        }
    }
    Some(facts)
}

/// Colon tuples: Exim `TLSv1.3:TLS_AES_256_GCM_SHA384:256`, `Cipher TLSv1:DES-CBC3-SHA:168`,
/// `tls_cipher TLS-1.0:RSA_AES_256_CBC_SHA:32`, OpenSMTPD `TLSv1.3:AEAD-AES256-GCM-SHA384:256:NO`.
fn colon_note(c: &str, lower: &str) -> Option<TlsFacts> {
    let tuple = ["cipher ", "tls_cipher "]
        .iter()
        .find_map(|p| lower.strip_prefix(p).map(|r| &c[c.len() - r.len()..]))
        .unwrap_or(c);
    let tuple = trim::blank(tuple);
    let mut parts = tuple.split(':');
    let version = normalize_version(parts.next()?)?;
    let cipher = parts.next().and_then(non_empty)?;
    let bits = parts.next().and_then(leading_number);
    let verify = parts.next().and_then(non_empty);
    Some(TlsFacts {
        version: Some(version),
        cipher: Some(cipher),
        bits,
        verify,
        note: None,
    })
}

/// `TLSv1.2`, `TLS1_2`, `TLS1.2`, `TLS-1.2`, `TLSv1` → `TLSv1.x`; `SSLv3` kept; sendmail's
/// `TLSv1/SSLv3` (OpenSSL's name for "some SSL/TLS") → `unspecified`.
pub fn normalize_version(raw: &str) -> Option<ShortText> {
    let v = trim::both(trim::blank(raw), b"(),");
    // Every spelling starts with `tls` or `ssl`: other words (`Postfix`, `8.15.2/8.15.2`) leave
    // here, and the rest are short.
    if !matches!(v.as_bytes().first(), Some(b't' | b'T' | b's' | b'S')) {
        return None;
    }
    with_ascii_lowercase_in::<32, _>(v.as_bytes(), version_from_lower)
}

/// `normalize_version` of an ASCII-lower-cased spelling.
fn version_from_lower(lower: &[u8]) -> Option<ShortText> {
    if lower == b"tlsv1/sslv3" || lower == b"sslv3/tlsv1" {
        return Some(ShortText::const_new("unspecified"));
    }
    if let Some(n) = lower
        .strip_prefix(b"sslv")
        .or_else(|| lower.strip_prefix(b"ssl"))
    {
        return match n {
            b"2" => Some(ShortText::const_new("SSLv2")),
            b"3" => Some(ShortText::const_new("SSLv3")),
            _ => None,
        };
    }
    let mut rest = lower.strip_prefix(b"tls")?;
    while let [b'v' | b'-' | b'_' | b' ', tail @ ..] = rest {
        rest = tail;
    }
    let version = match rest {
        b"1" | b"1.0" | b"1_0" | b"1-0" | b"10" => "TLSv1.0",
        b"1.1" | b"1_1" | b"1-1" | b"11" => "TLSv1.1",
        b"1.2" | b"1_2" | b"1-2" | b"12" => "TLSv1.2",
        b"1.3" | b"1_3" | b"1-3" | b"13" => "TLSv1.3",
        _ => return None,
    };
    Some(ShortText::const_new(version))
}

pub fn weaknesses(facts: &TlsFacts) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(v) = facts.version.as_deref()
        && matches!(v, "SSLv2" | "SSLv3" | "TLSv1.0" | "TLSv1.1")
    {
        out.push(v.to_string());
    }
    // Every weak part named below contains one of these: most ciphers (`TLS_AES_256_GCM_SHA384`)
    // have none and skip the split.
    if let Some(cipher) = facts
        .cipher
        .as_deref()
        .filter(|c| has_weak_hint(c.as_bytes()))
    {
        let upper = cipher.to_ascii_uppercase();
        // OpenSSL's DES-CBC3-SHA is triple DES: name it once, as 3DES.
        let triple =
            contains(&upper, "CBC3") || contains(&upper, "3DES") || contains(&upper, "DES192");
        for part in upper.split(['-', '_']) {
            if triple && part == "DES" {
                continue;
            }
            let weak = match part {
                "RC4" | "RC2" | "DES" | "3DES" | "NULL" | "MD5" | "EXPORT" | "EXP" | "EXP1024"
                | "DES40" => Some(part),
                "DES192" | "CBC3" => Some("3DES"),
                _ => None,
            };
            if let Some(w) = weak
                && !out.iter().any(|o| o == w)
            {
                out.push(w.to_string());
            }
        }
    }
    if let Some(bits) = facts.bits
        && bits < 128
        && bits > 0
    {
        out.push(format!("{bits}-bit key"));
    }
    out
}

/// Whether the cipher names `rc`, `des`, `null`, `md5`, `exp` or `cbc3`, in any case. One look
/// at each byte, as `has_marker`: six searches of a short cipher name cost more than the rest
/// of judging it.
fn has_weak_hint(c: &[u8]) -> bool {
    let at = |i: usize, m: &[u8]| {
        c.get(i..i + m.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(m))
    };
    (0..c.len()).any(|i| match c[i] | 0x20 {
        b'r' => at(i, b"rc"),
        b'd' => at(i, b"des"),
        b'n' => at(i, b"null"),
        b'm' => at(i, b"md5"),
        b'e' => at(i, b"exp"),
        b'c' => at(i, b"cbc3"),
        _ => false,
    })
}

/// The words every TLS note form contains one of, lower case.
const MARKERS: [&[u8]; 6] = [
    b"tls",
    b"ssl",
    b"using",
    b"version=",
    b"encrypted",
    b"transport",
];

/// Whether the comment names a marker, in any case. Comments are short (a few dozen bytes), so
/// a look at each byte's first letter beats a searcher's set-up; the test below holds it to a
/// plain case-insensitive search.
fn has_marker(c: &[u8]) -> bool {
    let at = |i: usize, m: &[u8]| {
        c.get(i..i + m.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(m))
    };
    (0..c.len()).any(|i| match c[i] | 0x20 {
        b't' => at(i, MARKERS[0]) || at(i, MARKERS[5]),
        b's' => at(i, MARKERS[1]),
        b'u' => at(i, MARKERS[2]),
        b'v' => at(i, MARKERS[3]),
        b'e' => at(i, MARKERS[4]),
        _ => false,
    })
}

fn leading_number(s: &str) -> Option<u32> {
    let digits: &str = &s[..s.bytes().take_while(u8::is_ascii_digit).count()];
    digits.parse().ok()
}

fn non_empty(s: &str) -> Option<ShortText> {
    let t = trim::end(trim::blank(s), b",)");
    (!t.is_empty()).then(|| t.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::memo::LIMIT;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5000))]

        /// The byte-wise key=value reader gives what the `str::split` one gave.
        #[test]
        fn key_value_note_matches_the_split_reader(
            c in "((version|cipher|bits|verify|Version|x)=[A-Za-z0-9_./é-]{0,8}[ ,\t\r\n]{0,2}){0,5}"
        ) {
            let reference = {
                let mut facts = TlsFacts::default();
                for part in c.split([' ', ',', '\t', '\r', '\n']) {
                    let Some((key, value)) = part.split_once('=') else { continue };
                    if key.eq_ignore_ascii_case("version") {
                        facts.version = normalize_version(value);
                    } else if key.eq_ignore_ascii_case("cipher") {
                        facts.cipher = non_empty(value);
                    } else if key.eq_ignore_ascii_case("bits") {
                        facts.bits = leading_number(value);
                    } else if key.eq_ignore_ascii_case("verify") {
                        facts.verify = non_empty(value);
                    }
                }
                (facts.version.is_some() || facts.cipher.is_some()).then_some(facts)
            };
            proptest::prop_assert_eq!(key_value_note(&c), reference);
        }

        /// A note read from the memo, first or again, and across a memo reset, gives what
        /// reading it afresh gives.
        #[test]
        fn memoised_notes_equal_fresh_ones(
            notes in proptest::collection::vec(
                "(using |version=|cipher=|TLS: |)(TLSv1\\.[0-3]|SSLv3|TLS1_2|tls)[ :,]{0,2}(AES256-SHA|RC4-MD5|[A-Z0-9_-]{0,8})( bits=256| \\(128/256 bits\\)|:256|:40:NO|)",
                1..6,
            )
        ) {
            for round in 0..2 {
                for note in &notes {
                    let fresh = has_marker(note.trim().as_bytes())
                        .then(|| facts_of_note(note.trim()))
                        .flatten()
                        .map(|mut f| {
                            f.note = Some(format!("({})", note.trim()));
                            f
                        });
                    proptest::prop_assert_eq!(from_comment(note), fresh, "round {}", round);
                }
                if round == 0 {
                    NOTE_MEMO.with_borrow_mut(|m| m.clear());
                }
            }
        }

        /// The hint check in front of the cipher split only skips ciphers with no weak part.
        #[test]
        fn weaknesses_are_those_of_the_full_split(
            cipher in "((rc4|RC2|des|3DES|Null|md5|EXPORT|exp|Exp1024|des40|DES192|cbc3|CBC|AES256|SHA|GCM|ECDHE|RSA|rc|nul|md|ex|cb)[-_]?){0,5}",
            bits in proptest::option::of(0u32..300),
        ) {
            let facts = TlsFacts { cipher: Some(cipher.as_str().into()), bits, ..TlsFacts::default() };
            let mut full = Vec::new();
            let upper = cipher.to_ascii_uppercase();
            let triple = contains(&upper, "CBC3") || contains(&upper, "3DES") || contains(&upper, "DES192");
            for part in upper.split(['-', '_']) {
                if triple && part == "DES" {
                    continue;
                }
                let weak = match part {
                    "RC4" | "RC2" | "DES" | "3DES" | "NULL" | "MD5" | "EXPORT" | "EXP" | "EXP1024"
                    | "DES40" => part,
                    "DES192" | "CBC3" => "3DES",
                    _ => continue,
                };
                if !full.iter().any(|o: &String| o == weak) {
                    full.push(weak.to_string());
                }
            }
            if let Some(b) = bits.filter(|b| *b < 128 && *b > 0) {
                full.push(format!("{b}-bit key"));
            }
            proptest::prop_assert_eq!(weaknesses(&facts), full);
        }

        /// The short-text search finds what `str::find` finds.
        #[test]
        fn find_agrees_with_str_find(hay in "[abé ]{0,30}", needle in "[abé ]{0,4}") {
            proptest::prop_assert_eq!(find(&hay, &needle), if needle.is_empty() { None } else { hay.find(needle.as_str()) });
        }

        /// The first-letter marker check finds exactly what a case-insensitive search finds.
        #[test]
        fn marker_check_agrees_with_a_plain_search(
            c in "([a-zA-Z =]{0,6}(TlS|sSl|uSiNg|VERSION=|Encrypted|transPORT|tl|ss|usin|version|encrypte|transpor|Ü)){0,3}[a-zA-Z =é]{0,6}"
        ) {
            let lower = c.to_ascii_lowercase();
            let expected = MARKERS
                .iter()
                .any(|m| lower.contains(std::str::from_utf8(m).unwrap_or_default()));
            proptest::prop_assert_eq!(has_marker(c.as_bytes()), expected);
        }
    }

    #[test]
    fn the_note_memo_stays_bounded_and_right_past_its_limit() {
        for i in 0..LIMIT + 10 {
            let note = format!("version=TLSv1.2 cipher=X{i} bits=256");
            assert_eq!(
                from_comment(&note).and_then(|f| f.cipher).as_deref(),
                Some(format!("X{i}").as_str())
            );
        }
        assert!(NOTE_MEMO.with_borrow(|m| m.len()) <= LIMIT);
        let note = "version=TLSv1.2 cipher=X3 bits=256";
        let fresh = facts_of_note(note).map(|mut f| {
            f.note = Some(format!("({note})"));
            f
        });
        assert!(fresh.as_ref().is_some_and(|f| f.bits == Some(256)));
        assert_eq!(from_comment(note), fresh);
        assert_eq!(from_comment(note), fresh);
    }

    fn v(s: &str) -> Option<ShortText> {
        from_comment(s).and_then(|f| f.version)
    }

    #[test]
    fn normalises_versions() {
        for (raw, want) in [
            ("TLSv1.2", "TLSv1.2"),
            ("TLS1_3", "TLSv1.3"),
            ("TLS-1.0", "TLSv1.0"),
            ("TLSv1", "TLSv1.0"),
            ("TLS1.3", "TLSv1.3"),
            ("SSLv3", "SSLv3"),
            ("TLSv1/SSLv3", "unspecified"),
        ] {
            assert_eq!(normalize_version(raw).as_deref(), Some(want), "{raw}");
        }
        assert_eq!(normalize_version("ESMTP"), None);
    }

    #[test]
    fn reads_each_note_style() {
        assert_eq!(
            v("version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256").as_deref(),
            Some("TLSv1.3")
        );
        assert_eq!(
            v("using TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)").as_deref(),
            Some("TLSv1.2")
        );
        assert_eq!(
            v("TLSv1.3:AEAD-AES256-GCM-SHA384:256:NO").as_deref(),
            Some("TLSv1.3")
        );
        assert_eq!(
            v("Cipher TLSv1:DES-CBC3-SHA:168").as_deref(),
            Some("TLSv1.0")
        );
        assert_eq!(
            v("tls_cipher TLS-1.0:RSA_AES_256_CBC_SHA:32").as_deref(),
            Some("TLSv1.0")
        );
        assert_eq!(
            v("TLS: TLSv1/SSLv3, 168bits,DES-CBC3-SHA").as_deref(),
            Some("unspecified")
        );
        assert_eq!(
            v("AUTH: CRAM-MD5 x, TLS: TLS1.3, 128bits, ECDHE_RSA_AES_128_GCM_SHA256").as_deref(),
            Some("TLSv1.3")
        );
        let ms =
            from_comment("version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384").unwrap();
        assert_eq!(
            ms.cipher.as_deref(),
            Some("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384")
        );
        assert!(from_comment("TLS").is_some());
        assert!(from_comment("Google Transport Security").is_some());
        assert_eq!(
            from_comment("RC4-SHA encrypted").unwrap().cipher.as_deref(),
            Some("RC4-SHA")
        );
        assert!(from_comment("Postfix").is_none());
        assert!(from_comment("8.14.4/8.13.8").is_none());
        assert!(from_comment("envelope-from <a@b>").is_none());
    }

    #[test]
    fn version_spellings() {
        let n = |s: &str| normalize_version(s).map(|v| v.to_string());
        assert_eq!(n("TLSv1/SSLv3").as_deref(), Some("unspecified"));
        assert_eq!(n("(TLS1_3)").as_deref(), Some("TLSv1.3"));
        assert_eq!(n("tls-1-0,").as_deref(), Some("TLSv1.0"));
        assert_eq!(n("TLSv12").as_deref(), Some("TLSv1.2"));
        assert_eq!(n("SSLv2").as_deref(), Some("SSLv2"));
        assert_eq!(n("ssl3").as_deref(), Some("SSLv3"));
        assert_eq!(n("SSLv4"), None);
        assert_eq!(n("TLSv1.4"), None);
        // Longer than the stack buffer: read the same way.
        assert_eq!(
            n(&format!("TLS{}1.1", "_".repeat(40))).as_deref(),
            Some("TLSv1.1")
        );
        assert_eq!(n(&"x".repeat(100)), None);
    }

    #[test]
    fn weak_detection() {
        let f = |v: &str, c: &str, b| TlsFacts {
            version: Some(v.into()),
            cipher: Some(c.into()),
            bits: b,
            ..TlsFacts::default()
        };
        assert!(weaknesses(&f("TLSv1.3", "TLS_AES_256_GCM_SHA384", Some(256))).is_empty());
        assert!(weaknesses(&f("unspecified", "DHE-RSA-AES256-SHA", Some(256))).is_empty());
        assert_eq!(
            weaknesses(&f("unspecified", "RC4-MD5", None)),
            ["RC4", "MD5"]
        );
        assert_eq!(
            weaknesses(&f("TLSv1.2", "DES-CBC3-SHA", Some(168))),
            ["3DES"]
        );
        assert_eq!(
            weaknesses(&f("TLSv1.2", "DES-CBC-SHA", Some(56))),
            ["DES", "56-bit key"]
        );
        assert_eq!(
            weaknesses(&f("TLSv1.0", "AES", Some(56))),
            ["TLSv1.0", "56-bit key"]
        );
    }
}
