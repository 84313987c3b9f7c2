//! The `with`/`via` protocol keyword: normalised name and what it says about TLS.
//!
//! RFC 3848 added the `S` (TLS) and `A` (authenticated) suffixes to ESMTP and LMTP; RFC 6531 added
//! UTF8SMTP variants. Vendors add their own shapes, normalised here the way the shared corpus
//! labels them: `Microsoft SMTPSVC` and `Microsoft SMTP Server` are `SMTP`, Exim's `local-esmtps`
//! is `ESMTPS`, `local-bsmtp` is `SMTP`, CommuniGate's `ESMTP-TLS` is `ESMTPS`.

use super::model::{Evidence, ShortText};

/// Keywords that mean TLS was used on the hop.
const TLS_KEYWORDS: &[&str] = &[
    "ESMTPS",
    "ESMTPSA",
    "LMTPS",
    "LMTPSA",
    "UTF8SMTPS",
    "UTF8SMTPSA",
    "UTF8LMTPS",
    "UTF8LMTPSA",
    "SMTPS",
    "HTTPS",
    "IMAPS",
    "POP3S",
];

/// Keywords of transfer protocols that ran without TLS when nothing else is said.
const PLAIN_KEYWORDS: &[&str] = &[
    "SMTP",
    "ESMTP",
    "ESMTPA",
    "LMTP",
    "LMTPA",
    "UTF8SMTP",
    "UTF8SMTPA",
    "UTF8LMTP",
    "UTF8LMTPA",
    "HTTP",
    "QMQP",
    "ASMTP",
];

/// The protocol name from the words of a `with` clause (top-level words only, comments removed).
pub fn from_with(words: &[&str]) -> Option<ShortText> {
    let first = *words.first()?;
    let first = super::trim::end(first, b",;");
    if first.eq_ignore_ascii_case("microsoft") {
        return Some(ShortText::const_new("SMTP"));
    }
    if first.starts_with('[') {
        // XMail writes `with [XMail 1.20 ESMTP Server]`.
        let inner = super::trim::both(first, b"[]");
        return inner
            .split_whitespace()
            .find_map(known_keyword)
            .or_else(|| Some(inner.into()));
    }
    if let Some(k) = known_keyword(first) {
        return Some(k);
    }
    // `with MailEnable ESMTP`, `with (CIPHER encrypted) SMTP`: a known keyword further on.
    words
        .iter()
        .skip(1)
        .take(3)
        .find_map(|w| known_keyword(w))
        .or_else(|| Some(first.into()))
}

/// The protocol from a `via` clause, only when it names a real protocol (`via ESMTP`, `via HTTP`);
/// `via smap`, `via listexpand` and `via Frontend Transport` say nothing about the wire.
pub fn from_via(word: &str) -> Option<ShortText> {
    known_keyword(word)
}

fn known_keyword(word: &str) -> Option<ShortText> {
    let word = super::trim::end(word, b",;");
    let base = word.split('/').next().unwrap_or(word);
    // Upper-cased on the stack: the longest keyword is 13 bytes, so a longer word is none.
    let mut buf = [0u8; 16];
    let upper = buf.get_mut(..base.len())?;
    upper.copy_from_slice(base.as_bytes());
    upper.make_ascii_uppercase();
    let mapped: &'static str = match &*upper {
        b"LOCAL-ESMTPS" | b"ESMTP-TLS" => "ESMTPS",
        b"LOCAL-ESMTPSA" => "ESMTPSA",
        b"LOCAL-ESMTP" => "ESMTP",
        b"LOCAL-ESMTPA" => "ESMTPA",
        b"LOCAL-SMTP" | b"LOCAL-BSMTP" | b"BSMTP" | b"SMTPSVC" => "SMTP",
        b"MAPI" => "MAPI",
        other => TLS_KEYWORDS
            .iter()
            .chain(PLAIN_KEYWORDS)
            .find(|k| k.as_bytes() == other)?,
    };
    Some(ShortText::const_new(mapped))
}

/// Evidence from the protocol alone (a TLS note overrides this to `Tls`).
pub fn evidence(protocol: Option<&str>) -> Evidence {
    match protocol {
        Some(p) if TLS_KEYWORDS.contains(&p) => Evidence::Tls,
        Some(p) if PLAIN_KEYWORDS.contains(&p) => Evidence::Plaintext,
        _ => Evidence::None,
    }
}

/// Keywords a receiver writes with an `S` when TLS was on: seeing the plain form is a statement.
pub fn is_plain_smtp_family(protocol: &str) -> bool {
    matches!(
        protocol,
        "SMTP" | "ESMTP" | "ESMTPA" | "LMTP" | "LMTPA" | "UTF8SMTP" | "UTF8SMTPA"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_vendor_shapes() {
        assert_eq!(
            from_with(&["Microsoft", "SMTPSVC(6.0.3790.4675)"]).as_deref(),
            Some("SMTP")
        );
        assert_eq!(from_with(&["esmtpsa"]).as_deref(), Some("ESMTPSA"));
        assert_eq!(from_with(&["local-esmtps"]).as_deref(), Some("ESMTPS"));
        assert_eq!(
            from_with(&["ESMTP/TLS/DHE-RSA-AES256-GCM-SHA384"]).as_deref(),
            Some("ESMTP")
        );
        assert_eq!(
            from_with(&["[XMail 1.20 ESMTP Server]"]).as_deref(),
            Some("ESMTP")
        );
        assert_eq!(
            from_with(&["MailEnable", "ESMTP"]).as_deref(),
            Some("ESMTP")
        );
        assert_eq!(from_with(&["mapi"]).as_deref(), Some("MAPI"));
        assert_eq!(from_with(&["HTTPREST"]).as_deref(), Some("HTTPREST"));
        assert_eq!(from_via("smap"), None);
        assert_eq!(from_via("ESMTP").as_deref(), Some("ESMTP"));
    }

    #[test]
    fn evidence_by_keyword() {
        assert_eq!(evidence(Some("ESMTPS")), Evidence::Tls);
        assert_eq!(evidence(Some("UTF8SMTPSA")), Evidence::Tls);
        assert_eq!(evidence(Some("ESMTPA")), Evidence::Plaintext);
        assert_eq!(evidence(Some("MAPI")), Evidence::None);
        assert_eq!(evidence(None), Evidence::None);
    }
}
