#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests and their helpers fail loudly"
)]
//! The IMAP side against a real Dovecot on 127.0.0.1 with its own certificate.

mod support {
    pub mod dovecot;
}

use std::{
    collections::{BTreeMap, HashSet},
    path::Path,
    sync::atomic::AtomicBool,
};

use assert_cmd::Command;
use hopscope::{
    cache::Cache,
    config::Config,
    imap::{ImapError, SyncEvent, SyncRequest, sync_mailbox},
    secrets::{Credential, Secret},
};
use serde_json::Value;
use support::dovecot::{self, Dovecot, PASSWORD, mailbox_files};

/// A config dir and cache dir for one test, and a command builder using them.
struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new(config: &str) -> Env {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("config.toml"), config).unwrap();
        Env { dir }
    }

    fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("hopscope").unwrap();
        c.env("HOPSCOPE_CONFIG_DIR", self.dir.path())
            .env("HOPSCOPE_CACHE_DIR", self.dir.path().join("cache"))
            .env("HOPSCOPE_TEST_PW", PASSWORD)
            .env_remove("NO_COLOR");
        c
    }

    fn ok(&self, args: &[&str]) -> (String, String) {
        let out = self.cmd().args(args).output().unwrap();
        let (so, se) = (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        );
        assert!(out.status.success(), "hopscope {args:?} failed:\n{se}");
        (so, se)
    }

    fn fail(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().unwrap();
        assert!(!out.status.success(), "hopscope {args:?} should fail");
        let se = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(
            se.trim_end().lines().count(),
            1,
            "one-line error expected:\n{se}"
        );
        se
    }

    /// Fails if the test password appears in any file this test's hopscope wrote.
    fn assert_no_secret_on_disk(&self) {
        fn walk(p: &Path, hits: &mut Vec<String>) {
            if p.is_dir() {
                for e in std::fs::read_dir(p).unwrap() {
                    walk(&e.unwrap().path(), hits);
                }
            } else if let Ok(bytes) = std::fs::read(p)
                && bytes
                    .windows(PASSWORD.len())
                    .any(|w| w == PASSWORD.as_bytes())
            {
                hits.push(p.display().to_string());
            }
        }
        let mut hits = Vec::new();
        walk(self.dir.path(), &mut hits);
        assert!(hits.is_empty(), "the password was written to {hits:?}");
    }
}

