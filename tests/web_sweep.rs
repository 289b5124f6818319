#![cfg(target_arch = "wasm32")]
//! The sweep's view in a real (headless) browser: the race panel with a
//! sweep whose results are fed to it (no workers: `tests/e2e_sweep.rs` runs
//! real ones). The chart's dots, fitted curve and perfect-scaling line are
//! on the canvas where `SweepLayout` puts them, the results table lists each
//! bs's best run, and the race panel's verdict follows the results as they
//! arrive; a report that changes nothing drawn costs no redraw.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;

use batchscope::data::user_text::UserText;
use batchscope::page::settings::Settings;
use batchscope::training::race::messages::RaceEvent;
use batchscope::training::race::sweep_machine::{Sweep, SweepCommand};
use batchscope::training::race::sweep_plan::SweepPlan;
use batchscope::training::race::{LrRule, TextSize};
use batchscope::training::sweep::chart::{sweep_chart_data, Panel, SweepChartData, SweepLayout};
use batchscope::training::sweep::page_run::PageSweepRun;
use batchscope::training::sweep::run::{RunResult, Stop};
use batchscope::web::ui::race_panel::RacePanel;
use batchscope::web::ui::sweep_chart_draw::{BEST, FIT, OTHER_RUN, PERFECT};
use batchscope::web::ui::sweep_state::{use_sweep, SweepHandle};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

mod web_support;
use web_support::{all, host, next_frame, select, text};

const STORIES_SIZE: TextSize = TextSize {
    tokens: 160_000,
    vocab: 80,
    bytes: 160_000,
};

/// bs 1 to 8, lrs ×1 and ×2 of the page's 0.003, toward loss 2.
fn plan() -> SweepPlan {
    SweepPlan {
        base: Settings::default(),
        lr_rule: LrRule::Same,
        largest_bs: 8,
        lr_factors: vec![1.0, 2.0],
        max_tokens: 100_000,
        target: Some(2.0),
    }
}

/// A text where S(b) = 100·(1 + 4/b) at lr 0.006, 1.4× as many at 0.003.
fn result(run: &PageSweepRun) -> RunResult {
    let (bs, lr) = (run.settings.bs, run.settings.lr);
    let factor = if lr > 0.004 { 1.0 } else { 1.4 };
    let steps = (100.0 * (1.0 + 4.0 / bs as f64) * factor).round() as usize;
    RunResult {
        bs,
        lr,
        reached: true,
        steps,
        tokens: steps * bs * 70,
        stop: Stop::Reached,
        val_loss: Some(2.0),
        noise_scale: Some(4.0),
    }
}

/// The runs the sweep asked for and has not heard the end of.
fn spawned(commands: Vec<SweepCommand>, alive: &mut Vec<(u32, PageSweepRun)>) {
    for command in commands {
        match command {
            SweepCommand::Spawn(id, run) => alive.push((id, run)),
            SweepCommand::Terminate(id) => alive.retain(|(a, _)| *a != id),
        }
    }
}

fn canvas(host: &HtmlElement) -> HtmlCanvasElement {
    select(host, "[data-testid='sweep-chart']").unchecked_into()
}

fn draws(host: &HtmlElement) -> usize {
    canvas(host)
        .get_attribute("data-draws")
        .unwrap()
        .parse()
        .unwrap()
}

/// Whether some pixel within `reach` device pixels of (x, y) is near `colour`.
fn colour_near(host: &HtmlElement, (x, y): (f64, f64), reach: f64, colour: (u8, u8, u8)) -> bool {
    let canvas = canvas(host);
    let ctx: CanvasRenderingContext2d = canvas.get_context("2d").unwrap().unwrap().unchecked_into();
    let side = 2.0 * reach + 1.0;
    let data = ctx
        .get_image_data((x - reach).round(), (y - reach).round(), side, side)
        .unwrap()
        .data()
        .0;
    data.chunks_exact(4).any(|p| {
        (p[0] as i32 - colour.0 as i32).abs()
            + (p[1] as i32 - colour.1 as i32).abs()
            + (p[2] as i32 - colour.2 as i32).abs()
            < 30
    })
}

/// What the panel's chart shows of `sweep`, and where it lays it out.
fn drawn(host: &HtmlElement, sweep: &Sweep) -> (SweepChartData, SweepLayout) {
    let sizes = sweep.plan().unwrap().batch_sizes();
    let data = sweep_chart_data(&sizes, &sweep.results(), &sweep.best(), sweep.fit());
    let canvas = canvas(host);
    let ratio = window().device_pixel_ratio().max(1.0);
    (
        data,
        SweepLayout::new(canvas.width() as f64, canvas.height() as f64, ratio),
    )
}

