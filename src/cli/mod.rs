//! Command-line interface: argument definitions and dispatch. Each command lives in a small
//! module; `main.rs` only parses, calls `run` and prints the one-line error.

mod account;
mod input;
mod tui;

use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, CommandFactory, Parser, Subcommand};

use crate::{analysis::AnalysisOptions, report::ReportFormat};

pub use input::{analyze_raw, load_input};

/// Did this email travel encrypted, hop by hop?
///
/// hopscope reads the Received headers of every message in a mailbox and judges each hop:
/// encrypted, weak TLS, plaintext, internal (no TLS needed), or unrecorded (crossed
/// organisations and nothing tells). Without a command it opens the terminal UI: on your default
/// account when one is configured, else on the bundled demo mailbox.
#[derive(Debug, Parser)]
#[command(name = "hopscope", version, about, long_about, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Open the bundled demo mailbox in the terminal UI.
    #[arg(long)]
    pub demo: bool,

    /// Open this configured account in the terminal UI.
    #[arg(long, short = 'a', value_name = "ACCOUNT")]
    pub account: Option<String>,

    /// Mailbox to open (default: the account's first `mailboxes` entry).
    #[arg(long, short = 'm', value_name = "MAILBOX")]
    pub mailbox: Option<String>,

    /// Config file (default: $HOPSCOPE_CONFIG_DIR/config.toml, else ~/.config/hopscope/config.toml).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Disable colours (also honoured: the NO_COLOR environment variable).
    #[arg(long, global = true)]
    pub no_color: bool,

    /// Keep nothing on disk: no header cache is read or written.
    #[arg(long, global = true)]
    pub no_cache: bool,
}

const AFTER_HELP: &str = "Examples:
  hopscope --demo                  browse the bundled demo mailbox
  hopscope open ~/Mail/inbox       browse an mbox, Maildir or folder of .eml files
  hopscope login work              store the password of account \"work\" in the OS keyring
  hopscope -a work -m Archive      browse a live mailbox (read-only)
  hopscope analyze --json a.eml    one JSON line per message
  hopscope report --demo -f md -o report.md

Accounts live in config.toml (`hopscope config path`); `hopscope config example` prints one
with every key documented.";

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Browse messages from files in the terminal UI (mbox, Maildir, folder of .eml).
    Open {
        /// Files or folders to read: .eml, header-only text, mbox, Maildir, folder of .eml (all
        /// analysed together).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        analysis: AnalysisArgs,
    },
    /// Print each message's hops and verdict (all inputs are analysed together).
    Analyze {
        #[command(flatten)]
        input: InputArgs,
        /// Write JSON Lines (one message per line, documented in README) instead of a table.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        analysis: AnalysisArgs,
    },
    /// Write a session report: summary plus one row per message.
    Report {
        #[command(flatten)]
        input: InputArgs,
        /// md and html: a summary, then one row per message; csv: the rows only (one table for
        /// spreadsheets); json: the summary and the full reports.
        #[arg(long, short = 'f', value_enum, default_value = "md")]
        format: ReportFormat,
        /// Output file ("-" for standard output).
        #[arg(long, short = 'o', default_value = "-")]
        output: PathBuf,
        /// Only messages whose verdict is plaintext, unrecorded or weak.
        #[arg(long)]
        unencrypted_only: bool,
        #[command(flatten)]
        analysis: AnalysisArgs,
    },
    /// Fetch new headers of an account's mailboxes into the local cache (read-only on the server).
    Sync {
        /// The account's name in config.toml (`[accounts.NAME]`; `hopscope accounts` lists them).
        account: String,
        /// Mailbox to sync (repeatable; default: the account's `mailboxes`).
        #[arg(long, short = 'm')]
        mailbox: Vec<String>,
    },
    /// Ask for an account's password (no echo) and store it in the OS keyring.
    Login {
        /// The account's name in config.toml (`[accounts.NAME]`; `hopscope accounts` lists them).
        account: String,
        /// Read the password from the first line of standard input instead of the terminal.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Remove an account's password from the OS keyring.
    Logout {
        /// The account's name in config.toml (`[accounts.NAME]`; `hopscope accounts` lists them).
        account: String,
    },
    /// List configured accounts and where each password comes from.
    Accounts,
    /// List an account's mailboxes with their message counts.
    Mailboxes {
        /// The account's name in config.toml (`[accounts.NAME]`; `hopscope accounts` lists them).
        account: String,
    },
    /// Show the config file's path, or print a documented example config.
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// Manage the local header cache.
    Cache {
        #[command(subcommand)]
        action: CacheAction,
    },
    /// Print a shell completion script, e.g. `hopscope completions bash >
    /// ~/.local/share/bash-completion/completions/hopscope`.
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Print a config with every key documented, to start from:
    /// `hopscope config example > ~/.config/hopscope/config.toml`.
    Example,
    /// Print where the config file is read from.
    Path,
}

#[derive(Debug, Subcommand)]
pub enum CacheAction {
    /// Delete the cache file (headers only; it never holds credentials).
    Clear,
    /// Print where the cache lives.
    Path,
}

