use super::*;

#[test]
fn out_of_range_jumps_say_where_they_went() {
    assert_eq!(jump_target("7", 92), (Some(7), String::new()));
    assert_eq!(
        jump_target("0", 92),
        (
            Some(1),
            "batches count from 1, so 0 is none: went to batch 1".to_string()
        )
    );
    assert_eq!(
        jump_target("-3", 92),
        (
            Some(1),
            "batches count from 1, so -3 is none: went to batch 1".to_string()
        )
    );
    assert_eq!(
        jump_target("999", 92),
        (
            Some(92),
            "this epoch has 92 batches: went to batch 92, the last".to_string()
        )
    );
    assert_eq!(
        jump_target("two", 92),
        (None, "type a batch number from 1 to 92".to_string())
    );
}
