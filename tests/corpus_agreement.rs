#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests and their helpers fail loudly"
)]
//! Agreement with the shared, hand-labelled corpus of real Received headers.
//!
//! The corpus lives outside the repository (`../shared/corpus`, present in CI). When it is
//! missing the test says so and passes under a developer's machine, but fails under `CI=true`.

mod support {
    pub mod corpus;
}

use std::{collections::BTreeMap, net::IpAddr};

use hopscope::analysis::{Evidence, parse_received_line};
use serde_json::Value;

fn same_ip(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => match (a.parse::<IpAddr>(), b.parse::<IpAddr>()) {
            (Ok(x), Ok(y)) => x == y,
            _ => a.eq_ignore_ascii_case(b),
        },
        _ => false,
    }
}

fn same_text(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
        _ => false,
    }
}

#[test]
fn agrees_with_shared_corpus() {
    let Some(bytes) = support::corpus::read("received-dev.jsonl") else {
        return;
    };
    let text = String::from_utf8(bytes).unwrap();
    let mut agree: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut evidence_misses = Vec::new();
    let mut records = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let rec: Value = serde_json::from_str(line).unwrap();
        let raw = rec["raw"].as_str().unwrap();
        let labels = &rec["labels"];
        let label = |k: &str| labels[k].as_str();
        let hop = parse_received_line(raw);
        records += 1;

        let want_evidence = match label("tls") {
            Some("yes") => Evidence::Tls,
            Some("no") => Evidence::Plaintext,
            _ => Evidence::None,
        };
        let version = hop
            .tls
            .as_ref()
            .and_then(|t| t.version.as_deref())
            .map(|v| if v == "unspecified" { "TLSv1/SSLv3" } else { v });
        let checks = [
            ("evidence", hop.evidence == want_evidence),
            (
                "protocol",
                same_text(hop.protocol.as_deref(), label("protocol")),
            ),
            ("tls_version", same_text(version, label("tls_version"))),
            (
                "by_host",
                same_text(hop.by_host.as_deref(), label("by_host")),
            ),
            ("from_ip", same_ip(hop.from_ip.as_deref(), label("from_ip"))),
        ];
        for (name, ok) in checks {
            let e = agree.entry(name).or_default();
            e.0 += usize::from(ok);
            e.1 += 1;
        }
        if std::env::var("HOPSCOPE_CORPUS_VERBOSE").is_ok()
            && !same_ip(hop.from_ip.as_deref(), label("from_ip"))
        {
            println!(
                "  from_ip miss: want {:?} got {:?} :: {}",
                label("from_ip"),
                hop.from_ip,
                raw
            );
        }
        if hop.evidence != want_evidence {
            evidence_misses.push(format!(
                "{}: want {:?} got {:?} (protocol {:?}) :: {}",
                rec["id"].as_str().unwrap_or("?"),
                want_evidence,
                hop.evidence,
                hop.protocol,
                raw.split_whitespace().collect::<Vec<_>>().join(" ")
            ));
        }
    }
    assert!(records > 0, "the corpus had no records");
    println!("corpus agreement over {records} records:");
    for (name, (ok, total)) in &agree {
        println!(
            "  {name:12} {ok:4}/{total} = {:5.1}%",
            100.0 * *ok as f64 / *total as f64
        );
    }
    for miss in &evidence_misses {
        println!("  evidence miss: {miss}");
    }
    let (ok, total) = agree["evidence"];
    assert!(
        ok * 100 >= total * 98,
        "evidence agreement {ok}/{total} is below 98%"
    );
}
