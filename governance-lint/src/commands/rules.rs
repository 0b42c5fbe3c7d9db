//! `governance-lint rules`: the active rules, for people or as JSON.

use super::{stop, write_out, Output, EXIT_CLEAN};
use crate::args::{ColorChoice, RulesArgs, RulesFormat};
use crate::{output, settings};

pub fn rules(args: &RulesArgs) -> u8 {
    let out = Output::human(ColorChoice::Auto);
    let policies = match settings::setup(&args.policy, &out.cwd) {
        Ok(setup) => setup.policies,
        Err(stopped) => return stop(&out, stopped.policies.as_ref(), &stopped.problems),
    };
    write_out(|w| {
        match args.format {
            RulesFormat::Human => output::human::rules(w, &policies)?,
            RulesFormat::Json => output::json::rules(w, &policies)?,
        }
        Ok(EXIT_CLEAN)
    })
}
