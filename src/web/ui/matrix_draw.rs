//! Draws the corpus as the batcher sees it: on top, the token stream as a
//! ribbon cut into the scheme's pieces (the dropped tokens crossed out);
//! below, the [`MatrixGrid`] — streams standing side by side (rows = time),
//! or Hugging Face blocks lying in corpus order — with the current input
//! lit, its target outlined, cells already consumed this epoch dimmed and
//! rows never reached marked.
//!
//! Generic over plotters' `DrawingBackend` so it is tested natively with
//! `PixelBuffer`; the canvas component only calls it from an effect.

use std::ops::Range;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::matrix_grid::{CellState, MatrixGrid};
use crate::data::batcher::{EpochBatches, Scheme, Window};
use crate::data::corpus::Corpus;

/// Colours, named for what they mark.
pub const BACKGROUND: RGBColor = RGBColor(250, 250, 247);
pub const WINDOW_OUTLINE: RGBColor = RGBColor(20, 20, 20);
pub const TARGET_OUTLINE: RGBColor = RGBColor(214, 39, 40);
pub const CONSUMED: RGBColor = RGBColor(200, 200, 196);
pub const UNREACHED: RGBColor = RGBColor(244, 204, 204);
pub const DROPPED: RGBColor = RGBColor(214, 39, 40);
/// fastai 2's hand-over row: the next stream's first token.
pub const HAND_OVER: RGBColor = RGBColor(31, 119, 180);

/// What to draw.
pub struct MatrixPicture<'a> {
    pub epoch: &'a EpochBatches,
    pub scheme: Scheme,
    /// For token labels when cells are large enough; `None` = colours only.
    pub corpus: Option<&'a Corpus>,
    /// Tokens in the whole stream (kept + dropped), for the ribbon.
    pub tokens: usize,
    /// Stretches of the stream no batch reads (crossed out on the ribbon).
    pub dropped: &'a [Range<usize>],
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

/// Token colours of one picture, each worked out once: a frame has tens of
/// thousands of cells but only as many colours as distinct tokens in view.
#[derive(Default)]
struct Palette {
    /// By token id: the dim colour and the lit one.
    known: Vec<[Option<RGBColor>; 2]>,
}

impl Palette {
    /// Ids past this (a large word vocabulary) are worked out each time,
    /// rather than grow the table for one frame.
    const KEPT: usize = 1 << 16;

    fn colour(&mut self, id: u32, lit: bool) -> RGBColor {
        let index = id as usize;
        if index >= Self::KEPT {
            return token_colour(id, lit);
        }
        if index >= self.known.len() {
            self.known.resize(index + 1, [None; 2]);
        }
        *self.known[index][usize::from(lit)].get_or_insert_with(|| token_colour(id, lit))
    }
}

