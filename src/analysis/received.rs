//! One `Received:` field body → one `Hop` with the facts the line states (no judgement yet).
//!
//! The line is split into clauses (`from`, `by`, `via`, `with`, `id`, `for`, and the date after
//! the last top-level `;`), each holding its top-level words and comments. Then each fact is read
//! from the clause that carries it (the from clause, the most varied, in `from_part.rs`). Scope,
//! status and basis are decided later, in `path.rs`, because they need the neighbouring hops and
//! the rest of the mailbox.

use std::net::IpAddr;

use smallvec::SmallVec;

use super::{
    date,
    from_part::{from_facts, is_localhost_name},
    model::{Evidence, Hop, RawText, Scope, ShortText, Status, TlsFacts},
    mta::{self, MtaInput},
    network::{display_ip, is_loopback, parse_ip_token},
    protocol, tls_note,
    tokens::{Token, Tokens, tokenize, tokenize_before_date_into},
    trim,
};

/// Facts kept beside a `Hop` for the decisions in `path.rs`; not part of the output.
#[derive(Debug, Clone, Default)]
pub struct HopHints {
    pub from_ip: Option<IpAddr>,
    pub by_ip: Option<IpAddr>,
    /// Unix socket, `localhost`, loopback, `with local`, sendmail `(from user@localhost)`, no
    /// from part, or from == by: the message never left the machine.
    pub same_host: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Clause {
    Preamble,
    From,
    By,
    Via,
    With,
    Id,
    For,
}

/// Inline lists: a clause rarely holds more than a handful of tokens, and eight heap vectors per
/// hop were a measurable share of the analysis time.
type Few<T> = SmallVec<[T; 8]>;

#[derive(Default)]
struct Parts<'a> {
    from: Few<Token<'a>>,
    by: Few<Token<'a>>,
    via: Few<&'a str>,
    with: Few<Token<'a>>,
    id: Few<&'a str>,
    for_: Few<&'a str>,
    all_comments: Few<&'a str>,
    top_words: SmallVec<[&'a str; 16]>,
    has_from: bool,
}

fn keyword(word: &str) -> Option<Clause> {
    if word.len() > 4 {
        return None;
    }
    let k = if word.eq_ignore_ascii_case("from") {
        Clause::From
    } else if word.eq_ignore_ascii_case("by") {
        Clause::By
    } else if word.eq_ignore_ascii_case("via") {
        Clause::Via
    } else if word.eq_ignore_ascii_case("with") {
        Clause::With
    } else if word.eq_ignore_ascii_case("id") {
        Clause::Id
    } else if word.eq_ignore_ascii_case("for") {
        Clause::For
    } else {
        return None;
    };
    Some(k)
}

/// Splits the tokens before the date into clauses. The first occurrence of a keyword opens its
/// clause; later ones (`for Windows`, XMail's second `from`) are ordinary words.
fn split_clauses<'a>(tokens: &[super::tokens::Spanned<'a>], parts: &mut Parts<'a>) {
    let mut seen = [false; 7];
    let mut clause = Clause::Preamble;
    for (i, spanned) in tokens.iter().enumerate() {
        let tok = &spanned.token;
        match *tok {
            Token::Word(w) => {
                if let Some(k) = keyword(w).filter(|k| !seen[*k as usize]) {
                    seen[k as usize] = true;
                    clause = k;
                    parts.has_from |= k == Clause::From;
                    continue;
                }
                parts.top_words.push(w);
                match clause {
                    Clause::From => parts.from.push(*tok),
                    Clause::By => parts.by.push(*tok),
                    Clause::Via => parts.via.push(w),
                    Clause::With => parts.with.push(*tok),
                    Clause::Id => parts.id.push(w),
                    Clause::For => parts.for_.push(w),
                    Clause::Preamble => {}
                }
            }
            Token::Comment(c) => {
                parts.all_comments.push(c);
                // sendmail's `(from user@localhost)` and NAVGW's `(from host [ip])` open a from
                // part inside a leading comment.
                if i == 0 && c.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("from ")) {
                    seen[Clause::From as usize] = true;
                    parts.has_from = true;
                    parts.from.extend(
                        tokenize(c.get(5..).unwrap_or_default())
                            .into_iter()
                            .map(|s| s.token),
                    );
                    continue;
                }
                match clause {
                    Clause::From => parts.from.push(*tok),
                    Clause::By => parts.by.push(*tok),
                    Clause::With => parts.with.push(*tok),
                    _ => {}
                }
            }
            Token::Semicolon => {}
        }
    }
}

