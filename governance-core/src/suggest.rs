//! "Did you mean ...?": the one place that decides which candidate is close to a misspelt word
//! (rule ids, keys, canonical names, settings).

/// "did you mean `x`?" for the candidate closest to `word`, if any is close.
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(word, candidates).map(|best| format!("did you mean `{best}`?"))
}

/// The candidate within a small edit distance of `word` (ignoring case): at most a third of
/// the candidate's length, and at least one edit. The one rule every "did you mean" of the
/// linter follows (rule ids, keys, canonical names, settings).
///
/// ```
/// assert_eq!(governance_core::closest("encryptd", ["encrypted", "masked"]), Some("encrypted"));
/// assert_eq!(governance_core::closest("zzz", ["owner"]), None);
/// ```
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&lower, &c.to_lowercase()), c))
        .filter(|(distance, c)| *distance <= (c.chars().count() / 3).max(1))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_words_are_suggested_far_ones_not() {
        assert_eq!(
            closest("encryptd", ["encrypted", "masked"]),
            Some("encrypted")
        );
        assert_eq!(closest("Owner", ["owner"]), Some("owner"));
        assert_eq!(closest("zzz", ["owner"]), None);
        assert_eq!(
            did_you_mean("fields", ["field", "port"]).as_deref(),
            Some("did you mean `field`?")
        );
    }
}
