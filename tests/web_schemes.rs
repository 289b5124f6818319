#![cfg(target_arch = "wasm32")]
//! Every scheme in the page's panels: the batch text, the costs' rows and
//! dropped lines, "What does bs mean?" and the unrolled view's entering state
//! say what the core's batcher does, in a real (headless) browser.

use std::sync::Arc;

use batchscope::data::batcher::{BatchConfig, Scheme, Window};
use batchscope::data::corpus::{Corpus, TokenLevel};
use batchscope::page::batch_shape::shape_words;
use batchscope::web::ui::batch_text::BatchText;
use batchscope::web::ui::batching::Batching;
use batchscope::web::ui::bs_meaning::BsMeaning;
use batchscope::web::ui::costs_panel::CostsPanel;
use batchscope::web::ui::unroll_view::UnrollView;
use leptos::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod web_support;
use web_support::{all, host, testid, text};

#[wasm_bindgen_test]
async fn each_scheme_shows_the_cores_batches_in_words_and_text() {
    let docs = batchscope::data::corpora::documents("stories").unwrap();
    let corpus = Arc::new(Corpus::from_documents(&docs, TokenLevel::Char).unwrap());
    let scheme = RwSignal::new(Scheme::Pytorch);
    let (bs, bptt) = (RwSignal::new(16usize), RwSignal::new(70usize));
    let corpus_for_memo = corpus.clone();
    let batching = Memo::new(move |_| {
        let cfg = BatchConfig {
            bs: bs.get(),
            bptt: bptt.get(),
            scheme: scheme.get(),
            seed: 3,
        };
        Batching::new(corpus_for_memo.clone(), cfg, 0)
    });
    // The second batch: for hf-blocks, blocks drawn from all over the text.
    let window = Signal::derive(move || {
        batching
            .get()
            .ok()
            .and_then(|b| b.epoch.windows.get(1).copied())
    });
    let (hidden, layers) = (RwSignal::new(32usize), RwSignal::new(1usize));
    let (loss, running_loss) = (RwSignal::new(None::<f64>), RwSignal::new(None::<f64>));
    let host = host();
    let _mounted = leptos::mount::mount_to(host.clone(), move || {
        view! {
            <BsMeaning batching=batching bs=bs bptt=bptt />
            <CostsPanel batching=batching window=window hidden=hidden layers=layers loss=loss running_loss=running_loss />
            <BatchText batching=batching window=window />
            <UnrollView window=window cell_grad_norms=Signal::derive(|| None) history=Signal::derive(Vec::new) bptt=bptt layers=layers scheme=scheme />
        }
    });

    for s in Scheme::ALL {
        scheme.set(s);
        leptos::task::tick().await;
        let b = batching.get_untracked().unwrap();
        let w: Window = b.epoch.windows[1];
        let words = shape_words(&b.batcher);
        assert_eq!(testid(&host, "rows-per-stream"), words.rows, "{s}");
        assert_eq!(testid(&host, "dropped-tokens"), words.dropped, "{s}");
        assert_eq!(
            testid(&host, "batches-per-epoch"),
            format!(
                "{0} batches = {0} weight updates per epoch",
                b.epoch.windows.len()
            ),
            "{s}"
        );
        assert!(
            testid(&host, "tokens-per-batch")
                .starts_with(&format!("bs × seq_len = {} × {} =", w.width, w.seq_len)),
            "{s}"
        );
        // Every shown line is the core's sequence, input and target.
        for j in [0, 1, w.width - 1] {
            let (input, target) = b.epoch.sequence(&w, j);
            let label = b.epoch.batch_column(&w, j);
            let line = |block: &str| {
                text(
                    &host,
                    &format!(".{block} .batch-line[data-stream='{label}'] .batch-tokens"),
                )
            };
            assert_eq!(line("batch-input"), corpus.display(&input), "{s} row {j}");
            assert_eq!(line("batch-target"), corpus.display(&target), "{s} row {j}");
        }
        let entering = testid(&host, "carried-state");
        let sentence = testid(&host, "bs-lm-sentence");
        if s == Scheme::HfBlocks {
            assert!(entering.contains("every block starts fresh"), "{entering}");
            assert!(sentence.contains("blocks of 70 tokens; each batch = 16 blocks drawn at random (16 sequences × 69 tokens"), "{sentence}");
            assert!(testid(&host, "bs-reconciliation")
                .starts_with("Hugging Face's blocks take the classic reading"));
            let lit_drawn = (0..16)
                .filter(|&j| b.epoch.batch_column(&b.epoch.windows[0], j) < 64)
                .count();
            assert_eq!(all(&host, ".bs-blocks .bs-block-lit").len(), lit_drawn);
        } else {
            assert!(entering.starts_with("h, c carried from"), "{s}: {entering}");
            assert!(
                sentence.contains("is cut into bs = 16 columns of"),
                "{sentence}"
            );
        }
    }
}
