//! Accounts configuration: `config.toml` in the user's config directory.
//!
//! Location: `--config PATH`, else `$HOPSCOPE_CONFIG_DIR/config.toml`, else the platform config
//! directory (`~/.config/hopscope/config.toml` on Linux). The documented example with every key
//! is `assets/config.example.toml`. Keys may be added over time, never renamed.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    time::Duration,
};

use serde::Deserialize;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the config file {path}: {error}")]
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("config file {path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("config file {path}: account \"{account}\": {message}")]
    Invalid {
        path: PathBuf,
        account: String,
        message: String,
    },
    #[error("no account named \"{name}\" in {} ({hint})", path.display())]
    UnknownAccount {
        name: String,
        path: PathBuf,
        hint: String,
    },
}

/// Where a newcomer starts, said wherever the config or an account in it is missing.
pub const START_HINT: &str = "`hopscope config example` prints a documented config to start from";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Security {
    /// Implicit TLS from the first byte (port 993).
    #[default]
    Tls,
    /// Plain connection upgraded with STARTTLS before login (port 143).
    Starttls,
    /// No TLS at all. Refused unless `allow-plaintext = true`.
    Plain,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum AuthMethod {
    #[default]
    Password,
    Xoauth2,
}

/// Where the password comes from. Never the config file itself.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "source", rename_all = "kebab-case", deny_unknown_fields)]
#[derive(Default)]
pub enum PasswordSource {
    /// The OS keyring (store it with `hopscope login ACCOUNT`).
    #[default]
    Keyring,
    /// A command whose first line of output is the password, e.g. `["pass", "mail/work"]`.
    Command { command: Vec<String> },
    /// An environment variable.
    Env { var: String },
}

impl PasswordSource {
    pub fn describe(&self) -> String {
        match self {
            PasswordSource::Keyring => "OS keyring".into(),
            PasswordSource::Command { command } => format!("command `{}`", command.join(" ")),
            PasswordSource::Env { var } => format!("environment variable {var}"),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct AccountConfig {
    pub host: String,
    pub port: Option<u16>,
    #[serde(default)]
    pub security: Security,
    #[serde(default)]
    pub allow_plaintext: bool,
    pub username: String,
    #[serde(default)]
    pub auth: AuthMethod,
    pub password: Option<PasswordSource>,
    pub token_command: Option<Vec<String>>,
    pub ca_file: Option<PathBuf>,
    #[serde(default = "default_mailboxes")]
    pub mailboxes: Vec<String>,
    #[serde(default)]
    pub own_domains: Vec<String>,
    #[serde(default = "default_connect_timeout")]
    pub connect_timeout_secs: u64,
    #[serde(default = "default_read_timeout")]
    pub read_timeout_secs: u64,
    /// Parallel IMAP connections used for a full sync (1 to 4).
    #[serde(default = "default_connections")]
    pub connections: usize,
}

fn default_mailboxes() -> Vec<String> {
    vec!["INBOX".into()]
}
fn default_connect_timeout() -> u64 {
    10
}
fn default_read_timeout() -> u64 {
    30
}
fn default_connections() -> usize {
    2
}

impl AccountConfig {
    pub fn port(&self) -> u16 {
        self.port.unwrap_or(match self.security {
            Security::Tls => 993,
            Security::Starttls | Security::Plain => 143,
        })
    }

    pub fn password_source(&self) -> PasswordSource {
        self.password.clone().unwrap_or_default()
    }

    pub fn connect_timeout(&self) -> Duration {
        Duration::from_secs(self.connect_timeout_secs.max(1))
    }

    pub fn read_timeout(&self) -> Duration {
        Duration::from_secs(self.read_timeout_secs.max(1))
    }

    fn validate(&self) -> Result<(), String> {
        if self.host.trim().is_empty() {
            return Err(
                "`host` is empty: set it to your IMAP server, e.g. host = \"imap.example.org\""
                    .into(),
            );
        }
        if self.username.trim().is_empty() {
            return Err("`username` is empty".into());
        }
        if self.security == Security::Plain && !self.allow_plaintext {
            return Err("`security = \"plain\"` sends your password unencrypted; use \"tls\" or \"starttls\", or set `allow-plaintext = true` if you really mean it".into());
        }
        match self.auth {
            AuthMethod::Password if self.token_command.is_some() => {
                return Err("`token-command` is set but `auth` is \"password\": set `auth = \"xoauth2\"` or remove `token-command`".into());
            }
            AuthMethod::Xoauth2 if self.password.is_some() => {
                return Err("two credential sources: `auth = \"xoauth2\"` uses `token-command`, remove `password`".into());
            }
            AuthMethod::Xoauth2 if self.token_command.as_ref().is_none_or(Vec::is_empty) => {
                return Err("`auth = \"xoauth2\"` needs `token-command`, e.g. token-command = [\"oauth2-token\", \"work\"]".into());
            }
            _ => {}
        }
        if let Some(PasswordSource::Command { command }) = &self.password
            && command.is_empty()
        {
            return Err(
                "`password.command` is empty: give the program and its arguments as a list".into(),
            );
        }
        if self.mailboxes.is_empty() {
            return Err(
                "`mailboxes` is empty: list at least one, e.g. mailboxes = [\"INBOX\"]".into(),
            );
        }
        if !(1..=4).contains(&self.connections) {
            return Err(format!("`connections = {}`: use 1 to 4", self.connections));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Config {
    /// The account `hopscope` opens when none is named.
    pub default_account: Option<String>,
    #[serde(default)]
    pub accounts: BTreeMap<String, AccountConfig>,
    #[serde(skip)]
    pub path: PathBuf,
}

/// The documented example config (`assets/config.example.toml`), printed by
/// `hopscope config example`: every key, with the optional ones commented out.
pub const EXAMPLE: &str = include_str!("../assets/config.example.toml");

impl Config {
    /// The config file to use: `--config`, else `$HOPSCOPE_CONFIG_DIR/config.toml`, else the
    /// platform config directory.
    pub fn locate(explicit: Option<&Path>) -> PathBuf {
        if let Some(p) = explicit {
            return p.to_path_buf();
        }
        if let Some(dir) = std::env::var_os("HOPSCOPE_CONFIG_DIR").filter(|d| !d.is_empty()) {
            return PathBuf::from(dir).join("config.toml");
        }
        directories::ProjectDirs::from("", "", "hopscope").map_or_else(
            || PathBuf::from("hopscope-config.toml"),
            |d| d.config_dir().join("config.toml"),
        )
    }

    /// Loads the config. A missing file at the default location is an empty config (no accounts:
    /// hopscope opens the demo); a missing file given with `--config` is an error.
    pub fn load(explicit: Option<&Path>) -> Result<Config, ConfigError> {
        let path = Self::locate(explicit);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && explicit.is_none() => {
                return Ok(Config {
                    path,
                    ..Config::default()
                });
            }
            Err(error) => return Err(ConfigError::Read { path, error }),
        };
        Self::parse(&text, &path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let mut config: Config = toml::from_str(text).map_err(|e| ConfigError::Parse {
            path: path.to_path_buf(),
            message: e
                .to_string()
                .lines()
                .filter(|l| !l.trim().is_empty())
                .collect::<Vec<_>>()
                .join(" "),
        })?;
        config.path = path.to_path_buf();
        for (name, account) in &config.accounts {
            account.validate().map_err(|message| ConfigError::Invalid {
                path: path.to_path_buf(),
                account: name.clone(),
                message,
            })?;
        }
        if let Some(d) = &config.default_account
            && !config.accounts.contains_key(d)
        {
            return Err(ConfigError::Parse {
                path: path.to_path_buf(),
                message: format!("`default-account = \"{d}\"` names no account"),
            });
        }
        Ok(config)
    }

    pub fn account(&self, name: &str) -> Result<&AccountConfig, ConfigError> {
        self.accounts
            .get(name)
            .ok_or_else(|| ConfigError::UnknownAccount {
                name: name.to_string(),
                path: self.path.clone(),
                hint: if self.path.exists() {
                    "see `hopscope accounts`".to_string()
                } else {
                    format!("that file does not exist; {START_HINT}")
                },
            })
    }

    /// The account opened when none is named: `default-account`, else the only/first one.
    pub fn default_account(&self) -> Option<(&str, &AccountConfig)> {
        if let Some(name) = &self.default_account {
            return self
                .accounts
                .get_key_value(name)
                .map(|(k, v)| (k.as_str(), v));
        }
        self.accounts.iter().next().map(|(k, v)| (k.as_str(), v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Uncomments every `# key = value` line of the example so every option is parsed.
    fn uncommented(example: &str) -> String {
        example
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                Some(rest) if rest.contains(" = ") && !rest.starts_with(' ') => rest.to_string(),
                _ => l.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn example_config_parses_as_shipped_and_uncommented() {
        let c = Config::parse(EXAMPLE, Path::new("example.toml")).unwrap();
        let work = c.account("work").unwrap();
        assert_eq!(work.port(), 993);
        assert_eq!(work.password_source(), PasswordSource::Keyring);
        assert_eq!(work.mailboxes, ["INBOX"]);
        let full = Config::parse(&uncommented(EXAMPLE), Path::new("example.toml")).unwrap();
        assert!(full.accounts.len() >= 3, "{:?}", full.accounts.keys());
        let gmail = full.account("gmail").unwrap();
        assert_eq!(gmail.auth, AuthMethod::Xoauth2);
    }

    fn err(text: &str) -> String {
        Config::parse(text, Path::new("c.toml"))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn errors_name_the_key() {
        assert!(err("[accounts.a]\nusername = \"u\"\n").contains("missing field `host`"));
        assert!(
            err("[accounts.a]\nhost = \"h\"\nusername = \"u\"\nhots = 1\n")
                .contains("unknown field `hots`")
        );
        assert!(
            err("[accounts.a]\nhost = \"h\"\nusername = \"u\"\nsecurity = \"plain\"\n")
                .contains("allow-plaintext")
        );
        assert!(err("[accounts.a]\nhost = \"h\"\nusername = \"u\"\npassword = { source = \"env\", var = \"X\", command = [\"a\"] }\n").contains("unknown field `command`"));
        assert!(err("[accounts.a]\nhost = \"h\"\nusername = \"u\"\nauth = \"xoauth2\"\ntoken-command = [\"t\"]\npassword = { source = \"keyring\" }\n").contains("two credential sources"));
        assert!(err("[accounts.a]\nhost = \"\"\nusername = \"u\"\n").contains("`host` is empty"));
        assert!(
            err("default-account = \"x\"\n[accounts.a]\nhost = \"h\"\nusername = \"u\"\n")
                .contains("names no account")
        );
    }
}
