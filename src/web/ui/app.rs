//! The root component: owns the settings (round-tripped through the URL hash),
//! the stepping run's reports and the worker, and hands views their signals.

use std::sync::Arc;

use leptos::prelude::*;

use super::batch_text::BatchText;
use super::batching::Batching;
use super::bs_meaning::BsMeaning;
use super::corpus_loader::CorpusLoader;
use super::corpus_matrix::CorpusMatrix;
use super::costs_panel::CostsPanel;
use super::own_corpus::{use_own_corpus, OwnCorpus};
use super::race_choices::RaceChoices;
use super::race_panel::RacePanel;
use super::settings_panel::{SettingsPanel, SettingsSignals};
use super::settled::{use_settled_unless, Debounce, SETTLE_MS};
use super::show_code::ShowCode;
use super::step_controls::{Position, StepControls};
use super::stepping::use_stepping;
use super::sweep_choices::SweepChoices;
use super::tour::Tour;
use super::tour_facts::TourSources;
use super::tour_race::RaceSlot;
use super::unroll_view::UnrollView;
use crate::data::batcher::Window;
use crate::data::corpus::Corpus;
use crate::data::user_text::UserText;
use crate::page::race_link::RaceLink;
use crate::page::settings::{Settings, OWN_TEXT};
use crate::training::race::TextSize;

/// How long settings must rest before the URL follows them.
const HASH_DELAY_MS: u64 = 150;

