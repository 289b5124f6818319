use super::*;

fn parse(s: &str) -> Result<Args, String> {
    Args::parse(&s.split_whitespace().map(String::from).collect::<Vec<_>>())
}

#[test]
fn verb_values_lists_and_errors() {
    let a = parse("batches --corpus a.txt b.txt --bs 16,64 --bptt=70 --show").unwrap();
    assert_eq!(a.verb.as_deref(), Some("batches"));
    assert_eq!(a.values("corpus"), ["a.txt", "b.txt"]);
    assert_eq!(a.get_list::<usize>("bs", vec![]).unwrap(), vec![16, 64]);
    assert_eq!(a.get::<usize>("bptt", 0).unwrap(), 70);
    assert_eq!(a.get::<usize>("seed", 42).unwrap(), 42);
    assert!(a.flag("show"));
    assert!(a
        .get::<usize>("corpus", 0)
        .unwrap_err()
        .contains("one value"));
    assert!(parse("x --bs abc")
        .unwrap()
        .get::<usize>("bs", 1)
        .unwrap_err()
        .contains("abc"));
    assert!(a.only(&["corpus", "bs"]).unwrap_err().contains("--bptt"));
    assert!(parse("x y").is_err());
}
