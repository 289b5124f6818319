//! Reading a folder of committed JSON fixtures, shared by the native tests
//! that compare the core with a library's output.

use serde::de::DeserializeOwned;
use std::path::PathBuf;

/// Every `*.json` under `tests/fixtures/<folder>`, in file-name order.
pub fn read_fixtures<T: DeserializeOwned>(folder: &str) -> Vec<T> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(folder);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            serde_json::from_str(&std::fs::read_to_string(p).unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        })
        .collect()
}