fn verdicts(jsonl: &str) -> BTreeMap<String, String> {
    jsonl
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (
                v["message_id"].as_str().unwrap().to_string(),
                v["verdict"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn implicit_tls_sync_gives_the_same_verdicts_as_the_files() {
    if !dovecot::available() {
        return;
    }
    let server = Dovecot::start(&mailbox_files(1200));
    let env = Env::new(&server.config("tls", ""));
    let (_, err) = env.ok(&["sync", "test"]);
    assert!(err.contains("1268 messages, 1268 fetched"), "{err}");
    let (live, err) = env.ok(&["analyze", "--json", "--account", "test"]);
    assert!(!err.contains(PASSWORD) && !live.contains(PASSWORD));
    let (files, _) = env.ok(&["analyze", "--json", server.maildir.to_str().unwrap()]);
    let (live, files) = (verdicts(&live), verdicts(&files));
    assert_eq!(live.len(), 1268);
    assert_eq!(
        live, files,
        "the same messages give the same verdicts live and as files"
    );
    assert!(live.values().any(|v| v == "plaintext") && live.values().any(|v| v == "encrypted"));

    let (report, _) = env.ok(&["report", "--account", "test", "--format", "md"]);
    assert!(report.contains("Messages: 1268"));
    env.assert_no_secret_on_disk();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(env.dir.path().join("cache/cache.sqlite3"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn starttls_and_mailbox_listing() {
    if !dovecot::available() {
        return;
    }
    let server = Dovecot::start(&mailbox_files(0));
    let env = Env::new(&server.config("starttls", ""));
    let (_, err) = env.ok(&["sync", "test"]);
    assert!(err.contains("68 messages, 68 fetched"), "{err}");
    let (out, _) = env.ok(&["mailboxes", "test"]);
    assert_eq!(out.trim(), "INBOX\t68");
    let (out, _) = env.ok(&["accounts"]);
    assert!(
        out.contains("test: hopscope-test@127.0.0.1")
            && out.contains("environment variable HOPSCOPE_TEST_PW"),
        "{out}"
    );
}

#[test]
fn xoauth2_login_with_a_token_command() {
    if !dovecot::available() {
        return;
    }
    // Dovecot checks an XOAUTH2 token through its passdb, so the test user's password serves
    // as the access token that `token-command` prints.
    let server = Dovecot::start(&mailbox_files(0));
    let config = |var: &str| {
        server
            .config("tls", "")
            .lines()
            .filter(|l| !l.starts_with("password"))
            .chain([
                "auth = \"xoauth2\"",
                &format!("token-command = [\"sh\", \"-c\", \"echo ${var}\"]"),
            ])
            .collect::<Vec<_>>()
            .join("\n")
    };
    let env = Env::new(&config("HOPSCOPE_TEST_PW"));
    let (out, _) = env.ok(&["mailboxes", "test"]);
    assert_eq!(out.trim(), "INBOX\t68");
    let (out, _) = env.ok(&["accounts"]);
    assert!(out.contains("XOAUTH2 token from command `sh -c"), "{out}");

    let env = Env::new(&config("HOPSCOPE_WRONG_TOKEN"));
    let err = env
        .cmd()
        .env("HOPSCOPE_WRONG_TOKEN", "expired-token")
        .args(["mailboxes", "test"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&err.stderr);
    assert!(err.contains("cannot log in to 127.0.0.1"), "{err}");
    let err = env.fail(&["mailboxes", "test"]);
    assert!(
        err.contains("token-command `sh -c echo $HOPSCOPE_WRONG_TOKEN` failed: it printed nothing"),
        "{err}"
    );
    env.assert_no_secret_on_disk();
}

#[test]
fn certificate_trusted_only_through_ca_file() {
    if !dovecot::available() {
        return;
    }
    let server = Dovecot::start(&mailbox_files(0));
    let without_ca: String = server
        .config("tls", "")
        .lines()
        .filter(|l| !l.starts_with("ca-file"))
        .collect::<Vec<_>>()
        .join("\n");
    let env = Env::new(&without_ca);
    let err = env.fail(&["sync", "test"]);
    assert!(
        err.contains("TLS certificate of 127.0.0.1 is not trusted")
            && err.contains("set `ca-file`"),
        "{err}"
    );

    let other = Dovecot::start_with_cert(&mailbox_files(0), "wrong-host.example");
    let env = Env::new(&other.config("tls", ""));
    let err = env.fail(&["sync", "test"]);
    assert!(
        err.contains("not trusted") && err.contains("does not name 127.0.0.1"),
        "{err}"
    );
}

#[test]
fn wrong_password_missing_mailbox_and_network_faults() {
    if !dovecot::available() {
        return;
    }
    let server = Dovecot::start(&mailbox_files(0));
    let env = Env::new(&server.config("tls", ""));
    let err = env
        .cmd()
        .env("HOPSCOPE_TEST_PW", "wrong")
        .args(["sync", "test"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&err.stderr);
    assert!(
        err.contains("cannot log in to 127.0.0.1 as hopscope-test")
            && err.contains("hopscope login test"),
        "{err}"
    );

    let err = env.fail(&["sync", "test", "--mailbox", "NoSuchBox"]);
    assert!(
        err.contains("mailbox \"NoSuchBox\" cannot be opened")
            && err.contains("hopscope mailboxes test"),
        "{err}"
    );

    let err = env
        .cmd()
        .env_remove("HOPSCOPE_TEST_PW")
        .args(["sync", "test"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&err.stderr)
            .contains("environment variable HOPSCOPE_TEST_PW is not set")
    );

    // Nothing listens on a port we just freed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let env = Env::new(&format!(
        "[accounts.test]\nhost = \"127.0.0.1\"\nport = {port}\nusername = \"u\"\npassword = {{ source = \"env\", var = \"HOPSCOPE_TEST_PW\" }}\n"
    ));
    let err = env.fail(&["sync", "test"]);
    assert!(
        err.contains(&format!("connection to 127.0.0.1:{port} refused")),
        "{err}"
    );

    let env = Env::new(
        "[accounts.test]\nhost = \"no-such-host.invalid\"\nusername = \"u\"\npassword = { source = \"env\", var = \"HOPSCOPE_TEST_PW\" }\n",
    );
    let err = env.fail(&["sync", "test"]);
    assert!(
        err.contains("cannot find the host no-such-host.invalid"),
        "{err}"
    );

    // A server that accepts and never says a word.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let env = Env::new(&format!(
        "[accounts.test]\nhost = \"127.0.0.1\"\nport = {port}\nusername = \"u\"\nread-timeout-secs = 1\npassword = {{ source = \"env\", var = \"HOPSCOPE_TEST_PW\" }}\n"
    ));
    let err = env.fail(&["sync", "test"]);
    assert!(
        err.contains("no answer from 127.0.0.1") && err.contains("within 1 s"),
        "{err}"
    );
    drop(silent);
}

#[test]
fn a_full_sync_changes_nothing_on_the_server() {
    if !dovecot::available() {
        return;
    }
    let server = Dovecot::start(&mailbox_files(600));
    let env = Env::new(&server.config("tls", ""));
    let config = Config::parse(&server.config("tls", ""), Path::new("c.toml")).unwrap();
    let account = config.account("test").unwrap();
    let cred = Credential::Password(Secret::new(PASSWORD));
    let flags = || {
        let mut s = hopscope::imap::Session::open("test", account, &cred).unwrap();
        s.examine("test", account, "INBOX").unwrap();
        let uids = s.all_uids(account).unwrap();
        let f: BTreeMap<u32, String> = s
            .fetch(account, &uids)
            .unwrap()
            .into_iter()
            .map(|m| (m.uid, m.flags))
            .collect();
        s.logout();
        f
    };
    let files_before = server.snapshot();
    let flags_before = flags();
    assert!(
        flags_before.values().any(|f| f.contains("\\Seen"))
            && flags_before.values().any(|f| !f.contains("\\Seen")),
        "{flags_before:?}"
    );
    env.ok(&["sync", "test"]);
    env.ok(&["analyze", "--json", "--account", "test", "--no-cache"]);
    env.ok(&["mailboxes", "test"]);
    assert_eq!(
        flags(),
        flags_before,
        "flags (\\Seen included) and UIDs are unchanged"
    );
    assert_eq!(
        server.snapshot(),
        files_before,
        "message files are byte-identical, names (flags) included"
    );
}

#[test]
fn incremental_sync_new_mail_expunge_and_uidvalidity_change() {
    if !dovecot::available() {
        return;
    }
    let files = mailbox_files(100);
    let server = Dovecot::start(&files);
    let env = Env::new(&server.config("tls", ""));
    let (_, err) = env.ok(&["sync", "test"]);
    assert!(
        err.contains("168 messages, 168 fetched, 0 removed"),
        "{err}"
    );
    let (_, err) = env.ok(&["sync", "test"]);
    assert!(
        err.contains("168 messages, 0 fetched, 0 removed"),
        "a second sync fetches nothing: {err}"
    );

    server.deliver("1800000000.new1.hopscope:2,", &files[70].1);
    server.deliver("1800000000.new2.hopscope:2,", &files[71].1);
    let (_, err) = env.ok(&["sync", "test"]);
    assert!(err.contains("170 messages, 2 fetched, 0 removed"), "{err}");

    std::fs::remove_file(server.maildir.join("cur").join(&files[5].0)).unwrap();
    let (_, err) = env.ok(&["sync", "test"]);
    assert!(err.contains("169 messages, 0 fetched, 1 removed"), "{err}");
    let (out, _) = env.ok(&["analyze", "--json", "--account", "test"]);
    assert_eq!(out.lines().count(), 169);

    // A new UIDVALIDITY (Dovecot assigns one when its UID list and index are rebuilt).
    server.stop();
    let _ = std::fs::remove_file(server.maildir.join("dovecot-uidlist"));
    let _ = std::fs::remove_dir_all(server.dir.path().join("home/index"));
    let _ = std::fs::remove_dir_all(server.dir.path().join("home/control"));
    std::thread::sleep(std::time::Duration::from_millis(1100));
    server.restart();
    let (_, err) = env.ok(&["sync", "test"]);
    assert!(
        err.contains("169 messages, 169 fetched") && err.contains("UIDVALIDITY changed"),
        "{err}"
    );
    env.ok(&["cache", "clear"]);
    assert!(!env.dir.path().join("cache/cache.sqlite3").exists());

    // --no-cache fetches every header for this run only, and still reports every message.
    let (out, _) = env.ok(&["analyze", "--json", "--account", "test", "--no-cache"]);
    assert_eq!(out.lines().count(), 169);
    assert!(!env.dir.path().join("cache").join("cache.sqlite3").exists());
}

/// What driving the sync engine directly (no CLI) against `server` needs: the parsed config,
/// the credential, and a cache of its own (in a directory that lives as long as the tuple).
fn direct(server: &Dovecot, extra: &str) -> (Config, Credential, tempfile::TempDir, Cache) {
    let text = server.config("tls", extra);
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(&dir.path().join("c.sqlite3")).unwrap();
    (
        Config::parse(&text, Path::new("c.toml")).unwrap(),
        Credential::Password(Secret::new(PASSWORD)),
        dir,
        cache,
    )
}

fn inbox<'a>(config: &'a Config, cred: &'a Credential, emit_messages: bool) -> SyncRequest<'a> {
    SyncRequest {
        name: "test",
        account: config.account("test").unwrap(),
        mailbox: "INBOX",
        credential: cred,
        emit_messages,
    }
}

#[test]
fn server_killed_mid_sync_then_resumed_without_duplicates_or_gaps() {
    if !dovecot::available() {
        return;
    }
    let server = Dovecot::start(&mailbox_files(4000));
    let (config, cred, _dir, mut cache) = direct(&server, "connections = 1");
    let req = inbox(&config, &cred, false);
    let cancel = AtomicBool::new(false);
    let mut stopped = false;
    let result = sync_mailbox(&req, &mut cache, &cancel, &mut |ev| {
        if let SyncEvent::Progress { .. } = ev
            && !stopped
        {
            stopped = true;
            server.kill_hard();
        }
    });
    let err = result.expect_err("the server went away mid-sync");
    assert!(
        matches!(
            err,
            ImapError::ConnectionLost { .. }
                | ImapError::Protocol { .. }
                | ImapError::Connect { .. }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("run the sync again") || err.to_string().contains("cached"),
        "{err}"
    );
    let kept = cache.uids("test", "INBOX").unwrap().len();
    assert!(
        (500..4068).contains(&kept),
        "the first batches are kept: {kept}"
    );

    server.restart();
    let summary = sync_mailbox(&req, &mut cache, &cancel, &mut |_| {}).unwrap();
    assert_eq!(
        summary.fetched,
        4068 - kept,
        "only what was missing is fetched"
    );
    let all = cache.load("test", "INBOX").unwrap();
    assert_eq!(all.len(), 4068);
    let ids: HashSet<Vec<u8>> = all.iter().map(|m| m.headers.clone()).collect();
    assert_eq!(ids.len(), 4068, "no duplicates");
}

#[test]
fn cancelling_stops_the_sync_and_keeps_what_was_stored() {
    if !dovecot::available() {
        return;
    }
    let server = Dovecot::start(&mailbox_files(4000));
    let (config, cred, _dir, mut cache) = direct(&server, "connections = 2");
    let req = inbox(&config, &cred, true);
    let cancel = AtomicBool::new(false);
    let mut cancelled_at = None;
    let result = sync_mailbox(&req, &mut cache, &cancel, &mut |ev| {
        if let SyncEvent::Messages(_) = ev
            && cancelled_at.is_none()
        {
            // What the UI does on `r`, `m` or `q` while a sync runs.
            cancel.store(true, std::sync::atomic::Ordering::Relaxed);
            cancelled_at = Some(std::time::Instant::now());
        }
    });
    let stopped_after = cancelled_at.unwrap().elapsed();
    eprintln!("sync returned {stopped_after:?} after the cancel");
    assert!(matches!(result, Err(ImapError::Cancelled)), "{result:?}");
    let kept = cache.uids("test", "INBOX").unwrap().len();
    assert!(
        (1..4068).contains(&kept),
        "stopped before the end, with the stored batches kept: {kept}"
    );
    let cancel = AtomicBool::new(false);
    let summary = sync_mailbox(&req, &mut cache, &cancel, &mut |_| {}).unwrap();
    assert_eq!(
        summary.fetched,
        4068 - kept,
        "the next sync fetches the rest"
    );
}

#[test]
fn garbage_in_a_fetch_response_is_a_clear_error() {
    // A scripted peer that speaks just enough IMAP, then answers FETCH with garbage.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let peer = std::thread::spawn(move || {
        use std::io::{BufRead, BufReader, Write};
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut w = stream;
        w.write_all(b"* OK ready\r\n").unwrap();
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap_or(0) > 0 {
            let tag = line.split(' ').next().unwrap_or("").to_string();
            let cmd = line.to_ascii_uppercase();
            let reply: Vec<u8> = if cmd.contains(" LOGIN ") {
                format!("{tag} OK logged in\r\n").into_bytes()
            } else if cmd.contains(" EXAMINE ") {
                format!("* 2 EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\n{tag} OK [READ-ONLY] done\r\n")
                    .into_bytes()
            } else if cmd.contains("UID SEARCH") {
                format!("* SEARCH 1 2\r\n{tag} OK done\r\n").into_bytes()
            } else if cmd.contains("UID FETCH") {
                format!("* 1 FETCH (UID 1 BODY[HEADER.FIELDS (X)] {{99999}}\r\n\x00\x01garbage)))\r\n{tag} OK done\r\n").into_bytes()
            } else {
                format!("{tag} OK\r\n").into_bytes()
            };
            if w.write_all(&reply).is_err() {
                break;
            }
            if cmd.contains("UID FETCH") {
                // Then hang up, as a broken server would.
                break;
            }
            line.clear();
        }
    });
    let env = Env::new(&format!(
        "[accounts.test]\nhost = \"127.0.0.1\"\nport = {port}\nsecurity = \"plain\"\nallow-plaintext = true\nusername = \"u\"\nread-timeout-secs = 2\npassword = {{ source = \"env\", var = \"HOPSCOPE_TEST_PW\" }}\n"
    ));
    let out = env.cmd().args(["sync", "test"]).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("warning: account \"test\" uses security = \"plain\""),
        "{err}"
    );
    let last = err.trim_end().lines().last().unwrap();
    assert!(
        last.contains("closed the connection during the sync")
            || last.contains("cannot read")
            || last.contains("no answer"),
        "{last}"
    );
    assert!(!err.contains(PASSWORD));
    peer.join().unwrap();
}

#[test]
fn keyring_login_then_sync_then_logout() {
    if !dovecot::available() {
        return;
    }
    if !std::process::Command::new("keyctl")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        assert!(
            std::env::var_os("CI").is_none()
                && std::env::var_os("HOPSCOPE_REQUIRE_TOOLS").is_none(),
            "keyctl is required under CI (tests/run.sh installs keyutils)"
        );
        eprintln!("skipped: keyctl (keyutils) is not installed");
        return;
    }
    let server = Dovecot::start(&mailbox_files(0));
    let config: String = server
        .config("tls", "")
        .lines()
        .filter(|l| !l.starts_with("password"))
        .collect::<Vec<_>>()
        .join("\n");
    let env = Env::new(&config);
    let bin = assert_cmd::cargo::cargo_bin("hopscope");
    // A private session keyring for this test, as a login session would have.
    let script = format!(
        "printf '%s\\n' \"$HOPSCOPE_TEST_PW\" | {b} login test --password-stdin && {b} sync test && {b} logout test && {b} sync test",
        b = bin.display()
    );
    let out = std::process::Command::new("keyctl")
        .args(["session", "-", "sh", "-c", &script])
        .env("HOPSCOPE_CONFIG_DIR", env.dir.path())
        .env("HOPSCOPE_CACHE_DIR", env.dir.path().join("cache"))
        .env("HOPSCOPE_TEST_PW", PASSWORD)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("password for \"test\" stored in the OS keyring"),
        "{err}"
    );
    assert!(
        err.contains("68 messages, 68 fetched"),
        "the stored password logs in: {err}"
    );
    assert!(err.contains("removed from the OS keyring"), "{err}");
    assert!(
        err.contains("no password stored for account \"test\": run `hopscope login test`"),
        "after logout: {err}"
    );
    assert!(!out.status.success());
    assert!(!err.contains(PASSWORD));
    env.assert_no_secret_on_disk();
}
