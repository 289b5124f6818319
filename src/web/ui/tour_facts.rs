//! The live numbers a caption names, read from the signals the panels read,
//! so a caption and the panel below it always say the same thing.

use leptos::prelude::*;

use super::batching::Batching;
use super::classic_example::classic_examples;
use super::settings_panel::SettingsSignals;
use super::stepping::Stepping;
use super::tour_race::RaceSlot;
use crate::data::batcher::{BatchConfig, Window};
use crate::page::settings::Settings;
use crate::page::tour::bptt_scene::BpttFacts;
use crate::page::tour::bs_scene::{BsFacts, FIRST_BS};
use crate::training::page_model::EMBED;

/// What the tour reads and drives: the page's settings, its batching and
/// shown window, the stepping run, and the race panel's handle.
#[derive(Clone, Copy)]
pub struct TourSources {
    pub signals: SettingsSignals,
    pub settings: Memo<Settings>,
    pub batching: Memo<Result<Batching, String>>,
    pub window: Signal<Option<Window>>,
    /// seq_len of every step so far.
    pub history: Signal<Vec<usize>>,
    /// ‖∂ℓ_last/∂h_t‖ per cell of the last step.
    pub cell_grad_norms: Signal<Option<Vec<f32>>>,
    pub stepping: Stepping,
    pub race: RaceSlot,
}

/// The batch panels' numbers for `b`, with the window the costs panel uses:
/// the shown one while it fits this batching, else the first.
fn bs_facts(b: &Batching, window: Option<Window>) -> BsFacts {
    let w = window
        .filter(|w| w.start + w.seq_len < b.epoch.matrix_rows())
        .unwrap_or(b.epoch.windows[0]);
    let (examples, example_noun) = classic_examples(&b.corpus);
    BsFacts {
        bs: b.batcher.config().bs,
        tokens: b.batcher.tokens(),
        rows: b.batcher.rows(),
        batches: b.epoch.windows.len(),
        seq_len: w.seq_len,
        start: w.start,
        examples,
        example_noun,
    }
}

impl TourSources {
    /// What the bs and costs panels show now; None when the settings cannot be batched.
    pub fn bs_facts(self) -> Option<BsFacts> {
        let window = self.window.get();
        self.batching
            .with(|b| b.as_ref().ok().map(|b| bs_facts(b, window)))
    }

    /// What the panels showed at the scene's first bs, for the comparison
    /// once bs is doubled: the same corpus and batching at bs = 64, first batch.
    pub fn first_bs_facts(self) -> Option<BsFacts> {
        self.batching.with(|b| {
            let b = b.as_ref().ok()?;
            let cfg = BatchConfig {
                bs: FIRST_BS,
                ..b.batcher.config()
            };
            Batching::new(b.corpus.clone(), cfg, 0)
                .ok()
                .map(|first| bs_facts(&first, None))
        })
    }

    /// What the unrolled view shows now.
    pub fn bptt_facts(self) -> BpttFacts {
        let window = self.window.get();
        let grad_range = self.cell_grad_norms.with(|norms| {
            let norms = norms.as_ref()?;
            // The view shades only with norms of the shown window; so does the caption.
            if norms.is_empty() || window.map(|w| w.seq_len) != Some(norms.len()) {
                return None;
            }
            let finite = || norms.iter().copied().filter(|v| v.is_finite());
            let max = finite().fold(0.0f32, f32::max);
            Some((finite().fold(f32::INFINITY, f32::min).min(max), max))
        });
        BpttFacts {
            bptt: self.signals.bptt.get(),
            history: self.history.get(),
            start: window.map_or(0, |w| w.start),
            hidden: self.signals.hidden.get(),
            embed: EMBED,
            layers: self.signals.layers.get(),
            grad_range,
        }
    }
}
