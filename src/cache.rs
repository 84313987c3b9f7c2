//! Local header cache (SQLite), so a second sync fetches only what is new.
//!
//! Keyed by account, mailbox, UIDVALIDITY and UID. It stores header bytes and nothing else
//! sensitive: never credentials. The file is created with mode 0600 inside a 0700 directory
//! (SQLite gives its journal the database file's mode).

use std::{
    collections::HashSet,
    path::{Path, PathBuf},
};

use rusqlite::{Connection, OptionalExtension, params};

#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("cache {path}: {error} (run `hopscope cache clear` to start afresh)")]
    Sqlite {
        path: PathBuf,
        error: rusqlite::Error,
    },
    #[error("cannot create the cache at {path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedMessage {
    pub uid: u32,
    pub flags: String,
    pub internal_date: Option<String>,
    pub size: Option<u32>,
    pub headers: Vec<u8>,
}

pub struct Cache {
    conn: Connection,
    path: PathBuf,
    /// False for `--no-cache`: fetched headers go straight to the caller and are not stored.
    keep: bool,
}

/// `$HOPSCOPE_CACHE_DIR/cache.sqlite3`, else the platform cache directory.
pub fn default_path() -> PathBuf {
    let dir = std::env::var_os("HOPSCOPE_CACHE_DIR")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            directories::ProjectDirs::from("", "", "hopscope").map(|d| d.cache_dir().to_path_buf())
        })
        .unwrap_or_else(|| PathBuf::from(".hopscope-cache"));
    dir.join("cache.sqlite3")
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS mailbox (
    account TEXT NOT NULL, mailbox TEXT NOT NULL, uidvalidity INTEGER NOT NULL,
    PRIMARY KEY (account, mailbox));
CREATE TABLE IF NOT EXISTS message (
    account TEXT NOT NULL, mailbox TEXT NOT NULL, uid INTEGER NOT NULL,
    flags TEXT NOT NULL, internal_date TEXT, size INTEGER, headers BLOB NOT NULL,
    PRIMARY KEY (account, mailbox, uid)) WITHOUT ROWID;
";

impl Cache {
    pub fn open(path: &Path) -> Result<Cache, CacheError> {
        let io = |source| CacheError::Io {
            path: path.to_path_buf(),
            error: source,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            create_private_dir(dir).map_err(io)?;
        }
        create_private_file(path).map_err(io)?;
        let conn = Connection::open(path).map_err(|source| CacheError::Sqlite {
            path: path.to_path_buf(),
            error: source,
        })?;
        Self::init(conn, path)
    }

    /// A cache held in memory for the life of the value.
    pub fn in_memory() -> Result<Cache, CacheError> {
        let path = PathBuf::from(":memory:");
        let conn = Connection::open_in_memory().map_err(|source| CacheError::Sqlite {
            path: path.clone(),
            error: source,
        })?;
        Self::init(conn, &path)
    }

    /// `--no-cache`: nothing on disk, and no copy in memory either. Every sync fetches every
    /// header and hands it to the caller; holding a second copy of 50,000 header blocks that no
    /// later sync can use would only double the memory.
    pub fn keep_nothing() -> Result<Cache, CacheError> {
        let mut cache = Self::in_memory()?;
        cache.keep = false;
        Ok(cache)
    }

    fn init(conn: Connection, path: &Path) -> Result<Cache, CacheError> {
        let cache = Cache {
            conn,
            path: path.to_path_buf(),
            keep: true,
        };
        cache.conn.execute_batch(SCHEMA).map_err(|e| cache.err(e))?;
        Ok(cache)
    }

