//! The corpus matrix canvas: every stream a column, every row a time step,
//! the current window lit.

use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;

use super::batching::Batching;
use super::matrix_draw::{draw_matrix, MatrixPicture};

/// CSS size of the canvas; the bitmap is this times devicePixelRatio.
const CSS_WIDTH: u32 = 720;
const CSS_HEIGHT: u32 = 420;

/// The corpus cut into `bs` columns, drawn with plotters on a HiDPI canvas.
#[component]
pub fn CorpusMatrix(
    /// The batching to draw, or the learner-facing reason there is none.
    batching: Memo<Result<Batching, String>>,
) -> impl IntoView {
    let canvas_ref = NodeRef::<Canvas>::new();
    Effect::new(move |_| {
        let Some(canvas) = canvas_ref.get() else { return };
        let Ok(batching) = batching.get() else { return };
        let ratio = window().device_pixel_ratio().max(1.0);
        canvas.set_width((CSS_WIDTH as f64 * ratio) as u32);
        canvas.set_height((CSS_HEIGHT as f64 * ratio) as u32);
        let Some(backend) = CanvasBackend::with_canvas_object(canvas) else { return };
        let picture = MatrixPicture {
            epoch: &batching.epoch,
            window: batching.epoch.windows.first().copied(),
            min_cell_height: 3.0 * ratio,
        };
        if let Err(e) = draw_matrix(&backend.into_drawing_area(), &picture) {
            leptos::logging::warn!("corpus matrix: {e:?}");
        }
    });
    view! {
        <figure class="corpus-matrix">
            <canvas
                node_ref=canvas_ref
                data-testid="corpus-matrix"
                aria-label="The corpus cut into bs columns; the lit band is the current batch"
                style=format!("width:{CSS_WIDTH}px;height:{CSS_HEIGHT}px")
            ></canvas>
            <figcaption>
                {move || match batching.get() {
                    Ok(b) => format!(
                        "{} columns (one per sequence in the batch) × {} rows (time); lit: the first batch's input, red outline: its target",
                        b.epoch.bs(), b.epoch.rows()
                    ),
                    Err(reason) => reason,
                }}
            </figcaption>
        </figure>
    }
}
