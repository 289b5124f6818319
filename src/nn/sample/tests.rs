use super::*;
use crate::nn::model::ModelConfig;

#[test]
fn seeded_in_range_and_greedy_at_zero_temperature() {
    let model = Model::<f32>::init(
        ModelConfig {
            vocab: 6,
            embed: 3,
            hidden: 4,
            layers: 2,
        },
        1,
    );
    let a = sample(&model, &[1, 2], 20, 0.8, 5).unwrap();
    assert_eq!(a, sample(&model, &[1, 2], 20, 0.8, 5).unwrap());
    assert!(a.iter().all(|&t| t < 6) && a.len() == 20);
    let greedy = sample(&model, &[1], 5, 0.0, 1).unwrap();
    assert_eq!(greedy, sample(&model, &[1], 5, 0.0, 2).unwrap());
    assert!(sample(&model, &[], 5, 1.0, 1).is_err());
    assert!(sample(&model, &[1], 5, -1.0, 1).is_err());
}
