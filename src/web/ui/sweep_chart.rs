//! The sweep chart: updates and tokens to the target against bs, log–log
//! (`training::sweep::chart` says what and where, `sweep_chart_draw` draws).
//!
//! Results arrive a few times a second while runs train; the canvas is
//! redrawn at most once per animation frame, and only when what it shows
//! changed. `data-draws` counts the redraws, for the tests.

use leptos::html::Canvas;
use leptos::leptos_dom::helpers::{
    request_animation_frame_with_handle, AnimationFrameRequestHandle,
};
use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;

use super::sweep_chart_draw::{draw_sweep_chart, BEST, FIT, OTHER_RUN, PERFECT};
use crate::training::sweep::chart::{SweepChartData, SweepLayout, CSS_HEIGHT, CSS_WIDTH};
use crate::training::sweep::verdict::approx;

/// The chart in words, for a screen reader: what it draws, and the fit.
fn description(data: &SweepChartData) -> String {
    let fit = data.fit.map_or(String::new(), |fit| {
        format!(
            " The fit puts the critical batch size at B_crit ≈ {}.",
            approx(fit.b_crit)
        )
    });
    format!("Updates and tokens to the target loss against bs, both axes logarithmic: every run that reached the target is a dot, each bs's best lr a large dot, the perfect-scaling line dashed, the fitted curve solid.{fit}")
}

/// The chart of a sweep's results so far.
#[component]
pub fn SweepChart(
    /// What to draw; the chart redraws when it changes.
    #[prop(into)]
    data: Signal<SweepChartData>,
) -> impl IntoView {
    let canvas_ref = NodeRef::<Canvas>::new();
    let frame = StoredValue::new(None::<AnimationFrameRequestHandle>);
    let draws = StoredValue::new(0usize);

    // `try_` reads: the frame may fire after the chart was removed.
    let draw_now = move || {
        frame.try_set_value(None);
        let Some(canvas) = canvas_ref.try_get_untracked().flatten() else {
            return;
        };
        let ratio = window().device_pixel_ratio().max(1.0);
        let (width, height) = ((CSS_WIDTH * ratio).round(), (CSS_HEIGHT * ratio).round());
        if canvas.width() != width as u32 || canvas.height() != height as u32 {
            canvas.set_width(width as u32);
            canvas.set_height(height as u32);
        }
        let layout = SweepLayout::new(width, height, ratio);
        let drawn = data.try_with_untracked(|data| {
            let backend = CanvasBackend::with_canvas_object(canvas.clone())?;
            draw_sweep_chart(&backend.into_drawing_area(), data, &layout).ok()
        });
        if drawn.flatten().is_none() {
            leptos::logging::warn!("sweep chart: not drawn");
            return;
        }
        let count = draws.try_update_value(|n| {
            *n += 1;
            *n
        });
        let _ = canvas.set_attribute("data-draws", &count.unwrap_or_default().to_string());
    };

    Effect::new(move |_| {
        data.track();
        if frame.get_value().is_some() {
            return; // a frame is already coming; it draws the latest data
        }
        match request_animation_frame_with_handle(draw_now) {
            Ok(handle) => frame.set_value(Some(handle)),
            Err(e) => leptos::logging::warn!("sweep chart: no animation frame: {e:?}"),
        }
    });
    on_cleanup(move || {
        if let Some(Some(handle)) = frame.try_get_value() {
            handle.cancel();
        }
    });

    let swatch = |colour: plotters::style::RGBColor, text: &'static str, dashed: bool| {
        let plotters::style::RGBColor(r, g, b) = colour;
        let style = if dashed {
            format!("border-top:2px dashed rgb({r},{g},{b})")
        } else {
            format!("background:rgb({r},{g},{b})")
        };
        let class = if dashed { "swatch dashed" } else { "swatch" };
        view! { <li><span class=class style=style></span>{text}</li> }
    };
    view! {
        <figure class="sweep-chart">
            <canvas
                node_ref=canvas_ref
                data-testid="sweep-chart"
                data-draws="0"
                aria-label=move || data.with(description)
                style=format!("width:{CSS_WIDTH}px;height:{CSS_HEIGHT}px;display:block")
            ></canvas>
            <ul class="loss-legend sweep-legend" data-testid="sweep-legend">
                {swatch(BEST, "best lr of its bs", false)}
                {swatch(OTHER_RUN, "other lrs", false)}
                {swatch(PERFECT, "perfect scaling: 2× bs, ½ the updates, the same tokens", true)}
                {swatch(FIT, "fit S(b) = S_min·(1 + B_crit/b)", false)}
            </ul>
        </figure>
    }
}