/// Draws `picture` filling `area`.
pub fn draw_matrix<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    picture: &MatrixPicture,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&BACKGROUND)?;
    let (width, height) = area.dim_in_pixel();
    let grid = MatrixGrid::new(picture.epoch);
    let (columns, rows) = (grid.columns(), grid.rows());
    if columns == 0 || rows == 0 {
        return area.present();
    }
    let layout = MatrixLayout::new(
        width as f64,
        height as f64,
        columns,
        rows,
        picture.top_row,
        picture.cell_height,
        picture.ribbon_height,
    );
    if picture.ribbon_height > 0.0 {
        draw_ribbon(area, picture, width as f64)?;
    }
    let unreached = picture.epoch.unreached_rows();
    let x = |column: usize| (column as f64 * layout.cell_width).round() as i32;
    let y = |row: usize| {
        (layout.matrix_top + (row - layout.top_row) as f64 * layout.cell_height).round() as i32
    };
    let visible = layout.top_row..layout.top_row + layout.visible_rows;
    let mut palette = Palette::default();
    for row in visible.clone() {
        for column in 0..columns {
            let colour = match grid.state(column, row, picture.window, &unreached) {
                CellState::Lit => palette.colour(grid.token(column, row), true),
                CellState::Consumed => CONSUMED,
                CellState::Unreached => UNREACHED,
                CellState::Waiting => palette.colour(grid.token(column, row), false),
            };
            area.draw(&Rectangle::new(
                [(x(column), y(row)), (x(column + 1), y(row + 1))],
                colour.filled(),
            ))?;
        }
    }
    // fastai 2: each stream's last row is the next stream's first token.
    let hand_over = rows - 1;
    if picture.scheme == Scheme::FastaiV2 && visible.contains(&hand_over) {
        let top = y(hand_over);
        area.draw(&Rectangle::new(
            [(0, top), (width as i32 - 1, top + 1)],
            HAND_OVER.filled(),
        ))?;
    }
    if let Some(w) = picture.window {
        let clip = |r: usize| r.clamp(visible.start, visible.end);
        for outline in grid.outlines(w, visible.clone()) {
            let (top, bottom) = (clip(outline.rows.start), clip(outline.rows.end));
            if top >= bottom {
                continue;
            }
            // A block is one row: thin lines keep its tokens visible.
            let (colour, width_px) = match (outline.target, picture.epoch.is_blocks()) {
                (true, false) => (TARGET_OUTLINE, 2),
                (false, false) => (WINDOW_OUTLINE, 3),
                (true, true) => (TARGET_OUTLINE, 1),
                (false, true) => (WINDOW_OUTLINE, 1),
            };
            let right = x(outline.columns.end).min(width as i32) - 1;
            area.draw(&Rectangle::new(
                [(x(outline.columns.start), y(top)), (right, y(bottom) - 1)],
                colour.stroke_width(width_px),
            ))?;
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
    let grid = MatrixGrid::new(picture.epoch);
    let Some(corpus) = picture.corpus else {
        return Ok(());
    };
    let layout = MatrixLayout::new(
        width as f64,
        height as f64,
        grid.columns(),
        grid.rows(),
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
        for column in 0..grid.columns() {
            let centre = (
                (column as f64 * layout.cell_width + layout.cell_width / 2.0) as i32,
                (layout.matrix_top
                    + (row - layout.top_row) as f64 * layout.cell_height
                    + layout.cell_height / 2.0) as i32,
            );
            area.draw(&Text::new(
                corpus.display_token(grid.token(column, row)),
                centre,
                &style,
            ))?;
        }
    }
    Ok(())
}

/// The token stream as one band: each stream's (or this batch's blocks')
/// stretch of it shaded, the current window's slices dark, the dropped tokens
/// crossed out. fastai 1's streams wrap round the end, so a stretch may come
/// in two pieces.
fn draw_ribbon<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    picture: &MatrixPicture,
    width: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let epoch = picture.epoch;
    let tokens = picture.tokens.max(1);
    let h = picture.ribbon_height.round() as i32;
    let px = |token: usize| (token as f64 / tokens as f64 * width).round() as i32;
    let band = |from: usize,
                len: usize,
                colour: RGBColor|
     -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let end = from + len;
        for (a, b) in [
            (from, end.min(tokens)),
            (0, end.saturating_sub(tokens).min(from)),
        ] {
            if a < b {
                area.draw(&Rectangle::new(
                    [(px(a), 0), (px(b).max(px(a) + 1), h)],
                    colour.filled(),
                ))?;
            }
        }
        Ok(())
    };
    let dark = RGBColor(40, 60, 90);
    if epoch.is_blocks() {
        band(0, tokens, RGBColor(205, 215, 230))?;
        if let Some(w) = picture.window {
            for j in 0..w.width {
                band(
                    epoch.stream_position(epoch.batch_column(&w, j), 0),
                    epoch.matrix_rows(),
                    dark,
                )?;
            }
        }
    } else {
        let rows = epoch.matrix_rows();
        for stream in 0..epoch.matrix_columns() {
            let shade = if stream % 2 == 0 {
                RGBColor(205, 215, 230)
            } else {
                RGBColor(180, 195, 215)
            };
            band(epoch.stream_position(stream, 0), rows, shade)?;
            if let Some(w) = picture.window {
                band(epoch.stream_position(stream, w.start), w.seq_len, dark)?;
            }
        }
    }
    for dropped in picture.dropped.iter() {
        let (from, to) = (
            px(dropped.start),
            px(dropped.end).max(px(dropped.start) + 1),
        );
        area.draw(&Rectangle::new(
            [(from, 0), (to, h)],
            DROPPED.mix(0.25).filled(),
        ))?;
        area.draw(&PathElement::new(
            vec![(from, 0), (to, h)],
            DROPPED.stroke_width(2),
        ))?;
        area.draw(&PathElement::new(
            vec![(from, h), (to, 0)],
            DROPPED.stroke_width(2),
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
