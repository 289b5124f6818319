use super::*;
use crate::page::settings::Settings;

#[test]
fn every_race_round_trips_through_its_link() {
    let links = [
        RaceLink::default(),
        RaceLink {
            values: [1, 8, 256].map(RaceValue::Bs).to_vec(),
            lr_rule: LrRule::SqrtBs,
            x_axis: XAxis::Tokens,
        },
        RaceLink {
            values: [2, 200].map(RaceValue::Bptt).to_vec(),
            lr_rule: LrRule::LinearBs,
            x_axis: XAxis::Seconds,
        },
        RaceLink {
            values: Scheme::ALL.map(RaceValue::Scheme).to_vec(),
            lr_rule: LrRule::Same,
            x_axis: XAxis::Epochs,
        },
        RaceLink {
            values: vec![RaceValue::Carry(false), RaceValue::Carry(true)],
            lr_rule: LrRule::Same,
            x_axis: XAxis::Updates,
        },
    ];
    for link in links {
        let hash = link.to_hash();
        assert_eq!(RaceLink::from_hash(&hash), (link, vec![]), "{hash}");
    }
}

#[test]
fn the_link_is_readable() {
    let link = RaceLink {
        values: [4, 64].map(RaceValue::Bs).to_vec(),
        lr_rule: LrRule::SqrtBs,
        x_axis: XAxis::Tokens,
    };
    assert_eq!(link.to_hash(), "race=bs:4,64&lrrule=sqrt&xaxis=tokens");
    let scheme = RaceLink {
        values: vec![
            RaceValue::Scheme(Scheme::Pytorch),
            RaceValue::Scheme(Scheme::FastaiV07),
        ],
        ..RaceLink::default()
    };
    assert!(scheme
        .to_hash()
        .starts_with("race=scheme:pytorch,fastai-v0.7&"));
}

#[test]
fn the_settings_and_the_race_read_one_hash_without_notices_about_each_other() {
    let hash = format!(
        "#{}&{}",
        Settings::default().to_hash(),
        RaceLink::default().to_hash()
    );
    assert_eq!(Settings::from_hash(&hash), (Settings::default(), vec![]));
    assert_eq!(RaceLink::from_hash(&hash), (RaceLink::default(), vec![]));
}

#[test]
fn bad_fields_keep_their_defaults_and_say_so() {
    let (link, notices) =
        RaceLink::from_hash("race=colour:red&lrrule=cubic&xaxis=<script>alert(1)</script>");
    assert_eq!(link, RaceLink::default());
    assert_eq!(notices.len(), 3, "{notices:?}");
    assert!(notices[0].starts_with("race=colour:red is not what a race compares"));
    assert!(notices[0].ends_with("using race=bs:4,16,64,256"));
    assert!(notices[1].contains("lrrule=cubic is not one of same, sqrt, linear"));
    assert!(notices[2].contains("xaxis=<script>alert(1)</script> is not one of"));
    // No value left at all.
    let (link, notices) = RaceLink::from_hash("race=bs:0,999,x");
    assert_eq!(link.values, RaceLink::default().values);
    assert_eq!(notices.len(), 1);
}

#[test]
fn values_outside_the_controls_or_repeated_are_left_out() {
    let (link, notices) = RaceLink::from_hash("race=bs:4,0,4,300,16,abc");
    assert_eq!(link.values, [4, 16].map(RaceValue::Bs).to_vec());
    assert_eq!(
        notices,
        vec!["race: left out 0, 300, abc (a race takes at most 16 values, each one the bs control allows)".to_string()]
    );
    let many: Vec<String> = (1..=20).map(|n| n.to_string()).collect();
    let (link, notices) = RaceLink::from_hash(&format!("race=bs:{}", many.join(",")));
    assert_eq!(link.values.len(), MAX_VALUES);
    assert!(
        notices[0].starts_with("race: left out 17, 18, 19, 20"),
        "{notices:?}"
    );
    // A 100 kB field is echoed in 40 characters.
    let (_, notices) = RaceLink::from_hash(&format!("lrrule={}", "x".repeat(100_000)));
    assert!(notices[0].len() < 200, "{}", notices[0].len());
}

#[test]
fn percent_encoded_fields_are_decoded() {
    let (link, notices) = RaceLink::from_hash("#race=bs%3A4%2C16&xaxis=%74okens");
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(link.values, vec![RaceValue::Bs(4), RaceValue::Bs(16)]);
    assert_eq!(link.x_axis, XAxis::Tokens);
}
