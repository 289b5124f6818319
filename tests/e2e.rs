#![cfg(not(target_arch = "wasm32"))]
//! End-to-end tests of the page's views and stepping, on the release build in
//! headless Chromium, checked against the core and the CLI.

mod support;

use batchscope::data::batcher::{BatchConfig, LmBatcher, Scheme};
use batchscope::data::corpus::{Corpus, TokenLevel};
use fantoccini::{Client, Locator};
use serde_json::json;
use support::browser::{
    assert_no_console_errors, save_element_screenshot, save_screenshot, set_slider, text_of,
    wait_for_js, with_client, Driver,
};
use support::page::{numbers, numbers_of, wait_steps};
use support::static_server::StaticServer;

fn stories() -> Corpus {
    Corpus::from_documents(
        &batchscope::data::corpora::documents("stories").unwrap(),
        TokenLevel::Char,
    )
    .unwrap()
}

/// Saturation (max − min channel) of the canvas pixel at CSS (x, y).
async fn saturation_at(c: &Client, x: f64, y: f64) -> u64 {
    let value = c
        .execute(
            "const cv = document.querySelector(\"[data-testid='corpus-matrix']\");
             const r = cv.width / cv.getBoundingClientRect().width;
             const d = cv.getContext('2d').getImageData(Math.floor(arguments[0] * r), Math.floor(arguments[1] * r), 1, 1).data;
             return Math.max(d[0], d[1], d[2]) - Math.min(d[0], d[1], d[2]);",
            vec![json!(x), json!(y)],
        )
        .await
        .unwrap();
    value.as_u64().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn dragging_bs_rebatches_the_numbers_and_the_lit_window() {
    let server = StaticServer::start(&support::dist_dir());
    let driver = Driver::start();
    let (url, port) = (
        server.url("/#bs=64&bptt=70&scheme=pytorch&seed=1"),
        driver.port,
    );
    with_client(&driver, move |c| async move {
        c.goto(&url).await.unwrap();
        let corpus = stories();
        for bs in [64usize, 128] {
            if bs != 64 {
                set_slider(&c, "bs-slider", bs).await;
            }
            let expected = LmBatcher::new(&corpus, BatchConfig { bs, bptt: 70, scheme: Scheme::Pytorch, seed: 1 }).unwrap();
            wait_for_js(&c, &format!("document.querySelector(\"[data-testid='matrix-caption']\")?.textContent.includes('→ {bs} columns')"), "the matrix caption").await;
            // The costs follow once the drag rests, not in every frame of it.
            wait_for_js(&c, &format!("document.querySelector(\"[data-testid='tokens-per-batch']\")?.textContent.includes('= {bs} ×')"), "the costs").await;
            // "tokens / bs = 119,636 / 64 = 1,869 rows"
            assert_eq!(numbers_of(&c, "rows-per-stream").await[..3], [expected.tokens(), bs, expected.rows()], "rows at bs={bs}");
            assert_eq!(numbers_of(&c, "batches-per-epoch").await[0], expected.batches_per_epoch(), "batches at bs={bs}");
            assert_eq!(numbers_of(&c, "dropped-tokens").await[0], expected.dropped(), "dropped at bs={bs}");
            assert!(text_of(&c, "batch-text").await.contains(&format!("{bs}")), "the batch text states bs");
        }
        // Rows 0..70 are the first window: lit (saturated) cells; rows far below are washed out.
        let (ribbon, row) = (28.0, 4.0); // CSS px: ribbon band + gap, default row height
        let (mut lit_sum, mut dim_sum) = (0, 0);
        for i in 0..20 {
            let x = 3.0 + i as f64 * 46.0;
            lit_sum += saturation_at(&c, x, ribbon + row * 10.5).await;
            dim_sum += saturation_at(&c, x, ribbon + row * 90.5).await;
        }
        assert!(lit_sum > 2 * dim_sum, "lit window {lit_sum} vs rows below {dim_sum}");
        assert_no_console_errors(port, &c).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn three_fastai_steps_show_the_clis_seq_lens_and_the_keys_work() {
    let server = StaticServer::start(&support::dist_dir());
    let driver = Driver::start();
    let (url, port) = (
        server.url("/#bs=32&bptt=40&scheme=fastai-v0.7&seed=7&hidden=16"),
        driver.port,
    );
    // What the CLI says for the same corpus files and settings.
    let stories: Vec<String> = (1..=40)
        .map(|i| {
            let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/data/corpora/stories");
            let mut names: Vec<_> = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            names.sort();
            names[i - 1].display().to_string()
        })
        .collect();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_batchscope"))
        .args([
            "batches",
            "--bs",
            "32",
            "--bptt",
            "40",
            "--scheme",
            "fastai-v0.7",
            "--seed",
            "7",
            "--corpus",
        ])
        .args(&stories)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cli_seq_lens: Vec<usize> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .skip(1)
        .take(3)
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["seq_len"]
                .as_u64()
                .unwrap() as usize
        })
        .collect();
    with_client(&driver, move |c| async move {
        c.goto(&url).await.unwrap();
        wait_for_js(&c, "document.querySelector(\"[data-testid='unrolled-count']\")", "the unrolled view").await;
        let step = c.find(Locator::Css("[data-testid='step-button']")).await.unwrap();
        for k in 1..=3 {
            step.click().await.unwrap();
            wait_steps(&c, k).await;
            assert_eq!(numbers(&text_of(&c, "unrolled-count").await), vec![cli_seq_lens[k - 1]], "step {k}");
            assert!(text_of(&c, "batch-index").await.contains(&format!("batch {k} of")), "batch index after step {k}");
        }
        // Three steps kept for "back", and the button says so.
        assert_eq!(text_of(&c, "back-left").await.trim(), "(3)");
        // The last cell's loss fades as it flows back: the first cell is paler than the last.
        let fills = c
            .execute(
                "const cells = [...document.querySelectorAll(\"[data-testid='unroll-view'] g.cell\")];
                 const fill = g => g.querySelector('rect.cell-layer.top').getAttribute('fill');
                 return [fill(cells[0]), fill(cells[cells.length - 1])];",
                vec![],
            )
            .await
            .unwrap();
        let brightness = |v: &serde_json::Value| numbers(v.as_str().unwrap()).iter().sum::<usize>();
        assert!(brightness(&fills[0]) > brightness(&fills[1]) + 100, "gradient fading: first {} vs last {}", fills[0], fills[1]);
        let history = text_of(&c, "seq-len-history").await;
        let shown = cli_seq_lens.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(", ");
        assert!(history.contains(&shown), "history {history:?} should list {shown}");
        save_screenshot(&c, concat!(env!("CARGO_MANIFEST_DIR"), "/tests/screenshots/page.png")).await;
        for (testid, name) in [("corpus-matrix", "matrix"), ("unroll-view", "unrolled"), ("bs-meaning", "bs-meaning"), ("batch-text", "batch")] {
            save_element_screenshot(&c, testid, &format!("{}/tests/screenshots/{name}.png", env!("CARGO_MANIFEST_DIR"))).await;
        }

        // Keyboard: → steps, ← goes back, r resets (focus on the page, not a control).
        let body = c.find(Locator::Css("body")).await.unwrap();
        c.execute("document.activeElement && document.activeElement.blur()", vec![]).await.unwrap();
        body.send_keys("\u{E014}").await.unwrap(); // →
        wait_steps(&c, 4).await;
        body.send_keys("\u{E012}").await.unwrap(); // ←
        wait_steps(&c, 3).await;
        body.send_keys("r").await.unwrap();
        wait_steps(&c, 0).await;
        assert!(text_of(&c, "batch-index").await.contains("batch 1 of"));
        assert_no_console_errors(port, &c).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn settings_load_from_the_hash_and_garbage_falls_back_with_a_notice() {
    let server = StaticServer::start(&support::dist_dir());
    let driver = Driver::start();
    let (good, bad, port) = (
        server.url("/#bs=16&bptt=35&scheme=pytorch&seed=3"),
        // The address bar sends a typed space as %20: the notice quotes it as typed.
        server.url("/#bs=-3&bptt=abc&corpus=my%20novel"),
        driver.port,
    );
    with_client(&driver, move |c| async move {
        c.goto(&good).await.unwrap();
        wait_for_js(
            &c,
            "document.querySelector(\"[data-testid='bs-slider-value']\")?.textContent === '16'",
            "bs from the hash",
        )
        .await;
        assert_eq!(text_of(&c, "bptt-slider-value").await, "35");
        let scheme = c
            .execute(
                "return document.querySelector(\"[data-testid='scheme-select']\").value",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(scheme, json!("pytorch"));
        let seed = c
            .execute(
                "return document.querySelector(\"[data-testid='seed-input']\").value",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(seed, json!("3"));
        assert!(
            c.find(Locator::Css("[data-testid='notice']"))
                .await
                .is_err(),
            "a good hash gives no notice"
        );

        c.goto(&bad).await.unwrap();
        c.refresh().await.unwrap();
        wait_for_js(
            &c,
            "document.querySelector(\"[data-testid='notice']\")",
            "the notice",
        )
        .await;
        let notice = text_of(&c, "notice").await;
        assert!(
            notice.contains("bs=-3")
                && notice.contains("bptt=abc")
                && notice.contains("corpus=my novel is not"),
            "{notice}"
        );
        assert_eq!(text_of(&c, "bs-slider-value").await, "64");
        // The URL follows the settings once they rest (150 ms): it is repaired.
        wait_for_js(
            &c,
            "location.hash.includes('bs=64&bptt=70')",
            "the repaired URL",
        )
        .await;
        assert_no_console_errors(port, &c).await;
    })
    .await;
}