#[derive(Debug, Args)]
pub struct InputArgs {
    /// Files or folders to read: .eml, header-only text, mbox, Maildir, folder of .eml, or - for stdin.
    pub paths: Vec<PathBuf>,
    /// Use the bundled demo mailbox.
    #[arg(long)]
    pub demo: bool,
    /// Sync and use this configured account instead of files.
    #[arg(long, short = 'a', value_name = "ACCOUNT")]
    pub account: Option<String>,
    /// With --account: mailbox (repeatable; default: the account's `mailboxes`).
    #[arg(long, short = 'm', value_name = "MAILBOX")]
    pub mailbox: Vec<String>,
}

#[derive(Debug, Args, Clone, Default)]
pub struct AnalysisArgs {
    /// Your own domain(s): hops below the first one received by them are shown as claims.
    /// Defaults to the account's `own-domains`, else the organisation of the newest receiving host.
    #[arg(long = "own-domain", value_name = "DOMAIN")]
    pub own_domains: Vec<String>,
}

impl AnalysisArgs {
    pub fn options(&self) -> AnalysisOptions {
        AnalysisOptions {
            own_domains: self.own_domains.clone(),
        }
    }
}

/// Colour on stdout only for a terminal, and never when NO_COLOR is set (any non-empty value).
pub fn use_color(no_color_flag: bool) -> bool {
    use std::io::IsTerminal;
    !no_color_flag && !no_color_env() && std::io::stdout().is_terminal()
}

fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// An error and the causes anyhow chained to it (`context: cause`), on one line whatever a cause
/// holds (a parser's message can span several). Each cause is said once because hopscope's error
/// types either name their cause in their message or chain it, never both.
pub fn error_line(error: &anyhow::Error) -> String {
    let line = format!("{error:#}");
    if !line.contains(['\n', '\r']) {
        return line;
    }
    line.split(['\n', '\r'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn run(cli: Cli) -> Result<()> {
    let color = use_color(cli.no_color);
    let tui_color = !cli.no_color && !no_color_env();
    let ctx = input::Context {
        config_path: cli.config.clone(),
        no_cache: cli.no_cache,
    };
    match &cli.command {
        Some(Command::Analyze {
            input,
            json,
            analysis,
        }) => input::run_analyze(&ctx, input, *json, analysis, color),
        Some(Command::Report {
            input,
            format,
            output,
            unencrypted_only,
            analysis,
        }) => input::run_report(&ctx, input, *format, output, *unencrypted_only, analysis),
        Some(Command::Open { paths, analysis }) => {
            tui::open_files(paths.clone(), false, analysis, tui_color)
        }
        Some(Command::Sync { account, mailbox }) => account::run_sync(&ctx, account, mailbox),
        Some(Command::Login {
            account,
            password_stdin,
        }) => account::run_login(&ctx, account, *password_stdin),
        Some(Command::Logout { account }) => account::run_logout(&ctx, account),
        Some(Command::Accounts) => account::run_accounts(&ctx),
        Some(Command::Mailboxes { account }) => account::run_mailboxes(&ctx, account),
        Some(Command::Config { action }) => account::run_config(&ctx, action),
        Some(Command::Cache { action }) => account::run_cache(action),
        Some(Command::Completions { shell }) => {
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "hopscope", &mut script);
            input::write_stdout(&String::from_utf8_lossy(&script))
        }
        None => tui::open_default(
            &ctx,
            cli.demo,
            cli.account.as_deref(),
            cli.mailbox.clone(),
            tui_color,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_line_says_each_cause_once_on_one_line() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let wrapped = anyhow::Error::new(crate::sources::SourceError::Io {
            path: "/x".into(),
            error: io,
        });
        let line = error_line(&wrapped);
        assert_eq!(line.matches("no such file").count(), 1, "{line}");
        assert!(line.starts_with("cannot read /x: no such file"), "{line}");

        // A wrapped error is said once, not once per wrapper.
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "no way in");
        let cache = crate::cache::CacheError::Io {
            path: "/c".into(),
            error: io,
        };
        let line = error_line(&anyhow::Error::new(crate::imap::ImapError::from(cache)));
        assert_eq!(line, "cannot create the cache at /c: no way in", "{line}");

        // A cause the message does not name is still said, after it.
        let chained = anyhow::anyhow!("disk on fire").context("cannot save the report");
        assert_eq!(error_line(&chained), "cannot save the report: disk on fire");

        let multi = anyhow::anyhow!("parse error at line 1\n  |\r\n1 | [[x\n  |   ^\nunclosed");
        assert_eq!(
            error_line(&multi),
            "parse error at line 1 | 1 | [[x |   ^ unclosed"
        );
    }

    /// `--help` explains every argument: one without a line of its own shows as a bare name.
    #[test]
    fn every_argument_of_every_command_has_help() {
        use clap::CommandFactory;
        fn visit(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for arg in cmd.get_arguments() {
                let builtin = matches!(arg.get_id().as_str(), "help" | "version");
                if !builtin && !arg.is_hide_set() && arg.get_help().is_none() {
                    missing.push(format!("{path} {}", arg.get_id()));
                }
            }
            for sub in cmd.get_subcommands() {
                visit(sub, &format!("{path} {}", sub.get_name()), missing);
            }
        }
        let mut missing = Vec::new();
        visit(&Cli::command(), "hopscope", &mut missing);
        assert!(missing.is_empty(), "arguments without help: {missing:?}");
    }
}
