//! Policy text → AST: pest parses the grammar into pairs, and this file turns pairs into
//! [`ast`](super::ast) nodes, compiling regexes, globs and formats on the way. Every problem is
//! collected, so one run reports all errors of a file.

mod names;

use std::sync::{Arc, LazyLock};

use pest::iterators::Pair;
use pest::pratt_parser::{Assoc, Op, PrattParser};
use pest::Parser as _;

use super::ast::{
    Bound, Category, ChangeOp, Collection, Comparison, Condition, Filter, Held, Literal, Mandatory,
    Matcher, Path, PolicyFile, Predicate, Quantifier, Raise, Rule as AstRule, SemverPart,
    Statement, Subject,
};
use super::error::{PolicyError, PolicyErrorKind};
use super::formats;
use super::quantity::Quantity;
use super::Pack;
use crate::finding::Severity;
use crate::source::{SourceFile, Span};
use crate::suggest::did_you_mean;

#[derive(pest_derive::Parser)]
#[grammar = "policy/grammar.pest"]
struct Grammar;

static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    PrattParser::new()
        .op(Op::infix(Rule::or_op, Assoc::Left))
        .op(Op::infix(Rule::and_op, Assoc::Left))
        .op(Op::prefix(Rule::not_op))
});

/// Parses one policy file, or returns every error found in it.
pub(crate) fn parse(source: &Arc<SourceFile>) -> Result<PolicyFile, Vec<PolicyError>> {
    let file = match Grammar::parse(Rule::file, source.text()) {
        Ok(mut pairs) => pairs.next(),
        Err(error) => return Err(vec![names::syntax_error(error, source)]),
    };
    let mut lowering = Lowering {
        source: source.clone(),
        errors: Vec::new(),
    };
    let mut parsed = PolicyFile::default();
    for pair in file.into_iter().flat_map(Pair::into_inner) {
        match pair.as_rule() {
            Rule::scope_decl => {
                parsed.scope_span = Some(span_of(&pair));
                parsed.scope = lowering.scope(pair);
            }
            Rule::rule => {
                if let Some(rule) = lowering.rule(pair, &parsed.scope) {
                    parsed.rules.push(rule);
                }
            }
            Rule::raise_decl => {
                if let Some(raise) = lowering.raise(pair, &parsed.scope) {
                    parsed.raises.push(raise);
                }
            }
            Rule::mandatory_line => {
                let scoped = !parsed.scope.is_empty();
                parsed.mandatory.extend(
                    pair.into_inner()
                        .filter(|p| p.as_rule() == Rule::rule_id)
                        .map(|p| Mandatory {
                            rule: p.as_str().to_owned(),
                            rule_span: span_of(&p),
                            source: source.clone(),
                            scoped,
                        }),
                );
            }
            Rule::custom_decl => parsed.custom.extend(
                pair.into_inner()
                    .filter(|p| p.as_rule() == Rule::path)
                    .map(|p| path(&p)),
            ),
            _ => {}
        }
    }
    if lowering.errors.is_empty() {
        Ok(parsed)
    } else {
        Err(lowering.errors)
    }
}

struct Lowering {
    source: Arc<SourceFile>,
    errors: Vec<PolicyError>,
}

fn span_of(pair: &Pair<'_, Rule>) -> Span {
    let span = pair.as_span();
    Span::new(span.start(), span.end())
}

impl Lowering {
    /// A pair the grammar guarantees was not there: report it instead of panicking.
    fn internal(&mut self, span: Span, what: &str) {
        self.errors.push(PolicyError::new(
            PolicyErrorKind::Syntax {
                message: format!("internal error: unexpected shape while reading {what}"),
                label: "here".to_owned(),
                help: Some(
                    "this is a bug in governance-lint; please report it with this policy"
                        .to_owned(),
                ),
            },
            self.source.clone(),
            span,
        ));
    }

