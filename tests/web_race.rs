#![cfg(target_arch = "wasm32")]
//! The race's components in a real (headless) browser, driven with real DOM
//! events: the chips add and remove runs, a run card shows its numbers, its
//! divergence, a Restart button and its files, and the panel's chart
//! controls redraw the chart. (The workers themselves are exercised by
//! `tests/e2e_race.rs` on the release build, which serves `race_worker.js`.)

use std::sync::Arc;

use batchscope::page::settings::Settings;
use batchscope::training::race::run_slot::{Downloads, RunStatus, RunView};
use batchscope::training::race::stats::{Diverged, RunStats};
use batchscope::training::race::{run_config, LrRule, RaceValue, RaceVariable};
use batchscope::web::ui::race_chips::RaceChips;
use batchscope::web::ui::race_panel::RacePanel;
use batchscope::web::ui::run_card::RunCard;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

mod web_support;
use web_support::{host, next_frame, select, text};

fn click(host: &HtmlElement, selector: &str) {
    select(host, selector)
        .unchecked_into::<HtmlElement>()
        .click();
}

/// Sets a field's value and fires a bubbling `event` (`input` or `change`).
fn set_value(host: &HtmlElement, selector: &str, value: &str, event: &str) {
    let el = select(host, selector);
    js_sys::Reflect::set(&el, &"value".into(), &value.into()).unwrap();
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    el.dispatch_event(&web_sys::Event::new_with_event_init_dict(event, &init).unwrap())
        .unwrap();
}

#[wasm_bindgen_test]
async fn chips_remove_and_add_values_and_refuse_a_bad_one() {
    let host = host();
    let values = RwSignal::new(RaceVariable::BatchSize.default_values());
    let (added, removed) = (
        RwSignal::new(Vec::<RaceValue>::new()),
        RwSignal::new(Vec::<RaceValue>::new()),
    );
    let _mounted = leptos::mount::mount_to(host.clone(), move || {
        view! {
            <RaceChips
                variable=Signal::stored(RaceVariable::BatchSize)
                values=values
                on_add=Callback::new(move |v| added.update(|a| a.push(v)))
                on_remove=Callback::new(move |v| removed.update(|r| r.push(v)))
            />
        }
    });
    leptos::task::tick().await;
    assert_eq!(
        text(&host, "[data-testid='bs-chips']"),
        "bs=4×bs=16×bs=64×bs=256×+ add"
    );
    click(&host, "[data-value='bs=16'] [data-testid='chip-remove']");
    leptos::task::tick().await;
    assert_eq!(
        values.get_untracked(),
        [4, 64, 256].map(RaceValue::Bs).to_vec()
    );
    assert_eq!(removed.get_untracked(), vec![RaceValue::Bs(16)]);

    set_value(&host, "[data-testid='chip-input']", "32", "input");
    click(&host, "[data-testid='chip-add']");
    leptos::task::tick().await;
    assert_eq!(added.get_untracked(), vec![RaceValue::Bs(32)]);
    assert!(text(&host, "[data-testid='bs-chips']").contains("bs=32"));
    assert_eq!(
        select(&host, "[data-testid='chip-input']")
            .unchecked_into::<HtmlInputElement>()
            .value(),
        "",
        "the field empties"
    );

    set_value(&host, "[data-testid='chip-input']", "0", "input");
    click(&host, "[data-testid='chip-add']");
    leptos::task::tick().await;
    assert_eq!(
        text(&host, "[data-testid='chip-error']"),
        "bs must be a whole number from 1 to 256"
    );
    assert_eq!(added.get_untracked().len(), 1, "nothing added");
}

