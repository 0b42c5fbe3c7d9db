//! The server's state and its one loop: messages in, diagnostics and answers out.
//!
//! Everything runs on one thread, in the order the client sent it. Edits mark a document
//! dirty; a dirty document is linted once every message already waiting has been handled
//! (so a burst of edits is linted once, on the last text) and at most once per `debounce`
//! (50 ms unless the client's `initializationOptions` say `{"debounceMs": N}`): the first edit
//! after a pause is linted at once, fast typing at most every `debounce`. Every handler runs
//! under `catch_unwind`: a bug in one answer becomes an internal error for that request, and
//! the server keeps serving.

use std::collections::{HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::mpsc::{RecvTimeoutError, Sender, TryRecvError};
use std::time::{Duration, Instant};

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability,
    DiagnosticSeverity, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidChangeWatchedFilesRegistrationOptions, DidChangeWorkspaceFoldersParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DidSaveTextDocumentParams,
    FileSystemWatcher, GlobPattern, GotoDefinitionParams, HoverParams, HoverProviderCapability,
    InitializeParams, InitializeResult, OneOf, PositionEncodingKind, PublishDiagnosticsParams,
    Registration, RegistrationParams, SaveOptions, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Uri, WorkspaceFoldersServerCapabilities,
    WorkspaceServerCapabilities,
};
use serde_json::Value;

use super::analysis::{self, Analysis, Kind};
use super::text::Document;
use super::transport::{Incoming, Outgoing, Transport};
use super::workspace::{State, Workspace};
use super::{actions, hover, uri};

/// The default time between two lints of one document.
const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(50);
/// How often the configuration and policy files are looked at, for clients that do not
/// watch files for the server.
const POLL: Duration = Duration::from_secs(2);
/// How many waiting messages are handled before dirty documents are linted.
const DRAIN: usize = 256;

/// An open document.
pub struct Open {
    pub uri: Uri,
    pub path: Option<PathBuf>,
    /// How the engine names it: relative to its workspace folder, as `check` prints it.
    pub name: String,
    pub kind: Kind,
    pub doc: Document,
    /// The workspace folder it belongs to.
    pub root: PathBuf,
    pub analysis: Analysis,
    dirty: bool,
    last_lint: Option<Instant>,
}

pub struct Server {
    out: Sender<Outgoing>,
    pub workspaces: HashMap<PathBuf, Workspace>,
    folders: Vec<PathBuf>,
    pub docs: HashMap<String, Open>,
    /// Files outside open documents where a workspace's problems were published.
    problem_uris: HashMap<PathBuf, HashSet<String>>,
    debounce: Duration,
    initialized: bool,
    shutdown: bool,
    watch_files: bool,
    next_poll: Instant,
    next_id: i32,
    started_in: PathBuf,
}

