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
mod tests;
