//! Typed access to a key/value source of settings with error messages that
//! always name the variable.

use std::fmt::Display;
use std::str::FromStr;

/// A setting that is missing or cannot be used. Its `Display` is the one line
/// the binaries print before they exit.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("invalid setting {name}: {problem}")]
pub struct SettingsError {
    /// The environment variable at fault, e.g. `JWT_SECRET`.
    pub name: &'static str,
    /// What is wrong with it, in words an operator can act on.
    pub problem: String,
}

impl SettingsError {
    pub(crate) fn new(name: &'static str, problem: impl Into<String>) -> Self {
        Self {
            name,
            problem: problem.into(),
        }
    }
}

/// Reads settings from a lookup function (the process environment in
/// production, a map in tests). Empty values count as unset, so a `.env`
/// line like `SMTP_URL=` means "use the default".
pub(crate) struct Reader<'a> {
    lookup: &'a dyn Fn(&str) -> Option<String>,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(lookup: &'a dyn Fn(&str) -> Option<String>) -> Self {
        Self { lookup }
    }

    pub(crate) fn optional(&self, name: &'static str) -> Option<String> {
        (self.lookup)(name)
            .map(|value| value.trim().to_owned())
            .filter(|value| !value.is_empty())
    }

    pub(crate) fn required(&self, name: &'static str) -> Result<String, SettingsError> {
        self.optional(name)
            .ok_or_else(|| SettingsError::new(name, "is required but not set"))
    }

    pub(crate) fn string_or(&self, name: &'static str, default: &str) -> String {
        self.optional(name).unwrap_or_else(|| default.to_owned())
    }

    /// Parses the value with `FromStr`, or returns `default` when unset.
    pub(crate) fn parse_or<T>(&self, name: &'static str, default: T) -> Result<T, SettingsError>
    where
        T: FromStr,
        T::Err: Display,
    {
        match self.optional(name) {
            None => Ok(default),
            Some(raw) => raw
                .parse()
                .map_err(|err| SettingsError::new(name, format!("cannot parse {raw:?}: {err}"))),
        }
    }

    /// A whole number within `range`, or `default` when unset.
    pub(crate) fn number_in<T>(
        &self,
        name: &'static str,
        default: T,
        range: std::ops::RangeInclusive<T>,
    ) -> Result<T, SettingsError>
    where
        T: FromStr + PartialOrd + Display + Copy,
        T::Err: Display,
    {
        let value = self.parse_or(name, default)?;
        if range.contains(&value) {
            Ok(value)
        } else {
            Err(SettingsError::new(
                name,
                format!(
                    "must be between {} and {} (got {value})",
                    range.start(),
                    range.end()
                ),
            ))
        }
    }

    pub(crate) fn bool_or(&self, name: &'static str, default: bool) -> Result<bool, SettingsError> {
        match self.optional(name).map(|v| v.to_ascii_lowercase()) {
            None => Ok(default),
            Some(v) if matches!(v.as_str(), "true" | "1" | "yes" | "on") => Ok(true),
            Some(v) if matches!(v.as_str(), "false" | "0" | "no" | "off") => Ok(false),
            Some(v) => Err(SettingsError::new(
                name,
                format!("must be true or false (got {v:?})"),
            )),
        }
    }

    /// A URL whose scheme is one of `schemes`.
    pub(crate) fn url_with_scheme(
        &self,
        name: &'static str,
        value: String,
        schemes: &[&str],
    ) -> Result<String, SettingsError> {
        let scheme_ok = schemes
            .iter()
            .any(|scheme| value.starts_with(&format!("{scheme}://")));
        if scheme_ok {
            Ok(value)
        } else {
            Err(SettingsError::new(
                name,
                format!("must be a URL starting with {}://", schemes.join(":// or ")),
            ))
        }
    }
}
