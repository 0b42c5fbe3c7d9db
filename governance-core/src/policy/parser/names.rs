//! Readable names for grammar rules, so that a syntax error says "expected `must`" and never
//! "expected `kw_must`". The match is exhaustive: a new grammar rule must be named here.

use std::sync::Arc;

use pest::error::{ErrorVariant, InputLocation};

use super::Rule;
use crate::policy::error::{PolicyError, PolicyErrorKind};
use crate::source::{SourceFile, Span};

/// How a rule is described in "expected ..." lists.
pub(super) fn name(grammar_rule: Rule) -> &'static str {
    match grammar_rule {
        Rule::EOI => "end of file",
        Rule::WHITESPACE => "whitespace",
        Rule::COMMENT => "a comment",
        Rule::file => "a policy file",
        Rule::ident_char => "a letter, digit, `_` or `-`",
        Rule::kw_rule | Rule::rule => "`rule`",
        Rule::kw_scope | Rule::scope_decl => "`scope`",
        Rule::kw_raise | Rule::raise_decl => "`raise`",
        Rule::kw_to => "`to`",
        Rule::kw_domain => "`domain`",
        Rule::kw_domains => "`domains`",
        Rule::kw_severity | Rule::severity_decl => "`severity`",
        Rule::kw_description | Rule::description_decl => "`description`",
        Rule::kw_help | Rule::help_decl => "`help`",
        Rule::kw_example | Rule::example_decl => "`example`",
        Rule::kw_docs | Rule::docs_decl => "`docs`",
        Rule::kw_mandatory | Rule::mandatory_decl => "`mandatory`",
        Rule::kw_when | Rule::when_clause => "`when`",
        Rule::kw_must => "`must`",
        Rule::kw_not | Rule::negation | Rule::not_op => "`not`",
        Rule::kw_and | Rule::and_op => "`and`",
        Rule::kw_or | Rule::or_op => "`or`",
        Rule::cond_infix => "`and` or `or`",
        Rule::kw_is => "`is`",
        Rule::kw_in => "`in`",
        Rule::kw_be => "`be`",
        Rule::kw_have => "`have`",
        Rule::kw_type => "`type`",
        Rule::kw_match => "`match`",
        Rule::kw_matches | Rule::matches_op => "`matches`",
        Rule::kw_exist | Rule::exist_pred => "`exist`",
        Rule::kw_exists | Rule::exists_op => "`exists`",
        Rule::kw_at => "`at`",
        Rule::kw_least => "`least`",
        Rule::kw_most => "`most`",
        Rule::kw_one => "`one`",
        Rule::kw_of => "`of`",
        Rule::kw_contract | Rule::contract_subject => "`contract`",
        Rule::kw_fields | Rule::fields => "`fields`",
        Rule::kw_output | Rule::output_ports => "`output ports`",
        Rule::kw_input | Rule::input_ports => "`input ports`",
        Rule::kw_ports | Rule::ports => "`ports`",
        Rule::kw_tables | Rule::tables => "`tables`",
        Rule::kw_models | Rule::models => "`models`",
        Rule::kw_servers | Rule::servers => "`servers`",
        Rule::kw_table => "`table`",
        Rule::kw_model => "`model`",
        Rule::kw_named | Rule::named_filter => "`named`",
        Rule::kw_matching | Rule::matching_filter => "`matching`",
        Rule::kw_tagged | Rule::tagged_filter => "`tagged`",
        Rule::kw_classified | Rule::classified_filter => "`classified as`",
        Rule::kw_as => "`as`",
        Rule::kw_where | Rule::where_filter => "`where`",
        Rule::kw_any => "`any`",
        Rule::kw_all => "`all`",
        Rule::kw_no => "`no`",
        Rule::quantified => "`any`, `all` or `no` and a collection (`any fields tagged pii`)",
        Rule::kw_custom | Rule::custom_decl => "`custom names`",
        Rule::kw_names => "`names`",
        Rule::in_table_filter => "`in table`",
        Rule::reserved => "a keyword",
        Rule::name_list_bracketed => "a `[...]` list of names",
        Rule::rule_id => "a rule id",
        Rule::open_brace => "`{`",
        Rule::close_brace => "`}`",
        Rule::colon => "`:`",
        Rule::rule_item => "a rule setting or a statement",
        Rule::word => "a word",
        Rule::statement => "a statement",
        Rule::subject => "a subject (`contract`, `fields`, `output ports`, or a path)",
        Rule::collection_subject | Rule::collection => {
            "`fields`, `output ports`, `input ports`, `ports`, `tables`, `models` or `servers`"
        }
        Rule::filter => "a filter (`named`, `matching`, `tagged`, `where`...)",
        Rule::name_list => "a list of names",
        Rule::name | Rule::bare_name => "a name",
        Rule::predicate => "a predicate (`be`, `have`, `match`, `exist`, `change`, `lose`...)",
        Rule::be_at_least => "`be at least`",
        Rule::be_at_most => "`be at most`",
        Rule::be_one_of => "`be one of`",
        Rule::be_attr => "`be ATTRIBUTE`",
        Rule::have_type_in => "`have type in`",
        Rule::have_type => "`have type`",
        Rule::have_paths => "`have PATH`",
        Rule::have_in => "`have PATH in [...]`",
        Rule::match_pred => "`match`",
        Rule::type_name => "a type name",
        Rule::statement_start => "the start of a statement",
        Rule::amount => "a quantity (`99.9%`, `1 hour`, `PT30M`) or a number",
        Rule::matcher => "a `/regex/` or a format name (`email`, `semver`...)",
        Rule::format_name => "a format name",
        Rule::condition => "a condition",
        Rule::cond_operand | Rule::cond_primary => "a condition",
        Rule::comparison => "a comparison (`PATH is VALUE`, `PATH exists`...)",
        Rule::comparator => "`is`, `is not`, `is in`, `exists` or `matches`",
        Rule::is_not_in => "`is not in`",
        Rule::is_in => "`is in`",
        Rule::is_not => "`is not`",
        Rule::is_eq => "`is`",
        Rule::list => "a `[...]` list",
        Rule::value => "a value",
        Rule::boolean => "`true` or `false`",
        Rule::null => "`null`",
        Rule::bare_word => "a word",
        Rule::number => "a number",
        Rule::quantity => "a quantity",
        Rule::percent => "a percentage",
        Rule::duration => "a duration",
        Rule::duration_amount => "a number",
        Rule::unit => "a unit (`%`, `s`, `minutes`, `hours`, `days`...)",
        Rule::iso_duration => "an ISO 8601 duration",
        Rule::string => "a \"string\"",
        Rule::string_inner => "string text",
        Rule::regex => "a `/regex/`",
        Rule::regex_body => "a regex",
        Rule::regex_flags => "regex flags",
        Rule::path => "a path (`owner`, `sla.availability`)",
        Rule::segment => "a key name",
        Rule::kw_category | Rule::category_decl => "`category`",
        Rule::kw_unless | Rule::unless_clause => "`unless`",
        Rule::kw_previous | Rule::previous_ref => "`previous`",
        Rule::kw_removed => "`removed`",
        Rule::kw_added => "`added`",
        Rule::kw_change | Rule::change_pred => "`change`",
        Rule::kw_lose | Rule::lose_pred => "`lose`",
        Rule::kw_gain | Rule::gain_pred => "`gain`",
        Rule::kw_increase | Rule::increase_pred => "`increase`",
        Rule::kw_decrease | Rule::decrease_pred => "`decrease`",
        Rule::kw_narrow | Rule::narrow_pred => "`narrow`",
        Rule::kw_tag | Rule::tag_name => "`tag`",
        Rule::kw_changed => "`changed`",
        Rule::kw_increased => "`increased`",
        Rule::kw_decreased => "`decreased`",
        Rule::kw_breaks => "`breaks`",
        Rule::kw_major => "`major`",
        Rule::kw_minor => "`minor`",
        Rule::kw_patch => "`patch`",
        Rule::semver_part => "`major`, `minor` or `patch`",
        Rule::version_subject => "a version number (`major version`)",
        Rule::mandatory_line => "`mandatory`",
        Rule::be_removed => "`be removed`",
        Rule::be_added => "`be added`",
        Rule::order => "`in [...]` (an order, lowest first)",
        Rule::change_attr => "an attribute",
        Rule::contract_change => "`contract changed` or `contract breaks`",
        Rule::change_comparison => "`PATH changed`, `PATH increased` or `PATH decreased`",
    }
}

