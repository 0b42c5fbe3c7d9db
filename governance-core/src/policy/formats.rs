//! Named formats for `must match NAME`: each a linear-time regex compiled once per process.

use std::sync::LazyLock;

use regex::Regex;

/// A named format that `match` accepts in place of a `/regex/`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NamedFormat {
    pub name: &'static str,
    /// How a finding describes a mismatch: "is not {describe}".
    pub describe: &'static str,
    regex: &'static LazyLock<Option<Regex>>,
}

impl NamedFormat {
    pub fn is_match(&self, text: &str) -> bool {
        self.regex.as_ref().is_some_and(|re| re.is_match(text))
    }
}

macro_rules! formats {
    ($($name:literal, $describe:literal, $pattern:literal;)*) => {
        /// Every named format, for lookups and for "did you mean" suggestions.
        pub(crate) static FORMATS: &[NamedFormat] = &[
            $(NamedFormat {
                name: $name,
                describe: $describe,
                regex: {
                    static RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new($pattern).ok());
                    &RE
                },
            },)*
        ];
    };
}

formats! {
    "email", "an email address", r"^[^@\s]+@[^@\s]+\.[^@\s.]+$";
    "url", "a URL", r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^\s/?#]+[^\s]*$";
    "semver", "a semantic version", r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$";
    "snake_case", "snake_case", r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$";
    "kebab-case", "kebab-case", r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$";
    "camelCase", "camelCase", r"^[a-z][a-zA-Z0-9]*$";
    "PascalCase", "PascalCase", r"^[A-Z][a-zA-Z0-9]*$";
    "uuid", "a UUID", r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
}

/// The named format called `name`.
pub(crate) fn lookup(name: &str) -> Option<NamedFormat> {
    FORMATS.iter().find(|f| f.name == name).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_compiles_and_matches_its_example() {
        for (name, good, bad) in [
            ("email", "team@company.com", "customer_analytics_team"),
            ("url", "https://example.com/x", "example.com"),
            ("semver", "1.2.3-rc.1+build.5", "1.0"),
            ("snake_case", "customer_360", "Customer360"),
            ("kebab-case", "customer-360", "customer_360"),
            ("camelCase", "customerId", "CustomerId"),
            ("PascalCase", "CustomerId", "customerId"),
            ("uuid", "123e4567-e89b-12d3-a456-426614174000", "123"),
        ] {
            let format = lookup(name).unwrap();
            assert!(format.is_match(good), "{name} should match {good}");
            assert!(!format.is_match(bad), "{name} should not match {bad}");
        }
    }
}
