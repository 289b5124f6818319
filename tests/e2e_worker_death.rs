#![cfg(not(target_arch = "wasm32"))]
//! End-to-end: the training worker dies and the page recovers on its own —
//! it says what happened in words, and the next Step trains, with no reload,
//! no error in the console and no Rust source path on the page. And a Reset
//! or a settings change during a long step ends that step's worker at once.
//!
//! The deaths are real ones, brought about from the worker's DevTools: its
//! WebAssembly memory is filled up, so the next step's allocation finds none
//! (what running out of memory is); and it is handed a message no page sends,
//! on which its handler panics (what a bug is).

mod support;

use std::time::Duration;

use support::browser::{
    assert_no_console_errors, set_slider, text_of, wait_for_js, with_client, Driver,
};
use support::page::{click, set_field, wait_steps, wait_text};
use support::static_server::StaticServer;
use support::workers::{run_in_training_worker, worker_targets, FILL_WASM_MEMORY, GARBLED_MESSAGE};

/// Waits until the set of worker targets no longer holds `gone`.
async fn wait_worker_gone(port: u16, c: &fantoccini::Client, gone: &str) -> Vec<String> {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let now = worker_targets(port, c).await;
        if !now.iter().any(|t| t == gone) {
            return now;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "worker {gone} is still alive"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The page's text must not show a Rust source location.
async fn assert_no_rust_paths(c: &fantoccini::Client) {
    let body = c
        .execute("return document.body.innerText", vec![])
        .await
        .unwrap();
    let body = body.as_str().unwrap();
    assert!(
        !body.contains(".rs:") && !body.contains("panicked at"),
        "{body}"
    );
}

/// Opens `url`, trains one step and returns the training worker's target id.
async fn trained_once(port: u16, c: &fantoccini::Client, url: &str) -> String {
    c.goto(url).await.unwrap();
    click(c, "step-button").await;
    wait_steps(c, 1).await;
    let workers = worker_targets(port, c).await;
    let [worker] = &workers[..] else {
        panic!("one worker before any race: {workers:?}")
    };
    worker.clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_worker_that_dies_is_named_in_words_and_the_next_step_trains() {
    let server = StaticServer::start(&support::dist_dir());
    let driver = Driver::start();
    let (url, port) = (
        server.url("/#bs=8&bptt=20&scheme=pytorch&hidden=16"),
        driver.port,
    );
    with_client(&driver, move |c| async move {
        let worker = trained_once(port, &c, &url).await;

        // Out of memory: a step 32 times as wide needs more than the
        // worker's allocator kept free (4 times no longer does: the step's
        // buffers shrank), and there is no memory left to grow into.
        run_in_training_worker(port, &c, FILL_WASM_MEMORY).await;
        set_slider(&c, "bs-slider", 256).await;
        click(&c, "step-button").await;
        let said = wait_text(
            &c,
            "run-error",
            "The training worker ran out of memory and was restarted",
        )
        .await;
        assert!(said.contains("the run starts again from batch 1"), "{said}");
        let workers = wait_worker_gone(port, &c, &worker).await;
        wait_steps(&c, 0).await;
        click(&c, "step-button").await;
        wait_steps(&c, 1).await;
        wait_for_js(
            &c,
            "!document.querySelector(\"[data-testid='run-error']\")",
            "the message to clear with a step",
        )
        .await;
        assert_no_rust_paths(&c).await;

        // A panic: named as an internal error, with no source path.
        let worker = workers[0].clone();
        run_in_training_worker(port, &c, GARBLED_MESSAGE).await;
        let said = wait_text(
            &c,
            "run-error",
            "The training worker stopped on an internal error",
        )
        .await;
        assert!(
            said.contains("can't deserialize a worker message"),
            "{said}"
        );
        assert_no_rust_paths(&c).await;
        wait_worker_gone(port, &c, &worker).await;
        // Every control works again: Step, Play, back, Reset.
        click(&c, "step-button").await;
        wait_steps(&c, 1).await;
        click(&c, "step-button").await;
        wait_steps(&c, 2).await;
        click(&c, "back-button").await;
        wait_steps(&c, 1).await;
        click(&c, "reset-button").await;
        wait_steps(&c, 0).await;
        click(&c, "play-button").await;
        wait_steps(&c, 2).await;
        click(&c, "play-button").await;
        assert_no_console_errors(port, &c).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn reset_and_a_settings_change_end_a_long_step_at_once() {
    let server = StaticServer::start(&support::dist_dir());
    let driver = Driver::start();
    // hidden 256 × 3 layers at bs 96 × bptt 200: one step takes seconds.
    let (url, port) = (
        server.url("/#bs=96&bptt=200&scheme=pytorch&hidden=256&layers=3"),
        driver.port,
    );
    with_client(&driver, move |c| async move {
        c.goto(&url).await.unwrap();
        wait_for_js(
            &c,
            "document.querySelector(\"[data-testid='matrix-caption']\")",
            "the page",
        )
        .await;
        for cancel in ["reset", "settings"] {
            click(&c, "step-button").await;
            wait_text(&c, "step-count", "training…").await;
            let workers = worker_targets(port, &c).await;
            let [worker] = &workers[..] else {
                panic!("one worker: {workers:?}")
            };
            match cancel {
                "reset" => click(&c, "reset-button").await,
                _ => set_field(&c, "seed-input", "2").await,
            }
            // The worker of the step is ended, not waited for.
            wait_worker_gone(port, &c, worker).await;
            wait_steps(&c, 0).await;
            assert_eq!(
                text_of(&c, "step-count").await,
                "0 updates",
                "after {cancel}"
            );
        }
        // The fresh worker trains at once at small settings.
        set_field(&c, "hidden-select", "16").await;
        set_field(&c, "layers-select", "1").await;
        click(&c, "step-button").await;
        wait_steps(&c, 1).await;
        assert!(c
            .execute(
                "return !document.querySelector(\"[data-testid='run-error']\")",
                vec![]
            )
            .await
            .unwrap()
            .as_bool()
            .unwrap());
        assert_no_console_errors(port, &c).await;
    })
    .await;
}

/// A script for `run_in_training_worker` that keeps the worker busy for
/// 90 s without a word, as a worker stuck in a loop would be.
const HANG_90_S: &str = "{ const end = Date.now() + 90000; while (Date.now() < end) {} }";

#[tokio::test(flavor = "multi_thread")]
async fn a_worker_silent_past_a_minute_is_replaced_and_the_next_step_trains() {
    let server = StaticServer::start(&support::dist_dir());
    let driver = Driver::start();
    let (url, port) = (
        server.url("/#bs=8&bptt=20&scheme=pytorch&hidden=16"),
        driver.port,
    );
    with_client(&driver, move |c| async move {
        let worker = trained_once(port, &c, &url).await;
        run_in_training_worker(port, &c, HANG_90_S).await;
        let asked = std::time::Instant::now();
        click(&c, "step-button").await;
        wait_text(&c, "step-count", "training…").await;
        // The floor of silence is a minute (worker_watch::SILENCE_FLOOR_MS):
        // the page waits that long, then says so and starts afresh.
        let said = loop {
            let said = c
                .execute("return document.querySelector(\"[data-testid='run-error']\")?.textContent ?? ''", vec![])
                .await
                .unwrap();
            let said = said.as_str().unwrap().to_string();
            if said.contains("The training worker stopped answering for") {
                break said;
            }
            assert!(asked.elapsed() < Duration::from_secs(100), "still silent: {said:?}");
            tokio::time::sleep(Duration::from_millis(250)).await;
        };
        let waited = asked.elapsed();
        assert!(
            waited >= Duration::from_secs(59) && waited < Duration::from_secs(85),
            "declared silent after {waited:?}"
        );
        assert!(said.contains("and was restarted"), "{said}");
        wait_worker_gone(port, &c, &worker).await;
        wait_steps(&c, 0).await;
        click(&c, "step-button").await;
        wait_steps(&c, 1).await;
        assert_no_rust_paths(&c).await;
        assert_no_console_errors(port, &c).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_worker_that_cannot_start_is_given_up_on_and_the_next_step_tries_again() {
    let server = StaticServer::start(&support::dist_dir());
    let driver = Driver::start();
    let (url, port) = (
        server.url("/#bs=8&bptt=20&scheme=pytorch&hidden=16"),
        driver.port,
    );
    with_client(&driver, move |c| async move {
        c.goto(&url).await.unwrap();
        click(&c, "step-button").await;
        wait_steps(&c, 1).await;
        // The worker's files (either build's) cannot be fetched any more:
        // every worker the page starts dies before it answers, as on a
        // broken install.
        server.refuse(&[
            "/worker.js",
            "/worker_bg.wasm",
            "/worker_relaxed.js",
            "/worker_relaxed_bg.wasm",
        ]);
        run_in_training_worker(port, &c, GARBLED_MESSAGE).await;
        let said = wait_text(&c, "run-error", "so the page stopped trying").await;
        assert!(
            said.starts_with("The training worker could not start (")
                && said.ends_with("Press Step or Reset, or change a setting, to try once more."),
            "{said}"
        );
        assert_no_rust_paths(&c).await;
        // Fixed: the next Step loads the run in a new worker and trains.
        server.refuse(&[]);
        click(&c, "step-button").await;
        wait_steps(&c, 1).await;
        wait_for_js(
            &c,
            "!document.querySelector(\"[data-testid='run-error']\")",
            "the message to clear with a step",
        )
        .await;
    })
    .await;
}
