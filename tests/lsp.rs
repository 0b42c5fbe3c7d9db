//! The language server as an editor sees it: `governance-lint lsp` started as a child
//! process, spoken to in JSON-RPC over its standard input and output. The workspace is a copy
//! of `tests/lsp/workspace/` (a policy file and two contracts, with non-ASCII text so that
//! UTF-16 columns differ from code points and bytes). No assertion is about time: a wait for
//! a message only guards against a hung server.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use serde_json::{json, Value};

/// How long to wait for one message before deciding the server hangs.
const HANG: Duration = Duration::from_secs(120);

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    /// Messages read while waiting for another.
    backlog: Vec<Value>,
    next_id: i64,
}

impl Client {
    fn start(workspace: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_governance-lint"))
            .arg("lsp")
            .current_dir(workspace)
            .env("GOVERNANCE_LINT_TODAY", "2026-11-25")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the server starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
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
                        length = value.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("a Content-Length header")];
                reader.read_exact(&mut body).unwrap();
                let value: Value = serde_json::from_slice(&body).expect("the server sends JSON");
                if tx.send(value).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            messages,
            backlog: Vec::new(),
            next_id: 0,
        }
    }

    fn send_raw(&mut self, body: &str) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        let message = json!({"jsonrpc": "2.0", "method": method, "params": params});
        self.send_raw(&message.to_string());
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let message = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        self.send_raw(&message.to_string());
        self.wait(|m| m["id"] == id && m.get("method").is_none())
    }

    /// The first message (read before, or from now on) that `wanted` accepts.
    fn wait(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(at) = self.backlog.iter().position(&wanted) {
            return self.backlog.remove(at);
        }
        loop {
            let message = self.messages.recv_timeout(HANG).unwrap_or_else(|_| {
                panic!("the server said nothing more; read: {:#?}", self.backlog)
            });
            if wanted(&message) {
                return message;
            }
            self.backlog.push(message);
        }
    }

    /// The diagnostics published for `uri` at document version `version`.
    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let message = self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
        });
        message["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
        );
    }
}

/// A copy of `tests/lsp/workspace` in a temporary directory, with a `.git` so that nothing
/// above it is read as its configuration.
fn workspace() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    copy(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lsp/workspace"),
        &root,
    );
    std::fs::create_dir(root.join(".git")).unwrap();
    (dir, root)
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn range(value: &Value) -> [u64; 4] {
    let r = &value["range"];
    [
        r["start"]["line"].as_u64().unwrap(),
        r["start"]["character"].as_u64().unwrap(),
        r["end"]["line"].as_u64().unwrap(),
        r["end"]["character"].as_u64().unwrap(),
    ]
}

fn initialize(client: &mut Client, root: &Path) {
    let answer = client.request(
        "initialize",
        json!({
            "processId": null,
            "rootUri": uri(root),
            "workspaceFolders": [{"uri": uri(root), "name": "workspace"}],
            "capabilities": {},
            "initializationOptions": {"debounceMs": 0},
        }),
    );
    let capabilities = &answer["result"]["capabilities"];
    assert_eq!(capabilities["positionEncoding"], "utf-16");
    assert_eq!(capabilities["textDocumentSync"]["change"], 2, "incremental");
    assert_eq!(capabilities["hoverProvider"], true);
    assert_eq!(capabilities["definitionProvider"], true);
    client.notify("initialized", json!({}));
}

fn shutdown(mut client: Client) {
    let answer = client.request("shutdown", Value::Null);
    assert_eq!(answer["result"], Value::Null);
    assert!(answer.get("error").is_none(), "{answer}");
    client.notify("exit", Value::Null);
    let status = client.child.wait().unwrap();
    assert!(status.success(), "exit after shutdown is success: {status}");
}

