use super::*;

#[test]
fn growth_is_exact_and_shrinking_keeps_the_allocation() {
    let mut v: Vec<f32> = Vec::new();
    resize_exact(&mut v, 1000, 1.0);
    assert_eq!((v.len(), v.capacity()), (1000, 1000));
    // Vec's own growth from here would double the capacity.
    resize_exact(&mut v, 1001, 2.0);
    assert_eq!((v.len(), v.capacity()), (1001, 1001));
    assert!(v.iter().all(|&x| x == 2.0), "a regrown buffer is refilled");
    resize_exact(&mut v, 10, 3.0);
    assert_eq!((v.len(), v.capacity()), (10, 1001));
    assert_eq!(v[0], 2.0, "within capacity it behaves like resize");
    clear_with_room(&mut v, 5000);
    assert_eq!((v.len(), v.capacity()), (0, 5000));
    v.extend(std::iter::repeat_n(0.5, 5000));
    assert_eq!(v.capacity(), 5000);
}