/// A pest error as a [`PolicyError::Syntax`]: what was found and what would have been accepted.
pub(super) fn syntax_error(
    error: pest::error::Error<Rule>,
    source: &Arc<SourceFile>,
) -> PolicyError {
    let text = source.text();
    let offset = match error.location {
        InputLocation::Pos(at) => at,
        InputLocation::Span((start, _)) => start,
    };
    let found = found_at(text, offset);
    let mut expected: Vec<&'static str> = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            positives.iter().map(|r| name(*r)).collect()
        }
        ErrorVariant::CustomError { .. } => Vec::new(),
    };
    expected.dedup();
    let mut unique: Vec<&'static str> = Vec::new();
    for item in expected {
        if !unique.contains(&item) {
            unique.push(item);
        }
    }
    let expected_text = join_or(&unique);
    let found_text = match found {
        Some(token) => format!("`{token}`"),
        None => "the end of the file".to_owned(),
    };
    let message = if expected_text.is_empty() {
        format!("unexpected {found_text}")
    } else {
        format!("expected {expected_text}, found {found_text}")
    };
    let length = found.map_or(0, str::len);
    PolicyError::new(
        PolicyErrorKind::Syntax {
            message,
            label: "unexpected here".to_owned(),
            help: hint(found, &unique),
        },
        source.clone(),
        Span::new(offset, offset + length),
    )
}

/// The word or character at `offset`.
fn found_at(text: &str, offset: usize) -> Option<&str> {
    let rest = text.get(offset..)?;
    let first = rest.chars().next()?;
    let length = if first.is_alphanumeric() || first == '_' {
        rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len())
    } else {
        first.len_utf8()
    };
    rest.get(..length)
}

fn join_or(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// A nudge for the mistakes people make most.
fn hint(found: Option<&str>, expected: &[&str]) -> Option<String> {
    let wants = |what: &str| expected.contains(&what);
    match found {
        Some("should" | "shall" | "needs" | "need") if wants("`must`") => {
            Some("statements read `SUBJECT must PREDICATE`".to_owned())
        }
        Some("\n" | "}") if wants("`be`") || wants("a predicate (`be`, `have`, `match`, `exist`, `change`, `lose`...)") => {
            Some("finish the statement: `must be ...`, `must have ...`, `must match ...` or `must exist`".to_owned())
        }
        _ => None,
    }
}