/// Serves on `transport` until `exit` (`Ok(true)` after a `shutdown`, `Ok(false)` without
/// one, or when the input ends).
pub fn run(transport: &Transport) -> bool {
    let started_in = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
    let mut server = Server {
        out: transport.outgoing.clone(),
        workspaces: HashMap::new(),
        folders: Vec::new(),
        docs: HashMap::new(),
        problem_uris: HashMap::new(),
        debounce: DEFAULT_DEBOUNCE,
        initialized: false,
        shutdown: false,
        watch_files: false,
        next_poll: Instant::now() + POLL,
        next_id: 0,
        started_in,
    };
    loop {
        // Handle what is already waiting, then lint what is due, then wait.
        for _ in 0..DRAIN {
            match transport.incoming.try_recv() {
                Ok(incoming) => {
                    if let Some(clean) = server.guarded(incoming) {
                        return clean;
                    }
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => return false,
            }
        }
        server.lint_due();
        server.poll_if_due();
        let wait = server.next_wake().saturating_duration_since(Instant::now());
        match transport.incoming.recv_timeout(wait) {
            Ok(incoming) => {
                if let Some(clean) = server.guarded(incoming) {
                    return clean;
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return false,
        }
    }
}

impl Server {
    /// Handles one message; `Some(clean)` once the client said `exit`.
    fn guarded(&mut self, incoming: Incoming) -> Option<bool> {
        let id = match &incoming {
            Incoming::Message(Message::Request(request)) => Some(request.id.clone()),
            _ => None,
        };
        match catch_unwind(AssertUnwindSafe(|| self.handle(incoming))) {
            Ok(done) => done,
            Err(_) => {
                if let Some(id) = id {
                    self.respond(Response::new_err(
                        id,
                        ErrorCode::InternalError as i32,
                        "internal error in governance-lint; please report it with the file that caused it".to_owned(),
                    ));
                }
                None
            }
        }
    }

    fn handle(&mut self, incoming: Incoming) -> Option<bool> {
        match incoming {
            Incoming::Malformed { id, code, message } => {
                self.send(Outgoing::Raw(serde_json::json!({
                    "jsonrpc": "2.0",
                    "id": id.unwrap_or(Value::Null),
                    "error": {"code": code, "message": message},
                })));
                None
            }
            Incoming::Message(Message::Request(request)) => {
                self.request(request);
                None
            }
            Incoming::Message(Message::Notification(notification)) => {
                if notification.method == "exit" {
                    return Some(self.shutdown);
                }
                self.notification(notification);
                None
            }
            // Answers to our requests (`client/registerCapability`): nothing to do.
            Incoming::Message(Message::Response(_)) => None,
        }
    }

    fn request(&mut self, request: Request) {
        let Request { id, method, params } = request;
        if method == "initialize" {
            if self.initialized {
                return self.error(id, ErrorCode::InvalidRequest, "already initialized");
            }
            return match serde_json::from_value::<InitializeParams>(params) {
                Ok(params) => {
                    let result = self.initialize(&params);
                    self.ok(id, result);
                }
                Err(error) => self.error(
                    id,
                    ErrorCode::InvalidParams,
                    &format!("bad `initialize` parameters: {error}"),
                ),
            };
        }
        if !self.initialized {
            return self.error(
                id,
                ErrorCode::ServerNotInitialized,
                "the server is not initialized",
            );
        }
        if self.shutdown {
            return self.error(id, ErrorCode::InvalidRequest, "the server is shutting down");
        }
        match method.as_str() {
            "shutdown" => {
                self.shutdown = true;
                self.ok(id, Value::Null);
            }
            "textDocument/hover" => match serde_json::from_value::<HoverParams>(params) {
                Ok(params) => {
                    let answer = self.with_fresh(
                        &params.text_document_position_params.text_document.uri,
                        |server, open| {
                            hover::hover(
                                server,
                                open,
                                params.text_document_position_params.position,
                            )
                        },
                    );
                    self.ok(id, answer.flatten());
                }
                Err(error) => self.bad_params(id, &method, &error),
            },
            "textDocument/codeAction" => match serde_json::from_value::<CodeActionParams>(params) {
                Ok(params) => {
                    let answer = self.with_fresh(&params.text_document.uri, |_, open| {
                        actions::code_actions(open, params.range)
                    });
                    self.ok(id, answer.unwrap_or_default());
                }
                Err(error) => self.bad_params(id, &method, &error),
            },
            "textDocument/definition" => {
                match serde_json::from_value::<GotoDefinitionParams>(params) {
                    Ok(params) => {
                        let at = params.text_document_position_params;
                        let answer = self.with_fresh(&at.text_document.uri, |server, open| {
                            hover::definition(server, open, at.position)
                        });
                        self.ok(id, answer.flatten());
                    }
                    Err(error) => self.bad_params(id, &method, &error),
                }
            }
            _ => self.error(
                id,
                ErrorCode::MethodNotFound,
                &format!("governance-lint does not handle `{method}`"),
            ),
        }
    }

    fn initialize(&mut self, params: &InitializeParams) -> InitializeResult {
        self.initialized = true;
        if let Some(ms) = params
            .initialization_options
            .as_ref()
            .and_then(|o| o.get("debounceMs"))
            .and_then(Value::as_u64)
        {
            self.debounce = Duration::from_millis(ms.min(10_000));
        }
        self.watch_files = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false);
        let mut folders: Vec<PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| uri::to_path(&f.uri))
            .collect();
        #[allow(deprecated)]
        if folders.is_empty() {
            folders.extend(params.root_uri.as_ref().and_then(uri::to_path));
        }
        self.folders = folders.iter().map(|f| crate::paths::normalize(f)).collect();
        InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(PositionEncodingKind::UTF16),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                            include_text: Some(false),
                        })),
                        ..TextDocumentSyncOptions::default()
                    },
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                        ..CodeActionOptions::default()
                    },
                )),
                definition_provider: Some(OneOf::Left(true)),
                workspace: Some(WorkspaceServerCapabilities {
                    workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                        supported: Some(true),
                        change_notifications: Some(OneOf::Left(true)),
                    }),
                    file_operations: None,
                }),
                ..ServerCapabilities::default()
            },
            server_info: Some(ServerInfo {
                name: "governance-lint".to_owned(),
                version: Some(env!("CARGO_PKG_VERSION").to_owned()),
            }),
        }
    }

    fn notification(&mut self, notification: Notification) {
        let Notification { method, params } = notification;
        match method.as_str() {
            "initialized" => self.register_watchers(),
            "textDocument/didOpen" => {
                if let Ok(params) = serde_json::from_value::<DidOpenTextDocumentParams>(params) {
                    let item = params.text_document;
                    self.open(item.uri, item.text, item.version);
                }
            }
            "textDocument/didChange" => {
                if let Ok(params) = serde_json::from_value::<DidChangeTextDocumentParams>(params) {
                    if let Some(open) = self.docs.get_mut(params.text_document.uri.as_str()) {
                        for change in params.content_changes {
                            open.doc.apply(change.range, &change.text);
                        }
                        open.doc.version = params.text_document.version;
                        open.dirty = true;
                    }
                }
            }
            "textDocument/didClose" => {
                if let Ok(params) = serde_json::from_value::<DidCloseTextDocumentParams>(params) {
                    let uri = params.text_document.uri;
                    if self.docs.remove(uri.as_str()).is_some() {
                        self.publish(uri, Vec::new(), None);
                    }
                }
            }
            "textDocument/didSave" => {
                if let Ok(params) = serde_json::from_value::<DidSaveTextDocumentParams>(params) {
                    if let Some(path) = uri::to_path(&params.text_document.uri) {
                        self.file_changed(&path);
                    }
                }
            }
            "workspace/didChangeWatchedFiles" => {
                if let Ok(params) = serde_json::from_value::<DidChangeWatchedFilesParams>(params) {
                    let paths: Vec<PathBuf> = params
                        .changes
                        .iter()
                        .filter_map(|c| uri::to_path(&c.uri))
                        .collect();
                    for path in paths {
                        self.file_changed(&path);
                    }
                }
            }
            "workspace/didChangeWorkspaceFolders" => {
                if let Ok(params) =
                    serde_json::from_value::<DidChangeWorkspaceFoldersParams>(params)
                {
                    let removed: Vec<PathBuf> = params
                        .event
                        .removed
                        .iter()
                        .filter_map(|f| uri::to_path(&f.uri))
                        .collect();
                    self.folders.retain(|f| !removed.contains(f));
                    self.folders.extend(
                        params
                            .event
                            .added
                            .iter()
                            .filter_map(|f| uri::to_path(&f.uri))
                            .map(|f| crate::paths::normalize(&f)),
                    );
                    self.workspaces.clear();
                    let uris: Vec<String> = self.docs.keys().cloned().collect();
                    for key in uris {
                        if let Some(open) = self.docs.get_mut(&key) {
                            open.root =
                                root_for(&self.folders, open.path.as_deref(), &self.started_in);
                            open.dirty = true;
                        }
                    }
                }
            }
            // `$/cancelRequest`, `$/setTrace`, configuration changes...: nothing to do.
            _ => {}
        }
    }

    fn register_watchers(&mut self) {
        if !self.watch_files {
            return;
        }
        let watchers = [
            "**/governance.toml",
            "**/*.policy",
            "**/*.tests.yaml",
            "**/dbt_project.yml",
        ]
        .into_iter()
        .map(|glob| FileSystemWatcher {
            glob_pattern: GlobPattern::String(glob.to_owned()),
            kind: None,
        })
        .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "governance-lint-watch".to_owned(),
                method: "workspace/didChangeWatchedFiles".to_owned(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        self.next_id += 1;
        let request = Request::new(
            RequestId::from(format!("governance-lint-{}", self.next_id)),
            "client/registerCapability".to_owned(),
            params,
        );
        self.send(Outgoing::Message(Message::Request(request)));
    }

    fn open(&mut self, uri: Uri, text: String, version: i32) {
        let path = uri::to_path(&uri).map(|p| crate::paths::normalize(&p));
        let root = root_for(&self.folders, path.as_deref(), &self.started_in);
        let name = match &path {
            Some(path) => crate::paths::relative_to(path, &root),
            None => uri
                .as_str()
                .rsplit('/')
                .next()
                .unwrap_or("untitled")
                .to_owned(),
        };
        let kind = Kind::of(&name);
        let open = Open {
            uri: uri.clone(),
            path,
            name,
            kind,
            doc: Document::new(text, version),
            root,
            analysis: Analysis::default(),
            dirty: true,
            last_lint: None,
        };
        self.docs.insert(uri.as_str().to_owned(), open);
        // A newly opened document is linted at once, not after the debounce.
        self.lint(uri.as_str());
    }

    /// A file changed on disk (saved, or watched): reload the folders whose rules it is,
    /// else re-lint the documents that depend on it.
    fn file_changed(&mut self, path: &Path) {
        let path = crate::paths::normalize(path);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let rules_file = name == "governance.toml"
            || name == "dbt_project.yml"
            || name.ends_with(".policy")
            || name.ends_with(".tests.yaml");
        if !rules_file {
            return;
        }
        let roots: Vec<PathBuf> = self
            .workspaces
            .iter()
            .filter(|(root, ws)| {
                path.starts_with(root) || ws.changed() || name == "dbt_project.yml"
            })
            .map(|(root, _)| root.clone())
            .collect();
        for root in roots {
            self.reload(&root);
        }
    }

    fn poll_if_due(&mut self) {
        if Instant::now() < self.next_poll {
            return;
        }
        self.next_poll = Instant::now() + POLL;
        let changed: Vec<PathBuf> = self
            .workspaces
            .iter()
            .filter(|(_, ws)| ws.changed())
            .map(|(root, _)| root.clone())
            .collect();
        for root in changed {
            self.reload(&root);
        }
    }

    fn reload(&mut self, root: &Path) {
        let workspace = Workspace::load(root);
        self.workspaces.insert(root.to_path_buf(), workspace);
        self.publish_setup_problems(root);
        for open in self.docs.values_mut() {
            if open.root == root {
                open.dirty = true;
                open.last_lint = None;
            }
        }
    }

    /// Loads the workspace of `root` on first use.
    fn ensure_workspace(&mut self, root: &Path) {
        if !self.workspaces.contains_key(root) {
            let workspace = Workspace::load(root);
            self.workspaces.insert(root.to_path_buf(), workspace);
            self.publish_setup_problems(root);
        }
    }

    /// The problems that stop `check` in a folder (a bad governance.toml, policies that do
    /// not parse), published in the files they are in (those not open: an open policy file
    /// has its own analysis), and cleared from the files they left.
    fn publish_setup_problems(&mut self, root: &Path) {
        let Some(workspace) = self.workspaces.get(root) else {
            return;
        };
        let mut by_file: HashMap<PathBuf, Vec<lsp_types::Diagnostic>> = HashMap::new();
        if let State::Stopped(problems) = &workspace.state {
            for problem in problems {
                let Some(at) = &problem.location else {
                    continue;
                };
                let path = workspace.absolute(&at.file);
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                let lines = super::text::LineIndex::new(&text);
                let start = lines.offset_of_engine(&text, at.start.line, at.start.column);
                let end = lines.offset_of_engine(&text, at.end.line, at.end.column);
                let mut message = problem.message.clone();
                if let Some(help) = &problem.help {
                    message.push_str("\nhelp: ");
                    message.push_str(help);
                }
                by_file
                    .entry(path)
                    .or_default()
                    .push(lsp_types::Diagnostic {
                        range: lines.range(&text, start, end),
                        severity: Some(DiagnosticSeverity::ERROR),
                        code: Some(lsp_types::NumberOrString::String(problem.code.clone())),
                        source: Some(analysis::SOURCE.to_owned()),
                        message,
                        ..lsp_types::Diagnostic::default()
                    });
            }
        }
        let open: HashSet<PathBuf> = self.docs.values().filter_map(|d| d.path.clone()).collect();
        let mut now = HashSet::new();
        for (path, diagnostics) in by_file {
            if open.contains(&path) {
                continue;
            }
            if let Some(uri) = uri::from_path(&path) {
                now.insert(uri.as_str().to_owned());
                self.publish(uri, diagnostics, None);
            }
        }
        let before = self.problem_uris.remove(root).unwrap_or_default();
        for gone in before.difference(&now) {
            if let Ok(uri) = Uri::from_str(gone) {
                self.publish(uri, Vec::new(), None);
            }
        }
        self.problem_uris.insert(root.to_path_buf(), now);
    }

    /// Re-lints `uri` first if an edit is still waiting, then runs `f` on it.
    fn with_fresh<T>(&mut self, uri: &Uri, f: impl FnOnce(&Server, &Open) -> T) -> Option<T> {
        if self.docs.get(uri.as_str()).is_some_and(|d| d.dirty) {
            self.lint(uri.as_str());
        }
        let open = self.docs.get(uri.as_str())?;
        Some(f(self, open))
    }

    fn next_wake(&self) -> Instant {
        let mut wake = self.next_poll;
        for open in self.docs.values().filter(|d| d.dirty) {
            let due = open
                .last_lint
                .map_or_else(Instant::now, |at| at + self.debounce);
            wake = wake.min(due);
        }
        wake
    }

    fn lint_due(&mut self) {
        let now = Instant::now();
        let due: Vec<String> = self
            .docs
            .iter()
            .filter(|(_, d)| d.dirty && d.last_lint.is_none_or(|at| at + self.debounce <= now))
            .map(|(uri, _)| uri.clone())
            .collect();
        for uri in due {
            let linted = catch_unwind(AssertUnwindSafe(|| self.lint(&uri)));
            if linted.is_err() {
                if let Some(open) = self.docs.get_mut(&uri) {
                    open.dirty = false;
                }
            }
        }
    }

    /// Analyses one open document and publishes its diagnostics.
    pub fn lint(&mut self, key: &str) {
        let Some((root, kind, path)) = self
            .docs
            .get(key)
            .map(|d| (d.root.clone(), d.kind, d.path.clone()))
        else {
            return;
        };
        if kind != Kind::Other {
            self.ensure_workspace(&root);
        }
        let unsaved: HashMap<PathBuf, String> = self
            .docs
            .values()
            .filter(|d| d.kind == Kind::Policy)
            .filter_map(|d| Some((d.path.clone()?, d.doc.text.clone())))
            .collect();
        let Some(open) = self.docs.get_mut(key) else {
            return;
        };
        let analysis = match (kind, self.workspaces.get_mut(&root)) {
            (Kind::Contract, Some(ws)) => {
                analysis::contract(ws, path.as_deref(), &open.name, &open.doc)
            }
            (Kind::Policy, ws) => analysis::policy(
                ws.map(|w| &*w),
                path.as_deref(),
                &open.name,
                &open.doc,
                &|p: &Path| unsaved.get(p).cloned(),
            ),
            (Kind::PolicyTests, Some(ws)) => analysis::policy_tests(ws, &open.name, &open.doc),
            _ => Analysis::default(),
        };
        open.analysis = analysis;
        open.dirty = false;
        open.last_lint = Some(Instant::now());
        let (uri, diagnostics, version) = (
            open.uri.clone(),
            open.analysis.diagnostics(),
            open.doc.version,
        );
        self.publish(uri, diagnostics, Some(version));
    }

    fn publish(&self, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(Outgoing::Message(Message::Notification(Notification::new(
            "textDocument/publishDiagnostics".to_owned(),
            params,
        ))));
    }

    fn ok(&self, id: RequestId, result: impl serde::Serialize) {
        let value = serde_json::to_value(result).unwrap_or(Value::Null);
        self.respond(Response {
            id,
            response_result: Ok(value),
        });
    }

    fn error(&self, id: RequestId, code: ErrorCode, message: &str) {
        self.respond(Response::new_err(id, code as i32, message.to_owned()));
    }

    fn bad_params(&self, id: RequestId, method: &str, error: &serde_json::Error) {
        self.error(
            id,
            ErrorCode::InvalidParams,
            &format!("bad `{method}` parameters: {error}"),
        );
    }

    fn respond(&self, response: Response) {
        self.send(Outgoing::Message(Message::Response(response)));
    }

    fn send(&self, message: Outgoing) {
        // The writer ends only when standard output is gone; nothing more can be said then.
        let _ = self.out.send(message);
    }
}

/// The workspace folder holding `path` (the longest that does), else the file's own
/// directory (where `check` on that file alone would look for governance.toml), else the
/// directory the server started in.
fn root_for(folders: &[PathBuf], path: Option<&Path>, started_in: &Path) -> PathBuf {
    let Some(path) = path else {
        return folders
            .first()
            .cloned()
            .unwrap_or_else(|| started_in.to_path_buf());
    };
    folders
        .iter()
        .filter(|folder| path.starts_with(folder))
        .max_by_key(|folder| folder.components().count())
        .cloned()
        .or_else(|| path.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| started_in.to_path_buf())
}
