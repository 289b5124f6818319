//! Draws the corpus as the batcher sees it: on top, the token stream as a
//! ribbon cut into `bs` pieces (the dropped tail crossed out); below, the
//! pieces standing side by side as the matrix — columns = streams, rows =
//! time — with the current input window lit, its target outlined, rows
//! already consumed this epoch dimmed and rows never reached marked.
//!
//! Generic over plotters' `DrawingBackend` so it is tested natively with
//! `PixelBuffer`; the canvas component only calls it from an effect.

use std::ops::Range;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::batcher::{EpochBatches, Window};
use crate::corpus::Corpus;

/// Colours, named for what they mark.
pub const BACKGROUND: RGBColor = RGBColor(250, 250, 247);
pub const WINDOW_OUTLINE: RGBColor = RGBColor(20, 20, 20);
pub const TARGET_OUTLINE: RGBColor = RGBColor(214, 39, 40);
pub const CONSUMED: RGBColor = RGBColor(200, 200, 196);
pub const UNREACHED: RGBColor = RGBColor(244, 204, 204);
pub const DROPPED: RGBColor = RGBColor(214, 39, 40);

/// What to draw.
pub struct MatrixPicture<'a> {
    pub epoch: &'a EpochBatches,
    /// For token labels when cells are large enough; `None` = colours only.
    pub corpus: Option<&'a Corpus>,
    /// Tokens in the whole stream (kept + dropped), for the ribbon.
    pub tokens: usize,
    /// The batch shown; `None` lights nothing.
    pub window: Option<Window>,
    /// First matrix row drawn (the view scrolls; only visible rows are drawn).
    pub top_row: usize,
    /// Row height in device pixels.
    pub cell_height: f64,
    /// Height of the ribbon band in device pixels (0 = no ribbon).
    pub ribbon_height: f64,
}

/// Where things are on the drawing, shared by drawing and hit-testing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MatrixLayout {
    pub width: f64,
    /// y where matrix row `top_row` starts.
    pub matrix_top: f64,
    pub cell_width: f64,
    pub cell_height: f64,
    pub top_row: usize,
    /// Rows drawn: top_row .. top_row + visible_rows.
    pub visible_rows: usize,
}

impl MatrixLayout {
    pub fn new(
        width: f64,
        height: f64,
        bs: usize,
        rows: usize,
        top_row: usize,
        cell_height: f64,
        ribbon_height: f64,
    ) -> Self {
        let matrix_top = if ribbon_height > 0.0 {
            ribbon_height * 2.0
        } else {
            0.0
        };
        let top_row = top_row.min(rows.saturating_sub(1));
        let fit = ((height - matrix_top).max(0.0) / cell_height).floor() as usize;
        MatrixLayout {
            width,
            matrix_top,
            cell_width: width / bs.max(1) as f64,
            cell_height,
            top_row,
            visible_rows: fit.min(rows - top_row.min(rows)),
        }
    }

    /// The (stream, row) under a point, if it is a drawn cell.
    pub fn cell_at(&self, x: f64, y: f64) -> Option<(usize, usize)> {
        if x < 0.0 || y < self.matrix_top || x >= self.width {
            return None;
        }
        let offset = ((y - self.matrix_top) / self.cell_height) as usize;
        (offset < self.visible_rows)
            .then(|| ((x / self.cell_width) as usize, self.top_row + offset))
    }
}

/// The colour of a token: hues spread by the golden angle so neighbouring ids differ.
pub fn token_colour(id: u32, lit: bool) -> RGBColor {
    let hue = (id as f64 * 0.618_033_988_75).fract();
    let (s, l) = if lit { (0.65, 0.50) } else { (0.25, 0.86) };
    let c = HSLColor(hue, s, l).to_rgba();
    RGBColor(c.0, c.1, c.2)
}

/// How a row is drawn, from the epoch's progress.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowState {
    /// Inside the current input window.
    Lit,
    /// Trained on earlier this epoch.
    Consumed,
    /// No window of this epoch reaches it (fastai v0.7's tail).
    Unreached,
    Waiting,
}

