//! The tour: the page opens on the three questions a learner asks (the
//! README's and the forum thread's), each answered by a short scene. A scene
//! is a list of captions; each caption sets the page up (settings, steps, a
//! race), sits below the live panel it talks about, lights the parts it
//! names, and says numbers read from what those panels show at that moment.
//!
//! This module is the scenes as data and their words, without a browser:
//! `crate::web::ui::tour` plays them on the page.

pub mod bptt_scene;
pub mod bs_scene;
pub mod race_scene;
pub mod sweep_caption;

use crate::data::batcher::Scheme;
use crate::page::hash_fields::hash_fields;
use crate::page::settings::Settings;
use crate::training::race::chart_axes::XAxis;
use crate::training::race::LrRule;

/// The three questions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Question {
    /// "Does bs = 64 mean 64 batches, or 64 examples per batch?"
    BsMeaning,
    /// "How does batch size affect convergence?"
    Convergence,
    /// "Is bptt the number of unrolled LSTM cells, and why does it vary?"
    Bptt,
}

impl Question {
    pub const ALL: [Question; 3] = [Question::BsMeaning, Question::Convergence, Question::Bptt];

    /// Its name in the URL (`#tour=q3`) and in `data-testid`s (`tour-q3`).
    pub fn id(self) -> &'static str {
        match self {
            Question::BsMeaning => "q1",
            Question::Convergence => "q2",
            Question::Bptt => "q3",
        }
    }

    pub fn from_id(id: &str) -> Option<Question> {
        Question::ALL.into_iter().find(|q| q.id() == id)
    }

    /// The question in the learner's words (the forum thread's).
    pub fn words(self) -> &'static str {
        match self {
            Question::BsMeaning => "Does bs = 64 mean 64 batches, or 64 examples in each batch?",
            Question::Convergence => "How does the batch size affect how the network converges?",
            Question::Bptt => {
                "Is bptt the number of unrolled LSTM cells, and why does it vary from batch to batch?"
            }
        }
    }

    /// What pressing it does to the page, in a few words.
    pub fn scene_words(self) -> &'static str {
        match self {
            Question::BsMeaning => "bs = 64, then 128, on the batch panels",
            Question::Convergence => "a race of bs = 8 against bs = 64, then the sweep",
            Question::Bptt => "fastai v0.7 at bptt = 70: three real steps",
        }
    }

    /// The parts of the page whose controls caption `index` asks the
    /// learner to use: using them continues the scene, where any other
    /// control hands the page back.
    pub fn invited(self, index: usize) -> &'static [&'static str] {
        match self {
            Question::Convergence if index == race_scene::SWEEP => &race_scene::SWEEP_INVITES,
            _ => &[],
        }
    }

    /// The scene's captions, in order.
    pub fn captions(self) -> &'static [Caption] {
        match self {
            Question::BsMeaning => &bs_scene::CAPTIONS,
            Question::Convergence => &race_scene::CAPTIONS,
            Question::Bptt => &bptt_scene::CAPTIONS,
        }
    }
}

/// One caption of a scene: where it sits and what it sets up. Its words are
/// the scene's `caption` function of the live numbers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Caption {
    /// `data-testid` of the panel the caption sits below.
    pub panel: &'static str,
    /// CSS selectors of the parts of the page it names, lit while it shows.
    pub spots: &'static [&'static str],
    /// What the page must show for the caption to be true.
    pub setup: Setup,
}

/// The state a caption needs. Each field is absolute ("bs is 128", "three
/// steps were taken"), so entering a caption from Next or from Back gives
/// the same page.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Setup {
    pub bs: Option<usize>,
    pub bptt: Option<usize>,
    pub scheme: Option<Scheme>,
    /// The stepping run has taken exactly this many steps.
    pub steps: Option<usize>,
    /// A race of these runs is going on (started if it is not).
    pub race: Option<RaceSetup>,
    /// The race chart's x axis.
    pub x_axis: Option<XAxis>,
}

impl Setup {
    /// Nothing to set up.
    pub const NONE: Setup = Setup {
        bs: None,
        bptt: None,
        scheme: None,
        steps: None,
        race: None,
        x_axis: None,
    };

    /// `settings` with this caption's settings put in.
    pub fn applied_to(&self, settings: &Settings) -> Settings {
        let mut s = settings.clone();
        s.bs = self.bs.unwrap_or(s.bs);
        s.bptt = self.bptt.unwrap_or(s.bptt);
        s.scheme = self.scheme.unwrap_or(s.scheme);
        s
    }
}

/// A race over bs: the runs and how the lr follows bs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RaceSetup {
    pub bs: &'static [usize],
    pub lr_rule: LrRule,
}

/// The `tour=` field of a URL hash (`#tour=q3`, `#bs=8&tour=q1`), if it
/// names a question.
pub fn question_in_hash(hash: &str) -> Option<Question> {
    hash_fields(hash)
        .into_iter()
        .find(|(key, _)| key == "tour")
        .and_then(|(_, value)| Question::from_id(&value))
}

/// "caption 2 of 5".
pub fn progress(index: usize, total: usize) -> String {
    format!("caption {} of {total}", index + 1)
}

/// A number as the page's inputs show it: `0.003`, `0.00106`, `1e-6`.
pub fn format_lr(lr: f64) -> String {
    if (1e-4..1e4).contains(&lr) {
        let text = format!("{lr:.6}");
        let text = text.trim_end_matches('0').trim_end_matches('.');
        // Three significant digits are enough to follow a rule's arithmetic.
        let digits: String = text.chars().filter(|c| c.is_ascii_digit()).collect();
        let leading = digits.trim_start_matches('0').len();
        if leading > 3 {
            let magnitude = lr.log10().floor() as i32;
            let decimals = (2 - magnitude).max(0) as usize;
            return format!("{lr:.decimals$}");
        }
        text.to_string()
    } else {
        format!("{lr:e}")
    }
}

#[cfg(test)]
mod tests;
