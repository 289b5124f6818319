//! Generated corpora whose structure is known exactly, so the page can say in
//! advance what a model can and cannot learn from them.
//!
//! # The long-range corpus and truncated BPTT
//!
//! Every line is one record:
//!
//! ```text
//! <7>mo tika ren la sorun velami ... ta</7>
//! ```
//!
//! The opening digit `k` is drawn uniformly from 0–9. Between the tags comes a
//! filler of exactly `L` characters, `L` drawn uniformly from
//! [`long_range_gap_range`] (40–160). The filler is made of a few invented
//! words separated by single spaces, so its *local* structure (spelling, word
//! breaks, where `</` may start) is learnable by any model with a short
//! memory. The closing digit is the only character that depends on something
//! far away: it always repeats the opening digit.
//!
//! To predict the closing digit a character-level LSTM must carry `k` across
//! the filler. In training with truncated back-propagation through time the
//! hidden state *is* carried from one window to the next, but the gradient
//! stops at the window edge. The loss at the closing digit (predicted from the
//! `/`) can only teach the network to store `k` if the opening digit lies in
//! the same window, i.e. `L + 3 < bptt`. So:
//!
//! - with bptt below the minimum gap (40) no record ever has both ends in one
//!   window: the model learns the filler and the tags, but guesses the closing
//!   digit at chance (loss ≈ ln 10 ≈ 2.30 nats on that character);
//! - with bptt well above the maximum gap (160) every record can fit in a
//!   window, and the closing digit becomes predictable (loss → 0 on it);
//! - in between, only the short records teach the memory, and learning is
//!   slower and partial.

use crate::nn::rng::Rng;

/// Shortest and longest filler, in characters (inclusive).
const GAP_MIN: usize = 40;
const GAP_MAX: usize = 160;

/// The filler vocabulary. Invented words, so the corpus quotes nothing, and at
/// least one word of every length 2..=6 so that any remaining room of 2–6
/// characters can be closed with exactly one word (the filler length is then
/// exactly the drawn `L`).
const WORDS: &[&str] = &[
    "la", "mo", "ti", "ren", "pal", "sun", "tika", "rome", "nalu", "sorun", "belan", "misto",
    "velami", "tarosu",
];
const MAX_WORD: usize = 6;

/// The inclusive range of filler lengths (characters between `<k>` and
/// `</k>`). A model trained with bptt below the minimum cannot learn to close a
/// record with the right digit; see the module documentation.
pub fn long_range_gap_range() -> (usize, usize) {
    (GAP_MIN, GAP_MAX)
}

/// A deterministic corpus of `<k>filler</k>` records, one per line, about
/// `bytes` long (it stops after the first record that reaches `bytes`, so it
/// is at most one record longer). The same seed always gives the same text.
pub fn long_range(seed: u64, bytes: usize) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(bytes + GAP_MAX + 16);
    while out.len() < bytes {
        let k = rng.below(10) as u8;
        let digit = char::from(b'0' + k);
        let len = GAP_MIN + rng.below((GAP_MAX - GAP_MIN + 1) as u64) as usize;
        out.push('<');
        out.push(digit);
        out.push('>');
        push_filler(&mut rng, len, &mut out);
        out.push_str("</");
        out.push(digit);
        out.push_str(">\n");
    }
    out
}

/// Appends exactly `len` (≥ MAX_WORD + 1) characters of words and spaces.
fn push_filler(rng: &mut Rng, len: usize, out: &mut String) {
    let mut room = len;
    loop {
        if room <= MAX_WORD {
            // Close with one word of exactly the remaining length, so the gap
            // is exactly the drawn length.
            let fits: Vec<&str> = WORDS.iter().copied().filter(|w| w.len() == room).collect();
            out.push_str(fits[rng.below(fits.len() as u64) as usize]);
            return;
        }
        // A word plus its space must leave room for at least a two-letter word;
        // a leftover of 0 or 1 could not be closed cleanly.
        let word = loop {
            let w = WORDS[rng.below(WORDS.len() as u64) as usize];
            if room - w.len() > 2 {
                break w;
            }
        };
        out.push_str(word);
        out.push(' ');
        room -= word.len() + 1;
    }
}

#[cfg(test)]
mod tests;
