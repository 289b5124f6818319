use super::bptt_scene::{self, BpttFacts};
use super::bs_scene::{self, BsFacts, DOUBLED_BS, FIRST_BS};
use super::race_scene::{self, RaceFacts, RunFacts};
use super::sweep_caption::SweepFacts;
use super::*;
use crate::data::batcher::{BatchConfig, LmBatcher};
use crate::data::corpus::{Corpus, TokenLevel};
use crate::page::costs::group_digits;
use crate::training::race::history::{LossHistory, LossPoint};

#[test]
fn a_link_names_its_scene_and_the_settings_ignore_it() {
    assert_eq!(question_in_hash("#tour=q3"), Some(Question::Bptt));
    assert_eq!(question_in_hash("#bs=8&tour=q1"), Some(Question::BsMeaning));
    assert_eq!(
        question_in_hash("tour=q2&bptt=35"),
        Some(Question::Convergence)
    );
    assert_eq!(question_in_hash("#tour=q%33"), Some(Question::Bptt));
    assert_eq!(question_in_hash("#tour=q9"), None);
    assert_eq!(question_in_hash("#bs=8"), None);
    let (settings, notices) = Settings::from_hash("#bs=8&tour=q3");
    assert_eq!(settings.bs, 8);
    assert!(notices.is_empty(), "{notices:?}");
    for q in Question::ALL {
        assert_eq!(Question::from_id(q.id()), Some(q));
    }
}

#[test]
fn every_caption_sets_up_what_its_words_depend_on() {
    // Back and Next land on the same page: the settings a scene's words
    // read are set by each of its captions, not only by the first.
    for c in Question::BsMeaning.captions() {
        assert!(c.setup.bs.is_some() && c.setup.scheme.is_some(), "{c:?}");
    }
    for c in Question::Bptt.captions() {
        assert!(c.setup.steps.is_some() && c.setup.bptt == Some(70), "{c:?}");
        assert_eq!(c.setup.scheme, Some(Scheme::FastaiV07));
    }
    assert!(Question::Convergence.captions()[0].setup.race.is_some());
    for q in Question::ALL {
        assert!(q.captions().len() >= 3 && q.captions().len() <= 6);
        assert!(q
            .captions()
            .iter()
            .all(|c| !c.panel.is_empty() && !c.spots.is_empty()));
    }
}

#[test]
fn a_setup_changes_only_its_own_settings() {
    let page = Settings {
        bs: 17,
        seed: 9,
        ..Settings::default()
    };
    let set = bs_scene::CAPTIONS[2].setup.applied_to(&page);
    assert_eq!(
        (set.bs, set.bptt, set.scheme),
        (DOUBLED_BS, 70, Scheme::Pytorch)
    );
    assert_eq!((set.seed, set.hidden, set.lr), (9, page.hidden, page.lr));
    assert_eq!(Setup::NONE.applied_to(&page), page);
}

#[test]
fn learning_rates_read_as_the_lr_box_writes_them() {
    assert_eq!(format_lr(0.003), "0.003");
    assert_eq!(format_lr(0.003 * (8.0f64 / 64.0).sqrt()), "0.00106");
    assert_eq!(format_lr(0.1), "0.1");
    assert_eq!(format_lr(2.0), "2");
    assert_eq!(format_lr(1e-6), "1e-6");
    assert_eq!(progress(1, 5), "caption 2 of 5");
}

/// The facts the batch panels show for `bs` on the stories, PyTorch windows.
fn stories_at(bs: usize) -> BsFacts {
    let docs = crate::data::corpora::documents("stories").unwrap();
    let corpus = Corpus::from_documents(&docs, TokenLevel::Char).unwrap();
    let cfg = BatchConfig {
        bs,
        bptt: 70,
        scheme: Scheme::Pytorch,
        seed: 1,
    };
    let batcher = LmBatcher::new(&corpus, cfg).unwrap();
    let epoch = batcher.epoch(0);
    BsFacts {
        bs,
        tokens: batcher.tokens(),
        rows: batcher.rows(),
        batches: epoch.windows.len(),
        seq_len: epoch.windows[0].seq_len,
        start: epoch.windows[0].start,
        examples: 708,
        example_noun: "line",
    }
}

