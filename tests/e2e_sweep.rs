#![cfg(not(target_arch = "wasm32"))]
//! End-to-end: the race panel's sweep on the release page. A small sweep of
//! the default corpus (bs 1 to 8, lr ×1 and ×2, a pilot-chosen target, a
//! small budget) ends well within two minutes on 2 cores, draws its chart,
//! lists each bs's best run, agrees with `batchscope sweep` given the same
//! flags, and says a verdict naming the numbers the chart and its table
//! show. A benchmark prints the wall time of the default sweep (8 batch
//! sizes) for BENCHMARKS.md; `cargo test` skips it and `make bench` runs it.

mod support;

use std::time::{Duration, Instant};

use batchscope::web::ui::sweep_chart_draw::{BEST, FIT, OTHER_RUN};
use support::browser::{
    assert_no_console_errors, canvas_pixels_near, save_element_screenshot, text_of, with_client,
    Driver,
};
use support::race::{frame_p95, open_race_panel, record_frames};
use support::static_server::StaticServer;
use support::sweep::{rows, start_sweep, wait_sweep_done};

/// The small sweep's budget per run, in tokens.
const BUDGET: usize = 200_000;

/// `batchscope sweep` with the page's default settings (stories, char, bptt
/// 70, fastai v0.7, seed 1, E 32, H 64, Adam, clip 1) and the small sweep's
/// batch sizes, lrs and budget: its target and per bs its best steps.
fn cli_sweep() -> (f64, Vec<(usize, Option<usize>)>) {
    let stories = concat!(env!("CARGO_MANIFEST_DIR"), "/src/data/corpora/stories");
    let mut files: Vec<String> = std::fs::read_dir(stories)
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    files.sort();
    let budget = BUDGET.to_string();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_batchscope"))
        .args([
            "sweep",
            "--bs",
            "1,2,4,8",
            "--lrs",
            "0.003,0.006",
            "--max-tokens",
            &budget,
        ])
        .args([
            "--bptt",
            "70",
            "--scheme",
            "fastai-v0.7",
            "--seed",
            "1",
            "--embed",
            "32",
        ])
        .args([
            "--hidden",
            "64",
            "--layers",
            "1",
            "--optimizer",
            "adam",
            "--clip",
            "1",
        ])
        .arg("--corpus")
        .args(&files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let target = lines[0]["target_loss"].as_f64().unwrap();
    let best = lines
        .iter()
        .filter(|l| l.get("best_lr").is_some())
        .map(|l| {
            (
                l["bs"].as_u64().unwrap() as usize,
                l["steps"].as_u64().map(|s| s as usize),
            )
        })
        .collect();
    (target, best)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_small_sweep_draws_its_chart_and_a_verdict_that_names_its_numbers() {
    let (cli_target, cli_best) = cli_sweep();
    let server = StaticServer::start(&support::dist_dir());
    let driver = Driver::start();
    let (url, port) = (server.url("/"), driver.port);
    with_client(&driver, move |c| async move {
        open_race_panel(&c, &url).await;
        c.execute("document.querySelector(\"[data-testid='sweep-panel']\").scrollIntoView()", vec![])
            .await
            .unwrap();
        let started = Instant::now();
        start_sweep(&c, 8, 1, BUDGET, "").await;
        let progress = wait_sweep_done(&c, Duration::from_secs(110)).await;
        let seconds = started.elapsed().as_secs_f64();
        println!("small sweep (bs 1-8, 2 lrs, {BUDGET} tokens): {seconds:.1} s; {progress}");
        assert!(progress.starts_with("all 8 runs done: "), "{progress}");

        // The pilot's target is shown in the field, and is the CLI's.
        let field = c
            .execute("return document.querySelector(\"[data-testid='sweep-target']\").value", vec![])
            .await
            .unwrap();
        let page_target: f64 = field.as_str().unwrap().parse().unwrap();
        assert!((page_target - cli_target).abs() < 1e-3, "page {page_target}, CLI {cli_target}");

        // Each bs's best run: the table beside the chart, as the CLI finds it.
        let table = rows(&c).await;
        println!("page: {table:?}\nCLI: {cli_best:?}");
        assert_eq!(table.iter().map(|r| r.bs).collect::<Vec<_>>(), [1, 2, 4, 8]);
        for (row, (bs, cli_steps)) in table.iter().zip(&cli_best) {
            assert_eq!(row.bs, *bs);
            // The same f32 model; wasm and native products add in different
            // orders, so a crossing may move by a step.
            match (row.steps(), cli_steps) {
                (Some(page), Some(cli)) => assert!(page.abs_diff(*cli) <= 1 + cli / 50, "bs={bs}: page {page}, CLI {cli}"),
                (page, cli) => assert_eq!(page, *cli, "bs={bs}"),
            }
        }
        let (first, last) = (&table[0], &table[3]);
        assert!(last.steps().unwrap() < first.steps().unwrap(), "larger batches need fewer updates: {table:?}");

        // The chart: its dots and its fitted curve, in their colours.
        let draws = c
            .execute("return Number(document.querySelector(\"[data-testid='sweep-chart']\").dataset.draws)", vec![])
            .await
            .unwrap();
        assert!(draws.as_u64().unwrap() >= 1);
        for (what, colour, least) in [("best dots", BEST, 4 * 40), ("other dots", OTHER_RUN, 20), ("the fit", FIT, 100)] {
            let n = canvas_pixels_near(&c, "sweep-chart", (colour.0, colour.1, colour.2), 30).await;
            assert!(n >= least, "{what}: {n} pixels of {colour:?}");
        }

        // The verdict names the table's numbers and the chart's B_crit.
        let verdict = text_of(&c, "sweep-verdict").await;
        println!("verdict: {verdict}");
        assert!(verdict.starts_with("On this text and model, "), "{verdict}");
        for row in [first, last] {
            assert!(verdict.contains(&format!("bs={} needed {}", row.bs, row.steps)), "{verdict} / {row:?}");
        }
        let chart_label = c
            .execute("return document.querySelector(\"[data-testid='sweep-chart']\").getAttribute('aria-label')", vec![])
            .await
            .unwrap();
        let b_crit = chart_label.as_str().unwrap().split("B_crit ≈ ").nth(1).unwrap().trim_end_matches('.').to_string();
        assert!(verdict.contains(&format!("B_crit ≈ {b_crit}")), "{verdict} / chart: {b_crit}");

        save_element_screenshot(&c, "sweep-panel", concat!(env!("CARGO_MANIFEST_DIR"), "/tests/screenshots/sweep.png")).await;
        assert_no_console_errors(port, &c).await;
    })
    .await;
}

/// Not a timed assertion: prints the wall time of the default sweep for BENCHMARKS.md.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "a benchmark that prints figures: `make bench` runs it"]
async fn the_default_sweep_prints_its_wall_time() {
    let server = StaticServer::start(&support::dist_dir());
    let driver = Driver::start();
    let (url, port) = (server.url("/"), driver.port);
    with_client(&driver, move |c| async move {
        open_race_panel(&c, &url).await;
        let started = Instant::now();
        support::page::click(&c, "sweep-button").await;
        record_frames(&c).await;
        let progress = wait_sweep_done(&c, Duration::from_secs(900)).await;
        let seconds = started.elapsed().as_secs_f64();
        let (p95, frames) = frame_p95(&c).await;
        let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
        println!("default sweep (bs 1-128, lr ×2 ×8 ×32, 1,000,000 tokens per run, pilot target): {seconds:.1} s wall; {progress}");
        println!("  {}", text_of(&c, "sweep-target-caption").await);
        for row in rows(&c).await {
            println!("  bs={}: {} updates, {} tokens", row.bs, row.steps, row.tokens);
        }
        println!("  verdict: {}", text_of(&c, "sweep-verdict").await);
        println!("  frame p95 {p95:.1} ms over {frames} frames; load average {}", load.trim());
        assert_no_console_errors(port, &c).await;
    })
    .await;
}
