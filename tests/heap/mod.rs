//! The counting allocator the hostile-input tests measure with: the heap
//! one measured section holds at its peak, and a hang guard.

#![allow(dead_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicIsize, Ordering};
use std::sync::Mutex;

/// Counts the heap bytes the measuring thread holds, and their peak since
/// the last reset. Only the thread inside [`measured`] counts: tests on
/// other threads allocate as they like without moving the figures.
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
}

fn counting() -> bool {
    COUNTING.try_with(Cell::get).unwrap_or(false)
}

// SAFETY: forwards to the system allocator and only adds bookkeeping.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() && counting() {
            let size = isize::try_from(layout.size()).unwrap_or(isize::MAX);
            let now = LIVE.fetch_add(size, Ordering::Relaxed) + size;
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        if counting() {
            let size = isize::try_from(layout.size()).unwrap_or(isize::MAX);
            LIVE.fetch_sub(size, Ordering::Relaxed);
        }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// One verification may not hold more than this much heap at once.
pub const ALLOC_CAP: usize = 512 * 1024;

/// Serialises the measured sections (tests run on several threads).
static MEASURE: Mutex<()> = Mutex::new(());

/// A hang guard, not a speed target: every case takes micro- to
/// milliseconds; this only catches a loop that does not end or a quadratic
/// blow-up, even in a debug build on a loaded machine.
pub const TIME_CAP: std::time::Duration = std::time::Duration::from_secs(10);

/// Runs `f`, returning its result and the peak heap growth during it, and
/// fails if it runs past [`TIME_CAP`].
pub fn measured<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let (out, peak, _) = timed(f);
    (out, peak)
}

/// As [`measured`], also giving the time `f` took (printed by the bomb
/// tests for the record, never asserted beyond [`TIME_CAP`]).
pub fn timed<T>(f: impl FnOnce() -> T) -> (T, usize, std::time::Duration) {
    let _guard = MEASURE.lock().unwrap_or_else(|e| e.into_inner());
    LIVE.store(0, Ordering::Relaxed);
    PEAK.store(0, Ordering::Relaxed);
    let start = std::time::Instant::now();
    COUNTING.with(|c| c.set(true));
    let out = f();
    COUNTING.with(|c| c.set(false));
    let elapsed = start.elapsed();
    let peak = usize::try_from(PEAK.load(Ordering::Relaxed)).unwrap_or(0);
    assert!(elapsed < TIME_CAP, "took {elapsed:?}");
    (out, peak, elapsed)
}
