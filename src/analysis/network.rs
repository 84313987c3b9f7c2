//! IP address extraction and classification for the from/by parts of a Received line.
//!
//! Receivers write the client address in a dozen shapes: `[192.0.2.1]`, `[IPv6:2001:db8::1]`,
//! `[2001:db8::1]:4711`, `(192.0.2.1)`, `(user@192.0.2.1)`, `192.0.2.1:4711`, the dotted-port
//! `10.0.8.6.13219`, `fe80::1%6`. This module turns one candidate token into an address.

use std::net::{IpAddr, Ipv4Addr};

use super::{
    address_text::{parse_ip, parse_ipv4},
    stack_text::StackText,
};

const DOT_OR_COLON: u8 = 1;
/// Bytes where the reader below cuts the token: `:`, brackets, a user part's `@`, a zone's `%`.
const CUTS: u8 = 2;
const NON_HEX_LETTER: u8 = 4;
/// The cuts one by one, so that a token without one skips the pass looking for it.
const AT: u8 = 8;
const CLOSE_BRACKET: u8 = 16;
const PERCENT: u8 = 32;

const fn byte_classes() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        let mut class = 0;
        if b == b'.' || b == b':' {
            class |= DOT_OR_COLON;
        }
        if matches!(b, b':' | b'[' | b']' | b'@' | b'%') {
            class |= CUTS;
        }
        if b.is_ascii_alphabetic() && !b.is_ascii_hexdigit() {
            class |= NON_HEX_LETTER;
        }
        class |= match b {
            b'@' => AT,
            b']' => CLOSE_BRACKET,
            b'%' => PERCENT,
            _ => 0,
        };
        table[c] = class;
        c += 1;
    }
    table
}

/// What each byte can tell the first pass of `parse_ip_token`.
static BYTE_CLASS: [u8; 256] = byte_classes();

/// Parses one candidate token into an address, dropping brackets, `IPv6:` prefixes, user parts,
/// zone ids and ports.
pub fn parse_ip_token(token: &str) -> Option<IpAddr> {
    // Every word of a from part is tried here, so the common misses leave early. Byte by byte:
    // all the delimiters are ASCII, so no cut below can split a multi-byte character.
    let b = token.as_bytes();
    let classes = b
        .iter()
        .fold(0u8, |seen, &c| seen | BYTE_CLASS[usize::from(c)]);
    // Any address shape below has a dot or a colon. A host name (`mx1.example.org`) is turned
    // away in the same pass: with no `:`, brackets, user part or zone, nothing is cut from the
    // middle of the token, so a letter past `f` would reach the hex-digit check below and fail.
    if classes & DOT_OR_COLON == 0 || classes & NON_HEX_LETTER != 0 && classes & CUTS == 0 {
        return None;
    }
    let wrapper = |c: u8| matches!(c, b'[' | b']' | b'(' | b')' | b',' | b'"');
    let mut start = b.iter().position(|&c| !wrapper(c))?;
    let end = b.iter().rposition(|&c| !wrapper(c))? + 1;
    if classes & AT != 0
        && let Some(at) = b[start..end].iter().rposition(|&c| c == b'@')
    {
        start += at + 1;
    }
    while start < end && b[start] == b'[' {
        start += 1;
    }
    // `[addr]:port` leaves `addr]:port` after the trims above.
    let end = cut_before(b, start, end, b']', classes & CLOSE_BRACKET != 0);
    if end - start >= 5 && b[start..start + 5].eq_ignore_ascii_case(b"ipv6:") {
        start += 5;
    }
    let first = *b.get(start..end)?.first()?;
    if !(first.is_ascii_hexdigit() || first == b':') || end - start < 2 {
        return None;
    }
    let end = cut_before(b, start, end, b'%', classes & PERCENT != 0);
    // Every shape below is made of hex digits, dots and colons only; most words reaching here
    // are host names (`mx1.example.org`), turned away without running the address parsers.
    let t = &b[start..end];
    if !t
        .iter()
        .all(|c| c.is_ascii_hexdigit() || *c == b'.' || *c == b':')
    {
        return None;
    }
    if let Some(ip) = parse_ip(t) {
        return Some(ip);
    }
    // 192.0.2.1:4711
    if let Some(colon) = t.iter().rposition(|&c| c == b':')
        && t[colon + 1..].iter().all(u8::is_ascii_digit)
        && t[..colon].contains(&b'.')
        && let Some(v4) = parse_ipv4(&t[..colon])
    {
        return Some(IpAddr::V4(v4));
    }
    // 10.0.8.6.13219: an old Exim habit of appending the port with a dot.
    if t.iter().filter(|&&c| c == b'.').count() == 4
        && let Some(dot) = t.iter().rposition(|&c| c == b'.')
        && let Some(v4) = parse_ipv4(&t[..dot])
    {
        return Some(IpAddr::V4(v4));
    }
    None
}

