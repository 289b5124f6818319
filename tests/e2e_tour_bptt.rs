#![cfg(not(target_arch = "wasm32"))]
//! End-to-end: question 3's scene, "is bptt the number of unrolled cells?".
//! At 1280 px: fastai v0.7 at bptt = 70 and three real steps whose unrolled
//! counts are the core batcher's; each caption names what the unrolled view
//! shows at that moment (the count, the seq_len history, the weight shapes,
//! the rows carried over, the gradient's range); Back replays to step 2;
//! Escape hands the Step button back. At 400 px: `#tour=q3` in a link opens
//! the scene with its caption below the panel, and a pasted `#tour=q1`
//! switches scenes.

mod support;

use batchscope::data::batcher::{BatchConfig, LmBatcher, Scheme};
use batchscope::data::corpus::{Corpus, TokenLevel};
use fantoccini::Client;
use serde_json::json;
use support::browser::{
    assert_no_console_errors, cdp, save_screenshot, wait_for_js, with_client, with_client_args,
    Driver,
};
use support::page::{click, notice, wait_steps, wait_text};
use support::static_server::StaticServer;
use support::tour::{
    assert_below, back, decimals, focused_id, next, press_escape, snapshot, tour_open,
    wait_caption, wait_closed, wait_hash,
};

/// The first three unrolled counts of fastai v0.7 at bptt = 70 on the stories.
fn core_seq_lens(bs: usize) -> Vec<usize> {
    let docs = batchscope::data::corpora::documents("stories").unwrap();
    let corpus = Corpus::from_documents(&docs, TokenLevel::Char).unwrap();
    let cfg = BatchConfig {
        bs,
        bptt: 70,
        scheme: Scheme::FastaiV07,
        seed: 1,
    };
    let epoch = LmBatcher::new(&corpus, cfg).unwrap().epoch(0);
    epoch.windows[..3].iter().map(|w| w.seq_len).collect()
}

/// The unrolled count and the rows of the shown window ("reads rows a–b").
async fn unrolled(c: &Client) -> (usize, usize, usize) {
    let (_, panels) = snapshot(c, &["unrolled-count", "unroll-rule"]).await;
    let count = decimals(&panels[0])[0] as usize;
    let rows = panels[1]
        .split("reads rows ")
        .nth(1)
        .expect("the rule names the rows");
    let rows = decimals(rows);
    (count, rows[0] as usize, rows[1] as usize)
}

