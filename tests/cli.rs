#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests and their helpers fail loudly"
)]
//! The binary as a user runs it: arguments, inputs, outputs, errors.

use assert_cmd::Command;
use serde_json::Value;

fn hopscope() -> Command {
    let mut c = Command::cargo_bin("hopscope").unwrap();
    c.env_remove("NO_COLOR")
        .env("HOPSCOPE_CONFIG_DIR", tempfile::tempdir().unwrap().keep());
    c
}

fn fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/messages/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn stdout(cmd: &mut Command) -> String {
    let out = cmd.assert().success().get_output().stdout.clone();
    String::from_utf8(out).unwrap()
}

#[test]
fn help_explains_commands() {
    let text = stdout(hopscope().arg("--help"));
    for word in ["analyze", "report", "open", "encrypted", "--demo"] {
        assert!(text.contains(word), "--help should mention {word}:\n{text}");
    }
    let v = stdout(hopscope().arg("--version"));
    assert!(v.starts_with("hopscope "));
}

#[test]
fn analyze_seed_messages_together() {
    let text = stdout(hopscope().args(["analyze", &fixture("seed-1.eml"), &fixture("seed-2.eml")]));
    assert!(text.contains("verdict PLAINTEXT"));
    assert!(text.contains("verdict ENCRYPTED"));
    assert!(text.contains("plaintext (mailbox:1)"), "{text}");
    assert!(
        !text.contains('\u{1b}'),
        "no colour when stdout is not a terminal"
    );
}

#[test]
fn json_lines_contract() {
    let text = stdout(hopscope().args(["analyze", "--json", "--demo"]));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 68);
    for line in &lines {
        let v: Value = serde_json::from_str(line).unwrap();
        for key in [
            "source",
            "message_id",
            "date",
            "from",
            "subject",
            "verdict",
            "reasons",
            "auth",
            "hops",
        ] {
            assert!(v.get(key).is_some(), "missing {key} in {line}");
        }
        for hop in v["hops"].as_array().unwrap() {
            for key in [
                "index",
                "from_host",
                "from_rdns",
                "from_ip",
                "by_host",
                "protocol",
                "mta",
                "evidence",
                "tls",
                "scope",
                "status",
                "basis",
                "claimed",
                "date",
                "delay_s",
                "raw",
            ] {
                assert!(hop.get(key).is_some(), "missing hop.{key}");
            }
        }
    }
    let first: Value = serde_json::from_str(lines[0]).unwrap();
    let hops = first["hops"].as_array().unwrap();
    assert_eq!(hops[0]["index"], 1, "hops are oldest first");
    assert_eq!(hops[0]["protocol"], "ESMTPSA");
    assert_eq!(hops[0]["tls"]["version"], "TLSv1.3");
}

#[test]
fn stdin_mbox_maildir_and_folder_inputs() {
    let seed = std::fs::read(fixture("seed-2.eml")).unwrap();
    let text = stdout(
        hopscope()
            .args(["analyze", "--json", "-"])
            .write_stdin(seed.clone()),
    );
    assert_eq!(text.lines().count(), 1);
    assert!(text.contains("\"verdict\":\"encrypted\""));

    let dir = tempfile::tempdir().unwrap();
    let mbox = dir.path().join("box.mbox");
    let mut m = b"From a@example.org Mon Jan  1 00:00:00 2024\n".to_vec();
    m.extend_from_slice(&seed);
    m.extend_from_slice(b"\nFrom b@example.org Mon Jan  1 00:00:01 2024\n");
    m.extend_from_slice(&std::fs::read(fixture("seed-1.eml")).unwrap());
    std::fs::write(&mbox, &m).unwrap();
    let text = stdout(hopscope().args(["analyze", "--json"]).arg(&mbox));
    assert_eq!(text.lines().count(), 2);
    assert!(text.contains("box.mbox#2"));

    let maildir = dir.path().join("Maildir");
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(maildir.join(sub)).unwrap();
    }
    std::fs::write(maildir.join("cur/1.host:2,S"), &seed).unwrap();
    std::fs::write(
        maildir.join("new/2.host"),
        std::fs::read(fixture("seed-1.eml")).unwrap(),
    )
    .unwrap();
    std::fs::write(
        maildir.join("tmp/3.host"),
        b"Subject: in-flight, not a message yet\n\n",
    )
    .unwrap();
    let text = stdout(hopscope().args(["analyze", "--json"]).arg(&maildir));
    assert_eq!(text.lines().count(), 2, "cur and new, not tmp");

    let text = stdout(hopscope().args([
        "analyze",
        "--json",
        &format!("{}/tests/fixtures/messages", env!("CARGO_MANIFEST_DIR")),
    ]));
    assert!(text.lines().count() >= 2);
}

