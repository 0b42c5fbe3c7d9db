//! YAML → [`Document`]: the fast reader for the forms contracts are written in, and
//! `saphyr-parser` for everything else.
//!
//! [`fast`] reads most contracts straight from the bytes, lending every scalar from the source;
//! when a file uses anything it does not handle (or is not valid YAML) it gives up, and
//! [`saphyr`] reads the file from the start. Both describe the document to one [`builder`], so
//! the tree is the same whichever read it, and errors are always saphyr's.

mod builder;
mod fast;
mod saphyr;

use std::sync::Arc;

use super::{Document, Limits, LoadError};
use crate::source::SourceFile;

pub(super) fn load(source: &Arc<SourceFile>, limits: Limits) -> Result<Vec<Document>, LoadError> {
    match fast::load(source, limits) {
        Some(documents) => Ok(documents),
        None => saphyr::load(source, limits),
    }
}

/// Only the fast reader: `None` when it leaves the file to saphyr.
pub(super) fn load_fast(source: &Arc<SourceFile>, limits: Limits) -> Option<Vec<Document>> {
    fast::load(source, limits)
}

/// Only saphyr, the reference the fast reader is tested against.
pub(super) fn load_saphyr(
    source: &Arc<SourceFile>,
    limits: Limits,
) -> Result<Vec<Document>, LoadError> {
    saphyr::load(source, limits)
}
