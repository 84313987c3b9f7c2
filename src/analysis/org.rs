//! Which organisation a host name belongs to.
//!
//! An organisation is a provider from `assets/providers.toml` (so outlook.com and hotmail.com are
//! both Microsoft), or else the host's registrable domain from the Public Suffix List (the `psl`
//! crate compiles the list in, so this stays pure and fast).

use std::{collections::HashMap, sync::OnceLock};

use serde::Deserialize;

use super::{memo::Memo, network::looks_like_ip};

const PROVIDERS_TOML: &str = include_str!("../../assets/providers.toml");

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct ProviderEntry {
    name: String,
    domains: Vec<String>,
    #[serde(default)]
    records_tls: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProviderFile {
    provider: Vec<ProviderEntry>,
}

#[derive(Debug)]
pub struct Provider {
    pub name: String,
    pub records_tls: bool,
}

struct Table {
    providers: Vec<Provider>,
    // Looked up for every named host of every hop: a fast hash over a fixed, trusted key set.
    by_domain: HashMap<String, usize, foldhash::fast::FixedState>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        // A broken asset is caught by the `provider_table_parses` test; at run time it degrades
        // to "no provider knowledge" rather than a crash.
        let file =
            parse_provider_table(PROVIDERS_TOML).unwrap_or(ProviderFile { provider: vec![] });
        let mut by_domain = HashMap::default();
        let providers = file
            .provider
            .into_iter()
            .enumerate()
            .map(|(i, p)| {
                for d in &p.domains {
                    by_domain.insert(d.to_ascii_lowercase(), i);
                }
                Provider {
                    name: p.name,
                    records_tls: p.records_tls,
                }
            })
            .collect();
        Table {
            providers,
            by_domain,
        }
    })
}

fn parse_provider_table(text: &str) -> Result<ProviderFile, toml::de::Error> {
    toml::from_str(text)
}

/// An organisation: a provider index or a registrable domain.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Org {
    Provider(usize),
    // Inline up to 24 bytes: worked out for every host of every hop, and most registrable
    // domains are short.
    Domain(super::model::ShortText),
}

impl Org {
    pub fn provider(&self) -> Option<&'static Provider> {
        match self {
            Org::Provider(i) => table().providers.get(*i),
            Org::Domain(_) => None,
        }
    }
}

/// A usable DNS name: has a dot, is not an address literal, not a placeholder like `unknown`.
pub fn clean_host(host: &str) -> Option<std::borrow::Cow<'_, str>> {
    let h = super::trim::both(host, b"[]<>().,");
    if h.is_empty() || !h.contains('.') || looks_like_ip(h) || h.contains('@') || h.contains('/') {
        return None;
    }
    let lower: std::borrow::Cow<'_, str> = if !h.is_ascii() {
        std::borrow::Cow::Owned(ascii_form(h))
    } else if h.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(h.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(h)
    };
    if lower.starts_with("localhost") || lower == "unknown" {
        return None;
    }
    Some(lower)
}

/// An internationalised name in the ASCII form DNS uses (`mx.Bücher.example` →
/// `mx.xn--bcher-kva.example`), so that one organisation is one organisation however a line or
/// the user's configuration writes its name: rDNS names are always in that form, while HELO
/// names and `own-domains` may be in Unicode. A name IDNA rejects (stray Latin-1 bytes, symbols)
/// keeps its text, lower-cased where ASCII, as before.
fn ascii_form(host: &str) -> String {
    idna::domain_to_ascii(host).unwrap_or_else(|_| host.to_ascii_lowercase())
}

thread_local! {
    // A mailbox names the same few hundred hosts over and over (each provider's relays and the
    // user's own servers), and the Public Suffix List walk was a twelfth of the analysis time.
    static ORG_MEMO: std::cell::RefCell<Memo<Option<Org>>> = std::cell::RefCell::default();
}

/// The organisation a host belongs to, or `None` when the name is not a usable domain.
pub fn org_of(host: &str) -> Option<Org> {
    ORG_MEMO.with_borrow_mut(|memo| memo.get_or_compute(host, || org_uncached(host)))
}

fn org_uncached(host: &str) -> Option<Org> {
    let host = clean_host(host)?;
    let registrable = psl::domain_str(&host).unwrap_or(&host);
    let t = table();
    if let Some(&i) = t.by_domain.get(registrable) {
        return Some(Org::Provider(i));
    }
    Some(Org::Domain(registrable.into()))
}

