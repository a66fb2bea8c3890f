//! A few store connections kept open between requests (their prepared
//! statements with them), each used by one request at a time.

use std::ops::Deref;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use crate::store::{OpenMode, Store, StoreError};

/// Idle connections kept at most.
const IDLE: usize = 8;

/// How much of the store file readers map into memory (address space, not
/// memory: only the pages read are resident, and the kernel may drop them).
pub(super) const READ_MAP_BYTES: u64 = 1 << 30;

pub struct Pool {
    db: PathBuf,
    idle: Mutex<Vec<Store>>,
}

/// A store taken from the pool; back into it when dropped.
pub struct Pooled<'p> {
    store: Option<Store>,
    pool: &'p Pool,
}

impl Pool {
    /// A pool over `db`, starting with `first`.
    pub fn new(db: PathBuf, first: Store) -> Pool {
        let pool = Pool {
            db,
            idle: Mutex::new(Vec::with_capacity(IDLE)),
        };
        pool.put(first);
        pool
    }

    /// An idle connection, or a new one.
    pub fn get(&self) -> Result<Pooled<'_>, StoreError> {
        let idle = self.idle.lock().ok().and_then(|mut v| v.pop());
        let store = match idle {
            Some(store) => store,
            None => {
                let mut store = Store::open(&self.db, OpenMode::Existing)?;
                // A page never waits for a writer: the cache is written only
                // if the lock is free at once.
                store.set_cache_write_patience(Duration::ZERO);
                store.map_for_reading(READ_MAP_BYTES)?;
                store
            }
        };
        Ok(Pooled {
            store: Some(store),
            pool: self,
        })
    }

    fn put(&self, mut store: Store) {
        store.set_cache_write_patience(Duration::ZERO);
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < IDLE
        {
            idle.push(store);
        }
    }
}

impl Deref for Pooled<'_> {
    type Target = Store;

    fn deref(&self) -> &Store {
        self.store.as_ref().expect("taken only on drop")
    }
}

impl Drop for Pooled<'_> {
    fn drop(&mut self) {
        if let Some(store) = self.store.take() {
            self.pool.put(store);
        }
    }
}