#[test]
fn contracts_are_linted_as_typed() {
    let (_dir, root) = workspace();
    let mut client = Client::start(&root);
    initialize(&mut client, &root);

    // A violating contract: the findings of `check`, with exact UTF-16 ranges. Line 3 is
    // `owner: "équipe 😀 données"`: 26 UTF-16 units, 25 code points, 34 bytes.
    let contract = root.join("contracts/customers.yaml");
    let contract_uri = uri(&contract);
    let text = std::fs::read_to_string(&contract).unwrap();
    client.open(&contract_uri, &text);
    let found = client.diagnostics(&contract_uri, 1);
    assert_eq!(found.len(), 2, "{found:#?}");
    let owner = &found[0];
    assert_eq!(owner["code"], "owner-is-email");
    assert_eq!(owner["severity"], 2, "warning");
    assert_eq!(owner["source"], "governance-lint");
    assert_eq!(range(owner), [2, 0, 2, 26]);
    assert_eq!(
        owner["message"],
        "`owner` is `équipe 😀 données`, which is not an email address\nhelp: Use the owning team's email address, e.g. `owner: sales@company.com`."
    );
    let pii = &found[1];
    assert_eq!(pii["code"], "pii-encrypted");
    assert_eq!(pii["severity"], 1, "error");
    assert_eq!(range(pii), [6, 4, 6, 20]);

    // Hover on the finding: the rule's description, severity, help and example.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": contract_uri}, "position": {"line": 6, "character": 8}}),
    );
    let shown = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(shown.starts_with("**`pii-encrypted`** · error"), "{shown}");
    assert!(
        shown.contains("Fields that hold personal data are encrypted."),
        "{shown}"
    );
    assert!(
        shown.contains("**Help:** Set `encrypted: true` on the field."),
        "{shown}"
    );
    assert!(
        shown.contains("```yaml\n- name: email\n  encrypted: true\n```"),
        "{shown}"
    );

    // A quick fix: a waiver skeleton where a seed contract keeps waivers, expiring in 90 days.
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": contract_uri},
            "range": pii["range"],
            "context": {"diagnostics": [pii]},
        }),
    );
    let actions = actions["result"].as_array().unwrap();
    assert_eq!(actions.len(), 1, "{actions:#?}");
    assert_eq!(
        actions[0]["title"],
        "Waive `pii-encrypted` for `email` until 2027-02-23 (a waiver to complete)"
    );
    let edit = &actions[0]["edit"]["documentChanges"][0];
    assert_eq!(edit["textDocument"]["uri"], contract_uri.as_str());
    assert_eq!(range(&edit["edits"][0]), [7, 0, 7, 0]);
    assert_eq!(
        edit["edits"][0]["newText"],
        "x-governance:\n  waivers:\n    - rule: pii-encrypted\n      field: email\n      reason: TODO\n      owner: TODO\n      expires: 2027-02-23\n"
    );

    // Two incremental edits that fix both: the diagnostics are cleared.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": contract_uri, "version": 2},
            "contentChanges": [
                {"range": {"start": {"line": 2, "character": 7}, "end": {"line": 2, "character": 26}},
                 "text": "donnees@company.com"},
                {"range": {"start": {"line": 6, "character": 15}, "end": {"line": 6, "character": 20}},
                 "text": "true"},
            ],
        }),
    );
    let found = client.diagnostics(&contract_uri, 2);
    assert!(found.is_empty(), "{found:#?}");

    // A waived finding is a hint that says until when and why.
    let waived = root.join("contracts/waived.yaml");
    let waived_uri = uri(&waived);
    let waived_text = std::fs::read_to_string(&waived).unwrap();
    client.open(&waived_uri, &waived_text);
    let found = client.diagnostics(&waived_uri, 1);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["severity"], 4, "hint");
    assert_eq!(range(&found[0]), [5, 4, 5, 20]);
    assert_eq!(
        found[0]["message"],
        "field `email` is not encrypted (waived until 2027-01-15, for sales@company.com: the export is encrypted at rest until the migration)"
    );

    // Go to definition from the waiver's rule id to the policy file.
    let definition = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": waived_uri}, "position": {"line": 8, "character": 16}}),
    );
    let location = &definition["result"];
    assert_eq!(
        location["uri"],
        uri(&root.join("policies/governance.policy")).as_str()
    );
    assert_eq!(range(location), [8, 5, 8, 18]);

    // A file that is not a contract gets nothing; one that does not parse, its parse error.
    let other_uri = uri(&root.join("contracts/notes.yaml"));
    client.open(&other_uri, "title: notes\nitems: [a, b]\n");
    assert!(client.diagnostics(&other_uri, 1).is_empty());
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": contract_uri, "version": 3},
            "contentChanges": [{"text": "data_product: [oops\n"}],
        }),
    );
    let found = client.diagnostics(&contract_uri, 3);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["code"], "parse-error");

    shutdown(client);
}

#[test]
fn policies_are_checked_as_typed() {
    let (_dir, root) = workspace();
    let mut client = Client::start(&root);
    initialize(&mut client, &root);
    let policy = root.join("policies/governance.policy");
    let policy_uri = uri(&policy);
    let text = std::fs::read_to_string(&policy).unwrap();

    // An unsaved misspelling: an error at the name, with its "did you mean".
    let broken = text.replace("  owner must match email", "  ownr must match email");
    client.open(&policy_uri, &broken);
    let found = client.diagnostics(&policy_uri, 1);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["code"], "policy::unknown_name");
    assert_eq!(found[0]["severity"], 1);
    assert_eq!(range(&found[0]), [5, 2, 5, 6]);
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("unknown path `ownr`\nhelp: did you mean `owner`?"),
        "{}",
        found[0]["message"]
    );
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": policy_uri},
            "range": found[0]["range"],
            "context": {"diagnostics": [found[0]]},
        }),
    );
    let action = &actions["result"][0];
    assert_eq!(action["title"], "Replace `ownr` with `owner`");
    let edit = &action["edit"]["documentChanges"][0]["edits"][0];
    assert_eq!(edit["newText"], "owner");
    assert_eq!(range(edit), [5, 2, 5, 6]);

    // Hover on a canonical name: what each standard reads for it.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": policy_uri}, "position": {"line": 13, "character": 33}}),
    );
    let shown = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        shown.starts_with("**`encrypted`**, a canonical name"),
        "{shown}"
    );
    assert!(
        shown.contains("| every standard (on a field) | `encrypted`, `encryption`, else a non-empty `encryptedName` or `encryptedColumnName` |"),
        "{shown}"
    );
    // On a rule id in a policy: the rule as written.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": policy_uri}, "position": {"line": 8, "character": 8}}),
    );
    let shown = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(shown.starts_with("**`pii-encrypted`** · error"), "{shown}");

    // A syntax error as typed.
    let broken = text.replace("  owner must match email", "  owner should match email");
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": policy_uri, "version": 2},
            "contentChanges": [{"text": broken}],
        }),
    );
    let found = client.diagnostics(&policy_uri, 2);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["code"], "policy::syntax");
    assert_eq!(range(&found[0])[0], 5);

    shutdown(client);
}

