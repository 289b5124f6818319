//! How the flags' values are read and checked. Each check lives in clap's
//! value parser, so a bad value is refused while the command line is read,
//! with the flag named in the message, before any file is opened.

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use std::error::Error;
use std::fmt::Display;
use std::str::FromStr;

/// One of `all`, spelled as each one displays itself: the help lists them
/// ("[possible values: …]") from the same values the core parses.
pub(crate) fn one_of<T>(all: &[T]) -> impl TypedValueParser<Value = T>
where
    T: Display + FromStr + Clone + Send + Sync + 'static,
    T::Err: Into<Box<dyn Error + Send + Sync>>,
{
    let names = all
        .iter()
        .map(|value| PossibleValue::new(value.to_string()));
    PossibleValuesParser::new(names).try_map(|name| name.parse::<T>())
}

/// A finite number above zero (learning rates, a target loss).
pub(crate) fn positive(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(x) if x > 0.0 && x.is_finite() => Ok(x),
        Ok(_) => Err("must be a positive number".into()),
        Err(e) => Err(e.to_string()),
    }
}

/// A whole number of at least 1 (threads, samples).
pub(crate) fn at_least_one(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(e) => Err(e.to_string()),
    }
}
