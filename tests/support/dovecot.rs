#![allow(
    dead_code,
    reason = "shared test support: each test file uses a different part of it"
)]
//! A private Dovecot for tests: 127.0.0.1 only, free ports, its own self-signed certificate, a
//! passwd-file user and a Maildir. Started per test, stopped on drop. Outside CI a missing
//! Dovecot skips the test with a message; under CI=true it fails (tests/run.sh installs it).

use std::{
    net::TcpListener,
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

pub const USER: &str = "hopscope-test";
/// Distinctive, so tests can search everything written for it.
pub const PASSWORD: &str = "Pw-s3cr3t-f0r-h0psc0pe-t3sts";

pub struct Dovecot {
    pub dir: tempfile::TempDir,
    pub imaps_port: u16,
    pub imap_port: u16,
    pub cert: PathBuf,
    pub maildir: PathBuf,
    conf: PathBuf,
}

/// Two distinct free ports. Both listeners are held until both ports are known: bound and
/// dropped one after the other, the kernel can hand out the same port twice, and Dovecot then
/// refuses its config ("duplicate listener"), as it once did in CI.
fn free_ports() -> (u16, u16) {
    let a = TcpListener::bind("127.0.0.1:0").unwrap();
    let b = TcpListener::bind("127.0.0.1:0").unwrap();
    (
        a.local_addr().unwrap().port(),
        b.local_addr().unwrap().port(),
    )
}

fn nobody() -> (u32, u32) {
    let out = Command::new("id").args(["-u", "nobody"]).output().unwrap();
    let uid: u32 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
    let out = Command::new("id").args(["-g", "nobody"]).output().unwrap();
    let gid: u32 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
    (uid, gid)
}

fn chown_tree(path: &Path, uid: u32, gid: u32) {
    std::os::unix::fs::chown(path, Some(uid), Some(gid)).unwrap();
    if path.is_dir() {
        for e in std::fs::read_dir(path).unwrap() {
            chown_tree(&e.unwrap().path(), uid, gid);
        }
    }
}

pub fn available() -> bool {
    let ok = Path::new("/usr/sbin/dovecot").exists();
    if !ok {
        assert!(
            std::env::var_os("CI").is_none()
                && std::env::var_os("HOPSCOPE_REQUIRE_TOOLS").is_none(),
            "Dovecot is required under CI (tests/run.sh installs dovecot-imapd)"
        );
        eprintln!("skipped: Dovecot is not installed (run tests/run.sh to install it)");
    }
    ok
}

impl Dovecot {
    /// Starts a server whose certificate names `cert_name` (and 127.0.0.1 when it is localhost).
    pub fn start_with_cert(messages: &[(String, Vec<u8>)], cert_name: &str) -> Dovecot {
        let dir = tempfile::Builder::new()
            .prefix("hopscope-dovecot-")
            .tempdir()
            .unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let state = dir.path();
        let maildir = state.join("Maildir");
        for sub in ["cur", "new", "tmp"] {
            std::fs::create_dir_all(maildir.join(sub)).unwrap();
        }
        std::fs::create_dir_all(state.join("home")).unwrap();
        std::fs::create_dir_all(state.join("run")).unwrap();
        for (name, bytes) in messages {
            std::fs::write(maildir.join("cur").join(name), bytes).unwrap();
        }
        let (uid, gid) = nobody();
        chown_tree(&maildir, uid, gid);
        chown_tree(&state.join("home"), uid, gid);

        let cert = state.join("cert.pem");
        let key = state.join("key.pem");
        let san = if cert_name == "localhost" {
            "subjectAltName=DNS:localhost,IP:127.0.0.1".to_string()
        } else {
            format!("subjectAltName=DNS:{cert_name}")
        };
        let st = Command::new("openssl")
            .args([
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                &format!("/CN={cert_name}"),
                "-addext",
                &san,
                "-keyout",
            ])
            .arg(&key)
            .arg("-out")
            .arg(&cert)
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(st.success(), "openssl could not make a certificate");
        std::fs::write(
            state.join("users"),
            format!("{USER}:{{PLAIN}}{PASSWORD}::::::\n"),
        )
        .unwrap();

        let (imaps_port, imap_port) = free_ports();
        let conf = state.join("dovecot.conf");
        let s = state.display();
        std::fs::write(
            &conf,
            format!(
                "base_dir = {s}/run
state_dir = {s}/state
instance_name = hopscope-test-{imaps_port}
log_path = {s}/dovecot.log
info_log_path = {s}/dovecot.log
protocols = imap
listen = 127.0.0.1
default_internal_user = dovecot
default_login_user = dovenull
first_valid_uid = {uid}
last_valid_uid = {uid}
ssl = yes
ssl_cert = <{s}/cert.pem
ssl_key = <{s}/key.pem
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2
auth_failure_delay = 0
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {s}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={s}/home
}}
mail_location = maildir:{s}/Maildir:INDEX={s}/home/index:CONTROL={s}/home/control
mail_fsync = never
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
"
            ),
        )
        .unwrap();
        let d = Dovecot {
            dir,
            imaps_port,
            imap_port,
            cert,
            maildir,
            conf,
        };
        d.launch();
        d
    }

    pub fn start(messages: &[(String, Vec<u8>)]) -> Dovecot {
        Self::start_with_cert(messages, "localhost")
    }

    fn launch(&self) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.path().join("dovecot.stderr"))
            .unwrap();
        let st = Command::new("/usr/sbin/dovecot")
            .arg("-c")
            .arg(&self.conf)
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .status()
            .unwrap();
        assert!(st.success(), "dovecot did not start: {}", self.log());
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", self.imaps_port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "dovecot did not listen: {}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn log(&self) -> String {
        let a = std::fs::read_to_string(self.dir.path().join("dovecot.log")).unwrap_or_default();
        let b = std::fs::read_to_string(self.dir.path().join("dovecot.stderr")).unwrap_or_default();
        format!("{a}{b}")
    }

    pub fn stop(&self) {
        let _ = Command::new("/usr/bin/doveadm")
            .arg("-c")
            .arg(&self.conf)
            .arg("stop")
            .stderr(Stdio::null())
            .status();
        let pid_file = self.dir.path().join("run/master.pid");
        let deadline = Instant::now() + Duration::from_secs(10);
        while pid_file.exists() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Kills the master and every process it started (connections die mid-command), as a crash
    /// or an abrupt server shutdown would. `stop` alone lets running sessions finish.
    pub fn kill_hard(&self) {
        let Ok(pid) = std::fs::read_to_string(self.dir.path().join("run/master.pid")) else {
            return;
        };
        let master = pid.trim().to_string();
        let mut victims = vec![master.clone()];
        for e in std::fs::read_dir("/proc").unwrap().flatten() {
            let stat = std::fs::read_to_string(e.path().join("stat")).unwrap_or_default();
            // pid (comm) state ppid ...
            let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
            if after.split_whitespace().nth(1) == Some(master.as_str()) {
                victims.push(e.file_name().to_string_lossy().into_owned());
            }
        }
        let _ = Command::new("kill")
            .arg("-9")
            .args(&victims)
            .stderr(Stdio::null())
            .status();
        let _ = std::fs::remove_file(self.dir.path().join("run/master.pid"));
    }

    pub fn restart(&self) {
        self.stop();
        self.launch();
    }

    /// Adds a message file to the Maildir (owned by the mail user), as a delivery would.
    pub fn deliver(&self, file_name: &str, bytes: &[u8]) {
        let path = self.maildir.join("cur").join(file_name);
        std::fs::write(&path, bytes).unwrap();
        let (uid, gid) = nobody();
        std::os::unix::fs::chown(&path, Some(uid), Some(gid)).unwrap();
    }

    /// Every message file with its name (which carries the flags) and contents.
    pub fn snapshot(&self) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        for sub in ["cur", "new"] {
            for e in std::fs::read_dir(self.maildir.join(sub)).unwrap() {
                let e = e.unwrap();
                out.push((
                    format!("{sub}/{}", e.file_name().to_string_lossy()),
                    std::fs::read(e.path()).unwrap(),
                ));
            }
        }
        out.sort();
        out
    }

    /// A config.toml with one account "test" for this server.
    pub fn config(&self, security: &str, extra: &str) -> String {
        let port = if security == "tls" {
            self.imaps_port
        } else {
            self.imap_port
        };
        format!(
            "[accounts.test]\nhost = \"127.0.0.1\"\nport = {port}\nsecurity = \"{security}\"\nusername = \"{USER}\"\npassword = {{ source = \"env\", var = \"HOPSCOPE_TEST_PW\" }}\nca-file = \"{}\"\n{extra}\n",
            self.cert.display()
        )
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Message files for a test mailbox: the demo mailbox plus `extra` generated messages.
pub fn mailbox_files(extra: usize) -> Vec<(String, Vec<u8>)> {
    let demo = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/demo/demo.mbox"
    ))
    .unwrap();
    let mut out: Vec<(String, Vec<u8>)> = hopscope::sources::split_file("demo", &demo)
        .into_iter()
        .enumerate()
        .map(|(i, m)| {
            let flags = match i % 3 {
                0 => "S",
                1 => "",
                _ => "FS",
            };
            let mut bytes = m.headers;
            bytes.extend_from_slice(b"\nbody\n");
            (format!("1700000000.{i:05}.hopscope:2,{flags}"), bytes)
        })
        .collect();
    for i in 0..extra {
        let msg = format!(
            "Received: from mx{i}.example.org (mx{i}.example.org [2001:db8:77::{:x}])\r\n\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))\r\n\tby mx.example.net (Postfix) with ESMTPS id G{i}\r\n\tfor <bob@example.net>; Mon, 2 Nov 2026 10:00:00 +0000\r\nReceived: from app.example.org (localhost [127.0.0.1])\r\n\tby mx{i}.example.org (Postfix) with ESMTP id A{i}; Mon, 2 Nov 2026 09:59:59 +0000\r\nFrom: Gen {i} <gen{i}@example.org>\r\nSubject: generated {i}\r\nMessage-ID: <gen-{i}@example.org>\r\nDate: Mon, 2 Nov 2026 09:59:58 +0000\r\n\r\nbody\r\n",
            i + 1
        );
        out.push((format!("1700000001.{i:05}.hopscope:2,S"), msg.into_bytes()));
    }
    out
}
