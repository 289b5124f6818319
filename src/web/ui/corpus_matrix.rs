//! The corpus matrix canvas: the stream cut into `bs` columns, rows = time
//! (or Hugging Face blocks lying in corpus order), the current batch lit,
//! and beside it the lens that magnifies the batch. Virtualised: only the
//! visible rows are drawn, so a corpus of any size scrolls and re-batches at
//! frame rate. The canvas is as wide as the page allows.

use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;

use super::batch_lens::BatchLens;
use super::batching::Batching;
use super::matrix_caption::matrix_caption;
use super::matrix_draw::{draw_labels, draw_matrix, MatrixLayout, MatrixPicture};
use super::matrix_grid::{labelled_columns, MatrixGrid};
use super::pixel_buffer::PixelBuffer;
use super::settled::{use_settled, SETTLE_MS};
use crate::data::batcher::Window;

/// CSS width of the canvas before the page is laid out; then the canvas
/// takes its box's width. Its bitmap is the CSS size times devicePixelRatio.
const CSS_WIDTH: f64 = 940.0;
const CSS_HEIGHT: f64 = 440.0;
/// Row heights (CSS px) a view opens with: streams show many rows of time,
/// a Hugging Face block is one row that should be readable.
const STREAM_ROW_CSS: f64 = 4.0;
const BLOCK_ROW_CSS: f64 = 14.0;
/// Least space between two column labels (CSS px).
const LABEL_GAP_CSS: f64 = 34.0;
const RIBBON_CSS: f64 = 14.0;

