//! The previous versions `git cat-file` reads on its own thread while the files are paired and
//! compared: each comparison waits only for its own previous version, not for all of them.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

use crate::git::{self, Blob};

/// The previous versions read so far, by blob id, shared by the pairs that wait for them.
#[derive(Debug, Default)]
pub struct Blobs {
    state: Mutex<State>,
    arrived: Condvar,
}

#[derive(Debug, Default)]
struct State {
    /// The versions read and not yet taken.
    texts: HashMap<String, Blob>,
    /// How many pairs will still take each version: the last one takes it without a copy.
    takers: HashMap<String, usize>,
    /// git has answered for every version it was asked for, or failed.
    done: bool,
    /// Why git could not read them all.
    failure: Option<String>,
}

impl Blobs {
    /// Starts reading `ids` with `git cat-file --batch` in the repository at `root`, on a
    /// thread of its own; a version over `limit` bytes is not read.
    pub fn fetch(root: PathBuf, ids: Vec<String>, limit: u64) -> Arc<Blobs> {
        let blobs = Arc::new(Blobs::default());
        let shared = Arc::clone(&blobs);
        let read = move || {
            // Whatever happens on this thread, the waiting pairs are told that it is over.
            let finish = Finish(&shared);
            let result = git::each_blob(&root, &ids, limit, |index, blob| {
                if let Some(id) = ids.get(index) {
                    finish.0.insert(id.clone(), blob);
                }
            });
            finish
                .0
                .finish(result.err().map(|error| error.reason().to_owned()));
        };
        if let Err(error) = std::thread::Builder::new()
            .name("git cat-file".to_owned())
            .spawn(read)
        {
            blobs.finish(Some(format!(
                "cannot start a thread to read the previous versions: {error}"
            )));
        }
        blobs
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds a version read apart from the others.
    pub fn insert(&self, id: String, blob: Blob) {
        self.lock().texts.insert(id, blob);
        self.arrived.notify_all();
    }

    /// Says that one more pair will take the version `id`.
    pub fn will_take(&self, id: &str) {
        *self.lock().takers.entry(id.to_owned()).or_default() += 1;
    }

    /// The version `id`, once git has read it: moved out for its last taker, copied for the
    /// others. An error when git failed before reading it.
    pub fn take(&self, id: &str) -> Result<Blob, String> {
        let mut state = self.lock();
        loop {
            if state.texts.contains_key(id) {
                let left = state.takers.get_mut(id).map_or(0, |count| {
                    *count = count.saturating_sub(1);
                    *count
                });
                let blob = if left == 0 {
                    state.texts.remove(id)
                } else {
                    state.texts.get(id).cloned()
                };
                return Ok(blob.unwrap_or(Blob::Missing));
            }
            if state.done {
                return Err(state
                    .failure
                    .clone()
                    .unwrap_or_else(|| "git did not answer for it".to_owned()));
            }
            state = self
                .arrived
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// Waits until git has answered for every version, and says why it could not, if so.
    pub fn failure(&self) -> Option<String> {
        let mut state = self.lock();
        while !state.done {
            state = self
                .arrived
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        state.failure.clone()
    }

    fn finish(&self, failure: Option<String>) {
        let mut state = self.lock();
        if !state.done {
            state.done = true;
            state.failure = failure;
        }
        drop(state);
        self.arrived.notify_all();
    }
}

/// Marks the reading over when the reading thread ends, even by a panic.
struct Finish<'a>(&'a Blobs);

impl Drop for Finish<'_> {
    fn drop(&mut self) {
        self.0.finish(Some(
            "the thread that read git's objects stopped".to_owned(),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_taker_moves_and_the_others_copy() {
        let blobs = Blobs::default();
        blobs.insert("a".into(), Blob::Content(b"text".to_vec()));
        blobs.will_take("a");
        blobs.will_take("a");
        assert_eq!(blobs.take("a"), Ok(Blob::Content(b"text".to_vec())));
        assert_eq!(blobs.take("a"), Ok(Blob::Content(b"text".to_vec())));
        assert!(blobs.lock().texts.is_empty());
    }

    #[test]
    fn a_version_never_read_is_an_error_once_git_is_done() {
        let blobs = Blobs::default();
        blobs.finish(Some("git says: fatal: bad object".into()));
        assert_eq!(blobs.take("a"), Err("git says: fatal: bad object".into()));
        assert_eq!(blobs.failure(), Some("git says: fatal: bad object".into()));
    }

    #[test]
    fn a_taker_waits_for_the_reading_thread() {
        let blobs = Arc::new(Blobs::default());
        let writer = Arc::clone(&blobs);
        let thread = std::thread::spawn(move || {
            writer.insert("a".into(), Blob::Missing);
            writer.finish(None);
        });
        assert_eq!(blobs.take("a"), Ok(Blob::Missing));
        assert_eq!(blobs.failure(), None);
        thread.join().ok();
    }
}
