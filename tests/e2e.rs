#![cfg(not(target_arch = "wasm32"))]
//! End-to-end tests of the release page (`dist/`) in headless Chromium.

mod support;

use support::browser::{
    assert_no_console_errors, canvas_fingerprint, save_screenshot, set_slider, text_of, wait_for_js, with_client, Driver,
};
use support::static_server::StaticServer;

/// The worker's answer as (tokens, bs, rows), parsed from its sentence.
fn parse_worker_answer(text: &str) -> (usize, usize, usize) {
    let numbers: Vec<usize> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    assert!(numbers.len() >= 3, "unexpected worker answer: {text}");
    (numbers[0], numbers[1], numbers[2])
}

#[tokio::test(flavor = "multi_thread")]
async fn sliders_redraw_the_matrix_and_the_worker_answers() {
    let server = StaticServer::start(&support::dist_dir());
    let driver = Driver::start();
    let (url, port) = (server.url("/"), driver.port);
    with_client(&driver, move |c| async move {
        c.goto(&url).await.unwrap();
        wait_for_js(&c, "document.querySelector(\"[data-testid='worker-answer']\")?.textContent.includes(' 64 streams')", "the worker's first answer").await;
        let (tokens, bs, rows) = parse_worker_answer(&text_of(&c, "worker-answer").await);
        assert_eq!((bs, rows), (64, tokens / 64), "rows = tokens / bs");
        let before = canvas_fingerprint(&c, "corpus-matrix").await;

        set_slider(&c, "bs-slider", 128).await;
        wait_for_js(&c, "document.querySelector(\"[data-testid='worker-answer']\")?.textContent.includes(' 128 streams')", "the worker's answer for bs=128").await;
        let (tokens_after, bs, rows) = parse_worker_answer(&text_of(&c, "worker-answer").await);
        assert_eq!((tokens_after, bs, rows), (tokens, 128, tokens / 128));
        assert_eq!(text_of(&c, "bs-slider-value").await, "128");
        let after_bs = canvas_fingerprint(&c, "corpus-matrix").await;
        assert_ne!(before, after_bs, "the matrix must be redrawn with 128 columns");

        set_slider(&c, "bptt-slider", 10).await;
        wait_for_js(&c, "document.querySelector(\"[data-testid='worker-answer']\")?.textContent.includes('bptt 10 ')", "the worker's answer for bptt=10").await;
        let after_bptt = canvas_fingerprint(&c, "corpus-matrix").await;
        assert_ne!(after_bs, after_bptt, "a shorter bptt lights a shorter window");

        set_slider(&c, "bs-slider", 64).await;
        set_slider(&c, "bptt-slider", 70).await;
        wait_for_js(&c, "document.querySelector(\"[data-testid='worker-answer']\")?.textContent.includes('bptt 70 ')", "back to the defaults").await;
        save_screenshot(&c, concat!(env!("CARGO_MANIFEST_DIR"), "/tests/screenshots/page.png")).await;
        assert_no_console_errors(port, &c).await;
    })
    .await;
}
