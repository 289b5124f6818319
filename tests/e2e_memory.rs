#![cfg(not(target_arch = "wasm32"))]
//! End-to-end: a run that would not fit its worker's memory budget is refused
//! before it starts, with what to lower — issue 14's two cases, generated
//! here — and a run at the budget's edge trains without a crash while the
//! tab stays under 4 GB. Tab memory (RSS and PSS of every Chromium process)
//! is printed for BENCHMARKS.md: `cargo test --test e2e_memory -- --nocapture`
//! (and `--ignored` for the largest text).

mod support;

use std::time::Duration;

use support::big_texts::{cjk_text, load_own_text, scratch_file, words_text};
use support::browser::{
    assert_no_console_errors, set_slider, text_of, wait_for_js, with_client, Driver,
};
use support::page::{click, wait_steps, wait_text};
use support::static_server::StaticServer;
use support::tab_memory::{tab_memory, TabMemory};

/// The whole tab must stay under this (the bound), counted as PSS.
const TAB_BOUND: u64 = 4_000_000_000;

/// The number after `what` in `text` ("bs to 181 or less" → 181).
fn number_after(text: &str, what: &str) -> usize {
    let at = text
        .find(what)
        .unwrap_or_else(|| panic!("{what:?} in {text:?}"))
        + what.len();
    text[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}

/// Waits for `steps` updates while sampling the tab's memory; returns its peak.
async fn wait_steps_sampling(c: &fantoccini::Client, steps: usize, driver_pid: u32) -> TabMemory {
    let mut peak = tab_memory(driver_pid);
    let done = format!(
        "(t => /^{steps} updates?( |$)/.test(t) && !/training|loading/.test(t))(document.querySelector(\"[data-testid='step-count']\")?.textContent ?? '')"
    );
    let deadline = std::time::Instant::now() + Duration::from_secs(240);
    loop {
        peak = peak.max(tab_memory(driver_pid));
        let finished = c.execute(&format!("return {done};"), vec![]).await.unwrap();
        if finished.as_bool() == Some(true) {
            return peak;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the step did not end: {}",
            text_of(c, "step-count").await
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_run_over_the_budget_is_refused_and_one_at_its_edge_trains() {
    let server = StaticServer::start(&support::dist_dir());
    let driver = Driver::start();
    let file = scratch_file("cjk.txt", &cjk_text());
    let (url, port, pid) = (
        server.url("/#bs=192&bptt=200&scheme=pytorch&seed=1"),
        driver.port,
        driver.pid(),
    );
    with_client(&driver, move |c| async move {
        load_own_text(&c, &url, &file, "cjk.txt").await;
        // Refused as soon as the run is loaded, before any step, with what to lower.
        let refusal = wait_text(&c, "run-error", "more than the 1,611 MB a worker may use").await;
        assert!(refusal.starts_with("This run needs about 1,"), "{refusal}");
        assert!(refusal.contains("the softmax over 9,000 tokens for bs × seq_len = 192 × 200 takes 1,382 MB"), "{refusal}");
        // Step and Play say it again and train nothing; the page never says "training…" for good.
        click(&c, "step-button").await;
        wait_steps(&c, 0).await;
        click(&c, "play-button").await;
        wait_for_js(&c, "document.querySelector(\"[data-testid='play-button']\").getAttribute('aria-pressed') === 'false'", "Play to stop").await;
        wait_steps(&c, 0).await;
        assert_eq!(text_of(&c, "run-error").await, refusal);
        let refused = tab_memory(pid);
        println!("refused (bs 192): {}", refused.describe());

        // The largest bs it names fits: one step of ~1.6 GB trains, no crash.
        let bs = number_after(&refusal, "bs to ");
        set_slider(&c, "bs-slider", bs).await;
        wait_for_js(&c, "!document.querySelector(\"[data-testid='run-error']\")", "the refusal to go").await;
        click(&c, "step-button").await;
        let peak = wait_steps_sampling(&c, 1, pid).await;
        println!("one step at the budget's edge (bs {bs}, bptt 200, vocab 9,000): peak {}", peak.describe());
        assert!(peak.pss < TAB_BOUND, "the tab took {}", peak.describe());
        assert!(text_of(&c, "batch-loss").await.parse::<f64>().unwrap() > 8.0, "ln 9000 ≈ 9.1 at the start");
        assert_no_console_errors(port, &c).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn ten_megabytes_of_9900_words_at_bs_256_are_refused() {
    let server = StaticServer::start(&support::dist_dir());
    let driver = Driver::start();
    let file = scratch_file("words.txt", &words_text());
    let (url, port, pid) = (
        server.url("/#tokens=word&bs=256&bptt=200&scheme=pytorch"),
        driver.port,
        driver.pid(),
    );
    with_client(&driver, move |c| async move {
        load_own_text(&c, &url, &file, "words.txt").await;
        let refusal = wait_text(&c, "run-error", "the softmax over 9,900 tokens").await;
        assert!(refusal.contains("bs to "), "{refusal}");
        click(&c, "step-button").await;
        wait_steps(&c, 0).await;
        // The batches are still shown.
        wait_text(&c, "matrix-caption", "→ 256 columns").await;
        println!(
            "refused (10 MB of words, bs 256): {}",
            tab_memory(pid).describe()
        );
        assert_no_console_errors(port, &c).await;
    })
    .await;
}

/// The largest text the page accepts (32 MiB) trains at the default settings.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "a benchmark: prints the tab's memory with the largest text (make bench)"]
async fn tab_memory_with_the_largest_text() {
    let server = StaticServer::start(&support::dist_dir());
    let driver = Driver::start();
    let line =
        "The ferry left at noon; Mira counted the gulls on the rail and lost count at forty.\n";
    let text = line.repeat(batchscope::data::user_text::MAX_BYTES / line.len());
    let file = scratch_file("largest.txt", &text);
    let (url, pid) = (server.url("/#scheme=pytorch"), driver.pid());
    with_client(&driver, move |c| async move {
        load_own_text(&c, &url, &file, "largest.txt").await;
        click(&c, "step-button").await;
        let peak = wait_steps_sampling(&c, 1, pid).await;
        println!(
            "largest text (33.5 MB), default settings, one step: peak {}",
            peak.describe()
        );
        assert!(peak.pss < TAB_BOUND, "the tab took {}", peak.describe());
    })
    .await;
}
