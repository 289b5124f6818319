#![cfg(not(target_arch = "wasm32"))]
//! The race's speed on the release page, for BENCHMARKS.md: one worker at
//! H = 128, bs = 64, bptt = 70 as its card reports it after 20 s (and by
//! wall clock), then four racing workers taking turns on the cores. Figures,
//! not verdicts: `cargo test` skips it and `make bench` runs it (`--ignored`).

mod support;

use std::time::Duration;

use batchscope::training::noise_probe::NOISE_EVERY;

use support::browser::{assert_no_console_errors, text_of, wait_for_js, with_client, Driver};
use support::page::click;
use support::race::{
    downloaded_csv, frame_p95, open_race_panel, record_frames, set_chips, start_race, stat,
    wait_updates,
};
use support::static_server::StaticServer;

/// Not a timed assertion: prints speeds for BENCHMARKS.md.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "a benchmark that prints figures: `make bench` runs it"]
async fn one_and_four_workers_print_their_speed() {
    let server = StaticServer::start(&support::dist_dir());
    let driver = Driver::start();
    // The benchmark model: V≈65 (stories), E=32, H=128, bptt 70.
    let (url, port) = (
        server.url("/#hidden=128&bptt=70&scheme=pytorch"),
        driver.port,
    );
    with_client(&driver, move |c| async move {
        open_race_panel(&c, &url).await;
        set_chips(&c, &[64]).await;
        start_race(&c).await;
        wait_updates(&c, 64, 2).await;
        // As a learner sees it: the card's figure after 20 s of training;
        // and by wall clock over those 20 s (the card counts only the
        // worker's training time).
        let (before, started) = (stat(&c, 64, "updates").await, std::time::Instant::now());
        tokio::time::sleep(Duration::from_secs(20)).await;
        let one = stat(&c, 64, "tokens/s").await;
        let wall = (stat(&c, 64, "updates").await - before) * (64 * 70) as f64
            / started.elapsed().as_secs_f64();
        let build = text_of(&c, "race-build").await;
        println!("one worker, bs=64 H=128 bptt=70: {one:.0} tokens/s on its card after 20 s, {wall:.0} by wall clock ({build})");
        print_step_times(&downloaded_csv(&c, 64).await);

        set_chips(&c, &[4, 16, 64, 256]).await;
        start_race(&c).await;
        wait_updates(&c, 256, 1).await;
        // Four runs on fewer cores take turns: the page says how many train,
        // some card says it waits, and every run still trains (below).
        let cores = c.execute("return navigator.hardwareConcurrency", vec![]).await.unwrap().as_u64().unwrap() as usize;
        let slots = batchscope::training::race::turns::training_slots(cores);
        if slots < 4 {
            assert!(text_of(&c, "race-turns").await.starts_with(&format!("{slots} of the 4 runs train at a time")));
            wait_for_js(&c, "[...document.querySelectorAll(\"[data-testid='run-status']\")].some(s => s.textContent === 'waiting its turn')", "a run waiting its turn").await;
        }
        let sizes = [4usize, 16, 64, 256];
        let mut before = Vec::new();
        for bs in sizes {
            before.push(stat(&c, bs, "updates").await);
        }
        record_frames(&c).await;
        let started = std::time::Instant::now();
        tokio::time::sleep(Duration::from_secs(10)).await;
        let (p95, frames) = frame_p95(&c).await;
        // The machine's real aggregate: tokens trained by all runs per
        // wall-clock second (a run's own tokens/s counts only its turns).
        let mut tokens = 0.0;
        for (bs, before) in sizes.into_iter().zip(before) {
            let (speed, updates) = (stat(&c, bs, "tokens/s").await, stat(&c, bs, "updates").await);
            assert!(updates > 0.0, "bs={bs} trains");
            println!("  bs={bs}: {speed:.0} tokens/s while training, {} updates in the window", updates - before);
            tokens += (updates - before) * (bs * 70) as f64;
        }
        let seconds = started.elapsed().as_secs_f64();
        let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
        println!("four runs: {:.0} tokens/s together (wall clock); frame p95 {p95:.1} ms over {frames} frames; load average {}", tokens / seconds, load.trim());
        click(&c, "stop-button").await;
        assert_no_console_errors(port, &c).await;
    })
    .await;
}

/// Where the worker's training time went, from its loss history: a point's
/// `seconds` is the training time when its step began, so the gap to the
/// next point is that step with whatever it carried (a validation pass, or
/// the batch trained in two halves for the noise scale). Printed by kind,
/// and the plain steps' median per 5 s of training, which shows how much
/// the machine's speed drifts during the run.
fn print_step_times(csv: &str) {
    let rows: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let number = |row: &[&str], col: usize| row[col].parse::<f64>().unwrap();
    let mut kinds: [(&str, Vec<f64>); 3] = [
        ("plain", Vec::new()),
        ("in two halves", Vec::new()),
        ("with a validation pass", Vec::new()),
    ];
    let mut windows: Vec<Vec<f64>> = Vec::new();
    for pair in rows.windows(2) {
        let (this, next) = (&pair[0], &pair[1]);
        let ms = 1e3 * (number(next, 3) - number(this, 3));
        let kind = if !this[6].is_empty() {
            2
        } else if (number(this, 0) as usize).is_multiple_of(NOISE_EVERY) {
            1
        } else {
            0
        };
        kinds[kind].1.push(ms);
        if kind == 0 {
            let window = (number(this, 3) / 5.0) as usize;
            windows.resize(windows.len().max(window + 1), Vec::new());
            windows[window].push(ms);
        }
    }
    for (name, times) in kinds.iter_mut() {
        let (median, p10) = (quantile(times, 0.5), quantile(times, 0.1));
        println!(
            "  steps {name}: {}, median {median:.1} ms, p10 {p10:.1} ms",
            times.len()
        );
    }
    let drift: Vec<String> = windows
        .iter_mut()
        .map(|w| format!("{:.0}", quantile(w, 0.5)))
        .collect();
    println!(
        "  plain steps' median per 5 s of training: {} ms",
        drift.join(" / ")
    );
}

/// The `q` quantile of `values` (sorting them), NaN when there are none.
fn quantile(values: &mut [f64], q: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    let at = (values.len() as f64 * q) as usize;
    values.get(at).copied().unwrap_or(f64::NAN)
}
