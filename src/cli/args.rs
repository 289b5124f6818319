//! A tiny argument parser: `VERB --name value [value…] --switch`.
//!
//! Why not clap: the CLI has a handful of flags, and the core should build in
//! seconds; every error still comes back as one readable line.

use std::collections::BTreeMap;
use std::str::FromStr;

/// Parsed command line: an optional verb and `--name` → values.
#[derive(Debug, Default, Clone)]
pub struct Args {
    pub verb: Option<String>,
    flags: BTreeMap<String, Vec<String>>,
}

impl Args {
    pub fn parse(argv: &[String]) -> Result<Args, String> {
        let mut args = Args::default();
        let mut current: Option<String> = None;
        for word in argv {
            if let Some(name) = word.strip_prefix("--") {
                if name.is_empty() {
                    return Err("empty option `--`".into());
                }
                // Accept both `--bs 64` and `--bs=64`.
                let (name, inline) = match name.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_string())),
                    None => (name, None),
                };
                let values = args.flags.entry(name.to_string()).or_default();
                if let Some(v) = inline {
                    values.push(v);
                }
                current = Some(name.to_string());
            } else if let Some(name) = &current {
                args.flags
                    .get_mut(name)
                    .expect("flag just inserted")
                    .push(word.clone());
            } else if args.verb.is_none() {
                args.verb = Some(word.clone());
            } else {
                return Err(format!("unexpected argument `{word}`"));
            }
        }
        Ok(args)
    }

    /// True when `--name` was given (with or without values).
    pub fn flag(&self, name: &str) -> bool {
        self.flags.contains_key(name)
    }

    /// All values given after `--name` (e.g. several corpus files).
    pub fn values(&self, name: &str) -> &[String] {
        self.flags.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The single value of `--name`, if given.
    pub fn value(&self, name: &str) -> Result<Option<&str>, String> {
        match self.flags.get(name).map(Vec::as_slice) {
            None => Ok(None),
            Some([one]) => Ok(Some(one.as_str())),
            Some([]) => Err(format!("--{name} needs a value")),
            Some(_) => Err(format!("--{name} takes one value")),
        }
    }

    /// `--name` parsed as `T`, or `default` when absent.
    pub fn get<T: FromStr>(&self, name: &str, default: T) -> Result<T, String> {
        match self.value(name)? {
            None => Ok(default),
            Some(text) => text
                .parse()
                .map_err(|_| format!("--{name}: cannot read `{text}`")),
        }
    }

    /// The whole number after `--name`, which `verb` cannot do without.
    pub fn whole_number(&self, verb: &str, name: &str) -> Result<usize, String> {
        match self.value(name)? {
            None => Err(format!("{verb} needs --{name} N (try --help)")),
            Some(text) => text
                .parse()
                .map_err(|_| format!("--{name}: cannot read `{text}` as a whole number ≥ 0")),
        }
    }

    /// `--name` parsed with the type's own `FromStr` message (which lists
    /// the valid choices for schemes, token levels and optimizers).
    pub fn parsed<T: FromStr>(&self, name: &str) -> Result<Option<T>, String>
    where
        T::Err: std::fmt::Display,
    {
        self.value(name)?
            .map(|text| text.parse::<T>().map_err(|e| format!("--{name}: {e}")))
            .transpose()
    }

    /// `--name` as a comma-separated list (`--bs 16,64`), or `default`.
    pub fn get_list<T: FromStr>(&self, name: &str, default: Vec<T>) -> Result<Vec<T>, String> {
        match self.value(name)? {
            None => Ok(default),
            Some(text) => text
                .split(',')
                .map(|part| {
                    part.trim()
                        .parse()
                        .map_err(|_| format!("--{name}: cannot read `{part}`"))
                })
                .collect(),
        }
    }

    /// Fails on any flag not in `known`, so typos are not silently ignored.
    pub fn only(&self, known: &[&str]) -> Result<(), String> {
        match self
            .flags
            .keys()
            .find(|k| !known.contains(&k.as_str()) && *k != "help")
        {
            Some(unknown) => Err(format!("unknown option --{unknown}")),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests;
