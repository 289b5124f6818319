//! One epoch's batches: the windows, and the token under every cell of the
//! picture.

use super::layout::Layout;
use super::Window;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

/// One epoch's windows and tokens. Input and target are slices of one
/// time-major array, so reading a batch allocates nothing.
///
/// That array is built on the first read of a batch: the page only looks up
/// single cells, which the joined stream answers directly, so dragging bs
/// over a 10 MB corpus never transposes it.
#[derive(Clone, Debug)]
pub struct EpochBatches {
    pub epoch: usize,
    /// The batches this epoch really yields, in order.
    pub windows: Vec<Window>,
    bs: usize,
    layout: Arc<Layout>,
    /// This epoch's joined stream (documents in `document_order`).
    stream: Arc<[u32]>,
    document_order: Vec<usize>,
    /// hf-blocks: the blocks in the order the sampler draws them this epoch.
    block_order: Option<Arc<[u32]>>,
    /// Batch after batch, each `[seq_len + 1, width]` time-major; for the
    /// stream schemes the whole `[matrix_rows, bs]` grid (PyTorch's `batchify`).
    columns: OnceLock<Arc<[u32]>>,
    /// hf-blocks: the batch each block is in this epoch.
    block_batch: OnceLock<Arc<[u32]>>,
}

impl EpochBatches {
    pub(crate) fn new(
        epoch: usize,
        windows: Vec<Window>,
        bs: usize,
        layout: Arc<Layout>,
        stream: Arc<[u32]>,
        document_order: Vec<usize>,
        block_order: Option<Vec<usize>>,
    ) -> Self {
        EpochBatches {
            epoch,
            windows,
            bs,
            layout,
            stream,
            document_order,
            block_order: block_order.map(|o| o.into_iter().map(|b| b as u32).collect()),
            columns: OnceLock::new(),
            block_batch: OnceLock::new(),
        }
    }

    /// Sequences per batch (the last hf-blocks batch may hold fewer).
    pub fn bs(&self) -> usize {
        self.bs
    }

    /// Columns of the picture: the bs streams, or every block (hf-blocks).
    pub fn matrix_columns(&self) -> usize {
        self.layout.columns
    }

    /// Rows of the picture: every row read as input plus the last target.
    pub fn matrix_rows(&self) -> usize {
        self.layout.matrix_rows
    }

    /// Whether the picture's columns are Hugging Face blocks, lit a batch at
    /// a time wherever the sampler finds them, rather than streams.
    pub fn is_blocks(&self) -> bool {
        self.block_order.is_some()
    }

    /// All batches, time-major, batch after batch; for the stream schemes
    /// exactly PyTorch's `batchify` output `[rows, bs]` (over the picture's rows).
    pub fn columns(&self) -> &[u32] {
        self.columns.get_or_init(|| match &self.block_order {
            None => {
                let (bs, rows) = (self.bs, self.layout.matrix_rows);
                let mut columns = vec![0u32; rows * bs];
                for j in 0..bs {
                    for row in 0..rows {
                        columns[row * bs + j] = self.token(j, row);
                    }
                }
                columns.into()
            }
            Some(_) => {
                let rows = self.layout.matrix_rows;
                let mut data = Vec::with_capacity(self.layout.columns * rows);
                for w in &self.windows {
                    for row in 0..rows {
                        data.extend((0..w.width).map(|j| self.token(self.batch_column(w, j), row)));
                    }
                }
                data.into()
            }
        })
    }

    /// Where window `w`'s first input row starts in [`Self::columns`].
    fn offset(&self, w: &Window) -> usize {
        match self.block_order {
            None => w.start * self.bs,
            Some(_) => w.index * self.layout.matrix_rows * self.bs,
        }
    }

    /// The window's input, `[seq_len, width]` time-major.
    pub fn input(&self, w: &Window) -> &[u32] {
        let first = self.offset(w);
        &self.columns()[first..first + w.seq_len * w.width]
    }

    /// The window's target: the input shifted down by one row, `[seq_len, width]`.
    pub fn target(&self, w: &Window) -> &[u32] {
        let first = self.offset(w) + w.width;
        &self.columns()[first..first + w.seq_len * w.width]
    }

    /// The picture's column that holds sequence `j` of batch `w`.
    pub fn batch_column(&self, w: &Window, j: usize) -> usize {
        match &self.block_order {
            None => j,
            Some(order) => order[w.index * self.bs + j] as usize,
        }
    }

    /// hf-blocks: the index of the batch that reads `column` this epoch.
    pub fn column_batch(&self, column: usize) -> Option<usize> {
        let order = self.block_order.as_ref()?;
        let batches = self.block_batch.get_or_init(|| {
            let mut batch = vec![0u32; order.len()];
            for (k, &block) in order.iter().enumerate() {
                batch[block as usize] = (k / self.bs) as u32;
            }
            batch.into()
        });
        batches.get(column).map(|&b| b as usize)
    }

    /// Sequence `j` of batch `w`: its input tokens and its target tokens.
    pub fn sequence(&self, w: &Window, j: usize) -> (Vec<u32>, Vec<u32>) {
        let column = self.batch_column(w, j);
        let read = |rows: Range<usize>| rows.map(|row| self.token(column, row)).collect();
        (
            read(w.start..w.start + w.seq_len),
            read(w.start + 1..w.start + w.seq_len + 1),
        )
    }

    /// The token in the picture's cell (`column`, `row`).
    pub fn token(&self, column: usize, row: usize) -> u32 {
        self.stream[self.stream_position(column, row)]
    }

    /// Rows `rows` of one column (clipped to the picture).
    pub fn stream_rows(&self, column: usize, rows: Range<usize>) -> Vec<u32> {
        let end = rows.end.min(self.layout.matrix_rows);
        (rows.start.min(end)..end)
            .map(|row| self.token(column, row))
            .collect()
    }

    /// Index of the cell (`column`, `row`) in this epoch's joined token stream.
    pub fn stream_position(&self, column: usize, row: usize) -> usize {
        self.layout.position(column, row)
    }

    /// The document order joined this epoch (shuffled by fastai 1 and 2);
    /// `Corpus::stream(order)` rebuilds this epoch's token stream.
    pub fn document_order(&self) -> &[usize] {
        &self.document_order
    }

    /// Rows that no window touches this epoch, neither as input nor as target:
    /// fastai-v0.7's never-reached tail; empty for every other scheme.
    pub fn unreached_rows(&self) -> Range<usize> {
        let rows = self.layout.matrix_rows;
        if self.is_blocks() {
            return rows..rows;
        }
        let reached = self.windows.last().map_or(0, |w| w.start + w.seq_len + 1);
        reached.min(rows)..rows
    }
}
