#![cfg(target_arch = "wasm32")]
//! The race's loss chart in a real (headless) browser: one colour per run on
//! the canvas, the log axis redraws, many updates within a frame cost one
//! redraw, and hovering a point shows its values.

use batchscope::training::race::chart_axes::{ChartY, XAxis, YScale};
use batchscope::training::race::chart_data::{chart_data, PlotArea, PALETTE};
use batchscope::training::race::history::{LossHistory, LossPoint};
use batchscope::web::ui::loss_chart::{LossChart, CSS_HEIGHT, CSS_WIDTH};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

mod web_support;
use web_support::{host, next_frame, select, text};

/// A run whose loss falls from 4.2 like `4.2 - rate·ln(step)`, with some
/// batch noise, and whose noise scale, measured every 4th step, grows from 8.
fn history(label: &str, bs: usize, rate: f64, steps: usize) -> LossHistory {
    let mut h = LossHistory::of_bs(label, bs);
    for step in 1..=steps {
        let noise = if step % 2 == 0 { 0.05 } else { -0.05 };
        let val_loss = (step % 10 == 0).then(|| 4.3 - rate * (step as f64).ln());
        h.push(LossPoint {
            step,
            tokens_seen: step * bs * 70,
            epoch: step as f64 / 40.0,
            seconds: step as f64 * 0.1,
            loss: 4.2 - rate * (step as f64).ln() + noise,
            val_loss,
            noise_scale: (step % 4 == 0).then_some(8.0 + 0.3 * step as f64),
        });
    }
    h
}

fn three_runs() -> Vec<LossHistory> {
    vec![
        history("bs=4", 4, 0.2, 60),
        history("bs=16", 16, 0.35, 60),
        history("bs=64", 64, 0.5, 60),
    ]
}

struct Chart {
    host: HtmlElement,
    histories: RwSignal<Vec<LossHistory>>,
    y_scale: RwSignal<YScale>,
    y: RwSignal<ChartY>,
}

impl Chart {
    fn canvas(&self) -> HtmlCanvasElement {
        select(&self.host, "[data-testid='loss-chart']").unchecked_into()
    }

    fn draws(&self) -> usize {
        self.canvas()
            .get_attribute("data-draws")
            .unwrap()
            .parse()
            .unwrap()
    }

    fn pixels(&self) -> Vec<u8> {
        let canvas = self.canvas();
        let ctx: CanvasRenderingContext2d =
            canvas.get_context("2d").unwrap().unwrap().unchecked_into();
        ctx.get_image_data(0.0, 0.0, canvas.width() as f64, canvas.height() as f64)
            .unwrap()
            .data()
            .0
    }
}

/// The chart mounted and drawn once.
async fn mount(histories: Vec<LossHistory>) -> (Chart, impl Drop) {
    let host = host();
    let histories = RwSignal::new(histories);
    let y_scale = RwSignal::new(YScale::Linear);
    let y = RwSignal::new(ChartY::Loss);
    let mounted = leptos::mount::mount_to(host.clone(), move || {
        view! { <LossChart histories=histories x_axis=XAxis::Updates y=y y_scale=y_scale /> }
    });
    leptos::task::tick().await;
    next_frame().await;
    (
        Chart {
            host,
            histories,
            y_scale,
            y,
        },
        mounted,
    )
}

/// Pixels within a small distance of `colour` (anti-aliased edges are not counted).
fn count_near(pixels: &[u8], (r, g, b): (u8, u8, u8)) -> usize {
    pixels
        .chunks_exact(4)
        .filter(|p| {
            (p[0] as i32 - r as i32).abs()
                + (p[1] as i32 - g as i32).abs()
                + (p[2] as i32 - b as i32).abs()
                < 40
        })
        .count()
}

#[wasm_bindgen_test]
async fn three_runs_draw_three_colours_with_a_legend() {
    let (chart, _mounted) = mount(three_runs()).await;
    assert_eq!(chart.draws(), 1);
    let ratio = window().device_pixel_ratio().max(1.0);
    assert_eq!(
        chart.canvas().width(),
        (CSS_WIDTH * ratio).round() as u32,
        "HiDPI: the bitmap is CSS size × devicePixelRatio"
    );
    let pixels = chart.pixels();
    for (run, &colour) in PALETTE[..3].iter().enumerate() {
        let n = count_near(&pixels, colour);
        assert!(
            n > 100,
            "run {run}'s colour {colour:?} covers only {n} pixels"
        );
    }
    assert!(
        count_near(&pixels, PALETTE[3]) < 20,
        "no fourth run, no fourth colour"
    );
    assert_eq!(
        text(&chart.host, "[data-testid='chart-legend']"),
        "bs=4bs=16bs=64"
    );
}

#[wasm_bindgen_test]
async fn the_log_axis_changes_the_drawing() {
    let (chart, _mounted) = mount(three_runs()).await;
    let linear = chart.pixels();
    chart.y_scale.set(YScale::Log);
    leptos::task::tick().await;
    next_frame().await;
    assert_eq!(chart.draws(), 2);
    assert_ne!(linear, chart.pixels(), "the log axis moves the curves");
}