pub fn row_state(row: usize, window: Option<Window>, unreached: &Range<usize>) -> RowState {
    match window {
        _ if unreached.contains(&row) => RowState::Unreached,
        Some(w) if (w.start..w.start + w.seq_len).contains(&row) => RowState::Lit,
        Some(w) if row < w.start => RowState::Consumed,
        _ => RowState::Waiting,
    }
}

/// Draws `picture` filling `area`.
pub fn draw_matrix<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    picture: &MatrixPicture,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&BACKGROUND)?;
    let (width, height) = area.dim_in_pixel();
    let epoch = picture.epoch;
    let (bs, rows) = (epoch.bs(), epoch.rows());
    if bs == 0 || rows == 0 {
        return area.present();
    }
    let layout = MatrixLayout::new(
        width as f64,
        height as f64,
        bs,
        rows,
        picture.top_row,
        picture.cell_height,
        picture.ribbon_height,
    );
    if picture.ribbon_height > 0.0 {
        draw_ribbon(area, picture, width as f64)?;
    }
    let unreached = epoch.unreached_rows();
    let x = |stream: usize| (stream as f64 * layout.cell_width).round() as i32;
    let y = |row: usize| {
        (layout.matrix_top + (row - layout.top_row) as f64 * layout.cell_height).round() as i32
    };
    for row in layout.top_row..layout.top_row + layout.visible_rows {
        let state = row_state(row, picture.window, &unreached);
        for stream in 0..bs {
            let colour = match state {
                RowState::Lit => token_colour(epoch.token(stream, row), true),
                RowState::Consumed => CONSUMED,
                RowState::Unreached => UNREACHED,
                RowState::Waiting => token_colour(epoch.token(stream, row), false),
            };
            area.draw(&Rectangle::new(
                [(x(stream), y(row)), (x(stream + 1), y(row + 1))],
                colour.filled(),
            ))?;
        }
    }
    if let Some(w) = picture.window {
        let last = layout.top_row + layout.visible_rows;
        let clip = |r: usize| r.clamp(layout.top_row, last);
        let outline = |top: usize, bottom: usize, colour: RGBColor, width_px: u32| {
            Rectangle::new(
                [(0, y(clip(top))), (width as i32 - 1, y(clip(bottom)) - 1)],
                colour.stroke_width(width_px),
            )
        };
        if clip(w.start + 1) < clip(w.start + w.seq_len + 1) {
            area.draw(&outline(
                w.start + 1,
                w.start + w.seq_len + 1,
                TARGET_OUTLINE,
                2,
            ))?;
        }
        if clip(w.start) < clip(w.start + w.seq_len) {
            area.draw(&outline(w.start, w.start + w.seq_len, WINDOW_OUTLINE, 3))?;
        }
    }
    area.present()
}

/// Writes each visible cell's token over a picture drawn by [`draw_matrix`],
/// when cells are large enough to read (zoomed in); text needs the browser's
/// fonts, so this runs on the canvas itself.
pub fn draw_labels<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    picture: &MatrixPicture,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (width, height) = area.dim_in_pixel();
    let epoch = picture.epoch;
    let Some(corpus) = picture.corpus else {
        return Ok(());
    };
    let layout = MatrixLayout::new(
        width as f64,
        height as f64,
        epoch.bs(),
        epoch.rows(),
        picture.top_row,
        picture.cell_height,
        picture.ribbon_height,
    );
    if layout.cell_width < 9.0 || layout.cell_height < 12.0 {
        return Ok(());
    }
    let font_px = (layout.cell_height * 0.8).min(layout.cell_width * 1.3);
    let style = ("monospace", font_px)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Center, VPos::Center));
    for row in layout.top_row..layout.top_row + layout.visible_rows {
        for stream in 0..epoch.bs() {
            let centre = (
                (stream as f64 * layout.cell_width + layout.cell_width / 2.0) as i32,
                (layout.matrix_top
                    + (row - layout.top_row) as f64 * layout.cell_height
                    + layout.cell_height / 2.0) as i32,
            );
            area.draw(&Text::new(
                corpus.display_token(epoch.token(stream, row)),
                centre,
                &style,
            ))?;
        }
    }
    Ok(())
}

