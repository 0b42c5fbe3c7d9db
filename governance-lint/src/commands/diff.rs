//! `governance-lint diff --against BASE`: the changelog of the selected contracts against
//! their previous versions (every change, breaking or not), for people, as JSON, or as a
//! Markdown pull-request comment. Exit code 0 unless the run stops (2).

use std::path::PathBuf;

use governance_core::{Engine, LintOptions, SourceFile};
use rayon::prelude::*;

use super::{stop, write_out, Output, EXIT_CLEAN};
use crate::args::{ColorChoice, DiffArgs, OutputFormat};
use crate::output::changelog::{self, FileChanges};
use crate::problem::Problem;
use crate::{against, discover, settings};

pub fn diff(args: &DiffArgs) -> u8 {
    let mut out = Output::human(ColorChoice::Auto);
    let setup = match settings::setup_with(&args.policy, &out.cwd, true) {
        Ok(setup) => setup,
        Err(stopped) => return stop(&out, stopped.policies.as_ref(), &stopped.problems),
    };
    let config = setup.config.as_ref();
    if args.format == crate::args::DiffFormat::Json {
        out.format = OutputFormat::Json;
    }
    let check_like = crate::args::CheckArgs {
        include: args.include.clone(),
        exclude: args.exclude.clone(),
        ..crate::args::CheckArgs::default()
    };
    let filters = match settings::filters(&check_like, config, &out.cwd) {
        Ok(filters) => filters,
        Err(discover::BadGlob(message)) => {
            return stop(
                &out,
                None,
                &[Problem::plain("usage::bad_glob", message, None)],
            );
        }
    };
    let roots = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    // No previous version over `max-file-bytes` is read, as no current one is.
    let limit = settings::max_file_bytes(config);
    // git says what changed while the tree is walked.
    let (found, based) = against::resolve_while(&args.against, &out.cwd, limit, || {
        discover::discover(&roots, &filters, false, None)
    });
    if !found.unselected.is_empty() && !settings::allow_empty(args.allow_empty, config) {
        let problems: Vec<Problem> = found.unselected.iter().map(|u| u.problem()).collect();
        return stop(&out, None, &problems);
    }
    let paired = based.and_then(|(base, changes)| {
        let pairs = base.pairs(changes, &found.files, &roots, &filters, &out.cwd, limit)?;
        Ok((base, pairs))
    });
    let (base, pairs) = match paired {
        Ok(paired) => paired,
        Err(error) => {
            return stop(
                &out,
                None,
                &[Problem::plain("usage::against", error.message, error.help)],
            );
        }
    };
    let options = LintOptions::default()
        .with_limits(settings::limits(config))
        .with_clock(settings::clock(args.today, config));
    // References are followed as `check` follows them, in both versions.
    let engine = Engine::new(setup.policies)
        .with_options(options.with_allow_urls(settings::allow_urls(config)))
        .with_resolver(crate::references::AtBase::new(&base, &out.cwd));
    let max_bytes = limit;
    let files: Vec<FileChanges> = pairs
        .pairs
        .par_iter()
        .map(|pair| changes_of(&engine, pair, max_bytes))
        .collect();
    if let Err(error) = against::finished(pairs.reading.as_deref(), &base) {
        return stop(
            &out,
            None,
            &[Problem::plain("usage::against", error.message, error.help)],
        );
    }
    let report = changelog::Changelog {
        against: base.describe(),
        files,
        unchanged: pairs.unchanged,
    };
    write_out(|w| {
        match args.format {
            crate::args::DiffFormat::Human => changelog::human(w, &report)?,
            crate::args::DiffFormat::Json => changelog::json(w, &report)?,
            crate::args::DiffFormat::Markdown => changelog::markdown(w, &report)?,
        }
        Ok(EXIT_CLEAN)
    })
}

/// The changelog of one file.
fn changes_of(engine: &Engine, pair: &against::Pair, max_bytes: u64) -> FileChanges {
    let options = engine.options();
    let mut error = None;
    let previous = pair
        .previous
        .as_ref()
        .and_then(|previous| match previous.text() {
            Ok(text) => {
                let source = std::sync::Arc::new(SourceFile::new(previous.name.as_str(), text));
                match engine.contracts(&source, options) {
                    Ok(contracts) => Some(contracts),
                    Err(e) => {
                        error = Some(format!("{} does not load: {e}", previous.name));
                        None
                    }
                }
            }
            Err(reason) => {
                error = Some(format!("{}: {reason}", previous.name));
                None
            }
        });
    let current =
        pair.current
            .as_ref()
            .and_then(|candidate| match crate::run::read(candidate, max_bytes) {
                Ok(text) => {
                    let source =
                        std::sync::Arc::new(SourceFile::new(candidate.display.as_str(), text));
                    match engine.contracts(&source, options) {
                        Ok(contracts) => Some(contracts),
                        Err(e) => {
                            error = Some(format!("{} does not load: {e}", candidate.display));
                            None
                        }
                    }
                }
                Err(_) => {
                    error = Some(format!("cannot read {}", candidate.display));
                    None
                }
            });
    let contracts = if error.is_some() {
        Vec::new()
    } else {
        engine.diff(previous.as_deref(), current.as_deref())
    };
    FileChanges {
        file: pair.display.clone(),
        previous: pair.previous.as_ref().map(|p| p.name.clone()),
        new: pair.previous.is_none(),
        deleted: pair.current.is_none(),
        error,
        contracts,
    }
}
