//! The part of a document that must wait for something only the end of the run knows (JUnit's
//! root carries the totals; SARIF's `invocations`, listing the skipped files, come before its
//! `results`; JSON's `files` come after its findings): written as the files are linted, in
//! memory up to [`MEMORY_LIMIT`] and then to an anonymous temporary file, and copied to the
//! output at the end. So a renderer's memory stays flat however large the repository, and the
//! output is the same bytes as a document written at once.

use std::fs::File;
use std::io::{self, BufWriter, Seek, SeekFrom, Write};

/// How much a spool keeps in memory before it moves to a temporary file.
pub const MEMORY_LIMIT: usize = 1 << 20;

/// Bytes to be copied to the output later, in order.
pub struct Spool {
    /// Until the limit, or for good when no temporary file could be made.
    memory: Vec<u8>,
    /// The temporary file, once the limit was passed.
    file: Option<BufWriter<File>>,
    limit: usize,
    /// Whether making the temporary file failed (then everything stays in memory).
    no_file: bool,
    written: usize,
}

impl Default for Spool {
    fn default() -> Self {
        Self::with_limit(MEMORY_LIMIT)
    }
}

impl Spool {
    /// A spool that moves to a temporary file past `limit` bytes.
    pub fn with_limit(limit: usize) -> Self {
        Self {
            memory: Vec::new(),
            file: None,
            limit,
            no_file: false,
            written: 0,
        }
    }

    /// Whether nothing was written to it.
    pub fn is_empty(&self) -> bool {
        self.written == 0
    }

    /// Whether it moved to a temporary file.
    #[cfg(test)]
    fn on_disk(&self) -> bool {
        self.file.is_some()
    }

    /// Copies everything written, in order, to `out`.
    pub fn copy_to(self, out: &mut dyn Write) -> io::Result<()> {
        let Some(file) = self.file else {
            return out.write_all(&self.memory);
        };
        let mut file = file
            .into_inner()
            .map_err(|error| spool_error(error.error()))?;
        file.seek(SeekFrom::Start(0)).map_err(|e| spool_error(&e))?;
        let mut reader = io::BufReader::with_capacity(64 * 1024, file);
        // Errors reading the spool and writing the output must stay apart: a closed standard
        // output is a broken pipe (the reader went away), a failed spool is not.
        let mut buffer = vec![0; 64 * 1024];
        loop {
            let read = match io::Read::read(&mut reader, &mut buffer) {
                Ok(0) => return Ok(()),
                Ok(read) => read,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(spool_error(&error)),
            };
            out.write_all(buffer.get(..read).unwrap_or_default())?;
        }
    }
}

impl Write for Spool {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.written += buf.len();
        if let Some(file) = &mut self.file {
            return file
                .write_all(buf)
                .map(|()| buf.len())
                .map_err(|e| spool_error(&e));
        }
        if self.no_file || self.memory.len() + buf.len() <= self.limit {
            self.memory.extend_from_slice(buf);
            return Ok(buf.len());
        }
        // Past the limit: everything so far and from now on goes to a temporary file, which
        // the system removes however the process ends. Where none can be made (no writable
        // temporary directory), the spool stays in memory: the output is the same, only
        // memory grows.
        match tempfile::tempfile() {
            Ok(file) => {
                let mut file = BufWriter::with_capacity(64 * 1024, file);
                let moved = file
                    .write_all(&self.memory)
                    .and_then(|()| file.write_all(buf));
                self.memory = Vec::new();
                self.file = Some(file);
                moved.map(|()| buf.len()).map_err(|e| spool_error(&e))
            }
            Err(_) => {
                self.no_file = true;
                self.memory.extend_from_slice(buf);
                Ok(buf.len())
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// An error of the temporary file, said as such (and never a broken pipe, which would pass
/// for a reader that went away).
fn spool_error(error: &io::Error) -> io::Error {
    io::Error::other(format!(
        "the report's temporary file (in {}): {error}",
        std::env::temp_dir().display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_output_stays_in_memory_and_large_output_moves_to_a_file_with_the_same_bytes() {
        let text: Vec<u8> = (0..10_000u32).flat_map(u32::to_le_bytes).collect();
        for limit in [usize::MAX, 100, 0] {
            let mut spool = Spool::with_limit(limit);
            assert!(spool.is_empty());
            for chunk in text.chunks(777) {
                assert!(spool.write_all(chunk).is_ok());
            }
            assert!(!spool.is_empty());
            assert_eq!(spool.on_disk(), limit != usize::MAX, "limit {limit}");
            let mut out = Vec::new();
            assert!(spool.copy_to(&mut out).is_ok());
            assert_eq!(out, text, "limit {limit}");
        }
    }

    #[test]
    fn an_empty_spool_copies_nothing() {
        let mut out = Vec::new();
        assert!(Spool::with_limit(0).copy_to(&mut out).is_ok());
        assert!(out.is_empty());
    }
}