/// Reads the settings and the race from the page's URL hash, with notices
/// for bad fields.
fn settings_from_location() -> (Settings, RaceLink, Vec<String>) {
    let hash = window().location().hash().unwrap_or_default();
    let (settings, mut notices) = Settings::from_hash(&hash);
    let (race, race_notices) = RaceLink::from_hash(&hash);
    notices.extend(race_notices);
    (settings, race, notices)
}

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let (initial, initial_race, notices) = settings_from_location();
    let signals = SettingsSignals::new(&initial);
    let settings = signals.settings();
    let notices = RwSignal::new(notices);
    // The race's chips: set in the race panel, exported by "Show code", kept in the URL.
    let race_choices = RaceChoices::new(&initial_race);
    provide_context(race_choices);
    // The sweep's fields: set in the sweep panel, exported by "Show code".
    provide_context(SweepChoices::default());

    // Keep the URL reproducing the page: replaceState, so dragging a slider
    // does not flood the history, and only once the drag rests, because
    // browsers throttle (and then ignore) hundreds of URL updates a second.
    let hash = std::rc::Rc::new(std::cell::RefCell::new(String::new()));
    let write_hash = Debounce::new(HASH_DELAY_MS, {
        let hash = hash.clone();
        move || {
            if let Ok(history) = window().history() {
                let _ = history.replace_state_with_url(
                    &wasm_bindgen::JsValue::NULL,
                    "",
                    Some(&hash.borrow()),
                );
            }
        }
    });
    Effect::new(move |_| {
        *hash.borrow_mut() = format!(
            "#{}&{}",
            settings.get().to_hash(),
            race_choices.link().to_hash()
        );
        write_hash.poke();
    });

    // A link pasted into this tab changes only the hash: apply it like a load,
    // with notices for the fields it could not use. (The page's own URL
    // updates use replaceState, which fires no hashchange.)
    let _hash_listener = window_event_listener(leptos::ev::hashchange, move |_| {
        let (pasted, race, bad) = settings_from_location();
        notices.set(bad);
        signals.apply(&pasted);
        race_choices.apply(&race);
    });

    // Only a new corpus or token level re-tokenises; only a new batch config re-batches.
    let corpus_key = Memo::new(move |_| settings.with(|s| (s.corpus.clone(), s.tokens)));
    let own_text = RwSignal::new(None::<Arc<UserText>>);
    let own_active = Signal::derive(move || signals.corpus.with(|c| c == OWN_TEXT));
    let own_corpus = use_own_corpus(own_text, signals.tokens.into(), own_active);
    let corpus = Memo::new(move |_| {
        let (id, tokens) = corpus_key.get();
        if id == OWN_TEXT {
            return match own_corpus.get() {
                OwnCorpus::Ready(level, made) if level == tokens => made.map(CorpusHandle),
                OwnCorpus::Preparing(done) => Err(format!(
                    "preparing your text: {:.0}% tokenised…",
                    done * 100.0
                )),
                _ => Err("preparing your text…".to_string()),
            };
        }
        let docs =
            crate::data::corpora::documents(&id).ok_or_else(|| format!("unknown corpus `{id}`"))?;
        Corpus::from_documents(&docs, tokens)
            .map(|c| CorpusHandle(Arc::new(c)))
            .map_err(|e| e.to_string())
    });
    // Read when a race starts: its budget counts what each worker will hold.
    let race_text = Signal::derive(move || {
        let bytes = if own_active.get() {
            own_text.with(|t| t.as_ref().map_or(0, |t| t.bytes()))
        } else {
            let id = corpus_key.with(|(id, _)| id.clone());
            crate::data::corpora::documents(&id)
                .map_or(0, |docs| docs.iter().map(String::len).sum())
        };
        let corpus = corpus.get();
        TextSize::of(corpus.as_ref().ok().map(|c| c.0.as_ref()), bytes)
    });
    let text_ready = Signal::derive(move || corpus.with(Result::is_ok));
    let on_text = Callback::new(move |text: Arc<UserText>| {
        own_text.set(Some(text));
        signals.corpus.set(OWN_TEXT.to_string());
    });
    let on_notice = Callback::new(move |n: String| notices.update(|all| all.push(n)));
    let own_label = Signal::derive(move || own_text.with(|t| t.as_ref().map(|t| t.label.clone())));
    let batch_config = Memo::new(move |_| settings.with(|s| s.batch_config()));
    // A memo: a bs or bptt drag leaves the scheme as it was, and the unrolled
    // view's words about it must not be rewritten in every frame of the drag.
    let scheme: Signal<_> = Memo::new(move |_| batch_config.with(|c| c.scheme)).into();

    let stepping = use_stepping(settings, own_text);
    let epoch = Memo::new(move |_| stepping.last_report().map(|r| r.epoch).unwrap_or(0));
    let batching = Memo::new(move |_| {
        let corpus = corpus.get()?.0;
        Batching::new(corpus, batch_config.get(), epoch.get())
    });
    // The shown batch: the one just trained, or the first one before any step.
    // Memos, not derived signals: a bs drag that leaves the shown window as
    // it was must not redraw the views that only show the window.
    let window = Memo::new(move |_| match stepping.last_report() {
        Some(r) => Some(Window {
            epoch: r.epoch,
            index: r.index,
            start: r.start,
            seq_len: r.seq_len,
            width: r.bs,
        }),
        None => batching
            .get()
            .ok()
            .and_then(|b| b.epoch.windows.first().copied()),
    });
    // The last cell's loss flowing back shows truncation: it fades, then stops at the edge.
    let cell_grad_norms =
        Memo::new(move |_| stepping.last_report().map(|r| r.last_loss_grad_norms));
    let position = Memo::new(move |_| {
        // The epoch's own count: fastai 0.7's random lengths decide it per epoch.
        let (batches, fastai_len) = batching
            .with(|b| {
                b.as_ref().ok().map(|b| {
                    (
                        b.epoch.windows.len(),
                        b.batcher
                            .fastai_v07_len()
                            .filter(|&n| n != b.epoch.windows.len()),
                    )
                })
            })
            .unwrap_or((0, None));
        let w = window.get();
        Position {
            epoch: w.map(|w| w.epoch + 1).unwrap_or(1),
            batch: w.map(|w| w.index + 1).unwrap_or(0),
            batches,
            fastai_len,
            steps: stepping.steps(),
        }
    });
    let on_jump = Callback::new(move |k: usize| {
        let p = position.get_untracked();
        let before_epoch = stepping.steps_before_epoch(p.epoch.saturating_sub(1));
        stepping.replay_to(before_epoch + k.clamp(1, p.batches.max(1)));
    });
    let (window, position): (Signal<Option<Window>>, Signal<Position>) =
        (window.into(), position.into());
    let loss = Signal::derive(move || stepping.last_report().map(|r| r.loss));
    let running_loss = Signal::derive(move || stepping.running_loss());
    let history = Signal::from(Memo::new(move |_| stepping.seq_len_history()));
    // What the panels that are read, not watched, show: a step moves them at
    // once, a drag of the settings once it rests, so a drag's frames go to
    // the matrix and the numbers beside the sliders.
    let now_shown = Memo::new(move |_| Shown {
        batching: batching.get(),
        window: window.get(),
        bs: signals.bs.get(),
        bptt: signals.bptt.get(),
    });
    let shown = use_settled_unless(now_shown.into(), SETTLE_MS, Shown::same_settings);
    let shown_batching = Memo::new(move |_| shown.with(|s| s.batching.clone()));
    let shown_window: Signal<Option<Window>> = Memo::new(move |_| shown.with(|s| s.window)).into();
    let shown_bs: Signal<usize> = Memo::new(move |_| shown.with(|s| s.bs)).into();
    let shown_bptt: Signal<usize> = Memo::new(move |_| shown.with(|s| s.bptt)).into();
    stepping.install_keyboard();
    let tour = TourSources {
        signals,
        settings,
        batching,
        window,
        history,
        cell_grad_norms: cell_grad_norms.into(),
        stepping,
        race: RaceSlot::provide(),
    };

    view! {
        <main class="app">
            <header>
                <h1>"batchscope"</h1>
                <p class="tagline">"How a corpus becomes mini-batches, and how far back the gradient reaches."</p>
            </header>
            <Tour sources=tour />
            <Show when=move || !notices.get().is_empty()>
                <div class="notice" data-testid="notice" role="status">
                    {move || notices.get().join(" · ")}
                    <button aria-label="Dismiss" on:click=move |_| notices.set(vec![])>"×"</button>
                </div>
            </Show>
            <SettingsPanel signals=signals own_label=own_label />
            <CorpusLoader on_text=on_text on_notice=on_notice />
            <StepControls
                position=position
                playing=stepping.playing
                activity=stepping.activity()
                busy=stepping.busy()
                can_back=stepping.can_back()
                back_left=Signal::from(stepping.back_left)
                on_step=Callback::new(move |_| stepping.step())
                on_back=Callback::new(move |_| stepping.back())
                on_reset=Callback::new(move |_| stepping.reset())
                on_jump=on_jump
            />
            <p class="run-note" data-testid="run-restarted" role="status">{move || stepping.restarted.get().unwrap_or_default()}</p>
            <Show when=move || stepping.error().is_some()>
                <p class="notice" data-testid="run-error" role="alert">{move || stepping.error().unwrap_or_default()}</p>
            </Show>
            <BsMeaning batching=shown_batching bs=shown_bs bptt=shown_bptt />
            <div class="views">
                <CorpusMatrix batching=batching window=window />
                <UnrollView window=shown_window cell_grad_norms=cell_grad_norms history=history bptt=shown_bptt layers=signals.layers scheme=scheme />
            </div>
            <CostsPanel batching=shown_batching window=shown_window hidden=signals.hidden layers=signals.layers loss=loss running_loss=running_loss />
            <BatchText batching=shown_batching window=shown_window />
            <ShowCode settings=settings />
            <RacePanel settings=settings own_text=own_text text=race_text text_ready=text_ready />
        </main>
    }
}

/// A corpus compared by identity, so re-reading the same settings does not
/// count as a new corpus.
#[derive(Clone, Debug)]
struct CorpusHandle(Arc<Corpus>);

impl PartialEq for CorpusHandle {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// The settings and batch the read-not-watched panels show, taken together
/// so that one rest moves them all in the same frame.
#[derive(Clone, PartialEq)]
struct Shown {
    batching: Result<Batching, String>,
    window: Option<Window>,
    bs: usize,
    bptt: usize,
}

impl Shown {
    /// Only the batch moved (a step): nothing to wait for.
    fn same_settings(&self, other: &Shown) -> bool {
        self.batching == other.batching && self.bs == other.bs && self.bptt == other.bptt
    }
}
