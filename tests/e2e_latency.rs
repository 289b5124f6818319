#![cfg(not(target_arch = "wasm32"))]
//! End-to-end on large texts: hovering a cell names the right token and
//! place, and a benchmark: the latency from a slider's input event
//! to the frame that shows it (p50/p95 over 100 drags) at 1440×900 and
//! 1920×1080 with the stories, a 1 MB and a 10 MB text, plus the matrix's
//! scroll. Figures are printed (`make bench`
//! runs it with `--ignored --nocapture`) and recorded in BENCHMARKS.md; they
//! are not asserted.

mod support;

use std::time::Instant;

use batchscope::data::batcher::{BatchConfig, LmBatcher, Scheme};
use batchscope::data::corpus::{Corpus, TokenLevel};
use fantoccini::Client;
use serde_json::json;
use support::browser::{assert_no_console_errors, cdp, wait_for_js, with_client, Driver};
use support::page::{choose_files, numbers, wait_text};
use support::static_server::StaticServer;

/// About `bytes` of English: the embedded stories, repeated with a numbered
/// heading so no two copies are the same text.
fn text_of_size(bytes: usize) -> String {
    let stories = batchscope::data::corpora::STORIES.concat();
    let mut text = String::with_capacity(bytes + stories.len());
    let mut copy = 0;
    while text.len() < bytes {
        copy += 1;
        text.push_str(&format!("Part {copy}\n\n"));
        text.push_str(&stories);
    }
    text.truncate(bytes);
    text
}

