//! The live loss chart of a race: one colour per run, the per-batch losses
//! faint, the smoothed loss solid, validation losses as dots (or each run's
//! gradient noise scale beside its bs), an HTML legend, and the exact
//! values of the point under the mouse.
//!
//! However many history updates arrive (each worker reports every step),
//! the canvas is redrawn at most once per animation frame: an update only
//! asks for a frame if none is pending, and the frame draws whatever the
//! signals hold by then. The canvas's `data-draws` attribute counts the
//! redraws, for the tests.

use leptos::html::Canvas;
use leptos::leptos_dom::helpers::{
    request_animation_frame_with_handle, AnimationFrameRequestHandle,
};
use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

use super::chart_curves::Curves;
use super::loss_chart_draw::draw_loss_chart;
use crate::training::race::chart_axes::{ChartY, XAxis, YScale};
use crate::training::race::chart_data::{chart_data, describe, nearest, ChartData, PlotArea};
use crate::training::race::history::DEFAULT_SMOOTHING;

/// CSS size of the canvas; its bitmap is this times devicePixelRatio.
pub const CSS_WIDTH: f64 = 720.0;
pub const CSS_HEIGHT: f64 = 360.0;
/// How far (CSS pixels) the mouse may be from a point to show its values.
const HOVER_RADIUS_CSS: f64 = 14.0;

/// What the last frame drew, for hit-testing the mouse.
#[derive(Clone)]
struct Drawn {
    data: ChartData,
    area: PlotArea,
    ratio: f64,
}

