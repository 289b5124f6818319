#![cfg(not(target_arch = "wasm32"))]
//! End-to-end: question 1's scene, "does bs = 64 mean 64 batches?", at
//! 1280 px. The page opens on the three questions; a press sets bs = 64
//! (the URL says so) and each caption, below the lit panel it talks about,
//! names the numbers that panel shows at that moment; bs = 128 doubles the
//! columns and each batch and halves the rows and batches; Back restores
//! bs = 64; Escape gives control back, and a control touched mid-scene ends
//! the tour without being undone.

mod support;

use batchscope::page::costs::group_digits as g;
use batchscope::page::tour::Question;
use support::browser::{
    assert_no_console_errors, save_screenshot, set_slider, wait_for_js, with_client, Driver,
};
use support::page::{click, wait_text};
use support::static_server::StaticServer;
use support::tour::{
    assert_below, back, decimals, focused_id, next, press_escape, snapshot, tour_open,
    wait_caption, wait_closed, wait_hash,
};

/// `n` as a whole number.
fn int(n: f64) -> usize {
    n as usize
}

#[tokio::test(flavor = "multi_thread")]
async fn question_1_doubles_bs_and_names_what_the_panels_show() {
    let server = StaticServer::start(&support::dist_dir());
    let driver = Driver::start();
    let port = driver.port;
    let url = server.url("/#bs=40&scheme=fastai-v1&seed=3");
    with_client(&driver, move |c| async move {
        c.goto(&url).await.unwrap();
        // The page opens on the three questions, above the controls.
        wait_for_js(&c, "document.querySelector(\"[data-testid='bs-lm-batches']\")", "the page").await;
        for q in Question::ALL {
            let (words, above) = {
                let v = c
                    .execute(
                        "const b = document.querySelector(`[data-testid='tour-${arguments[0]}']`);
                         const s = document.querySelector(\"[data-testid='bs-slider']\");
                         return [b.querySelector('.tour-words').textContent, b.getBoundingClientRect().bottom <= s.getBoundingClientRect().top];",
                        vec![serde_json::json!(q.id())],
                    )
                    .await
                    .unwrap();
                (v[0].as_str().unwrap().to_string(), v[1].as_bool().unwrap())
            };
            assert_eq!(words, q.words());
            assert!(above, "question {} sits above the controls", q.id());
        }
        assert!(!tour_open(&c).await, "no caption before a question is pressed");

        // Caption 1: bs = 64, the language model's columns.
        click(&c, "tour-q1").await;
        let _ = wait_caption(&c, 1, 5).await;
        assert_eq!(focused_id(&c).await, "tour-question", "focus moves to the caption");
        wait_hash(&c, &["bs=64", "bptt=70", "scheme=pytorch", "seed=3"]).await;
        let (caption, panels) = snapshot(&c, &["bs-lm-sentence", "bs-lm-batches"]).await;
        let lm = decimals(&panels[0]);
        let (tokens, rows, batches_64) = (int(lm[0]), int(lm[2]), int(decimals(&panels[1])[0]));
        assert_eq!(int(lm[1]), 64, "{}", panels[0]);
        for part in [
            format!("stream of {} tokens into 64 columns of {} rows", g(tokens), g(rows)),
            "64 sequences × 70 tokens".to_string(),
            format!("{batches_64} batches per epoch"),
        ] {
            assert!(caption.contains(&part), "caption 1 says {part:?}: {caption}");
        }
        assert_below(&c, "bs-meaning").await;

        // Caption 2: the matrix; the first batch is rows 0–69 of every column.
        let caption = next(&c, 2, 5).await;
        let (_, panels) = snapshot(&c, &["matrix-caption", "tokens-per-batch", "batches-per-epoch", "rows-per-stream"]).await;
        let per_batch_64 = int(*decimals(&panels[1]).last().unwrap());
        let rows_64 = int(decimals(&panels[3])[2]);
        assert_eq!(int(decimals(&panels[0])[2]), rows, "{}", panels[0]);
        assert_eq!((rows_64, int(decimals(&panels[2])[0])), (rows, batches_64));
        for part in [format!("each holds {} consecutive rows", g(rows)), "rows 0–69 of every column".to_string(), format!("64 × 70 = {} tokens", g(per_batch_64))] {
            assert!(caption.contains(&part), "caption 2 says {part:?}: {caption}");
        }
        assert_below(&c, "corpus-matrix").await;

        // Caption 3: bs = 128; every number before and after, as the costs panel shows them.
        let caption = next(&c, 3, 5).await;
        wait_text(&c, "bs-slider-value", "128").await;
        wait_hash(&c, &["bs=128"]).await;
        let (caption_now, panels) = snapshot(&c, &["tokens-per-batch", "batches-per-epoch", "rows-per-stream"]).await;
        assert_eq!(caption_now, caption, "the caption is the one shown with bs = 128");
        let (per_batch, batches, rows_128) = (
            int(*decimals(&panels[0]).last().unwrap()),
            int(decimals(&panels[1])[0]),
            int(decimals(&panels[2])[2]),
        );
        assert_eq!(per_batch, 2 * per_batch_64, "each batch doubles");
        assert_eq!(rows_128, rows / 2, "the rows per column halve");
        assert!(batches.abs_diff(batches_64 / 2) <= 1, "the batches halve: {batches_64} → {batches}");
        for part in [
            "(64 → 128)".to_string(),
            format!("({} → {})", g(rows), g(rows_128)),
            format!("({batches_64} → {batches})"),
            format!("({} → {} tokens)", g(per_batch_64), g(per_batch)),
        ] {
            assert!(caption.contains(&part), "caption 3 says {part:?}: {caption}");
        }
        assert_below(&c, "costs-panel").await;
        save_screenshot(&c, &format!("{}/tests/screenshots/tour-1280.png", env!("CARGO_MANIFEST_DIR"))).await;

        // Caption 4: the classic reading, as its panel counts it.
        let caption = next(&c, 4, 5).await;
        let (_, panels) = snapshot(&c, &["bs-classic-sentence"]).await;
        let classic = decimals(&panels[0]);
        let part = format!("⌈{}/128⌉ = {} batches", int(classic[2]), int(classic[4]));
        assert!(caption.contains(&part), "caption 4 says {part:?}: {caption}");
        assert_below(&c, "bs-meaning").await;

        // Caption 5: both readings, reconciled.
        let caption = next(&c, 5, 5).await;
        assert!(caption.starts_with("Both readings, reconciled: bs = 128"), "{caption}");
        assert!(caption.contains(&format!("(fewer: {batches})")) && caption.contains(&format!("(bigger: {} tokens)", g(per_batch))), "{caption}");
        let done = c.execute("return document.querySelector(\"[data-testid='tour-next']\").textContent", vec![]).await.unwrap();
        assert_eq!(done, "Done");

        // Back to caption 2 puts bs = 64 back.
        back(&c, 4, 5).await;
        back(&c, 3, 5).await;
        back(&c, 2, 5).await;
        wait_text(&c, "bs-slider-value", "64").await;
        wait_hash(&c, &["bs=64"]).await;

        // Escape gives control back: no caption, focus on the question, the controls are the learner's.
        press_escape(&c).await;
        wait_closed(&c).await;
        assert!(!tour_open(&c).await);
        assert_eq!(focused_id(&c).await, "tour-q1");
        wait_text(&c, "tour-note", "You left the tour").await;
        set_slider(&c, "bs-slider", 100).await;
        wait_text(&c, "bs-slider-value", "100").await;
        wait_hash(&c, &["bs=100"]).await;

        // Touching a control mid-scene ends the tour, and the tour leaves it be.
        click(&c, "tour-q1").await;
        wait_caption(&c, 1, 5).await;
        wait_text(&c, "bs-slider-value", "64").await;
        set_slider(&c, "bptt-slider", 35).await;
        wait_text(&c, "tour-note", "You took over").await;
        assert!(!tour_open(&c).await);
        wait_hash(&c, &["bs=64", "bptt=35"]).await;
        click(&c, "step-button").await;
        support::page::wait_steps(&c, 1).await;
        wait_text(&c, "bptt-slider-value", "35").await;
        assert_no_console_errors(port, &c).await;
    })
    .await;
}
