//! Passwords and tokens: where they come from, and a type that never prints them.
//!
//! `Secret` has a redacting `Debug` and `Display`, so a secret cannot reach a log line, an error
//! message, a report or a panic by accident. The keyring sits behind `SecretStore` so tests use an
//! in-memory store and the app can explain what to do when no keyring service exists.

use std::{
    collections::HashMap,
    fmt,
    process::{Command, Stdio},
    sync::Mutex,
};

use crate::config::{AccountConfig, AuthMethod, PasswordSource};

/// The keyring service name entries are stored under (user = account name).
pub const KEYRING_SERVICE: &str = "hopscope";

#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The only way to read the value: call sites that need it are easy to audit.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error(
        "no password stored for account \"{0}\": run `hopscope login {0}`, or set password = {{ source = \"command\", ... }} or {{ source = \"env\", ... }} in the config"
    )]
    NotStored(String),
    #[error(
        "the OS keyring is not available here ({0}); use password = {{ source = \"command\", command = [...] }} or {{ source = \"env\", var = \"HOPSCOPE_PASSWORD\" }} in the config instead"
    )]
    KeyringUnavailable(String),
    #[error("environment variable {0} is not set (the config says the password comes from it)")]
    EnvMissing(String),
    #[error("{what} `{command}` failed: {message}")]
    CommandFailed {
        /// `password command` or `token-command`, as the config calls it.
        what: &'static str,
        command: String,
        message: String,
    },
}

/// get/set/delete of one secret per account.
pub trait SecretStore: Send + Sync {
    fn get(&self, account: &str) -> Result<Secret, SecretError>;
    fn set(&self, account: &str, secret: &Secret) -> Result<(), SecretError>;
    fn delete(&self, account: &str) -> Result<(), SecretError>;
}

/// The OS keyring through the `keyring` crate (the Linux kernel keyutils store: no desktop, no
/// D-Bus needed; other platforms use their native store).
pub struct KeyringStore;

fn keyring_error(account: &str, e: keyring::Error) -> SecretError {
    match e {
        keyring::Error::NoEntry => SecretError::NotStored(account.to_string()),
        other => SecretError::KeyringUnavailable(other.to_string()),
    }
}

impl SecretStore for KeyringStore {
    fn get(&self, account: &str) -> Result<Secret, SecretError> {
        let entry =
            keyring::Entry::new(KEYRING_SERVICE, account).map_err(|e| keyring_error(account, e))?;
        entry
            .get_password()
            .map(Secret)
            .map_err(|e| keyring_error(account, e))
    }

    fn set(&self, account: &str, secret: &Secret) -> Result<(), SecretError> {
        let entry =
            keyring::Entry::new(KEYRING_SERVICE, account).map_err(|e| keyring_error(account, e))?;
        entry.set_password(secret.expose()).map_err(|e| match e {
            // keyutils reports a refused link into the persistent keyring as NoEntry: on *set*
            // that means "no usable keyring", not "no password".
            keyring::Error::NoEntry => SecretError::KeyringUnavailable(
                "the kernel keyring refused to store the entry".into(),
            ),
            other => keyring_error(account, other),
        })?;
        // Read back: some stores accept a write they cannot serve later.
        match entry.get_password() {
            Ok(v) if v == secret.expose() => Ok(()),
            _ => Err(SecretError::KeyringUnavailable(
                "the stored password could not be read back".into(),
            )),
        }
    }

    fn delete(&self, account: &str) -> Result<(), SecretError> {
        let entry =
            keyring::Entry::new(KEYRING_SERVICE, account).map_err(|e| keyring_error(account, e))?;
        entry
            .delete_credential()
            .map_err(|e| keyring_error(account, e))
    }
}

/// An in-memory store, for tests and for environments without a keyring.
#[derive(Default)]
pub struct MemoryStore(Mutex<HashMap<String, Secret>>);

