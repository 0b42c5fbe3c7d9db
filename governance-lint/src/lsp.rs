//! The language server (`governance-lint lsp`, feature `lsp`): contracts and policies checked
//! as they are typed, with the positions the engine computes, in the editor.
//!
//! - `transport.rs`: JSON-RPC frames over standard input and output, answering malformed
//!   input instead of stopping;
//! - `server.rs`: the state and the loop (open documents, debounced lints, reloads);
//! - `workspace.rs`: one workspace folder's configuration and policies, found as `check`
//!   finds them;
//! - `analysis.rs`: findings and policy problems → diagnostics;
//! - `hover.rs`: rule documentation, what a canonical name reads, go to definition;
//! - `actions.rs`: quick fixes (a waiver skeleton, "did you mean");
//! - `text.rs`: UTF-16 positions and edits; `uri.rs`: `file:` URIs.
//!
//! docs/editors.md describes what the server offers and how each editor starts it.

mod actions;
mod analysis;
mod hover;
mod server;
mod text;
mod transport;
mod uri;
mod workspace;

/// Serves over standard input and output until the client says `exit`: `Ok(true)` when it
/// asked for `shutdown` first.
pub fn serve() -> std::io::Result<bool> {
    let transport = transport::Transport::stdio()?;
    let clean = server::run(&transport);
    transport.finish()?;
    Ok(clean)
}
