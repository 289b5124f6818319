#![cfg(not(target_arch = "wasm32"))]
//! End-to-end: question 2's scene, "how does bs affect convergence?". A
//! press starts a real race of bs = 8 against bs = 64 (the chips, the lr
//! rule and the x axis show what it set; the URL shows the page's settings)
//! and each caption, read in the same instant as the run cards, names the
//! updates, tokens/s and ms per update the cards show; the fair-lr caption
//! restarts the race with lr × √(bs/64) and names each run's lr; the last
//! quotes the race panel's verdict, read in the same instant; the sixth
//! says what the sweep panel would train, follows a small sweep pressed
//! there and quotes its verdict. Escape leaves the panels to the learner.

mod support;

use std::time::Duration;

use batchscope::page::costs::group_digits as g;
use batchscope::page::tour::format_lr;
use batchscope::training::race::LrRule;
use fantoccini::Client;
use serde_json::json;
use support::browser::{
    assert_no_console_errors, save_screenshot, wait_for_js, with_client, Driver,
};
use support::page::{click, wait_text};
use support::static_server::StaticServer;
use support::sweep::{start_sweep, wait_sweep_done};
use support::tour::{
    assert_below, decimals, next, press_escape, tour_open, wait_caption, wait_closed, wait_hash,
};

/// A run card's numbers: (updates, tokens/s, ms/step).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Card {
    updates: usize,
    tokens_per_second: usize,
    ms_per_step: f64,
}

