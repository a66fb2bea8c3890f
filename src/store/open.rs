//! Opening a store: refusing foreign or newer files, configuring the
//! connection, migrating the schema.

use std::fs;
use std::io::Read;
use std::path::Path;
use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};

use super::{
    APPLICATION_ID, BUSY_TIMEOUT, CACHE_WRITE_PATIENCE, OpenMode, Patience, Result,
    STATEMENT_CACHE, Store, StoreError, is_busy, schema,
};

impl Store {
    /// Open (or, with `OpenMode::Create`, create) the store at `path`.
    ///
    /// A file that is not SQLite, an SQLite database of another program, or a
    /// track database of a newer schema is refused before anything is written.
    pub fn open(path: &Path, mode: OpenMode) -> Result<Store> {
        let open_err = |reason: String| StoreError::Open {
            path: path.to_path_buf(),
            reason,
        };
        let exists_with_content = match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => return Err(open_err("is a directory".into())),
            Ok(meta) => meta.len() > 0,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
            Err(e) => return Err(open_err(e.to_string())),
        };
        if exists_with_content {
            let mut header = [0u8; 16];
            let read = fs::File::open(path)
                .and_then(|mut f| f.read(&mut header))
                .map_err(|e| open_err(e.to_string()))?;
            if read < 16 || &header != b"SQLite format 3\0" {
                return Err(StoreError::Foreign {
                    path: path.to_path_buf(),
                    reason: "not an SQLite file".into(),
                });
            }
        } else if mode == OpenMode::Existing {
            return Err(StoreError::Missing {
                path: path.to_path_buf(),
            });
        } else if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent)
                .map_err(|e| open_err(format!("cannot create folder: {e}")))?;
        }

        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| open_err(e.to_string()))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Recording one scrape runs some 20 statements (more with furniture
        // and monitoring): all of them stay compiled.
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        let store = Store {
            conn,
            path: path.to_path_buf(),
            last_write: std::cell::Cell::new(None),
            cache_patience: CACHE_WRITE_PATIENCE,
            texts_read: std::cell::RefCell::default(),
            wrote_data: std::cell::Cell::new(false),
        };
        // SQLite answers BUSY without waiting in a few cases (a journal-mode
        // change racing another process that is opening the same store):
        // retry the whole sequence, within the busy timeout.
        let started = std::time::Instant::now();
        loop {
            let attempt = store
                .check_identity()
                .and_then(|()| store.configure())
                .and_then(|()| store.migrate());
            match attempt {
                Err(StoreError::Sql(e)) if is_busy(&e) && started.elapsed() < BUSY_TIMEOUT => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(StoreError::Sql(e)) if !is_busy(&e) => return Err(open_failure(path, &e)),
                Err(e) => return Err(e),
                Ok(()) => break,
            }
        }
        store.catch_up_search()?;
        // SQLite opens a file it may not write read-only, silently: a writing
        // command would fail on its first input and blame that input.
        if mode == OpenMode::Create && store.conn.is_readonly(rusqlite::MAIN_DB)? {
            return Err(StoreError::Open {
                path: path.to_path_buf(),
                reason: READ_ONLY.into(),
            });
        }
        Ok(store)
    }

    /// This store opened again, read-only, for a worker thread that reads
    /// while this one writes (WAL readers never wait for the writer). Its
    /// writes fail.
    pub fn read_only(&self) -> Result<Store> {
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| open_failure(&self.path, &e))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        Ok(Store {
            conn,
            path: self.path.clone(),
            last_write: std::cell::Cell::new(None),
            cache_patience: self.cache_patience,
            texts_read: std::cell::RefCell::default(),
            wrote_data: std::cell::Cell::new(false),
        })
    }

    /// Refuse foreign and newer databases; reads only.
    fn check_identity(&self) -> Result<()> {
        // The file starts with SQLite's header (checked before opening): if
        // SQLite cannot read it all the same, it is damaged.
        let (app_id, version, objects) = self.identity_snapshot().map_err(|e| match e {
            other if is_busy(&other) => StoreError::Sql(other),
            other => open_failure(&self.path, &other),
        })?;
        if app_id == APPLICATION_ID {
            if version > schema::current_version() {
                return Err(StoreError::Newer {
                    path: self.path.clone(),
                    found: version,
                    known: schema::current_version(),
                });
            }
            return Ok(());
        }
        if app_id != 0 {
            return Err(StoreError::Foreign {
                path: self.path.clone(),
                reason: format!("SQLite application_id {app_id:#x}"),
            });
        }
        if objects > 0 || version != 0 {
            return Err(StoreError::Foreign {
                path: self.path.clone(),
                reason: "an SQLite database of another program".into(),
            });
        }
        Ok(())
    }

    /// `application_id`, `user_version` and the number of schema objects, read
    /// in one transaction: another process may be creating the store right now,
    /// and its migration must be seen whole or not at all.
    fn identity_snapshot(&self) -> rusqlite::Result<(i32, i64, i64)> {
        self.conn.execute_batch("BEGIN")?;
        let read = (|| {
            let (app_id, version) = self.identity_pragmas()?;
            let objects: i64 =
                self.conn
                    .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
            Ok((app_id, version, objects))
        })();
        let _ = self.conn.execute_batch("COMMIT");
        read
    }

    fn identity_pragmas(&self) -> rusqlite::Result<(i32, i64)> {
        let app_id: i32 = self
            .conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))?;
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        Ok((app_id, version))
    }

    fn configure(&self) -> Result<()> {
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            self.conn
                .query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
        }
        // FULL: a batch reported stored survives power loss too; chunked commits
        // keep the fsync count low.
        // temp_store: the journal of each input's savepoint stays in memory
        // instead of being written to a temporary file (nothing durable is
        // kept there).
        self.conn.execute_batch(
            "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;",
        )?;
        // A connection that writes no data leaves the WAL to the next writer:
        // as the last one out, a reader would otherwise checkpoint what an
        // earlier process cached (three fsyncs, most of a cached `diff`'s
        // wall time). `begin_write` turns checkpointing back on for data.
        let _ = self
            .conn
            .set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true);
        Ok(())
    }

    /// Apply pending migrations atomically. Re-checks inside the write lock so
    /// two processes creating one store at once don't both migrate.
    fn migrate(&self) -> Result<()> {
        let (_, version) = self.identity_pragmas()?;
        if version == schema::current_version() {
            return Ok(());
        }
        self.begin_write(Patience::WithoutProgress(BUSY_TIMEOUT))?;
        let applied = (|| -> Result<()> {
            let (app_id, version) = self.identity_pragmas()?;
            if app_id != 0 && app_id != APPLICATION_ID {
                return Err(StoreError::Foreign {
                    path: self.path.clone(),
                    reason: format!("SQLite application_id {app_id:#x}"),
                });
            }
            for sql in schema::MIGRATIONS
                .iter()
                .skip(usize::try_from(version).unwrap_or(0))
            {
                self.conn.execute_batch(sql)?;
            }
            self.conn.execute_batch(&format!(
                "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {};",
                schema::current_version()
            ))?;
            Ok(())
        })();
        match applied {
            Ok(()) => self.conn.execute_batch("COMMIT")?,
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                return Err(e);
            }
        }
        Ok(())
    }
}

/// What SQLite failing to read the file means: a damaged file, or another
/// failure to open it.
fn open_failure(path: &Path, e: &rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode;
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => StoreError::Damaged {
            path: path.to_path_buf(),
            reason: e.to_string(),
        },
        Some(ErrorCode::ReadOnly) => StoreError::Open {
            path: path.to_path_buf(),
            reason: READ_ONLY.into(),
        },
        _ => StoreError::Open {
            path: path.to_path_buf(),
            reason: e.to_string(),
        },
    }
}

const READ_ONLY: &str = "read-only (no permission to write the store, or its folder where SQLite keeps its -wal and -shm files)";