/// The end of `b[start..end]` cut before the first `byte` in it; `present` is false when the
/// first pass saw no such byte in the token, and the search is skipped.
fn cut_before(b: &[u8], start: usize, end: usize, byte: u8, present: bool) -> usize {
    if !present {
        return end;
    }
    b[start..end]
        .iter()
        .position(|&c| c == byte)
        .map_or(end, |p| start + p)
}

/// The address as hopscope prints it. IPv4-mapped IPv6 stays as written (`::ffff:192.0.2.1`).
/// The same text as the standard library's `Display`, written on the stack: every hop prints
/// one or two addresses, and the formatter was a twentieth of the analysis time.
pub fn display_ip(ip: IpAddr) -> super::model::ShortText {
    let mut out = StackText::default();
    match ip {
        IpAddr::V4(v4) => write_v4(&mut out, v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => {
                out.text(b"::ffff:");
                write_v4(&mut out, v4);
            }
            None => write_v6(&mut out, v6.segments()),
        },
    }
    out.finish()
}

fn write_v4(out: &mut StackText, v4: Ipv4Addr) {
    for (i, octet) in v4.octets().into_iter().enumerate() {
        if i > 0 {
            out.push(b'.');
        }
        out.padded(u64::from(octet), 1);
    }
}

/// RFC 5952 text, as the standard library writes it: lower-case hex groups, the longest run of
/// two or more zero groups (the first, on a tie) written `::`.
fn write_v6(out: &mut StackText, groups: [u16; 8]) {
    let (mut best_start, mut best_len, mut run_start, mut run_len) = (0, 0, 0, 0);
    for (i, &g) in groups.iter().enumerate() {
        if g == 0 {
            if run_len == 0 {
                run_start = i;
            }
            run_len += 1;
            if run_len > best_len {
                (best_start, best_len) = (run_start, run_len);
            }
        } else {
            run_len = 0;
        }
    }
    if best_len > 1 {
        write_groups(out, &groups[..best_start]);
        out.text(b"::");
        write_groups(out, &groups[best_start + best_len..]);
    } else {
        write_groups(out, &groups);
    }
}

fn write_groups(out: &mut StackText, groups: &[u16]) {
    for (i, &g) in groups.iter().enumerate() {
        if i > 0 {
            out.push(b':');
        }
        let mut started = false;
        for shift in [12, 8, 4, 0] {
            let nibble = (g >> shift) & 0xf;
            if nibble != 0 || started || shift == 0 {
                started = true;
                out.push(b"0123456789abcdef"[usize::from(nibble)]);
            }
        }
    }
}

/// Loopback, private (RFC 1918), link-local, unique-local (ULA), CGNAT and unspecified addresses:
/// a hop from one of these never crossed the public internet.
pub fn is_non_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_non_public_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_non_public_v4(v4);
            }
            let seg0 = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || (seg0 & 0xfe00) == 0xfc00 // ULA fc00::/7
                || (seg0 & 0xffc0) == 0xfe80 // link-local fe80::/10
        }
    }
}

fn is_non_public_v4(v4: Ipv4Addr) -> bool {
    let o = v4.octets();
    v4.is_loopback()
        || v4.is_private()
        || v4.is_link_local()
        || v4.is_unspecified()
        || (o[0] == 100 && (o[1] & 0xc0) == 64) // CGNAT 100.64.0.0/10
}

pub fn is_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v| v.is_loopback()),
    }
}

/// Same /24 (IPv4) or /48 (IPv6): close enough to be one operator's network.
pub fn same_network(a: IpAddr, b: IpAddr) -> bool {
    match (unmap(a), unmap(b)) {
        (IpAddr::V4(a), IpAddr::V4(b)) => a.octets()[..3] == b.octets()[..3],
        (IpAddr::V6(a), IpAddr::V6(b)) => a.segments()[..3] == b.segments()[..3],
        _ => false,
    }
}

