//! Authentication-Results (RFC 8601), ARC-Authentication-Results and Received-SPF, for display.
//!
//! Only the newest result per method is kept: that is what the user's own provider concluded.

use super::model::AuthResults;

/// `authserv-id; spf=pass smtp.mailfrom=...; dkim=pass header.d=...; dmarc=pass ...`
pub fn merge_authentication_results(results: &mut AuthResults, body: &str, arc_form: bool) {
    let mut parts = body.split(';');
    let mut first = parts.next().unwrap_or_default().trim();
    if arc_form {
        // `i=1; mx.example.org; spf=pass ...`: the instance tag comes before the authserv-id.
        if first.starts_with("i=") {
            first = parts.next().unwrap_or_default().trim();
        }
    }
    if results.authserv_id.is_none() {
        let id = first.split_whitespace().next().unwrap_or_default();
        if !id.is_empty() && !id.contains('=') {
            results.authserv_id = Some(id.to_string());
        }
    }
    for part in std::iter::once(first).chain(parts) {
        let Some((method, rest)) = part.trim().split_once('=') else {
            continue;
        };
        let method = method.trim().to_ascii_lowercase();
        let value = rest
            .split([' ', '\t', '\r', '\n', '('])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        if value.is_empty() {
            continue;
        }
        let slot = match method.as_str() {
            "spf" => &mut results.spf,
            "dkim" => &mut results.dkim,
            "dmarc" => &mut results.dmarc,
            "arc" => &mut results.arc,
            _ => continue,
        };
        if slot.is_none() {
            *slot = Some(value);
        }
    }
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
