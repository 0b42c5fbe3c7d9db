//! A progress bar on standard error for the commands that read many files (`catalog`,
//! `export`), drawn only when standard error is a terminal: logs and pipes see nothing.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Files done out of all, with what is being done.
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar for `total` files, labelled `doing` ("cataloguing"); nothing when standard
    /// error is not a terminal, or for a handful of files.
    pub fn new(total: usize, doing: &'static str) -> Self {
        if !std::io::stderr().is_terminal() || total < 2 {
            return Self { bar: None };
        }
        let bar = ProgressBar::with_draw_target(
            Some(u64::try_from(total).unwrap_or(u64::MAX)),
            ProgressDrawTarget::stderr_with_hz(10),
        );
        if let Ok(style) =
            ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} files ({eta} left)")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(doing);
        Self { bar: Some(bar) }
    }

    /// One more file done.
    pub fn tick(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    /// Says what is being done now ("writing index.html").
    pub fn doing(&self, what: &'static str) {
        if let Some(bar) = &self.bar {
            bar.set_message(what);
        }
    }

    /// Removes the bar, leaving the terminal as it was.
    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}
