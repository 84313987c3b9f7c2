//! Opening the terminal UI on the demo, on files, or on a live account.

use std::{path::PathBuf, sync::Arc};

use anyhow::{Result, bail};

use super::{AnalysisArgs, account, input::Context};
use crate::{
    analysis::AnalysisOptions,
    secrets::{self, KeyringStore},
    sources,
    ui::{self, UiOptions, imap_source::ImapSource, loader::FileSource},
};

fn require_terminal() -> Result<()> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        bail!(
            "the terminal UI needs a terminal; for scripts use `hopscope analyze --json` or `hopscope report`"
        );
    }
    Ok(())
}

pub fn open_files(
    paths: Vec<PathBuf>,
    demo: bool,
    analysis: &AnalysisArgs,
    color: bool,
) -> Result<()> {
    // Said here, on one line, rather than as a banner in a UI that has nothing to show.
    for p in &paths {
        if p.as_os_str() == "-" {
            bail!(
                "the terminal UI reads keys from standard input, so it cannot read mail from it: save the messages to a file, or use `hopscope analyze -`"
            );
        }
        if let Err(e) = std::fs::metadata(p) {
            bail!(
                "cannot read {}: {e} (check the path and its permissions)",
                p.display()
            );
        }
    }
    require_terminal()?;
    let label = if demo {
        sources::DEMO_LABEL.to_string()
    } else {
        sources::paths_label(&paths)
    };
    let source = FileSource {
        paths,
        demo,
        options: analysis.options(),
    };
    ui::run(
        Arc::new(source),
        UiOptions {
            label,
            live: false,
            color,
            mailbox: None,
            analysis: analysis.options(),
        },
    )
}

/// `hopscope` without a command: the named account, else the default account, else the demo.
pub fn open_default(
    ctx: &Context,
    demo: bool,
    account: Option<&str>,
    mailbox: Option<String>,
    color: bool,
) -> Result<()> {
    if demo {
        if account.is_some() {
            bail!("give either --demo or --account, not both");
        }
        return open_files(Vec::new(), true, &AnalysisArgs::default(), color);
    }
    let config = account::load_config(ctx)?;
    let name = match account {
        Some(n) => n.to_string(),
        None => match config.default_account() {
            Some((n, _)) => n.to_string(),
            None => {
                if mailbox.is_some() {
                    bail!("--mailbox needs an account (--account NAME); no account is configured");
                }
                return open_files(Vec::new(), true, &AnalysisArgs::default(), color);
            }
        },
    };
    let settings = config.account(&name)?.clone();
    if let Some(m) = &mailbox
        && m.trim().is_empty()
    {
        bail!("--mailbox is empty");
    }
    account::warn_plaintext(&name, &settings);
    let credential = secrets::resolve(&name, &settings, &KeyringStore)?;
    require_terminal()?;
    let options = AnalysisOptions {
        own_domains: settings.own_domains.clone(),
    };
    let first = mailbox
        .clone()
        .or_else(|| settings.mailboxes.first().cloned());
    let source = ImapSource::new(
        name.clone(),
        settings,
        credential,
        ctx.no_cache,
        options.clone(),
    );
    ui::run(
        Arc::new(source),
        UiOptions {
            label: name,
            live: true,
            color,
            mailbox: first,
            analysis: options,
        },
    )
}
