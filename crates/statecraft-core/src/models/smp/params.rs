//! The nine switches of KTAB's Spatial Model of Politics, its stopping rule and its seed.
//!
//! Each switch is an enum whose first-listed default is KTAB's (`kmodel.h:118-193`,
//! `smp.h:74-91`): proportional voting, linear victory probability, conditional PCE,
//! deterministic transitions, one-third risk adjustment, mid risk range, semi-commit third
//! parties, S2P2 bargains, initiator-only interpolation. The names are KTAB's own (as written in
//! its XML `<ModelParameters>`), so that a scenario's settings can be read by name; the XSD's
//! spellings (`Proportional`, `No`) are accepted too.
//!
//! The stopping rule is KTAB's (`smp.cpp:166-193`, constants `configExec`): with
//! D(t) = sum_i ||theta_i(t) - theta_i(t-1)||_2 on the 0..1 scale, stop after turn t when
//! t >= max_turns, or when t >= min_turns and D(t) / (D(1) + min_delta) < ratio.
//!
//! Source: `../shared/docs/models/ktab-smp.md` section 2 (KTAB, KAPSARC, MIT licence).

use serde::Serialize;

use super::SmpError;

/// Defines a switch: an enum with KTAB's names, a list of every value and name parsing.
macro_rules! switch {
    (
        $(#[$meta:meta])*
        $name:ident, $key:literal {
            $( $(#[$vmeta:meta])* $variant:ident => $text:literal $(| $alias:literal)* ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every value, KTAB's default first.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The parameter's name in KTAB's XML `<ModelParameters>`.
            pub const KEY: &'static str = $key;

            /// KTAB's name for the value.
            pub fn name(self) -> &'static str {
                match self {
                    $( $name::$variant => $text ),+
                }
            }

            /// Parses KTAB's name (case-insensitive; the XSD's spellings too).
            pub fn from_name(text: &str) -> Option<$name> {
                let text = text.trim();
                $(
                    if text.eq_ignore_ascii_case($text) $(|| text.eq_ignore_ascii_case($alias))* {
                        return Some($name::$variant);
                    }
                )+
                None
            }
        }

        impl Default for $name {
            fn default() -> Self {
                $name::ALL[0]
            }
        }
    };
}

switch! {
    /// How a vote grows with the difference in utility du = u(a) - u(b), for weight w
    /// (`kmodel.cpp` `Model::vote`).
    VotingRule, "VotingRule" {
        /// w du (KTAB's default).
        Proportional => "Prop" | "Proportional",
        /// w clip(du / 1e-8, -1, 1).
        Binary => "Binary",
        /// w (0.8 du + 0.2 clip(du / 1e-8, -1, 1)).
        PropBin => "PropBin",
        /// w (0.5 du + 0.5 du^3).
        PropCbc => "PropCbc",
        /// w du^3.
        Cubic => "Cubic",
        /// w du for losses, (2/3) w du for gains (prospect theory).
        ASymProsp => "ASymProsp",
    }
}

switch! {
    /// How the probability that a coalition wins grows with the ratio of strengths
    /// (`kmodel.cpp` `Model::vProb`).
    VictoryProbModel, "VictoryProbModel" {
        /// P = C1 / (C1 + C2) (KTAB's default).
        Linear => "Linear",
        /// Strengths squared.
        Square => "Square",
        /// Strengths to the fourth power.
        Quartic => "Quartic",
        /// Strengths to the eighth power.
        Octic => "Octic",
        /// Certain victory at a 1.1:1 ratio, linear in between.
        Binary => "Binary",
    }
}

switch! {
    /// How pairwise victory probabilities become one probability per option (the probabilistic
    /// Condorcet election, `kmodel.cpp` `condPCE`, `markovUniformPCE`, `markovIncentivePCE`).
    PceModel, "PCEModel" {
        /// p_a proportional to the product over b of P[a beats b] (KTAB's default).
        Conditional => "Conditional",
        /// A Markov chain where challenges follow the incentive to challenge.
        MarkovIncentive => "MarkovIncentive",
        /// A Markov chain where every option challenges with equal probability.
        MarkovUniform => "MarkovUniform",
    }
}

switch! {
    /// How an actor's queue of bargains is resolved.
    StateTransitions, "StateTransitions" {
        /// The most probable bargain, the first on ties (KTAB's default).
        Deterministic => "Deterministic",
        /// A bargain drawn with its probability, from the run's seeded generator.
        Stochastic => "Stochastic",
    }
}

switch! {
    /// What actor h believes about actor i's risk attitude, from r_h and r_i
    /// (`kmodel.cpp` `Model::estNRA`).
    BigRAdjust, "BigRAdjust" {
        /// (2 r_h + r_i) / 3 (KTAB's default).
        OneThird => "OneThird",
        /// r_h: everyone is like me.
        None => "None" | "No",
        /// (r_h + r_i) / 2.
        Half => "Half",
        /// (r_h + 2 r_i) / 3.
        TwoThirds => "TwoThirds",
        /// r_i: perfect knowledge.
        Full => "Full",
    }
}

switch! {
    /// The range risk attitudes are drawn from the probabilities of the actors' positions
    /// (`kmodel.cpp` `Model::bigRfromProb`); the most likely position is the most risk-averse.
    BigRRange, "BigRRange" {
        /// (3p - pmax - 2 pmin) / (2 (pmax - pmin)), in -1/2..1 (KTAB's default).
        Mid => "Mid",
        /// (p - pmin) / (pmax - pmin), in 0..1.
        Min => "Min",
        /// (2p - pmax - pmin) / (pmax - pmin), in -1..1.
        Max => "Max",
    }
}

switch! {
    /// How far a third party that joins one side of a challenge is bound by the outcome
    /// (`kmodel.cpp` `Actor::thirdPartyVoteSU`).
    ThirdPartyCommit, "ThirdPartyCommit" {
        /// Bound when its side wins only (KTAB's default).
        SemiCommit => "SemiCommit",
        /// Never bound: it keeps its own position whatever happens.
        NoCommit => "NoCommit",
        /// Always bound: it ends at the winner's position.
        FullCommit => "FullCommit",
    }
}

switch! {
    /// How a bargain's coordinates are interpolated between the two parties' positions
    /// (`smp.cpp` `interpBrgnSnPm`, `interpBrgnS2PMax`).
    InterVecBrgn, "InterVecBrgn" {
        /// Weights salience^2 x probability^2, rounded to 4 decimals (KTAB's default).
        S2P2 => "S2P2",
        /// Weights salience x probability, rounded to 4 decimals.
        S1P1 => "S1P1",
        /// The likely loser moves toward the winner by its margin of defeat.
        S2PMax => "S2PMax",
    }
}

switch! {
    /// Whose estimate of the challenge's odds shapes the bargain (`smpbcn.cpp` `doBCN`).
    BargainModel, "BargnModel" {
        /// The initiator's estimate only (KTAB's default).
        InitOnlyInterp => "InitOnlyInterp",
        /// Both the initiator's and the receiver's versions are offered.
        InitRcvrInterp => "InitRcvrInterp",
        /// One bargain: the two versions averaged with weights capability x total salience.
        PWCompInterp => "PWCompInterp",
    }
}

/// KTAB's default seed (`kutils.h:70`), used for stochastic transitions when none is given.
pub const KTAB_DEFAULT_SEED: u64 = 0xD67C_C16F_E69C_185C;

/// When a run stops (KTAB's constants by default).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct StopRule {
    /// Never stop for quiet before this many turns (KTAB: 2).
    pub min_turns: usize,
    /// Always stop after this many turns (KTAB: 100).
    pub max_turns: usize,
    /// Stop when a turn moves the actors by less than this share of the first turn's movement
    /// (KTAB: 0.02).
    pub ratio: f64,
    /// Added to the first turn's movement against 0/0 (KTAB: 1e-4).
    pub min_delta: f64,
}

impl Default for StopRule {
    fn default() -> Self {
        Self {
            min_turns: 2,
            max_turns: 100,
            ratio: 0.02,
            min_delta: 1e-4,
        }
    }
}

/// Every parameter of a run. `SmpParams::default()` is KTAB's `smpc --csv`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SmpParams {
    /// Victory probability from coalition strengths.
    pub victory: VictoryProbModel,
    /// Probabilistic Condorcet election.
    pub pce: PceModel,
    /// Deterministic or stochastic queue resolution.
    pub transitions: StateTransitions,
    /// The voting rule used for every vote.
    pub voting: VotingRule,
    /// Beliefs about others' risk attitudes.
    pub risk_adjust: BigRAdjust,
    /// Range of risk attitudes.
    pub risk_range: BigRRange,
    /// Third parties' commitment.
    pub third_party: ThirdPartyCommit,
    /// Interpolation of bargains.
    pub interpolation: InterVecBrgn,
    /// Whose perspective shapes bargains.
    pub bargaining: BargainModel,
    /// Seed of the generator used by stochastic transitions.
    pub seed: u64,
    /// When to stop.
    pub stop: StopRule,
}

