//! Account commands: login, logout, accounts, mailboxes, sync, cache; and syncing an account
//! for `analyze`/`report`.

use std::{
    io::{BufRead, IsTerminal},
    sync::atomic::AtomicBool,
};

use anyhow::{Context as _, Result, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{CacheAction, ConfigAction, input::Context};
use crate::{
    cache::{self, Cache},
    config::{AccountConfig, Config, PasswordSource, Security},
    imap::{Session, SyncEvent, SyncRequest, sync_mailbox},
    secrets::{self, Credential, KeyringStore, Secret, SecretStore},
    sources::RawMessage,
};

pub fn load_config(ctx: &Context) -> Result<Config> {
    Ok(Config::load(ctx.config_path.as_deref())?)
}

/// Config entry and credential for an account, with the plaintext warning printed on stderr.
pub fn prepare(ctx: &Context, name: &str) -> Result<(AccountConfig, Credential)> {
    let config = load_config(ctx)?;
    let account = config.account(name)?.clone();
    warn_plaintext(name, &account);
    let credential = secrets::resolve(name, &account, &KeyringStore)?;
    Ok((account, credential))
}

pub fn warn_plaintext(name: &str, account: &AccountConfig) {
    if account.security == Security::Plain {
        eprintln!(
            "hopscope: warning: account \"{name}\" uses security = \"plain\": the password and headers cross the network unencrypted"
        );
    }
}

pub fn open_cache(ctx: &Context) -> Result<Cache> {
    Ok(if ctx.no_cache {
        Cache::keep_nothing()?
    } else {
        Cache::open(&cache::default_path())?
    })
}

fn progress_bar(label: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    if !std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar.set_style(
        ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} headers {per_sec} eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_prefix(label.to_string());
    bar
}

fn sync_one(
    name: &str,
    account: &AccountConfig,
    mailbox: &str,
    credential: &Credential,
    cache: &mut Cache,
    emit: bool,
    out: &mut Vec<RawMessage>,
) -> Result<crate::imap::SyncSummary> {
    let bar = progress_bar(&format!("{name}/{mailbox}"));
    let req = SyncRequest {
        name,
        account,
        mailbox,
        credential,
        emit_messages: emit,
    };
    let cancel = AtomicBool::new(false);
    let summary = sync_mailbox(&req, cache, &cancel, &mut |ev| match ev {
        SyncEvent::Started { to_fetch, .. } => bar.set_length(to_fetch as u64),
        SyncEvent::Progress { fetched, .. } => bar.set_position(fetched as u64),
        SyncEvent::Messages(batch) => out.extend(batch),
    });
    bar.finish_and_clear();
    Ok(summary?)
}

fn mailboxes_of(account: &AccountConfig, asked: &[String]) -> Vec<String> {
    if asked.is_empty() {
        account.mailboxes.clone()
    } else {
        asked.to_vec()
    }
}

/// Syncs (through the cache) and returns every message of the chosen mailboxes.
pub fn collect_messages(
    ctx: &Context,
    name: &str,
    asked: &[String],
) -> Result<(String, Vec<RawMessage>, Vec<String>)> {
    let (account, credential) = prepare(ctx, name)?;
    let mut cache = open_cache(ctx)?;
    let mut out = Vec::new();
    let boxes = mailboxes_of(&account, asked);
    for mailbox in &boxes {
        sync_one(
            name,
            &account,
            mailbox,
            &credential,
            &mut cache,
            true,
            &mut out,
        )?;
    }
    Ok((
        format!("{name}/{}", boxes.join(",")),
        out,
        account.own_domains.clone(),
    ))
}

pub fn run_sync(ctx: &Context, name: &str, asked: &[String]) -> Result<()> {
    let (account, credential) = prepare(ctx, name)?;
    let mut cache = open_cache(ctx)?;
    for mailbox in mailboxes_of(&account, asked) {
        let started = std::time::Instant::now();
        let s = sync_one(
            name,
            &account,
            &mailbox,
            &credential,
            &mut cache,
            false,
            &mut Vec::new(),
        )?;
        eprintln!(
            "hopscope: {name}/{mailbox}: {} messages, {} fetched, {} removed{} in {:.2} s",
            s.total,
            s.fetched,
            s.removed,
            if s.uidvalidity_changed {
                ", UIDVALIDITY changed: refetched"
            } else {
                ""
            },
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

pub fn run_login(ctx: &Context, name: &str, from_stdin: bool) -> Result<()> {
    let config = load_config(ctx)?;
    let account = config.account(name)?;
    if account.password_source() != PasswordSource::Keyring {
        bail!(
            "account \"{name}\" takes its password from the {}, not the keyring: nothing to store",
            account.password_source().describe()
        );
    }
    let password = if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("cannot read the password from standard input")?;
        line.trim_end_matches(['\r', '\n']).to_string()
    } else {
        rpassword::prompt_password(format!(
            "Password for {} at {}: ",
            account.username, account.host
        ))
        .context("cannot read the password from the terminal (use --password-stdin in scripts)")?
    };
    if password.is_empty() {
        bail!("empty password: nothing stored");
    }
    KeyringStore.set(name, &Secret::new(password))?;
    eprintln!("hopscope: password for \"{name}\" stored in the OS keyring");
    Ok(())
}

pub fn run_logout(ctx: &Context, name: &str) -> Result<()> {
    let config = load_config(ctx)?;
    config.account(name)?;
    KeyringStore.delete(name)?;
    eprintln!("hopscope: password for \"{name}\" removed from the OS keyring");
    Ok(())
}

pub fn run_accounts(ctx: &Context) -> Result<()> {
    let config = load_config(ctx)?;
    if config.accounts.is_empty() {
        println!(
            "no accounts configured in {} ({})",
            config.path.display(),
            crate::config::START_HINT
        );
        return Ok(());
    }
    for (name, a) in &config.accounts {
        let login = match a.auth {
            crate::config::AuthMethod::Xoauth2 => format!(
                "XOAUTH2 token from command `{}`",
                a.token_command.as_deref().unwrap_or_default().join(" ")
            ),
            crate::config::AuthMethod::Password => {
                format!("password from {}", a.password_source().describe())
            }
        };
        let security = match a.security {
            Security::Tls => "tls",
            Security::Starttls => "starttls",
            Security::Plain => "PLAIN (unencrypted)",
        };
        println!(
            "{name}: {}@{}:{} ({security}), {login}, mailboxes {}",
            a.username,
            a.host,
            a.port(),
            a.mailboxes.join(", ")
        );
    }
    Ok(())
}

pub fn run_mailboxes(ctx: &Context, name: &str) -> Result<()> {
    let (account, credential) = prepare(ctx, name)?;
    let mut session = Session::open(name, &account, &credential)?;
    let list = session.mailboxes(&account)?;
    session.logout();
    for (mailbox, count) in list {
        match count {
            Some(n) => println!("{mailbox}\t{n}"),
            None => println!("{mailbox}\t-"),
        }
    }
    Ok(())
}

pub fn run_config(ctx: &Context, action: &ConfigAction) -> Result<()> {
    match action {
        ConfigAction::Example => super::input::write_stdout(crate::config::EXAMPLE),
        ConfigAction::Path => {
            let path = Config::locate(ctx.config_path.as_deref());
            let state = if path.exists() {
                ""
            } else {
                " (does not exist yet)"
            };
            println!("{}{state}", path.display());
            Ok(())
        }
    }
}

pub fn run_cache(action: &CacheAction) -> Result<()> {
    let path = cache::default_path();
    match action {
        CacheAction::Path => println!("{}", path.display()),
        CacheAction::Clear => {
            if cache::clear(&path)? {
                eprintln!("hopscope: removed the cache {}", path.display());
            } else {
                eprintln!("hopscope: no cache at {}", path.display());
            }
        }
    }
    Ok(())
}