/// The loss curves of several runs on one chart.
#[component]
pub fn LossChart(
    /// One history per run, in race order; run i gets palette colour i.
    #[prop(into)]
    histories: Curves,
    /// What the x axis counts: updates, tokens, epochs or seconds.
    #[prop(into)]
    x_axis: Signal<XAxis>,
    /// Linear or logarithmic loss axis.
    #[prop(into)]
    y_scale: Signal<YScale>,
    /// What the y axis shows: the loss, or the gradient noise scale.
    #[prop(into, default = Signal::stored(ChartY::Loss))]
    y: Signal<ChartY>,
    /// Smoothing weight of the solid lines, 0 (none) to 0.99.
    #[prop(into, default = Signal::stored(DEFAULT_SMOOTHING))]
    smoothing: Signal<f64>,
) -> impl IntoView {
    let canvas_ref = NodeRef::<Canvas>::new();
    let frame = StoredValue::new(None::<AnimationFrameRequestHandle>);
    let drawn = StoredValue::new(None::<Drawn>);
    let draws = StoredValue::new(0usize);
    let hover = RwSignal::new(None::<(String, f64, f64)>);

    // The frame's work: draw what the signals hold now. `try_` reads: the
    // frame may fire after the chart was removed.
    let draw_now = move || {
        frame.try_set_value(None);
        let Some(canvas) = canvas_ref.try_get_untracked().flatten() else {
            return;
        };
        let (Some(x), Some(shown), Some(scale), Some(weight)) = (
            x_axis.try_get_untracked(),
            y.try_get_untracked(),
            y_scale.try_get_untracked(),
            smoothing.try_get_untracked(),
        ) else {
            return;
        };
        let ratio = window().device_pixel_ratio().max(1.0);
        let (width, height) = ((CSS_WIDTH * ratio).round(), (CSS_HEIGHT * ratio).round());
        let area = PlotArea::new(width, height, ratio);
        let Some(data) = histories.try_with_untracked(|h| {
            let max_points = (area.right - area.left).max(2.0) as usize;
            chart_data(h, x, shown, scale, weight, max_points)
        }) else {
            return;
        };
        draw(&canvas, &data, width as u32, height as u32, ratio);
        let count = draws.try_update_value(|n| {
            *n += 1;
            *n
        });
        let _ = canvas.set_attribute("data-draws", &count.unwrap_or_default().to_string());
        drawn.try_set_value(Some(Drawn { data, area, ratio }));
    };

    Effect::new(move |_| {
        histories.track();
        x_axis.track();
        y.track();
        y_scale.track();
        smoothing.track();
        if frame.get_value().is_some() {
            return; // a frame is already coming; it will draw the latest values
        }
        match request_animation_frame_with_handle(draw_now) {
            Ok(handle) => frame.set_value(Some(handle)),
            Err(e) => leptos::logging::warn!("loss chart: no animation frame: {e:?}"),
        }
    });
    on_cleanup(move || {
        if let Some(Some(handle)) = frame.try_get_value() {
            handle.cancel();
        }
    });

    let on_move = move |ev: leptos::ev::MouseEvent| {
        let shown = drawn.with_value(|d| {
            let d = d.as_ref()?;
            let (px, py) = (
                ev.offset_x() as f64 * d.ratio,
                ev.offset_y() as f64 * d.ratio,
            );
            let hit = nearest(&d.data, &d.area, px, py, HOVER_RADIUS_CSS * d.ratio)?;
            let text = histories
                .try_with_untracked(|h| {
                    h.get(hit.run)
                        .map(|history| describe(history, hit.index, smoothing.get_untracked()))
                })
                .flatten()?;
            Some((text, ev.offset_x() as f64, ev.offset_y() as f64))
        });
        hover.set(shown);
    };
    // The legend changes with the runs, not with every point they report.
    let labels = Memo::new(move |_| {
        histories.with(|h| h.iter().map(|h| h.label.clone()).collect::<Vec<_>>())
    });
    let legend = move || {
        labels.with(|labels| {
            labels
                .iter()
                .enumerate()
                .map(|(run, label)| {
                    let (r, g, b) = crate::training::race::chart_data::colour(run);
                    view! {
                        <li data-testid="chart-legend-item">
                            <span class="swatch" style=format!("background:rgb({r},{g},{b})")></span>
                            {label.clone()}
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <figure class="loss-chart" style="position:relative">
            <canvas
                node_ref=canvas_ref
                data-testid="loss-chart"
                data-draws="0"
                data-y=move || format!("{:?}", y.get())
                aria-label=move || caption(y.get())
                style=format!("width:{CSS_WIDTH}px;height:{CSS_HEIGHT}px;display:block")
                on:mousemove=on_move
                on:mouseleave=move |_| hover.set(None)
            ></canvas>
            <div
                class="chart-hover"
                data-testid="chart-hover"
                hidden=move || hover.with(Option::is_none)
                style=move || hover.with(|h| h.as_ref().map(|(_, x, y)| format!("position:absolute;left:{}px;top:{}px", x + 12.0, y + 12.0)).unwrap_or_default())
            >
                {move || hover.with(|h| h.as_ref().map(|(text, _, _)| text.clone()).unwrap_or_default())}
            </div>
            <ul class="loss-legend" data-testid="chart-legend">{legend}</ul>
            <figcaption class="caption" data-testid="chart-caption">{move || caption(y.get())}</figcaption>
        </figure>
    }
}

/// What the lines mean, under the chart.
fn caption(y: ChartY) -> &'static str {
    match y {
        ChartY::Loss => "Faint: each batch's loss. Solid: smoothed. Dots: loss on held-out text no run trains on.",
        ChartY::NoiseScale => "Solid: each run's gradient noise scale, the batch size (in streams) at which a step's gradient is as much noise as signal, measured every 4th update from its own gradients. Dashed: the run's bs. A bs below its curve still averages much noise away, so a larger batch would need fewer updates; far above it, a larger batch mostly spends tokens. It grows as the loss falls.",
    }
}

fn draw(canvas: &HtmlCanvasElement, data: &ChartData, width: u32, height: u32, ratio: f64) {
    if canvas.width() != width || canvas.height() != height {
        canvas.set_width(width);
        canvas.set_height(height);
    }
    let Some(backend) = CanvasBackend::with_canvas_object(canvas.clone()) else {
        return;
    };
    if let Err(e) = draw_loss_chart(&backend.into_drawing_area(), data, ratio) {
        leptos::logging::warn!("loss chart: {e:?}");
    }
}
