#![cfg(not(target_arch = "wasm32"))]
//! End-to-end: the race on the release page. Runs bs 4 and 64 side by side
//! on the default corpus: both curves are drawn, the small batch makes more
//! updates, the first losses are the CLI's for the same training text, Pause
//! stops the counters, and the page's frame times are printed (measured,
//! never asserted). The race's speed for BENCHMARKS.md is printed by
//! `e2e_race_speed.rs`.

mod support;

use std::time::Duration;

use batchscope::data::corpora::STORIES;
use batchscope::data::corpus::{Corpus, TokenLevel};
use batchscope::training::race::chart_data::PALETTE;
use batchscope::training::race::split::{split_validation, Cut, VALIDATION_FRACTION};
use serde_json::json;
use support::browser::{
    assert_no_console_errors, canvas_pixels_near, cdp, save_element_screenshot, text_of,
    wait_for_js, with_client, Driver,
};
use support::page::{click, wait_text};
use support::race::{
    downloaded_csv, frame_p95, open_race_panel, record_frames, set_chips, start_race, stat,
    wait_updates,
};
use support::static_server::StaticServer;

/// The documents the race trains on: the corpus without its held-out tail.
fn training_texts(docs: &[&str]) -> Vec<String> {
    let split = split_validation(docs, TokenLevel::Char, VALIDATION_FRACTION).unwrap();
    match split.cut {
        Cut::Documents { first_held } => docs[..first_held].iter().map(|d| d.to_string()).collect(),
        Cut::InsideDocument { document, token } => {
            let full = Corpus::from_documents(docs, TokenLevel::Char).unwrap();
            let start: usize = docs[..document].iter().map(|d| d.chars().count() + 1).sum();
            let byte = full.token_offset(start + token).unwrap();
            let mut texts: Vec<String> = docs[..document].iter().map(|d| d.to_string()).collect();
            texts.push(docs[document][..byte].to_string());
            texts
        }
    }
}

