//! `governance-lint new --domain D --name N`: a contract skeleton that passes the policies
//! `check` would use, written to a new file (never over an existing one), and the next steps.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use governance_core::{Engine, LintOptions, NewContract, ScaffoldStandard};

use super::{stop, write_out, Output, EXIT_CLEAN, EXIT_FINDINGS};
use crate::args::{ColorChoice, NewArgs, NewStandard};
use crate::problem::Problem;
use crate::settings;
use crate::text::{plural, printable_line};

/// A domain or name: printable, one path segment, not empty.
fn usable(text: &str) -> bool {
    !text.trim().is_empty()
        && text.trim() == text
        && !text.contains(['/', '\\'])
        && text != "."
        && text != ".."
        && !text.chars().any(char::is_control)
}

pub fn new(args: &NewArgs) -> u8 {
    let out = Output::human(ColorChoice::Auto);
    for (flag, value) in [("--domain", &args.domain), ("--name", &args.name)] {
        if !usable(value) {
            let problem = Problem::plain(
                "usage::bad_name",
                format!("`{flag} {}` is not a usable name", printable_line(value)),
                Some("use letters, digits, `_` or `-`, e.g. `--domain logistics --name shipment_tracking`".to_owned()),
            );
            return stop(&out, None, &[problem]);
        }
    }
    let setup = match settings::setup(&args.policy, &out.cwd) {
        Ok(setup) => setup,
        Err(stopped) => return stop(&out, stopped.policies.as_ref(), &stopped.problems),
    };
    let config = setup.config.as_ref();
    let used = setup.used();
    let (standard, extension) = match args.standard {
        NewStandard::Seed => (ScaffoldStandard::Seed, "yaml"),
        NewStandard::Odcs => (ScaffoldStandard::Odcs, "odcs.yaml"),
    };
    let path = args.out.clone().unwrap_or_else(|| {
        PathBuf::from("contracts")
            .join(&args.domain)
            .join(format!("{}.{extension}", args.name))
    });
    let shown = path.display().to_string();
    if path.exists() {
        let problem = Problem::plain(
            "usage::exists",
            format!("`{shown}` already exists: `new` never overwrites a file"),
            Some("choose another `--out`, or edit the existing contract".to_owned()),
        );
        return stop(&out, Some(&setup.policies), &[problem]);
    }
    let engine = Engine::new(setup.policies.clone()).with_options(
        LintOptions::default()
            .with_limits(settings::limits(config))
            .with_clock(settings::clock(None, config))
            .with_strict(settings::strict(false, config)),
    );
    let mut request = NewContract::new(&args.domain, &args.name, standard, shown.clone());
    if let Some(owner) = &args.owner {
        request = request.with_owner(owner);
    }
    let scaffold = engine.scaffold(&request);
    if !scaffold.findings.is_empty() {
        // Fail closed: a skeleton that does not pass is not written.
        let mut stderr = io::stderr().lock();
        let _ = writeln!(
            stderr,
            "error: the policies ({}) ask for something `new` cannot fill in; nothing was written:",
            used.describe()
        );
        for finding in &scaffold.findings {
            let _ = writeln!(
                stderr,
                "  {} [{}]: {}",
                finding.severity(),
                finding.rule(),
                printable_line(finding.message())
            );
        }
        let _ = writeln!(
            stderr,
            "help: write the contract from this draft and fill these in by hand:\n{}",
            scaffold.yaml
        );
        return EXIT_FINDINGS;
    }
    if let Err(error) = create(&path, &scaffold.yaml) {
        let problem = Problem::plain(
            "usage::cannot_write",
            format!("cannot write `{shown}`: {error}"),
            Some("check that the directory can be created and written to".to_owned()),
        );
        return stop(&out, Some(&setup.policies), &[problem]);
    }
    let todos = scaffold.yaml.matches("TODO").count();
    write_out(|w| {
        writeln!(
            w,
            "wrote {shown}: `{}` of the `{}` domain, passing the {} that apply ({})",
            args.name,
            args.domain,
            plural(scaffold.rules, "rule"),
            used.describe()
        )?;
        writeln!(w, "next steps:")?;
        writeln!(
            w,
            "  1. fill in the {} (the fields of the product, its description, owner and service levels)",
            plural(todos, "TODO marker")
        )?;
        writeln!(w, "  2. governance-lint check {shown}")?;
        writeln!(w, "  3. git add {shown} && git commit")?;
        Ok(EXIT_CLEAN)
    })
}

/// Writes a new file (its directory created if needed); fails if it exists, even when it
/// appeared since it was checked.
fn create(path: &Path, text: &str) -> io::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent)?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(text.as_bytes())
}
