//! Large and hostile texts generated for the memory tests (issue 14's
//! cases), and loading one into the page as a learner's file.

use std::path::{Path, PathBuf};

use super::browser::wait_for_js;
use super::page::{choose_files, wait_text};

/// `text` in a file of this test process's scratch directory.
pub fn scratch_file(name: &str, text: &str) -> PathBuf {
    let path = super::scratch_dir("memory").join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// A seeded stream of picks below `n`.
pub fn picks(n: u64) -> impl Iterator<Item = u64> {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    std::iter::repeat_with(move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    })
}

/// Issue 14's first case: 1,000,000 characters drawn from 9,000 CJK code points (3 MB).
pub fn cjk_text() -> String {
    picks(9_000)
        .take(1_000_000)
        .map(|i| char::from_u32(0x4E00 + i as u32).unwrap())
        .collect()
}

/// Issue 14's second case: ~10 MB of 9,900 distinct words.
pub fn words_text() -> String {
    let mut text = String::with_capacity(10_000_100);
    // Every word once, then random ones.
    for i in (0..9_900).chain(picks(9_900).map(|i| i as usize)) {
        if text.len() >= 10_000_000 {
            break;
        }
        text.push_str(&format!("w{i} "));
    }
    text
}

/// Opens the page at `url` and chooses `file` as the learner's text.
pub async fn load_own_text(c: &fantoccini::Client, url: &str, file: &Path, name: &str) {
    c.goto(url).await.unwrap();
    wait_for_js(
        c,
        "document.querySelector(\"[data-testid='matrix-caption']\")",
        "the page",
    )
    .await;
    choose_files(c, &[file]).await;
    wait_text(c, "corpus-select", &format!("Your text: {name}")).await;
}
