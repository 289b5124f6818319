//! The tour's hold on the race: the race panel offers its race and the
//! signals of its controls, so that question 2 starts a race the way the Race
//! button does (the chips, the lr rule and the x axis showing what it set)
//! and narrates it from the signals the run cards, the chart and the
//! verdict read.

use leptos::prelude::*;

use super::race_state::RaceHandle;
use super::sweep_choices::SweepChoices;
use super::sweep_state::SweepHandle;
use crate::page::settings::Settings;
use crate::page::tour::race_scene::{RaceFacts, RunFacts};
use crate::page::tour::sweep_caption::SweepFacts;
use crate::page::tour::RaceSetup;
use crate::training::race::chart_axes::XAxis;
use crate::training::race::history::{LossHistory, DEFAULT_SMOOTHING};
use crate::training::race::run_slot::RunStatus;
use crate::training::race::verdict::race_verdict;
use crate::training::race::{run_config, LrRule, RaceValue, RaceVariable};

/// The race panel's race and controls.
#[derive(Clone, Copy)]
pub struct RaceControls {
    pub race: RaceHandle,
    pub variable: RwSignal<RaceVariable>,
    pub values: RwSignal<Vec<RaceValue>>,
    pub lr_rule: RwSignal<LrRule>,
    pub x_axis: RwSignal<XAxis>,
    /// The panel's sweep and the fields that set it up.
    pub sweep: SweepHandle,
    pub sweep_choices: SweepChoices,
}

/// Where the race panel leaves its [`RaceControls`] for the tour: provided by
/// the page's root, filled by the panel when it is made.
#[derive(Clone, Copy)]
pub struct RaceSlot(RwSignal<Option<RaceControls>>);

impl RaceSlot {
    /// A new, empty slot, given to the root's children as context.
    pub fn provide() -> RaceSlot {
        let slot = RaceSlot(RwSignal::new(None));
        provide_context(slot);
        slot
    }

    /// The race panel's handle, once the panel is made.
    pub fn handle(self) -> Option<RaceControls> {
        self.0.get()
    }

    /// [`RaceSlot::handle`], without subscribing to it.
    pub fn handle_untracked(self) -> Option<RaceControls> {
        self.0.get_untracked()
    }
}

/// Called by the race panel: puts its handle in the slot, if the page has one.
pub fn offer(handle: RaceControls) {
    if let Some(slot) = use_context::<RaceSlot>() {
        slot.0.set(Some(handle));
    }
}

impl RaceControls {
    /// Makes sure a race of `setup`'s runs over `settings` is going on,
    /// starting it as the Race button does unless that very race already is.
    pub fn ensure(self, setup: RaceSetup, settings: &Settings) {
        let values: Vec<RaceValue> = setup.bs.iter().map(|&bs| RaceValue::Bs(bs)).collect();
        let going =
            self.race.state.with_untracked(|race| {
                race.racing()
                    && race.slots().len() == values.len()
                    && race.slots().iter().zip(&values).all(|(slot, &v)| {
                        slot.run().config == run_config(settings, v, setup.lr_rule)
                    })
            });
        if going {
            return;
        }
        if self.variable.get_untracked() != RaceVariable::BatchSize {
            self.race.stop();
            self.variable.set(RaceVariable::BatchSize);
        }
        self.values.set(values.clone());
        self.lr_rule.set(setup.lr_rule);
        self.race.start(settings.clone(), &values, setup.lr_rule);
    }

    /// What the run cards, the chart and the verdict show now, for the
    /// words of question 2; `page` is the page's settings.
    pub fn facts(self, page: &Settings) -> RaceFacts {
        // The race panel's verdict, computed as the panel computes it.
        let verdict = self.race.state.with(|race| {
            let (variable, lr_rule) = race.plan()?;
            let runs: Vec<(&str, &LossHistory)> = race
                .slots()
                .iter()
                .map(|s| (s.run().config.label.as_str(), s.history()))
                .collect();
            Some(race_verdict(variable, lr_rule, &runs, DEFAULT_SMOOTHING))
        });
        let runs = self.race.state.with(|race| {
            race.slots()
                .iter()
                .filter_map(|slot| {
                    let run = slot.run();
                    let RaceValue::Bs(bs) = run.config.value else {
                        return None;
                    };
                    let stats = run.stats.as_ref();
                    let trouble = matches!(
                        run.status,
                        RunStatus::Diverged(_)
                            | RunStatus::Crashed(_)
                            | RunStatus::Refused(_)
                            | RunStatus::NotStarted(_)
                    )
                    .then(|| run.status_text());
                    Some(RunFacts {
                        bs,
                        lr: run.config.settings.lr,
                        updates: stats.map_or(0, |s| s.steps),
                        tokens_per_second: stats.map_or(0.0, |s| s.tokens_per_second),
                        ms_per_step: stats.map_or(0.0, |s| s.ms_per_step),
                        history: slot.history().clone(),
                        trouble,
                    })
                })
                .collect()
        });
        RaceFacts {
            runs,
            page_bs: page.bs,
            page_lr: page.lr,
            bptt: page.bptt,
            lr_rule: self.lr_rule.get(),
            verdict,
            sweep: self.sweep_facts(page),
        }
    }

    /// What the sweep panel is set up to train and shows (tracked).
    fn sweep_facts(self, page: &Settings) -> SweepFacts {
        let planned = self
            .sweep_choices
            .plan(page.clone(), self.lr_rule.get())
            .ok()
            .map(|plan| {
                let grid = plan.grid_words().to_string();
                (plan.batch_sizes(), grid, plan.max_tokens)
            });
        self.sweep.state.with(|sweep| SweepFacts {
            planned,
            started: sweep.plan().is_some(),
            running: sweep.running(),
            progress: sweep.progress(),
            verdict: sweep.verdict(),
        })
    }
}
