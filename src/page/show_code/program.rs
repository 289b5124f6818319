//! What the exported race and sweep programs share: the opening (what the
//! program is, how to run it, its imports), the constants of the model and
//! the text, and the Python that reads the text and trains a run
//! (`python/corpus.py`, `python/training.py`).
//!
//! The Python parts are whole files rather than `format!` strings: they
//! hold the code's logic, and only the constants at the top of a program
//! change with the settings.

use crate::nn::optimizer::OptimizerKind;
use crate::page::settings::{Settings, OWN_TEXT};
use crate::training::page_model::EMBED;

/// Reading the text, the vocabulary and the held-out 10%.
pub(super) const CORPUS: &str = include_str!("python/corpus.py");
/// The model, one training run, the validation loss, running the runs.
pub(super) const TRAINING: &str = include_str!("python/training.py");

/// `x` as a Python float literal (`0.003`, `1e-6`, `1.0`).
pub(super) fn py_float(x: f64) -> String {
    format!("{x:?}")
}

/// `s` as a Python string literal.
pub(super) fn py_str(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

/// `items` as a Python list.
pub(super) fn py_list<T>(items: &[T], show: impl Fn(&T) -> String) -> String {
    format!(
        "[{}]",
        items.iter().map(show).collect::<Vec<_>>().join(", ")
    )
}

/// What the model and its training share in every run of a program.
pub(super) struct Common<'a> {
    /// The page's settings: the text, the tokens, hidden size and layers.
    pub settings: &'a Settings,
    /// Seeds the initial weights and the random batch draws.
    pub seed: u64,
    pub optimizer: OptimizerKind,
    /// Max total gradient norm; `None` = no clipping.
    pub clip: Option<f64>,
    pub max_tokens: usize,
}

/// Where the page's text is, for the `--corpus` comment.
fn corpus_note(corpus: &str) -> &'static str {
    match corpus {
        "stories" => "the page's 40 stories are src/data/corpora/stories/*.txt in batchscope's repository",
        OWN_TEXT => "the page trained on your own files: give them with --corpus",
        _ => "the page's synthetic texts live only in the page: give a text of your own with --corpus",
    }
}

/// The program's opening: `doc` as its docstring, the page's settings, the
/// imports and the constants of [`Common`].
pub(super) fn opening(doc: &str, common: &Common) -> String {
    let s = common.settings;
    format!(
        r#"#!/usr/bin/env python3
"""{doc}

Runs unchanged on a bigger text (--corpus FILE…) and on a GPU (--device cuda,
the default when one is there). The random draws (initial weights, fastai
v0.7's lengths, shuffles) come from PyTorch and NumPy, so they follow the
page's rules but not its numbers; --init FILE starts every run from given
weights (a state dict as JSON, what `batchscope train --save` writes).
"""
# batchscope settings: {hash}
import argparse, functools, json, math, os, re, sys, time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

{constants}"#,
        hash = s.to_hash(),
        constants = constants(&[
            ("CORPUS = [\"corpus.txt\"]".into(), corpus_note(&s.corpus)),
            (
                format!("LEVEL = {}", py_str(&s.tokens.to_string())),
                "what one token is: \"char\" or \"word\"",
            ),
            (
                format!("SEED = {}", common.seed),
                "initial weights and random batch draws",
            ),
            (
                format!(
                    "EMBED, HIDDEN, LAYERS = {EMBED}, {}, {}",
                    s.hidden, s.layers
                ),
                "the model's sizes",
            ),
            (
                format!("OPTIMIZER = \"{}\"", common.optimizer),
                "\"adam\" or \"sgd\"",
            ),
            (
                format!("CLIP = {}", common.clip.map_or("None".into(), py_float)),
                "max total gradient norm (None: no clipping)",
            ),
            (
                format!("MAX_TOKENS = {}", common.max_tokens),
                "training tokens per run at most",
            ),
            (
                "VALIDATION_FRACTION = 0.1".into(),
                "the last 10% of the text is held out",
            ),
        ]),
    )
}

/// Python assignments, each with its comment, the comments lined up.
pub(super) fn constants(lines: &[(String, &str)]) -> String {
    let width = lines.iter().map(|(code, _)| code.len()).max().unwrap_or(0);
    lines
        .iter()
        .map(|(code, comment)| format!("{code:<width$}  # {comment}\n"))
        .collect()
}

/// The program's end: `main()` when run, nothing when imported.
pub(super) const RUN_MAIN: &str = "\nif __name__ == \"__main__\":\n    main()\n";
