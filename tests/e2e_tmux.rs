#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests and their helpers fail loudly"
)]
//! End-to-end: the real binary in tmux, driven by keystrokes as a person would.
//! Needs tmux; outside CI a missing tmux skips with a message, under CI=true it fails.

mod support {
    pub mod dovecot;
}

use std::{
    path::{Path, PathBuf},
    process::Command,
    time::{Duration, Instant},
};

pub struct Tmux {
    socket: String,
    session: String,
}

impl Tmux {
    pub fn available() -> bool {
        let ok = Command::new("tmux")
            .arg("-V")
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            assert!(
                std::env::var_os("CI").is_none()
                    && std::env::var_os("HOPSCOPE_REQUIRE_TOOLS").is_none(),
                "tmux is required under CI (tests/run.sh installs it)"
            );
            eprintln!("skipped: tmux is not installed");
        }
        ok
    }

    /// Starts `command` in a detached session of the given size. The shell keeps the pane open
    /// after the program exits so the restored screen can be inspected.
    pub fn start(name: &str, command: &str, width: u16, height: u16) -> Self {
        let socket = format!("hopscope-test-{name}-{}", std::process::id());
        let t = Tmux {
            socket,
            session: "main".into(),
        };
        let wrapped = format!("{command}; echo \"EXITED rc=$?\"; sleep 30");
        t.run(&[
            "new-session",
            "-d",
            "-s",
            &t.session,
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
            "sh",
            "-c",
            &wrapped,
        ]);
        t
    }

    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.run(&["send-keys", "-t", &self.session, k]);
        }
    }

    pub fn literal(&self, text: &str) {
        self.run(&["send-keys", "-t", &self.session, "-l", text]);
    }

    pub fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", &self.session])
    }

    pub fn display(&self, format: &str) -> String {
        self.run(&["display-message", "-p", "-t", &self.session, format])
            .trim()
            .to_string()
    }

    /// Polls the screen until `needle` shows up (no fixed sleeps), or fails with the screen.
    pub fn wait_for(&self, needle: &str, timeout: Duration) -> String {
        self.wait_until(needle, timeout, |s| s.contains(needle))
    }

    /// Polls until the whole screen satisfies `ok`: a capture can catch a frame half drawn, so
    /// conditions about several parts of the screen are checked together, not one after another.
    pub fn wait_until(&self, what: &str, timeout: Duration, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .arg("kill-server")
            .output();
    }
}

pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_hopscope"))
}

/// Opens the export prompt, replaces its default path with `path`, and presses Enter.
pub fn export_to(tmux: &Tmux, path: &Path) {
    tmux.keys(&["e"]);
    tmux.wait_for("Export report", Duration::from_secs(5));
    for _ in 0..80 {
        tmux.keys(&["BSpace"]);
    }
    tmux.literal(&path.display().to_string());
    tmux.keys(&["Enter"]);
}

/// The bundled demo mailbox in a 100×30 tmux, with `dir` as its config directory.
fn demo_in_tmux(name: &str, dir: &Path) -> Tmux {
    let cmd = format!(
        "HOPSCOPE_CONFIG_DIR={} {} --demo",
        dir.display(),
        binary().display()
    );
    Tmux::start(name, &cmd, 100, 30)
}

/// The shared walk-through: filter to unencrypted, open a detail pane, export Markdown, quit.
pub fn walk_through(tmux: &Tmux, report: &Path, expect_in_list: &str) {
    tmux.wait_for(expect_in_list, Duration::from_secs(20));
    tmux.keys(&["u"]);
    tmux.wait_until(
        "the unencrypted filter with no encrypted message listed",
        Duration::from_secs(5),
        |s| s.contains("filter: unencrypted only") && !s.contains("● TLS   "),
    );
    tmux.keys(&["Enter"]);
    tmux.wait_for("Verdict: ", Duration::from_secs(5));
    tmux.keys(&["Escape"]);
    export_to(tmux, report);
    tmux.wait_for("wrote ", Duration::from_secs(5));
    tmux.keys(&["q"]);
    let screen = tmux.wait_for("EXITED rc=0", Duration::from_secs(5));
    assert!(
        !screen.contains("hopscope │"),
        "the UI is gone after quit:\n{screen}"
    );
    assert_eq!(
        tmux.display("#{alternate_on}"),
        "0",
        "alternate screen left"
    );
    assert_eq!(tmux.display("#{cursor_flag}"), "1", "cursor visible again");
}

