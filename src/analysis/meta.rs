//! Message metadata for display: From, Subject, Date, Message-ID.
//!
//! Plain ASCII values are used as they are (fast path). Values with RFC 2047 encoded words
//! (`=?utf-8?q?...?=`) are decoded by mail-parser, which handles charsets we should not
//! reimplement.

use mail_parser::{Address, MessageParser};

/// Collapses folding whitespace into single spaces.
pub fn unfold(value: &str) -> String {
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
    unfold(value).trim_matches(['<', '>']).to_string()
}