/// The matrix view with its caption, zoom and hover read-out.
#[component]
pub fn CorpusMatrix(
    /// The batching to draw, or the learner-facing reason there is none.
    batching: Memo<Result<Batching, String>>,
    /// The batch to light (the view scrolls to follow it).
    window: Signal<Option<Window>>,
) -> impl IntoView {
    let canvas_ref = NodeRef::<Canvas>::new();
    let top_row = RwSignal::new(0usize);
    let row_css = RwSignal::new(STREAM_ROW_CSS);
    let hover = RwSignal::new(None::<String>);
    let css_width = RwSignal::new(CSS_WIDTH);
    // The lens is read once a drag rests; rebuilding its hundreds of cells in
    // every frame of a drag would cost the matrix its next frame.
    let settled_batching = use_settled(batching.into(), SETTLE_MS);
    let settled_window = use_settled(window, SETTLE_MS);
    let measure = move || {
        if let Some(canvas) = canvas_ref.get_untracked() {
            let w = canvas.client_width() as f64;
            if w > 0.0 && (w - css_width.get_untracked()).abs() >= 1.0 {
                css_width.set(w);
            }
        }
    };
    Effect::new(move |_| {
        canvas_ref.track();
        measure();
    });
    let _resize = window_event_listener(leptos::ev::resize, move |_| measure());
    let blocks =
        Memo::new(move |_| batching.with(|b| b.as_ref().is_ok_and(|b| b.epoch.is_blocks())));
    Effect::new(move |previous: Option<bool>| {
        let now = blocks.get();
        if previous.is_some_and(|p| p != now) || (previous.is_none() && now) {
            row_css.set(if now { BLOCK_ROW_CSS } else { STREAM_ROW_CSS });
        }
        now
    });
    let visible_rows = move || {
        ((CSS_HEIGHT - 2.0 * RIBBON_CSS) / row_css.get())
            .floor()
            .max(1.0) as usize
    };

    // Follow the current batch: scroll only when it leaves the view.
    Effect::new(move |_| {
        let Some(w) = window.get() else { return };
        let Some(focus) = batching
            .with_untracked(|b| b.as_ref().ok().map(|b| MatrixGrid::new(&b.epoch).focus(w)))
        else {
            return;
        };
        let (top, shown) = (top_row.get_untracked(), visible_rows());
        if focus.start < top || focus.end > top + shown {
            // Keep some consumed rows above the window in view, for context.
            top_row.set(focus.start.saturating_sub(shown / 4));
        }
    });
    Effect::new(move |_| {
        let Some(canvas) = canvas_ref.get() else {
            return;
        };
        let Ok(batching) = batching.get() else {
            // Never leave the last corpus's picture up: the caption says why
            // there is none now.
            clear(&canvas);
            return;
        };
        let ratio = window_ratio();
        let (width, height) = (
            (css_width.get() * ratio) as u32,
            (CSS_HEIGHT * ratio) as u32,
        );
        if canvas.width() != width || canvas.height() != height {
            canvas.set_width(width);
            canvas.set_height(height);
        }
        let picture = MatrixPicture {
            epoch: &batching.epoch,
            scheme: batching.batcher.config().scheme,
            corpus: Some(&batching.corpus),
            tokens: batching.batcher.tokens(),
            dropped: batching.batcher.dropped_ranges(),
            window: window.get(),
            top_row: top_row.get(),
            cell_height: row_css.get() * ratio,
            ribbon_height: RIBBON_CSS * ratio,
        };
        // Cells are drawn in wasm memory and shown with one putImageData.
        let mut pixels = PixelBuffer::new(width, height);
        if let Err(e) = draw_matrix(&(&mut pixels).into_drawing_area(), &picture) {
            leptos::logging::warn!("corpus matrix: {e:?}");
        }
        if let Err(e) = put_pixels(&canvas, &pixels) {
            leptos::logging::warn!("corpus matrix: {e:?}");
        }
        if let Some(backend) = CanvasBackend::with_canvas_object(canvas) {
            if let Err(e) = draw_labels(&backend.into_drawing_area(), &picture) {
                leptos::logging::warn!("corpus matrix labels: {e:?}");
            }
        }
    });
    let layout = move || {
        batching.with_untracked(|b| {
            b.as_ref().ok().map(|b| {
                let grid = MatrixGrid::new(&b.epoch);
                MatrixLayout::new(
                    css_width.get_untracked(),
                    CSS_HEIGHT,
                    grid.columns(),
                    grid.rows(),
                    top_row.get_untracked(),
                    row_css.get_untracked(),
                    RIBBON_CSS,
                )
            })
        })
    };
    let on_wheel = move |ev: leptos::ev::WheelEvent| {
        ev.prevent_default();
        let rows = batching.with_untracked(|b| {
            b.as_ref()
                .map(|b| MatrixGrid::new(&b.epoch).rows())
                .unwrap_or(0)
        });
        let step = ((ev.delta_y() / 100.0) * (visible_rows() as f64 / 4.0).max(1.0)).round() as i64;
        let max_top = rows.saturating_sub(visible_rows()) as i64;
        top_row.update(|t| *t = (*t as i64 + step).clamp(0, max_top.max(0)) as usize);
    };
    let on_move = move |ev: leptos::ev::MouseEvent| {
        let text = layout()
            .and_then(|l| l.cell_at(ev.offset_x() as f64, ev.offset_y() as f64))
            .and_then(|(x, y)| {
                batching.with_untracked(|b| {
                    let b = b.as_ref().ok()?;
                    let grid = MatrixGrid::new(&b.epoch);
                    if x >= grid.columns() {
                        return None;
                    }
                    let position = grid.position(x, y);
                    let place = match b
                        .corpus
                        .token_location_in(b.epoch.document_order(), position)
                    {
                        Some((doc, offset)) => format!("document {}, byte {}", doc + 1, offset),
                        None => "a document separator".to_string(),
                    };
                    let cell = if b.epoch.is_blocks() {
                        format!("block {y} · token {x} of the block")
                    } else {
                        format!("stream {x} · row {y}")
                    };
                    Some(format!(
                        "“{}” · {cell} · token {position} of the stream · {place}",
                        b.corpus.display_token(grid.token(x, y))
                    ))
                })
            });
        hover.set(text);
    };
    let caption = move || match batching.get() {
        Ok(b) => matrix_caption(&b),
        Err(reason) => reason,
    };
    let columns_css = move || {
        let columns = batching.with(|b| {
            b.as_ref()
                .map_or(1, |b| MatrixGrid::new(&b.epoch).columns().max(1))
        });
        format!("grid-template-columns:repeat({columns},minmax(0,1fr))")
    };
    let labels = move || {
        let width = css_width.get();
        batching.with(|b| {
            let Ok(b) = b.as_ref() else { return Vec::new() };
            let grid = MatrixGrid::new(&b.epoch);
            let columns = grid.columns();
            let name = if b.epoch.is_blocks() {
                "token"
            } else {
                "stream"
            };
            let pitch = width / columns.max(1) as f64;
            labelled_columns(columns, width, LABEL_GAP_CSS)
                .into_iter()
                // The first label is a word: keep the numbers clear of it.
                .filter(|&c| c == 0 || c as f64 * pitch >= 2.0 * LABEL_GAP_CSS)
                .map(|c| {
                    let text = if c == 0 {
                        format!("{name} 0")
                    } else {
                        c.to_string()
                    };
                    view! { <span style=format!("grid-column:{}", c + 1)>{text}</span> }
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <figure class="corpus-matrix">
            <figcaption class="view-title">{move || if blocks.get() {
                "Corpus → blocks: the stream cut into blocks of bptt tokens, one per row"
            } else {
                "Corpus → columns: the stream cut into bs pieces, standing side by side"
            }}</figcaption>
            <div class="matrix-body">
                <div class="matrix-canvas">
                    <div class="matrix-columns" data-testid="matrix-column-labels" aria-hidden="true" style=columns_css>{labels}</div>
                    <canvas
                        node_ref=canvas_ref
                        data-testid="corpus-matrix"
                        tabindex="0"
                        aria-label="The corpus cut into bs columns; the lit band is the current batch. Scroll to move through time."
                        style=format!("height:{CSS_HEIGHT}px")
                        on:wheel=on_wheel
                        on:mousemove=on_move
                        on:mouseleave=move |_| hover.set(None)
                    ></canvas>
                </div>
                <BatchLens batching=settled_batching window=settled_window />
            </div>
            <div class="matrix-tools">
                <label>"row height "
                    <input type="range" min="2" max="18" data-testid="zoom-slider" aria-label="Row height (zoom)"
                        prop:value=move || row_css.get().to_string()
                        on:input=move |ev| {
                            if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                                row_css.set(v)
                            }
                        } />
                </label>
                <span data-testid="matrix-rows-shown">{move || format!("rows {}–{} shown", top_row.get(), top_row.get() + visible_rows())}</span>
                <span class="hover" data-testid="matrix-hover">{move || hover.get().unwrap_or_else(|| "hover a cell: its token, stream, row and place in the text".into())}</span>
            </div>
            <p class="caption" data-testid="matrix-caption">{caption}</p>
        </figure>
    }
}

/// Blanks `canvas`.
fn clear(canvas: &web_sys::HtmlCanvasElement) {
    use wasm_bindgen::JsCast;
    if let Ok(Some(context)) = canvas.get_context("2d") {
        let context: web_sys::CanvasRenderingContext2d = context.unchecked_into();
        context.clear_rect(0.0, 0.0, canvas.width() as f64, canvas.height() as f64);
    }
}

/// Shows `pixels` on `canvas` (same size).
fn put_pixels(
    canvas: &web_sys::HtmlCanvasElement,
    pixels: &PixelBuffer,
) -> Result<(), wasm_bindgen::JsValue> {
    use wasm_bindgen::JsCast;
    let context: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")?
        .ok_or("no 2d context")?
        .unchecked_into();
    let image = web_sys::ImageData::new_with_u8_clamped_array_and_sh(
        wasm_bindgen::Clamped(pixels.rgba_bytes()),
        pixels.width,
        pixels.height,
    )?;
    context.put_image_data(&image, 0.0, 0.0)
}

fn window_ratio() -> f64 {
    window().device_pixel_ratio().max(1.0)
}
