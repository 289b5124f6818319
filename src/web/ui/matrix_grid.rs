//! The grid the corpus matrix draws, whatever the scheme: streams stand as
//! columns with time running down (PyTorch, fastai), Hugging Face blocks lie
//! as rows with time running right, in corpus order, so the blocks of one
//! batch light up scattered over the text. Pure logic, tested natively.

use std::ops::Range;

use crate::data::batcher::{EpochBatches, Window};

/// How a cell is drawn, from the epoch's progress.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CellState {
    /// Inside the current batch's input.
    Lit,
    /// Trained on earlier this epoch.
    Consumed,
    /// No window of this epoch reaches it (fastai v0.7's tail).
    Unreached,
    Waiting,
}

/// Stream schemes: a row's state from the window (rows are time).
pub fn row_state(row: usize, window: Option<Window>, unreached: &Range<usize>) -> CellState {
    match window {
        _ if unreached.contains(&row) => CellState::Unreached,
        Some(w) if (w.start..w.start + w.seq_len).contains(&row) => CellState::Lit,
        Some(w) if row < w.start => CellState::Consumed,
        _ => CellState::Waiting,
    }
}

/// A box to outline, in grid cells: the batch's input or its target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outline {
    pub columns: Range<usize>,
    pub rows: Range<usize>,
    pub target: bool,
}

/// One epoch seen as the drawn grid (x = column across, y = row down).
#[derive(Clone, Copy)]
pub struct MatrixGrid<'a> {
    pub epoch: &'a EpochBatches,
}

impl<'a> MatrixGrid<'a> {
    pub fn new(epoch: &'a EpochBatches) -> Self {
        MatrixGrid { epoch }
    }

    fn blocks(&self) -> bool {
        self.epoch.is_blocks()
    }

    /// Columns across: the streams, or the positions within a block.
    pub fn columns(&self) -> usize {
        if self.blocks() {
            self.epoch.matrix_rows()
        } else {
            self.epoch.matrix_columns()
        }
    }

    /// Rows down: time, or the blocks in corpus order.
    pub fn rows(&self) -> usize {
        if self.blocks() {
            self.epoch.matrix_columns()
        } else {
            self.epoch.matrix_rows()
        }
    }

    /// The epoch's (column, row) drawn at (x, y).
    fn cell(&self, x: usize, y: usize) -> (usize, usize) {
        if self.blocks() {
            (y, x)
        } else {
            (x, y)
        }
    }

    pub fn token(&self, x: usize, y: usize) -> u32 {
        let (c, r) = self.cell(x, y);
        self.epoch.token(c, r)
    }

    /// The drawn cell's index in this epoch's token stream.
    pub fn position(&self, x: usize, y: usize) -> usize {
        let (c, r) = self.cell(x, y);
        self.epoch.stream_position(c, r)
    }

    /// How row `y` is drawn where the whole row shares one state (streams),
    /// or per cell from the block's batch (blocks).
    pub fn state(
        &self,
        x: usize,
        y: usize,
        window: Option<Window>,
        unreached: &Range<usize>,
    ) -> CellState {
        if !self.blocks() {
            return row_state(y, window, unreached);
        }
        match (window, self.epoch.column_batch(y)) {
            (Some(w), Some(b)) if b == w.index && x < w.seq_len => CellState::Lit,
            (Some(w), Some(b)) if b < w.index => CellState::Consumed,
            _ => CellState::Waiting,
        }
    }

    /// What to outline for `window` among drawn rows `visible`.
    pub fn outlines(&self, window: Window, visible: Range<usize>) -> Vec<Outline> {
        let w = window;
        if !self.blocks() {
            let all = 0..self.columns();
            return vec![
                Outline {
                    columns: all.clone(),
                    rows: w.start + 1..w.start + w.seq_len + 1,
                    target: true,
                },
                Outline {
                    columns: all,
                    rows: w.start..w.start + w.seq_len,
                    target: false,
                },
            ];
        }
        visible
            .filter(|&y| self.epoch.column_batch(y) == Some(w.index))
            .flat_map(|y| {
                [
                    Outline {
                        columns: 1..w.seq_len + 1,
                        rows: y..y + 1,
                        target: true,
                    },
                    Outline {
                        columns: 0..w.seq_len,
                        rows: y..y + 1,
                        target: false,
                    },
                ]
            })
            .collect()
    }

    /// The rows to keep in view while `window` is the batch: the window's
    /// rows, or the first of the batch's blocks.
    pub fn focus(&self, window: Window) -> Range<usize> {
        if !self.blocks() {
            return window.start..window.start + window.seq_len;
        }
        let first = (0..window.width)
            .map(|j| self.epoch.batch_column(&window, j))
            .min()
            .unwrap_or(0);
        first..first + 1
    }
}

/// The columns to label when `columns` share `width` pixels: every
/// `step`-th from 0, `step` the smallest power of two that leaves `min_gap`
/// pixels between labels (so 8, 16, 24, … at bs = 64 in a narrow view).
pub fn labelled_columns(columns: usize, width: f64, min_gap: f64) -> Vec<usize> {
    if columns == 0 || width <= 0.0 {
        return Vec::new();
    }
    let pitch = width / columns as f64;
    let mut step = 1;
    while (step as f64) * pitch < min_gap && step < columns {
        step *= 2;
    }
    (0..columns).step_by(step).collect()
}

#[cfg(test)]
mod tests;
