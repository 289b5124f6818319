//! The controls: one signal per setting, combined into one `Settings` value.

use leptos::prelude::*;

use super::choice::Choice;
use super::slider::Slider;
use crate::data::batcher::Scheme;
use crate::data::corpus::TokenLevel;
use crate::nn::optimizer::OptimizerKind;
use crate::page::settings::{Settings, BPTT_RANGE, BS_RANGE, HIDDEN_CHOICES, LR_RANGE, OWN_TEXT};

/// Every setting as its own signal, so each control binds to exactly one.
#[derive(Clone, Copy)]
pub struct SettingsSignals {
    pub corpus: RwSignal<String>,
    pub tokens: RwSignal<TokenLevel>,
    pub bs: RwSignal<usize>,
    pub bptt: RwSignal<usize>,
    pub scheme: RwSignal<Scheme>,
    pub seed: RwSignal<u64>,
    pub hidden: RwSignal<usize>,
    pub layers: RwSignal<usize>,
    pub optimizer: RwSignal<OptimizerKind>,
    pub lr: RwSignal<f64>,
}

impl SettingsSignals {
    pub fn new(s: &Settings) -> Self {
        SettingsSignals {
            corpus: RwSignal::new(s.corpus.clone()),
            tokens: RwSignal::new(s.tokens),
            bs: RwSignal::new(s.bs),
            bptt: RwSignal::new(s.bptt),
            scheme: RwSignal::new(s.scheme),
            seed: RwSignal::new(s.seed),
            hidden: RwSignal::new(s.hidden),
            layers: RwSignal::new(s.layers),
            optimizer: RwSignal::new(s.optimizer),
            lr: RwSignal::new(s.lr),
        }
    }

    /// Sets every control to `s` (a link pasted into the tab); controls
    /// whose value is already `s`'s stay quiet.
    pub fn apply(self, s: &Settings) {
        fn set<T: PartialEq + Clone + Send + Sync + 'static>(signal: RwSignal<T>, value: &T) {
            if signal.with_untracked(|v| v != value) {
                signal.set(value.clone());
            }
        }
        set(self.corpus, &s.corpus);
        set(self.tokens, &s.tokens);
        set(self.bs, &s.bs);
        set(self.bptt, &s.bptt);
        set(self.scheme, &s.scheme);
        set(self.seed, &s.seed);
        set(self.hidden, &s.hidden);
        set(self.layers, &s.layers);
        set(self.optimizer, &s.optimizer);
        set(self.lr, &s.lr);
    }

    /// The combined value; views that need several settings read this.
    pub fn settings(self) -> Memo<Settings> {
        Memo::new(move |_| Settings {
            corpus: self.corpus.get(),
            tokens: self.tokens.get(),
            bs: self.bs.get(),
            bptt: self.bptt.get(),
            scheme: self.scheme.get(),
            seed: self.seed.get(),
            hidden: self.hidden.get(),
            layers: self.layers.get(),
            optimizer: self.optimizer.get(),
            lr: self.lr.get(),
        })
    }
}

/// A number typed by the learner; applied only when it parses and is in range.
#[component]
fn NumberField<T>(
    /// Label and aria-label.
    label: &'static str,
    /// `data-testid` of the input.
    testid: &'static str,
    /// Inclusive bounds.
    range: (T, T),
    /// What to type, in a learner's words, shown when the input is refused.
    hint: &'static str,
    /// The bound setting.
    value: RwSignal<T>,
) -> impl IntoView
where
    T: std::fmt::Display + std::str::FromStr + PartialOrd + Copy + Send + Sync + 'static,
{
    let invalid = RwSignal::new(false);
    let on_input = move |ev: leptos::ev::Event| match event_target_value(&ev).trim().parse::<T>() {
        Ok(v) if v >= range.0 && v <= range.1 => {
            invalid.set(false);
            value.set(v);
        }
        _ => invalid.set(true),
    };
    view! {
        <label class="number-field">
            <span class="choice-label">{label}</span>
            <input type="text" inputmode="decimal" data-testid=testid aria-label=label
                aria-invalid=move || invalid.get().to_string()
                prop:value=move || value.get().to_string() on:change=on_input />
            // Always there, so a message moves nothing.
            <span class="field-error" role="status" data-testid=format!("{testid}-error")>{move || if invalid.get() { hint } else { "" }}</span>
        </label>
    }
}