#[test]
fn demo_mailbox_as_a_person_uses_it() {
    if !Tmux::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("unencrypted.md");
    let tmux = demo_in_tmux("demo", dir.path());
    walk_through(&tmux, &report, "68 messages");
    let md = std::fs::read_to_string(&report).unwrap();
    assert!(md.starts_with("# hopscope report"));
    assert!(md.contains("Filter: unencrypted only"));
    assert!(md.contains("| **plaintext** |"));
    assert!(
        !md.contains("| **encrypted** |"),
        "only what was listed is exported"
    );
}

#[test]
fn exporting_over_an_existing_file_asks_first() {
    if !Tmux::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("kept.md");
    std::fs::write(&report, "last week's report").unwrap();
    let tmux = demo_in_tmux("overwrite", dir.path());
    tmux.wait_for("68 messages", Duration::from_secs(20));
    export_to(&tmux, &report);
    tmux.wait_for("File exists: Enter replaces it", Duration::from_secs(5));
    assert_eq!(
        std::fs::read_to_string(&report).unwrap(),
        "last week's report"
    );
    tmux.keys(&["Enter"]);
    tmux.wait_for("wrote 68 messages", Duration::from_secs(5));
    assert!(
        std::fs::read_to_string(&report)
            .unwrap()
            .starts_with("# hopscope report")
    );
    tmux.keys(&["q"]);
    tmux.wait_for("EXITED rc=0", Duration::from_secs(5));
}

#[test]
fn small_terminal_and_resize() {
    if !Tmux::available() {
        return;
    }
    let cmd = format!("{} --demo", binary().display());
    let tmux = Tmux::start("small", &cmd, 60, 20);
    tmux.wait_for("68 messages", Duration::from_secs(20));
    tmux.keys(&["Enter", "h", "?"]);
    tmux.wait_for("Help", Duration::from_secs(5));
    tmux.run(&["resize-window", "-t", &tmux.session, "-x", "40", "-y", "10"]);
    tmux.keys(&["Escape"]);
    tmux.run(&[
        "resize-window",
        "-t",
        &tmux.session,
        "-x",
        "120",
        "-y",
        "40",
    ]);
    tmux.keys(&["q"]);
    tmux.wait_for("EXITED rc=0", Duration::from_secs(5));
}

/// The classic terminal size: the header's counts, the help key, the whole help and the end of a
/// long raw header line must all be reachable.
#[test]
fn classic_80x24_terminal() {
    if !Tmux::available() {
        return;
    }
    let cmd = format!("{} --demo", binary().display());
    let tmux = Tmux::start("classic", &cmd, 80, 24);
    let screen = tmux.wait_for("68 messages", Duration::from_secs(20));
    let mut lines = screen.lines();
    let header = lines.next().unwrap_or_default();
    assert!(
        header.contains("● 37") && header.contains("∅ 2"),
        "{header}"
    );
    assert!(screen.contains("? help  q quit"), "{screen}");
    tmux.keys(&["?"]);
    tmux.wait_for("↓ more", Duration::from_secs(5));
    tmux.keys(&["End"]);
    tmux.wait_for("bold = crossed organisations", Duration::from_secs(5));
    tmux.keys(&["x"]);
    tmux.wait_until("the help closed", Duration::from_secs(5), |s| {
        !s.contains("Help ·")
    });
    // The first message's Received line from mx.latin1-mail.example is 81 columns long.
    tmux.keys(&["Enter"]);
    tmux.wait_for("Verdict: ", Duration::from_secs(5));
    tmux.keys(&["h"]);
    tmux.wait_for("│    [2001:db8:1a7::2])", Duration::from_secs(5));
    tmux.keys(&["q"]);
    tmux.wait_for("EXITED rc=0", Duration::from_secs(5));
}

/// `hopscope analyze` on an 80-column terminal: each hop in two rows that fit, not a 150-column
/// row wrapped wherever it falls.
#[test]
fn analyze_fits_an_80_column_terminal() {
    if !Tmux::available() {
        return;
    }
    let cmd = format!("{} analyze --demo --no-color", binary().display());
    let tmux = Tmux::start("analyze80", &cmd, 80, 24);
    let screen = tmux.wait_for("EXITED rc=0", Duration::from_secs(20));
    assert!(
        screen.contains(
            "   1  mx.latin1-mail.example → mx1.northwind-clinic.example\n      encrypted · scope cross_org · ESMTPSA · no TLS note\n"
        ),
        "{screen}"
    );
}

