// governance-lint for VS Code: starts `governance-lint lsp` (on PATH, or the
// `governanceLint.path` setting) for YAML and JSON contracts and `.policy` files. Everything
// else (diagnostics, hover, quick fixes, go to definition) is the server's; see
// docs/editors.md in the repository.
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration("governanceLint");
  const command = config.get("path") || "governance-lint";
  const serverOptions = {
    command,
    args: ["lsp"],
    // The client adds `--stdio`, which the server accepts.
    transport: TransportKind.stdio,
  };
  const clientOptions = {
    documentSelector: [
      { scheme: "file", language: "yaml" },
      { scheme: "file", language: "json" },
      { scheme: "file", language: "governance-policy" },
    ],
    initializationOptions: { debounceMs: config.get("debounceMs") },
  };
  client = new LanguageClient(
    "governanceLint",
    "governance-lint",
    serverOptions,
    clientOptions
  );
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start().catch((error) => {
    vscode.window.showErrorMessage(
      `governance-lint: cannot start \`${command} lsp\` (${error.message}). ` +
        "Install it with `cargo install --path .` or set `governanceLint.path`."
    );
  });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
