//! `governance-lint packs update`: fetch every `[[packs]]` entry of governance.toml and rewrite
//! governance.lock beside it.

use super::{stop, write_out, Output, EXIT_CLEAN};
use crate::args::{PacksUpdateArgs, PolicyArgs};
use crate::problem::Problem;
use crate::{packs, settings};

pub fn packs_update(args: &PacksUpdateArgs) -> u8 {
    let out = Output::human(args.color);
    let policy = PolicyArgs {
        config: args.config.clone(),
        ..PolicyArgs::default()
    };
    let config = match settings::config(&policy, &out.cwd) {
        Ok(Some(config)) => config,
        Ok(None) => {
            let problem = Problem::plain(
                "usage::no_config",
                "no `governance.toml` here or above: nothing lists packs to update",
                Some(
                    "list the packs under `[[packs]]` in governance.toml (docs/governance.md)"
                        .to_owned(),
                ),
            );
            return stop(&out, None, &[problem]);
        }
        Err(errors) => {
            let problems: Vec<Problem> = errors.into_iter().map(Problem::new).collect();
            return stop(&out, None, &problems);
        }
    };
    match packs::update(&config) {
        Ok(lines) => write_out(|w| {
            for line in &lines {
                writeln!(w, "{line}")?;
            }
            Ok(EXIT_CLEAN)
        }),
        Err(problems) => stop(&out, None, &problems),
    }
}