#[test]
fn doubling_bs_names_each_number_before_and_after() {
    let (first, now) = (stories_at(FIRST_BS), stories_at(DOUBLED_BS));
    // The claims of the caption hold on the real corpus.
    assert_eq!(now.rows, first.rows / 2);
    assert!(now.batches * 2 >= first.batches - 1 && now.batches * 2 <= first.batches + 1);
    assert_eq!(now.tokens_per_batch(), 2 * first.tokens_per_batch());
    let text = bs_scene::caption(2, &now, Some(&first));
    for part in [
        format!("({FIRST_BS} → {DOUBLED_BS})"),
        format!(
            "({} → {})",
            group_digits(first.rows),
            group_digits(now.rows)
        ),
        format!("({} → {})", first.batches, now.batches),
        format!(
            "({} → {} tokens)",
            group_digits(first.tokens_per_batch()),
            group_digits(now.tokens_per_batch())
        ),
    ] {
        assert!(text.contains(&part), "{part} missing from: {text}");
    }
    let opening = bs_scene::caption(0, &first, None);
    assert!(
        opening.contains(&format!(
            "{} tokens into 64 columns of {} rows",
            group_digits(first.tokens),
            group_digits(first.rows)
        )),
        "{opening}"
    );
    let classic = bs_scene::caption(3, &now, Some(&first));
    assert!(classic.contains("⌈708/128⌉ = 6 batches"), "{classic}");
    let both = bs_scene::caption(4, &now, Some(&first));
    assert!(
        both.starts_with("Both readings, reconciled: bs = 128"),
        "{both}"
    );
}

fn history(bs: usize, losses: &[f64], tokens_per_step: usize) -> LossHistory {
    let mut h = LossHistory::new(format!("bs={bs}"));
    for (i, &loss) in losses.iter().enumerate() {
        h.push(LossPoint {
            step: i + 1,
            tokens_seen: (i + 1) * tokens_per_step,
            epoch: 0.0,
            seconds: (i + 1) as f64 * 0.1,
            loss,
            val_loss: None,
            noise_scale: None,
        });
    }
    h
}

fn run(bs: usize, losses: &[f64]) -> RunFacts {
    RunFacts {
        bs,
        lr: 0.003,
        updates: losses.len(),
        tokens_per_second: 1000.0 * bs as f64,
        ms_per_step: 10.0,
        history: history(bs, losses, bs * 35),
        trouble: None,
    }
}

fn race(runs: Vec<RunFacts>) -> RaceFacts {
    RaceFacts {
        runs,
        page_bs: 64,
        page_lr: 0.003,
        bptt: 35,
        lr_rule: LrRule::Same,
        verdict: None,
        sweep: SweepFacts::default(),
    }
}

#[test]
fn the_race_is_compared_where_both_curves_have_been() {
    // bs = 8 falls slowly per update but makes eight updates for each of bs = 64's.
    let small = run(8, &[4.0; 16]);
    let large = run(64, &[3.0, 3.0]);
    let both = [small.clone(), large.clone()];
    let per_update = race_scene::standing(&both, XAxis::Updates).unwrap();
    assert_eq!((per_update.x, per_update.leader()), (2.0, Some(64)));
    assert_eq!(
        race_scene::long_words(Some(per_update.clone())),
        "At 2 updates the smoothed curves read 4.000 (bs = 8) and 3.000 (bs = 64): bs = 64 is ahead."
    );
    assert_eq!(
        race_scene::short_words(Some(per_update)),
        "bs = 64 is ahead (3.000 against 4.000 at 2 updates)"
    );
    let per_token = race_scene::standing(&both, XAxis::Tokens).unwrap();
    assert_eq!(per_token.x, 4480.0, "as far as both have read");
    // Within 1% is level: the smoothed curves wobble by that much.
    let level = [run(8, &[3.0; 16]), run(64, &[3.02, 3.02])];
    let standing = race_scene::standing(&level, XAxis::Updates).unwrap();
    assert_eq!(standing.leader(), None);
    assert!(race_scene::short_words(Some(standing)).starts_with("they are level (3.000 and 3.020"));
    let no_points = run(64, &[]);
    assert_eq!(
        race_scene::standing(&[small.clone(), no_points.clone()], XAxis::Updates),
        None
    );
    let waiting = race_scene::caption(0, &race(vec![run(8, &[]), no_points]));
    assert!(
        waiting.contains("starting") && waiting.contains("bs = 8 (lr 0.003)"),
        "{waiting}"
    );
    assert!(
        waiting.ends_with('…'),
        "a waiting caption ends in …: {waiting}"
    );
    let first = race_scene::caption(0, &race(vec![small.clone(), large.clone()]));
    assert!(
        first.contains(
            "bs = 8 has made 16 updates and bs = 64 has made 2 updates (all at lr 0.003)"
        ),
        "{first}"
    );
    assert!(first.contains("64 × 35 = 2,240 tokens"), "{first}");
    let seconds = race_scene::caption(2, &race(vec![small.clone(), large.clone()]));
    assert!(
        seconds.contains("bs = 64 trains 64,000 tokens/s (10.0 ms per update)"),
        "{seconds}"
    );
    let mut fair = race(vec![small, large]);
    fair.lr_rule = LrRule::SqrtBs;
    fair.runs[0].lr = LrRule::SqrtBs.lr_for(8, 0.003, 64);
    fair.verdict = Some("doubling bs up to ≈ 24 halves the updates".into());
    let text = race_scene::caption(3, &fair);
    assert!(
        text.contains("bs = 8 trains at lr 0.00106 and bs = 64 trains at lr 0.003"),
        "{text}"
    );
    let quoted = race_scene::caption(4, &fair);
    assert!(
        quoted.contains("verdict: “doubling bs up to ≈ 24 halves the updates”"),
        "{quoted}"
    );
    fair.verdict = None;
    let own = race_scene::caption(4, &fair);
    assert!(
        own.contains("per update, bs = 64 is ahead (3.000 against 4.000 at 2 updates)"),
        "{own}"
    );
}

