//! Message metadata for display: From, Subject, Date, Message-ID.
//!
//! Plain ASCII values are used as they are (fast path). Values with RFC 2047 encoded words
//! (`=?utf-8?q?...?=`) are decoded by mail-parser, which handles charsets we should not
//! reimplement.

use mail_parser::{Address, MessageParser};

/// Collapses folding whitespace into single spaces.
pub fn unfold(value: &str) -> String {
    // Most values are printable ASCII with single spaces between words already: copied as they
    // are, which is what the split and join below would give them.
    let b = value.as_bytes();
    let mut simple = b.first() != Some(&b' ') && b.last() != Some(&b' ');
    let mut previous = 0u8;
    for &c in b {
        simple &= (b' '..0x7f).contains(&c) && !(c == b' ' && previous == b' ');
        previous = c;
    }
    if simple {
        return value.to_string();
    }
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn subject(value: &str) -> String {
    if !value.contains("=?") {
        return unfold(value);
    }
    let buf = format!("Subject: {value}\r\n\r\n");
    MessageParser::new()
        .parse_headers(buf.as_bytes())
        .and_then(|m| m.subject().map(str::to_string))
        .unwrap_or_else(|| unfold(value))
}

pub fn from(value: &str) -> String {
    if !value.contains("=?") {
        return unfold(value);
    }
    let buf = format!("From: {value}\r\n\r\n");
    let parsed = MessageParser::new().parse_headers(buf.as_bytes());
    let decoded = parsed
        .as_ref()
        .and_then(|m| m.from())
        .and_then(|a: &Address<'_>| a.first())
        .map(|addr| match (addr.name(), addr.address()) {
            (Some(n), Some(a)) => format!("{n} <{a}>"),
            (Some(n), None) => n.to_string(),
            (None, Some(a)) => a.to_string(),
            (None, None) => String::new(),
        });
    decoded
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| unfold(value))
}

pub fn message_id(value: &str) -> String {
    // Trimmed in place: one string, not a second copy of the trimmed one.
    let mut id = unfold(value);
    let end = super::trim::end(&id, b"<>").len();
    id.truncate(end);
    let start = id.len() - super::trim::start(&id, b"<>").len();
    id.drain(..start);
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The in-place trim gives what `trim_matches` gives.
        #[test]
        fn message_id_is_the_unfolded_value_trimmed(value in "[<> a\té]{0,12}") {
            proptest::prop_assert_eq!(
                message_id(&value),
                unfold(&value).trim_matches(['<', '>']).to_string()
            );
        }
    }

    proptest::proptest! {
        /// The copy taken for simple values is what splitting and joining gives.
        #[test]
        fn unfold_is_split_and_join(
            value in proptest::prop_oneof!["[ab ]{0,12}", "[a-z \t\r\n\u{a0}\u{3000}é<>@.\x7f]{0,24}"]
        ) {
            proptest::prop_assert_eq!(
                unfold(&value),
                value.split_whitespace().collect::<Vec<_>>().join(" ")
            );
        }
    }
}
