//! Reading and driving the tour: its captions, where they sit, and the
//! panels' numbers read at the same moment as a caption.

use fantoccini::Client;
use serde_json::{json, Value};

use super::browser::wait_for_js;
use super::page::click;

/// The caption's words and the text of each element `testids` names, read
/// in one go, so that all of them come from the same moment of the page.
pub async fn snapshot(c: &Client, testids: &[&str]) -> (String, Vec<String>) {
    let value = c
        .execute(
            "const read = id => document.querySelector(`[data-testid='${id}']`)?.textContent ?? null;
             return [read('tour-caption'), arguments[0].map(read)];",
            vec![json!(testids)],
        )
        .await
        .unwrap();
    let caption = value[0].as_str().unwrap_or("").to_string();
    let panels = value[1]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, v)| {
            v.as_str()
                .unwrap_or_else(|| panic!("no element data-testid={}", testids[i]))
                .to_string()
        })
        .collect();
    (caption, panels)
}

/// Waits until caption `number` (1-based) of `total` shows with its numbers
/// (a caption still waiting for them ends in "…"); returns its words.
pub async fn wait_caption(c: &Client, number: usize, total: usize) -> String {
    let script = format!(
        "(() => {{
            const box = document.querySelector(\"[data-testid='tour-box']\");
            const words = document.querySelector(\"[data-testid='tour-caption']\")?.textContent ?? '';
            const at = document.querySelector(\"[data-testid='tour-progress']\")?.textContent ?? '';
            return box && !box.hidden && at === 'caption {number} of {total}' && words !== '' && !words.endsWith('…') ? words : '';
        }})()"
    );
    let words = wait_for_js(c, &script, &format!("caption {number} of {total}")).await;
    words.as_str().unwrap().to_string()
}

/// Presses Next and waits for caption `number` of `total`.
pub async fn next(c: &Client, number: usize, total: usize) -> String {
    click(c, "tour-next").await;
    wait_caption(c, number, total).await
}

/// Presses Back and waits for caption `number` of `total`.
pub async fn back(c: &Client, number: usize, total: usize) -> String {
    click(c, "tour-back").await;
    wait_caption(c, number, total).await
}

/// Where the caption sits relative to the panel `panel`: (it follows the
/// panel in the page, the caption's top is at or below the panel's bottom,
/// the panel is lit, the caption lies within the window's width).
pub async fn placement(c: &Client, panel: &str) -> (bool, bool, bool, bool) {
    let v: Value = c
        .execute(
            "const panel = document.querySelector(`[data-testid='${arguments[0]}']`);
             const dock = document.querySelector(\"[data-testid='tour-dock']\");
             const p = panel.getBoundingClientRect(), d = dock.getBoundingClientRect();
             return [panel.nextElementSibling === dock, d.top >= p.bottom - 0.5,
                     getComputedStyle(panel).outlineStyle === 'solid',
                     d.left >= 0 && d.right <= window.innerWidth];",
            vec![json!(panel)],
        )
        .await
        .unwrap();
    let b = |i: usize| v[i].as_bool().unwrap();
    (b(0), b(1), b(2), b(3))
}

/// Asserts that the caption sits right below `panel`, which is lit.
pub async fn assert_below(c: &Client, panel: &str) {
    let (follows, below, lit, inside) = placement(c, panel).await;
    assert!(follows, "the caption follows the panel {panel} in the page");
    assert!(below, "the caption's top is below the panel {panel}");
    assert!(lit, "the panel {panel} is lit");
    assert!(inside, "the caption lies within the window's width");
}

/// Whether the caption box is on the page and shown.
pub async fn tour_open(c: &Client) -> bool {
    c.execute(
        "const box = document.querySelector(\"[data-testid='tour-box']\");
         return !!box && box.isConnected && !box.hidden && !!box.closest(\"[data-testid='tour-dock']\")?.isConnected;",
        vec![],
    )
    .await
    .unwrap()
    .as_bool()
    .unwrap()
}

/// Presses Escape where the focus is.
pub async fn press_escape(c: &Client) {
    c.execute(
        "(document.activeElement ?? document.body).dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));",
        vec![],
    )
    .await
    .unwrap();
}

/// The `id` of the focused element.
pub async fn focused_id(c: &Client) -> String {
    c.execute("return document.activeElement?.id ?? ''", vec![])
        .await
        .unwrap()
        .as_str()
        .unwrap_or("")
        .to_string()
}

/// Waits until the URL's hash contains every one of `fields` (`bs=128`).
pub async fn wait_hash(c: &Client, fields: &[&str]) -> String {
    let checks = fields
        .iter()
        .map(|f| format!("('&' + location.hash.slice(1) + '&').includes('&{f}&')"))
        .collect::<Vec<_>>()
        .join(" && ");
    let hash = wait_for_js(
        c,
        &format!("({checks}) ? location.hash : ''"),
        &format!("the URL to say {fields:?}"),
    )
    .await;
    hash.as_str().unwrap().to_string()
}

/// The numbers in `text`, thousands separators removed, decimals kept.
pub fn decimals(text: &str) -> Vec<f64> {
    let text = text.replace(',', "");
    let mut out = Vec::new();
    let mut current = String::new();
    for ch in text.chars().chain(std::iter::once(' ')) {
        if ch.is_ascii_digit() || (ch == '.' && !current.is_empty() && !current.contains('.')) {
            current.push(ch);
        } else if !current.is_empty() {
            out.push(current.trim_end_matches('.').parse().unwrap());
            current.clear();
        }
    }
    out
}

/// Waits until no caption shows.
pub async fn wait_closed(c: &Client) {
    wait_for_js(
        c,
        "(box => !box || !box.isConnected || box.hidden)(document.querySelector(\"[data-testid='tour-box']\"))",
        "the caption to go",
    )
    .await;
}