#[test]
fn reports_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    for (fmt, probe) in [
        ("md", "# hopscope report"),
        ("html", "<!doctype html>"),
        ("csv", "source,date,from"),
        ("json", "\"summary\""),
    ] {
        let out = dir.path().join(format!("r.{fmt}"));
        hopscope()
            .args(["report", "--demo", "--format", fmt, "-o"])
            .arg(&out)
            .assert()
            .success();
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(
            text.contains(probe),
            "{fmt}: {}",
            &text[..200.min(text.len())]
        );
        assert!(
            !text.contains('\u{1b}'),
            "{fmt}: escape sequences from headers must not reach a report"
        );
    }
    let md = std::fs::read_to_string(dir.path().join("r.md")).unwrap();
    assert!(md.contains("## Plaintext cross-organisation hops"));
    assert!(md.contains("Acme Labs"));
    // The bad news first: verdicts worst first, and the sending domain with the most plaintext
    // messages (acme-labs.example, 4 of them) heads its table, in Markdown and in HTML alike.
    assert!(md.contains(
        "|---|---:|---:|\n| plaintext | 11 | 16.2% |\n| unrecorded | 8 | 11.8% |\n| weak | 4 |"
    ));
    assert!(md.contains("| domain | verdicts |\n|---|---|\n| acme-labs.example | plaintext 4 |\n| riverbend-health.example | plaintext 3, encrypted 3 |"));
    let html = std::fs::read_to_string(dir.path().join("r.html")).unwrap();
    assert!(
        html.contains("<th>share</th></tr><tr><td class=\"plaintext\">plaintext</td><td>11</td>")
    );
    assert!(html.contains(
        "<h2>Sending domains</h2><table><tr><th>domain</th><th>verdicts</th></tr><tr><td>acme-labs.example</td>"
    ));
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("r.json")).unwrap()).unwrap();
    assert_eq!(json["summary"]["messages"], 68);
    assert_eq!(json["messages"].as_array().unwrap().len(), 68);
}

#[test]
fn unencrypted_only_report() {
    let text =
        stdout(hopscope().args(["report", "--demo", "--format", "csv", "--unencrypted-only"]));
    let rows: Vec<&str> = text.lines().skip(1).collect();
    assert!(!rows.is_empty());
    for row in rows {
        assert!(
            row.contains(",plaintext,") || row.contains(",unrecorded,") || row.contains(",weak,"),
            "{row}"
        );
    }
}

/// A folder of mail with a picture and a note saved beside it: only the message is analysed,
/// and standard error names what was skipped, so JSON on standard output stays clean. An
/// empty folder says it found nothing instead of printing nothing.
#[test]
fn files_that_are_not_mail_are_skipped_and_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("seed-1.eml"), dir.path().join("seed-1.eml")).unwrap();
    std::fs::write(
        dir.path().join("scan.jpg"),
        [0xff, 0xd8, 0xff, 0xe0, 0, 16, b'J'],
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.txt"), "call the lab about Ravi\n").unwrap();
    // Starts like a header, but none of its fields is one a message has.
    std::fs::write(dir.path().join("group"), "root:x:0:\ndaemon:x:1:\n").unwrap();
    let out = hopscope()
        .args(["analyze", "--json"])
        .arg(dir.path())
        .assert()
        .success()
        .get_output()
        .clone();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    let line: Value = serde_json::from_str(stdout.trim()).unwrap();
    assert!(line["source"].as_str().unwrap().ends_with("seed-1.eml"));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("skipped 3 files that are not messages"),
        "{stderr}"
    );
    assert!(
        ["notes.txt", "scan.jpg", "group"]
            .iter()
            .all(|name| stderr.contains(name)),
        "{stderr}"
    );

    let empty = tempfile::tempdir().unwrap();
    let out = hopscope()
        .args(["analyze"])
        .arg(empty.path())
        .assert()
        .success()
        .get_output()
        .clone();
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("hopscope: no messages found in "),
        "{stderr}"
    );
}

/// A clinic whose domain has an umlaut: its servers' Received lines use the ASCII form
/// (`xn--praxis-mller-klb.de`) while the user types `praxis-müller.de`. Either spelling puts the
/// trust boundary at the clinic's mail exchanger, and a HELO name in Unicode is the same
/// organisation as its ASCII form.
#[test]
fn own_domain_with_an_umlaut_matches_its_ascii_form_in_received_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("umlaut.eml");
    std::fs::write(
        &path,
        "Received: from mx.Praxis-M\u{fc}ller.de (unknown [198.51.100.7])\n\
         \tby imap.xn--praxis-mller-klb.de (Postfix) with ESMTP id 3;\n\
         \tTue, 3 Nov 2026 10:00:00 +0100\n\
         Received: from relay.partner.example (relay.partner.example [203.0.113.9])\n\
         \tby mx.xn--praxis-mller-klb.de (Postfix) with ESMTPS id 2;\n\
         \tTue, 3 Nov 2026 09:59:00 +0100\n\
         Received: from gateway.example (gateway.example [192.0.2.66])\n\
         \tby relay.partner.example (Postfix) with ESMTPS id 1;\n\
         \tTue, 3 Nov 2026 09:58:00 +0100\n\
         Subject: Laborwerte\n\n",
    )
    .unwrap();
    for own in ["praxis-müller.de", "xn--praxis-mller-klb.de"] {
        let text = stdout(
            hopscope()
                .args(["analyze", "--json", "--own-domain", own])
                .arg(&path),
        );
        let report: Value = serde_json::from_str(text.trim()).unwrap();
        let hops = report["hops"].as_array().unwrap();
        let field = |key: &str| -> Vec<Value> { hops.iter().map(|h| h[key].clone()).collect() };
        // Oldest first. The newest hop's sender names itself in Unicode only (its rDNS is
        // `unknown`): it is the clinic's own exchanger handing over to its mailbox server.
        assert_eq!(
            field("scope"),
            ["cross_org", "cross_org", "internal"],
            "--own-domain {own}"
        );
        // Below the clinic's exchanger, lines were written by others.
        assert_eq!(field("claimed"), [true, false, false], "--own-domain {own}");
    }
}

