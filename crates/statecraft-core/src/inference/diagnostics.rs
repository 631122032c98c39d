//! Convergence diagnostics of several Markov chains: split R-hat and the effective sample size,
//! as in Gelman et al., Bayesian Data Analysis (3rd ed., 2013), section 11.4-11.5: chains are
//! split in halves, and autocorrelations are summed in pairs until a pair turns negative
//! (Geyer's initial positive sequence, made monotone).

/// Mean and (unbiased) variance.
fn mean_var(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0).max(1.0);
    (mean, var)
}

/// Every chain cut in two halves of equal length (the middle draw of an odd chain dropped).
fn halves<'a>(chains: &[&'a [f64]]) -> Vec<&'a [f64]> {
    let n = chains.iter().map(|c| c.len()).min().unwrap_or(0) / 2;
    chains
        .iter()
        .flat_map(|c| [&c[..n], &c[c.len() - n..]])
        .collect()
}

/// Split R-hat and effective sample size of one quantity drawn by several chains (each a slice
/// of its draws in order). A quantity that no chain moves has R-hat 1 and ESS equal to the
/// number of draws when every chain holds the same value, else R-hat infinity.
pub fn rhat_ess(chains: &[&[f64]]) -> (f64, f64) {
    let split = halves(chains);
    let m = split.len() as f64;
    let n = split.first().map_or(0, |c| c.len());
    if n < 4 {
        return (f64::INFINITY, 0.0);
    }
    let stats: Vec<(f64, f64)> = split.iter().map(|c| mean_var(c)).collect();
    let w = stats.iter().map(|s| s.1).sum::<f64>() / m;
    let means: Vec<f64> = stats.iter().map(|s| s.0).collect();
    let (_, between) = mean_var(&means);
    let nf = n as f64;
    let var_plus = (nf - 1.0) / nf * w + between;
    if w <= 0.0 {
        return if between <= 0.0 {
            (1.0, m * nf)
        } else {
            (f64::INFINITY, 0.0)
        };
    }
    let rhat = (var_plus / w).sqrt();
    // rho_t = 1 - (W - mean of the chains' autocovariances at lag t) / var_plus.
    let rho = |t: usize| {
        let acov: f64 = split
            .iter()
            .zip(&means)
            .map(|(c, mean)| {
                (0..n - t)
                    .map(|i| (c[i] - mean) * (c[i + t] - mean))
                    .sum::<f64>()
                    / nf
            })
            .sum::<f64>()
            / m;
        1.0 - (w - acov) / var_plus
    };
    let mut tau = 0.0;
    let mut previous = f64::INFINITY;
    let mut t = 0;
    while t + 1 < n {
        let pair = rho(t) + rho(t + 1);
        if pair < 0.0 {
            break;
        }
        let pair = pair.min(previous);
        tau += 2.0 * pair;
        previous = pair;
        t += 2;
    }
    // tau = -1 + 2 sum of pairs; at least 1/log10(draws) as a guard against antithetic chains.
    let tau = (tau - 1.0).max(1.0 / (m * nf).log10());
    (rhat, m * nf / tau)
}

#[cfg(test)]
mod tests {
    use super::rhat_ess;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use rand_distr::{Distribution, Normal};

    fn chains(phi: f64, shift: f64) -> Vec<Vec<f64>> {
        let normal = Normal::new(0.0, 1.0).unwrap();
        (0..4)
            .map(|c| {
                let mut rng = ChaCha8Rng::seed_from_u64(7);
                rng.set_stream(c);
                let mut x = 0.0;
                (0..4000)
                    .map(|_| {
                        x = phi * x + normal.sample(&mut rng);
                        x + shift * c as f64
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn independent_draws_have_ess_near_their_number_and_rhat_near_1() {
        let c = chains(0.0, 0.0);
        let refs: Vec<&[f64]> = c.iter().map(|v| v.as_slice()).collect();
        let (rhat, ess) = rhat_ess(&refs);
        assert!((rhat - 1.0).abs() < 0.005, "{rhat}");
        assert!(ess > 13_000.0 && ess < 19_000.0, "{ess}");
    }

    #[test]
    fn an_ar1_chain_has_the_ess_of_its_autocorrelation() {
        // For AR(1) with coefficient phi, tau = (1 + phi) / (1 - phi): 3 for phi = 0.5.
        let c = chains(0.5, 0.0);
        let refs: Vec<&[f64]> = c.iter().map(|v| v.as_slice()).collect();
        let (_, ess) = rhat_ess(&refs);
        let expected = 16_000.0 / 3.0;
        assert!((ess / expected - 1.0).abs() < 0.15, "{ess} vs {expected}");
    }

    #[test]
    fn chains_stuck_in_different_places_have_a_large_rhat() {
        let c = chains(0.0, 1.0);
        let refs: Vec<&[f64]> = c.iter().map(|v| v.as_slice()).collect();
        let (rhat, _) = rhat_ess(&refs);
        assert!(rhat > 1.2, "{rhat}");
    }
}
