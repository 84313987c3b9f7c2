//! Guesses the receiving software or provider from the shape of its Received line.
//!
//! The family matters twice: users like to see it, and some families are known to write a TLS
//! keyword or note whenever TLS is used, which turns a silent hop into evidence of plaintext
//! (`records_tls_in_format`). Rules are ordered from the most to the least specific.

use std::sync::OnceLock;

use super::{needles::Needles, stack_text::with_ascii_lowercase};

/// Signals in the line's text (matched case-insensitively) that name a family, most specific first.
const TEXT_RULES: &[(&str, &str)] = &[
    ("(postfix", "postfix"),
    ("(exim ", "exim"),
    ("microsoft smtpsvc", "microsoft-smtpsvc"),
    ("google transport security", "gmail"),
    ("(opensmtpd)", "opensmtpd"),
    ("(stalwart", "stalwart"),
    ("(haraka", "haraka"),
    ("(zimbra", "zimbra"),
    ("zimbra lmtp", "zimbra"),
    ("(dovecot)", "dovecot"),
    ("(cyrus", "cyrus"),
    ("communigate", "communigate"),
    ("zmailer", "zmailer"),
    ("rhost-flags", "zmailer"),
    ("qpsmtpd", "qpsmtpd"),
    ("qmail", "qmail"),
    ("courier", "courier"),
    ("(tls: ", "courier"),
    (", tls: ", "courier"),
    ("(auth: ", "courier"),
    ("(amavis", "amavis"),
    ("(halon)", "halon"),
    ("mdaemon", "mdaemon"),
    ("ecelerity", "ecelerity"),
    ("(sg)", "sendgrid"),
    ("meproxy", "fastmail"),
    ("xmail", "xmail"),
    ("ironport", "ironport"),
    ("/tls/", "ironport"),
    ("mimecast", "mimecast"),
    ("with both starttls", "mimecast"),
];

/// Registrable names (two labels, lower case) whose hosts are one provider's receivers. A host
/// matches when its own last two labels are the name, which is what matching the suffix at a
/// label boundary means for a name of two labels.
const BY_HOST_RULES: &[(&str, &str)] = &[
    ("google.com", "gmail"),
    ("gmail.com", "gmail"),
    ("1e100.net", "gmail"),
    ("outlook.com", "exchange-online"),
    ("hotmail.com", "exchange-online"),
    ("exchangelabs.com", "exchange-online"),
    ("yahoo.com", "yahoo"),
    ("yahoo.net", "yahoo"),
    ("yahoodns.net", "yahoo"),
    ("icloud.com", "icloud"),
    ("me.com", "icloud"),
    ("pphosted.com", "proofpoint"),
    ("ppe-hosted.com", "proofpoint"),
    ("mimecast.com", "mimecast"),
    ("amazonses.com", "amazon-ses"),
    ("zohomail.com", "zoho"),
    ("zoho.com", "zoho"),
    ("messagingengine.com", "fastmail"),
    ("sendgrid.net", "sendgrid"),
    ("iphmx.com", "ironport"),
];

/// The rules' texts, "microsoft smtp server" first (index 0), then `TEXT_RULES` in order.
fn rule_texts() -> impl Iterator<Item = &'static str> {
    std::iter::once("microsoft smtp server").chain(TEXT_RULES.iter().map(|r| r.0))
}

fn matcher() -> Option<&'static Needles> {
    static MATCHER: OnceLock<Option<Needles>> = OnceLock::new();
    MATCHER
        .get_or_init(|| Needles::new(&rule_texts().collect::<Vec<_>>()))
        .as_ref()
}

/// Index of the highest-priority rule found anywhere in `text` (0 = Microsoft SMTP Server).
fn best_text_rule(text: &str) -> Option<usize> {
    best_rule_with(matcher()?, text)
}

fn best_rule_with(m: &Needles, text: &str) -> Option<usize> {
    // Rules are lower-case ASCII; lower-casing the line makes the search case-insensitive.
    with_ascii_lowercase(text.as_bytes(), |lower| m.first_present(lower))
}

pub struct MtaInput<'a> {
    pub text: &'a str,
    pub by_host: Option<&'a str>,
    pub by_comment: Option<&'a str>,
    pub protocol: Option<&'a str>,
    pub id: Option<&'a str>,
}