/// The provider entry that covers a domain, for own-domain configuration and display.
pub fn org_of_domain(domain: &str) -> Option<Org> {
    org_of(domain).or_else(|| {
        let d = domain.trim().trim_start_matches('@').to_ascii_lowercase();
        (!d.is_empty()).then_some(Org::Domain(d.into()))
    })
}

/// A single DNS label such as `BAY403-EAS373`: a machine on the receiver's own network.
pub fn is_single_label(host: &str) -> bool {
    let h = super::trim::both(host, b"[]");
    // Letters, digits, `-` and `_` only: so no dot and no colon (an address) either.
    !h.is_empty()
        && h.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && h.bytes().any(|b| b.is_ascii_alphabetic())
        && !h.eq_ignore_ascii_case("unknown")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_table_parses() {
        let file = parse_provider_table(PROVIDERS_TOML).expect("assets/providers.toml must parse");
        assert!(file.provider.len() >= 10);
    }

    #[test]
    fn memoised_answers_equal_fresh_ones_across_a_memo_reset() {
        // Past the limit the memo starts over; every answer, first or repeated, must be the
        // lookup's own, including case variants and names that are not domains.
        let hosts: Vec<String> = (0..super::super::memo::LIMIT + 50)
            .flat_map(|i| {
                [
                    format!("mx{i}.Example{}.co.uk", i % 7),
                    format!("relay.{i}.mail.protection.outlook.com"),
                    format!("[192.0.2.{}]", i % 250),
                    "localhost".to_string(),
                ]
            })
            .collect();
        let few = [
            "relay.mail.protection.outlook.com",
            "MX1.Example3.CO.UK",
            "mail-sor-f41.google.com",
            "localhost",
            "[192.0.2.1]",
        ];
        let check = |list: &[&str]| {
            for h in list {
                assert_eq!(org_of(h), org_uncached(h), "{h}");
            }
        };
        // Answered fresh, then from the memo; then the memo overflows and starts over.
        check(&few);
        check(&few);
        for _ in 0..2 {
            check(&hosts.iter().map(String::as_str).collect::<Vec<_>>());
        }
        check(&few);
        check(&few);
        assert_eq!(
            org_of("MX1.Example3.CO.UK"),
            Some(Org::Domain("example3.co.uk".into()))
        );
        assert!(ORG_MEMO.with_borrow(|m| m.len()) <= super::super::memo::LIMIT);
    }

    #[test]
    fn providers_group_domains() {
        assert_eq!(
            org_of("bay0-omc4-s14.bay0.hotmail.com"),
            org_of("mail.protection.outlook.com")
        );
        assert_eq!(org_of("mail-wm1.google.com"), org_of("x.1e100.net"));
        assert_ne!(org_of("a.example.org"), org_of("a.example.net"));
        assert_eq!(
            org_of("a.b.example.co.uk"),
            Some(Org::Domain("example.co.uk".into()))
        );
        assert_eq!(
            org_of("dispatch1-us1.ppe-hosted.com.ppe-hosted.com")
                .and_then(|o| o.provider())
                .map(|p| p.name.as_str()),
            Some("Proofpoint")
        );
        assert_eq!(org_of("[192.0.2.1]"), None);
        assert_eq!(org_of("unknown"), None);
        assert_eq!(org_of("localhost.localdomain"), None);
    }

    #[test]
    fn an_internationalised_name_is_one_organisation_in_either_form() {
        let ascii = Some(Org::Domain("xn--bcher-kva.example".into()));
        assert_eq!(org_of("mail.xn--bcher-kva.example"), ascii);
        assert_eq!(org_of("mx.bücher.example"), ascii);
        // Case is folded beyond ASCII too.
        assert_eq!(org_of("MX.BÜCHER.EXAMPLE"), ascii);
        assert_eq!(org_of_domain("bücher.example"), ascii);
        assert_ne!(org_of("mx.bucher.example"), ascii);
        // A Unicode public suffix: the registrable domain is one label below it.
        assert_eq!(
            org_of("mail.beispiel.中国"),
            Some(Org::Domain("beispiel.xn--fiqs8s".into()))
        );
        // IDNA turns down a replacement character: the name is kept as written.
        assert_eq!(
            org_of("mx.b\u{fffd}cher.example"),
            Some(Org::Domain("b\u{fffd}cher.example".into()))
        );
    }

    #[test]
    fn single_labels() {
        assert!(is_single_label("BAY403-EAS373"));
        assert!(!is_single_label("a.example.org"));
        assert!(!is_single_label("0"));
        assert!(!is_single_label("unknown"));
    }
}
