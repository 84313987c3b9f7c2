//! IPv4 and IPv6 address text, read with the standard library's grammar but straight off the
//! bytes: every hop has an address or two, and the generic parser in `std` (atomic reads with
//! rollback, char decoding, checked arithmetic in a generic number type) cost over a thousand
//! instructions per IPv6 address.
//!
//! The grammar, as `str::parse::<IpAddr>` accepts it:
//! - IPv4: exactly four decimal parts of one to three digits, each at most 255, no leading zero
//!   (`01` is refused, `0` is fine).
//! - IPv6: up to eight hex groups of one to four digits separated by `:`, at most one `::`
//!   standing for one or more zero groups, and an IPv4 address in place of the last two groups
//!   (only after `::` or as the seventh and eighth group).
//!
//! The whole text must be the address. A property test holds this reader to `std`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The address `text` is, exactly as `text.parse::<IpAddr>()` would read it.
pub fn parse_ip(text: &[u8]) -> Option<IpAddr> {
    // A text that starts with a whole IPv4 address is never also an IPv6 address (the IPv6
    // grammar would read that IPv4 part as two groups with nothing allowed after it), so
    // trying IPv4 first and then IPv6 on the whole text gives std's answer.
    if let Some((v4, end)) = ipv4_at(text, 0) {
        return (end == text.len()).then_some(IpAddr::V4(v4));
    }
    ipv6(text).map(IpAddr::V6)
}

/// The address `text` is, exactly as `text.parse::<Ipv4Addr>()` would read it.
pub fn parse_ipv4(text: &[u8]) -> Option<Ipv4Addr> {
    ipv4_at(text, 0).and_then(|(v4, end)| (end == text.len()).then_some(v4))
}

/// An IPv4 address starting at `at`, and the index just past it.
fn ipv4_at(b: &[u8], at: usize) -> Option<(Ipv4Addr, usize)> {
    let mut octets = [0u8; 4];
    let mut i = at;
    for (k, octet) in octets.iter_mut().enumerate() {
        if k > 0 {
            if b.get(i) != Some(&b'.') {
                return None;
            }
            i += 1;
        }
        let mut end = i;
        while end < b.len() && b[end].is_ascii_digit() {
            end += 1;
        }
        let digits = end - i;
        // A fourth digit makes the part unreadable, as does a leading zero before more digits.
        if digits == 0 || digits > 3 || (digits > 1 && b[i] == b'0') {
            return None;
        }
        let value = b[i..i + digits]
            .iter()
            .fold(0u32, |n, c| n * 10 + u32::from(c - b'0'));
        *octet = u8::try_from(value).ok()?;
        i += digits;
    }
    Some((Ipv4Addr::from(octets), i))
}

/// Each byte's value as a hex digit, or 16 for a byte that is not one.
const fn hex_digit_values() -> [u8; 256] {
    let mut table = [16u8; 256];
    let mut d = 0;
    while d < 10 {
        table[b'0' as usize + d] = d as u8;
        d += 1;
    }
    let mut l = 0;
    while l < 6 {
        table[b'a' as usize + l] = 10 + l as u8;
        table[b'A' as usize + l] = 10 + l as u8;
        l += 1;
    }
    table
}

static HEX_VALUE: [u8; 256] = hex_digit_values();

/// The run of hex digits starting at `at`: its length, and its value (meaningful for runs of
/// up to four digits).
fn hex_run(b: &[u8], at: usize) -> (usize, u16) {
    let mut value = 0u16;
    let mut i = at;
    while let Some(&c) = b.get(i) {
        let digit = HEX_VALUE[usize::from(c)];
        if digit > 15 {
            break;
        }
        value = (value << 4) | u16::from(digit);
        i += 1;
    }
    (i - at, value)
}

/// Reads up to `slots.len()` groups from `at`, `:`-separated; the last two may be an IPv4
/// address. Returns how many slots were filled, whether an IPv4 address ended the run, and the
/// index after the last thing read. A separator not followed by a group is left unread.
fn groups_at(b: &[u8], at: usize, slots: &mut [u16]) -> (usize, bool, usize) {
    let limit = slots.len();
    let mut i = at;
    for k in 0..limit {
        let mut j = i;
        if k > 0 {
            if b.get(j) != Some(&b':') {
                return (k, false, i);
            }
            j += 1;
        }
        let (digits, value) = hex_run(b, j);
        // An IPv4 address's first part is a run of decimal digits, so it ends where the hex run
        // does, at a dot: only then is it worth trying.
        if k + 1 < limit
            && b.get(j + digits) == Some(&b'.')
            && let Some((v4, end)) = ipv4_at(b, j)
        {
            let o = v4.octets();
            slots[k] = u16::from_be_bytes([o[0], o[1]]);
            slots[k + 1] = u16::from_be_bytes([o[2], o[3]]);
            return (k + 2, true, end);
        }
        if digits == 0 || digits > 4 {
            return (k, false, i);
        }
        slots[k] = value;
        i = j + digits;
    }
    (limit, false, i)
}

