//! `governance-lint lsp`: the language server, over standard input and output, until the
//! client says `exit`.

use super::{EXIT_CLEAN, EXIT_USAGE};
use crate::args::LspArgs;

/// Serves until `exit`: 0 after a `shutdown`, 1 without one (as the protocol asks), 2 when
/// standard input or output failed.
pub fn lsp(_args: &LspArgs) -> u8 {
    match crate::lsp::serve() {
        Ok(true) => EXIT_CLEAN,
        Ok(false) => 1,
        Err(error) => {
            let _ = std::io::Write::write_fmt(
                &mut std::io::stderr(),
                format_args!("error: the language server stopped: {error}\n"),
            );
            EXIT_USAGE
        }
    }
}