#[wasm_bindgen_test]
async fn the_chart_and_the_verdict_follow_the_results_as_they_arrive() {
    let host = host();
    let handle: Rc<Cell<Option<SweepHandle>>> = Rc::default();
    let shared = handle.clone();
    let _mounted = leptos::mount::mount_to(host.clone(), move || {
        let own_text = RwSignal::new(None::<Arc<UserText>>);
        let sweep = use_sweep(own_text, Signal::stored(STORIES_SIZE));
        shared.set(Some(sweep));
        provide_context(sweep);
        view! { <RacePanel settings=Signal::stored(Settings::default()) own_text=own_text text=Signal::stored(STORIES_SIZE) /> }
    });
    leptos::task::tick().await;
    let sweep = handle.get().unwrap().state;
    assert_eq!(
        text(&host, "[data-testid='sweep-verdict']"),
        "",
        "no verdict before a sweep"
    );

    // Two workers (one per core here); results arrive one by one.
    let mut alive = Vec::new();
    sweep.update(|s| {
        *s = Sweep::new(2);
        spawned(s.start(plan(), STORIES_SIZE, 0, 0), &mut alive);
    });
    let mut now = 0;
    let mut finish = |sweep: RwSignal<Sweep>, alive: &mut Vec<(u32, PageSweepRun)>| {
        let (id, run) = alive[0].clone();
        now += 100;
        let commands = sweep
            .try_update(|s| s.on_event(id, RaceEvent::SweepFinished(result(&run)), now))
            .unwrap();
        spawned(commands, alive);
    };
    for _ in 0..2 {
        finish(sweep, &mut alive); // bs = 1 at both lrs
    }
    leptos::task::tick().await;
    next_frame().await;
    assert!(
        text(&host, "[data-testid='sweep-verdict']").starts_with("So far bs=1 reached the target loss 2.000 in 500 updates (35,000 tokens); the fit comes once 3 batch sizes have reached the target."),
        "{}",
        text(&host, "[data-testid='sweep-verdict']")
    );
    assert_eq!(
        text(&host, "[data-testid='sweep-progress']"),
        "run 3 of 8: bs=2, lr=0.003 (0 updates) · run 4 of 8: bs=2, lr=0.006 (0 updates)"
    );

    while !alive.is_empty() {
        finish(sweep, &mut alive);
    }
    leptos::task::tick().await;
    next_frame().await;
    let verdict = text(&host, "[data-testid='sweep-verdict']");
    assert!(
        verdict.starts_with("On this text and model, doubling bs up to ≈ 4.0 halves the updates needed; beyond it each doubling saves less and costs more tokens. bs=1 needed 500 updates (35,000 tokens), bs=8 needed 150 (84,000 tokens);"),
        "{verdict}"
    );
    assert!(verdict.ends_with("At bs=1, 2, 4 and 8 the best lr was the largest tried, so a larger one may need fewer updates still: raise the page's lr or widen the grid."), "{verdict}");
    assert_eq!(
        text(&host, "[data-testid='sweep-progress']"),
        "all 8 runs done: 8 reached the target, 0 did not"
    );
    let rows: Vec<String> = all(&host, "[data-testid='sweep-row']")
        .iter()
        .map(|row| {
            let cells = all(row.unchecked_ref(), "td");
            cells
                .iter()
                .map(|c| c.text_content().unwrap())
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .collect();
    assert_eq!(
        rows,
        [
            "1 | 0.006 | 500 | 35,000 | 2 of 2",
            "2 | 0.006 | 300 | 42,000 | 2 of 2",
            "4 | 0.006 | 200 | 56,000 | 2 of 2",
            "8 | 0.006 | 150 | 84,000 | 2 of 2",
        ]
    );
    // The canvas: every mark where the layout puts it.
    let (data, layout) = sweep.with_untracked(|s| drawn(&host, s));
    let reach = 2.0 * layout.ratio;
    for point in &data.points {
        for panel in Panel::BOTH {
            let at = layout.to_pixel(&data, panel, point.bs as f64, point.value(panel));
            let colour = if point.best { BEST } else { OTHER_RUN };
            assert!(
                colour_near(&host, at, reach, (colour.0, colour.1, colour.2)),
                "{point:?} in {panel:?} at {at:?}"
            );
        }
    }
    for panel in Panel::BOTH {
        // Between the dots: the fitted curve, and the dashed perfect-scaling line
        // (some of its samples fall in the gaps between dashes).
        for bs in [1.5, 3.0, 6.0] {
            let at = layout.to_pixel(&data, panel, bs, data.fitted(panel, bs).unwrap());
            assert!(
                colour_near(&host, at, reach, (FIT.0, FIT.1, FIT.2)),
                "fit at bs {bs} in {panel:?}"
            );
        }
        let dashes = [1.2, 1.4, 1.6, 1.8, 2.2, 2.6]
            .iter()
            .filter(|&&bs| {
                let at = layout.to_pixel(&data, panel, bs, data.perfect(panel, bs).unwrap());
                layout.inside(panel, at)
                    && colour_near(&host, at, reach, (PERFECT.0, PERFECT.1, PERFECT.2))
            })
            .count();
        assert!(
            dashes >= 3,
            "perfect scaling in {panel:?}: {dashes} of 6 samples on a dash"
        );
    }
    let label = canvas(&host).get_attribute("aria-label").unwrap();
    assert!(
        label.ends_with("The fit puts the critical batch size at B_crit ≈ 4.0."),
        "{label}"
    );

    // A progress report changes nothing drawn: no redraw.
    let before = draws(&host);
    sweep.update(|s| {
        let _ = s.on_event(
            0,
            RaceEvent::SweepProgress {
                steps: 1,
                tokens: 70,
                val_loss: None,
                ms_per_step: 1.0,
            },
            now,
        );
    });
    leptos::task::tick().await;
    next_frame().await;
    assert_eq!(draws(&host), before);
}