pub fn detect(input: &MtaInput<'_>) -> Option<&'static str> {
    let rule = best_text_rule(input.text);
    if rule == Some(0) || input.protocol == Some("MAPI") {
        let online = input.by_host.is_some_and(|h| {
            ["outlook.com", "exchangelabs.com", "hotmail.com"]
                .iter()
                .any(|s| ends_with_ci(h, s))
        });
        return Some(if online {
            "exchange-online"
        } else {
            "exchange"
        });
    }
    if let Some(i) = rule {
        return TEXT_RULES.get(i - 1).map(|r| r.1);
    }
    if let Some(family) = input.by_host.and_then(by_host_rule) {
        return Some(family);
    }
    if let Some(comment) = input.by_comment
        && is_sendmail_version(comment)
    {
        return Some("sendmail");
    }
    if input.id.is_some_and(is_exim_id) {
        return Some("exim");
    }
    if matches!(input.protocol, Some("LMTP" | "LMTPS")) {
        // Dovecot's LMTP server writes `with LMTP id <base64>`; Cyrus names itself above.
        return Some("dovecot");
    }
    None
}

/// The provider `BY_HOST_RULES` names for a receiver, looked up by its last two labels.
fn by_host_rule(by: &str) -> Option<&'static str> {
    let b = by.as_bytes();
    let last_dot = memchr::memrchr(b'.', b)?;
    let start = memchr::memrchr(b'.', &b[..last_dot]).map_or(0, |d| d + 1);
    let tail = &b[start..];
    BY_HOST_RULES
        .iter()
        .find(|(name, _)| tail.eq_ignore_ascii_case(name.as_bytes()))
        .map(|rule| rule.1)
}

