//! Authentication-Results (RFC 8601), ARC-Authentication-Results and Received-SPF, for display.
//!
//! Only the newest result per method is kept: that is what the user's own provider concluded.

use super::{model::AuthResults, trim};

/// `authserv-id; spf=pass smtp.mailfrom=...; dkim=pass header.d=...; dmarc=pass ...`
pub fn merge_authentication_results(results: &mut AuthResults, body: &str, arc_form: bool) {
    let mut parts = split_at_byte(body, b';');
    let mut first = trim::blank(parts.next().unwrap_or_default());
    if arc_form {
        // `i=1; mx.example.org; spf=pass ...`: the instance tag comes before the authserv-id.
        if first.starts_with("i=") {
            first = trim::blank(parts.next().unwrap_or_default());
        }
    }
    if results.authserv_id.is_none() {
        let id = first.split_whitespace().next().unwrap_or_default();
        if !id.is_empty() && !id.contains('=') {
            results.authserv_id = Some(id.to_string());
        }
    }
    for part in std::iter::once(first).chain(parts) {
        let part = trim::blank(part);
        let Some(eq) = part.bytes().position(|b| b == b'=') else {
            continue;
        };
        // `=` is ASCII: both cuts are character boundaries.
        let (method, rest) = (&part[..eq], &part[eq + 1..]);
        let method = trim::blank(method);
        let slot = if method.eq_ignore_ascii_case("spf") {
            &mut results.spf
        } else if method.eq_ignore_ascii_case("dkim") {
            &mut results.dkim
        } else if method.eq_ignore_ascii_case("dmarc") {
            &mut results.dmarc
        } else if method.eq_ignore_ascii_case("arc") {
            &mut results.arc
        } else {
            continue;
        };
        if slot.is_some() {
            continue;
        }
        // The result word ends at a blank or a comment (all ASCII: a char boundary).
        let end = rest
            .bytes()
            .position(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'('))
            .unwrap_or(rest.len());
        if end > 0 {
            *slot = Some(rest[..end].to_ascii_lowercase());
        }
    }
}

/// `s.split(char::from(sep))` for an ASCII `sep`, byte by byte: the results are short, and
/// `str::split` started a memchr search for each.
fn split_at_byte(s: &str, sep: u8) -> impl Iterator<Item = &str> {
    let mut rest = Some(s);
    std::iter::from_fn(move || {
        let r = rest?;
        match r.bytes().position(|b| b == sep) {
            Some(i) => {
                rest = r.get(i + 1..);
                r.get(..i)
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// `Received-SPF: Pass (mailfrom) identity=...`
pub fn merge_received_spf(results: &mut AuthResults, body: &str) {
    if results.spf.is_none()
        && let Some(word) = body.split_whitespace().next()
    {
        results.spf = Some(word.to_ascii_lowercase());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The byte-wise split cuts where `str::split` does.
        #[test]
        fn splits_as_str_split_does(s in "[a;=é ]{0,12}") {
            let got: Vec<&str> = split_at_byte(&s, b';').collect();
            let want: Vec<&str> = s.split(';').collect();
            proptest::prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn reads_methods() {
        let mut r = AuthResults::default();
        merge_authentication_results(
            &mut r,
            "mx.example.org;\r\n\tdkim=pass header.d=example.com;\r\n\tspf=softfail (sender) smtp.mailfrom=a@example.com;\r\n\tdmarc=fail (p=none) header.from=example.com",
            false,
        );
        assert_eq!(r.authserv_id.as_deref(), Some("mx.example.org"));
        assert_eq!(r.dkim.as_deref(), Some("pass"));
        assert_eq!(r.spf.as_deref(), Some("softfail"));
        assert_eq!(r.dmarc.as_deref(), Some("fail"));
        merge_authentication_results(&mut r, "i=1; mx.example.org; arc=none", true);
        assert_eq!(r.arc.as_deref(), Some("none"));
    }
}
