//! Helpers shared by the integration tests of statecraft-core.

/// Runs `run` on a rayon pool of `threads` threads, to check that results do not depend on it.
pub fn on_threads<T: Send>(threads: usize, run: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool")
        .install(run)
}
