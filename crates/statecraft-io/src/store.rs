//! The run store: every forecast, sweep and analysis can be recorded in a SQLite file with the
//! full scenario, its hash, the command's parameters, the seed, the statecraft version and the
//! result; sweeps are written chunk by chunk in transactions, so a sweep that is stopped or killed
//! keeps what it finished and resumes from there.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

/// Why the store cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite refused.
    #[error("run store `{path}`: {source}")]
    Sqlite {
        /// The file.
        path: String,
        /// What SQLite said.
        source: rusqlite::Error,
    },
    /// No such run.
    #[error("run store `{path}` has no run {id}")]
    NoRun {
        /// The file.
        path: String,
        /// The run asked for.
        id: i64,
    },
}

/// One recorded run, as listed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunSummary {
    /// Its id in the store.
    pub id: i64,
    /// `forecast`, `sweep`, ...
    pub kind: String,
    /// When it started (UTC, RFC 3339).
    pub created: String,
    /// `running` (started and not finished: still running, or killed before it could say so),
    /// `interrupted` (stopped, e.g. by Ctrl-C, with its finished chunks kept: it can be
    /// resumed) or `done`.
    pub status: String,
    /// The scenario's title, if any.
    pub title: Option<String>,
    /// FNV-1a hash of the scenario's JSON, in hex.
    pub scenario_hash: String,
    /// The seed, for seeded runs.
    pub seed: Option<i64>,
    /// Chunks stored so far (sweeps).
    pub chunks: i64,
}

/// A recorded run with everything needed to repeat it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Run {
    /// The summary.
    #[serde(flatten)]
    pub summary: RunSummary,
    /// The statecraft version that ran it.
    pub version: String,
    /// The scenario, as statecraft's JSON.
    pub scenario: serde_json::Value,
    /// The command's parameters.
    pub params: serde_json::Value,
    /// The result, once done.
    pub result: Option<serde_json::Value>,
    /// The request that made the run (`statecraft run` runs it again), when recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<serde_json::Value>,
}

/// An open store.
pub struct Store {
    connection: Connection,
    path: String,
}

/// How long a store waits for another process's write to finish.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// How often opening a store retries its set-up while another process holds it (about 8 s).
const SET_UP_ATTEMPTS: usize = 30;

/// Whether an error means another connection holds the database for now.
fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// The journal mode and the tables; a store written before requests were recorded gets the
/// request column.
fn set_up(connection: &Connection) -> rusqlite::Result<()> {
    connection.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         CREATE TABLE IF NOT EXISTS runs (
             id INTEGER PRIMARY KEY AUTOINCREMENT,
             kind TEXT NOT NULL,
             created TEXT NOT NULL,
             status TEXT NOT NULL,
             version TEXT NOT NULL,
             title TEXT,
             scenario_hash TEXT NOT NULL,
             scenario TEXT NOT NULL,
             params TEXT NOT NULL,
             seed INTEGER,
             result TEXT,
             request TEXT
         );
         CREATE TABLE IF NOT EXISTS chunks (
             run INTEGER NOT NULL REFERENCES runs(id),
             chunk INTEGER NOT NULL,
             data TEXT NOT NULL,
             PRIMARY KEY (run, chunk)
         );",
    )?;
    let has_request = connection
        .prepare("SELECT COUNT(*) FROM pragma_table_info('runs') WHERE name = 'request'")?
        .query_row([], |row| row.get::<_, i64>(0))?
        > 0;
    if !has_request {
        connection.execute_batch("ALTER TABLE runs ADD COLUMN request TEXT")?;
    }
    Ok(())
}

