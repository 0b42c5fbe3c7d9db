//! `governance-bench lsp`: how long the language server takes from a `didChange` to the
//! `publishDiagnostics` of that version, on a 2,000-line contract with a 200-rule pack (the
//! issue's goal: under 20 ms). The server is the release `governance-lint lsp`, started as
//! an editor starts it, and spoken to over its standard input and output; the time includes
//! the JSON-RPC round trip, applying the edit, linting, and serialising the diagnostics.
//!
//! Three measurements:
//! - **edits**: one incremental edit (toggling `encrypted: false` ↔ `true` on one field, so
//!   that one diagnostic comes and goes) at a time, with `debounceMs: 0`, each sent once the
//!   previous one's diagnostics arrived: the server's own cost per edit;
//! - **paused edits**: the same with the default debounce (50 ms) and a pause of 100 ms
//!   between edits, as a person types a word and stops: the first edit after a pause is
//!   linted at once, so this is the latency a person sees;
//! - **a burst**: 20 edits written at once (a paste, fast typing), default debounce: the time
//!   until the last one's diagnostics, and how many lints the server ran for them.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::{at, Result};

/// How long one answer may take before the benchmark gives up.
const HANG: Duration = Duration::from_secs(60);

pub(crate) struct Settings {
    pub lint: PathBuf,
    pub work: PathBuf,
    pub rules: usize,
    pub lines: usize,
    pub edits: usize,
    pub seed: u64,
}

struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<(Instant, Value)>,
    next_id: i64,
}

impl Server {
    fn start(lint: &Path, dir: &Path, debounce: Option<u64>) -> Result<Server> {
        let mut child = Command::new(lint)
            .arg("lsp")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(at(lint))?;
        let stdin = child.stdin.take().ok_or("no stdin")?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let (tx, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(value) = line.strip_prefix("Content-Length: ") {
                        length = value.parse().unwrap_or(0);
                    }
                }
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let now = Instant::now();
                let Ok(value) = serde_json::from_slice::<Value>(&body) else {
                    return;
                };
                if tx.send((now, value)).is_err() {
                    return;
                }
            }
        });
        let mut server = Server {
            child,
            stdin,
            messages,
            next_id: 0,
        };
        let root = format!("file://{}", dir.display());
        let mut options = json!({});
        if let Some(ms) = debounce {
            options = json!({"debounceMs": ms});
        }
        server.request(
            "initialize",
            json!({"processId": null, "rootUri": root, "capabilities": {},
                   "workspaceFolders": [{"uri": root, "name": "bench"}],
                   "initializationOptions": options}),
        )?;
        server.notify("initialized", json!({}))?;
        Ok(server)
    }

    fn send(&mut self, message: &Value) -> Result<()> {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len())?;
        self.stdin.flush()?;
        Ok(())
    }

    fn notify(&mut self, method: &str, params: Value) -> Result<()> {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}))
    }

    fn request(&mut self, method: &str, params: Value) -> Result<Value> {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))?;
        Ok(self.wait(|m| m["id"] == id && m.get("method").is_none())?.1)
    }

    fn wait(&mut self, wanted: impl Fn(&Value) -> bool) -> Result<(Instant, Value)> {
        loop {
            let (when, message) = self
                .messages
                .recv_timeout(HANG)
                .map_err(|_| "the server did not answer")?;
            if wanted(&message) {
                return Ok((when, message));
            }
        }
    }

    /// Waits for the diagnostics of `version`; the diagnostics of earlier versions seen on
    /// the way are counted in `lints`.
    fn diagnostics(&mut self, version: i64, lints: &mut usize) -> Result<(Instant, usize)> {
        loop {
            let (when, message) =
                self.wait(|m| m["method"] == "textDocument/publishDiagnostics")?;
            *lints += 1;
            if message["params"]["version"] == version {
                let count = message["params"]["diagnostics"]
                    .as_array()
                    .map_or(0, Vec::len);
                return Ok((when, count));
            }
        }
    }

    fn finish(mut self) -> Result<()> {
        self.request("shutdown", Value::Null)?;
        self.notify("exit", Value::Null)?;
        self.child.wait()?;
        Ok(())
    }
}

/// One edit: `encrypted: false` ↔ `true` on line `line`.
fn toggle(uri: &str, version: i64, line: usize, on: bool) -> Value {
    let (from, text) = if on {
        ("false", "true")
    } else {
        ("true", "false")
    };
    json!({
        "textDocument": {"uri": uri, "version": version},
        "contentChanges": [{
            "range": {"start": {"line": line, "character": 15},
                      "end": {"line": line, "character": 15 + from.len()}},
            "text": text,
        }],
    })
}