#[tokio::test(flavor = "multi_thread")]
async fn question_3_unrolls_three_real_steps_and_names_them() {
    let expected = core_seq_lens(32);
    let server = StaticServer::start(&support::dist_dir());
    let driver = Driver::start();
    let port = driver.port;
    let url = server.url("/#bs=32&bptt=35&scheme=pytorch&hidden=16&seed=1");
    with_client(&driver, move |c| async move {
        c.goto(&url).await.unwrap();
        wait_for_js(&c, "document.querySelector(\"[data-testid='tour-q3']\")", "the questions").await;
        click(&c, "tour-q3").await;

        // Step 1: bptt = 70, and the count is this batch's seq_len.
        let caption = wait_caption(&c, 1, 5).await;
        wait_steps(&c, 1).await;
        wait_hash(&c, &["bptt=70", "scheme=fastai-v0.7", "bs=32", "hidden=16"]).await;
        let (count, first_row, last_row) = unrolled(&c).await;
        assert_eq!(count, expected[0], "the page unrolls the core's first batch");
        assert_eq!((first_row, last_row), (0, count - 1));
        assert!(caption.contains(&format!("this batch unrolled {count} cells")), "{caption}");
        assert!(caption.contains("N(70, 5)") && caption.contains("N(35, 5)"), "{caption}");
        assert_below(&c, "unroll-view").await;

        // Step 2: the history has both counts.
        let caption = next(&c, 2, 5).await;
        wait_steps(&c, 2).await;
        let (count, _, _) = unrolled(&c).await;
        assert_eq!(count, expected[1]);
        let (_, panels) = snapshot(&c, &["seq-len-history"]).await;
        let list = format!("{}, {}", expected[0], expected[1]);
        assert!(panels[0].contains(&format!("seq_len per step: {list}")), "{}", panels[0]);
        assert!(caption.contains(&format!("Step 2 unrolled {count} cells. seq_len so far: {list}.")), "{caption}");

        // Step 3: one set of weights; its shapes follow the hidden size shown.
        let caption = next(&c, 3, 5).await;
        wait_steps(&c, 3).await;
        let (count, first_row, last_row) = unrolled(&c).await;
        assert_eq!(count, expected[2]);
        let hidden: usize = c
            .execute("return document.querySelector(\"[data-testid='hidden-select']\").selectedOptions[0].textContent", vec![])
            .await
            .unwrap()
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        let shapes = format!("weight_ih ({} × 32) and weight_hh ({} × {hidden})", 4 * hidden, 4 * hidden);
        assert!(caption.contains(&format!("Step 3: {count} cells")) && caption.contains(&shapes), "{caption}");

        // The carried state: the rows the rule sentence names.
        let caption = next(&c, 4, 5).await;
        let rows = format!("rows {first_row}–{last_row} of every stream");
        assert!(caption.contains(&rows) && caption.contains(&format!("at row {}", first_row - 1)), "{caption}");
        assert_eq!(first_row, expected[0] + expected[1], "batch 3 follows batches 1 and 2");

        // The gradient's range: the legend's numbers.
        let caption = next(&c, 5, 5).await;
        let legend = c
            .execute("return document.querySelector('.shade-legend')?.textContent ?? ''", vec![])
            .await
            .unwrap();
        let legend = legend.as_str().unwrap();
        let range = legend.split("(this step: ").nth(1).and_then(|r| r.split(')').next()).expect("the legend's range");
        let (min, max) = range.split_once(" to ").unwrap();
        assert!(caption.contains(&format!("from {max} down to {min}")), "{caption} / {legend}");
        assert!(caption.contains(&format!("at cell 1, row {first_row}")), "{caption}");
        assert_below(&c, "unroll-view").await;

        // Back to step 2 replays the same run to its second step.
        back(&c, 4, 5).await;
        back(&c, 3, 5).await;
        let caption = back(&c, 2, 5).await;
        wait_steps(&c, 2).await;
        assert_eq!(unrolled(&c).await.0, expected[1]);
        assert!(caption.contains(&format!("Step 2 unrolled {} cells", expected[1])), "{caption}");

        // Escape: the Step button is the learner's again, and nothing undoes it.
        press_escape(&c).await;
        wait_closed(&c).await;
        assert_eq!(focused_id(&c).await, "tour-q3");
        click(&c, "step-button").await;
        click(&c, "step-button").await;
        wait_steps(&c, 4).await;
        assert!(!tour_open(&c).await);
        assert_eq!(unrolled(&c).await.0, LmBatcher::new(
            &Corpus::from_documents(&batchscope::data::corpora::documents("stories").unwrap(), TokenLevel::Char).unwrap(),
            BatchConfig { bs: 32, bptt: 70, scheme: Scheme::FastaiV07, seed: 1 },
        ).unwrap().epoch(0).windows[3].seq_len);
        assert_no_console_errors(port, &c).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_link_opens_question_3_below_its_panel_on_a_phone() {
    let expected = core_seq_lens(64);
    let server = StaticServer::start(&support::dist_dir());
    let driver = Driver::start();
    let port = driver.port;
    let url = server.url("/#tour=q3&hidden=16");
    let size = vec!["--window-size=500,900".to_string()];
    with_client_args(&driver, &size, move |c| async move {
        // Headless Chromium's windows are at least 500 px wide: a phone is emulated.
        let metrics = json!({ "width": 400, "height": 900, "deviceScaleFactor": 1, "mobile": true });
        cdp(port, &c, "Emulation.setDeviceMetricsOverride", metrics).await;
        c.goto(&url).await.unwrap();
        let caption = wait_caption(&c, 1, 5).await;
        wait_steps(&c, 1).await;
        assert!(caption.contains(&format!("unrolled {} cells", expected[0])), "{caption}");
        // The URL shows the settings the scene put; the tour field is no "unknown setting".
        wait_hash(&c, &["bptt=70", "scheme=fastai-v0.7", "hidden=16"]).await;
        assert_eq!(notice(&c).await, "");
        assert_below(&c, "unroll-view").await;
        let fits = c
            .execute(
                "const d = document.querySelector(\"[data-testid='tour-dock']\").getBoundingClientRect();
                 return [window.innerWidth, document.scrollingElement.scrollWidth <= window.innerWidth, d.top >= 0 && d.bottom <= window.innerHeight];",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(fits[0], json!(400));
        assert_eq!(fits[1], json!(true), "nothing scrolls sideways");
        assert_eq!(fits[2], json!(true), "the caption is scrolled into view");
        save_screenshot(&c, &format!("{}/tests/screenshots/tour-400.png", env!("CARGO_MANIFEST_DIR"))).await;

        // A link pasted into the open tab switches to its scene.
        c.execute("location.hash = '#tour=q1'", vec![]).await.unwrap();
        wait_text(&c, "tour-box", question_1_words()).await;
        wait_caption(&c, 1, 5).await;
        assert_below(&c, "bs-meaning").await;
        assert_no_console_errors(port, &c).await;
    })
    .await;
}

fn question_1_words() -> &'static str {
    batchscope::page::tour::Question::BsMeaning.words()
}
