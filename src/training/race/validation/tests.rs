use super::*;
use crate::nn::model::ModelConfig;

fn tiny_model() -> Model<f64> {
    Model::init(
        ModelConfig {
            vocab: 10,
            embed: 3,
            hidden: 4,
            layers: 1,
        },
        7,
    )
}

fn zeros(bs: usize) -> LstmState<f64> {
    LstmState::zeros(&tiny_model().config.lstm(), bs)
}

#[test]
fn the_windows_and_the_mean_by_hand() {
    // 11 tokens, bs 2: rows 5 (token 10 dropped); stream 0 = 0..5, stream 1 = 5..10.
    // bptt 3: windows of rows 0..3 and 3..4 (targets one row lower).
    let model = tiny_model();
    let tokens: Vec<u32> = (0..11).collect();
    let (first, _) = model.forward(&[0, 5, 1, 6, 2, 7], &[1, 6, 2, 7, 3, 8], 3, 2, &zeros(2));
    let (second, _) = model.forward(&[3, 8], &[4, 9], 1, 2, &first.last);
    let expected = (first.loss * 6.0 + second.loss * 2.0) / 8.0;
    let got = validation_loss(&model, &tokens, 2, 3, true, None).unwrap();
    assert_eq!((got.tokens, got.windows), (8, 2));
    assert!(
        (got.loss - expected).abs() < 1e-12,
        "{} vs {expected}",
        got.loss
    );

    // Reset: the second window starts from zeros instead.
    let (second_reset, _) = model.forward(&[3, 8], &[4, 9], 1, 2, &zeros(2));
    let reset = validation_loss(&model, &tokens, 2, 3, false, None).unwrap();
    assert!((reset.loss - (first.loss * 6.0 + second_reset.loss * 2.0) / 8.0).abs() < 1e-12);
    assert_ne!(
        reset.loss, got.loss,
        "carrying the state changes the second window's loss"
    );

    // Bounded to 6 targets: the first window alone (3 rows of 2 streams).
    let bounded = validation_loss(&model, &tokens, 2, 3, true, Some(6)).unwrap();
    assert_eq!((bounded.tokens, bounded.windows), (6, 1));
    assert!((bounded.loss - first.loss).abs() < 1e-12);
    // 3 targets: ⌈3/2⌉ = 2 rows, a window cut short.
    let (short, _) = model.forward(&[0, 5, 1, 6], &[1, 6, 2, 7], 2, 2, &zeros(2));
    let cut = validation_loss(&model, &tokens, 2, 3, true, Some(3)).unwrap();
    assert_eq!((cut.tokens, cut.windows), (4, 1));
    assert!((cut.loss - short.loss).abs() < 1e-12);
}

#[test]
fn short_texts_use_fewer_streams_or_give_none() {
    let model = tiny_model();
    // 6 tokens cannot fill 64 streams of 2 rows: 3 streams of 2 rows, one window of 1 row.
    let got = validation_loss(&model, &[1, 2, 3, 4, 5, 6], 64, 70, true, None).unwrap();
    let (expected, _) = model.forward(&[1, 3, 5], &[2, 4, 6], 1, 3, &zeros(3));
    assert_eq!((got.tokens, got.windows), (3, 1));
    assert!((got.loss - expected.loss).abs() < 1e-12);
    assert_eq!(validation_loss(&model, &[1], 4, 10, true, None), None);
    assert_eq!(
        validation_loss(&model, &[1, 2, 3], 1, 10, true, Some(0)),
        None
    );
}

#[test]
fn a_bounded_pass_reads_the_same_number_of_targets_whatever_bs_and_bptt() {
    let model = tiny_model();
    let tokens: Vec<u32> = (0..5_000).map(|i| (i * 7 % 10) as u32).collect();
    for (bs, bptt) in [(4, 70), (16, 35), (64, 70), (256, 140)] {
        let got = validation_loss(&model, &tokens, bs, bptt, true, Some(1_024)).unwrap();
        assert_eq!(got.tokens, 1_024, "bs {bs}, bptt {bptt}");
        assert_eq!(got.windows, (1_024 / bs).div_ceil(bptt));
    }
}

#[test]
fn the_schedule() {
    let mut schedule = ValidationSchedule::new(1_000);
    let due: Vec<usize> = [280, 560, 840, 1_120, 1_400, 2_240, 2_520, 5_000, 5_100]
        .into_iter()
        .filter(|&t| schedule.due(t))
        .collect();
    assert_eq!(due, [1_120, 2_240, 5_000]);
}

#[test]
fn reused_buffers_give_the_same_numbers_and_rows_as_batchify() {
    let model = tiny_model();
    let tokens: Vec<u32> = (0..203).map(|i| (i * 7 % 10) as u32).collect();
    let mut buffers = ValidationBuffers::default();
    for (bs, bptt, carry, max) in [
        (4, 5, true, Some(30)),
        (3, 7, false, None),
        (4, 5, true, Some(30)),
    ] {
        let fresh = validation_loss(&model, &tokens, bs, bptt, carry, max);
        let reused = validation_loss_with(&model, &tokens, bs, bptt, carry, max, &mut buffers);
        assert_eq!(fresh, reused);
        let all = crate::data::batcher::batchify(&tokens, bs);
        assert_eq!(buffers.columns, all[..buffers.columns.len()]);
    }
}
