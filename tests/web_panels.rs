#![cfg(target_arch = "wasm32")]
//! The Costs, "What does bs mean?" and "The batch" panels mounted in a real
//! (headless) browser on the real stories corpus, driven with real DOM events.

use std::sync::Arc;

use batchscope::data::batcher::{BatchConfig, LmBatcher, Scheme};
use batchscope::data::corpus::{Corpus, TokenLevel};
use batchscope::page::costs::{format_megabytes, group_digits, step_costs};
use batchscope::training::page_model::EMBED;
use batchscope::web::ui::bs_meaning::BsMeaning;
use batchscope::web::ui::classic_example::{
    classic_examples, classic_misreading, classic_sentence, doubling_sentence,
};
use batchscope::web::ui::costs_panel::CostsPanel;
use batchscope::web::ui::slider::Slider;
use leptos::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod web_support;
use web_support::{batching_of, drag, host, select, sleep_ms, stories, testid, text};

fn batcher(corpus: &Corpus, bs: usize, bptt: usize) -> LmBatcher {
    LmBatcher::new(
        corpus,
        BatchConfig {
            bs,
            bptt,
            scheme: Scheme::Pytorch,
            seed: 1,
        },
    )
    .unwrap()
}

#[wasm_bindgen_test]
async fn costs_panel_numbers_follow_a_bs_drag() {
    let host = host();
    let corpus = stories();
    let (bs, bptt) = (RwSignal::new(64usize), RwSignal::new(70usize));
    let batching = batching_of(corpus.clone(), bs, bptt, Scheme::Pytorch);
    let window = Signal::derive(move || {
        batching
            .get()
            .ok()
            .and_then(|b| b.epoch.windows.first().copied())
    });
    let (hidden, layers) = (RwSignal::new(64usize), RwSignal::new(1usize));
    let (loss, running_loss) = (RwSignal::new(None::<f64>), RwSignal::new(None::<f64>));
    let _mounted = leptos::mount::mount_to(host.clone(), move || {
        view! {
            <Slider label="bs" name="bs" testid="bs-slider" input_testid="bs-input" min=1 max=256 value=bs />
            <CostsPanel batching=batching window=window hidden=hidden layers=layers loss=loss running_loss=running_loss />
        }
    });
    leptos::task::tick().await;
    let rows_node = select(&host, "[data-testid='rows-per-stream']");

    for bs_now in [64usize, 128] {
        if bs_now != 64 {
            drag(&host, "bs-slider", bs_now);
            leptos::task::tick().await;
        }
        let b = batcher(&corpus, bs_now, 70);
        let rows = corpus.num_tokens() / bs_now;
        assert_eq!(b.rows(), rows);
        let shown = testid(&host, "rows-per-stream");
        assert!(
            shown.contains(&format!(
                "{} / {bs_now} = {} rows",
                group_digits(corpus.num_tokens()),
                group_digits(rows)
            )),
            "{shown}"
        );
        let shown = testid(&host, "batches-per-epoch");
        assert!(
            shown.starts_with(&format!(
                "{} batches = {} weight updates",
                b.batches_per_epoch(),
                b.batches_per_epoch()
            )),
            "{shown}"
        );
        let shown = testid(&host, "dropped-tokens");
        assert!(shown.starts_with(&format!("{} (", b.dropped())), "{shown}");
        assert_eq!(b.dropped(), corpus.num_tokens() - rows * bs_now);
        let shown = testid(&host, "tokens-per-batch");
        assert!(
            shown.starts_with(&format!(
                "bs × seq_len = {bs_now} × 70 = {} tokens",
                group_digits(bs_now * 70)
            )),
            "{shown}"
        );
        let costs = step_costs(
            bs_now,
            70,
            64,
            1,
            EMBED,
            corpus.vocab_size(),
            b.batches_per_epoch(),
        );
        let doubled = step_costs(2 * bs_now, 70, 64, 1, EMBED, corpus.vocab_size(), 0);
        let memory = testid(&host, "activation-memory");
        assert!(
            memory.starts_with(&format_megabytes(costs.activation_bytes)),
            "{memory}"
        );
        assert!(
            memory.contains(&format!(
                "bs × seq_len × hidden × gates × bytes × layers = {bs_now} × 70 × 64 × 7 × 4 × 1"
            )),
            "{memory}"
        );
        assert!(
            memory.contains(&format!(
                "at bs = {}: 2× = {}",
                2 * bs_now,
                format_megabytes(doubled.activation_bytes)
            )),
            "{memory}"
        );
    }
    // Updated in place: a drag changes text, it does not rebuild the list.
    assert!(select(&host, "[data-testid='rows-per-stream']").is_same_node(Some(&rows_node)));
    // bs 64 → 128 halves the rows and (about) the updates: the batch got bigger.
    assert_eq!(batcher(&corpus, 128, 70).rows(), corpus.num_tokens() / 128);

    assert_eq!(testid(&host, "batch-loss"), "—");
    assert_eq!(testid(&host, "running-loss"), "—");
    loss.set(Some(2.4567));
    running_loss.set(Some(3.5));
    leptos::task::tick().await;
    assert_eq!(testid(&host, "batch-loss"), "2.457");
    assert_eq!(testid(&host, "running-loss"), "3.500");

    // A bigger model: the LSTM term grows with hidden and layers.
    layers.set(2);
    leptos::task::tick().await;
    assert!(testid(&host, "activation-memory").contains("= 128 × 70 × 64 × 7 × 4 × 2"));
}