#[test]
fn the_last_caption_of_question_2_plans_follows_and_quotes_the_sweep() {
    let mut race = race(Vec::new());
    race.sweep.planned = Some((vec![1, 2, 4], "×2, ×8, ×32".into(), 50_000));
    let plan = race_scene::caption(5, &race);
    for part in [
        "bs = 1, 2 and 4, each at a few lrs (×2, ×8, ×32 the lr rule's value)",
        "or it has read 50,000 tokens",
        "Press Sweep",
        "critical batch size B_crit",
    ] {
        assert!(plan.contains(part), "{part:?} in {plan}");
    }
    race.sweep.planned = None;
    assert!(race_scene::caption(5, &race).contains("once its fields are right"));
    race.sweep.started = true;
    race.sweep.running = true;
    race.sweep.progress = "run 3 of 6: bs=2, lr=0.006 (40 updates)".into();
    let running = race_scene::caption(5, &race);
    assert!(
        running.starts_with("The sweep is running — run 3 of 6: bs=2, lr=0.006 (40 updates)."),
        "{running}"
    );
    race.sweep.running = false;
    race.sweep.verdict = "doubling bs up to ≈ 20 halves the updates".into();
    let done = race_scene::caption(5, &race);
    assert!(
        done.contains("in its verdict: “doubling bs up to ≈ 20 halves the updates”"),
        "{done}"
    );
    assert_eq!(race_scene::CAPTIONS.len(), 6);
    // Pressing Sweep is what the caption asks for, not a takeover.
    assert_eq!(
        Question::Convergence.invited(5),
        &["[data-testid=sweep-panel]"]
    );
    for q in Question::ALL {
        for i in (0..q.captions().len()).filter(|&i| (q, i) != (Question::Convergence, 5)) {
            assert!(q.invited(i).is_empty(), "{q:?} {i}");
        }
    }
}

fn bptt_facts(history: Vec<usize>) -> BpttFacts {
    BpttFacts {
        bptt: 70,
        start: history.iter().rev().skip(1).sum(),
        history,
        hidden: 64,
        embed: 32,
        layers: 1,
        grad_range: Some((1.5e-5, 3.25e-2)),
    }
}

#[test]
fn the_bptt_scene_names_each_steps_count_once_it_is_taken() {
    let waiting = bptt_scene::caption(1, &bptt_facts(vec![74]), 2);
    assert!(waiting.starts_with("Training step 2"), "{waiting}");
    let first = bptt_scene::caption(0, &bptt_facts(vec![74]), 1);
    assert!(
        first.contains("bptt = 70, yet this batch unrolled 74 cells"),
        "{first}"
    );
    assert!(first.contains("N(35, 5)"), "{first}");
    let third = bptt_facts(vec![74, 66, 71]);
    assert!(
        bptt_scene::caption(1, &bptt_facts(vec![74, 66]), 2).contains("seq_len so far: 74, 66.")
    );
    let shared = bptt_scene::caption(2, &third, 3);
    assert!(
        shared.contains("weight_ih (256 × 32) and weight_hh (256 × 64)"),
        "{shared}"
    );
    let carried = bptt_scene::caption(3, &third, 3);
    assert!(
        carried.contains("rows 140–210") && carried.contains("at row 139"),
        "{carried}"
    );
    let edge = bptt_scene::caption(4, &third, 3);
    assert!(
        edge.contains("from 3.25e-2 down to 1.50e-5") && edge.contains("row 140"),
        "{edge}"
    );
}