/// All the controls of the page.
#[component]
pub fn SettingsPanel(
    /// The settings the controls write.
    signals: SettingsSignals,
    /// The learner's loaded text, if any (e.g. `notes.txt (1.2 MB)`): offered
    /// as one more corpus.
    own_label: Signal<Option<String>>,
) -> impl IntoView {
    let embedded: Vec<(String, String)> = crate::data::corpora::EMBEDDED
        .iter()
        .map(|c| (c.id.to_string(), c.name.to_string()))
        .collect();
    let corpora = move || {
        let mut options = embedded.clone();
        options.extend(
            own_label
                .get()
                .map(|label| (OWN_TEXT.to_string(), format!("Your text: {label}"))),
        );
        options
    };
    let explanation = move || {
        let id = signals.corpus.get();
        if id == OWN_TEXT {
            return "Your own text: each file is one document; it stays in this tab and is not part of the URL.";
        }
        crate::data::corpora::EMBEDDED
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.explanation)
            .unwrap_or("")
    };
    let schemes = vec![
        (Scheme::Pytorch, "PyTorch: fixed seq_len = bptt".to_string()),
        (
            Scheme::FastaiV07,
            "fastai v0.7: variable seq_len ≈ bptt".to_string(),
        ),
        (
            Scheme::FastaiV1,
            "fastai v1: fixed, streams overlap and wrap".to_string(),
        ),
        (
            Scheme::FastaiV2,
            "fastai v2: fixed, hands over to the next stream".to_string(),
        ),
        (
            Scheme::HfBlocks,
            "Hugging Face: shuffled blocks, no carried state".to_string(),
        ),
    ];
    let tokens = vec![
        (TokenLevel::Char, "characters".to_string()),
        (TokenLevel::Word, "words".to_string()),
    ];
    let hidden = HIDDEN_CHOICES
        .iter()
        .map(|&h| (h, h.to_string()))
        .collect::<Vec<_>>();
    let layers = (1usize..=3).map(|l| (l, l.to_string())).collect::<Vec<_>>();
    let optimizers = vec![
        (OptimizerKind::Adam, "Adam".to_string()),
        (OptimizerKind::Sgd, "SGD".to_string()),
    ];
    view! {
        <section class="controls" aria-label="Settings">
            <div class="main-sliders">
                <Slider label="bs — sequences per batch" name="bs" testid="bs-slider" input_testid="bs-input" min=BS_RANGE.0 max=BS_RANGE.1 value=signals.bs />
                <Slider label="bptt — time steps per batch" name="bptt" testid="bptt-slider" input_testid="bptt-input" min=BPTT_RANGE.0 max=BPTT_RANGE.1 value=signals.bptt />
            </div>
            <div class="more-settings">
                {move || view! { <Choice label="corpus" testid="corpus-select" options=corpora() value=signals.corpus /> }}
                <Choice label="tokens" testid="tokens-select" options=tokens value=signals.tokens />
                <Choice label="scheme" testid="scheme-select" options=schemes value=signals.scheme />
                <NumberField label="seed" testid="seed-input" range=(0u64, u64::MAX) hint="a whole number, 0 or more" value=signals.seed />
                <Choice label="hidden size" testid="hidden-select" options=hidden value=signals.hidden />
                <Choice label="layers" testid="layers-select" options=layers value=signals.layers />
                <Choice label="optimizer" testid="optimizer-select" options=optimizers value=signals.optimizer />
                <NumberField label="learning rate" testid="lr-input" range=LR_RANGE hint="a number above 0: about 0.001–0.01 for Adam, 0.1–20 for SGD" value=signals.lr />
            </div>
            <p class="corpus-explanation">{explanation}</p>
        </section>
    }
}
