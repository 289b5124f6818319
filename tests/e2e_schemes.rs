#![cfg(not(target_arch = "wasm32"))]
//! End-to-end: the page batches and trains with fastai 1, fastai 2 and
//! Hugging Face's loaders exactly as the core does, on the release build in
//! headless Chromium.

mod support;

use batchscope::data::batcher::{BatchConfig, LmBatcher, Scheme};
use batchscope::data::corpus::{Corpus, TokenLevel};
use fantoccini::Locator;
use support::browser::{
    assert_no_console_errors, save_element_screenshot, text_of, wait_for_js, with_client, Driver,
};
use support::page::{numbers, wait_steps};
use support::static_server::StaticServer;

#[tokio::test(flavor = "multi_thread")]
async fn two_steps_of_each_new_loader_show_the_cores_batches() {
    let server = StaticServer::start(&support::dist_dir());
    let driver = Driver::start();
    let port = driver.port;
    let urls: Vec<(Scheme, String)> = [Scheme::FastaiV1, Scheme::FastaiV2, Scheme::HfBlocks]
        .map(|s| {
            (
                s,
                server.url(&format!("/#bs=8&bptt=30&scheme={s}&seed=2&hidden=16")),
            )
        })
        .to_vec();
    with_client(&driver, move |c| async move {
        let corpus = Corpus::from_documents(&batchscope::data::corpora::documents("stories").unwrap(), TokenLevel::Char).unwrap();
        for (scheme, url) in urls {
            c.goto(&url).await.unwrap();
            c.refresh().await.unwrap();
            wait_for_js(&c, "document.querySelector(\"[data-testid='unrolled-count']\")", "the unrolled view").await;
            let epoch = LmBatcher::new(&corpus, BatchConfig { bs: 8, bptt: 30, scheme, seed: 2 }).unwrap().epoch(0);
            let step = c.find(Locator::Css("[data-testid='step-button']")).await.unwrap();
            for k in 1..=2 {
                step.click().await.unwrap();
                wait_steps(&c, k).await;
            }
            let w = epoch.windows[1];
            assert_eq!(numbers(&text_of(&c, "unrolled-count").await), vec![w.seq_len], "{scheme}");
            assert!(text_of(&c, "batch-index").await.contains(&format!("batch 2 of {}", epoch.windows.len())), "{scheme}");
            for j in 0..w.width {
                let (input, target) = epoch.sequence(&w, j);
                let label = epoch.batch_column(&w, j);
                let line = |block: &'static str| format!("return document.querySelector(\".{block} .batch-line[data-stream='{label}'] .batch-tokens\").textContent");
                assert_eq!(c.execute(&line("batch-input"), vec![]).await.unwrap(), corpus.display(&input), "{scheme} input {j}");
                assert_eq!(c.execute(&line("batch-target"), vec![]).await.unwrap(), corpus.display(&target), "{scheme} target {j}");
            }
            let (entering, caption) = (text_of(&c, "carried-state").await, text_of(&c, "matrix-caption").await);
            match scheme {
                Scheme::HfBlocks => {
                    assert!(entering.contains("every block starts fresh"), "{entering}");
                    assert!(caption.contains("blocks of 30 tokens, one per row in corpus order"), "{caption}");
                    save_element_screenshot(&c, "corpus-matrix", &format!("{}/matrix-hf-blocks.png", env!("CARGO_TARGET_TMPDIR"))).await;
                }
                Scheme::FastaiV2 => {
                    assert!(entering.starts_with("h, c carried from"), "{entering}");
                    assert!(caption.contains("its last row (under the blue line) is the next stream's first token"), "{caption}");
                }
                _ => {
                    assert!(entering.starts_with("h, c carried from"), "{entering}");
                    assert!(caption.contains("wrapping round to the corpus's start"), "{caption}");
                }
            }
            let loss: f64 = text_of(&c, "batch-loss").await.trim().parse().unwrap_or(f64::NAN);
            assert!(loss.is_finite() && loss > 0.0, "{scheme}: loss {loss}");
        }
        assert_no_console_errors(port, &c).await;
    })
    .await;
}