/// The token stream as one band: `bs` pieces of `rows` tokens side by side,
/// each piece's current window slice dark, the dropped tail crossed out.
fn draw_ribbon<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    picture: &MatrixPicture,
    width: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let epoch = picture.epoch;
    let (bs, rows) = (epoch.bs(), epoch.rows());
    let tokens = picture.tokens.max(rows * bs);
    let h = picture.ribbon_height.round() as i32;
    let px = |token: usize| (token as f64 / tokens as f64 * width).round() as i32;
    for stream in 0..bs {
        let shade = if stream % 2 == 0 {
            RGBColor(205, 215, 230)
        } else {
            RGBColor(180, 195, 215)
        };
        area.draw(&Rectangle::new(
            [(px(stream * rows), 0), (px((stream + 1) * rows), h)],
            shade.filled(),
        ))?;
        if let Some(w) = picture.window {
            let (a, b) = (stream * rows + w.start, stream * rows + w.start + w.seq_len);
            area.draw(&Rectangle::new(
                [(px(a), 0), (px(b).max(px(a) + 1), h)],
                RGBColor(40, 60, 90).filled(),
            ))?;
        }
    }
    let dropped_from = px(rows * bs);
    if dropped_from < width as i32 {
        area.draw(&Rectangle::new(
            [(dropped_from, 0), (width as i32, h)],
            DROPPED.mix(0.25).filled(),
        ))?;
        area.draw(&PathElement::new(
            vec![(dropped_from, 0), (width as i32, h)],
            DROPPED.stroke_width(2),
        ))?;
        area.draw(&PathElement::new(
            vec![(dropped_from, h), (width as i32, 0)],
            DROPPED.stroke_width(2),
        ))?;
    }
    Ok(())
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
        let batcher = LmBatcher::new(
            &corpus,
            BatchConfig {
                bs,
                bptt,
                scheme: Scheme::Pytorch,
                seed: 0,
            },
        )
        .unwrap();
        let epoch = batcher.epoch(0);
        let mut buffer = PixelBuffer::new(320, 200);
        let picture = MatrixPicture {
            epoch: &epoch,
            corpus: None,
            tokens: batcher.tokens(),
            window: window.then(|| epoch.windows[0]),
            top_row: 0,
            cell_height: 2.0,
            ribbon_height: 0.0,
        };
        draw_matrix(&(&mut buffer).into_drawing_area(), &picture).unwrap();
        (buffer, epoch.rows())
    }

    fn saturation([r, g, b]: [u8; 3]) -> u8 {
        r.max(g).max(b) - r.min(g).min(b)
    }

    #[test]
    fn window_rows_are_lit_and_rows_below_are_washed_out() {
        let (buffer, _) = render(8, 10, true);
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
        assert_ne!(render(8, 10, true).0, render(16, 10, true).0);
        let (dark, _) = render(8, 10, false);
        let max_saturation = dark.rgb.iter().map(|p| saturation(*p)).max().unwrap();
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
    fn rows_are_lit_consumed_unreached_or_waiting() {
        let w = Some(crate::batcher::Window {
            epoch: 0,
            index: 1,
            start: 10,
            seq_len: 5,
        });
        let unreached = 90..100;
        assert_eq!(row_state(3, w, &unreached), RowState::Consumed);
        assert_eq!(row_state(12, w, &unreached), RowState::Lit);
        assert_eq!(row_state(15, w, &unreached), RowState::Waiting);
        assert_eq!(row_state(95, w, &unreached), RowState::Unreached);
        assert_eq!(row_state(3, None, &unreached), RowState::Waiting);
    }

    #[test]
    fn the_ribbon_crosses_out_the_dropped_tail() {
        let corpus = Corpus::from_documents(&[crate::corpora::HARBOUR], TokenLevel::Char).unwrap();
        let batcher = LmBatcher::new(
            &corpus,
            BatchConfig {
                bs: 200,
                bptt: 5,
                scheme: Scheme::Pytorch,
                seed: 0,
            },
        )
        .unwrap();
        assert!(
            batcher.dropped() * 400 > batcher.tokens() * 5,
            "at least 5 px of dropped tail"
        );
        let epoch = batcher.epoch(0);
        let mut buffer = PixelBuffer::new(400, 100);
        let picture = MatrixPicture {
            epoch: &epoch,
            corpus: None,
            tokens: batcher.tokens(),
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
}
