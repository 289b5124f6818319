//! The three questions at the top of the page, as buttons in the learner's
//! words, and the scene each one plays: a press sets the page up through the
//! controls' own signals (so the URL shows the settings) and walks through
//! captions below the live panels ([`crate::page::tour`] has the scenes).
//!
//! The learner can take over at any caption: using any control of the page
//! ends the tour and leaves everything as it is, so the tour never fights
//! them. Escape (or Leave) ends it too; `#tour=q3` in a link opens a scene.

use leptos::ev;
use leptos::portal::Portal;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::tour_caption::TourCaption;
use super::tour_dock::{
    focus_quietly, highlight_css, make_dock, place_after, remove, reveal, scroll_to,
};
use super::tour_facts::TourSources;
use crate::page::tour::{bptt_scene, bs_scene, question_in_hash, race_scene, Caption, Question};

const LEFT: &str = "You left the tour; the settings stay where it put them (the URL says so).";
const DONE: &str = "End of the scene. The settings stay where it put them (the URL says so): try the controls, or another question.";
const TOOK_OVER: &str = "You took over, so the tour stopped; the page stays as you set it.";

/// The words of caption `index` of `question`, from the live numbers.
fn words(question: Question, index: usize, sources: TourSources) -> String {
    match question {
        Question::BsMeaning => match sources.bs_facts() {
            Some(now) => {
                let first = (index >= 2).then(|| sources.first_bs_facts()).flatten();
                bs_scene::caption(index, &now, first.as_ref())
            }
            None => sources
                .batching
                .with(|b| b.as_ref().err().cloned())
                .unwrap_or_default(),
        },
        Question::Convergence => match sources.race.handle() {
            Some(race) => race_scene::caption(index, &race.facts(&sources.settings.get())),
            None => String::new(),
        },
        Question::Bptt => match sources.stepping.error() {
            Some(reason) => format!("The run cannot train: {reason}"),
            None => {
                let wanted = question.captions()[index].setup.steps.unwrap_or(0);
                bptt_scene::caption(index, &sources.bptt_facts(), wanted)
            }
        },
    }
}

/// Puts the page in the state `caption` needs, through the controls' signals.
fn set_up(sources: TourSources, caption: &Caption) {
    let setup = caption.setup;
    let settings = setup.applied_to(&sources.settings.get_untracked());
    sources.signals.apply(&settings);
    if let Some(race) = sources.race.handle_untracked() {
        if let Some(runs) = setup.race {
            race.ensure(runs, &settings);
        }
        if let Some(axis) = setup.x_axis.filter(|&a| race.x_axis.get_untracked() != a) {
            race.x_axis.set(axis);
        }
    }
}

/// Whether `event` came from a control of the page outside the tour and
/// outside the parts in `invited` (which the caption asks the learner to use).
fn is_a_control(event: &web_sys::Event, invited: &[&str]) -> bool {
    let Some(el) = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return false;
    };
    let inside = |selector: &str| el.closest(selector).ok().flatten().is_some();
    !inside("[data-tour]")
        && !invited.iter().any(|part| inside(part))
        && inside("button, input, select, textarea, a[href]")
}

