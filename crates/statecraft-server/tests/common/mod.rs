//! Code shared by the server's tests and benchmarks.

pub mod load;