impl Default for SmpParams {
    fn default() -> Self {
        Self {
            victory: VictoryProbModel::default(),
            pce: PceModel::default(),
            transitions: StateTransitions::default(),
            voting: VotingRule::default(),
            risk_adjust: BigRAdjust::default(),
            risk_range: BigRRange::default(),
            third_party: ThirdPartyCommit::default(),
            interpolation: InterVecBrgn::default(),
            bargaining: BargainModel::default(),
            seed: KTAB_DEFAULT_SEED,
            stop: StopRule::default(),
        }
    }
}

/// The names of KTAB's nine `<ModelParameters>`, in KTAB's order.
pub const PARAMETER_KEYS: [&str; 9] = [
    VictoryProbModel::KEY,
    PceModel::KEY,
    StateTransitions::KEY,
    VotingRule::KEY,
    BigRAdjust::KEY,
    BigRRange::KEY,
    ThirdPartyCommit::KEY,
    InterVecBrgn::KEY,
    BargainModel::KEY,
];

impl SmpParams {
    /// Sets one of the nine switches from KTAB's names, e.g. `("PCEModel", "MarkovIncentive")`.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), SmpError> {
        fn parse<T: Copy>(
            key: &str,
            value: &str,
            from: fn(&str) -> Option<T>,
            all: &[T],
            name: fn(T) -> &'static str,
        ) -> Result<T, SmpError> {
            from(value).ok_or_else(|| SmpError::UnknownParameterValue {
                key: key.to_owned(),
                value: value.to_owned(),
                expected: all.iter().map(|&v| name(v)).collect::<Vec<_>>().join(", "),
            })
        }
        let k = key.trim();
        let is = |name: &str| k.eq_ignore_ascii_case(name);
        if is(VictoryProbModel::KEY) {
            self.victory = parse(
                k,
                value,
                VictoryProbModel::from_name,
                VictoryProbModel::ALL,
                VictoryProbModel::name,
            )?;
        } else if is(PceModel::KEY) {
            self.pce = parse(k, value, PceModel::from_name, PceModel::ALL, PceModel::name)?;
        } else if is(StateTransitions::KEY) {
            self.transitions = parse(
                k,
                value,
                StateTransitions::from_name,
                StateTransitions::ALL,
                StateTransitions::name,
            )?;
        } else if is(VotingRule::KEY) {
            self.voting = parse(
                k,
                value,
                VotingRule::from_name,
                VotingRule::ALL,
                VotingRule::name,
            )?;
        } else if is(BigRAdjust::KEY) {
            self.risk_adjust = parse(
                k,
                value,
                BigRAdjust::from_name,
                BigRAdjust::ALL,
                BigRAdjust::name,
            )?;
        } else if is(BigRRange::KEY) {
            self.risk_range = parse(
                k,
                value,
                BigRRange::from_name,
                BigRRange::ALL,
                BigRRange::name,
            )?;
        } else if is(ThirdPartyCommit::KEY) {
            self.third_party = parse(
                k,
                value,
                ThirdPartyCommit::from_name,
                ThirdPartyCommit::ALL,
                ThirdPartyCommit::name,
            )?;
        } else if is(InterVecBrgn::KEY) {
            self.interpolation = parse(
                k,
                value,
                InterVecBrgn::from_name,
                InterVecBrgn::ALL,
                InterVecBrgn::name,
            )?;
        } else if is(BargainModel::KEY) {
            self.bargaining = parse(
                k,
                value,
                BargainModel::from_name,
                BargainModel::ALL,
                BargainModel::name,
            )?;
        } else {
            return Err(SmpError::UnknownParameter {
                key: key.to_owned(),
                expected: PARAMETER_KEYS.join(", "),
            });
        }
        Ok(())
    }

    /// The nine switches as (KTAB's key, KTAB's value name), in KTAB's order.
    pub fn switches(&self) -> [(&'static str, &'static str); 9] {
        [
            (VictoryProbModel::KEY, self.victory.name()),
            (PceModel::KEY, self.pce.name()),
            (StateTransitions::KEY, self.transitions.name()),
            (VotingRule::KEY, self.voting.name()),
            (BigRAdjust::KEY, self.risk_adjust.name()),
            (BigRRange::KEY, self.risk_range.name()),
            (ThirdPartyCommit::KEY, self.third_party.name()),
            (InterVecBrgn::KEY, self.interpolation.name()),
            (BargainModel::KEY, self.bargaining.name()),
        ]
    }

    /// Checks the stopping rule.
    pub fn check(&self) -> Result<(), SmpError> {
        let stop = &self.stop;
        if stop.max_turns == 0 {
            return Err(SmpError::InvalidParameter(
                "the maximum number of turns must be at least 1".into(),
            ));
        }
        if !(stop.ratio.is_finite() && stop.ratio >= 0.0) {
            return Err(SmpError::InvalidParameter(format!(
                "the stopping ratio {} must be a number >= 0",
                stop.ratio
            )));
        }
        if !(stop.min_delta.is_finite() && stop.min_delta > 0.0) {
            return Err(SmpError::InvalidParameter(format!(
                "the stopping rule's guard {} must be a number > 0",
                stop.min_delta
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_ktabs() {
        let p = SmpParams::default();
        assert_eq!(
            p.switches(),
            [
                ("VictoryProbModel", "Linear"),
                ("PCEModel", "Conditional"),
                ("StateTransitions", "Deterministic"),
                ("VotingRule", "Prop"),
                ("BigRAdjust", "OneThird"),
                ("BigRRange", "Mid"),
                ("ThirdPartyCommit", "SemiCommit"),
                ("InterVecBrgn", "S2P2"),
                ("BargnModel", "InitOnlyInterp"),
            ]
        );
        assert_eq!(p.seed, 15_455_440_707_583_219_804);
    }

    #[test]
    fn names_round_trip_and_aliases_parse() {
        let mut p = SmpParams::default();
        for (key, value) in SmpParams::default().switches() {
            p.set(key, value).unwrap();
        }
        assert_eq!(p, SmpParams::default());
        p.set("VotingRule", "Proportional").unwrap();
        p.set("BigRAdjust", "No").unwrap();
        assert_eq!(p.risk_adjust, BigRAdjust::None);
        p.set("pcemodel", "markovincentive").unwrap();
        assert_eq!(p.pce, PceModel::MarkovIncentive);
        assert!(matches!(
            p.set("VotingRule", "Majority"),
            Err(SmpError::UnknownParameterValue { .. })
        ));
        assert!(matches!(
            p.set("Colour", "Blue"),
            Err(SmpError::UnknownParameter { .. })
        ));
    }
}