/// A left click as the terminal reports it (SGR mouse mode, which the UI turns on): press and
/// release at 1-based `column`, `row`.
fn click(tmux: &Tmux, column: u16, row: u16) {
    tmux.literal(&format!("\x1b[<0;{column};{row}M\x1b[<0;{column};{row}m"));
}

#[test]
fn clicking_a_message_with_the_mouse() {
    if !Tmux::available() {
        return;
    }
    let cmd = format!("{} --demo", binary().display());
    let tmux = Tmux::start("mouse", &cmd, 100, 30);
    let screen = tmux.wait_for("68 messages", Duration::from_secs(20));
    let row = screen
        .lines()
        .position(|l| l.contains("Cita médica mañana"))
        .unwrap();
    let row = u16::try_from(row + 1).unwrap();
    click(&tmux, 40, row);
    click(&tmux, 40, row);
    tmux.wait_for("Detail · Cita médica mañana", Duration::from_secs(5));
    tmux.keys(&["q"]);
    tmux.wait_for("EXITED rc=0", Duration::from_secs(5));
}

#[test]
fn live_dovecot_mailbox_as_a_person_uses_it() {
    if !Tmux::available() || !support::dovecot::available() {
        return;
    }
    let server = support::dovecot::Dovecot::start(&support::dovecot::mailbox_files(300));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        server.config("tls", "own-domains = [\"northwind-clinic.example\"]"),
    )
    .unwrap();
    let report = dir.path().join("live.md");
    let files_before = server.snapshot();
    let cmd = format!(
        "HOPSCOPE_CONFIG_DIR={d} HOPSCOPE_CACHE_DIR={d}/cache HOPSCOPE_TEST_PW='{pw}' {bin}",
        d = dir.path().display(),
        pw = support::dovecot::PASSWORD,
        bin = binary().display()
    );
    let tmux = Tmux::start("live", &cmd, 100, 30);
    // `hopscope` with an account configured opens that account's default mailbox, synced live.
    let screen = tmux.wait_for("368 messages", Duration::from_secs(30));
    assert!(screen.contains("test/INBOX"), "{screen}");
    tmux.keys(&["m"]);
    tmux.wait_for("Mailbox", Duration::from_secs(5));
    tmux.keys(&["Escape"]);
    walk_through(&tmux, &report, "368 messages");
    let md = std::fs::read_to_string(&report).unwrap();
    assert!(md.contains("Source: test"));
    assert!(md.contains("| **plaintext** |"));
    assert!(!md.contains(support::dovecot::PASSWORD));
    assert!(
        server.snapshot() == files_before,
        "the session changed message files or their flags on the server"
    );
}

/// `hopscope open FOLDER`: the demo's messages saved as .eml files with a scan beside them. The
/// scan is named in the status line, not listed; the walk-through works as on the demo.
#[test]
fn folder_of_messages_as_a_person_uses_it() {
    if !Tmux::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("saved mail");
    std::fs::create_dir(&folder).unwrap();
    for (i, m) in hopscope::sources::demo().iter().enumerate() {
        let mut file = m.headers.clone();
        file.extend_from_slice(b"\r\nbody\r\n");
        std::fs::write(folder.join(format!("{i:03}.eml")), file).unwrap();
    }
    std::fs::write(folder.join("scan.pdf"), b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n").unwrap();
    let report = dir.path().join("folder.md");
    let cmd = format!(
        "HOPSCOPE_CONFIG_DIR={d} HOPSCOPE_CACHE_DIR={d}/cache {bin} open '{folder}'",
        d = dir.path().display(),
        bin = binary().display(),
        folder = folder.display()
    );
    let tmux = Tmux::start("folder", &cmd, 120, 30);
    let screen = tmux.wait_until(
        "all 68 messages and the skipped scan",
        Duration::from_secs(20),
        |s| s.contains("68 messages") && s.contains("scan.pdf: not a message"),
    );
    assert!(screen.contains("Messages 68/68"), "{screen}");
    walk_through(&tmux, &report, "68 messages");
    let md = std::fs::read_to_string(&report).unwrap();
    assert!(md.contains("| **plaintext** |"));
    assert!(!md.contains("scan.pdf"));
}