impl SecretStore for MemoryStore {
    fn get(&self, account: &str) -> Result<Secret, SecretError> {
        let map = self
            .0
            .lock()
            .map_err(|_| SecretError::KeyringUnavailable("store poisoned".into()))?;
        map.get(account)
            .cloned()
            .ok_or_else(|| SecretError::NotStored(account.into()))
    }
    fn set(&self, account: &str, secret: &Secret) -> Result<(), SecretError> {
        let mut map = self
            .0
            .lock()
            .map_err(|_| SecretError::KeyringUnavailable("store poisoned".into()))?;
        map.insert(account.into(), secret.clone());
        Ok(())
    }
    fn delete(&self, account: &str) -> Result<(), SecretError> {
        let mut map = self
            .0
            .lock()
            .map_err(|_| SecretError::KeyringUnavailable("store poisoned".into()))?;
        map.remove(account)
            .map(|_| ())
            .ok_or_else(|| SecretError::NotStored(account.into()))
    }
}

/// Runs a password or token command; the first line of its stdout is the secret. Its stderr is
/// shown on failure (it is the command's own message, not the secret).
fn run_command(what: &'static str, argv: &[String]) -> Result<Secret, SecretError> {
    let shown = argv.join(" ");
    let (program, args) = argv
        .split_first()
        .ok_or_else(|| SecretError::CommandFailed {
            what,
            command: shown.clone(),
            message: "empty command".into(),
        })?;
    let out = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| SecretError::CommandFailed {
            what,
            command: shown.clone(),
            message: e.to_string(),
        })?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let first = stderr.lines().next().unwrap_or("").trim();
        return Err(SecretError::CommandFailed {
            what,
            command: shown,
            message: format!("{} {first}", out.status),
        });
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .next()
        .unwrap_or("")
        .trim_end_matches('\r')
        .to_string();
    if line.is_empty() {
        return Err(SecretError::CommandFailed {
            what,
            command: shown,
            message: "it printed nothing".into(),
        });
    }
    Ok(Secret(line))
}

/// What to log in with.
#[derive(Debug, Clone)]
pub enum Credential {
    Password(Secret),
    OAuth2Token(Secret),
}

pub fn resolve(
    name: &str,
    account: &AccountConfig,
    store: &dyn SecretStore,
) -> Result<Credential, SecretError> {
    if account.auth == AuthMethod::Xoauth2 {
        return run_command(
            "token-command",
            account.token_command.as_deref().unwrap_or_default(),
        )
        .map(Credential::OAuth2Token);
    }
    let secret = match account.password_source() {
        PasswordSource::Keyring => store.get(name)?,
        PasswordSource::Command { command } => run_command("password command", &command)?,
        PasswordSource::Env { var } => {
            Secret(std::env::var(&var).map_err(|_| SecretError::EnvMissing(var.clone()))?)
        }
    };
    Ok(Credential::Password(secret))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print() {
        let s = Secret::new("hunter2-very-secret");
        assert_eq!(format!("{s}"), "<redacted>");
        assert!(!format!("{s:?}").contains("hunter2"));
        let c = Credential::Password(s);
        assert!(!format!("{c:?}").contains("hunter2"));
    }

    #[test]
    fn memory_store_round_trip() {
        let store = MemoryStore::default();
        assert!(matches!(store.get("a"), Err(SecretError::NotStored(_))));
        store.set("a", &Secret::new("pw")).unwrap();
        assert_eq!(store.get("a").unwrap().expose(), "pw");
        store.delete("a").unwrap();
        assert!(store.get("a").is_err());
    }

    #[test]
    fn command_source_takes_first_line_and_reports_failures() {
        assert_eq!(
            run_command(
                "password command",
                &["printf".into(), "pw1\\nrest\\n".into()]
            )
            .unwrap()
            .expose(),
            "pw1"
        );
        let err = run_command(
            "password command",
            &["sh".into(), "-c".into(), "echo nope >&2; exit 3".into()],
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("nope") && err.contains("exit status: 3"),
            "{err}"
        );
        assert!(
            run_command("password command", &["true".into()])
                .unwrap_err()
                .to_string()
                .contains("printed nothing")
        );
    }
}
