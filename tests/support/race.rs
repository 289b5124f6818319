//! Driving the race panel like a learner: its chips, a run's stats, and
//! the page's frame times while runs train.

use fantoccini::Client;
use serde_json::json;

use super::browser::{text_of, wait_for_js};

/// Removes every chip, then adds `bs` values, typed like a learner does.
pub async fn set_chips(c: &Client, bs: &[usize]) {
    c.execute(
        "document.querySelectorAll(\"[data-testid='chip-remove']\").forEach(b => b.click())",
        vec![],
    )
    .await
    .unwrap();
    for b in bs {
        c.execute(
            "const input = document.querySelector(\"[data-testid='chip-input']\");
             input.value = String(arguments[0]);
             input.dispatchEvent(new Event('input', { bubbles: true }));
             document.querySelector(\"[data-testid='chip-add']\").click();",
            vec![json!(b)],
        )
        .await
        .unwrap();
    }
    let shown = text_of(c, "bs-chips").await;
    for b in bs {
        assert!(shown.contains(&format!("bs={b}")), "{shown}");
    }
}

/// Starts recording requestAnimationFrame deltas (ms) in the page.
pub async fn record_frames(c: &Client) {
    c.execute(
        "window.__frames = []; let last = performance.now();
         const tick = t => { window.__frames.push(t - last); last = t; requestAnimationFrame(tick); };
         requestAnimationFrame(tick);",
        vec![],
    )
    .await
    .unwrap();
}

/// The 95th percentile and the count of the recorded frame times.
pub async fn frame_p95(c: &Client) -> (f64, usize) {
    let frames = c
        .execute("return window.__frames.slice(1)", vec![])
        .await
        .unwrap();
    let mut frames: Vec<f64> = frames
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    frames.sort_by(f64::total_cmp);
    let p95 = frames
        .get((frames.len() as f64 * 0.95) as usize)
        .copied()
        .unwrap_or(f64::NAN);
    (p95, frames.len())
}

/// A number of a run's stats line: the one before `unit` (e.g. "updates", "tokens/s").
pub async fn stat(c: &Client, bs: usize, unit: &str) -> f64 {
    let text = c
        .execute("return document.querySelector(`[data-testid='run-stats'][data-bs='${arguments[0]}']`)?.textContent ?? ''", vec![json!(bs)])
        .await
        .unwrap();
    let text = text.as_str().unwrap().replace(',', "");
    let part = text
        .split(" · ")
        .find(|p| p.ends_with(&format!(" {unit}")) || p.contains(&format!(" {unit}")))
        .unwrap_or_else(|| panic!("no {unit} in {text:?}"));
    part.split_whitespace()
        .rev()
        .find_map(|w| w.parse().ok())
        .unwrap_or_else(|| panic!("no number in {part:?}"))
}

/// Opens the page at `url` and waits for the race panel.
pub async fn open_race_panel(c: &Client, url: &str) {
    c.goto(url).await.unwrap();
    wait_for_js(
        c,
        "document.querySelector(\"[data-testid='race-button']\")",
        "the race panel",
    )
    .await;
}

/// Presses Race once it can be pressed (the text is tokenised).
pub async fn start_race(c: &Client) {
    wait_for_js(
        c,
        "document.querySelector(\"[data-testid='race-button']\")?.disabled === false",
        "the Race button to be enabled",
    )
    .await;
    super::page::click(c, "race-button").await;
}

/// Waits until run `bs` has made at least `updates` updates.
pub async fn wait_updates(c: &Client, bs: usize, updates: usize) {
    let script = format!("(document.querySelector(\"[data-testid='run-stats'][data-bs='{bs}']\")?.textContent ?? '').replace(/,/g, '').match(/^(\\d+) updates/)?.[1] >= {updates}");
    wait_for_js(c, &script, &format!("bs={bs} to make {updates} updates")).await;
}

/// The text behind run `bs`'s CSV download link (a blob: URL in the page).
pub async fn downloaded_csv(c: &Client, bs: usize) -> String {
    let card = format!("[data-testid='run-card'][data-label='bs={bs}']");
    c.execute(
        &format!("document.querySelector(\"{card} [data-testid='export-button']\").click()"),
        vec![],
    )
    .await
    .unwrap();
    let href = wait_for_js(
        c,
        &format!("document.querySelector(\"{card} [data-testid='download-csv']\")?.href"),
        "the CSV link",
    )
    .await;
    assert!(href.as_str().unwrap().starts_with("blob:"), "{href}");
    let text = c
        .execute_async(
            "fetch(arguments[0]).then(r => r.text()).then(arguments[1])",
            vec![href],
        )
        .await
        .unwrap();
    text.as_str().unwrap().to_string()
}