/// The caption and both run cards, read in one go (the race runs on).
async fn caption_and_cards(c: &Client) -> (String, Card, Card) {
    let v = c
        .execute(
            "const stats = bs => document.querySelector(`[data-testid='run-stats'][data-bs='${bs}']`)?.textContent ?? '';
             return [document.querySelector(\"[data-testid='tour-caption']\").textContent, stats(8), stats(64)];",
            vec![],
        )
        .await
        .unwrap();
    let card = |text: &str| {
        let n = decimals(text);
        assert!(
            text.contains(" updates · ") && n.len() >= 3,
            "a card with numbers: {text}"
        );
        Card {
            updates: n[0] as usize,
            tokens_per_second: n[1] as usize,
            ms_per_step: n[2],
        }
    };
    let text = |i: usize| v[i].as_str().unwrap().to_string();
    (text(0), card(&text(1)), card(&text(2)))
}

/// Waits until both runs have made at least `updates` updates.
async fn wait_updates(c: &Client, updates: usize) {
    let script = format!(
        "[8, 64].every(bs => Number((document.querySelector(`[data-testid='run-stats'][data-bs='${{bs}}']`)?.textContent ?? '').replace(/,/g, '').match(/^(\\d+) updates/)?.[1] ?? 0) >= {updates})"
    );
    wait_for_js(c, &script, &format!("both runs to make {updates} updates")).await;
}

/// The value of a `<select>`.
async fn select_value(c: &Client, testid: &str) -> String {
    c.execute(
        "return document.querySelector(`[data-testid='${arguments[0]}']`).value",
        vec![json!(testid)],
    )
    .await
    .unwrap()
    .as_str()
    .unwrap()
    .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn question_2_races_bs_8_and_64_and_narrates_the_cards() {
    let server = StaticServer::start(&support::dist_dir());
    let driver = Driver::start();
    let port = driver.port;
    let url = server.url("/#hidden=16");
    with_client(&driver, move |c| async move {
        c.goto(&url).await.unwrap();
        wait_for_js(&c, "document.querySelector(\"[data-testid='race-button']\")", "the race panel").await;
        click(&c, "tour-q2").await;

        // The race set up as the race panel's controls would.
        wait_hash(&c, &["bs=64", "bptt=35", "scheme=pytorch", "hidden=16"]).await;
        wait_text(&c, "bs-chips", "bs=8").await;
        let chips = c
            .execute("return [...document.querySelectorAll(\"[data-testid='chip']\")].map(c => c.textContent)", vec![])
            .await
            .unwrap();
        assert_eq!(chips.as_array().unwrap().len(), 2, "{chips}");
        assert_eq!(select_value(&c, "lr-rule-select").await, "0", "the same lr for both");
        assert_eq!(select_value(&c, "x-axis-select").await, "0", "x: updates");

        // Per update: the updates each card shows, and the tokens each update averages.
        wait_updates(&c, 3).await;
        wait_caption(&c, 1, 6).await;
        let (caption, small, large) = caption_and_cards(&c).await;
        for part in [
            format!("bs = 8 has made {} updates", g(small.updates)),
            format!("bs = 64 has made {} updates", g(large.updates)),
            "64 × 35 = 2,240 tokens".to_string(),
            "8 × 35 = 280".to_string(),
        ] {
            assert!(caption.contains(&part), "caption 1 says {part:?}: {caption}");
        }
        assert_below(&c, "race-results").await;

        // Per token: the x axis follows; the updates are the cards', the tokens at most bs × 35 each.
        next(&c, 2, 6).await;
        assert_eq!(select_value(&c, "x-axis-select").await, "1", "x: tokens");
        let (caption, small, large) = caption_and_cards(&c).await;
        for (bs, card) in [(8, small), (64, large)] {
            let lead = format!("bs = {bs} has read ");
            let said = caption.split(&lead).nth(1).unwrap_or_else(|| panic!("{lead} in {caption}"));
            let n = decimals(said);
            assert_eq!(n[1] as usize, card.updates, "bs = {bs}: {caption}");
            let most = card.updates * bs * 35;
            assert!(n[0] as usize <= most && n[0] as usize * 10 >= most * 9, "bs = {bs} read {} tokens in {} updates", n[0], card.updates);
        }

        // Per second: tokens/s and ms per update as the cards show them.
        next(&c, 3, 6).await;
        assert_eq!(select_value(&c, "x-axis-select").await, "3", "x: seconds");
        let (caption, small, large) = caption_and_cards(&c).await;
        for (bs, card) in [(8, small), (64, large)] {
            let part = format!("bs = {bs} trains {} tokens/s ({:.1} ms per update)", g(card.tokens_per_second), card.ms_per_step);
            assert!(caption.contains(&part), "caption 3 says {part:?}: {caption}");
        }

        // A fair lr: the race restarts with lr × √(bs / 64), each run's lr named.
        next(&c, 4, 6).await;
        assert_eq!(select_value(&c, "lr-rule-select").await, "1", "lr × √(bs / page bs)");
        let page_lr: f64 = c
            .execute("return document.querySelector(\"[data-testid='lr-input']\").value", vec![])
            .await
            .unwrap()
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        wait_updates(&c, 2).await;
        let (caption, small, large) = caption_and_cards(&c).await;
        for bs in [8, 64] {
            let part = format!("bs = {bs} trains at lr {}", format_lr(LrRule::SqrtBs.lr_for(bs, page_lr, 64)));
            assert!(caption.contains(&part), "caption 4 says {part:?}: {caption}");
        }
        assert!(caption.contains(&format!("bs = 8 has made {} updates and bs = 64 has made {} updates", g(small.updates), g(large.updates))), "{caption}");

        // What the race says so far, in the race panel's verdict.
        let caption = next(&c, 5, 6).await;
        assert!(caption.starts_with("What this race says so far"), "{caption}");
        // Read in the same instant as the race panel's verdict, which it quotes.
        wait_for_js(
            &c,
            "(v => v !== '' && document.querySelector(\"[data-testid='tour-caption']\").textContent.includes(`verdict: “${v}”`))(document.querySelector(\"[data-testid='race-verdict']\")?.textContent ?? '')",
            "the caption to quote the race's verdict",
        )
        .await;
        wait_updates(&c, 40).await;
        save_screenshot(&c, &format!("{}/tests/screenshots/tour-race.png", env!("CARGO_MANIFEST_DIR"))).await;

        // The sweep: what the panel's fields would train, then the sweep
        // as it runs, then its verdict, quoted as the race panel shows it.
        let caption = next(&c, 6, 6).await;
        assert!(
            caption.contains("bs = 1, 2, 4, 8, 16, 32, 64 and 128, each at a few lrs (×2, ×8, ×32 the lr rule's value)")
                && caption.contains("or it has read 1,000,000 tokens")
                && caption.contains("Press Sweep"),
            "{caption}"
        );
        start_sweep(&c, 4, 1, 20_000, "").await;
        wait_for_js(
            &c,
            "(t => t.startsWith('The sweep is running') || t.startsWith('What the sweep measured'))(document.querySelector(\"[data-testid='tour-caption']\").textContent)",
            "the caption to follow the sweep",
        )
        .await;
        assert!(tour_open(&c).await, "pressing Sweep keeps the scene");
        wait_sweep_done(&c, Duration::from_secs(90)).await;
        wait_for_js(
            &c,
            "(v => v !== '' && document.querySelector(\"[data-testid='tour-caption']\").textContent.includes(`in its verdict: “${v}”`))(document.querySelector(\"[data-testid='sweep-verdict']\")?.textContent ?? '')",
            "the caption to quote the sweep's verdict",
        )
        .await;
        save_screenshot(&c, &format!("{}/tests/screenshots/tour-sweep.png", env!("CARGO_MANIFEST_DIR"))).await;

        // Escape: the panels are the learner's again.
        press_escape(&c).await;
        wait_closed(&c).await;
        assert!(!tour_open(&c).await);
        wait_for_js(
            &c,
            "['race-button', 'sweep-button'].every(id => !document.querySelector(`[data-testid='${id}']`).disabled)",
            "Race and Sweep to be the learner's",
        )
        .await;
        assert_no_console_errors(port, &c).await;
    })
    .await;
}
