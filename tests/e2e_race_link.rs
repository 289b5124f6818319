#![cfg(not(target_arch = "wasm32"))]
//! End-to-end: a link sets up the race it was copied from — what is raced,
//! the values, the lr rule, the x axis — and the URL follows the race
//! panel's controls; a link pasted into the tab sets up its race, and a
//! garbage race field gets a notice, never a broken panel.

mod support;

use serde_json::json;
use support::browser::{assert_no_console_errors, text_of, wait_for_js, with_client, Driver};
use support::page::{dismiss_notice, notice};
use support::race::open_race_panel;
use support::static_server::StaticServer;

/// The chips' values, in order.
async fn chips(c: &fantoccini::Client) -> Vec<String> {
    let values = c
        .execute(
            "return [...document.querySelectorAll(\"[data-testid='chip']\")].map(e => e.dataset.value)",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(values).unwrap()
}

/// The shown option of select `testid`.
async fn selected(c: &fantoccini::Client, testid: &str) -> String {
    let text = c
        .execute(
            "const s = document.querySelector(`[data-testid='${arguments[0]}']`); return s.options[s.selectedIndex].textContent",
            vec![json!(testid)],
        )
        .await
        .unwrap();
    text.as_str().unwrap().to_string()
}

/// Waits until the URL's hash contains every one of `parts`.
async fn wait_hash(c: &fantoccini::Client, parts: &[&str]) {
    let checks: Vec<String> = parts
        .iter()
        .map(|p| format!("location.hash.includes({})", json!(p)))
        .collect();
    wait_for_js(
        c,
        &checks.join(" && "),
        &format!("the hash to hold {parts:?}"),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_link_sets_up_its_race_and_the_url_follows_the_race_panel() {
    let server = StaticServer::start(&support::dist_dir());
    let driver = Driver::start();
    let (url, port) = (
        server.url("/#bs=32&race=bs:8,32,128&lrrule=sqrt&xaxis=tokens"),
        driver.port,
    );
    with_client(&driver, move |c| async move {
        open_race_panel(&c, &url).await;
        assert_eq!(chips(&c).await, ["bs=8", "bs=32", "bs=128"]);
        assert_eq!(selected(&c, "race-variable-select").await, "batch size (bs)");
        assert_eq!(selected(&c, "lr-rule-select").await, "lr × √(bs / page bs)");
        assert_eq!(selected(&c, "x-axis-select").await, "tokens trained on");
        assert_eq!(notice(&c).await, "");
        // Opening a link starts no worker: the learner presses Race.
        assert_eq!(text_of(&c, "race-button").await.trim(), "Race");

        // The URL follows the panel: an x axis chosen, a chip removed.
        c.execute(
            "const s = document.querySelector(\"[data-testid='x-axis-select']\");
             s.value = '3'; s.dispatchEvent(new Event('change', { bubbles: true }));
             document.querySelector(\"[data-testid='chip'][data-value='bs=8'] [data-testid='chip-remove']\").click();",
            vec![],
        )
        .await
        .unwrap();
        wait_hash(&c, &["bs=32&", "race=bs:32,128&lrrule=sqrt&xaxis=seconds"]).await;

        // A link pasted into the tab: another variable, its values and rule.
        c.execute(
            "location.hash = '#race=scheme:pytorch,fastai-v0.7&lrrule=same&xaxis=epochs'",
            vec![],
        )
        .await
        .unwrap();
        wait_for_js(
            &c,
            "document.querySelector(\"[data-testid='chip'][data-value='scheme=fastai-v0.7']\")",
            "the scheme chips",
        )
        .await;
        assert_eq!(chips(&c).await, ["scheme=pytorch", "scheme=fastai-v0.7"]);
        assert_eq!(
            selected(&c, "race-variable-select").await,
            "fixed vs fastai-variable windows"
        );
        assert_eq!(selected(&c, "x-axis-select").await, "epochs");

        // Garbage: a notice, and the race as it was.
        c.execute("location.hash = '#race=colour:red&xaxis=sideways'", vec![])
            .await
            .unwrap();
        wait_for_js(
            &c,
            "document.querySelector(\"[data-testid='notice']\")",
            "the notice",
        )
        .await;
        let said = notice(&c).await;
        assert!(
            said.contains("race=colour:red is not what a race compares")
                && said.contains("xaxis=sideways is not one of updates, tokens, epochs, seconds"),
            "{said}"
        );
        dismiss_notice(&c).await;
        wait_hash(&c, &["race=bs:4,16,64,256&lrrule=same&xaxis=updates"]).await;
        assert_eq!(chips(&c).await, ["bs=4", "bs=16", "bs=64", "bs=256"]);
        assert_no_console_errors(port, &c).await;
    })
    .await;
}
