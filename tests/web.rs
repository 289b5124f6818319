#![cfg(target_arch = "wasm32")]
//! Components mounted in a real (headless) browser and driven with real DOM events.

use std::sync::Arc;

use batchscope::data::batcher::{BatchConfig, Scheme};
use batchscope::data::corpus::{Corpus, TokenLevel};
use batchscope::web::ui::batching::Batching;
use batchscope::web::ui::corpus_matrix::CorpusMatrix;
use batchscope::web::ui::slider::Slider;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

mod web_support;
use web_support::{drag, host, select, text};

fn find<T: JsCast>(host: &HtmlElement, testid: &str) -> T {
    select(host, &format!("[data-testid='{testid}']")).unchecked_into()
}

fn pixels(canvas: &HtmlCanvasElement) -> Vec<u8> {
    let ctx: CanvasRenderingContext2d = canvas.get_context("2d").unwrap().unwrap().unchecked_into();
    ctx.get_image_data(0.0, 0.0, canvas.width() as f64, canvas.height() as f64)
        .unwrap()
        .data()
        .0
}

#[wasm_bindgen_test]
async fn slider_input_event_sets_the_signal_and_the_shown_value() {
    let host = host();
    let value = RwSignal::new(64usize);
    let _mounted = leptos::mount::mount_to(host.clone(), move || {
        view! { <Slider label="bs" name="bs" testid="bs-slider" input_testid="bs-input" min=1 max=256 value=value /> }
    });
    leptos::task::tick().await;
    let input: HtmlInputElement = find(&host, "bs-slider");
    assert_eq!(input.value(), "64");
    drag(&host, "bs-slider", 128);
    leptos::task::tick().await;
    assert_eq!(value.get_untracked(), 128);
    let shown: HtmlElement = find(&host, "bs-slider-value");
    assert_eq!(shown.text_content().unwrap(), "128");
    // The number box follows the slider, and the slider the number box.
    let typed: HtmlInputElement = find(&host, "bs-input");
    assert_eq!(typed.value(), "128");
    drag(&host, "bs-input", 96);
    leptos::task::tick().await;
    assert_eq!(
        (value.get_untracked(), input.value()),
        (96, "96".to_string())
    );
    let error: HtmlElement = find(&host, "bs-input-error");
    assert_eq!(error.text_content().unwrap(), "");
    // Out of range: the value stays, and the message names the range.
    drag(&host, "bs-input", 999);
    leptos::task::tick().await;
    assert_eq!(value.get_untracked(), 96);
    assert_eq!(
        error.text_content().unwrap(),
        "bs is a whole number from 1 to 256"
    );
    // Typing 1000 digit by digit passes through bs = 1, 10, 100; ending the
    // edit on 1000 puts back the value from before it, and says why.
    let event = |name: &str| {
        typed
            .dispatch_event(&web_sys::Event::new(name).unwrap())
            .unwrap()
    };
    event("focus");
    for text in [1, 10, 100, 1000] {
        drag(&host, "bs-input", text);
        leptos::task::tick().await;
    }
    assert_eq!(value.get_untracked(), 100);
    event("change");
    leptos::task::tick().await;
    assert_eq!(
        (value.get_untracked(), typed.value(), input.value()),
        (96, "96".to_string(), "96".to_string())
    );
    assert_eq!(
        error.text_content().unwrap(),
        "bs is a whole number from 1 to 256"
    );
    // A valid edit stays.
    event("focus");
    drag(&host, "bs-input", 40);
    event("change");
    leptos::task::tick().await;
    assert_eq!(
        (value.get_untracked(), error.text_content().unwrap()),
        (40, String::new())
    );
}

#[wasm_bindgen_test]
async fn dragging_bs_rebatches_and_redraws_the_matrix() {
    let host = host();
    let corpus = Arc::new(
        Corpus::from_documents(&[batchscope::data::corpora::HARBOUR], TokenLevel::Char).unwrap(),
    );
    let tokens = corpus.num_tokens();
    let bs = RwSignal::new(16usize);
    let batching = Memo::new(move |_| {
        let cfg = BatchConfig {
            bs: bs.get(),
            bptt: 20,
            scheme: Scheme::Pytorch,
            seed: 0,
        };
        Batching::new(corpus.clone(), cfg, 0)
    });
    let _mounted = leptos::mount::mount_to(host.clone(), move || {
        view! {
            <Slider label="bs" name="bs" testid="bs-slider" input_testid="bs-input" min=1 max=256 value=bs />
            <CorpusMatrix batching=batching window=Signal::derive(move || batching.get().ok().map(|b| b.epoch.windows[0])) />
        }
    });
    leptos::task::tick().await;
    let canvas: HtmlCanvasElement = find(&host, "corpus-matrix");
    let caption = || text(&host, "[data-testid='matrix-caption']");
    assert!(
        caption().contains(&format!("→ 16 columns (streams) × {} rows", tokens / 16)),
        "{}",
        caption()
    );
    let before = pixels(&canvas);

    drag(&host, "bs-slider", 32);
    leptos::task::tick().await;
    assert!(
        caption().contains(&format!("→ 32 columns (streams) × {} rows", tokens / 32)),
        "{}",
        caption()
    );
    assert_ne!(
        before,
        pixels(&canvas),
        "the canvas must show 32 columns now"
    );
}
