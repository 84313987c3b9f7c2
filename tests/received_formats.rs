#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests and their helpers fail loudly"
)]
//! Golden table of Received formats (hopscope's own anonymised fixtures). Each case runs with LF
//! and with CRLF line endings; a mismatch prints the header and what was parsed.

use hopscope::analysis::{Hop, parse_received_line};
use serde_json::Value;

fn field(hop: &Hop, key: &str) -> Value {
    let tls = hop.tls.as_ref();
    match key {
        "from_host" => hop.from_host.as_deref().into(),
        "from_ip" => hop.from_ip.as_deref().into(),
        "from_helo" => hop.from_helo.as_deref().into(),
        "by_host" => hop.by_host.as_deref().into(),
        "protocol" => hop.protocol.as_deref().into(),
        "evidence" => hop.evidence.as_str().into(),
        "tls_version" => tls.and_then(|t| t.version.as_deref()).into(),
        "cipher" => tls.and_then(|t| t.cipher.as_deref()).into(),
        "mta" => hop.mta.map(str::to_string).into(),
        "date" => hop.date.as_deref().into(),
        other => panic!("unknown expectation key {other}"),
    }
}

#[test]
fn every_format_in_the_table() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/received/formats.json"
    ))
    .unwrap();
    let cases: Vec<Value> = serde_json::from_str(&text).unwrap();
    let mut failures = Vec::new();
    let mut runs = 0;
    for case in &cases {
        let header = case["header"].as_str().unwrap();
        let crlf = header.replace("\r\n", "\n").replace('\n', "\r\n");
        for variant in [header.replace("\r\n", "\n"), crlf] {
            runs += 1;
            let hop = parse_received_line(&variant);
            for (key, want) in case["expected"].as_object().unwrap() {
                let got = field(&hop, key);
                if &got != want {
                    failures.push(format!(
                        "{}: {key} want {want} got {got}\n    {variant:?}",
                        case["name"]
                    ));
                }
            }
        }
    }
    assert!(
        runs >= 2 * 35,
        "the table should hold at least 35 formats, ran {runs}"
    );
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
