use super::*;

fn point(step: usize, loss: f64, val_loss: Option<f64>) -> LossPoint {
    LossPoint {
        step,
        tokens_seen: step * 280,
        epoch: step as f64 / 4.0,
        seconds: step as f64 * 0.5,
        loss,
        val_loss,
        noise_scale: None,
    }
}

#[test]
fn the_debiased_ema_by_hand() {
    // w = 0.5: last = 1, 2.5, 2.75 → divided by 0.5, 0.75, 0.875.
    let s = smooth([2.0, 4.0, 3.0], 0.5);
    assert_eq!(s, [2.0, 2.5 / 0.75, 2.75 / 0.875]);
    assert_eq!(
        smooth([2.0, 4.0, 3.0], 0.0),
        [2.0, 4.0, 3.0],
        "weight 0 is no smoothing"
    );
    let flat = smooth([3.0; 50], 0.9);
    assert!(
        flat.iter().all(|v| (v - 3.0).abs() < 1e-12),
        "a constant stays constant from the first point: {flat:?}"
    );
}

#[test]
fn non_finite_losses_pass_through_without_poisoning_the_average() {
    let s = smooth([2.0, f64::NAN, 4.0], 0.5);
    assert_eq!(s[0], 2.0);
    assert!(s[1].is_nan());
    assert_eq!(s[2], 2.5 / 0.75, "as if the NaN were not there");
}

#[test]
fn the_csv_text() {
    let mut history = LossHistory::new("bs=4");
    history.push(point(1, 4.0, None));
    history.push(LossPoint {
        noise_scale: Some(12.5),
        ..point(2, 2.0, None)
    });
    assert!(history.set_val_loss(2, 3.25));
    assert!(!history.set_val_loss(9, 1.0));
    assert_eq!(
        history.to_csv(0.5),
        "step,tokens_seen,epoch,seconds,loss,smoothed,val_loss,noise_scale\n\
         1,280,0.25,0.5,4,4,,\n\
         2,560,0.5,1,2,2.6666666666666665,3.25,12.5\n"
    );
}

#[test]
fn points_from_reports_count_epochs_in_windows() {
    let report = StepReport {
        bs: 4,
        step: 7,
        epoch: 1,
        index: 2,
        start: 140,
        seq_len: 70,
        loss: 2.5,
        grad_norm: 1.0,
        tokens_seen: 1_960,
        cell_grad_norms: vec![],
        last_loss_grad_norms: vec![],
    };
    let p = LossPoint::from_report(&report, 4, 3.5, Some(2.75));
    assert_eq!(
        p,
        LossPoint {
            step: 7,
            tokens_seen: 1_960,
            epoch: 1.75,
            seconds: 3.5,
            loss: 2.5,
            val_loss: Some(2.75),
            noise_scale: None
        }
    );
    assert_eq!(
        fractional_epoch(0, 3, 4),
        1.0,
        "the last window ends the epoch"
    );
}

#[test]
fn epochs_read_as_a_learner_reads_them() {
    assert_eq!(
        format_epochs(0.2),
        "0.20 epochs",
        "how far into the first pass"
    );
    assert_eq!(format_epochs(1.0), "1.00 epoch");
    assert_eq!(format_epochs(3.456), "3.46 epochs");
    assert_eq!(format_epochs(42.06), "42.1 epochs");
    assert_eq!(
        format_epochs(15_184.0),
        "15,184 epochs",
        "a tiny text read thousands of times: whole passes, grouped"
    );
    assert_eq!(format_epochs(1_234_567.4), "1,234,567 epochs");
    assert_eq!(format_epochs(f64::NAN), "— epochs");
}