/// Reads one Received field body into a hop appended to `hops`, with `raw` as its text. The hop
/// is built where it is stored: a `Hop` is some 400 bytes, and handing it back by value to be
/// pushed copied it on the way.
pub fn parse_into(body: &str, index: usize, raw: RawText, hops: &mut Vec<Hop>) -> HopHints {
    read(body, index, raw, |hop| hops.push(hop)).1
}

/// One Received field body on its own, its text left empty (tests and `parse_received_line`).
pub fn parse(body: &str, index: usize) -> (Hop, HopHints) {
    read(body, index, RawText::default(), |hop| hop)
}

fn read<R>(body: &str, index: usize, raw: RawText, emit: impl FnOnce(Hop) -> R) -> (R, HopHints) {
    let mut spanned = Tokens::new();
    tokenize_before_date_into(body, &mut spanned);
    let date_at = spanned.iter().rposition(|s| s.token == Token::Semicolon);
    // Filled in place: the clause lists are over a kilobyte, and returning them by value
    // copied them.
    let mut parts = Parts::default();
    split_clauses(&spanned[..date_at.unwrap_or(spanned.len())], &mut parts);

    let date_text = match date_at {
        Some(i) => body.get(spanned[i].start + 1..).unwrap_or_default(),
        None => date_without_semicolon(body, &spanned),
    };
    let (date, timestamp) = date::parse(date_text)
        .map(|d| (d.rfc3339, d.timestamp))
        .unzip();

    let from = from_facts(&parts.from);
    let (by_host, by_comment, by_ip) = by_facts(&parts.by);
    let with_words = words_of(&parts.with);
    let protocol = protocol::from_with(&with_words)
        .or_else(|| parts.via.first().and_then(|v| protocol::from_via(v)))
        .or_else(|| word_after_encrypted(&parts.top_words));
    let tls = tls_facts(&parts, &with_words);

    let mta = mta::detect(&MtaInput {
        text: body,
        by_host: by_host.as_deref(),
        by_comment,
        protocol: protocol.as_deref(),
        id: parts.id.first().map(|s| trim::end(s, b";,")),
    });
    let evidence = if tls.is_some() {
        Evidence::Tls
    } else {
        protocol::evidence(protocol.as_deref())
    };

    let same_host = !parts.has_from
        || from.unix_socket
        || from.host.as_deref().is_some_and(is_localhost_name) && from.ip.is_none_or(is_loopback)
        || from.ip.is_some_and(is_loopback)
        || protocol
            .as_deref()
            .is_some_and(|p| p.eq_ignore_ascii_case("local"))
        || same_name(from.host.as_deref(), by_host.as_deref()) && from.ip.is_none_or(is_loopback);

    let receiver_org = by_host.as_deref().and_then(super::org::org_of);
    let emitted = emit(Hop {
        index,
        from_host: from.host,
        from_rdns: from.rdns,
        from_helo: from.helo,
        from_ip: from.ip.map(display_ip),
        by_host,
        by_ip: by_ip.map(display_ip),
        protocol,
        id: parts.id.first().map(|s| trim::end(s, b";,").into()),
        for_addr: parts.for_.first().map(|s| trim::both(s, b"<>;,").into()),
        mta,
        evidence,
        tls: tls.map(Box::new),
        scope: Scope::Unknown,
        status: Status::Unrecorded,
        basis: None,
        claimed: false,
        // Moved, not cloned: with an offset the text is 25 bytes, one more than a `ShortText` holds
        // inline, and the clone allocated.
        date,
        timestamp,
        delay_s: None,
        clock_skew: false,
        weaknesses: Vec::new(),
        raw,
        receiver_org,
    });
    let hints = HopHints {
        from_ip: from.ip,
        by_ip,
        same_host,
    };
    (emitted, hints)
}

fn words_of<'a>(tokens: &[Token<'a>]) -> Few<&'a str> {
    tokens
        .iter()
        .filter_map(|t| {
            if let Token::Word(w) = t {
                Some(*w)
            } else {
                None
            }
        })
        .collect()
}

