use super::*;

#[test]
fn round_trip_and_clear_errors() {
    let config = ModelConfig {
        vocab: 5,
        embed: 3,
        hidden: 4,
        layers: 2,
    };
    let model = Model::<f32>::init(config, 1);
    let text = to_json(&model);
    let back: Model<f32> = from_json(&text).unwrap();
    assert_eq!(back, model);
    let wrong = text.replace("decoder.bias", "decoder.b");
    assert!(from_json::<f32>(&wrong)
        .unwrap_err()
        .to_string()
        .contains("decoder.b"));
    let bigger = ModelConfig {
        hidden: 6,
        ..config
    };
    let err = from_json_with::<f32>(&text, bigger)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("rnn.weight_ih_l0") && err.contains("[16, 3]") && err.contains("[24, 3]"),
        "{err}"
    );
}
