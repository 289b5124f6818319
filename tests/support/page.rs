//! Reading and driving the batchscope page the way a learner does.

use fantoccini::{Client, Locator};
use serde_json::json;

use super::browser::{text_of, wait_for_js};

/// The numbers in a text, in order.
pub fn numbers(text: &str) -> Vec<usize> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect()
}

/// The numbers in a text as the page writes them, thousands separators ignored.
fn page_numbers(text: &str) -> Vec<usize> {
    numbers(&text.replace([',', '\u{202f}', '\u{a0}'], ""))
}

/// The numbers in the text of `testid`, ignoring thousands separators.
pub async fn numbers_of(c: &Client, testid: &str) -> Vec<usize> {
    page_numbers(&text_of(c, testid).await)
}

/// Waits until the step bar shows `steps` updates and nothing pending.
pub async fn wait_steps(c: &Client, steps: usize) {
    let script = format!(
        "(t => /^{steps} updates?( |$)/.test(t) && !/training|loading/.test(t))(document.querySelector(\"[data-testid='step-count']\")?.textContent ?? '')"
    );
    wait_for_js(c, &script, &format!("{steps} updates")).await;
}

/// Waits until the element `testid` exists and its text passes `ok`;
/// returns the text. On timeout the failure says what was awaited (`what`)
/// and shows the text that was there instead.
async fn wait_for_text(c: &Client, testid: &str, what: &str, ok: impl Fn(&str) -> bool) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let text = c
            .execute("return document.querySelector(`[data-testid='${arguments[0]}']`)?.textContent ?? null", vec![json!(testid)])
            .await
            .unwrap();
        if let Some(text) = text.as_str().filter(|t| ok(t)) {
            return text.to_string();
        }
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {testid} to {what}; it says {text}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Waits until the element `testid` exists and its text contains `needle`.
pub async fn wait_text(c: &Client, testid: &str, needle: &str) -> String {
    wait_for_text(c, testid, &format!("say {needle:?}"), |t| {
        t.contains(needle)
    })
    .await
}

/// Waits until the numbers in the text of `testid` begin with `expected`
/// (panels that follow settings once they rest lag the matrix by ~120 ms,
/// and may not be on the page yet).
pub async fn wait_numbers(c: &Client, testid: &str, expected: &[usize]) {
    wait_for_text(c, testid, &format!("read {expected:?}"), |t| {
        page_numbers(t).starts_with(expected)
    })
    .await;
}

/// Chooses files in the page's file picker, as a learner does in the dialog.
pub async fn choose_files(c: &Client, paths: &[&std::path::Path]) {
    let joined = paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join("\n");
    let input = c
        .find(Locator::Css("[data-testid='file-input']"))
        .await
        .unwrap();
    input.send_keys(&joined).await.unwrap();
}

/// Opens the paste box, sets its text (with a real `input` event) and uses it.
pub async fn paste_text(c: &Client, text: &str) {
    c.execute(
        "if (!document.querySelector(\"[data-testid='paste-box']\")) document.querySelector(\"[data-testid='paste-toggle']\").click();",
        vec![],
    )
    .await
    .unwrap();
    wait_for_js(
        c,
        "document.querySelector(\"[data-testid='paste-box']\")",
        "the paste box",
    )
    .await;
    c.execute(
        "const box = document.querySelector(\"[data-testid='paste-box']\");
         box.value = arguments[0];
         box.dispatchEvent(new Event('input', { bubbles: true }));
         document.querySelector(\"[data-testid='paste-button']\").click();",
        vec![json!(text)],
    )
    .await
    .unwrap();
}

/// Sets a `<select>` or text field by `data-testid` and fires `change`.
pub async fn set_field(c: &Client, testid: &str, value: &str) {
    set_value(c, testid, value, "change").await;
}

/// Types `value` into the text field `testid` (one `input` event, as a paste).
pub async fn type_text(c: &Client, testid: &str, value: &str) {
    set_value(c, testid, value, "input").await;
}

/// Sets the value of the field `testid` and fires a bubbling `event`.
async fn set_value(c: &Client, testid: &str, value: &str, event: &str) {
    c.execute(
        "const el = document.querySelector(`[data-testid='${arguments[0]}']`);
         el.value = arguments[1];
         el.dispatchEvent(new Event(arguments[2], { bubbles: true }));",
        vec![json!(testid), json!(value), json!(event)],
    )
    .await
    .unwrap();
}

/// Clicks the element `testid`, scrolled to the middle of the window first
/// as a learner would have it: WebDriver scrolls it just into view, where
/// the sticky step toolbar may cover it.
pub async fn click(c: &Client, testid: &str) {
    let element = c
        .find(Locator::Css(&format!("[data-testid='{testid}']")))
        .await
        .unwrap();
    c.execute(
        "arguments[0].scrollIntoView({ block: 'center' })",
        vec![serde_json::to_value(&element).unwrap()],
    )
    .await
    .unwrap();
    element.click().await.unwrap();
}

/// The text of the notice bar, or "" when there is none.
pub async fn notice(c: &Client) -> String {
    let v = c
        .execute(
            "return document.querySelector(\"[data-testid='notice']\")?.textContent ?? ''",
            vec![],
        )
        .await
        .unwrap();
    v.as_str().unwrap_or("").to_string()
}

/// Dismisses the notice bar, if shown, so the next notice is read alone.
pub async fn dismiss_notice(c: &Client) {
    c.execute(
        "document.querySelector(\"[data-testid='notice'] button\")?.click()",
        vec![],
    )
    .await
    .unwrap();
}