fn run_view(status: RunStatus) -> RunView {
    let config = run_config(&Settings::default(), RaceValue::Bs(4), LrRule::Same);
    let stats = RunStats {
        steps: 1234,
        tokens_per_second: 5600.4,
        ms_per_step: 50.04,
        activation_bytes: 450_000,
        epoch: 0.256,
        best_val_loss: Some((1160, 2.34567)),
        diverged: match &status {
            RunStatus::Diverged(d) => Some(d.clone()),
            _ => None,
        },
        noise_scale: Some(19.4),
    };
    RunView {
        id: 7,
        config,
        status,
        stats: Some(stats),
        last_loss: Some(2.5),
        sample: Some("The harbour".into()),
        downloads: None,
        on_turn: true,
    }
}

#[wasm_bindgen_test]
async fn a_run_card_shows_numbers_divergence_restart_and_files() {
    let host = host();
    let run = RwSignal::new(Some(run_view(RunStatus::Training)));
    let restarted = RwSignal::new(None::<u32>);
    let exported = RwSignal::new(None::<u32>);
    let _mounted = leptos::mount::mount_to(host.clone(), move || {
        view! {
            <RunCard run=run colour="rgb(31,119,180)".to_string() on_restart=Callback::new(move |id| restarted.set(Some(id))) on_export=Callback::new(move |id| exported.set(Some(id))) />
        }
    });
    leptos::task::tick().await;
    let stats = select(&host, "[data-testid='run-stats']");
    assert_eq!(stats.get_attribute("data-bs").as_deref(), Some("4"));
    assert_eq!(
        stats.text_content().unwrap(),
        "1,234 updates · 5,600 tokens/s · 50.0 ms/step · activations 0.45 MB · 0.26 epochs · best val loss 2.346 (after step 1160) · last loss 2.500"
    );
    assert_eq!(
        text(&host, "[data-testid='noise-scale']"),
        "gradient noise scale ≈ 19 streams so far (it grows as the loss falls) · bs = 4 is below it: a larger batch would still average much noise away"
    );
    assert_eq!(text(&host, "[data-testid='run-status']"), "training");
    assert!(
        host.query_selector("[data-testid='restart-button']")
            .unwrap()
            .is_none(),
        "no restart while training"
    );
    run.update(|r| r.as_mut().unwrap().on_turn = false);
    leptos::task::tick().await;
    assert_eq!(
        text(&host, "[data-testid='run-status']"),
        "waiting its turn"
    );

    let diverged = Diverged {
        step: 7,
        hint: "lr 10 is too high for bs=4".into(),
    };
    run.set(Some(run_view(RunStatus::Diverged(diverged))));
    leptos::task::tick().await;
    assert!(text(&host, "[data-testid='run-stats']")
        .starts_with("diverged at step 7: lower the learning rate"));
    click(&host, "[data-testid='restart-button']");
    assert_eq!(restarted.get_untracked(), Some(7));

    // A run that cannot start says why, and offers no restart (the same
    // settings would be refused again).
    let reason = "bs = 256 is larger than the corpus (36 tokens): each of the 256 columns would be empty. Use bs ≤ 18.";
    run.set(Some(run_view(RunStatus::Refused(reason.into()))));
    leptos::task::tick().await;
    assert_eq!(
        text(&host, "[data-testid='run-status']"),
        format!("cannot train: {reason}")
    );
    assert!(host
        .query_selector("[data-testid='restart-button']")
        .unwrap()
        .is_none());
    run.set(Some(run_view(RunStatus::Diverged(Diverged {
        step: 7,
        hint: "lr 10 is too high for bs=4".into(),
    }))));
    leptos::task::tick().await;

    click(&host, "[data-testid='export-button']");
    assert_eq!(exported.get_untracked(), Some(7));
    run.update(|r| {
        r.as_mut().unwrap().downloads = Some(Downloads {
            model_url: "blob:model".into(),
            csv_url: "blob:csv".into(),
        })
    });
    leptos::task::tick().await;
    let csv = select(&host, "[data-testid='download-csv']");
    assert_eq!(
        (
            csv.get_attribute("href").as_deref(),
            csv.get_attribute("download").as_deref()
        ),
        (Some("blob:csv"), Some("batchscope-bs-4.csv"))
    );
    assert_eq!(
        select(&host, "[data-testid='download-model']")
            .get_attribute("download")
            .as_deref(),
        Some("batchscope-bs-4.json")
    );
}

