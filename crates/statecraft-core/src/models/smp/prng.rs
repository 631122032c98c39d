//! The random numbers of stochastic transitions: KTAB's `PRNG` (`kutils/prng.cpp`), which
//! draws from the standard 64-bit Mersenne Twister (`std::mt19937_64`) and scrambles each
//! output before turning it into a uniform number:
//!
//! n' = (n + 0xE08C1D668B756F83)(2n + 3) mod 2^64,  u = n' / (2^64 - 1),
//!
//! and picks option m of a distribution p as the first with u <= p_0 + ... + p_m (else the
//! last). KTAB draws from worker threads in scheduling order, so its stochastic runs cannot be
//! replayed; here the draws are made one per actor queue in actor order, which makes a seed
//! reproducible on any machine and any number of threads.
//!
//! Source: `../shared/docs/models/ktab-smp.md` section 2, precision 7; the Mersenne Twister is
//! Matsumoto & Nishimura (1998), with the 64-bit parameters of C++11 `std::mt19937_64`.

const N: usize = 312;
const M: usize = 156;
const MATRIX_A: u64 = 0xB502_6F5A_A966_19E9;
const UPPER: u64 = 0xFFFF_FFFF_8000_0000;
const LOWER: u64 = 0x7FFF_FFFF;

/// The 64-bit Mersenne Twister, as `std::mt19937_64`.
#[derive(Clone)]
pub(crate) struct Mt19937_64 {
    state: [u64; N],
    index: usize,
}

impl Mt19937_64 {
    /// Seeded as `std::mt19937_64(seed)`.
    pub(crate) fn new(seed: u64) -> Self {
        let mut state = [0u64; N];
        state[0] = seed;
        for i in 1..N {
            let previous = state[i - 1];
            state[i] = 6_364_136_223_846_793_005u64
                .wrapping_mul(previous ^ (previous >> 62))
                .wrapping_add(i as u64);
        }
        Self { state, index: N }
    }

    fn twist(&mut self) {
        for i in 0..N {
            let x = (self.state[i] & UPPER) | (self.state[(i + 1) % N] & LOWER);
            let mut next = x >> 1;
            if x & 1 == 1 {
                next ^= MATRIX_A;
            }
            self.state[i] = self.state[(i + M) % N] ^ next;
        }
        self.index = 0;
    }

    /// The next raw output.
    pub(crate) fn next_u64(&mut self) -> u64 {
        if self.index >= N {
            self.twist();
        }
        let mut x = self.state[self.index];
        self.index += 1;
        x ^= (x >> 29) & 0x5555_5555_5555_5555;
        x ^= (x << 17) & 0x71D6_7FFF_EDA6_0000;
        x ^= (x << 37) & 0xFFF7_EEE0_0000_0000;
        x ^= x >> 43;
        x
    }
}

/// KTAB's generator: a Mersenne Twister whose outputs are scrambled before use.
#[derive(Clone)]
pub(crate) struct KtabRng {
    twister: Mt19937_64,
}

impl KtabRng {
    pub(crate) fn new(seed: u64) -> Self {
        Self {
            twister: Mt19937_64::new(seed),
        }
    }

    /// A uniform number in 0..=1.
    pub(crate) fn uniform(&mut self) -> f64 {
        let n = self.twister.next_u64();
        let scrambled = n
            .wrapping_add(0xE08C_1D66_8B75_6F83)
            .wrapping_mul(n.wrapping_mul(2).wrapping_add(3));
        scrambled as f64 / u64::MAX as f64
    }

    /// An index drawn with probabilities `p`.
    pub(crate) fn pick(&mut self, p: &[f64]) -> usize {
        let u = self.uniform();
        let mut cumulative = 0.0;
        for (m, &pm) in p.iter().enumerate() {
            cumulative += pm;
            if u <= cumulative {
                return m;
            }
        }
        p.len() - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_cpp_standard() {
        // The C++ standard requires the 10000th output of a default-constructed
        // std::mt19937_64 (seed 5489) to be 9981545732273789042.
        let mut twister = Mt19937_64::new(5489);
        let mut last = 0;
        for _ in 0..10_000 {
            last = twister.next_u64();
        }
        assert_eq!(last, 9_981_545_732_273_789_042);
    }

    #[test]
    fn uniform_numbers_are_in_range_and_picks_follow_the_weights() {
        let mut rng = KtabRng::new(super::super::params::KTAB_DEFAULT_SEED);
        let mut counts = [0usize; 3];
        for _ in 0..30_000 {
            let u = rng.uniform();
            assert!((0.0..=1.0).contains(&u));
            counts[rng.pick(&[0.2, 0.5, 0.3])] += 1;
        }
        assert!((5_400..6_600).contains(&counts[0]), "{counts:?}");
        assert!((14_200..15_800).contains(&counts[1]), "{counts:?}");
    }
}