    fn scope(&mut self, pair: Pair<'_, Rule>) -> Vec<String> {
        let mut domains = Vec::new();
        for inner in pair.into_inner() {
            match inner.as_rule() {
                Rule::name => domains.push(name_text(inner)),
                Rule::name_list_bracketed => domains.extend(inner.into_inner().map(name_text)),
                _ => {}
            }
        }
        domains
    }

    fn raise(&mut self, pair: Pair<'_, Rule>, scope: &[String]) -> Option<Raise> {
        let mut rule = None;
        let mut severity = None;
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::rule_id => rule = Some((part.as_str().to_owned(), span_of(&part))),
                Rule::word => match part.as_str().parse::<Severity>() {
                    Ok(level) => severity = Some(level),
                    Err(_) => self.errors.push(PolicyError::new(
                        PolicyErrorKind::UnknownSeverity {
                            found: part.as_str().to_owned(),
                            help: did_you_mean(part.as_str(), ["error", "warning", "info"]),
                        },
                        self.source.clone(),
                        span_of(&part),
                    )),
                },
                _ => {}
            }
        }
        let (rule, rule_span) = rule?;
        Some(Raise {
            rule,
            rule_span,
            severity: severity?,
            source: self.source.clone(),
            scope: scope.to_vec(),
        })
    }

    fn rule(&mut self, pair: Pair<'_, Rule>, scope: &[String]) -> Option<AstRule> {
        let span = span_of(&pair);
        let mut inner = pair
            .into_inner()
            .filter(|p| !matches!(p.as_rule(), Rule::open_brace | Rule::close_brace));
        let _keyword = inner.next();
        let Some(id) = inner.next() else {
            self.internal(span, "a rule id");
            return None;
        };
        let mut rule = AstRule {
            id: id.as_str().into(),
            id_span: span_of(&id),
            severity: Severity::Error,
            description: None,
            help: None,
            examples: Vec::new(),
            docs: None,
            mandatory: false,
            mandatory_at: None,
            enabled: true,
            statements: Vec::new(),
            source: self.source.clone(),
            span,
            scope: scope.to_vec(),
            pack: Pack::Global,
            category: None,
            change: false,
        };
        let mut written = 0;
        for item in inner {
            match item.as_rule() {
                Rule::severity_decl => {
                    if let Some(word) = item.into_inner().find(|p| p.as_rule() == Rule::word) {
                        match word.as_str().parse::<Severity>() {
                            Ok(severity) => rule.severity = severity,
                            Err(_) => self.errors.push(PolicyError::new(
                                PolicyErrorKind::UnknownSeverity {
                                    found: word.as_str().to_owned(),
                                    help: did_you_mean(word.as_str(), ["error", "warning", "info"]),
                                },
                                self.source.clone(),
                                span_of(&word),
                            )),
                        }
                    }
                }
                Rule::description_decl => rule.description = last_string(item),
                Rule::help_decl => rule.help = last_string(item).map(Into::into),
                Rule::example_decl => rule.examples.extend(last_string(item)),
                Rule::docs_decl => {
                    let at = span_of(&item);
                    if let Some(url) = last_string(item) {
                        rule.docs = self.docs_url(url, at);
                    }
                }
                Rule::mandatory_decl => rule.mandatory = true,
                Rule::category_decl => {
                    if let Some(word) = item.into_inner().find(|p| p.as_rule() == Rule::word) {
                        if let Some(category) = Category::parse(word.as_str()) {
                            rule.category = Some(category);
                        } else {
                            {
                                let names = Category::ALL.map(Category::as_str);
                                let help =
                                    did_you_mean(word.as_str(), names).unwrap_or_else(|| {
                                        format!(
                                            "the categories are {}",
                                            names
                                                .iter()
                                                .map(|n| format!("`{n}`"))
                                                .collect::<Vec<_>>()
                                                .join(", ")
                                        )
                                    });
                                self.errors.push(PolicyError::new(
                                    PolicyErrorKind::UnknownCategory {
                                        found: word.as_str().to_owned(),
                                        help,
                                    },
                                    self.source.clone(),
                                    span_of(&word),
                                ));
                            }
                        }
                    }
                }
                Rule::statement => {
                    written += 1;
                    if let Some(statement) = self.statement(item) {
                        rule.statements.push(statement);
                    }
                }
                _ => {}
            }
        }
        if written == 0 {
            self.errors.push(PolicyError::new(
                PolicyErrorKind::EmptyRule {
                    id: rule.id.to_string(),
                },
                self.source.clone(),
                rule.id_span,
            ));
        }
        rule.change = rule.statements.iter().any(Statement::is_change);
        if rule.category.is_some() && !rule.change && !rule.statements.is_empty() {
            self.errors.push(PolicyError::new(
                PolicyErrorKind::CategoryWithoutChange {
                    id: rule.id.to_string(),
                },
                self.source.clone(),
                rule.id_span,
            ));
        }
        Some(rule)
    }

    /// The URL of `docs "..."`: an absolute `https://` or `http://` URL without spaces, since
    /// reports link to it (SARIF's `helpUri`).
    fn docs_url(&mut self, url: String, at: Span) -> Option<String> {
        let scheme = ["https://", "http://"].into_iter().find(|scheme| {
            url.get(..scheme.len())
                .is_some_and(|s| s.eq_ignore_ascii_case(scheme))
        });
        let valid = scheme.is_some_and(|scheme| url.len() > scheme.len())
            && !url.chars().any(|c| c.is_whitespace() || c.is_control());
        if valid {
            return Some(url);
        }
        self.errors.push(PolicyError::new(
            PolicyErrorKind::InvalidValue {
                message: format!(
                    "`docs` needs an absolute `https://` (or `http://`) URL without spaces, found {url:?}"
                ),
            },
            self.source.clone(),
            at,
        ));
        None
    }

    fn statement(&mut self, pair: Pair<'_, Rule>) -> Option<Statement> {
        let span = span_of(&pair);
        let mut when = None;
        let mut subject = None;
        let mut subject_span = span;
        let mut negated = false;
        let mut predicate = None;
        let mut predicate_span = span;
        let mut unless = None;
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::when_clause => {
                    when = part
                        .into_inner()
                        .find(|p| p.as_rule() == Rule::condition)
                        .and_then(|c| self.condition(c));
                }
                Rule::contract_subject => {
                    subject_span = span_of(&part);
                    subject = Some(Subject::Contract);
                }
                Rule::path => {
                    subject_span = span_of(&part);
                    subject = Some(Subject::Path(path(&part)));
                }
                Rule::collection_subject => {
                    subject_span = span_of(&part);
                    subject = self.collection(part);
                }
                Rule::version_subject => {
                    subject_span = span_of(&part);
                    let mut inner = part.into_inner();
                    let part_of = inner.next().as_ref().and_then(semver_part);
                    let at = inner.next().map(|p| path(&p));
                    subject = if let (Some(part_of), Some(at)) = (part_of, at) {
                        Some(Subject::Version(part_of, at))
                    } else {
                        self.internal(subject_span, "a version subject");
                        None
                    };
                }
                Rule::unless_clause => {
                    unless = part
                        .into_inner()
                        .find(|p| p.as_rule() == Rule::condition)
                        .and_then(|c| self.condition(c));
                }
                Rule::negation => negated = true,
                Rule::kw_must | Rule::kw_when | Rule::colon => {}
                _ => {
                    predicate_span = span_of(&part);
                    predicate = self.predicate(part);
                }
            }
        }
        // `X must P unless C` is `when not C: X must P`.
        let when = match (when, unless) {
            (Some(when), Some(unless)) => Some(Condition::And(
                Box::new(when),
                Box::new(Condition::Not(Box::new(unless))),
            )),
            (None, Some(unless)) => Some(Condition::Not(Box::new(unless))),
            (when, None) => when,
        };
        match (subject, predicate) {
            (Some(subject), Some(predicate)) => Some(Statement {
                when,
                subject,
                subject_span,
                negated,
                predicate,
                predicate_span,
                span,
            }),
            _ => None,
        }
    }

    fn collection(&mut self, pair: Pair<'_, Rule>) -> Option<Subject> {
        let (collection, filters) = self.collection_parts(pair.into_inner())?;
        Some(Subject::Collection(collection, filters))
    }

    /// A collection keyword and its filters, from the pairs of a collection subject or of a
    /// quantified condition.
    fn collection_parts<'i>(
        &mut self,
        parts: impl Iterator<Item = Pair<'i, Rule>>,
    ) -> Option<(Collection, Vec<Filter>)> {
        let mut collection = None;
        let mut filters = Vec::new();
        let mut last = Span::empty(0);
        for part in parts {
            last = span_of(&part);
            let part_span = span_of(&part);
            match part.as_rule() {
                Rule::fields => collection = Some(Collection::Fields),
                Rule::output_ports => collection = Some(Collection::OutputPorts),
                Rule::input_ports => collection = Some(Collection::InputPorts),
                Rule::ports => collection = Some(Collection::Ports),
                Rule::tables | Rule::models => collection = Some(Collection::Tables),
                Rule::servers => collection = Some(Collection::Servers),
                Rule::named_filter => filters.push(Filter::Named(names(part))),
                Rule::tagged_filter => filters.push(Filter::Tagged(names(part))),
                Rule::classified_filter => filters.push(Filter::Classified(names(part))),
                Rule::in_table_filter => filters.push(Filter::InTable(names(part))),
                Rule::matching_filter => {
                    let mut globs = Vec::new();
                    for string in part.into_inner().filter(|p| p.as_rule() == Rule::string) {
                        let text = unquote(&string);
                        match globset::GlobBuilder::new(&text)
                            .case_insensitive(true)
                            .build()
                        {
                            Ok(glob) => globs.push(glob.compile_matcher()),
                            Err(error) => self.errors.push(PolicyError::new(
                                PolicyErrorKind::InvalidValue {
                                    message: format!("invalid glob `{text}`: {}", error.kind()),
                                },
                                self.source.clone(),
                                span_of(&string),
                            )),
                        }
                    }
                    filters.push(Filter::Matching(globs));
                }
                Rule::where_filter => {
                    if let Some(condition) = part
                        .into_inner()
                        .find(|p| p.as_rule() == Rule::condition)
                        .and_then(|c| self.condition(c))
                    {
                        filters.push(Filter::Where(condition));
                    }
                }
                _ => self.internal(part_span, "a subject"),
            }
        }
        if let Some(collection) = collection {
            Some((collection, filters))
        } else {
            self.internal(last, "a collection");
            None
        }
    }

    fn predicate(&mut self, pair: Pair<'_, Rule>) -> Option<Predicate> {
        let span = span_of(&pair);
        let kind = pair.as_rule();
        let mut parts = pair.into_inner().filter(|p| {
            !matches!(
                p.as_rule(),
                Rule::kw_be
                    | Rule::kw_at
                    | Rule::kw_least
                    | Rule::kw_most
                    | Rule::kw_one
                    | Rule::kw_of
                    | Rule::kw_have
                    | Rule::kw_type
                    | Rule::kw_in
                    | Rule::kw_match
                    | Rule::kw_exist
                    | Rule::kw_removed
                    | Rule::kw_added
                    | Rule::kw_change
                    | Rule::kw_lose
                    | Rule::kw_gain
                    | Rule::kw_increase
                    | Rule::kw_decrease
                    | Rule::kw_narrow
            )
        });
        let predicate = match kind {
            Rule::be_at_least | Rule::be_at_most => {
                let amount = parts.next()?;
                let bound = Bound {
                    quantity: self.amount(&amount)?,
                    written: amount
                        .as_str()
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" "),
                };
                if kind == Rule::be_at_least {
                    Predicate::AtLeast(bound)
                } else {
                    Predicate::AtMost(bound)
                }
            }
            Rule::be_one_of => Predicate::OneOf(self.list(parts.next()?)),
            Rule::be_attr => Predicate::Be(path(&parts.next()?)),
            Rule::have_type_in => {
                let types = self
                    .list(parts.next()?)
                    .iter()
                    .map(ToString::to_string)
                    .collect();
                Predicate::HaveType { types, list: true }
            }
            Rule::have_type => {
                let name = parts.next()?;
                let text = name
                    .into_inner()
                    .next()
                    .map(|p| {
                        if p.as_rule() == Rule::string {
                            unquote(&p)
                        } else {
                            p.as_str().to_owned()
                        }
                    })
                    .unwrap_or_default();
                Predicate::HaveType {
                    types: vec![text],
                    list: false,
                }
            }
            Rule::have_in => {
                let attribute = path(&parts.next()?);
                Predicate::HaveIn(attribute, self.list(parts.next()?))
            }
            Rule::have_paths => Predicate::Have(parts.map(|p| path(&p)).collect()),
            Rule::match_pred => Predicate::Match(self.matcher(parts.next()?)?),
            Rule::exist_pred => Predicate::Exist,
            Rule::be_removed => Predicate::Removed,
            Rule::be_added => Predicate::Added,
            Rule::change_pred => Predicate::Change(parts.next().as_ref().and_then(change_attr)),
            Rule::lose_pred => Predicate::Lose(held(&parts.next()?)?),
            Rule::gain_pred => Predicate::Gain(held(&parts.next()?)?),
            Rule::increase_pred | Rule::decrease_pred => {
                let mut attribute = None;
                let mut order = None;
                for part in parts {
                    match part.as_rule() {
                        Rule::change_attr => attribute = change_attr(&part),
                        Rule::order => {
                            order = part
                                .into_inner()
                                .find(|p| p.as_rule() == Rule::list)
                                .map(|list| self.list(list));
                        }
                        _ => {}
                    }
                }
                if kind == Rule::increase_pred {
                    Predicate::Increase(attribute, order)
                } else {
                    Predicate::Decrease(attribute, order)
                }
            }
            Rule::narrow_pred => Predicate::Narrow(path(&parts.next()?)),
            _ => {
                self.internal(span, "a predicate");
                return None;
            }
        };
        Some(predicate)
    }

    fn matcher(&mut self, pair: Pair<'_, Rule>) -> Option<Matcher> {
        let span = span_of(&pair);
        if pair.as_rule() == Rule::regex {
            let mut body = String::new();
            let mut case_insensitive = false;
            for part in pair.into_inner() {
                match part.as_rule() {
                    Rule::regex_body => body = part.as_str().replace("\\/", "/"),
                    Rule::regex_flags => case_insensitive = part.as_str().contains('i'),
                    _ => {}
                }
            }
            match regex::RegexBuilder::new(&body)
                .case_insensitive(case_insensitive)
                .size_limit(1 << 20)
                .build()
            {
                Ok(regex) => Some(Matcher::Regex {
                    regex,
                    source: format!("/{body}/{}", if case_insensitive { "i" } else { "" }),
                }),
                Err(error) => {
                    self.errors.push(PolicyError::new(
                        PolicyErrorKind::BadRegex {
                            detail: error
                                .to_string()
                                .lines()
                                .last()
                                .unwrap_or("")
                                .trim()
                                .trim_start_matches("error: ")
                                .to_owned(),
                        },
                        self.source.clone(),
                        span,
                    ));
                    None
                }
            }
        } else {
            let name = pair.as_str();
            if let Some(format) = formats::lookup(name) {
                Some(Matcher::Format(format))
            } else {
                let known = formats::FORMATS.iter().map(|f| f.name);
                let help = did_you_mean(name, known.clone()).unwrap_or_else(|| {
                    format!(
                        "use a /regex/ or one of: {}",
                        known
                            .map(|n| format!("`{n}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                });
                self.errors.push(PolicyError::new(
                    PolicyErrorKind::UnknownFormat {
                        name: name.to_owned(),
                        help,
                    },
                    self.source.clone(),
                    span,
                ));
                None
            }
        }
    }

    fn condition(&mut self, pair: Pair<'_, Rule>) -> Option<Condition> {
        let mut failed = false;
        let result = PRATT
            .map_primary(|primary| match primary.as_rule() {
                Rule::condition => self.condition(primary),
                Rule::comparison => self.comparison(primary),
                Rule::quantified => self.quantified(primary),
                Rule::contract_change => Some(
                    if primary.into_inner().any(|p| p.as_rule() == Rule::kw_breaks) {
                        Condition::ContractBreaks
                    } else {
                        Condition::ContractChanged
                    },
                ),
                Rule::change_comparison => {
                    let mut part_of = None;
                    let mut at = None;
                    let mut op = None;
                    for inner in primary.into_inner() {
                        match inner.as_rule() {
                            Rule::semver_part => part_of = semver_part(&inner),
                            Rule::path => at = Some(path(&inner)),
                            Rule::kw_changed => op = Some(ChangeOp::Changed),
                            Rule::kw_increased => op = Some(ChangeOp::Increased),
                            Rule::kw_decreased => op = Some(ChangeOp::Decreased),
                            _ => {}
                        }
                    }
                    Some(Condition::Changed(part_of, at?, op?))
                }
                _ => {
                    self.internal(span_of(&primary), "a condition");
                    None
                }
            })
            .map_prefix(|_, operand| operand.map(|c| Condition::Not(Box::new(c))))
            .map_infix(|left, op, right| {
                if let (Some(l), Some(r)) = (left, right) {
                    Some(if op.as_rule() == Rule::and_op {
                        Condition::And(Box::new(l), Box::new(r))
                    } else {
                        Condition::Or(Box::new(l), Box::new(r))
                    })
                } else {
                    failed = true;
                    None
                }
            })
            .parse(pair.into_inner());
        if failed {
            None
        } else {
            result
        }
    }

    /// `any fields tagged pii`: the quantifier, then the collection and its filters.
    fn quantified(&mut self, pair: Pair<'_, Rule>) -> Option<Condition> {
        let mut inner = pair.into_inner();
        let quantifier = match inner.next()?.as_rule() {
            Rule::kw_any => Quantifier::Any,
            Rule::kw_all => Quantifier::All,
            _ => Quantifier::No,
        };
        let (collection, filters) = self.collection_parts(inner)?;
        Some(Condition::Quantified(quantifier, collection, filters))
    }

    fn comparison(&mut self, pair: Pair<'_, Rule>) -> Option<Condition> {
        let mut inner = pair.into_inner().peekable();
        let previous = inner
            .next_if(|p| p.as_rule() == Rule::previous_ref)
            .is_some();
        let subject = path(&inner.next()?);
        let op = inner.next()?;
        let op_rule = op.as_rule();
        let operand = op.into_inner().find(|p| {
            !matches!(
                p.as_rule(),
                Rule::kw_is | Rule::kw_not | Rule::kw_in | Rule::kw_exists | Rule::kw_matches
            )
        });
        let comparison = match op_rule {
            Rule::exists_op => Comparison::Exists,
            Rule::is_in => Comparison::IsIn(self.list(operand?)),
            Rule::is_not_in => Comparison::IsNotIn(self.list(operand?)),
            Rule::is_eq => Comparison::Is(self.literal(operand?)?),
            Rule::is_not => Comparison::IsNot(self.literal(operand?)?),
            Rule::matches_op => Comparison::Matches(self.matcher(operand?)?),
            _ => return None,
        };
        Some(if previous {
            Condition::Previous(subject, comparison)
        } else {
            Condition::Compare(subject, comparison)
        })
    }

    fn list(&mut self, pair: Pair<'_, Rule>) -> Vec<Literal> {
        pair.into_inner().filter_map(|p| self.literal(p)).collect()
    }

    fn literal(&mut self, pair: Pair<'_, Rule>) -> Option<Literal> {
        Some(match pair.as_rule() {
            Rule::string => Literal::Str(unquote(&pair)),
            Rule::boolean => Literal::Bool(pair.as_str() == "true"),
            Rule::null => Literal::Null,
            Rule::number => Literal::Number(pair.as_str().parse().ok()?),
            Rule::percent | Rule::duration | Rule::iso_duration => {
                Literal::Quantity(self.amount(&pair)?)
            }
            _ => Literal::Str(pair.as_str().to_owned()),
        })
    }

    fn amount(&mut self, pair: &Pair<'_, Rule>) -> Option<Quantity> {
        let text = pair.as_str();
        let quantity = if pair.as_rule() == Rule::number {
            text.parse().ok().map(Quantity::Number)
        } else {
            Quantity::parse(text)
        };
        if quantity.is_none() {
            self.errors.push(PolicyError::new(
                PolicyErrorKind::InvalidValue {
                    message: format!("`{text}` is not a valid quantity"),
                },
                self.source.clone(),
                span_of(pair),
            ));
        }
        quantity
    }
}

fn path(pair: &Pair<'_, Rule>) -> Path {
    // Backticks only quote a segment; the path's text is the key names joined by dots.
    Path {
        text: pair.as_str().replace('`', ""),
        span: span_of(pair),
        quoted: pair.as_str().contains('`'),
    }
}

/// `major`, `minor` or `patch`.
fn semver_part(pair: &Pair<'_, Rule>) -> Option<SemverPart> {
    match pair.clone().into_inner().next()?.as_rule() {
        Rule::kw_major => Some(SemverPart::Major),
        Rule::kw_minor => Some(SemverPart::Minor),
        Rule::kw_patch => Some(SemverPart::Patch),
        _ => None,
    }
}

/// The attribute after `change`, `increase` or `decrease`.
fn change_attr(pair: &Pair<'_, Rule>) -> Option<Path> {
    pair.clone()
        .into_inner()
        .find(|p| p.as_rule() == Rule::path)
        .map(|p| path(&p))
}

/// What `lose` / `gain` is about: `tag pii`, or an attribute.
fn held(pair: &Pair<'_, Rule>) -> Option<Held> {
    match pair.as_rule() {
        Rule::tag_name => pair
            .clone()
            .into_inner()
            .find(|p| p.as_rule() == Rule::name)
            .map(|name| Held::Tag(name_text(name))),
        Rule::path => Some(Held::Attr(path(pair))),
        _ => None,
    }
}

fn names(pair: Pair<'_, Rule>) -> Vec<String> {
    pair.into_inner()
        .filter(|p| p.as_rule() == Rule::name_list)
        .flat_map(Pair::into_inner)
        .map(name_text)
        .collect()
}

fn name_text(pair: Pair<'_, Rule>) -> String {
    match pair.into_inner().next() {
        Some(inner) if inner.as_rule() == Rule::string => unquote(&inner),
        Some(inner) => inner.as_str().to_owned(),
        None => String::new(),
    }
}

fn last_string(pair: Pair<'_, Rule>) -> Option<String> {
    pair.into_inner()
        .filter(|p| p.as_rule() == Rule::string)
        .last()
        .map(|p| unquote(&p))
}

/// The text of a `"..."` string with `\"`, `\\`, `\n` and `\t` unescaped.
fn unquote(pair: &Pair<'_, Rule>) -> String {
    let raw = pair
        .clone()
        .into_inner()
        .next()
        .map_or("", |inner| inner.as_str());
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}