/// About the size of the stories: every default race fits.
const STORIES_SIZE: batchscope::training::race::TextSize = batchscope::training::race::TextSize {
    tokens: 160_000,
    vocab: 80,
    bytes: 160_000,
};

#[wasm_bindgen_test]
async fn race_and_sweep_wait_for_the_text_to_be_tokenised() {
    let host = host();
    let ready = RwSignal::new(false);
    let _mounted = leptos::mount::mount_to(host.clone(), move || {
        view! { <RacePanel settings=Signal::stored(Settings::default()) own_text=RwSignal::new(None::<Arc<batchscope::data::user_text::UserText>>) text=Signal::stored(STORIES_SIZE) text_ready=ready /> }
    });
    leptos::task::tick().await;
    let waiting = |expected: bool| {
        for button in ["race-button", "sweep-button"] {
            let selector = format!("[data-testid='{button}']");
            assert_eq!(
                select(&host, &selector).has_attribute("disabled"),
                expected,
                "{button}"
            );
        }
        assert_eq!(
            select(&host, "[data-testid='race-waits']").has_attribute("hidden"),
            !expected
        );
    };
    waiting(true);
    assert_eq!(
        text(&host, "[data-testid='race-waits']"),
        "Race and Sweep start once your text is tokenised."
    );
    ready.set(true);
    leptos::task::tick().await;
    waiting(false);
}

#[wasm_bindgen_test]
async fn the_panels_axis_controls_redraw_the_chart_and_pause_waits_for_a_race() {
    let host = host();
    let _mounted = leptos::mount::mount_to(host.clone(), move || {
        view! { <RacePanel settings=Signal::stored(Settings::default()) own_text=RwSignal::new(None::<Arc<batchscope::data::user_text::UserText>>) text=Signal::stored(STORIES_SIZE) /> }
    });
    leptos::task::tick().await;
    assert_eq!(text(&host, "h2"), "Race: how batch size changes training");
    assert!(
        select(&host, "[data-testid='pause-button']").has_attribute("disabled"),
        "nothing to pause before a race"
    );
    assert_eq!(
        text(&host, "[data-testid='race-verdict']"),
        "",
        "no verdict before a race"
    );
    let draws = || {
        select(&host, "[data-testid='loss-chart']")
            .get_attribute("data-draws")
            .unwrap()
            .parse::<usize>()
            .unwrap()
    };
    next_frame().await;
    let before = draws();
    set_value(&host, "[data-testid='x-axis-select']", "1", "change");
    leptos::task::tick().await;
    next_frame().await;
    assert_eq!(draws(), before + 1, "tokens on the x axis: one redraw");
    let log: HtmlInputElement = select(&host, "[data-testid='y-log-toggle']").unchecked_into();
    log.click();
    leptos::task::tick().await;
    next_frame().await;
    assert_eq!(draws(), before + 2, "log axis: one redraw");
    set_value(&host, "[data-testid='y-select']", "noise", "change");
    leptos::task::tick().await;
    next_frame().await;
    assert_eq!(draws(), before + 3, "the noise scale: one redraw");
    assert!(
        select(&host, "label:has([data-testid='y-log-toggle'])").has_attribute("hidden"),
        "the noise scale is always on a log axis"
    );
    set_value(&host, "[data-testid='y-select']", "loss", "change");
    leptos::task::tick().await;
    // Switching the race to bptt offers bptt chips.
    set_value(&host, "[data-testid='race-variable-select']", "1", "change");
    leptos::task::tick().await;
    assert!(
        text(&host, "[data-testid='bs-chips']").starts_with("bptt=10×bptt=35×bptt=70×bptt=140×")
    );
}
