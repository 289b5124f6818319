use super::*;
use crate::data::corpus::TokenLevel;
use crate::nn::model::ModelConfig;

#[test]
fn examples_are_streams_of_windows_and_average_to_the_batch_gradient() {
    // 47 chars, bs 3: 15 rows per stream, windows at 0, 4, 8, 12 of 4, 4, 4, 2.
    let text = "the cat sat on the mat and the dog sat on a log";
    let corpus = Corpus::from_documents(&[text], TokenLevel::Char).unwrap();
    let config = ModelConfig {
        vocab: corpus.vocab_size(),
        embed: 4,
        hidden: 5,
        layers: 2,
    };
    let model: Model<f64> = Model::init(config, 3);
    let mut examples = LmExamples::new(&model, &corpus, 3, 4, 0).unwrap();
    assert_eq!(examples.examples(), 3 * 4);
    // Example 4: stream 1 (which starts at token 15) of window 1 (row 4).
    let ids = corpus.stream(&[0]);
    let (input, target) = examples.example(4);
    assert_eq!(input, ids[19..23]);
    assert_eq!(target, ids[20..24]);
    // The last window is the short one.
    assert_eq!(examples.example(11).0.len(), 2);

    // Window 1's three examples, averaged, against the window as one
    // bs-3 batch from zero state.
    let mean: Vec<f64> = {
        let grads: Vec<Vec<f64>> = (3..6).map(|e| examples.gradient(e).to_vec()).collect();
        (0..grads[0].len())
            .map(|k| grads.iter().map(|g| g[k]).sum::<f64>() / 3.0)
            .collect()
    };
    let batches = LmBatcher::new(
        &corpus,
        BatchConfig {
            bs: 3,
            bptt: 4,
            scheme: Scheme::Pytorch,
            seed: 0,
        },
    )
    .unwrap()
    .epoch(0);
    let w = batches.windows[1];
    let zero = LstmState::zeros(&config.lstm(), 3);
    let (_, cache) = model.forward(batches.input(&w), batches.target(&w), w.seq_len, 3, &zero);
    let batch = model.backward(&cache).params;
    let worst = mean
        .iter()
        .zip(&batch)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    assert!(worst < 1e-12, "mean of examples vs batch gradient: {worst}");
    assert!(batch.iter().any(|g| g.abs() > 1e-3), "a real gradient");
}

#[test]
fn a_model_for_another_vocabulary_is_refused() {
    let corpus = Corpus::from_documents(&["abcabcabc"], TokenLevel::Char).unwrap();
    let config = ModelConfig {
        vocab: 5,
        embed: 2,
        hidden: 2,
        layers: 1,
    };
    let model: Model<f32> = Model::init(config, 0);
    let err = LmExamples::new(&model, &corpus, 2, 3, 0).err().unwrap();
    assert_eq!(
        err,
        TrainError::VocabMismatch {
            model: 5,
            corpus: 3
        }
    );
}
