//! Dates in Received and Date fields, validated.
//!
//! mail-parser's RFC 822 date parser does the tokenising; it is generous, and odd folding can
//! make it return nonsense (year 1911, day 0). Everything it returns is checked here, and anything
//! implausible becomes "unknown" rather than a wrong timeline. SendGrid's Go-style
//! `2018-04-22 02:54:17.028704749 +0000 UTC` is read by a small parser of our own.

use mail_parser::DateTime;

use super::stack_text::StackText;

/// The earliest and latest years a real Received date can carry.
const MIN_YEAR: u16 = 1980;
const MAX_YEAR: u16 = 2100;

/// A validated date: RFC 3339 text with the writer's offset, and the UTC timestamp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedDate {
    pub rfc3339: super::model::ShortText,
    pub timestamp: i64,
}

pub fn parse(text: &str) -> Option<ParsedDate> {
    let t = super::trim::blank(text);
    if t.is_empty() {
        return None;
    }
    let dt = common_shape(t)
        .or_else(|| DateTime::parse_rfc822(t))
        .filter(is_plausible)
        .or_else(|| parse_iso_like(t))?;
    Some(ParsedDate {
        rfc3339: rfc3339(&dt),
        timestamp: dt.to_timestamp(),
    })
}

/// The shape nearly every receiver writes, `Mon, 2 Nov 2026 10:42:11 +0000` with an optional
/// trailing comment such as `(UTC)`, read directly; any other text goes to mail-parser. For the
/// texts it accepts it gives exactly what mail-parser gives, quirks included (a two-digit-ish
/// year below 100 is moved to 19xx/20xx, the zone is taken modulo 24 hours and 60 minutes): a
/// property test holds it to that. mail-parser's general scanner cost ~1,600 instructions a date.
fn common_shape(t: &str) -> Option<DateTime> {
    const DAYS: [&[u8]; 7] = [b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat", b"Sun"];
    const MONTHS: [&[u8]; 12] = [
        b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov",
        b"Dec",
    ];
    let b = t.as_bytes();
    let digits = |from: usize, len: usize| -> Option<u32> {
        let part = b.get(from..from + len)?;
        part.iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let byte_is = |at: usize, want: u8| b.get(at) == Some(&want);
    let mut i = 0;
    if b.len() >= 5 && b[3] == b',' && b[4] == b' ' && DAYS.contains(&&b[..3]) {
        i = 5;
    }
    let day_len = if byte_is(i + 1, b' ') { 1 } else { 2 };
    let day = digits(i, day_len)?;
    i += day_len;
    if !byte_is(i, b' ') {
        return None;
    }
    let month = MONTHS
        .iter()
        .position(|m| b.get(i + 1..i + 4) == Some(*m))?
        + 1;
    i += 4;
    if !byte_is(i, b' ') {
        return None;
    }
    let year = digits(i + 1, 4)?;
    i += 5;
    if !(byte_is(i, b' ') && byte_is(i + 3, b':') && byte_is(i + 6, b':') && byte_is(i + 9, b' ')) {
        return None;
    }
    let (hour, minute, second) = (digits(i + 1, 2)?, digits(i + 4, 2)?, digits(i + 7, 2)?);
    i += 10;
    let before_gmt = match b.get(i) {
        Some(b'+') => false,
        Some(b'-') => true,
        _ => return None,
    };
    let zone = digits(i + 1, 4)?;
    // The rest may be blank or one plain comment; anything else is mail-parser's to read.
    let rest = super::trim::both(t.get(i + 5..)?, b" \t");
    let plain_comment = rest.len() >= 2
        && rest.starts_with('(')
        && rest.ends_with(')')
        && !rest[1..rest.len() - 1]
            .bytes()
            .any(|c| matches!(c, b'(' | b')' | b'\\' | b'\n' | b'\r'));
    if !(rest.is_empty() || plain_comment) {
        return None;
    }
    let year = match year {
        0..=49 => year + 2000,
        50..=99 => year + 1900,
        _ => year,
    };
    Some(DateTime {
        year: u16::try_from(year).ok()?,
        month: u8::try_from(month).ok()?,
        day: u8::try_from(day).ok()?,
        hour: u8::try_from(hour).ok()?,
        minute: u8::try_from(minute).ok()?,
        second: u8::try_from(second).ok()?,
        tz_before_gmt: before_gmt,
        tz_hour: u8::try_from(zone / 100 % 24).ok()?,
        tz_minute: u8::try_from(zone % 100 % 60).ok()?,
    })
}

/// The same text as mail-parser's `DateTime::to_rfc3339` (`2019-08-19T10:41:21-04:00`, or `Z`
/// for a zero offset), written digit by digit into a stack buffer: through `format!` it was 4%
/// of all analysis time.
fn rfc3339(dt: &DateTime) -> super::model::ShortText {
    let two_digit = [
        dt.month,
        dt.day,
        dt.hour,
        dt.minute,
        dt.second,
        dt.tz_hour,
        dt.tz_minute,
    ];
    if dt.year <= 9999 && two_digit.iter().all(|&v| v < 100) {
        // Every field fits its width (always so for a plausible date): fill a fixed template.
        let mut b = *b"0000-00-00T00:00:00+00:00";
        let put = |b: &mut [u8; 25], at: usize, v: u8| {
            b[at] = b'0' + v / 10;
            b[at + 1] = b'0' + v % 10;
        };
        put(&mut b, 0, (dt.year / 100) as u8);
        put(&mut b, 2, (dt.year % 100) as u8);
        for (at, v) in [5, 8, 11, 14, 17].into_iter().zip(two_digit) {
            put(&mut b, at, v);
        }
        let len = if dt.tz_hour == 0 && dt.tz_minute == 0 {
            b[19] = b'Z';
            20
        } else {
            b[19] = if dt.tz_before_gmt { b'-' } else { b'+' };
            put(&mut b, 20, dt.tz_hour);
            put(&mut b, 23, dt.tz_minute);
            25
        };
        return super::model::ShortText::from(std::str::from_utf8(&b[..len]).unwrap_or_default());
    }
    let mut out = StackText::default();
    out.padded(u64::from(dt.year), 4);
    out.push(b'-');
    out.padded(u64::from(dt.month), 2);
    out.push(b'-');
    out.padded(u64::from(dt.day), 2);
    out.push(b'T');
    out.padded(u64::from(dt.hour), 2);
    out.push(b':');
    out.padded(u64::from(dt.minute), 2);
    out.push(b':');
    out.padded(u64::from(dt.second), 2);
    if dt.tz_hour == 0 && dt.tz_minute == 0 {
        out.push(b'Z');
    } else {
        out.push(if dt.tz_before_gmt { b'-' } else { b'+' });
        out.padded(u64::from(dt.tz_hour), 2);
        out.push(b':');
        out.padded(u64::from(dt.tz_minute), 2);
    }
    out.finish()
}

fn is_plausible(dt: &DateTime) -> bool {
    (MIN_YEAR..=MAX_YEAR).contains(&dt.year)
        && (1..=12).contains(&dt.month)
        && dt.day >= 1
        && dt.day <= days_in_month(dt.year, dt.month)
        && dt.hour < 24
        && dt.minute < 60
        && dt.second <= 60
        && dt.tz_hour <= 14
        && dt.tz_minute < 60
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

/// `YYYY-MM-DD HH:MM:SS[.frac] [+ZZZZ]`.
fn parse_iso_like(t: &str) -> Option<DateTime> {
    let start = t.find(|c: char| c.is_ascii_digit())?;
    let s = &t[start..];
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    if s.get(4..5)? != "-" || s.get(7..8)? != "-" || s.get(13..14)? != ":" {
        return None;
    }
    let mut dt = DateTime {
        year: u16::try_from(num(0..4)?).ok()?,
        month: u8::try_from(num(5..7)?).ok()?,
        day: u8::try_from(num(8..10)?).ok()?,
        hour: u8::try_from(num(11..13)?).ok()?,
        minute: u8::try_from(num(14..16)?).ok()?,
        second: u8::try_from(num(17..19)?).ok()?,
        tz_before_gmt: false,
        tz_hour: 0,
        tz_minute: 0,
    };
    if let Some(sign_pos) = s[19..].find(['+', '-']) {
        let tz = &s[19 + sign_pos..];
        if let (Some(h), Some(m)) = (tz.get(1..3), tz.get(3..5))
            && let (Ok(h), Ok(m)) = (h.parse::<u8>(), m.parse::<u8>())
        {
            dt.tz_before_gmt = tz.starts_with('-');
            dt.tz_hour = h;
            dt.tz_minute = m;
        }
    }
    is_plausible(&dt).then_some(dt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_common_forms() {
        let d = parse("Mon, 19 Aug 2019 10:41:21 -0400").unwrap();
        assert_eq!(d.rfc3339, "2019-08-19T10:41:21-04:00");
        assert_eq!(d.timestamp, 1_566_225_681);
        assert!(parse("Mon, 19 Aug 2019 08:41:18 -0600 (MDT)").is_some());
        assert!(parse("2018-04-22 02:54:17.028704749 +0000 UTC").is_some());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]

        /// Whatever the direct reader accepts, it reads as mail-parser does.
        #[test]
        fn common_shape_reads_as_mail_parser_reads(
            t in "((Mon|Sun|Xyz|mon), )?[0-9]{1,2} (Jan|Feb|Aug|Dec|Foo|aug|AUG) [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} [-+][0-9]{4}[ \t]*(\\([A-Za-z0-9 ;:+\\\\()]{0,6}\\)?)?[ \t]*"
        ) {
            if let Some(direct) = common_shape(&t) {
                proptest::prop_assert_eq!(Some(direct), DateTime::parse_rfc822(&t), "{}", t);
            }
        }

        /// Nor does it accept what it should leave alone and then disagree.
        #[test]
        fn common_shape_never_disagrees_on_near_misses(t in "[MonJa, 0-9:+\\-()\\r\\n\\t;]{0,40}") {
            if let Some(direct) = common_shape(&t) {
                proptest::prop_assert_eq!(Some(direct), DateTime::parse_rfc822(&t), "{}", t);
            }
        }

        #[test]
        fn rfc3339_text_is_mail_parsers(
            year in 0u16..=u16::MAX, month: u8, day: u8, hour: u8, minute: u8, second: u8,
            tz_before_gmt: bool, tz_hour in 0u8..=20, tz_minute in 0u8..=70,
        ) {
            let dt = DateTime { year, month, day, hour, minute, second, tz_before_gmt, tz_hour, tz_minute };
            proptest::prop_assert_eq!(rfc3339(&dt), dt.to_rfc3339());
        }

        /// The same, over the values real dates have (the template path).
        #[test]
        fn rfc3339_text_of_usual_dates_is_mail_parsers(
            year in 0u16..=10_100, month in 0u8..=100, day in 0u8..=100, hour in 0u8..=100,
            minute in 0u8..=100, second in 0u8..=100, tz_before_gmt: bool, tz_hour in 0u8..=100,
            tz_minute in 0u8..=100,
        ) {
            let dt = DateTime { year, month, day, hour, minute, second, tz_before_gmt, tz_hour, tz_minute };
            proptest::prop_assert_eq!(rfc3339(&dt), dt.to_rfc3339());
        }
    }

    #[test]
    fn common_shape_takes_the_usual_forms_only() {
        for t in [
            "Mon, 19 Aug 2019 10:41:21 -0400",
            "Mon, 19 Aug 2019 08:41:18 -0600 (MDT)",
            "2 Nov 2026 10:00:00 +0000",
            "Thu, 05 Feb 2026 23:59:60 +1400  ",
        ] {
            assert!(common_shape(t).is_some(), "{t}");
            assert_eq!(common_shape(t), DateTime::parse_rfc822(t), "{t}");
        }
        for t in [
            "Mon, 19 Aug 2019 10:41 -0400",
            "Mon, 19 Aug 19 10:41:21 -0400",
            "Mon, 19 Aug 2019 10:41:21 GMT",
            "Mon, 19 Aug 2019 10:41:21 -0400 extra",
            "Mon, 19 Aug 2019\r\n 10:41:21 -0400",
        ] {
            assert_eq!(common_shape(t), None, "{t}");
        }
    }

    #[test]
    fn rejects_nonsense() {
        assert_eq!(parse(""), None);
        assert_eq!(parse("garbage"), None);
        assert_eq!(parse("Mon, 32 Aug 2019 10:41:21 -0400"), None);
        assert_eq!(parse("Mon, 19 Aug 1911 10:41:21 -0400"), None);
        assert_eq!(parse("Tue, 29 Feb 2023 10:00:00 +0000"), None);
    }
}
