#![cfg(target_arch = "wasm32")]
//! "The batch" panel mounted in a real (headless) browser on the real
//! stories corpus: one line per stream of the lit window, all streams on
//! request, and a clear refusal for a window that does not fit.

use batchscope::data::batcher::{Scheme, Window};
use batchscope::data::corpus::Corpus;
use batchscope::web::ui::batch_text::{BatchText, FIRST_STREAMS};
use batchscope::web::ui::batching::Batching;
use batchscope::web::ui::slider::Slider;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

mod web_support;
use web_support::{batching_of, drag, host, select, stories, testid, text};

/// The text of stream `j`'s input in `window`, read cell by cell (not through
/// the component's own slicing helper).
fn expected_line(
    corpus: &Corpus,
    b: &Batching,
    window: Window,
    stream: usize,
    shift: usize,
) -> String {
    let ids: Vec<u32> = (0..window.seq_len)
        .map(|t| b.epoch.token(stream, window.start + shift + t))
        .collect();
    corpus.display(&ids)
}

#[wasm_bindgen_test]
async fn batch_text_shows_one_line_per_stream_and_all_on_request() {
    let host = host();
    let corpus = stories();
    let (bs, bptt) = (RwSignal::new(64usize), RwSignal::new(70usize));
    let batching = batching_of(corpus.clone(), bs, bptt, Scheme::FastaiV07);
    let which = RwSignal::new(Some(1usize));
    let window = Signal::derive(move || {
        let k = which.get()?;
        batching
            .get()
            .ok()
            .and_then(|b| b.epoch.windows.get(k).copied())
    });
    let _mounted = leptos::mount::mount_to(host.clone(), move || {
        view! {
            <Slider label="bs" name="bs" testid="bs-slider" input_testid="bs-input" min=1 max=256 value=bs />
            <BatchText batching=batching window=window />
        }
    });
    leptos::task::tick().await;
    let first_line = select(&host, ".batch-input .batch-line[data-stream='0']");

    for (bs_now, all) in [(64usize, false), (64, true), (128, true), (128, false)] {
        if bs_now != bs.get_untracked() {
            drag(&host, "bs-slider", bs_now);
            leptos::task::tick().await;
        }
        let shown_all = select(&host, "[data-testid='batch-text-toggle']")
            .get_attribute("aria-pressed")
            .unwrap()
            == "true";
        if shown_all != all {
            select(&host, "[data-testid='batch-text-toggle']")
                .unchecked_into::<HtmlElement>()
                .click();
            leptos::task::tick().await;
        }
        let b = batching.get_untracked().unwrap();
        let w = b.epoch.windows[1];
        assert_eq!(testid(&host, "batch-shape"), format!("one batch = {bs_now} sequences × {} tokens (input) → the same shifted by one (target)", w.seq_len));
        let lines = if all { bs_now } else { FIRST_STREAMS };
        assert_eq!(
            select(&host, ".batch-input .batch-lines").child_element_count() as usize,
            lines
        );
        assert_eq!(
            select(&host, ".batch-target .batch-lines").child_element_count() as usize,
            lines
        );
        let toggle = testid(&host, "batch-text-toggle");
        assert_eq!(
            toggle,
            if all {
                format!("show the first {FIRST_STREAMS} streams")
            } else {
                format!("show all {bs_now} streams")
            }
        );
        for j in [0, 1, lines / 2, lines - 1] {
            let input = text(
                &host,
                &format!(".batch-input .batch-line[data-stream='{j}'] .batch-tokens"),
            );
            let target = text(
                &host,
                &format!(".batch-target .batch-line[data-stream='{j}'] .batch-tokens"),
            );
            assert_eq!(
                input,
                expected_line(&corpus, &b, w, j, 0),
                "input of stream {j}"
            );
            assert_eq!(
                target,
                expected_line(&corpus, &b, w, j, 1),
                "target of stream {j}"
            );
            assert_eq!(
                input.chars().count(),
                w.seq_len,
                "char level: one symbol per token"
            );
            assert!(
                !input.contains('\n') && !input.contains(' '),
                "newlines and spaces are drawn as ⏎ and ·"
            );
            let number = text(
                &host,
                &format!(".batch-input .batch-line[data-stream='{j}'] .batch-stream"),
            );
            assert_eq!(number.trim(), j.to_string());
        }
    }

    // Lines are kept per stream: new windows and bs only change their text.
    assert!(
        select(&host, ".batch-input .batch-line[data-stream='0']").is_same_node(Some(&first_line))
    );

    which.set(None);
    leptos::task::tick().await;
    assert_eq!(
        text(&host, ".batch-empty"),
        "No batch yet: step to see one."
    );
}

#[wasm_bindgen_test]
async fn batch_text_refuses_a_window_that_does_not_fit() {
    let host = host();
    let corpus = stories();
    let (bs, bptt) = (RwSignal::new(256usize), RwSignal::new(70usize));
    let batching = batching_of(corpus.clone(), bs, bptt, Scheme::Pytorch);
    // A window from a batching with far more rows per stream (bs = 2).
    let stale = Window {
        epoch: 0,
        index: 500,
        start: 35_000,
        seq_len: 70,
        width: 64,
    };
    let _mounted = leptos::mount::mount_to(host.clone(), move || {
        view! { <BatchText batching=batching window=Signal::derive(move || Some(stale)) /> }
    });
    leptos::task::tick().await;
    let shown = text(&host, ".batch-refused");
    assert!(shown.contains("does not fit the current"), "{shown}");
}