fn same_name(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => trim::end(a, b".").eq_ignore_ascii_case(trim::end(b, b".")),
        _ => false,
    }
}

fn by_facts<'a>(tokens: &[Token<'a>]) -> (Option<ShortText>, Option<&'a str>, Option<IpAddr>) {
    let mut host = None;
    let mut comment = None;
    let mut ip = None;
    for tok in tokens {
        match *tok {
            Token::Word(w) if host.is_none() => {
                let h = trim::end(trim::both(w, b"<>[]"), b".");
                if !h.is_empty() {
                    host = Some(h.into());
                    ip = parse_ip_token(w);
                }
            }
            Token::Comment(c) if comment.is_none() => {
                comment = Some(c);
                if ip.is_none() {
                    ip = c.split_whitespace().next().and_then(parse_ip_token);
                }
            }
            _ => {}
        }
    }
    (host, comment, ip)
}

fn tls_facts(parts: &Parts<'_>, with_words: &[&str]) -> Option<TlsFacts> {
    let mut found: Option<TlsFacts> = None;
    let mut bare_version = None;
    for c in &parts.all_comments {
        if let Some(f) = tls_note::from_comment(c) {
            let better = found
                .as_ref()
                .is_none_or(|cur| cur.version.is_none() && f.version.is_some());
            if better {
                found = Some(f);
            }
        } else if bare_version.is_none() {
            bare_version = tls_note::bare_version(c);
        }
    }
    if found.is_none() {
        found = tls_note::from_with_words(with_words)
            .or_else(|| tls_note::from_with_words(&parts.top_words));
    }
    // Exim 4.9x: `with esmtps (TLS1.3) tls TLS_AES_256_GCM_SHA384`.
    if let Some(version) = bare_version {
        let cipher = parts
            .top_words
            .windows(2)
            .find(|w| w[0].eq_ignore_ascii_case("tls"))
            .map(|w| ShortText::from(w[1]));
        if found.is_none()
            && (cipher.is_some()
                || protocol::evidence(protocol::from_with(with_words).as_deref()) == Evidence::Tls)
        {
            // Built in one go: through `format!` the note grew twice.
            let mut note = String::with_capacity(
                version.len() + 2 + cipher.as_ref().map_or(0, |c| c.len() + 5),
            );
            note.push('(');
            note.push_str(&version);
            note.push(')');
            if let Some(c) = &cipher {
                note.push_str(" tls ");
                note.push_str(c);
            }
            found = Some(TlsFacts {
                version: Some(version),
                cipher,
                note: Some(note),
                ..TlsFacts::default()
            });
        }
    }
    found
}

/// MessageLabs writes `server-7.tower-with AES256-GCM-SHA384 encrypted SMTP` with no `with`.
fn word_after_encrypted(words: &[&str]) -> Option<ShortText> {
    let i = words
        .iter()
        .position(|w| w.eq_ignore_ascii_case("encrypted"))?;
    words.get(i + 1).and_then(|w| protocol::from_via(w))
}