fn unmap(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

/// True when the token is an IP literal rather than a host name (used for `by [192.0.2.1]`).
pub fn looks_like_ip(token: &str) -> bool {
    parse_ip_token(token).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Option<super::super::model::ShortText> {
        parse_ip_token(s).map(display_ip)
    }

    /// The address reader before it worked byte by byte: the byte-wise one must agree with it.
    fn char_wise_reference(token: &str) -> Option<IpAddr> {
        let mut t = token.trim_matches(|c: char| matches!(c, '[' | ']' | '(' | ')' | ',' | '"'));
        if let Some(at) = t.rfind('@') {
            t = &t[at + 1..];
        }
        t = t.trim_start_matches('[');
        if let Some(close) = t.find(']') {
            t = &t[..close];
        }
        if t.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("ipv6:")) {
            t = &t[5..];
        }
        let first = *t.as_bytes().first()?;
        if !(first.is_ascii_hexdigit() || first == b':') || t.len() < 2 {
            return None;
        }
        if let Some(pct) = t.find('%') {
            t = &t[..pct];
        }
        if let Ok(ip) = t.parse::<IpAddr>() {
            return Some(ip);
        }
        if let Some((host, port)) = t.rsplit_once(':')
            && port.bytes().all(|b| b.is_ascii_digit())
            && host.contains('.')
            && let Ok(v4) = host.parse::<Ipv4Addr>()
        {
            return Some(IpAddr::V4(v4));
        }
        if t.bytes().filter(|&b| b == b'.').count() == 4
            && let Some((host, _port)) = t.rsplit_once('.')
            && let Ok(v4) = host.parse::<Ipv4Addr>()
        {
            return Some(IpAddr::V4(v4));
        }
        None
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]

        #[test]
        fn byte_wise_reader_agrees_with_the_char_wise_one(
            token in proptest::prop_oneof![
                // Any mix of the characters the reader cares about...
                "[\\[\\]()@,\"%:.0-9a-fA-FIiPpVv6xé]{0,24}",
                // ...and address shapes: wrappers, user parts, IPv6: prefixes, ports, zones.
                "[\\[(\"]{0,2}([a-zé]{0,3}@){0,2}\\[?((IPv6|ipv6):)?(([0-9]{1,3}\\.){3}[0-9]{1,3}|[0-9a-f:]{2,20})(\\]?(:[0-9]{1,5}|\\.[0-9]{1,5})?|%[a-z0-9]{1,3})?[\\])\",]{0,2}",
            ]
        ) {
            proptest::prop_assert_eq!(parse_ip_token(&token), char_wise_reference(&token));
        }

        #[test]
        fn ipv6_is_written_like_the_standard_library_writes_it(
            groups in proptest::array::uniform8(proptest::prop_oneof![
                proptest::prelude::Just(0u16),
                proptest::prelude::Just(1u16),
                proptest::prelude::Just(0xffffu16),
                proptest::prelude::any::<u16>(),
            ])
        ) {
            let ip = IpAddr::V6(std::net::Ipv6Addr::from(groups));
            proptest::prop_assert_eq!(display_ip(ip).to_string(), ip.to_string());
        }
    }

    #[test]
    fn special_ipv6_shapes_are_written_like_the_standard_library_writes_them() {
        for text in [
            "::",
            "::1",
            "1::",
            "::ffff:192.0.2.1",
            "::ffff:0.0.0.0",
            "::fffe:c000:201",
            "64:ff9b::c000:201",
            "1:0:0:1:0:0:0:1",
            "1:0:0:1:1:0:0:1",
            "1:0:1:0:1:0:1:0",
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
            "fe80::1",
        ] {
            let ip: IpAddr = text.parse().unwrap();
            assert_eq!(display_ip(ip).as_str(), ip.to_string(), "{text}");
        }
    }

    #[test]
    fn ipv4_is_written_like_the_standard_library_writes_it() {
        for a in 0..=255u8 {
            for b in [0u8, 1, 9, 10, 99, 100, 101, 199, 200, 255] {
                let ip = IpAddr::V4(Ipv4Addr::new(a, b, 255 - a, b / 3));
                assert_eq!(display_ip(ip).as_str(), ip.to_string());
            }
        }
    }

    #[test]
    fn parses_every_shape() {
        assert_eq!(p("[192.0.2.1]").as_deref(), Some("192.0.2.1"));
        assert_eq!(p("[IPv6:2001:db8::1]").as_deref(), Some("2001:db8::1"));
        assert_eq!(p("[2001:db8::1]:4711").as_deref(), Some("2001:db8::1"));
        assert_eq!(p("user@192.0.2.7").as_deref(), Some("192.0.2.7"));
        assert_eq!(p("192.0.2.1:4711").as_deref(), Some("192.0.2.1"));
        assert_eq!(p("10.0.8.6.13219").as_deref(), Some("10.0.8.6"));
        assert_eq!(p("fe80::1%6").as_deref(), Some("fe80::1"));
        assert_eq!(p("[::ffff:127.0.0.1]").as_deref(), Some("::ffff:127.0.0.1"));
        assert_eq!(p("[IPv6:::1]").as_deref(), Some("::1"));
        assert_eq!(p("example.org"), None);
        assert_eq!(p("deadbeef"), None);
        assert_eq!(p("BAY403-EAS373"), None);
    }

    #[test]
    fn classifies_ranges() {
        for s in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.1.1",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:10.0.0.1",
        ] {
            assert!(is_non_public(s.parse().unwrap()), "{s}");
        }
        for s in ["192.0.2.1", "8.8.8.8", "2001:db8::1", "100.128.0.1"] {
            assert!(!is_non_public(s.parse().unwrap()), "{s}");
        }
        assert!(same_network(
            "198.51.100.7".parse().unwrap(),
            "198.51.100.200".parse().unwrap()
        ));
        assert!(!same_network(
            "198.51.100.7".parse().unwrap(),
            "198.51.101.7".parse().unwrap()
        ));
        assert!(same_network(
            "2001:db8:1::1".parse().unwrap(),
            "2001:db8:1:ff::2".parse().unwrap()
        ));
    }
}
