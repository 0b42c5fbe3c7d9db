//! Comparing text as policies compare it: ignoring case and surrounding spaces. Shared by the
//! policy layer (domain scopes) and evaluation (names, values).

/// Text equality ignoring case (and surrounding spaces).
pub(crate) fn same_text(a: &str, b: &str) -> bool {
    // The common cases first, without touching the text: equal ignoring ASCII case, or of
    // different lengths with nothing to trim and nothing beyond ASCII.
    if a.len() == b.len() && a.eq_ignore_ascii_case(b) {
        return true;
    }
    let padded = |s: &str| {
        s.as_bytes().first().is_some_and(u8::is_ascii_whitespace)
            || s.as_bytes().last().is_some_and(u8::is_ascii_whitespace)
    };
    let (a, b) = if padded(a) || padded(b) {
        (a.trim(), b.trim())
    } else {
        (a, b)
    };
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}
