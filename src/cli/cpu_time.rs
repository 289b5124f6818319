//! The calling thread's CPU time, for `bench`: on a machine shared with
//! other work, wall-clock steps stretch whenever the scheduler gives the
//! core away, while the thread's own CPU time does not (cache sharing
//! still shows). bench/pytorch_lstm.py reports the same with
//! `time.thread_time()`.

/// Seconds of CPU time this thread has used, where the platform says
/// (Linux); `None` elsewhere.
#[cfg(target_os = "linux")]
pub fn thread_cpu_seconds() -> Option<f64> {
    #[repr(C)]
    struct Timespec {
        tv_sec: i64,
        tv_nsec: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, time: *mut Timespec) -> i32;
    }
    /// CLOCK_THREAD_CPUTIME_ID in Linux's <time.h>.
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut time = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the struct it is given, whose
    // layout is the 64-bit Linux timespec.
    let ok = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut time) } == 0;
    ok.then_some(time.tv_sec as f64 + time.tv_nsec as f64 * 1e-9)
}

#[cfg(not(target_os = "linux"))]
pub fn thread_cpu_seconds() -> Option<f64> {
    None
}
