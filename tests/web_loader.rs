#![cfg(target_arch = "wasm32")]
//! The learner's-own-text loader and "Show code", mounted in headless Chromium
//! and driven with real DOM events.

use std::sync::Arc;

use batchscope::data::user_text::UserText;
use batchscope::page::settings::Settings;
use batchscope::web::ui::corpus_loader::CorpusLoader;
use batchscope::web::ui::show_code::ShowCode;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

mod web_support;
use web_support::{host, select, text};

fn click(host: &HtmlElement, id: &str) {
    select(host, &format!("[data-testid='{id}']"))
        .unchecked_into::<HtmlElement>()
        .click();
}

fn type_into_paste_box(host: &HtmlElement, value: &str) {
    let area: HtmlTextAreaElement = select(host, "[data-testid='paste-box']").unchecked_into();
    area.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    area.dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
}

/// Waits a few frames for the loader's asynchronous hand-over.
async fn frames(n: usize) {
    for _ in 0..n {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            web_sys::window()
                .unwrap()
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20)
                .unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
    }
}

#[wasm_bindgen_test]
async fn pasted_text_is_handed_over_and_an_empty_paste_is_refused() {
    let host = host();
    let received = RwSignal::new(None::<Arc<UserText>>);
    let notices = RwSignal::new(Vec::<String>::new());
    let _mount = mount_to(host.clone(), move || {
        view! {
            <CorpusLoader on_text=Callback::new(move |t| received.set(Some(t)))
                on_notice=Callback::new(move |n| notices.update(|all| all.push(n))) />
        }
    });
    assert!(
        host.query_selector("[data-testid='paste-box']")
            .unwrap()
            .is_none(),
        "the paste box starts folded"
    );
    click(&host, "paste-toggle");
    frames(1).await;
    type_into_paste_box(&host, "   \n ");
    click(&host, "paste-button");
    frames(3).await;
    assert_eq!(
        notices.get_untracked(),
        ["the paste box is empty: paste some text first"]
    );
    assert!(received.get_untracked().is_none());

    type_into_paste_box(&host, "one batch, many streams");
    click(&host, "paste-button");
    frames(5).await;
    let pasted = received.get_untracked().expect("the pasted text arrives");
    assert_eq!(pasted.documents, ["one batch, many streams"]);
    assert_eq!(pasted.label, "pasted text (0.0 KB)");
    assert!(
        host.query_selector("[data-testid='paste-box']")
            .unwrap()
            .is_none(),
        "the box folds after use"
    );
    assert_eq!(
        text(&host, "[data-testid='load-status']"),
        "",
        "nothing left in progress"
    );
}

#[wasm_bindgen_test]
async fn show_code_follows_the_settings_and_switches_flavour() {
    let host = host();
    let settings = RwSignal::new(Settings::default());
    let memo = Memo::new(move |_| settings.get());
    let _mount = mount_to(host.clone(), move || view! { <ShowCode settings=memo /> });
    let code = || text(&host, "[data-testid='code-text']");
    assert_eq!(code(), "", "folded, no program is written");
    select(&host, "summary")
        .unchecked_into::<HtmlElement>()
        .click();
    frames(1).await;
    assert!(code().contains("bs, bptt = 64, 70"), "{}", code());
    settings.update(|s| s.bs = 16);
    frames(1).await;
    assert!(code().contains("bs, bptt = 16, 70"), "{}", code());
    select(&host, "[role='tab']:nth-child(2)")
        .unchecked_into::<HtmlElement>()
        .click();
    frames(1).await;
    assert!(
        code().contains("LanguageModelData.from_text_files") && code().contains("bs=16, bptt=70"),
        "{}",
        code()
    );
}

#[wasm_bindgen_test]
async fn show_code_exports_the_race_of_the_chips_and_the_sweep() {
    use batchscope::training::race::{LrRule, RaceValue};
    use batchscope::web::ui::race_choices::RaceChoices;
    use batchscope::web::ui::sweep_choices::SweepChoices;
    let host = host();
    let settings = RwSignal::new(Settings::default());
    let memo = Memo::new(move |_| settings.get());
    let race = RaceChoices::default();
    let sweep = SweepChoices::default();
    let _mount = mount_to(host.clone(), move || {
        provide_context(race);
        provide_context(sweep);
        view! { <ShowCode settings=memo /> }
    });
    let code = || text(&host, "[data-testid='code-text']");
    select(&host, "summary")
        .unchecked_into::<HtmlElement>()
        .click();
    click(&host, "code-tab-race");
    frames(1).await;
    assert!(
        code().contains(r#"{"label": "bs=4", "bs": 4, "lr": 0.003, "bptt": 70"#),
        "{}",
        code()
    );
    assert!(text(&host, "[data-testid='code-note']").contains("chips"));
    race.lr_rule.set(LrRule::LinearBs);
    frames(1).await;
    assert!(
        code().contains(r#""bs": 4, "lr": 0.0001875,"#) && code().contains("lr × bs / 64"),
        "{}",
        code()
    );
    race.values
        .set(vec![RaceValue::Bptt(10), RaceValue::Bptt(140)]);
    frames(1).await;
    assert!(
        code().contains(r#"{"label": "bptt=140", "bs": 64, "lr": 0.003, "bptt": 140"#),
        "{}",
        code()
    );
    race.values.set(Vec::new());
    frames(1).await;
    assert!(code().contains("The race has no runs"), "{}", code());
    // The sweep is the one the sweep panel's fields set up, its lrs
    // around the race's lr rule (linear: 0.01 × bs / 64) × 2, 8, 32.
    click(&host, "code-tab-sweep");
    settings.update(|s| s.lr = 0.01);
    frames(1).await;
    let note = || text(&host, "[data-testid='code-note']");
    assert!(
        code().contains("LRS = {1: [0.0003125, 0.00125, 0.005], 2: [")
            && code().contains("128: [0.04, 0.16, 0.64]}")
            && code().contains("TARGET_LOSS = None"),
        "{}",
        code()
    );
    assert!(
        note().contains("bs 1 to 128")
            && note().contains("×2, ×8, ×32")
            && note().contains("pilot"),
        "{}",
        note()
    );
    sweep.largest_bs.set(8);
    sweep.grid.set(1);
    sweep.budget.set("50,000".into());
    sweep.target.set("2.5".into());
    frames(1).await;
    assert!(
        code().contains("8: [0.00125, 0.0025]}")
            && !code().contains("16: [")
            && code().contains("TARGET_LOSS = 2.5")
            && code().contains("MAX_TOKENS = 50000"),
        "{}",
        code()
    );
    assert!(
        note().contains("bs 1 to 8")
            && note().contains("×1, ×2")
            && note().contains("50,000 tokens")
            && note().contains("loss 2.5"),
        "{}",
        note()
    );
    sweep.budget.set("lots".into());
    frames(1).await;
    assert!(
        code().contains("# The sweep's fields in the race panel: the token budget"),
        "{}",
        code()
    );
}