/// Milliseconds from each event to the end of the frame that shows it:
/// `performance.now()` before dispatching, then `requestAnimationFrame` →
/// `setTimeout(0)`, one event after the other. `kind` is `input` (a slider
/// drag to each of `values`) or `wheel` (a scroll of the canvas by each).
/// Each entry is `[total, handler, until the frame]`: the event handler's
/// own time, and the time until the frame began (microtasks: the views'
/// updates), which tell where a slow drag spends it.
async fn frame_latencies(c: &Client, testid: &str, kind: &str, values: &[i64]) -> Vec<[f64; 3]> {
    let v = c
        .execute_async(
            "const [testid, kind, values, done] = arguments;
             const el = document.querySelector(`[data-testid='${testid}']`);
             const times = [];
             let i = 0;
             function next() {
               if (i === values.length) return done(times);
               const t0 = performance.now();
               if (kind === 'input') {
                 el.value = String(values[i++]);
                 el.dispatchEvent(new Event('input', { bubbles: true }));
               } else {
                 el.dispatchEvent(new WheelEvent('wheel', { deltaY: values[i++], bubbles: true, cancelable: true }));
               }
               const t1 = performance.now();
               requestAnimationFrame(() => {
                 const t2 = performance.now();
                 setTimeout(() => { times.push([performance.now() - t0, t1 - t0, t2 - t0]); next(); }, 0);
               });
             }
             next();",
            vec![json!(testid), json!(kind), json!(values)],
        )
        .await
        .unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|t| [0, 1, 2].map(|i| t[i].as_f64().unwrap()))
        .collect()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn report(what: &str, phases: Vec<[f64; 3]>) {
    let sorted = |i: usize| {
        let mut v: Vec<f64> = phases.iter().map(|p| p[i]).collect();
        v.sort_by(f64::total_cmp);
        v
    };
    let (total, handler, to_frame) = (sorted(0), sorted(1), sorted(2));
    println!(
        "LATENCY {what}: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms over {} events (p50 handler {:.1} ms, until the frame {:.1} ms)",
        percentile(&total, 0.5),
        percentile(&total, 0.95),
        total[total.len() - 1],
        total.len(),
        percentile(&handler, 0.5),
        percentile(&to_frame, 0.5),
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn hover_names_the_token_and_its_place_under_shuffled_documents() {
    let server = StaticServer::start(&support::dist_dir());
    let driver = Driver::start();
    let (url, port) = (
        server.url("/#bs=16&bptt=30&scheme=fastai-v2&seed=5"),
        driver.port,
    );
    with_client(&driver, move |c| async move {
        c.goto(&url).await.unwrap();
        wait_text(&c, "matrix-caption", "16 columns").await;
        let docs = batchscope::data::corpora::documents("stories").unwrap();
        let corpus = Corpus::from_documents(&docs, TokenLevel::Char).unwrap();
        let epoch = LmBatcher::new(&corpus, BatchConfig { bs: 16, bptt: 30, scheme: Scheme::FastaiV2, seed: 5 }).unwrap().epoch(0);
        // x as a share of the canvas's width, which follows the window's.
        for (x, y) in [(0.01, 40.0), (0.3, 120.0), (0.7, 200.0)] {
            c.execute(
                "const cv = document.querySelector(\"[data-testid='corpus-matrix']\");
                 const r = cv.getBoundingClientRect();
                 cv.dispatchEvent(new MouseEvent('mousemove', { clientX: r.left + r.width * arguments[0], clientY: r.top + arguments[1], bubbles: true }));",
                vec![json!(x), json!(y)],
            )
            .await
            .unwrap();
            let text = wait_text(&c, "matrix-hover", "· stream ").await;
            // “h” · stream 3 · row 12 · token 1234 of the stream · document 7, byte 56
            let n = numbers(&text.replace(['“', '”'], " "));
            let (stream, row, position, doc, byte) = (n[n.len() - 5], n[n.len() - 4], n[n.len() - 3], n[n.len() - 2], n[n.len() - 1]);
            assert_eq!(position, epoch.stream_position(stream, row), "{text}");
            let token = corpus.display_token(epoch.token(stream, row));
            assert!(text.starts_with(&format!("“{token}”")), "{text} should show {token}");
            // The named place in the original text holds that very token.
            let at = &docs[doc - 1][byte..];
            assert_eq!(corpus.display_token(corpus.encode(&at[..at.chars().next().unwrap().len_utf8()])[0]), token, "{text}");
        }
        assert_no_console_errors(port, &c).await;
    })
    .await;
}

/// The window sizes the drags are measured at (CSS pixels, ratio 1).
const VIEWPORTS: [(u32, u32); 2] = [(1440, 900), (1920, 1080)];

/// A bs drag (65 → 163 by 2), a bptt drag (20 → 169) and a scroll of the
/// matrix, 100 events each, reported as `what`.
async fn drags(c: &Client, what: &str) {
    let values: Vec<i64> = (0..100).map(|i| 65 + (i % 50) * 2).collect();
    report(
        &format!("bs drag, {what}"),
        frame_latencies(c, "bs-slider", "input", &values).await,
    );
    wait_text(c, "matrix-caption", &format!("→ {} columns", values[99])).await;
    let values: Vec<i64> = (0..100).map(|i| 20 + i % 150).collect();
    report(
        &format!("bptt drag, {what}"),
        frame_latencies(c, "bptt-slider", "input", &values).await,
    );
    let values: Vec<i64> = (0..100).map(|i| if i < 50 { 300 } else { -300 }).collect();
    report(
        &format!("matrix scroll, {what}"),
        frame_latencies(c, "corpus-matrix", "wheel", &values).await,
    );
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "a benchmark that prints figures: `make bench` runs it"]
async fn slider_to_frame_latency_at_real_window_sizes() {
    let server = StaticServer::start(&support::dist_dir());
    let driver = Driver::start();
    let dir = support::scratch_dir("latency");
    let files: Vec<(usize, std::path::PathBuf)> = [1_000_000, 10_000_000]
        .into_iter()
        .map(|bytes| {
            let path = dir.join(format!("text-{}mb.txt", bytes / 1_000_000));
            std::fs::write(&path, text_of_size(bytes)).unwrap();
            (bytes, path)
        })
        .collect();
    let (url, port) = (
        server.url("/#bs=64&bptt=70&scheme=fastai-v0.7&hidden=16"),
        driver.port,
    );
    with_client(&driver, move |c| async move {
        for (width, height) in VIEWPORTS {
            // The window's CSS size, as DevTools' device mode sets it.
            let metrics = json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false });
            cdp(port, &c, "Emulation.setDeviceMetricsOverride", metrics).await;
            c.goto(&url).await.unwrap();
            wait_text(&c, "matrix-caption", "64 columns").await;
            let at = format!("{width}×{height}");
            drags(&c, &format!("{at}, the stories")).await;
            for (bytes, path) in &files {
                let mb = bytes / 1_000_000;
                // Long tasks (> 50 ms) on the page's thread while the file loads:
                // how long the page could not answer the learner.
                c.execute(
                    "window.__longTasks = [];
                     new PerformanceObserver(list => list.getEntries().forEach(e => window.__longTasks.push(e.duration))).observe({ type: 'longtask' });",
                    vec![],
                )
                .await
                .unwrap();
                let started = Instant::now();
                choose_files(&c, &[path]).await;
                wait_text(&c, "matrix-caption", &format!("{bytes} tokens")).await;
                wait_for_js(&c, "document.querySelector(\"[data-testid='step-count']\").getAttribute('aria-busy') === 'false'", "the worker's run").await;
                let elapsed = started.elapsed().as_secs_f64();
                let long: Vec<f64> = c.execute("return window.__longTasks", vec![]).await.unwrap().as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
                println!(
                    "LOAD {at}, {mb} MB: {elapsed:.2} s from choosing the file to the batched matrix and a ready run; longest task on the page's thread {:.0} ms ({} tasks over 50 ms)",
                    long.iter().copied().fold(0.0, f64::max),
                    long.len()
                );
                drags(&c, &format!("{at}, {mb} MB")).await;
            }
        }
        assert_no_console_errors(port, &c).await;
    })
    .await;
}
