//! Sizing the big work buffers of a training step exactly.
//!
//! `Vec`'s own growth may double a buffer's capacity. For the softmax buffer
//! of a large step (bs × seq_len × vocab floats) doubling is what broke the
//! page: 192 × 200 × 9,000 floats are 1.4 GB, their doubled capacity is over
//! the 2 GiB that one allocation may take on wasm32 ("capacity overflow"),
//! and even below that limit the spare half is memory the worker never uses.
//! These helpers grow a buffer to exactly what it must hold, and free the old
//! allocation before making the new one, so a buffer's peak is its own size
//! and the memory estimate of a run (`memory_budget`) can count it exactly.

/// Empties `v` and makes sure it can hold `n` values without growing: an
/// allocation that is too small is freed first, then one of exactly `n`
/// values is made.
pub fn clear_with_room<T>(v: &mut Vec<T>, n: usize) {
    v.clear();
    if v.capacity() < n {
        // Drop first: the old block is free again before the new one is asked for.
        *v = Vec::new();
        v.reserve_exact(n);
    }
}

/// `v.resize(n, value)`, but a buffer that must grow is reallocated at
/// exactly `n` values (and every value becomes `value`); within its capacity
/// it keeps its first values like `resize`.
pub fn resize_exact<T: Clone>(v: &mut Vec<T>, n: usize, value: T) {
    if v.capacity() < n {
        clear_with_room(v, n);
    }
    v.resize(n, value);
}

#[cfg(test)]
mod tests {
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
}