/// The question buttons, the caption box (in its dock) and the light on the
/// panel a caption talks about.
#[component]
pub fn Tour(
    /// The signals the panels read and the controls write.
    sources: TourSources,
) -> impl IntoView {
    let at = RwSignal::new(None::<(Question, usize)>);
    let note = RwSignal::new(String::new());
    let announced = RwSignal::new(String::new());
    let dock = StoredValue::new_local(make_dock());
    let text = Memo::new(move |_| {
        at.get()
            .map(|(q, i)| words(q, i, sources))
            .unwrap_or_default()
    });

    let leave = move |message: &'static str, focus_question: bool| {
        let Some((question, _)) = at.get_untracked() else {
            return;
        };
        at.set(None);
        note.set(message.to_string());
        dock.with_value(|d| d.iter().for_each(remove));
        if focus_question {
            if let Some(button) = document().get_element_by_id(&format!("tour-{}", question.id())) {
                if let Ok(button) = button.dyn_into::<web_sys::HtmlElement>() {
                    focus_quietly(&button);
                }
            }
        }
    };
    let go = move |question: Question, index: usize, opening: bool| {
        let caption = question.captions()[index];
        at.set(Some((question, index)));
        set_up(sources, &caption);
        // After the views have followed the new settings.
        request_animation_frame(move || {
            dock.with_value(|d| {
                let Some(d) = d else { return };
                if place_after(d, caption.panel) {
                    scroll_to(d, &caption);
                }
            });
            if opening {
                if let Some(el) = document().get_element_by_id("tour-question") {
                    if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                        focus_quietly(&el);
                    }
                }
            }
        });
    };
    let start = move |question: Question| {
        note.set(String::new());
        go(question, 0, true);
    };
    let on_back = Callback::new(move |_| {
        if let Some((q, i)) = at.get_untracked().filter(|&(_, i)| i > 0) {
            go(q, i - 1, false);
        }
    });
    let on_next = Callback::new(move |_| match at.get_untracked() {
        Some((q, i)) if i + 1 < q.captions().len() => go(q, i + 1, false),
        Some(_) => leave(DONE, true),
        None => {}
    });
    let on_leave = Callback::new(move |_| leave(LEFT, true));

    // The run must have taken the steps a caption names. Steps are asked for
    // only while nothing is pending: a settings change first restarts the run.
    let busy = sources.stepping.busy();
    Effect::new(move |_| {
        let Some((q, i)) = at.get() else { return };
        let Some(wanted) = q.captions()[i].setup.steps else {
            return;
        };
        if busy.get() || sources.stepping.error().is_some() {
            return;
        }
        match sources.stepping.steps() {
            taken if taken == wanted => {}
            taken if taken + 1 == wanted => sources.stepping.step(),
            _ => sources.stepping.replay_to(wanted),
        }
    });

    // Say each caption once when it opens and once when its numbers arrive
    // (a waiting caption ends in "…"), then show it whole.
    Effect::new(move |shown: Option<Option<(Question, usize)>>| {
        let now = at.get();
        let words = text.get();
        let waited = announced.with_untracked(|a| a.ends_with('…'));
        if now != shown.flatten() {
            announced.set(words);
        } else if waited && !words.ends_with('…') {
            announced.set(words);
            request_animation_frame(move || dock.with_value(|d| d.iter().for_each(reveal)));
        }
        now
    });

    let keys = window_event_listener(ev::keydown, move |e| {
        if at.get_untracked().is_none() {
            return;
        }
        if e.key() == "Escape" {
            e.prevent_default();
            return leave(LEFT, true);
        }
        // The page's step keys, pressed outside a control, are the learner's.
        let plain = !(e.ctrl_key() || e.meta_key() || e.alt_key());
        let in_control = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| {
                matches!(
                    el.tag_name().as_str(),
                    "INPUT" | "SELECT" | "TEXTAREA" | "BUTTON"
                )
            });
        if plain
            && !in_control
            && matches!(
                e.key().as_str(),
                "ArrowRight" | "ArrowLeft" | " " | "r" | "R"
            )
        {
            leave(TOOK_OVER, false);
        }
    });
    let take_over = move |e: &web_sys::Event| {
        let Some((question, index)) = at.get_untracked() else {
            return;
        };
        if is_a_control(e, question.invited(index)) {
            leave(TOOK_OVER, false);
        }
    };
    let clicks = window_event_listener(ev::click, move |e| take_over(&e));
    let inputs = window_event_listener(ev::input, move |e| take_over(&e));
    let changes = window_event_listener(ev::change, move |e| take_over(&e));
    // A link pasted into the tab: `#tour=` opens its scene (the root has
    // applied the link's settings first); any other link is the learner's.
    let links = window_event_listener(ev::hashchange, move |_| {
        match question_in_hash(&window().location().hash().unwrap_or_default()) {
            Some(question) => start(question),
            None => leave(TOOK_OVER, false),
        }
    });
    on_cleanup(move || {
        for handle in [keys, clicks, inputs, changes, links] {
            handle.remove();
        }
    });
    if let Some(question) = question_in_hash(&window().location().hash().unwrap_or_default()) {
        // Once every panel is on the page.
        request_animation_frame(move || start(question));
    }

    view! {
        <section class="tour-questions" data-tour="" aria-labelledby="tour-heading">
            <h2 id="tour-heading">"Start with a question"</h2>
            <div class="tour-buttons">
                {Question::ALL.into_iter().map(|q| view! {
                    <button id=format!("tour-{}", q.id()) data-testid=format!("tour-{}", q.id())
                        aria-current=move || (at.get().map(|(a, _)| a) == Some(q)).then_some("true")
                        on:click=move |_| start(q)>
                        <span class="tour-words">{q.words()}</span>
                        <span class="tour-hint">{format!("{} · {} captions", q.scene_words(), q.captions().len())}</span>
                    </button>
                }).collect_view()}
            </div>
            <p class="tour-note" role="status" data-testid="tour-note">{move || note.get()}</p>
        </section>
        <style>{move || highlight_css(at.get().map(|(q, i)| &q.captions()[i]))}</style>
        {dock.get_value().map(|d| view! {
            <Portal mount=d>
                <TourCaption at=at text=text announced=announced on_back=on_back on_next=on_next on_leave=on_leave />
            </Portal>
        })}
    }
}
