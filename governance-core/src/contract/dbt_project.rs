//! `dbt_project.yml`, as far as contracts are concerned: where the project's models live, and
//! for which folders `+contract: {enforced: true}` is set. dbt applies such a setting to every
//! model below the folder, so a `schema.yml` there describes enforced contracts even when its
//! models say nothing of it.
//!
//! ```yaml
//! name: jaffle_shop
//! model-paths: ["models"]
//! models:
//!   jaffle_shop:
//!     marts:
//!       +contract:
//!         enforced: true      # models/marts/** are contracts
//!       scratch:
//!         +contract: {enforced: false}
//! ```

use std::sync::Arc;

use super::dbt::contract_setting;
use crate::document::{self, Document, Limits, LoadError, NodeId, Syntax};
use crate::source::SourceFile;

/// The contract settings of a dbt project.
///
/// ```
/// use governance_core::{DbtProject, SourceFile};
/// let project = DbtProject::parse(&SourceFile::new(
///     "dbt_project.yml",
///     "name: shop\nmodels:\n  shop:\n    marts:\n      +contract:\n        enforced: true\n",
/// ))?;
/// assert!(project.enforces("models/marts/finance"));
/// assert!(!project.enforces("models/staging"));
/// # Ok::<(), governance_core::LoadError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DbtProject {
    name: Option<String>,
    model_paths: Vec<String>,
    /// Folder (below a model path) → enforced, in file order; the longest matching folder wins.
    settings: Vec<(Vec<String>, bool)>,
}

/// dbt configs that may be written without `+`: keys that are settings, not folders.
const CONFIG_KEYS: &[&str] = &[
    "contract",
    "materialized",
    "schema",
    "database",
    "alias",
    "tags",
    "enabled",
    "docs",
    "persist_docs",
    "meta",
    "grants",
    "group",
    "access",
    "full_refresh",
    "on_schema_change",
    "post-hook",
    "pre-hook",
];

impl DbtProject {
    /// Reads a `dbt_project.yml`.
    ///
    /// # Errors
    /// [`LoadError`] when the file is not YAML.
    pub fn parse(source: &SourceFile) -> Result<DbtProject, LoadError> {
        let source = Arc::new(SourceFile::new(source.name(), source.text()));
        let documents = document::load(&source, Syntax::Yaml, Limits::default())?;
        let Some(doc) = documents.first() else {
            return Ok(DbtProject::default());
        };
        let root = doc.root();
        let name = doc
            .get(root, "name")
            .and_then(|n| doc.scalar_text(n))
            .map(std::borrow::Cow::into_owned);
        let model_paths: Vec<String> = ["model-paths", "source-paths"]
            .iter()
            .find_map(|key| doc.get(root, key))
            .map_or_else(
                || vec!["models".to_owned()],
                |paths| {
                    doc.items(paths)
                        .iter()
                        .filter_map(|&p| doc.scalar_text(p))
                        .map(|p| p.trim().trim_matches('/').to_owned())
                        .collect()
                },
            );
        let mut project = DbtProject {
            name,
            model_paths,
            settings: Vec::new(),
        };
        if let Some(models) = doc.get(root, "models") {
            if let Some(enforced) = contract_setting(doc, models) {
                project.settings.push((Vec::new(), enforced));
            }
            for entry in doc.entries(models) {
                let key = doc.text(&entry.key);
                // The project's own models; other keys are packages (their models are not in
                // this repository) or settings.
                let ours = project.name.as_deref().is_none_or(|name| name == key);
                if ours && !is_config(key) && doc.is_map(entry.value) {
                    project.folders(doc, entry.value, &mut Vec::new());
                }
            }
        }
        Ok(project)
    }

    fn folders(&mut self, doc: &Document, node: NodeId, path: &mut Vec<String>) {
        if let Some(enforced) = contract_setting(doc, node) {
            self.settings.push((path.clone(), enforced));
        }
        for entry in doc.entries(node) {
            let key = doc.text(&entry.key);
            if !is_config(key) && doc.is_map(entry.value) {
                path.push(key.to_owned());
                self.folders(doc, entry.value, path);
                path.pop();
            }
        }
    }

    /// Whether models in `dir` (a folder relative to the project's directory, with `/`, such
    /// as `models/marts/finance`) have their contracts enforced by the project.
    #[must_use]
    pub fn enforces(&self, dir: &str) -> bool {
        let dir = dir.trim_matches('/');
        for model_path in &self.model_paths {
            let below = if dir == model_path {
                Some("")
            } else {
                dir.strip_prefix(model_path.as_str())
                    .and_then(|rest| rest.strip_prefix('/'))
            };
            let Some(below) = below else { continue };
            let folders: Vec<&str> = below.split('/').filter(|s| !s.is_empty()).collect();
            return self
                .settings
                .iter()
                .filter(|(path, _)| {
                    path.len() <= folders.len() && path.iter().zip(&folders).all(|(a, b)| a == b)
                })
                .max_by_key(|(path, _)| path.len())
                .is_some_and(|(_, enforced)| *enforced);
        }
        false
    }
}

fn is_config(key: &str) -> bool {
    key.starts_with('+') || CONFIG_KEYS.contains(&key)
}
