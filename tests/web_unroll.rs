#![cfg(target_arch = "wasm32")]
//! The unrolled-LSTM view mounted in a real (headless) browser: its DOM
//! follows the window, the gradient norms, the history and the layers.

use batchscope::data::batcher::{Scheme, Window};
use batchscope::web::ui::unroll_view::UnrollView;
use leptos::prelude::*;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

mod web_support;
use web_support::{all, host, text};

fn top_fills(host: &HtmlElement) -> Vec<String> {
    all(host, ".cell .cell-layer.top")
        .iter()
        .map(|r| r.get_attribute("fill").unwrap())
        .collect()
}

fn window(start: usize, seq_len: usize) -> Option<Window> {
    Some(Window {
        epoch: 0,
        index: 3,
        start,
        seq_len,
        width: 4,
    })
}

/// The view's signals, owned by the test so it can change them like the page does.
struct Inputs {
    window: RwSignal<Option<Window>>,
    norms: RwSignal<Option<Vec<f32>>>,
    history: RwSignal<Vec<usize>>,
    bptt: RwSignal<usize>,
    layers: RwSignal<usize>,
}

async fn mount(seq_len: usize) -> (HtmlElement, Inputs, impl Drop) {
    let host = host();
    let inputs = Inputs {
        window: RwSignal::new(window(210, seq_len)),
        norms: RwSignal::new(None),
        history: RwSignal::new(vec![78, 70, 74, 35]),
        bptt: RwSignal::new(70),
        layers: RwSignal::new(1),
    };
    let Inputs {
        window,
        norms,
        history,
        bptt,
        layers,
    } = inputs;
    let mounted = leptos::mount::mount_to(host.clone(), move || {
        // fastai 0.7: the scheme whose seq_len varies, as in the history below.
        view! { <UnrollView window=window cell_grad_norms=norms history=history bptt=bptt layers=layers scheme=Signal::derive(|| Scheme::FastaiV07) /> }
    });
    leptos::task::tick().await;
    (host, inputs, mounted)
}

#[wasm_bindgen_test]
async fn a_78_row_window_draws_78_cells_carried_state_and_the_stop() {
    let (host, _inputs, _mounted) = mount(78).await;
    assert!(host
        .query_selector("[data-testid='unroll-view']")
        .unwrap()
        .is_some());
    let count = text(&host, "[data-testid='unrolled-count']");
    assert_eq!(count, "unrolled cells this step: 78 = this batch's seq_len");
    assert_eq!(all(&host, ".cell").len(), 78);
    assert_eq!(
        all(&host, ".weight-link").len(),
        78,
        "every cell is linked to the one W box"
    );
    assert!(text(&host, ".weights-caption").contains("one set of weights, used 78 times"));
    assert_eq!(
        text(&host, "[data-testid='carried-state']"),
        "h, c carried from the previous batch (detached: no gradient)"
    );
    assert!(text(&host, ".grad-stop-label").contains("gradient stops here"));
    assert!(host
        .query_selector("[data-testid='elided-cells']")
        .unwrap()
        .is_none());
    // Before a step: neutral cells and the hint.
    assert!(text(&host, ".unroll-legend").contains("press Step to see the gradient"));
    let fills = top_fills(&host);
    assert!(
        fills.iter().all(|f| *f == fills[0]),
        "cells are neutral before a step"
    );
}

#[wasm_bindgen_test]
async fn history_lists_the_values_and_marks_the_bptt_half_draw() {
    let (host, inputs, _mounted) = mount(78).await;
    let history = || text(&host, "[data-testid='seq-len-history'] .history-text");
    assert_eq!(history(), "seq_len per step: 78, 70, 74, 35");
    assert_eq!(all(&host, ".seq-len-history .bar").len(), 4);
    let half = all(&host, ".seq-len-history .bar.half-draw");
    assert_eq!(half.len(), 1);
    assert_eq!(
        half[0].text_content().unwrap(),
        "step 4: seq_len 35",
        "its <title> tooltip"
    );
    assert!(host.query_selector(".bptt-line").unwrap().is_some());
    assert!(text(&host, "[data-testid='seq-len-history']")
        .contains("bptt/2 draw (~5% under fastai v0.7)"));

    inputs.history.update(|h| h.push(80));
    inputs.bptt.set(120); // now 78, 70, 74 and 80 are all short of ¾·120
    leptos::task::tick().await;
    assert_eq!(history(), "seq_len per step: 78, 70, 74, 35, 80");
    assert_eq!(all(&host, ".seq-len-history .bar.half-draw").len(), 5);
    assert!(
        text(&host, ".unroll-note")
            .contains("bptt = 120 is only the length it is drawn around: fastai 0.7 draws"),
        "{}",
        text(&host, ".unroll-note")
    );
    assert_eq!(all(&host, ".cell").len(), 78);
}