/// A newcomer without a config: the error says how to get one, `config path` says where it
/// goes, and the example `config example` prints is a config hopscope reads, every account in it.
#[test]
fn config_example_and_path() {
    let dir = tempfile::tempdir().unwrap();
    let hint = hopscope()
        .env("HOPSCOPE_CONFIG_DIR", dir.path())
        .args(["sync", "work"])
        .assert()
        .failure()
        .get_output()
        .stderr
        .clone();
    let hint = String::from_utf8(hint).unwrap();
    assert!(hint.contains("`hopscope config example`"), "{hint}");

    let path = stdout(
        hopscope()
            .env("HOPSCOPE_CONFIG_DIR", dir.path())
            .args(["config", "path"]),
    );
    let expected = dir.path().join("config.toml");
    assert_eq!(
        path.trim(),
        format!("{} (does not exist yet)", expected.display())
    );

    let example = stdout(hopscope().args(["config", "example"]));
    std::fs::write(&expected, &example).unwrap();
    let path = stdout(
        hopscope()
            .env("HOPSCOPE_CONFIG_DIR", dir.path())
            .args(["config", "path"]),
    );
    assert_eq!(path.trim(), expected.display().to_string());
    let accounts = stdout(
        hopscope()
            .env("HOPSCOPE_CONFIG_DIR", dir.path())
            .arg("accounts"),
    );
    let names: Vec<&str> = accounts
        .lines()
        .filter_map(|l| l.split(':').next())
        .collect();
    assert_eq!(names, ["gmail", "home", "work"], "{accounts}");
    assert!(accounts.contains("XOAUTH2 token from command `oauth2-token gmail`"));
    assert!(accounts.contains("password from OS keyring"));
}

/// Runs hopscope with `args`, expects failure, and returns its standard error.
fn failure_stderr(args: &[&str]) -> String {
    let out = hopscope()
        .args(args)
        .assert()
        .failure()
        .get_output()
        .stderr
        .clone();
    String::from_utf8(out).unwrap()
}

#[test]
fn clear_errors() {
    let seed = fixture("seed-1.eml");
    for (args, expected) in [
        (
            vec!["analyze", "/nonexistent/box"],
            "hopscope: cannot read /nonexistent/box",
        ),
        (
            vec!["open", "/nonexistent/box"],
            "hopscope: cannot read /nonexistent/box",
        ),
        (
            vec!["open", "-"],
            "hopscope: the terminal UI reads keys from standard input",
        ),
        (
            vec!["analyze"],
            "hopscope: nothing to read: give one or more paths",
        ),
        (
            vec!["report", "--demo", "-o", "/nonexistent/dir/r.md"],
            "hopscope: cannot write the report to /nonexistent/dir/r.md",
        ),
        (
            vec!["accounts", "--config", "/nonexistent/c.toml"],
            "hopscope: cannot read the config file /nonexistent/c.toml",
        ),
        (vec!["open", seed.as_str()], "hopscope: "),
    ] {
        let err = failure_stderr(&args);
        assert!(err.starts_with(expected), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        // The OS's reason is said once, not once per link of the error chain.
        assert!(err.matches("(os error").count() <= 1, "said twice: {err}");
    }
    assert!(failure_stderr(&["open", &seed]).contains("needs a terminal"));
    assert!(
        failure_stderr(&["report", "--demo", "-o", "/nonexistent/dir/r.md"])
            .trim_end()
            .ends_with("(check that the folder exists and is writable, or write to standard output with -o -)")
    );
}

/// The bash completion script, loaded into a real bash as a user's shell loads it, completes
/// subcommands and the report formats.
#[test]
fn bash_completion_completes_commands_and_formats() {
    let script = stdout(hopscope().args(["completions", "bash"]));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hopscope.bash");
    std::fs::write(&path, script).unwrap();
    let complete = |words: &str, cword: usize, cur: &str, prev: &str| -> String {
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(format!(
                "source {}; COMP_WORDS=({words}); COMP_CWORD={cword}; _hopscope hopscope '{cur}' '{prev}'; echo \"${{COMPREPLY[@]}}\"",
                path.display()
            ))
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    assert_eq!(complete("hopscope an", 1, "an", "hopscope"), "analyze");
    assert_eq!(
        complete("hopscope report --format ''", 3, "", "--format"),
        "json csv md html"
    );
}
