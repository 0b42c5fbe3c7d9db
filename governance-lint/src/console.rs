//! The process's standard output and what a person's terminal asks for: the one stdout sink
//! every command writes through (a broken pipe is success), colours, the wrap width, and the
//! one miette handler every diagnostic is drawn with.

use std::io::{self, BufWriter, IsTerminal, StdoutLock, Write};

use miette::{GraphicalReportHandler, GraphicalTheme};

use crate::args::ColorChoice;

/// Standard output, locked and buffered, as every command writes it.
///
/// A write fails as it would on the bare stream; [`Stdout::finish`] flushes and judges the
/// result, so that a broken pipe (the reader went away: `governance-lint ... | head`) is
/// success, never an error message.
pub struct Stdout {
    writer: BufWriter<StdoutLock<'static>>,
}

impl Stdout {
    pub fn lock() -> Self {
        Self {
            writer: BufWriter::new(io::stdout().lock()),
        }
    }

    /// Flushes, and judges how writing went (`written`, what the writer returned):
    /// `Ok(Some(value))` when everything was written, `Ok(None)` when the reader went away
    /// (a broken pipe is success), `Err` for any other failure.
    pub fn finish<T>(mut self, written: io::Result<T>) -> io::Result<Option<T>> {
        match written.and_then(|value| self.writer.flush().map(|()| value)) {
            Ok(value) => Ok(Some(value)),
            Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(None),
            Err(error) => Err(error),
        }
    }
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.writer.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

/// How text for people looks on one stream.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// ANSI colours (never when piped or `NO_COLOR` is set, unless asked).
    pub color: bool,
    /// Wrap width for messages.
    pub width: usize,
}

impl Style {
    /// The style of standard output for `choice`.
    pub fn stdout(choice: ColorChoice) -> Self {
        Self::on(choice, io::stdout().is_terminal())
    }

    /// The style of standard error for `choice`.
    pub fn stderr(choice: ColorChoice) -> Self {
        Self::on(choice, io::stderr().is_terminal())
    }

    fn on(choice: ColorChoice, terminal: bool) -> Self {
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        };
        Self {
            color,
            width: width(),
        }
    }

    /// miette's graphical handler with an explicit theme, no hyperlinks (no escapes at all
    /// when colours are off), this width and one line of context: every diagnostic the CLI
    /// draws (findings, problems that stop a run, policy warnings) is drawn with it.
    pub fn handler(self) -> GraphicalReportHandler {
        let theme = if self.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        GraphicalReportHandler::new_themed(theme)
            .with_links(false)
            .with_width(self.width)
            .with_context_lines(1)
            // Help text wraps between words, never inside a `code span` or at a hyphen.
            .with_word_separator(textwrap::WordSeparator::Custom(
                crate::text::code_aware_words,
            ))
            .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
    }
}

/// `COLUMNS`, else 100.
fn width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
}