    fn err(&self, source: rusqlite::Error) -> CacheError {
        CacheError::Sqlite {
            path: self.path.clone(),
            error: source,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn uidvalidity(&self, account: &str, mailbox: &str) -> Result<Option<u32>, CacheError> {
        self.conn
            .query_row(
                "SELECT uidvalidity FROM mailbox WHERE account = ?1 AND mailbox = ?2",
                params![account, mailbox],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Forgets every message of the mailbox and records its (new) UIDVALIDITY.
    pub fn reset(
        &mut self,
        account: &str,
        mailbox: &str,
        uidvalidity: u32,
    ) -> Result<(), CacheError> {
        let tx = self.conn.transaction().map_err(|e| CacheError::Sqlite {
            path: self.path.clone(),
            error: e,
        })?;
        let run = || -> rusqlite::Result<()> {
            tx.execute(
                "DELETE FROM message WHERE account = ?1 AND mailbox = ?2",
                params![account, mailbox],
            )?;
            tx.execute(
                "INSERT INTO mailbox (account, mailbox, uidvalidity) VALUES (?1, ?2, ?3)
                 ON CONFLICT (account, mailbox) DO UPDATE SET uidvalidity = excluded.uidvalidity",
                params![account, mailbox, uidvalidity],
            )?;
            Ok(())
        };
        run()
            .and_then(|()| tx.commit())
            .map_err(|e| CacheError::Sqlite {
                path: self.path.clone(),
                error: e,
            })
    }

    pub fn uids(&self, account: &str, mailbox: &str) -> Result<HashSet<u32>, CacheError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT uid FROM message WHERE account = ?1 AND mailbox = ?2")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![account, mailbox], |r| r.get::<_, u32>(0))
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// Stores one fetched batch in a single transaction: a crash loses at most this batch.
    pub fn insert(
        &mut self,
        account: &str,
        mailbox: &str,
        batch: &[CachedMessage],
    ) -> Result<(), CacheError> {
        if !self.keep {
            return Ok(());
        }
        self.each_in_transaction(
            "INSERT OR REPLACE INTO message (account, mailbox, uid, flags, internal_date, size, headers)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            batch,
            |stmt, m| {
                stmt.execute(params![
                    account,
                    mailbox,
                    m.uid,
                    m.flags,
                    m.internal_date,
                    m.size,
                    m.headers
                ])
            },
        )
    }

    pub fn delete(&mut self, account: &str, mailbox: &str, uids: &[u32]) -> Result<(), CacheError> {
        self.each_in_transaction(
            "DELETE FROM message WHERE account = ?1 AND mailbox = ?2 AND uid = ?3",
            uids,
            |stmt, uid| stmt.execute(params![account, mailbox, uid]),
        )
    }

    /// Runs `sql` once per item in a single transaction: all of them happen, or none.
    fn each_in_transaction<T>(
        &mut self,
        sql: &str,
        items: &[T],
        mut run: impl FnMut(&mut rusqlite::CachedStatement<'_>, &T) -> rusqlite::Result<usize>,
    ) -> Result<(), CacheError> {
        let result = (|| {
            let tx = self.conn.transaction()?;
            {
                let mut stmt = tx.prepare_cached(sql)?;
                for item in items {
                    run(&mut stmt, item)?;
                }
            }
            tx.commit()
        })();
        result.map_err(|e| self.err(e))
    }

    /// Every cached message of the mailbox, by UID.
    pub fn load(&self, account: &str, mailbox: &str) -> Result<Vec<CachedMessage>, CacheError> {
        let mut all = Vec::new();
        self.load_chunks(account, mailbox, 1024, &mut |chunk| {
            all.extend(chunk);
            true
        })?;
        Ok(all)
    }

    /// The cached messages of the mailbox by UID, handed over `chunk` at a time so that a large
    /// mailbox is never in memory twice (rows of the UI plus the whole cache). `each` returns
    /// false to stop.
    pub fn load_chunks(
        &self,
        account: &str,
        mailbox: &str,
        chunk: usize,
        each: &mut dyn FnMut(Vec<CachedMessage>) -> bool,
    ) -> Result<(), CacheError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT uid, flags, internal_date, size, headers FROM message
                 WHERE account = ?1 AND mailbox = ?2 ORDER BY uid",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![account, mailbox], |r| {
                Ok(CachedMessage {
                    uid: r.get(0)?,
                    flags: r.get(1)?,
                    internal_date: r.get(2)?,
                    size: r.get(3)?,
                    headers: r.get(4)?,
                })
            })
            .map_err(|e| self.err(e))?;
        let mut part = Vec::with_capacity(chunk);
        for row in rows {
            part.push(row.map_err(|e| self.err(e))?);
            if part.len() == chunk && !each(std::mem::replace(&mut part, Vec::with_capacity(chunk)))
            {
                return Ok(());
            }
        }
        if !part.is_empty() {
            each(part);
        }
        Ok(())
    }
}

/// Removes the cache file and its journal. Returns whether anything was there.
pub fn clear(path: &Path) -> Result<bool, CacheError> {
    let mut removed = false;
    for suffix in ["", "-journal", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        match std::fs::remove_file(&p) {
            Ok(()) => removed = true,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(CacheError::Io {
                    path: PathBuf::from(p),
                    error: source,
                });
            }
        }
    }
    Ok(removed)
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if dir.is_dir() {
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(unix)]
fn create_private_file(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)?;
    // An older file created with another mode is tightened too.
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

#[cfg(not(unix))]
fn create_private_file(path: &Path) -> std::io::Result<()> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(uid: u32) -> CachedMessage {
        CachedMessage {
            uid,
            flags: "\\Seen".into(),
            internal_date: None,
            size: Some(10),
            headers: format!("Subject: {uid}\r\n").into_bytes(),
        }
    }

    #[test]
    fn round_trip_reset_and_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/cache.sqlite3");
        let mut c = Cache::open(&path).unwrap();
        assert_eq!(c.uidvalidity("a", "INBOX").unwrap(), None);
        c.reset("a", "INBOX", 7).unwrap();
        c.insert("a", "INBOX", &[msg(1), msg(2), msg(3)]).unwrap();
        c.delete("a", "INBOX", &[2]).unwrap();
        assert_eq!(
            c.load("a", "INBOX")
                .unwrap()
                .iter()
                .map(|m| m.uid)
                .collect::<Vec<_>>(),
            [1, 3]
        );
        assert_eq!(c.uidvalidity("a", "INBOX").unwrap(), Some(7));
        c.reset("a", "INBOX", 8).unwrap();
        assert!(c.load("a", "INBOX").unwrap().is_empty());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
            assert_eq!(
                std::fs::metadata(path.parent().unwrap())
                    .unwrap()
                    .permissions()
                    .mode()
                    & 0o777,
                0o700
            );
        }
        drop(c);
        assert!(clear(&path).unwrap());
        assert!(!path.exists());
    }

    #[test]
    fn keep_nothing_stores_no_header() {
        let mut c = Cache::keep_nothing().unwrap();
        c.reset("a", "INBOX", 1).unwrap();
        c.insert("a", "INBOX", &[msg(1), msg(2)]).unwrap();
        assert!(c.uids("a", "INBOX").unwrap().is_empty());
        assert!(c.load("a", "INBOX").unwrap().is_empty());
    }

    #[test]
    fn chunks_come_in_uid_order_and_stop_when_asked() {
        let mut c = Cache::in_memory().unwrap();
        c.reset("a", "INBOX", 1).unwrap();
        c.insert("a", "INBOX", &[msg(5), msg(1), msg(4), msg(2), msg(3)])
            .unwrap();
        let mut seen = Vec::new();
        c.load_chunks("a", "INBOX", 2, &mut |chunk| {
            seen.push(chunk.iter().map(|m| m.uid).collect::<Vec<_>>());
            true
        })
        .unwrap();
        assert_eq!(seen, [vec![1, 2], vec![3, 4], vec![5]]);
        let mut calls = 0;
        c.load_chunks("a", "INBOX", 2, &mut |_| {
            calls += 1;
            false
        })
        .unwrap();
        assert_eq!(calls, 1);
    }
}
