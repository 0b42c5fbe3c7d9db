//! Rendering reports: one file per output format.

pub mod human;
pub mod json;

use governance_core::{FileReport, FileStatus, Severity};

/// Totals over a run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub linted: usize,
    pub skipped: usize,
    pub failed: usize,
    pub contracts: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Summary {
    pub fn of(reports: &[FileReport]) -> Self {
        let mut summary = Summary {
            files: reports.len(),
            ..Summary::default()
        };
        for report in reports {
            match report.status {
                FileStatus::Linted => summary.linted += 1,
                FileStatus::Skipped => summary.skipped += 1,
                FileStatus::Failed => summary.failed += 1,
            }
            summary.contracts += report.contracts;
            for finding in &report.findings {
                match finding.severity() {
                    Severity::Error => summary.errors += 1,
                    Severity::Warning => summary.warnings += 1,
                    Severity::Info => summary.infos += 1,
                }
            }
        }
        summary
    }
}
