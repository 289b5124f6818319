#![cfg(not(target_arch = "wasm32"))]
//! End-to-end: the page read on a phone (400 px) and a laptop (1280 px): no
//! sideways scrolling, the lens magnifies the core's batch, the number boxes
//! and sliders agree, and a link pasted into the tab applies its settings.

mod support;

use batchscope::data::batcher::{BatchConfig, LmBatcher, Scheme};
use batchscope::data::corpus::{Corpus, TokenLevel};
use fantoccini::Client;
use serde_json::json;
use support::browser::{
    assert_no_console_errors, cdp, save_screenshot, set_slider, text_of, wait_for_js,
    with_client_args, Driver,
};
use support::page::{click, set_field, wait_text};
use support::static_server::StaticServer;

/// The lens's columns read top to bottom, one string per column.
async fn lens_columns(c: &Client) -> Vec<String> {
    let value = c
        .execute(
            "const rows = [...document.querySelectorAll(\"[data-testid='batch-lens'] tbody tr\")];
             const n = rows.length ? rows[0].querySelectorAll('td').length : 0;
             return [...Array(n).keys()].map(j => rows.map(r => r.querySelectorAll('td')[j].textContent).join(''));",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(value).unwrap()
}

async fn no_sideways_scroll(c: &Client, what: &str) {
    let widths = c
        .execute(
            "return [document.scrollingElement.scrollWidth, window.innerWidth]",
            vec![],
        )
        .await
        .unwrap();
    let (scroll, inner) = (widths[0].as_u64().unwrap(), widths[1].as_u64().unwrap());
    assert!(
        scroll <= inner,
        "{what}: the page scrolls sideways ({scroll} > {inner})"
    );
}

async fn check_page(width: u32, screenshot: &'static str) {
    let server = StaticServer::start(&support::dist_dir());
    let driver = Driver::start();
    let port = driver.port;
    let url = server.url("/#bs=64&bptt=70&scheme=pytorch&seed=1&hidden=16");
    let size = vec![format!("--window-size={width},900")];
    with_client_args(&driver, &size, move |c| async move {
        // Headless Chromium's windows are at least 500 px wide: a phone's
        // width is emulated, as DevTools' device mode does.
        let metrics =
            json!({ "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600 });
        cdp(port, &c, "Emulation.setDeviceMetricsOverride", metrics).await;
        c.goto(&url).await.unwrap();
        wait_for_js(
            &c,
            "document.querySelector(\"[data-testid='batch-lens'] tbody tr\")",
            "the lens",
        )
        .await;
        let inner = c.execute("return window.innerWidth", vec![]).await.unwrap();
        assert_eq!(inner, json!(width), "window width");
        no_sideways_scroll(&c, &format!("{width} px")).await;

        // The lens is the core's first batch: each column is a stream's
        // input read down, then its last target.
        let corpus = Corpus::from_documents(
            &batchscope::data::corpora::documents("stories").unwrap(),
            TokenLevel::Char,
        )
        .unwrap();
        let epoch = LmBatcher::new(
            &corpus,
            BatchConfig {
                bs: 64,
                bptt: 70,
                scheme: Scheme::Pytorch,
                seed: 1,
            },
        )
        .unwrap()
        .epoch(0);
        let w = epoch.windows[0];
        let columns = lens_columns(&c).await;
        assert_eq!(columns.len(), 8, "the first 8 streams");
        for (j, column) in columns.iter().enumerate() {
            let (input, target) = epoch.sequence(&w, j);
            assert_eq!(
                *column,
                corpus.display(&input) + &corpus.display(&target[target.len() - 1..]),
                "stream {j}"
            );
        }
        assert!(
            text_of(&c, "matrix-column-labels")
                .await
                .starts_with("stream 0"),
            "columns are labelled"
        );

        // The number box drives the slider, the slider the number box.
        set_slider(&c, "bs-input", 100).await;
        wait_text(&c, "bs-slider-value", "100").await;
        set_slider(&c, "bptt-slider", 35).await;
        wait_for_js(
            &c,
            "document.querySelector(\"[data-testid='bptt-input']\").value === '35'",
            "bptt box follows",
        )
        .await;
        set_slider(&c, "bs-input", 999).await;
        wait_text(&c, "bs-input-error", "bs is a whole number from 1 to 256").await;
        no_sideways_scroll(&c, &format!("{width} px with a message")).await;

        // Switching the scheme while Play runs says that the run restarted.
        click(&c, "play-button").await;
        wait_for_js(
            &c,
            "/^[1-9]/.test(document.querySelector(\"[data-testid='step-count']\").textContent)",
            "Play to make an update",
        )
        .await;
        set_field(&c, "scheme-select", "fastai-v1").await;
        let note = wait_text(&c, "run-restarted", "restarted").await;
        assert!(note.contains("Play stopped"), "{note}");

        // A link pasted into the tab applies its settings, and says what it could not.
        c.execute(
            "location.hash = '#bs=32&bptt=40&scheme=fastai-v2&seed=3'",
            vec![],
        )
        .await
        .unwrap();
        wait_text(&c, "bs-slider-value", "32").await;
        let scheme = c
            .execute(
                "return document.querySelector(\"[data-testid='scheme-select']\").value",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(scheme, json!("fastai-v2"));
        c.execute("location.hash = '#bs=-5&bptt=40'", vec![])
            .await
            .unwrap();
        wait_text(&c, "notice", "bs=-5").await;
        // The panels that follow a resting change, before the picture is taken.
        wait_text(&c, "bs-lm-sentence", "bs = 64 columns").await;
        no_sideways_scroll(&c, &format!("{width} px after a notice")).await;
        save_screenshot(
            &c,
            &format!(
                "{}/tests/screenshots/{screenshot}",
                env!("CARGO_MANIFEST_DIR")
            ),
        )
        .await;
        assert_no_console_errors(port, &c).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn on_a_phone_nothing_scrolls_sideways_and_the_lens_reads_the_batch() {
    check_page(400, "page-400.png").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn on_a_laptop_the_lens_reads_the_batch_and_links_apply() {
    check_page(1280, "page-1280.png").await;
}