#[test]
fn bad_input_is_answered_and_the_server_goes_on() {
    let (_dir, root) = workspace();
    let mut client = Client::start(&root);

    // Before `initialize`: refused, not crashed.
    let early = client.request("textDocument/hover", json!({}));
    assert_eq!(early["error"]["code"], -32002);
    initialize(&mut client, &root);

    client.send_raw("{not json");
    let error = client.wait(|m| m["error"]["code"] == -32700);
    assert_eq!(error["id"], Value::Null);
    client.send_raw(r#"{"jsonrpc": "2.0", "id": 99, "params": 3}"#);
    let error = client.wait(|m| m["id"] == 99);
    assert_eq!(error["error"]["code"], -32600);
    let unknown = client.request("textDocument/formatting", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    let bad = client.request("textDocument/hover", json!({"textDocument": 5}));
    assert_eq!(bad["error"]["code"], -32602);
    // A hover on a document that is not open, and a change to one: nothing, no crash.
    let nothing = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///nowhere.yaml"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(nothing["result"], Value::Null);
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "file:///nowhere.yaml", "version": 2}, "contentChanges": [{"text": "x"}]}),
    );
    // A change with a range past the end, and a huge line of emoji: still linted.
    let uri_big = uri(&root.join("contracts/big.yaml"));
    client.open(&uri_big, "data_product: p\n");
    client.diagnostics(&uri_big, 1);
    let emoji = "😀".repeat(100_000);
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": uri_big, "version": 2},
            "contentChanges": [{"range": {"start": {"line": 50, "character": 3}, "end": {"line": 99, "character": 0}},
                                "text": format!("owner: {emoji}\n")}],
        }),
    );
    let found = client.diagnostics(&uri_big, 2);
    let owner = found
        .iter()
        .find(|d| d["code"] == "owner-is-email")
        .unwrap();
    assert_eq!(range(owner), [1, 0, 1, 7 + 200_000]);

    shutdown(client);
}

#[test]
fn exit_without_shutdown_is_an_error_code() {
    let (_dir, root) = workspace();
    let mut client = Client::start(&root);
    initialize(&mut client, &root);
    client.notify("exit", Value::Null);
    let status = client.child.wait().unwrap();
    assert_eq!(status.code(), Some(1));
}

#[test]
fn contracts_are_linted_again_when_the_policies_change() {
    let (_dir, root) = workspace();
    let mut client = Client::start(&root);
    initialize(&mut client, &root);
    let contract_uri = uri(&root.join("contracts/customers.yaml"));
    let text = std::fs::read_to_string(root.join("contracts/customers.yaml")).unwrap();
    client.open(&contract_uri, &text);
    assert_eq!(client.diagnostics(&contract_uri, 1).len(), 2);

    // The owner rule is removed on disk and the client says so.
    let policy = root.join("policies/governance.policy");
    let rules = std::fs::read_to_string(&policy).unwrap();
    let pii_only = &rules[rules.find("rule pii-encrypted").unwrap()..];
    std::fs::write(&policy, pii_only).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&policy), "type": 2}]}),
    );
    let found = client.diagnostics(&contract_uri, 1);
    let codes: Vec<&Value> = found.iter().map(|d| &d["code"]).collect();
    assert_eq!(codes, ["pii-encrypted"]);

    // A governance.toml that does not load: the contract says it is not linted, and the
    // problem is shown in governance.toml.
    let config = root.join("governance.toml");
    std::fs::write(&config, "fail-on = \"sometimes\"\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&config), "type": 1}]}),
    );
    let in_config = client.wait(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri(&config).as_str()
    });
    assert_eq!(
        in_config["params"]["diagnostics"].as_array().unwrap().len(),
        1
    );
    let found = client.diagnostics(&contract_uri, 1);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("not linted: `governance-lint check` would stop here with 1 problem"),
        "{found:#?}"
    );
    shutdown(client);
}
