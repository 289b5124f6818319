#![cfg(not(target_arch = "wasm32"))]
//! The memory estimate of a run (`memory_budget`) against what the run
//! really allocates: a counting allocator records the peak of live bytes
//! while the worker's work is done natively — the text becomes a corpus, the
//! stepping run is built and steps (into a second epoch, with "◀ back"
//! snapshots) — and the estimate must cover that peak without being loose.
//!
//! One test function: the counter is global, so scenarios must not overlap.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use batchscope::data::batcher::Scheme;
use batchscope::data::corpus::Corpus;
use batchscope::page::settings::Settings;
use batchscope::training::memory_budget::RunShape;
use batchscope::training::stepper::Stepper;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    let live = LIVE.fetch_add(bytes, Relaxed) + bytes;
    PEAK.fetch_max(live, Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // Counted as the allocator may do it: the new block before the old is freed.
        grew(new_size);
        let out = unsafe { System.realloc(ptr, layout, new_size) };
        LIVE.fetch_sub(layout.size(), Relaxed);
        out
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// `len` characters drawn from `distinct` CJK code points (3 bytes each).
fn cjk_text(len: usize, distinct: u32) -> String {
    let mut state = 12345u64;
    (0..len)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            char::from_u32(0x4E00 + ((state >> 33) as u32 % distinct)).unwrap()
        })
        .collect()
}

/// Peak live bytes of the worker's work for `settings` on `text`: the text
/// arrives, is tokenised, the run is built and takes `steps` steps.
fn measure(text: &str, settings: &Settings, steps: usize) -> (usize, RunShape) {
    let before = LIVE.load(Relaxed);
    PEAK.store(before, Relaxed);
    let documents = vec![text.to_string()];
    let corpus = Corpus::from_documents(&documents, settings.tokens).unwrap();
    let shape = RunShape::stepping(
        settings,
        corpus.num_tokens(),
        corpus.vocab_size(),
        text.len(),
    );
    let mut stepper = Stepper::new(&corpus, settings).unwrap();
    for _ in 0..steps {
        stepper.step().unwrap();
    }
    let peak = PEAK.load(Relaxed) - before;
    drop((stepper, corpus, documents));
    (peak, shape)
}

#[test]
fn the_estimate_covers_what_a_run_allocates_and_is_not_loose() {
    let cases: Vec<(&str, String, Settings, usize)> = vec![
        (
            "softmax-heavy (CJK, vocab 3000)",
            cjk_text(60_000, 3_000),
            Settings {
                bs: 48,
                bptt: 60,
                scheme: Scheme::Pytorch,
                hidden: 16,
                ..Settings::default()
            },
            25,
        ),
        (
            "LSTM-heavy (3 layers of 256)",
            cjk_text(40_000, 40),
            Settings {
                bs: 32,
                bptt: 100,
                scheme: Scheme::FastaiV2,
                hidden: 256,
                layers: 3,
                ..Settings::default()
            },
            14,
        ),
        (
            "fastai 0.7's varying windows, two epochs",
            cjk_text(40_000, 500),
            Settings {
                bs: 64,
                bptt: 70,
                scheme: Scheme::FastaiV07,
                hidden: 64,
                ..Settings::default()
            },
            20,
        ),
        (
            "text-heavy (3 million tokens, small model)",
            cjk_text(3_000_000, 100),
            Settings {
                bs: 16,
                bptt: 20,
                scheme: Scheme::FastaiV1,
                hidden: 16,
                ..Settings::default()
            },
            3,
        ),
    ];
    for (what, text, settings, steps) in cases {
        let (peak, shape) = measure(&text, &settings, steps);
        let estimate = shape.memory().total();
        println!(
            "{what}: peak {peak} B, estimate {estimate} B ({:.2}×)",
            estimate as f64 / peak as f64
        );
        assert!(
            peak <= estimate,
            "{what}: {peak} B allocated, {estimate} B estimated: {:?}",
            shape.memory()
        );
        assert!(
            estimate as f64 <= 1.6 * peak as f64,
            "{what}: the estimate {estimate} B is loose against {peak} B: {:?}",
            shape.memory()
        );
    }
}