fn ipv6(b: &[u8]) -> Option<Ipv6Addr> {
    let mut head = [0u16; 8];
    let (head_len, head_v4, i) = groups_at(b, 0, &mut head);
    if head_len == 8 {
        return (i == b.len()).then(|| Ipv6Addr::from(head));
    }
    // An IPv4 part may only end the address, after `::` when there are fewer than six groups.
    if head_v4 || b.get(i..i + 2) != Some(b"::".as_slice()) {
        return None;
    }
    // `::` stands for at least one zero group, so at most 7 - head_len groups follow it.
    let mut tail = [0u16; 7];
    let tail_room = 7 - head_len;
    let (tail_len, _, end) = groups_at(b, i + 2, &mut tail[..tail_room]);
    if end != b.len() {
        return None;
    }
    head[8 - tail_len..].copy_from_slice(&tail[..tail_len]);
    Some(Ipv6Addr::from(head))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn std_ip(text: &str) -> Option<IpAddr> {
        text.parse().ok()
    }

    /// Address texts near the valid ones: well-formed addresses written in several ways, then
    /// possibly damaged by one inserted, removed or replaced character.
    fn near_addresses() -> impl Strategy<Value = String> {
        let v6 = (
            proptest::array::uniform8(prop_oneof![Just(0u16), Just(1u16), any::<u16>()]),
            0..4usize,
        )
            .prop_map(|(groups, form)| {
                let ip = Ipv6Addr::from(groups);
                match form {
                    0 => ip.to_string(),
                    1 => groups
                        .iter()
                        .map(|g| format!("{g:x}"))
                        .collect::<Vec<_>>()
                        .join(":"),
                    2 => groups
                        .iter()
                        .map(|g| format!("{g:04X}"))
                        .collect::<Vec<_>>()
                        .join(":"),
                    _ => {
                        let o = Ipv4Addr::from(u32::from(groups[6]) << 16 | u32::from(groups[7]));
                        format!("::{:x}:{o}", groups[0])
                    }
                }
            });
        let v4 = any::<[u8; 4]>().prop_map(|o| Ipv4Addr::from(o).to_string());
        (
            prop_oneof![v6, v4],
            0..4usize,
            any::<prop::sample::Index>(),
            "[0-9a-fA-F.:]",
        )
            .prop_map(|(text, damage, at, c)| {
                let mut s = text;
                let at = at.index(s.len() + 1);
                match damage {
                    0 if at < s.len() => {
                        s.remove(at);
                    }
                    1 => s.insert_str(at, &c),
                    2 if at < s.len() => s.replace_range(at..=at, &c),
                    _ => {}
                }
                s
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20000))]

        #[test]
        fn reads_address_text_as_the_standard_library_does(
            text in prop_oneof![
                near_addresses(),
                "[0-9a-fA-F.:]{0,45}",
                "[0:.1f]{0,20}",
                "(::)?([0-9a-f]{0,5}:){0,8}[0-9a-f]{0,5}(:?([0-9]{1,4}\\.){3}[0-9]{1,4})?",
            ]
        ) {
            prop_assert_eq!(parse_ip(text.as_bytes()), std_ip(&text), "{}", text);
            prop_assert_eq!(parse_ipv4(text.as_bytes()), text.parse::<Ipv4Addr>().ok(), "{}", text);
        }
    }

    #[test]
    fn reads_the_shapes_that_matter() {
        for text in [
            "192.0.2.1",
            "0.0.0.0",
            "255.255.255.255",
            "::",
            "::1",
            "2001:db8::1",
            "2001:DB8:0:0:0:0:0:1",
            "::ffff:192.0.2.1",
            "64:ff9b::192.0.2.33",
            "1:2:3:4:5:6:192.0.2.1",
            "1:2:3:4:5:6:7::",
            "::2:3:4:5:6:7:8",
        ] {
            assert_eq!(parse_ip(text.as_bytes()), std_ip(text), "{text}");
            assert!(parse_ip(text.as_bytes()).is_some(), "{text}");
        }
        for text in [
            "",
            "01.2.3.4",
            "256.1.1.1",
            "1.2.3",
            "1.2.3.4.5",
            "1:2:3:4:5:6:7:8:9",
            "1::2::3",
            "12345::",
            "1.2.3.4::",
            "1:1.2.3.4::",
            "1:2:1.2.3.4::5",
            "::1.2.3.4:5",
            "1:2:3:4:5:6:7:1.2.3.4",
            ":1",
            "1:",
        ] {
            assert_eq!(parse_ip(text.as_bytes()), None, "{text}");
            assert_eq!(std_ip(text), None, "{text}");
        }
    }
}
