use super::*;
use crate::training::race::history::LossPoint;

fn history(losses: &[f64], vals: &[(usize, f64)]) -> LossHistory {
    let mut h = LossHistory::new("bs=16");
    for (i, &loss) in losses.iter().enumerate() {
        let step = i + 1;
        h.push(LossPoint {
            step,
            tokens_seen: step * 16 * 70,
            epoch: step as f64 / 8.0,
            seconds: step as f64 * 0.25,
            loss,
            val_loss: None,
            noise_scale: None,
        });
    }
    for &(step, v) in vals {
        h.set_val_loss(step, v);
    }
    h
}

fn settings() -> Settings {
    Settings {
        bs: 16,
        bptt: 70,
        hidden: 64,
        layers: 1,
        lr: 0.01,
        ..Settings::default()
    }
}

#[test]
fn speeds_memory_epoch_and_best_validation() {
    let h = history(
        &[4.1, 3.9, 3.6, 3.4, 3.3, 3.2, 3.1, 3.0],
        &[(4, 3.5), (6, 3.25), (8, 3.3)],
    );
    let stats = run_stats(&h, &settings(), 65, None);
    assert_eq!(stats.steps, 8);
    assert_eq!(stats.tokens_per_second, 8.0 * 16.0 * 70.0 / 2.0);
    assert_eq!(stats.ms_per_step, 250.0);
    // 16 × 70 tokens × (64 × 7 × 4 + 32 × 4 + 65 × 4) bytes.
    assert_eq!(stats.activation_bytes, 1_120 * (1_792 + 128 + 260));
    assert_eq!(stats.epoch, 1.0);
    assert_eq!(stats.best_val_loss, Some((6, 3.25)));
    assert_eq!(stats.diverged, None);
}

#[test]
fn an_empty_history_has_zero_speed() {
    let stats = run_stats(&LossHistory::new("bs=4"), &settings(), 65, None);
    assert_eq!(
        (
            stats.steps,
            stats.ms_per_step,
            stats.epoch,
            stats.best_val_loss
        ),
        (0, 0.0, 0.0, None)
    );
}

#[test]
fn a_loss_climbing_past_one_and_a_half_times_chance_is_diverged() {
    // ln 65 = 4.17, so the line is 6.26. Smoothed (w 0.8), a single spike to 9 stays below it …
    let spike = history(&[4.2, 4.0, 9.0, 3.9, 3.8], &[]);
    assert_eq!(detect_divergence(&spike, 65, &settings()), None);
    // … but a climb crosses it: smoothed (debiased) 4.2, 5.2, 6.76 at step 3.
    let climb = history(&[4.2, 6.0, 9.0, 12.0], &[]);
    let diverged = detect_divergence(&climb, 65, &settings()).unwrap();
    assert_eq!(diverged.step, 3);
    assert!(
        diverged.hint.contains("lr 0.01 is too high for bs=16"),
        "{}",
        diverged.hint
    );
    assert!(
        diverged.hint.contains("65 tokens (4.17)"),
        "{}",
        diverged.hint
    );
    assert_eq!(
        run_stats(&climb, &settings(), 65, None).diverged,
        Some(diverged)
    );
}

#[test]
fn the_trainers_refusal_is_the_divergence() {
    let error = TrainError::Diverged {
        step: 12,
        loss: f64::NAN,
    };
    let diverged = Diverged::from_error(&error, &settings()).unwrap();
    assert_eq!(diverged.step, 12);
    assert!(
        diverged.hint.starts_with("the loss became NaN at step 12"),
        "{}",
        diverged.hint
    );
    let stats = run_stats(
        &history(&[4.0], &[]),
        &settings(),
        65,
        Some(diverged.clone()),
    );
    assert_eq!(stats.diverged, Some(diverged));
    assert_eq!(
        Diverged::from_error(
            &TrainError::VocabMismatch {
                model: 1,
                corpus: 2
            },
            &settings()
        ),
        None
    );
}