#[wasm_bindgen_test]
async fn the_noise_scale_axis_draws_each_runs_bs_as_a_dashed_level() {
    let (chart, _mounted) = mount(three_runs()).await;
    assert!(
        text(&chart.host, "[data-testid='chart-caption']").starts_with("Faint: each batch's loss.")
    );
    chart.y.set(ChartY::NoiseScale);
    leptos::task::tick().await;
    next_frame().await;
    assert_eq!(chart.draws(), 2);
    assert_eq!(
        chart.canvas().get_attribute("data-y").as_deref(),
        Some("NoiseScale")
    );
    assert!(text(&chart.host, "[data-testid='chart-caption']").contains("Dashed: the run's bs."));
    let ratio = window().device_pixel_ratio().max(1.0);
    let (width, height) = ((CSS_WIDTH * ratio).round(), (CSS_HEIGHT * ratio).round());
    let area = PlotArea::new(width, height, ratio);
    let runs = three_runs();
    let data = chart_data(
        &runs,
        XAxis::Updates,
        ChartY::NoiseScale,
        YScale::Linear,
        0.8,
        600,
    );
    let pixels = chart.pixels();
    let at = |x: usize, y: usize| &pixels[4 * (y * width as usize + x)..][..3];
    for (run, &(r, g, b)) in PALETTE[..3].iter().enumerate() {
        // The bs level's row, in the run's colour for most of the plot's width (dashes).
        let (_, level) = area.to_pixel(&data, 0.0, runs[run].bs as f64);
        let columns = (area.left as usize + 2..area.right as usize - 2)
            .filter(|&x| {
                (level as usize - 1..=level as usize + 1).any(|y| {
                    let p = at(x, y);
                    (p[0] as i32 - r as i32).abs()
                        + (p[1] as i32 - g as i32).abs()
                        + (p[2] as i32 - b as i32).abs()
                        < 40
                })
            })
            .count();
        let plot_width = (area.right - area.left) as usize;
        assert!(
            columns > plot_width / 3 && columns < plot_width * 9 / 10,
            "run {run}: its bs={} level covers {columns} of {plot_width} columns (dashed)",
            runs[run].bs
        );
    }
}

#[wasm_bindgen_test]
async fn many_updates_within_one_frame_redraw_once() {
    let (chart, _mounted) = mount(three_runs()).await;
    assert_eq!(chart.draws(), 1);
    let before = chart.pixels();
    for steps in 61..=80 {
        chart
            .histories
            .update(|h| h[0] = history("bs=4", 4, 0.2, steps));
        leptos::task::tick().await; // the effect runs, but no frame passes
    }
    assert_eq!(chart.draws(), 1, "nothing is drawn before the frame");
    next_frame().await;
    assert_eq!(chart.draws(), 2, "20 updates, one redraw");
    assert_ne!(before, chart.pixels());
    next_frame().await;
    assert_eq!(chart.draws(), 2, "no redraw without an update");
}

#[wasm_bindgen_test]
async fn hovering_a_point_shows_its_values() {
    let runs = three_runs();
    let (chart, _mounted) = mount(runs.clone()).await;
    let hover = select(&chart.host, "[data-testid='chart-hover']");
    assert!(hover.has_attribute("hidden"));
    // Where the chart put bs=16's 30th point (its validation marker), in CSS pixels.
    let ratio = window().device_pixel_ratio().max(1.0);
    let area = PlotArea::new(
        (CSS_WIDTH * ratio).round(),
        (CSS_HEIGHT * ratio).round(),
        ratio,
    );
    let data = chart_data(
        &runs,
        XAxis::Updates,
        ChartY::Loss,
        YScale::Linear,
        batchscope::training::race::history::DEFAULT_SMOOTHING,
        (area.right - area.left) as usize,
    );
    let point = data.series[1]
        .validation
        .iter()
        .find(|p| p.index == 29)
        .unwrap();
    let (x, y) = area.to_pixel(&data, point.x, point.y);
    mouse_move(&chart.canvas(), x / ratio, y / ratio);
    leptos::task::tick().await;
    assert!(!hover.has_attribute("hidden"));
    let shown = hover.text_content().unwrap();
    assert!(
        shown.starts_with("bs=16 · step 30 · 33600 tokens · 0.75 epochs · 3.0 s · loss "),
        "{shown}"
    );
    assert!(
        shown.ends_with(&format!("val {:.3}", 4.3 - 0.35 * 30f64.ln())),
        "{shown}"
    );
}

/// A real `mousemove` at (x, y) CSS pixels from the canvas's top-left corner.
fn mouse_move(canvas: &HtmlCanvasElement, x: f64, y: f64) {
    let call = |target: &JsValue, method: &str| -> JsValue {
        let f: js_sys::Function = js_sys::Reflect::get(target, &method.into())
            .unwrap()
            .unchecked_into();
        f.call0(target).unwrap()
    };
    let rect = call(canvas, "getBoundingClientRect");
    let get = |key: &str| {
        js_sys::Reflect::get(&rect, &key.into())
            .unwrap()
            .as_f64()
            .unwrap()
    };
    let init = js_sys::Object::new();
    for (key, value) in [
        ("clientX", JsValue::from(get("left") + x)),
        ("clientY", JsValue::from(get("top") + y)),
        ("bubbles", JsValue::TRUE),
    ] {
        js_sys::Reflect::set(&init, &key.into(), &value).unwrap();
    }
    let constructor: js_sys::Function = js_sys::Reflect::get(&window(), &"MouseEvent".into())
        .unwrap()
        .unchecked_into();
    let event = js_sys::Reflect::construct(
        &constructor,
        &js_sys::Array::of2(&"mousemove".into(), &init),
    )
    .unwrap();
    canvas.dispatch_event(event.unchecked_ref()).unwrap();
}