/// FNV-1a, 64 bits: a stable fingerprint of a scenario's text (not a security hash).
pub fn fingerprint(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

impl Store {
    /// Opens (creating if needed) the store at `path`.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let name = path.display().to_string();
        let wrap = |source| StoreError::Sqlite {
            path: name.clone(),
            source,
        };
        let connection = Connection::open(path).map_err(wrap)?;
        // Two runs started at once on a new store wait for each other instead of failing with
        // "database is locked".
        connection.busy_timeout(BUSY_TIMEOUT).map_err(wrap)?;
        // Setting the journal mode and creating the tables can meet another process doing the
        // same, which SQLite reports as busy at once rather than waiting: try again for a while.
        let mut attempt = 0;
        loop {
            match set_up(&connection) {
                Ok(()) => break,
                Err(e) if is_busy(&e) && attempt < SET_UP_ATTEMPTS => {
                    attempt += 1;
                    std::thread::sleep(std::time::Duration::from_millis(20 * attempt as u64));
                }
                Err(e) => return Err(wrap(e)),
            }
        }
        Ok(Store {
            connection,
            path: name,
        })
    }

    /// Opens an existing store only to read it (`statecraft runs`), so that a store in a
    /// read-only directory, or one another process is writing, can still be listed.
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        let name = path.display().to_string();
        let wrap = |source| StoreError::Sqlite {
            path: name.clone(),
            source,
        };
        use rusqlite::OpenFlags;
        let readable =
            |c: &Connection| c.query_row("SELECT COUNT(*) FROM sqlite_master", [], |_| Ok(()));
        let mut connection =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(wrap)?;
        if readable(&connection).is_err() && path.exists() {
            // A store in write-ahead-log mode needs its `-shm` file, which a read-only
            // directory cannot hold; nobody can be writing there, so it is read as immutable.
            let mut uri = String::from("file:");
            for b in path.as_os_str().as_encoded_bytes() {
                if b.is_ascii_alphanumeric() || b"/._-~".contains(b) {
                    uri.push(char::from(*b));
                } else {
                    uri.push_str(&format!("%{b:02X}"));
                }
            }
            uri.push_str("?immutable=1");
            if let Ok(immutable) = Connection::open_with_flags(
                &uri,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI,
            ) {
                if readable(&immutable).is_ok() {
                    connection = immutable;
                }
            }
        }
        connection.busy_timeout(BUSY_TIMEOUT).map_err(wrap)?;
        Ok(Store {
            connection,
            path: name,
        })
    }

    /// Whether the runs table has the request column (stores written before it do not).
    fn has_request(&self) -> Result<bool, StoreError> {
        self.connection
            .prepare("SELECT COUNT(*) FROM pragma_table_info('runs') WHERE name = 'request'")
            .and_then(|mut s| s.query_row([], |row| row.get::<_, i64>(0)))
            .map(|n| n > 0)
            .map_err(|e| self.wrap(e))
    }

    fn wrap(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// Starts a run (status `running`) and returns its id.
    #[allow(clippy::too_many_arguments)]
    pub fn start(
        &self,
        kind: &str,
        created: &str,
        title: Option<&str>,
        scenario_json: &str,
        params: &serde_json::Value,
        seed: Option<u64>,
    ) -> Result<i64, StoreError> {
        self.connection
            .execute(
                "INSERT INTO runs (kind, created, status, version, title, scenario_hash, scenario, params, seed)
                 VALUES (?1, ?2, 'running', ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    kind,
                    created,
                    env!("CARGO_PKG_VERSION"),
                    title,
                    fingerprint(scenario_json),
                    scenario_json,
                    params.to_string(),
                    seed.map(|s| s as i64),
                ],
            )
            .map_err(|e| self.wrap(e))?;
        Ok(self.connection.last_insert_rowid())
    }

    /// Stores one chunk of a run's raw results, in its own transaction.
    pub fn put_chunk(&self, run: i64, chunk: usize, data: &str) -> Result<(), StoreError> {
        self.connection
            .execute(
                "INSERT OR REPLACE INTO chunks (run, chunk, data) VALUES (?1, ?2, ?3)",
                params![run, chunk as i64, data],
            )
            .map_err(|e| self.wrap(e))?;
        Ok(())
    }

    /// The numbers of the chunks stored for a run, in order (their data is read one at a time
    /// with [`Store::chunk`], so that resuming a long run does not hold all of it).
    pub fn chunk_numbers(&self, run: i64) -> Result<Vec<usize>, StoreError> {
        let mut statement = self
            .connection
            .prepare("SELECT chunk FROM chunks WHERE run = ?1 ORDER BY chunk")
            .map_err(|e| self.wrap(e))?;
        let rows = statement
            .query_map(params![run], |row| Ok(row.get::<_, i64>(0)? as usize))
            .map_err(|e| self.wrap(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.wrap(e))
    }

    /// The data of one stored chunk of a run, if it is stored.
    pub fn chunk(&self, run: i64, chunk: usize) -> Result<Option<String>, StoreError> {
        self.connection
            .query_row(
                "SELECT data FROM chunks WHERE run = ?1 AND chunk = ?2",
                params![run, chunk as i64],
                |row| row.get::<_, String>(0),
            )
            .optional()
            .map_err(|e| self.wrap(e))
    }

    /// Marks a run done with its result.
    pub fn finish(&self, run: i64, result: &serde_json::Value) -> Result<(), StoreError> {
        self.connection
            .execute(
                "UPDATE runs SET status = 'done', result = ?2 WHERE id = ?1",
                params![run, result.to_string()],
            )
            .map_err(|e| self.wrap(e))?;
        Ok(())
    }

    /// Marks a running run `interrupted`: it was stopped before its end and can be resumed.
    pub fn interrupt(&self, run: i64) -> Result<(), StoreError> {
        self.set_status(run, "running", "interrupted")
    }

    /// Marks an interrupted run `running` again, as it is resumed.
    pub fn resume(&self, run: i64) -> Result<(), StoreError> {
        self.set_status(run, "interrupted", "running")
    }

    fn set_status(&self, run: i64, from: &str, to: &str) -> Result<(), StoreError> {
        self.connection
            .execute(
                "UPDATE runs SET status = ?3 WHERE id = ?1 AND status = ?2",
                params![run, from, to],
            )
            .map_err(|e| self.wrap(e))?;
        Ok(())
    }

    /// Every run, oldest first.
    pub fn list(&self) -> Result<Vec<RunSummary>, StoreError> {
        let mut statement = self
            .connection
            .prepare(
                "SELECT id, kind, created, status, title, scenario_hash, seed,
                        (SELECT COUNT(*) FROM chunks WHERE chunks.run = runs.id)
                 FROM runs ORDER BY id",
            )
            .map_err(|e| self.wrap(e))?;
        let rows = statement
            .query_map([], |row| {
                Ok(RunSummary {
                    id: row.get(0)?,
                    kind: row.get(1)?,
                    created: row.get(2)?,
                    status: row.get(3)?,
                    title: row.get(4)?,
                    scenario_hash: row.get(5)?,
                    seed: row.get(6)?,
                    chunks: row.get(7)?,
                })
            })
            .map_err(|e| self.wrap(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.wrap(e))
    }

    /// Records the request that made run `run`.
    pub fn set_request(&self, run: i64, request: &serde_json::Value) -> Result<(), StoreError> {
        self.connection
            .execute(
                "UPDATE runs SET request = ?2 WHERE id = ?1",
                params![run, request.to_string()],
            )
            .map_err(|e| self.wrap(e))?;
        Ok(())
    }

    /// One run in full.
    pub fn get(&self, id: i64) -> Result<Run, StoreError> {
        let summary = self
            .list()?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or_else(|| StoreError::NoRun {
                path: self.path.clone(),
                id,
            })?;
        type Row = (String, String, String, Option<String>, Option<String>);
        let (version, scenario, params, result, request): Row = self
            .connection
            .query_row(
                if self.has_request()? {
                    "SELECT version, scenario, params, result, request FROM runs WHERE id = ?1"
                } else {
                    "SELECT version, scenario, params, result, NULL FROM runs WHERE id = ?1"
                },
                params![id],
                |row| {
                    Ok((
                        row.get(0)?,
                        row.get(1)?,
                        row.get(2)?,
                        row.get(3)?,
                        row.get(4)?,
                    ))
                },
            )
            .optional()
            .map_err(|e| self.wrap(e))?
            .ok_or_else(|| StoreError::NoRun {
                path: self.path.clone(),
                id,
            })?;
        let parse = |text: &str| serde_json::from_str(text).unwrap_or(serde_json::Value::Null);
        Ok(Run {
            summary,
            version,
            scenario: parse(&scenario),
            params: parse(&params),
            result: result.as_deref().map(parse),
            request: request.as_deref().map(parse),
        })
    }
}