/// `batchscope train`'s first `steps` losses per bs, for the page's default
/// settings (stories, char, bptt 70, fastai v0.7, seed 1, hidden 64, Adam
/// 0.003) and the page model's embedding and clipping, on `texts`.
fn cli_losses(texts: &[String], bs: &[usize], steps: usize) -> Vec<(usize, f64)> {
    let dir = support::scratch_dir("race");
    let files: Vec<String> = texts
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let path = dir.join(format!("{i:02}.txt"));
            std::fs::write(&path, text).unwrap();
            path.display().to_string()
        })
        .collect();
    let bs_list = bs
        .iter()
        .map(|b| b.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_batchscope"))
        .args([
            "train",
            "--bs",
            &bs_list,
            "--bptt",
            "70",
            "--scheme",
            "fastai-v0.7",
            "--seed",
            "1",
            "--embed",
            "32",
            "--hidden",
            "64",
        ])
        .args([
            "--layers",
            "1",
            "--optimizer",
            "adam",
            "--lr",
            "0.003",
            "--clip",
            "1",
            "--steps",
            &steps.to_string(),
            "--corpus",
        ])
        .args(&files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["bs"].as_u64().unwrap() as usize,
                v["loss"].as_f64().unwrap(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn bs_4_and_64_race_on_the_default_corpus() {
    let texts = training_texts(STORIES);
    let cli = cli_losses(&texts, &[4, 64], 3);
    let server = StaticServer::start(&support::dist_dir());
    let driver = Driver::start();
    let (url, port) = (server.url("/"), driver.port);
    with_client(&driver, move |c| async move {
        open_race_panel(&c, &url).await;
        set_chips(&c, &[4, 64]).await;
        c.execute(
            "document.querySelector(\"[data-testid='race-panel']\").scrollIntoView()",
            vec![],
        )
        .await
        .unwrap();
        start_race(&c).await;
        wait_updates(&c, 64, 3).await;
        record_frames(&c).await;
        tokio::time::sleep(Duration::from_secs(4)).await;
        let (p95, frames) = frame_p95(&c).await;
        println!(
            "frame time while 2 runs train: p95 {p95:.1} ms over {frames} frames (goal < 20 ms)"
        );

        // More runs than cores to spare: they take turns, and the page says so.
        let cores = c
            .execute("return navigator.hardwareConcurrency", vec![])
            .await
            .unwrap()
            .as_u64()
            .unwrap() as usize;
        let slots = batchscope::training::race::turns::training_slots(cores);
        let note = text_of(&c, "race-turns").await;
        if slots < 2 {
            assert!(
                note.starts_with(&format!("{slots} of the 2 runs train at a time")),
                "{cores} cores: {note:?}"
            );
        } else {
            assert_eq!(note, "", "{cores} cores train both runs at once");
        }

        // Chromium has relaxed SIMD: the workers run their fused multiply-add build.
        assert_eq!(
            text_of(&c, "race-build").await,
            "Workers: relaxed SIMD (fused multiply-add)."
        );

        // Both curves: in the legend, and in their colours on the canvas.
        wait_text(&c, "chart-legend", "bs=4").await;
        assert!(text_of(&c, "chart-legend").await.contains("bs=64"));
        for (run, colour) in PALETTE[..2].iter().enumerate() {
            let n = canvas_pixels_near(&c, "loss-chart", *colour, 40).await;
            assert!(n > 50, "run {run}'s colour {colour:?} covers {n} pixels");
        }
        // bs = 4 is 16× cheaper per update, so it makes more of them in the same time.
        let (small, large) = (stat(&c, 4, "updates").await, stat(&c, 64, "updates").await);
        assert!(small > large, "bs=4 made {small} updates, bs=64 {large}");

        // Pause stops the counters (the last slice's points arrive first).
        click(&c, "pause-button").await;
        wait_text(&c, "pause-button", "Resume").await;
        tokio::time::sleep(Duration::from_millis(800)).await;
        let paused = (stat(&c, 4, "updates").await, stat(&c, 64, "updates").await);
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert_eq!(
            paused,
            (stat(&c, 4, "updates").await, stat(&c, 64, "updates").await),
            "counters moved while paused"
        );

        // The first losses are the CLI's on the same training text.
        for bs in [4, 64] {
            let csv = downloaded_csv(&c, bs).await;
            assert!(
                csv.starts_with(
                    "step,tokens_seen,epoch,seconds,loss,smoothed,val_loss,noise_scale\n"
                ),
                "{csv:.80}"
            );
            let page: Vec<f64> = csv
                .lines()
                .skip(1)
                .take(3)
                .map(|l| l.split(',').nth(4).unwrap().parse().unwrap())
                .collect();
            let expected: Vec<f64> = cli
                .iter()
                .filter(|(b, _)| *b == bs)
                .map(|(_, loss)| *loss)
                .collect();
            println!("bs={bs}: page {page:?}, CLI {expected:?}");
            for (step, (p, e)) in page.iter().zip(&expected).enumerate() {
                // The same f32 model; the wasm (relaxed SIMD) and native
                // (AVX-512/AVX2 FMA) products add in different orders, so the
                // last bits differ (~1e-9 seen).
                assert!(
                    (p - e).abs() <= 1e-6 * e.abs(),
                    "bs={bs} step {}: page {p}, CLI {e}",
                    step + 1
                );
            }
        }
        save_element_screenshot(
            &c,
            "race-panel",
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/screenshots/race.png"),
        )
        .await;

        // The gradient noise scale: on bs=64's card once measured (its 4th
        // update trains in halves), and as curves beside each bs on the chart.
        click(&c, "pause-button").await;
        wait_text(&c, "pause-button", "Pause").await;
        wait_for_js(
            &c,
            "document.querySelector(\"[data-testid='run-card'][data-label='bs=64'] [data-testid='noise-scale']\")?.textContent.startsWith('gradient noise scale ≈ ')",
            "bs=64's noise scale",
        )
        .await;
        c.execute(
            "const s = document.querySelector(\"[data-testid='y-select']\"); s.value = 'noise'; s.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![],
        )
        .await
        .unwrap();
        wait_for_js(
            &c,
            "document.querySelector(\"[data-testid='loss-chart']\").getAttribute('data-y') === 'NoiseScale'",
            "the noise-scale chart",
        )
        .await;
        assert!(text_of(&c, "chart-caption").await.contains("Dashed: the run's bs."));
        let log_toggle = c
            .execute("return getComputedStyle(document.querySelector(\"[data-testid='y-log-toggle']\").closest('label')).display", vec![])
            .await
            .unwrap();
        assert_eq!(log_toggle, "none", "the noise scale is always on a log axis");
        for (run, colour) in PALETTE[..2].iter().enumerate() {
            let n = canvas_pixels_near(&c, "loss-chart", *colour, 40).await;
            assert!(n > 50, "run {run}'s bs level and noise curve: {n} pixels");
        }
        save_element_screenshot(
            &c,
            "race-panel",
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/screenshots/race-noise.png"),
        )
        .await;
        assert_no_console_errors(port, &c).await;
    })
    .await;
}

/// A run whose worker dies without a word (here: the worker closes itself,
/// as a trap would end it) is marked crashed, and Restart trains it again.
#[tokio::test(flavor = "multi_thread")]
async fn a_worker_that_dies_is_reported_and_restarts() {
    let server = StaticServer::start(&support::dist_dir());
    let driver = Driver::start();
    let (url, port) = (server.url("/"), driver.port);
    with_client(&driver, move |c| async move {
        open_race_panel(&c, &url).await;
        // Workers are started from blob: URLs: the run's is the one that
        // appears with the race.
        let workers = || async {
            let targets = cdp(port, &c, "Target.getTargets", json!({})).await;
            targets["targetInfos"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|t| t["type"] == "worker")
                .map(|t| t["targetId"].clone())
                .collect::<Vec<_>>()
        };
        let before = workers().await;
        set_chips(&c, &[4]).await;
        start_race(&c).await;
        wait_updates(&c, 4, 3).await;
        let worker = workers()
            .await
            .into_iter()
            .find(|w| !before.contains(w))
            .expect("the run's worker");

        // Close the run's worker from inside, through the DevTools protocol.
        let session = cdp(
            port,
            &c,
            "Target.attachToTarget",
            json!({ "targetId": worker, "flatten": false }),
        )
        .await["sessionId"]
            .clone();
        let close =
            json!({ "id": 1, "method": "Runtime.evaluate", "params": { "expression": "close()" } })
                .to_string();
        cdp(
            port,
            &c,
            "Target.sendMessageToTarget",
            json!({ "sessionId": session, "message": close }),
        )
        .await;
        // Reports sent before the close may still be on their way, and the
        // page shows reports within a tenth of a second: read after both.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let updates = stat(&c, 4, "updates").await;

        let deadline = std::time::Instant::now() + Duration::from_secs(40);
        let status = loop {
            let status = text_of(&c, "run-status").await;
            if status.starts_with("crashed") || std::time::Instant::now() > deadline {
                break status;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        };
        assert!(
            status.starts_with("crashed: its worker stopped answering"),
            "{status}"
        );
        assert_eq!(
            stat(&c, 4, "updates").await,
            updates,
            "no progress from a dead worker"
        );

        click(&c, "restart-button").await;
        wait_text(&c, "run-status", "training").await;
        wait_updates(&c, 4, 3).await;
        click(&c, "stop-button").await;
        assert_no_console_errors(port, &c).await;
    })
    .await;
}