#[wasm_bindgen_test]
async fn after_a_step_cells_are_shaded_by_their_gradient_norm() {
    let (host, inputs, _mounted) = mount(78).await;
    // Norms growing to the right: the first cell palest, the last darkest.
    inputs
        .norms
        .set(Some((1..=78).map(|t| t as f32 * 0.01).collect()));
    leptos::task::tick().await;
    let fills = top_fills(&host);
    assert_eq!(fills[77], "rgb(166,54,3)", "the largest norm is darkest");
    assert_ne!(fills[0], fills[77]);
    assert!(text(&host, ".unroll-legend").contains("darker = larger ‖∂ℓ_last/∂h_t‖"));
    assert!(!text(&host, ".unroll-legend").contains("press Step"));

    // Norms of another window do not shade this one.
    inputs.window.set(window(288, 70));
    leptos::task::tick().await;
    assert_eq!(
        text(&host, "[data-testid='unrolled-count']"),
        "unrolled cells this step: 70 = this batch's seq_len"
    );
    let fills = top_fills(&host);
    assert_eq!(fills.len(), 70);
    assert!(fills.iter().all(|f| *f == fills[0]));
    assert!(text(&host, ".unroll-legend").contains("press Step to see the gradient"));
}

#[wasm_bindgen_test]
async fn a_180_row_window_keeps_both_ends_and_elides_the_middle() {
    let (host, inputs, _mounted) = mount(78).await;
    inputs.window.set(window(100, 180));
    leptos::task::tick().await;
    assert_eq!(
        text(&host, "[data-testid='unrolled-count']"),
        "unrolled cells this step: 180 = this batch's seq_len"
    );
    let cells = all(&host, ".cell");
    assert!(cells.len() < 180, "{} cells drawn", cells.len());
    let t = |e: &Element| e.get_attribute("data-t").unwrap().parse::<usize>().unwrap();
    assert_eq!(
        (t(&cells[0]), t(cells.last().unwrap())),
        (0, 179),
        "first and last cells kept"
    );
    let gap = text(&host, "[data-testid='elided-cells']");
    let hidden: usize = gap
        .trim_matches(|c: char| !c.is_ascii_digit())
        .parse()
        .unwrap();
    assert_eq!(gap, format!("… {hidden} more …"));
    assert_eq!(cells.len() + hidden, 180);
    assert!(text(&host, ".weights-caption").contains("used 180 times"));

    inputs.window.set(window(100, 35));
    leptos::task::tick().await;
    assert_eq!(all(&host, ".cell").len(), 35);
    assert!(host
        .query_selector("[data-testid='elided-cells']")
        .unwrap()
        .is_none());
}

#[wasm_bindgen_test]
async fn new_epoch_no_window_and_layers() {
    let (host, inputs, _mounted) = mount(78).await;
    inputs.window.set(window(0, 74));
    leptos::task::tick().await;
    assert_eq!(
        text(&host, "[data-testid='carried-state']"),
        "zeros (new epoch)"
    );

    inputs.layers.set(3);
    leptos::task::tick().await;
    assert_eq!(all(&host, ".cell").len(), 74);
    assert_eq!(
        all(&host, ".cell .cell-layer").len(),
        74 * 3,
        "a stack of 3 cells per time step"
    );
    assert_eq!(all(&host, ".cell .cell-layer.top").len(), 74);
    assert!(text(&host, ".weights-caption").contains("one set of weights per layer, used 74 times"));

    inputs.window.set(None);
    leptos::task::tick().await;
    assert!(host
        .query_selector("[data-testid='unrolled-count']")
        .unwrap()
        .is_none());
    assert!(text(&host, "[data-testid='unroll-view']").contains("cannot be batched"));
    assert!(all(&host, ".cell").is_empty());
    assert_eq!(
        text(&host, ".history-text"),
        "seq_len per step: 78, 70, 74, 35",
        "history stays"
    );

    inputs.window.set(window(74, 78));
    leptos::task::tick().await;
    assert_eq!(
        text(&host, "[data-testid='unrolled-count']"),
        "unrolled cells this step: 78 = this batch's seq_len"
    );
}

#[wasm_bindgen_test]
async fn a_new_window_length_rescales_the_row_instead_of_moving_every_cell() {
    let (host, inputs, _mounted) = mount(78).await;
    let cell = |t: usize| {
        host.query_selector(&format!(".cell[data-t='{t}']"))
            .unwrap()
            .unwrap()
    };
    let (fifth, run) = (cell(5), host.query_selector(".cell-run").unwrap().unwrap());
    let place = |cell: &Element| {
        cell.query_selector("rect.cell-layer")
            .unwrap()
            .unwrap()
            .get_attribute("x")
            .unwrap()
    };
    let (fifth_place, run_scale) = (place(&fifth), run.get_attribute("transform").unwrap());
    let fifth_box = fifth.get_bounding_client_rect();
    inputs.window.set(window(300, 120));
    leptos::task::tick().await;
    assert_eq!(all(&host, ".cell").len(), 120);
    // The same cell, in its own coordinates still; the run's scale moved it.
    assert!(cell(5).is_same_node(Some(&fifth)));
    assert_eq!(place(&cell(5)), fifth_place);
    assert_ne!(run.get_attribute("transform").unwrap(), run_scale);
    let squeezed = cell(5).get_bounding_client_rect();
    assert!(
        squeezed.left() < fifth_box.left() && squeezed.width() < fifth_box.width(),
        "120 cells are drawn narrower than 78"
    );
    // The last cell still ends where the row does: at the right of the lane.
    let last = cell(119).get_bounding_client_rect();
    let lane = host
        .query_selector(".grad-arrow")
        .unwrap()
        .unwrap()
        .get_bounding_client_rect();
    assert!(
        (last.right() - lane.right()).abs() < 2.0,
        "last cell ends at {} and the gradient lane at {}",
        last.right(),
        lane.right()
    );
}
