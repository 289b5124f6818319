use super::*;
use crate::data::batcher::Scheme;

#[test]
fn pytorch_program_carries_the_settings() {
    let s = Settings {
        bs: 16,
        bptt: 35,
        scheme: Scheme::Pytorch,
        hidden: 128,
        layers: 2,
        seed: 7,
        ..Settings::default()
    };
    let code = pytorch(&s);
    for needle in [
        "bs, bptt = 16, 35",
        "RNNModel(len(vocab), 32, 128, 2)",
        "torch.manual_seed(7)",
        "yield get_batch(source, i, bptt)",
        "clip_grad_norm_(model.parameters(), 1)",
        "torch.optim.Adam(model.parameters(), lr=0.003)",
        "def repackage_hidden",
        "CARRY = True",
    ] {
        assert!(code.contains(needle), "missing {needle:?} in\n{code}");
    }
    assert!(!code.contains("np.random.normal") && !code.contains("permutation"));
}

#[test]
fn each_scheme_gets_its_rule_and_its_library() {
    let v07 = Settings {
        scheme: Scheme::FastaiV07,
        bptt: 70,
        ..Settings::default()
    };
    assert!(pytorch(&v07).contains("bptt_ = bptt if np.random.random() < 0.95 else bptt / 2."));
    assert!(library_loader(&v07).contains("bs=64, bptt=70"));
    let v2 = Settings {
        scheme: Scheme::FastaiV2,
        tokens: TokenLevel::Word,
        optimizer: OptimizerKind::Sgd,
        lr: 20.0,
        ..Settings::default()
    };
    let code = pytorch(&v2);
    assert!(
        code.contains("bl = (len(data) - 1) // bs")
            && code.contains("SEP = \"xxbos\"")
            && code.contains("torch.optim.SGD(model.parameters(), lr=20)")
    );
    assert!(library_loader(&v2)
        .contains("TextDataLoaders.from_folder(path, is_lm=True, bs=64, seq_len=70)"));
    let v1 = Settings {
        scheme: Scheme::FastaiV1,
        ..Settings::default()
    };
    assert!(pytorch(&v1).contains("starts = [int(step * j) for j in range(bs)]"));
    assert!(library_loader(&v1).contains("TextLMDataBunch.from_folder(path, bs=64, bptt=70)"));
    let hf = Settings {
        scheme: Scheme::HfBlocks,
        ..Settings::default()
    };
    assert!(pytorch(&hf).contains("CARRY = False"));
    assert!(
        library_loader(&hf).contains("per_device_train_batch_size=64")
            && library_loader(&hf).contains("block_size = 70")
    );
    for scheme in Scheme::ALL {
        let s = Settings {
            scheme,
            ..Settings::default()
        };
        assert!(
            library_loader(&s).contains("Where this page differs: it tokenises by character"),
            "{scheme}"
        );
        assert!(
            !library_loader(&s).contains("the same"),
            "{scheme}: never claims to be the same"
        );
    }
}

#[test]
fn python_sees_no_unbalanced_braces() {
    // format! escapes: the f-string's {{…}} must come out single.
    let code = pytorch(&Settings::default());
    assert!(
        code.contains(r#"print(f"batch {batch + 1}: seq_len {x.size(0)}"#),
        "{code}"
    );
    assert!(
        code.contains("index = {t: i for i, t in enumerate(vocab)}"),
        "{code}"
    );
}