/// Milliseconds of a duration.
fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn summary(label: &str, mut times: Vec<Duration>) -> String {
    times.sort();
    let at = |q: f64| {
        let index = ((times.len() as f64 - 1.0) * q).round() as usize;
        times.get(index).copied().map_or(0.0, ms)
    };
    format!(
        "| {label} | {} | {:.2} | {:.2} | {:.2} | {:.2} |",
        times.len(),
        at(0.0),
        at(0.5),
        at(0.95),
        at(1.0)
    )
}

pub(crate) fn run(settings: &Settings) -> Result<String> {
    let dir = settings.work.join("lsp");
    let policies = dir.join("policies");
    std::fs::create_dir_all(&policies).map_err(at(&policies))?;
    std::fs::create_dir_all(dir.join(".git")).map_err(at(&dir))?;
    let (pack, contract, line) =
        crate::generate::lsp_inputs(settings.seed, settings.rules, settings.lines);
    let pack_file = policies.join("generated.policy");
    std::fs::write(&pack_file, &pack).map_err(at(&pack_file))?;
    let contract_file = dir.join("contract.yaml");
    std::fs::write(&contract_file, &contract).map_err(at(&contract_file))?;
    let uri = format!("file://{}", contract_file.display());
    let lines = contract.lines().count();
    let mut out = Vec::new();
    out.push(format!(
        "Contract: {lines} lines, {} bytes; pack: {} rules. Times in ms, from writing `didChange` to reading its `publishDiagnostics`.\n",
        contract.len(),
        settings.rules
    ));
    out.push("| measurement | edits | min | median | p95 | max |".to_owned());
    out.push("|---|---|---|---|---|---|".to_owned());

    // Every edit on its own, no debounce.
    let mut server = Server::start(&settings.lint, &dir, Some(0))?;
    let opened = Instant::now();
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": contract}}),
    )?;
    let mut lints = 0;
    let (when, first_count) = server.diagnostics(1, &mut lints)?;
    let open_time = when - opened;
    let mut times = Vec::new();
    let mut counts = (usize::MAX, 0);
    for edit in 0..settings.edits {
        let version = 2 + edit as i64;
        let sent = Instant::now();
        server.notify(
            "textDocument/didChange",
            toggle(&uri, version, line, edit % 2 == 0),
        )?;
        let (when, count) = server.diagnostics(version, &mut lints)?;
        times.push(when - sent);
        counts = (counts.0.min(count), counts.1.max(count));
    }
    server.finish()?;
    out.push(summary("one edit at a time (`debounceMs: 0`)", times));

    // Paused edits, default debounce.
    let mut server = Server::start(&settings.lint, &dir, None)?;
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": contract}}),
    )?;
    let mut lints = 0;
    server.diagnostics(1, &mut lints)?;
    let mut times = Vec::new();
    let paused = (settings.edits / 4).max(10);
    for edit in 0..paused {
        std::thread::sleep(Duration::from_millis(100));
        let version = 2 + edit as i64;
        let sent = Instant::now();
        server.notify(
            "textDocument/didChange",
            toggle(&uri, version, line, edit % 2 == 0),
        )?;
        let (when, _) = server.diagnostics(version, &mut lints)?;
        times.push(when - sent);
    }
    out.push(summary(
        "after a 100 ms pause (default debounce, 50 ms)",
        times,
    ));

    // A burst of 20 edits.
    let burst = 20;
    std::thread::sleep(Duration::from_millis(100));
    let base = 2 + paused as i64;
    let sent = Instant::now();
    for edit in 0..burst {
        server.notify(
            "textDocument/didChange",
            toggle(&uri, base + edit as i64, line, (paused + edit) % 2 == 0),
        )?;
    }
    let mut burst_lints = 0;
    let (when, _) = server.diagnostics(base + burst as i64 - 1, &mut burst_lints)?;
    server.finish()?;
    out.push(format!(
        "\nOpening the file: {:.2} ms to its first diagnostics ({first_count}). Edits published {} to {} diagnostics. A burst of {burst} edits written at once: {:.2} ms to the last one's diagnostics, in {burst_lints} lints.",
        ms(open_time),
        counts.0,
        counts.1,
        ms(when - sent),
    ));
    Ok(out.join("\n"))
}