/// ASCII case-insensitive `ends_with`, without allocating.
fn ends_with_ci(s: &str, suffix: &str) -> bool {
    s.len() >= suffix.len()
        && s.as_bytes()[s.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

/// sendmail writes its version after `by host`: `(8.14.4/8.13.8)`, `(8.15.2/8.15.2/Submit)`.
fn is_sendmail_version(comment: &str) -> bool {
    let c = comment.trim();
    let first = c.split('/').next().unwrap_or_default();
    let looks_versioned = first.split('.').count() >= 2
        && first
            .trim_start_matches(|ch: char| ch.is_ascii_alphabetic() || ch == '-')
            .starts_with(|ch: char| ch.is_ascii_digit());
    c.contains('/') && looks_versioned
}

/// Exim queue ids look like `1vvwc3-0008W3-BW` (4.9x: `1t4QlJ-0000000DOzK-3kR9`).
fn is_exim_id(id: &str) -> bool {
    let mut parts = id.split('-');
    let lens = [parts.next(), parts.next(), parts.next(), parts.next()].map(|p| p.map(str::len));
    matches!(lens, [Some(6), Some(6 | 11), Some(2 | 4), None])
}

/// Families whose Received format shows TLS whenever it was used, with an `S` keyword or a note:
/// for them a plain `ESMTP` is a statement that the hop ran in plaintext.
pub fn records_tls_in_format(family: &str) -> bool {
    matches!(
        family,
        "postfix"
            | "exim"
            | "sendmail"
            | "opensmtpd"
            | "stalwart"
            | "exchange-online"
            | "exchange"
            | "gmail"
            | "courier"
            | "haraka"
            | "zimbra"
            | "communigate"
            | "halon"
            | "icloud"
            | "fastmail"
            | "proofpoint"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str, by: &str, by_comment: Option<&str>) -> Option<&'static str> {
        detect(&MtaInput {
            text,
            by_host: Some(by),
            by_comment,
            protocol: None,
            id: None,
        })
    }

    /// The rule the scan picks is the first rule, in priority order, found anywhere in the text.
    fn first_rule_by_brute_force(text: &str) -> Option<usize> {
        let lower = text.to_ascii_lowercase();
        rule_texts().position(|p| lower.contains(p))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        /// Texts made of whole and partial rules, overlapping, in any case, with other bytes.
        #[test]
        fn scan_finds_the_first_rule_present(
            pieces in proptest::collection::vec(
                (0..TEXT_RULES.len() + 1, 0usize..30, 0usize..30, 0u8..3),
                0..8,
            ),
            filler in "[ a-zé(]{0,3}",
        ) {
            let all: Vec<&str> = rule_texts().collect();
            let mut text = String::new();
            for (rule, a, b, case) in pieces {
                let p = all[rule];
                let (lo, hi) = (a.min(b).min(p.len()), a.max(b).min(p.len()));
                let piece = if lo == hi { p } else { &p[lo..hi] };
                match case {
                    0 => text.push_str(piece),
                    1 => text.push_str(&piece.to_ascii_uppercase()),
                    _ => {
                        text.push_str(&filler);
                        text.push_str(piece);
                    }
                }
            }
            let expected = first_rule_by_brute_force(&text);
            proptest::prop_assert_eq!(best_text_rule(&text), expected);
            // Both ways of searching, whichever this CPU picks: the packed search where it has
            // the SIMD, the automaton elsewhere.
            let rules: Vec<&str> = rule_texts().collect();
            for m in [Needles::packed(&rules), Needles::automaton(&rules)].iter().flatten() {
                proptest::prop_assert_eq!(best_rule_with(m, &text), expected);
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        /// The two-label lookup answers as matching every rule's name as a suffix at a label
        /// boundary would, the first rule winning.
        #[test]
        fn by_host_lookup_matches_suffix_rules(
            labels in proptest::collection::vec(
                "(GOOGLE|google|com|net|outlook|Protection|prod|pphosted|me|1e100|x-me|mx[0-9]|é|)",
                0..5,
            ),
            trailing_dot in proptest::bool::ANY,
        ) {
            let mut host = labels.join(".");
            if trailing_dot {
                host.push('.');
            }
            let expected = BY_HOST_RULES
                .iter()
                .find(|(suffix, _)| {
                    ends_with_ci(&host, suffix)
                        && (host.len() == suffix.len()
                            || host.as_bytes().get(host.len() - suffix.len() - 1) == Some(&b'.'))
                })
                .map(|r| r.1);
            proptest::prop_assert_eq!(by_host_rule(&host), expected, "{}", host);
        }
    }

    #[test]
    fn by_host_rule_names_have_two_lower_case_labels() {
        for (name, _) in BY_HOST_RULES {
            assert_eq!(name.matches('.').count(), 1, "{name}");
            assert_eq!(*name, name.to_ascii_lowercase());
        }
        assert_eq!(
            by_host_rule("AM8PR01MB7001.eurprd01.PROD.outlook.com"),
            Some("exchange-online")
        );
        assert_eq!(by_host_rule("mail-sor-f41.google.com"), Some("gmail"));
        assert_eq!(by_host_rule("notgoogle.com"), None);
        assert_eq!(by_host_rule("google.com."), None);
    }

    #[test]
    fn rules_are_lower_case_so_the_lower_cased_line_finds_them() {
        for rule in rule_texts() {
            assert_eq!(rule, rule.to_ascii_lowercase());
        }
    }

    #[test]
    fn long_lines_and_overlaps() {
        let long = format!("{} (Postfix) {}", "x".repeat(600), "qmail ".repeat(50));
        assert_eq!(best_text_rule(&long), first_rule_by_brute_force(&long));
        assert_eq!(best_text_rule(&long), Some(1));
        for t in [
            "x (ZIMBRA LMTP",
            "with ESMTP/TLS/(exim 4",
            "by x with Microsoft SMTP Server",
            "",
        ] {
            assert_eq!(best_text_rule(t), first_rule_by_brute_force(t), "{t}");
        }
    }

    #[test]
    fn families() {
        assert_eq!(
            d("from a by b (Postfix) with ESMTPS", "b", Some("Postfix")),
            Some("postfix")
        );
        assert_eq!(
            d(
                "from a by def.luxsci.com (8.14.4/8.13.8) with ESMTP",
                "def.luxsci.com",
                Some("8.14.4/8.13.8")
            ),
            Some("sendmail")
        );
        assert_eq!(
            d(
                "by x with Microsoft SMTP Server (TLS)",
                "x.prod.outlook.com",
                None
            ),
            Some("exchange-online")
        );
        assert_eq!(
            d("by mx.google.com with SMTPS", "mx.google.com", None),
            Some("gmail")
        );
        assert_eq!(d("(qmail 1 invoked by uid 89)", "", None), Some("qmail"));
        assert_eq!(
            d("by x (Exim 4.92) with esmtp", "x", None),
            None.or(Some("exim"))
        );
        assert_eq!(d("from a by b with ESMTP", "b.example", None), None);
        assert!(records_tls_in_format("postfix"));
        assert!(!records_tls_in_format("qmail"));
    }
}