#[wasm_bindgen_test]
async fn costs_panel_shows_why_it_cannot_batch() {
    let host = host();
    let corpus = Arc::new(Corpus::from_documents(&["abcdefghij"], TokenLevel::Char).unwrap());
    let (bs, bptt) = (RwSignal::new(8usize), RwSignal::new(4usize));
    let batching = batching_of(corpus, bs, bptt, Scheme::Pytorch);
    let _mounted = leptos::mount::mount_to(host.clone(), move || {
        view! { <CostsPanel batching=batching window=Signal::derive(|| None) hidden=Signal::derive(|| 8) layers=Signal::derive(|| 1) loss=Signal::derive(|| None) running_loss=Signal::derive(|| None) /> }
    });
    leptos::task::tick().await;
    assert!(
        text(&host, ".costs-refused").contains("bs = 8 leaves 1 row per stream"),
        "{}",
        text(&host, ".costs-refused")
    );
    bs.set(2);
    leptos::task::tick().await;
    // No window yet: seq_len is bptt, and the panel says so.
    assert!(testid(&host, "tokens-per-batch")
        .starts_with("bs × seq_len = 2 × 4 = 8 tokens (the first batch"));
    assert!(testid(&host, "rows-per-stream").contains("10 / 2 = 5 rows"));
}

#[wasm_bindgen_test]
async fn bs_meaning_strikes_out_the_misreading_with_live_numbers() {
    let host = host();
    let corpus = stories();
    assert_eq!(corpus.documents().len(), 40);
    let (bs, bptt) = (RwSignal::new(16usize), RwSignal::new(70usize));
    let batching = batching_of(corpus.clone(), bs, bptt, Scheme::FastaiV07);
    let _mounted = leptos::mount::mount_to(host.clone(), move || {
        view! {
            <Slider label="bs" name="bs" testid="bs-slider" input_testid="bs-input" min=1 max=256 value=bs />
            <BsMeaning batching=batching bs=bs bptt=bptt />
        }
    });
    leptos::task::tick().await;
    let root = select(&host, "[data-testid='bs-meaning']");
    assert!(root.text_content().unwrap().contains("What does bs mean?"));
    // The classic examples are the stories' lines: several batches even at bs = 64.
    let (n, noun) = classic_examples(&corpus);
    assert_eq!(noun, "line");
    assert!(n > 4 * 128, "{n} lines");
    assert_eq!(
        testid(&host, "bs-classic-sentence"),
        classic_sentence(n, noun, 16)
    );
    assert_eq!(
        text(&host, "s[data-testid='bs-classic-misreading']"),
        classic_misreading(n, noun, 16)
    );
    // The first three batches drawn, 16 places each, numbered on.
    assert_eq!(select(&host, ".bs-batches").child_element_count(), 3);
    assert_eq!(
        select(&host, ".bs-batch:nth-child(3)")
            .get_attribute("aria-label")
            .unwrap(),
        "batch 3: 16 of 16 places filled"
    );
    assert_eq!(text(&host, ".bs-batch:nth-child(3) .bs-doc"), "33");

    for bs_now in [64usize, 128] {
        drag(&host, "bs-slider", bs_now);
        // The squares follow once the drag rests.
        sleep_ms(200).await;
        leptos::task::tick().await;
        let b = LmBatcher::new(
            &corpus,
            BatchConfig {
                bs: bs_now,
                bptt: 70,
                scheme: Scheme::FastaiV07,
                seed: 1,
            },
        )
        .unwrap();
        assert_eq!(
            testid(&host, "bs-classic-sentence"),
            classic_sentence(n, noun, bs_now)
        );
        assert_eq!(
            select(&host, ".bs-batches").child_element_count(),
            3,
            "several batches at bs = {bs_now}"
        );
        assert_eq!(
            select(&host, ".bs-docs").child_element_count() as usize,
            bs_now
        );
        assert_eq!(
            text(&host, "s[data-testid='bs-classic-misreading']"),
            classic_misreading(n, noun, bs_now)
        );
        let doubled = LmBatcher::new(
            &corpus,
            BatchConfig {
                bs: 2 * bs_now,
                bptt: 70,
                scheme: Scheme::FastaiV07,
                seed: 1,
            },
        )
        .unwrap();
        assert_eq!(
            testid(&host, "bs-doubling"),
            doubling_sentence(
                n,
                noun,
                bs_now,
                b.epoch(0).windows.len(),
                Some(doubled.batches_per_epoch()),
                // fastai v0.7 draws each batch's length: "~bptt", as the sentence above.
                "~70"
            )
        );
        assert_eq!(
            testid(&host, "bs-lm-sentence"),
            format!(
                "the token stream ({} tokens) is cut into bs = {bs_now} columns of {} rows; each batch = {bs_now} sequences × ~70 tokens (one slice of every column)",
                group_digits(corpus.num_tokens()),
                group_digits(b.rows())
            )
        );
        assert_eq!(
            testid(&host, "bs-lm-batches"),
            format!("→ {} batches per epoch", b.batches_per_epoch())
        );
        assert_eq!(
            text(&host, "s[data-testid='bs-lm-misreading']"),
            format!("not: {bs_now} batches")
        );
        assert_eq!(testid(&host, "bs-reconciliation"), format!("Both readings of {bs_now}: {bs_now} columns, and {bs_now} sequences in every batch."));
    }

    // A bptt change rewrites one sentence in place; the drawings stay as they are.
    let (sentence, batches) = (
        select(&host, "[data-testid='bs-lm-sentence']"),
        select(&host, ".bs-batches"),
    );
    bptt.set(35);
    leptos::task::tick().await;
    assert!(testid(&host, "bs-lm-sentence").ends_with("× ~35 tokens (one slice of every column)"));
    assert!(select(&host, "[data-testid='bs-lm-sentence']").is_same_node(Some(&sentence)));
    assert!(select(&host, ".bs-batches").is_same_node(Some(&batches)));
}