/// Lines without `;` still often end in a date (`id X Thu, 20 Feb 2003 ...`, SendGrid's
/// `2018-04-22 02:54:17 +0000 UTC`): start at the first word that looks like one.
fn date_without_semicolon<'a>(body: &'a str, spanned: &[super::tokens::Spanned<'a>]) -> &'a str {
    const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    for (i, s) in spanned.iter().enumerate() {
        let Token::Word(w) = s.token else { continue };
        let lower = w.to_ascii_lowercase();
        let is_day = lower.get(..3).is_some_and(|d| DAYS.contains(&d))
            && (lower.len() == 3 || lower.ends_with(','));
        let is_iso = w.len() == 10
            && w.as_bytes().get(4) == Some(&b'-')
            && w.as_bytes()[..4].iter().all(u8::is_ascii_digit);
        let is_day_number = w.len() <= 2
            && w.bytes().all(|b| b.is_ascii_digit())
            && matches!(spanned.get(i + 1).map(|n| n.token), Some(Token::Word(m)) if is_month(m));
        if is_day || is_iso || is_day_number {
            return &body[s.start..];
        }
    }
    ""
}

fn is_month(word: &str) -> bool {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    word.get(..3)
        .is_some_and(|w| MONTHS.iter().any(|m| w.eq_ignore_ascii_case(m)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_sendmail_line() {
        let (hop, hints) = parse(
            "from abc.luxsci.com ([1.1.1.1])\n\tby def.luxsci.com (8.14.4/8.13.8) with ESMTP id r7JEfLgH003867\n\t(version=TLSv1/SSLv3 cipher=DHE-RSA-AES256-SHA bits=256 verify=NOT)\n\tfor <user-xyz@def.luxsci.com>; Mon, 19 Aug 2019 10:41:21 -0400",
            1,
        );
        assert_eq!(hop.from_host.as_deref(), Some("abc.luxsci.com"));
        assert_eq!(hop.from_ip.as_deref(), Some("1.1.1.1"));
        assert_eq!(hop.by_host.as_deref(), Some("def.luxsci.com"));
        assert_eq!(hop.protocol.as_deref(), Some("ESMTP"));
        assert_eq!(hop.id.as_deref(), Some("r7JEfLgH003867"));
        assert_eq!(hop.for_addr.as_deref(), Some("user-xyz@def.luxsci.com"));
        assert_eq!(hop.mta, Some("sendmail"));
        assert_eq!(hop.evidence, Evidence::Tls);
        let tls = hop.tls.unwrap();
        assert_eq!(tls.version.as_deref(), Some("unspecified"));
        assert_eq!(tls.cipher.as_deref(), Some("DHE-RSA-AES256-SHA"));
        assert_eq!(tls.bits, Some(256));
        assert_eq!(tls.verify.as_deref(), Some("NOT"));
        assert_eq!(hop.date.as_deref(), Some("2019-08-19T10:41:21-04:00"));
        assert!(!hints.same_host);
    }

    #[test]
    fn submit_and_localhost_are_same_host() {
        let (hop, hints) = parse(
            "(from mail@localhost)\n\tby abc.luxsci.com (8.14.4/8.13.8/Submit) id r7JEfKXD030178\n\tfor user-xyz@def.luxsci.com; Mon, 19 Aug 2019 09:41:20 -0500",
            1,
        );
        assert_eq!(hop.from_host.as_deref(), Some("mail@localhost"));
        assert!(hints.same_host);
        let (_, hints) = parse(
            "from abc.luxsci.com (localhost.localdomain [127.0.0.1]) by abc.luxsci.com (8.14.4/8.13.8) with ESMTP id x; Mon, 19 Aug 2019 09:41:20 -0500",
            1,
        );
        assert!(hints.same_host);
    }

    #[test]
    fn proofpoint_without_with() {
        let (hop, _) = parse(
            "from unknown [65.54.190.216] (EHLO bay0-omc4-s14.bay0.hotmail.com)\n\tby dispatch1-us1.ppe-hosted.com.ppe-hosted.com\n        (envelope-from <someone@hotmail.com>);\n\tMon, 19 Aug 2019 08:41:18 -0600 (MDT)",
            1,
        );
        assert_eq!(hop.from_host.as_deref(), Some("unknown"));
        assert_eq!(hop.from_ip.as_deref(), Some("65.54.190.216"));
        assert_eq!(
            hop.from_helo.as_deref(),
            Some("bay0-omc4-s14.bay0.hotmail.com")
        );
        assert_eq!(hop.protocol, None);
        assert_eq!(hop.evidence, Evidence::None);
        assert_eq!(hop.mta, Some("proofpoint"));
    }

    #[test]
    fn exim_new_style_tls() {
        let (hop, _) = parse(
            "from ec2.example.com ([192.0.2.9]:52675) by www4.example.net with esmtpsa  (TLS1.3) tls TLS_AES_256_GCM_SHA384 (Exim 4.98) (envelope-from <a@b>) id 1t4QlJ-0000000DOzK-3kR9; Mon, 1 Jan 2024 00:00:00 +0000",
            1,
        );
        assert_eq!(hop.protocol.as_deref(), Some("ESMTPSA"));
        let tls = hop.tls.unwrap();
        assert_eq!(tls.version.as_deref(), Some("TLSv1.3"));
        assert_eq!(tls.cipher.as_deref(), Some("TLS_AES_256_GCM_SHA384"));
        assert_eq!(hop.mta, Some("exim"));
        assert_eq!(hop.from_ip.as_deref(), Some("192.0.2.9"));
    }
}
