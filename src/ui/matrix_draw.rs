//! Draws the corpus matrix — streams as columns, time as rows — with the
//! current input window lit and its target window outlined.
//!
//! Generic over plotters' `DrawingBackend` so it is tested natively with the
//! bitmap backend; the canvas component only calls it from an effect.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::batcher::{EpochBatches, Window};

/// Colours of the matrix, named for what they mark.
pub const BACKGROUND: RGBColor = RGBColor(250, 250, 247);
pub const WINDOW_OUTLINE: RGBColor = RGBColor(20, 20, 20);
pub const TARGET_OUTLINE: RGBColor = RGBColor(214, 39, 40);

/// What to draw: one epoch's columns and the window being trained on.
pub struct MatrixPicture<'a> {
    pub epoch: &'a EpochBatches,
    /// The current batch's input rows; `None` before the first step.
    pub window: Option<Window>,
    /// Smallest cell height in device pixels; rows that do not fit are not drawn.
    pub min_cell_height: f64,
}

/// The colour of a token: hues spread by the golden angle so neighbouring ids
/// differ; cells outside the window are washed out so the window stands out.
pub fn token_colour(id: u32, lit: bool) -> RGBColor {
    let hue = (id as f64 * 0.618_033_988_75).fract();
    let (s, l) = if lit { (0.65, 0.50) } else { (0.25, 0.86) };
    let c = HSLColor(hue, s, l).to_rgba();
    RGBColor(c.0, c.1, c.2)
}

/// How many rows fit and how tall each is, for a drawing `height` pixels high.
pub fn row_layout(rows: usize, height: f64, min_cell_height: f64) -> (usize, f64) {
    if rows == 0 {
        return (0, 0.0);
    }
    let cell = (height / rows as f64).max(min_cell_height);
    let visible = ((height / cell).floor() as usize).min(rows);
    (visible, cell)
}

/// Draws `picture` filling `area`.
pub fn draw_matrix<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    picture: &MatrixPicture,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&BACKGROUND)?;
    let (width, height) = area.dim_in_pixel();
    let epoch = picture.epoch;
    let bs = epoch.bs();
    let (visible_rows, cell_h) = row_layout(epoch.rows(), height as f64, picture.min_cell_height);
    if bs == 0 || visible_rows == 0 {
        return Ok(());
    }
    let cell_w = width as f64 / bs as f64;
    let x = |stream: usize| (stream as f64 * cell_w).round() as i32;
    let y = |row: usize| (row as f64 * cell_h).round() as i32;
    let lit_rows = picture.window.map(|w| w.start..w.start + w.seq_len);
    for row in 0..visible_rows {
        let lit = lit_rows.as_ref().is_some_and(|r| r.contains(&row));
        for stream in 0..bs {
            let colour = token_colour(epoch.token(stream, row), lit);
            area.draw(&Rectangle::new([(x(stream), y(row)), (x(stream + 1), y(row + 1))], colour.filled()))?;
        }
    }
    if let Some(w) = picture.window {
        let bottom = (w.start + w.seq_len).min(visible_rows);
        let target_bottom = (w.start + w.seq_len + 1).min(visible_rows);
        let outline = |top: usize, bottom: usize, colour: RGBColor| {
            Rectangle::new([(0, y(top)), (width as i32 - 1, y(bottom) - 1)], colour.stroke_width(2))
        };
        if w.start + 1 < visible_rows {
            area.draw(&outline(w.start + 1, target_bottom, TARGET_OUTLINE))?;
        }
        if w.start < visible_rows {
            area.draw(&outline(w.start, bottom, WINDOW_OUTLINE))?;
        }
    }
    area.present()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batcher::{BatchConfig, LmBatcher, Scheme};
    use crate::corpus::{Corpus, TokenLevel};
    use crate::ui::pixel_buffer::PixelBuffer;

    /// The matrix of the harbour story drawn into 320×200 pixels, and its rows.
    fn render(bs: usize, bptt: usize, window: bool) -> (PixelBuffer, usize) {
        let corpus = Corpus::from_documents(&[crate::corpora::HARBOUR], TokenLevel::Char).unwrap();
        let batcher = LmBatcher::new(&corpus, BatchConfig { bs, bptt, scheme: Scheme::Pytorch, seed: 0 }).unwrap();
        let epoch = batcher.epoch(0);
        let mut buffer = PixelBuffer::new(320, 200);
        let picture = MatrixPicture { epoch: &epoch, window: window.then(|| epoch.windows[0]), min_cell_height: 2.0 };
        draw_matrix(&(&mut buffer).into_drawing_area(), &picture).unwrap();
        (buffer, epoch.rows())
    }

    fn saturation([r, g, b]: [u8; 3]) -> u8 {
        r.max(g).max(b) - r.min(g).min(b)
    }

    #[test]
    fn window_rows_are_lit_and_rows_below_are_washed_out() {
        let (buffer, rows) = render(8, 10, true);
        let (_, cell_h) = row_layout(rows, 200.0, 2.0);
        let lit_y = (cell_h * 4.5) as u32; // inside rows 0..10
        let dim_y = (cell_h * 30.5) as u32; // far below the window
        let lit: u32 = (0..8).map(|s| saturation(buffer.at(s * 40 + 20, lit_y)) as u32).sum();
        let dim: u32 = (0..8).map(|s| saturation(buffer.at(s * 40 + 20, dim_y)) as u32).sum();
        assert!(lit > 3 * dim, "lit {lit} vs dim {dim}");
    }

    #[test]
    fn more_columns_change_the_picture_and_no_window_lights_nothing() {
        assert_ne!(render(8, 10, true).0, render(16, 10, true).0);
        let (dark, _) = render(8, 10, false);
        let max_saturation = dark.rgb.iter().map(|p| saturation(*p)).max().unwrap();
        assert!(max_saturation < 90, "without a window every cell is washed out ({max_saturation})");
    }

    #[test]
    fn row_layout_fits_rows_or_clips_at_the_minimum_height() {
        assert_eq!(row_layout(100, 200.0, 1.0), (100, 2.0));
        assert_eq!(row_layout(1000, 200.0, 2.0), (100, 2.0));
        assert_eq!(row_layout(0, 200.0, 2.0), (0, 0.0));
    }
}
