//! Unit tests of `matrix_draw.rs`: pictures drawn into a `PixelBuffer` and read back.
use super::*;
use crate::data::batcher::{BatchConfig, LmBatcher, Scheme};
use crate::data::corpus::{Corpus, TokenLevel};
use crate::web::ui::pixel_buffer::PixelBuffer;

fn harbour(bs: usize, bptt: usize, scheme: Scheme) -> LmBatcher {
    let corpus =
        Corpus::from_documents(&[crate::data::corpora::HARBOUR], TokenLevel::Char).unwrap();
    LmBatcher::new(
        &corpus,
        BatchConfig {
            bs,
            bptt,
            scheme,
            seed: 0,
        },
    )
    .unwrap()
}

/// `epoch` drawn into 320×200 pixels with rows `cell_height` high.
fn draw(
    batcher: &LmBatcher,
    epoch: &EpochBatches,
    window: Option<Window>,
    cell_height: f64,
    ribbon_height: f64,
) -> PixelBuffer {
    let mut buffer = PixelBuffer::new(320, 200);
    let picture = MatrixPicture {
        epoch,
        scheme: batcher.config().scheme,
        corpus: None,
        tokens: batcher.tokens(),
        dropped: batcher.dropped_ranges(),
        window,
        top_row: 0,
        cell_height,
        ribbon_height,
    };
    draw_matrix(&(&mut buffer).into_drawing_area(), &picture).unwrap();
    buffer
}

/// The matrix of the harbour story (PyTorch scheme), the first window lit or not.
fn render(bs: usize, bptt: usize, window: bool) -> PixelBuffer {
    let batcher = harbour(bs, bptt, Scheme::Pytorch);
    let epoch = batcher.epoch(0);
    draw(&batcher, &epoch, window.then(|| epoch.windows[0]), 2.0, 0.0)
}

fn saturation([r, g, b]: [u8; 3]) -> u8 {
    r.max(g).max(b) - r.min(g).min(b)
}

#[test]
fn window_rows_are_lit_and_rows_below_are_washed_out() {
    let buffer = render(8, 10, true);
    let cell_h = 2.0;
    let lit_y = (cell_h * 4.5) as u32; // inside rows 0..10
    let dim_y = (cell_h * 30.5) as u32; // far below the window
    let lit: u32 = (0..8)
        .map(|s| saturation(buffer.at(s * 40 + 20, lit_y)) as u32)
        .sum();
    let dim: u32 = (0..8)
        .map(|s| saturation(buffer.at(s * 40 + 20, dim_y)) as u32)
        .sum();
    assert!(lit > 3 * dim, "lit {lit} vs dim {dim}");
}

#[test]
fn more_columns_change_the_picture_and_no_window_lights_nothing() {
    assert_ne!(render(8, 10, true), render(16, 10, true));
    let dark = render(8, 10, false);
    let max_saturation = dark.colours().map(saturation).max().unwrap();
    assert!(
        max_saturation < 90,
        "without a window every cell is washed out ({max_saturation})"
    );
}

#[test]
fn layout_shows_the_rows_that_fit_and_hit_tests_cells() {
    let l = MatrixLayout::new(640.0, 200.0, 64, 1000, 100, 4.0, 10.0);
    assert_eq!(
        (l.matrix_top, l.visible_rows, l.cell_width),
        (20.0, 45, 10.0)
    );
    assert_eq!(l.cell_at(25.0, 20.0 + 4.0 * 3.5), Some((2, 103)));
    assert_eq!(l.cell_at(25.0, 5.0), None, "the ribbon is not a cell");
    let end = MatrixLayout::new(640.0, 200.0, 64, 120, 100, 4.0, 10.0);
    assert_eq!(
        end.visible_rows, 20,
        "the last rows: no drawing past the end"
    );
}

#[test]
fn hf_blocks_light_the_rows_of_this_batchs_blocks_only() {
    // Blocks of 8 lie as rows 10 px high; batch 0's bs = 3 blocks are lit.
    let batcher = harbour(3, 8, Scheme::HfBlocks);
    let epoch = batcher.epoch(0);
    let w = epoch.windows[0];
    let buffer = draw(&batcher, &epoch, Some(w), 10.0, 0.0);
    let row_saturation = |block: usize| -> u32 {
        (0..7)
            .map(|x| saturation(buffer.at(x * 40 + 20, block as u32 * 10 + 5)) as u32)
            .sum()
    };
    let lit: Vec<usize> = (0..3).map(|j| epoch.batch_column(&w, j)).collect();
    for block in 0..(200 / 10) {
        if lit.contains(&block) {
            assert!(row_saturation(block) > 500, "block {block} is in the batch");
        } else {
            assert!(
                row_saturation(block) < 400,
                "block {block} waits ({})",
                row_saturation(block)
            );
        }
    }
}

#[test]
fn the_ribbon_crosses_out_the_dropped_tail() {
    let batcher = harbour(200, 5, Scheme::Pytorch);
    assert!(
        batcher.dropped() * 400 > batcher.tokens() * 5,
        "at least 5 px of dropped tail"
    );
    let epoch = batcher.epoch(0);
    let mut buffer = PixelBuffer::new(400, 100);
    let picture = MatrixPicture {
        epoch: &epoch,
        scheme: Scheme::Pytorch,
        corpus: None,
        tokens: batcher.tokens(),
        dropped: batcher.dropped_ranges(),
        window: None,
        top_row: 0,
        cell_height: 2.0,
        ribbon_height: 10.0,
    };
    draw_matrix(&(&mut buffer).into_drawing_area(), &picture).unwrap();
    let kept_px = (batcher.rows() * 200) as f64 / batcher.tokens() as f64 * 400.0;
    let reddish = |p: [u8; 3]| p[0] as i32 - p[2] as i32 > 40;
    assert!(
        (kept_px.ceil() as u32 + 1..400).any(|x| reddish(buffer.at(x, 5))),
        "the dropped tail is red"
    );
    assert!(
        !(0..kept_px.floor() as u32 - 1).any(|x| reddish(buffer.at(x, 5))),
        "kept tokens are not"
    );
}
