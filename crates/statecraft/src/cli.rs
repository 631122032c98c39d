//! The command line: every command, argument and flag, with its help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// The formats a scenario can be read from (`--from`).
const INPUT_FORMATS: [&str; 6] = ["toml", "json", "csv", "ktab", "decide", "ktab-xml"];

/// Model, forecast and explain multilateral negotiations.
///
/// SCENARIO is a scenario file (.toml, .json, a .csv table, KTAB's .csv, Decide's .tsv) or the
/// name of a built-in scenario (see `statecraft scenarios`). Results go to stdout, diagnostics
/// to stderr. Exit codes: 0 success, 1 failure, 2 bad input or usage.
#[derive(Debug, Parser)]
#[command(name = "statecraft", version, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Forecast every issue with the baseline models side by side.
    Forecast(ForecastArgs),
    /// Check a scenario file and report every problem with its line and column.
    Check(CheckArgs),
    /// Show a scenario as readable tables: issues with their scales, actors x issues.
    Show(ShowArgs),
    /// How sure the forecasts are: Monte Carlo over uncertain inputs, spreads and sensitivities.
    Sweep(SweepArgs),
    /// The run store: list, show or export recorded runs.
    Runs(RunsArgs),
    /// Which packages every actor prefers to the status quo (6-0); if none, who is isolated (5-1).
    Coalitions(CoalitionsArgs),
    /// How likely an agreement is to survive changes of government, by agreement form.
    Durability(DurabilityArgs),
    /// What do they want? Positions and saliences inferred from what each actor accepted,
    /// refused and said (the scenario's observations), and the chances of a package.
    Infer(InferArgs),
    /// Voting power (Shapley-Shubik, Banzhaf) in a weighted voting game or a scenario.
    Power(PowerArgs),
    /// Write a report of every analysis: self-contained HTML with charts, Markdown, JSON or CSV.
    Report(ReportArgs),
    /// Two scenarios, a scenario and its what-if, or two stored runs side by side: the inputs
    /// that differ, then how every analysis moved, biggest changes first.
    Compare(CompareArgs),
    /// Convert a scenario between formats (TOML, JSON; CSV tables, KTAB and Decide are read).
    Convert(ConvertArgs),
    /// Run any analysis described by a request file (JSON, see docs/api.md) and print its
    /// response as JSON.
    Run(RunArgs),
    /// Score every model against past decisions with known outcomes: the DEU data on EU
    /// legislation, or scenario files with an outcomes CSV (scenario,issue,outcome).
    Validate(ValidateArgs),
    /// Fit the fitted forecasters on every case of DATA and write a parameter file for
    /// `--params` (docs/validation.md, "Parameter files").
    Fit(FitArgs),
    /// Serve the analysts' web app and the HTTP JSON API (docs/api.md) on this machine.
    Serve(ServeArgs),
    /// List the built-in scenarios.
    Scenarios,
}

/// `statecraft check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The scenario.
    #[command(flatten)]
    pub input: ScenarioArg,
    /// Output format: json prints the counts (the warnings are on stderr).
    #[arg(long, short, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
}

/// `statecraft run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The request file, or `-` to read it from stdin.
    pub request: PathBuf,
    /// The run store (SQLite) to record forecasts, sweeps and analyses in, and to resume
    /// sweeps from.
    #[arg(long, value_name = "FILE")]
    pub store: Option<PathBuf>,
}

/// `statecraft serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The scenario the page opens with: a file or a built-in name [default: six-party-2009].
    pub scenario: Option<String>,
    /// Read the scenario as this format instead of guessing from its name.
    #[arg(long, value_name = "FORMAT", value_parser = INPUT_FORMATS)]
    pub from: Option<String>,
    /// The address to listen on; anything but 127.0.0.1 or ::1 opens the app to other machines.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// The port to listen on (0: any free port).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Open the app in the default browser.
    #[arg(long)]
    pub open: bool,
    /// The run store (SQLite) that requests record in; without it nothing is written to disk.
    #[arg(long, value_name = "FILE")]
    pub store: Option<PathBuf>,
    /// Seconds a fast request may run before it is stopped with 503.
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    pub timeout: f64,
    /// Jobs (sweeps, reports) that run at once; others wait, and past a queue of 8 get 429.
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub jobs: usize,
}

/// A scenario to read.
#[derive(Debug, Args)]
pub struct ScenarioArg {
    /// Scenario file or built-in name.
    pub scenario: String,
    /// Read the input as this format instead of guessing from its name.
    #[arg(long, value_name = "FORMAT", value_parser = INPUT_FORMATS)]
    pub from: Option<String>,
}

/// `statecraft forecast`.
#[derive(Debug, Args)]
pub struct ForecastArgs {
    /// Scenario file or built-in name [default: six-party-2009].
    pub scenario: Option<String>,
    /// Read the input as this format instead of guessing from its name.
    #[arg(long, value_name = "FORMAT", value_parser = INPUT_FORMATS)]
    pub from: Option<String>,
    /// Models to run, comma-separated: compromise, median, nash, bdm, smp, or all (the
    /// one-issue models: all but smp, which runs every issue at once).
    #[arg(long, short, value_delimiter = ',', default_value = "all")]
    pub model: Vec<String>,
    /// Output format. With `--model bdm` or `--model smp` alone, csv prints the trace.
    #[arg(long, short, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// Expected-utility model options.
    #[command(flatten)]
    pub bdm: BdmArgs,
    /// Spatial model of politics options.
    #[command(flatten)]
    pub smp: SmpArgs,
    /// What-ifs.
    #[command(flatten)]
    pub what_if: WhatIfArgs,
    /// Record the forecast in this run store (SQLite).
    #[arg(long, value_name = "FILE")]
    pub store: Option<PathBuf>,
    /// A parameter file (`statecraft fit`): adds its fitted forecasters with 80% intervals.
    #[arg(long = "params", id = "params_file", value_name = "FILE")]
    pub params_file: Option<PathBuf>,
    /// Replace the file of --trace if it exists.
    #[arg(long, requires = "trace")]
    pub force: bool,
}

/// What-ifs, shown next to the baseline.
#[derive(Debug, Args, Default)]
#[command(next_help_heading = "What-ifs")]
pub struct WhatIfArgs {
    /// Change any value by its path: ACTOR.ISSUE.position=V, ACTOR.capability=V,
    /// ACTOR.domestic.1.turnover=V, issues.ISSUE.status_quo=V, forms.FORM.cost=V, ... (every
    /// path is listed in docs/scenario-format.md; repeat for several).
    #[arg(long, value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Leave an actor out (repeat for several).
    #[arg(long, value_name = "ACTOR")]
    pub drop: Vec<String>,
    /// Add an actor: ID:CAPABILITY:ISSUE=POSITION@SALIENCE,... (repeat for several), e.g.
    /// `--add-actor EU:30:sanctions=60@0.4,talks_format=20@0.3`.
    #[arg(long, value_name = "SPEC")]
    pub add_actor: Vec<String>,
}

/// Options of KTAB's spatial model of politics (`smp`).
#[derive(Debug, Args)]
#[command(next_help_heading = "Spatial model of politics (smp)")]
pub struct SmpArgs {
    /// Run at most N turns (KTAB: 100), stopping earlier when moves die down.
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub max_turns: usize,
    /// Set one of KTAB's nine model parameters, e.g. VotingRule=Binary or PCEModel=MarkovUniform
    /// (repeat for several; overrides a KTAB XML file's <ModelParameters>).
    #[arg(long = "smp", value_name = "KEY=VALUE")]
    pub params: Vec<String>,
    /// Seed of stochastic transitions [default: the KTAB XML file's, else KTAB's].
    #[arg(long, value_name = "S")]
    pub smp_seed: Option<u64>,
}

/// Options of the expected-utility (`bdm`) model.
#[derive(Debug, Args)]
#[command(next_help_heading = "Expected-utility model (bdm)")]
pub struct BdmArgs {
    /// Which reconstruction: the reference implementation (bit for bit) or the paper's model
    /// [default: scholz-reference]; only with bdm among the models.
    #[arg(long, value_name = "VARIANT", value_parser = ["scholz-reference", "scholz-paper"])]
    pub variant: Option<String>,
    /// Run exactly N rounds, with no early stop.
    #[arg(long, value_name = "N", conflicts_with = "max_rounds")]
    pub rounds: Option<usize>,
    /// Run at most N rounds, stopping early when bargaining settles or cycles.
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub max_rounds: usize,
    /// Reference variant: repair the capitulation branch that the published code never takes.
    #[arg(long)]
    pub capitulation_fix: bool,
    /// Paper variant: probability that the status quo persists absent a challenge.
    #[arg(long, value_name = "Q", default_value_t = 1.0)]
    pub q: f64,
    /// Paper variant: probability that a spontaneous change is for the better.
    #[arg(long, value_name = "T", default_value_t = 1.0)]
    pub t: f64,
    /// Narrate the rounds in words (who pressed whom, who moved and how far); with smp, its
    /// turns.
    #[arg(long)]
    pub explain: bool,
    /// Write the per-round actor table to FILE.csv (the reference's parity columns); with smp,
    /// the positions per turn as `actor,dim,t0,t1,...` (KTAB's parity files).
    #[arg(long, value_name = "FILE")]
    pub trace: Option<PathBuf>,
}

/// `statecraft runs`.
#[derive(Debug, Args)]
pub struct RunsArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: RunsAction,
    /// The run store.
    #[arg(
        long,
        value_name = "FILE",
        default_value = "statecraft-runs.sqlite",
        global = true
    )]
    pub store: PathBuf,
}

/// `statecraft runs` actions.
#[derive(Debug, Subcommand)]
pub enum RunsAction {
    /// One line per run: id, kind, date, status, scenario, seed.
    List,
    /// A run in full (scenario, parameters, result) as JSON.
    Show {
        /// The run's id.
        id: i64,
        /// Print only the request that made the run, to run it again with `statecraft run`.
        #[arg(long)]
        request: bool,
    },
    /// A run's result as JSON (as the command printed it with --format json).
    Export {
        /// The run's id.
        id: i64,
    },
}

/// `statecraft sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Scenario file or built-in name [default: six-party-2009].
    pub scenario: Option<String>,
    /// Read the input as this format instead of guessing from its name.
    #[arg(long, value_name = "FORMAT", value_parser = INPUT_FORMATS)]
    pub from: Option<String>,
    /// Models to run on every draw, comma-separated: compromise, median, nash, bdm, smp (the
    /// spatial model, all issues at once), or all (every one-issue model: all but smp).
    #[arg(
        long,
        short,
        value_delimiter = ',',
        default_value = "compromise,median,nash"
    )]
    pub model: Vec<String>,
    /// Number of draws.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub runs: usize,
    /// Seed of the random streams (the same seed gives the same result on any machine).
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Uncertainty of every value not given a distribution, as a share (0.1: sd = 10% of the
    /// scale for positions, of the value for saliences and capabilities) [default: the
    /// scenario's `uncertainty`, else 0.1 when it has no distribution at all].
    #[arg(long, value_name = "SHARE", allow_negative_numbers = true)]
    pub uncertainty: Option<f64>,
    /// Also ask on every draw whether all actors can agree (6-0) and who is the holdout when
    /// they cannot (linear losses; see `statecraft coalitions`).
    #[arg(long)]
    pub coalitions: bool,
    /// Also repeat the durability analysis of the compromise package under this agreement form
    /// on every draw (8 years, 200 histories per draw): the spread of its chance to survive.
    #[arg(long, value_name = "FORM")]
    pub durability: Option<String>,
    /// The expected-utility model's variant [default: scholz-reference]; only with bdm among
    /// the models.
    #[arg(long, value_name = "VARIANT", value_parser = ["scholz-reference", "scholz-paper"])]
    pub variant: Option<String>,
    /// Also rank the inputs by their Sobol indices on the first model's forecast, from N base
    /// rows ((inputs + 2) x N model runs).
    #[arg(long, value_name = "N")]
    pub sensitivity: Option<usize>,
    /// Record the sweep in this run store (SQLite), chunk by chunk, so it can be resumed.
    #[arg(long, value_name = "FILE")]
    pub store: Option<PathBuf>,
    /// Resume the stored sweep with this id (with --store): its scenario and settings are read
    /// from the store, and only the chunks it lacks are run.
    #[arg(long, value_name = "ID", requires = "store")]
    pub resume: Option<i64>,
    /// Draws per chunk: the unit of progress, of Ctrl-C and of what the store keeps.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub chunk: usize,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// What-ifs, applied before the sweep.
    #[command(flatten)]
    pub what_if: WhatIfArgs,
    /// A parameter file (`statecraft fit`): its fitted forecasters run on every draw too.
    #[arg(
        long = "params",
        id = "params_file",
        value_name = "FILE",
        conflicts_with = "resume"
    )]
    pub params_file: Option<PathBuf>,
}

/// `statecraft coalitions`.
#[derive(Debug, Args)]
pub struct CoalitionsArgs {
    /// Scenario file or built-in name [default: six-party-2009].
    pub scenario: Option<String>,
    /// Read the input as this format instead of guessing from its name.
    #[arg(long, value_name = "FORMAT", value_parser = INPUT_FORMATS)]
    pub from: Option<String>,
    /// How an actor's loss grows with the distance from its position.
    #[arg(long, value_name = "SHAPE", default_value = "linear", value_parser = ["linear", "quadratic"])]
    pub shape: String,
    /// Output format: csv prints one row per actor and package.
    #[arg(long, short, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// Record the analysis in this run store (SQLite).
    #[arg(long, value_name = "FILE")]
    pub store: Option<PathBuf>,
    /// What-ifs, applied before the analysis.
    #[command(flatten)]
    pub what_if: WhatIfArgs,
}

/// `statecraft infer`.
#[derive(Debug, Args)]
pub struct InferArgs {
    /// Scenario file or built-in name [default: six-party-2009].
    pub scenario: Option<String>,
    /// Read the input as this format instead of guessing from its name.
    #[arg(long, value_name = "FORMAT", value_parser = INPUT_FORMATS)]
    pub from: Option<String>,
    /// The package whose acceptance is predicted, as ISSUE=VALUE pairs, comma-separated; issues
    /// not named stay at their status quo [default: the maximin package of `coalitions`].
    #[arg(long, value_name = "ISSUE=VALUE", value_delimiter = ',')]
    pub package: Vec<String>,
    /// Seed of the chains (the same seed gives the same result on any machine).
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Number of Markov chains.
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub chains: usize,
    /// Warm-up sweeps per chain (not kept).
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub warmup: usize,
    /// Kept sweeps per chain in the first round; they double until the chains converge.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub draws: usize,
    /// The most kept sweeps per chain.
    #[arg(long, value_name = "N", default_value_t = 16_000)]
    pub max_draws: usize,
    /// Scale of the random utility's noise, in utility units.
    #[arg(long, value_name = "X", default_value_t = 0.05)]
    pub noise: f64,
    /// Chance that an answer ignores the utility.
    #[arg(long, value_name = "X", default_value_t = 0.02)]
    pub lapse: f64,
    /// Relative uncertainty of the priors of values without a distribution [default: the
    /// scenario's `uncertainty`, else 0.1].
    #[arg(long, value_name = "R")]
    pub uncertainty: Option<f64>,
    /// How an actor's loss grows with the distance from its position.
    #[arg(long, value_name = "SHAPE", default_value = "linear", value_parser = ["linear", "quadratic"])]
    pub shape: String,
    /// Write the scenario with the posterior as distributions (TOML or JSON by extension), for
    /// `sweep` and the other commands.
    #[arg(long, value_name = "FILE")]
    pub write: Option<PathBuf>,
    /// Replace the file of --write if it exists.
    #[arg(long)]
    pub force: bool,
    /// Output format: csv prints one row per inferred value.
    #[arg(long, short, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// What-ifs, applied before the analysis.
    #[command(flatten)]
    pub what_if: WhatIfArgs,
}

/// `statecraft durability`.
#[derive(Debug, Args)]
pub struct DurabilityArgs {
    /// Scenario file or built-in name [default: six-party-2009].
    pub scenario: Option<String>,
    /// Read the input as this format instead of guessing from its name.
    #[arg(long, value_name = "FORMAT", value_parser = INPUT_FORMATS)]
    pub from: Option<String>,
    /// The agreement, as ISSUE=VALUE pairs, comma-separated; issues not named stay at their
    /// status quo. [default: the compromise forecast on every issue]
    #[arg(long, value_name = "ISSUE=VALUE", value_delimiter = ',')]
    pub package: Vec<String>,
    /// Agreement forms to compare, comma-separated ids [default: every form of the scenario, or
    /// statement, executive and treaty when it defines none].
    #[arg(long, value_name = "FORM", value_delimiter = ',')]
    pub form: Vec<String>,
    /// Horizon in years.
    #[arg(long, value_name = "N", default_value_t = 8.0)]
    pub years: f64,
    /// Number of simulated histories.
    #[arg(long, value_name = "N", default_value_t = 100_000)]
    pub runs: usize,
    /// Seed of the random streams (the same seed gives the same result on any machine).
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Spacing of the survival curve's points, in years.
    #[arg(long, value_name = "YEARS", default_value_t = 0.5)]
    pub step: f64,
    /// Signing date (YYYY-MM-DD) [default: the scenario's date].
    #[arg(long, value_name = "DATE")]
    pub start: Option<String>,
    /// Output format: csv prints the survival curves (with --backtest: the dated checks).
    #[arg(long, short, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// Record the analysis in this run store (SQLite).
    #[arg(long, value_name = "FILE")]
    pub store: Option<PathBuf>,
    /// Score the model on agreements whose fate is known instead: every built-in case, or the
    /// cases named (built-in names, or scenario files with an `[agreement]` block). Uses --runs
    /// and --seed.
    #[arg(long, value_name = "CASE", num_args = 0.., conflicts_with_all = ["scenario", "from", "package", "form", "years", "step", "start", "store", "set", "drop", "add_actor"])]
    pub backtest: Option<Vec<String>>,
    /// What-ifs, applied before the analysis.
    #[command(flatten)]
    pub what_if: WhatIfArgs,
}

/// `statecraft report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Scenario file or built-in name [default: six-party-2009].
    pub scenario: Option<String>,
    /// Read the input as this format instead of guessing from its name.
    #[arg(long, value_name = "FORMAT", value_parser = INPUT_FORMATS)]
    pub from: Option<String>,
    /// Write the report to this file [default: stdout].
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace the file of --output if it exists.
    #[arg(long, requires = "output")]
    pub force: bool,
    /// Report format [default: from the output file's extension, else html]; xlsx is a workbook
    /// with one sheet per section (needs --output).
    #[arg(long, short, value_name = "FORMAT", value_parser = ["html", "md", "json", "csv", "xlsx"])]
    pub format: Option<String>,
    /// Also write every chart as SVG and PNG (1280x720) into this directory.
    #[arg(long, value_name = "DIR")]
    pub charts: Option<PathBuf>,
    /// Run a sweep of this many draws and show the forecast spreads (0: no sweep).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub sweep: usize,
    /// With --sweep: Sobol sensitivity of the compromise forecast from N base rows (tornado charts).
    #[arg(long, value_name = "N")]
    pub sensitivity: Option<usize>,
    /// With --sweep: relative uncertainty of inputs without a distribution [default: the
    /// scenario's `uncertainty`, else 0.1].
    #[arg(long, value_name = "R")]
    pub uncertainty: Option<f64>,
    /// The agreement whose durability is simulated, as ISSUE=VALUE pairs [default: the
    /// compromise forecast].
    #[arg(long, value_name = "ISSUE=VALUE", value_delimiter = ',')]
    pub package: Vec<String>,
    /// Agreement forms compared [default: every form of the scenario].
    #[arg(long, value_name = "FORM", value_delimiter = ',')]
    pub form: Vec<String>,
    /// Durability horizon in years.
    #[arg(long, value_name = "N", default_value_t = 8.0)]
    pub years: f64,
    /// Simulated histories per agreement form.
    #[arg(long, value_name = "N", default_value_t = 20_000)]
    pub histories: usize,
    /// Add what the scenario's record of observations says each actor wants (`statecraft
    /// infer` with its default settings): prior against posterior, acceptance chances.
    #[arg(long)]
    pub infer: bool,
    /// A parameter file (`statecraft fit`): its fitted forecasters beside the models, in the
    /// forecasts and the sweep.
    #[arg(
        long = "params",
        id = "params_file",
        value_name = "FILE",
        conflicts_with = "run"
    )]
    pub params_file: Option<PathBuf>,
    /// Seed of every random stream.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// The expected-utility model's variant.
    #[arg(long, value_name = "VARIANT", default_value = "scholz-reference", value_parser = ["scholz-reference", "scholz-paper"])]
    pub variant: String,
    /// The run store (SQLite) holding the sweep named by --run.
    #[arg(long, value_name = "FILE", requires = "run")]
    pub store: Option<PathBuf>,
    /// Report on this finished sweep from --store: its scenario, and its spreads and
    /// sensitivities instead of a new --sweep.
    #[arg(long, value_name = "ID", requires = "store", conflicts_with_all = ["scenario", "sweep", "sensitivity", "uncertainty", "set", "drop", "add_actor"])]
    pub run: Option<i64>,
    /// What-ifs, applied before every analysis.
    #[command(flatten)]
    pub what_if: WhatIfArgs,
}

/// `statecraft compare`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  statecraft compare a.toml b.toml\n  statecraft compare a.toml --set US.capability=80\n  statecraft compare --store runs.db 3 5"
)]
pub struct CompareArgs {
    /// The first scenario (A): a file or a built-in name; with --store, the first run's id.
    pub a: String,
    /// The second scenario (B) [default: A changed by the what-ifs]; with --store, the second
    /// run's id.
    pub b: Option<String>,
    /// Read both scenarios as this format instead of guessing from their names.
    #[arg(long, value_name = "FORMAT", value_parser = INPUT_FORMATS)]
    pub from: Option<String>,
    /// Forecasting models compared, comma-separated [default: compromise, median, nash, bdm].
    #[arg(long, short, value_delimiter = ',')]
    pub model: Vec<String>,
    /// The run store (SQLite) holding the two runs A and B name by id: their stored scenarios,
    /// parameters and results are compared, and nothing is run again.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["from", "model", "set", "drop", "add_actor"])]
    pub store: Option<PathBuf>,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// What-ifs that make B (from A, or from the second scenario).
    #[command(flatten)]
    pub what_if: WhatIfArgs,
}

/// `statecraft show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The scenario.
    #[command(flatten)]
    pub input: ScenarioArg,
    /// Output format (json prints the scenario itself).
    #[arg(long, short, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// What-ifs: show the changed scenario.
    #[command(flatten)]
    pub what_if: WhatIfArgs,
}

/// `statecraft convert`.
#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// Input: scenario file or built-in name.
    pub input: String,
    /// Output file, or `-` for stdout.
    pub output: PathBuf,
    /// Read the input as this format instead of guessing from its name.
    #[arg(long, value_name = "FORMAT", value_parser = INPUT_FORMATS)]
    pub from: Option<String>,
    /// Write this format instead of guessing from the output's name.
    #[arg(long, value_name = "FORMAT", value_parser = ["toml", "json"])]
    pub to: Option<String>,
    /// Replace the output file if it exists.
    #[arg(long)]
    pub force: bool,
    /// What-ifs: write the changed scenario (a variant to keep and edit).
    #[command(flatten)]
    pub what_if: WhatIfArgs,
}

/// `statecraft power`.
#[derive(Debug, Args)]
pub struct PowerArgs {
    /// Scenario file or built-in name whose actors' capabilities, x 100 and rounded, are the
    /// weights [default: six-party-2009]. Not with --weights.
    pub scenario: Option<String>,
    /// Read the input as this format instead of guessing from its name.
    #[arg(long, value_name = "FORMAT", value_parser = INPUT_FORMATS)]
    pub from: Option<String>,
    /// The players' weights, comma-separated whole numbers (instead of a scenario).
    #[arg(
        long,
        value_name = "W,W,...",
        value_delimiter = ',',
        allow_hyphen_values = true,
        conflicts_with_all = ["set", "drop", "add_actor"]
    )]
    pub weights: Vec<String>,
    /// The weight a coalition needs to win, 1..=total (with --weights).
    #[arg(long, value_name = "Q", allow_hyphen_values = true)]
    pub quota: Option<String>,
    /// The players' names, comma-separated, in the order of --weights [default: p1, p2, ...].
    #[arg(long, value_name = "NAME,...", value_delimiter = ',')]
    pub names: Vec<String>,
    /// The decision rule instead of --quota: majority (more than half the weight), unanimity
    /// (all of it) or qualified=SHARE (at least that share, e.g. 0.65 or 65%) [default:
    /// majority with a scenario].
    #[arg(long, value_name = "RULE")]
    pub rule: Option<String>,
    /// Estimate by Monte Carlo even when the exact computation is feasible.
    #[arg(long)]
    pub monte_carlo: bool,
    /// Monte Carlo samples: orderings for Shapley-Shubik, coalitions for Banzhaf.
    #[arg(long, value_name = "N", default_value_t = 100_000)]
    pub samples: usize,
    /// Seed of the Monte Carlo streams (the same seed gives the same estimates on any machine).
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// What-ifs, applied to the scenario before its weights are read (e.g. `--drop Russia`).
    #[command(flatten)]
    pub what_if: WhatIfArgs,
}

/// `statecraft validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// A DEU table (tab-separated, a row per issue grouped by `prnr`) or an outcomes CSV
    /// (`scenario,issue,outcome`, scenario paths relative to the CSV).
    pub data: PathBuf,
    /// Capabilities: given (as read; DEU rows give every actor 1), equal, council (Council
    /// votes of the treaty period, Commission and Parliament by procedure), or shapley-shubik
    /// (the members' Shapley-Shubik shares of the qualified-majority game; docs/validation.md).
    #[arg(long, value_name = "SCHEME", default_value = "given", value_parser = ["given", "equal", "council", "shapley-shubik"])]
    pub capabilities: String,
    /// Seed of the bootstrap and of the cross-validation folds.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Bootstrap replicates (proposals resampled with replacement).
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub bootstrap: usize,
    /// Cross-validation folds, by proposal.
    #[arg(long, value_name = "K", default_value_t = 10)]
    pub folds: usize,
    /// Models to score, comma-separated: compromise, median, nash, bdm, smp [default: all].
    #[arg(long, short, value_delimiter = ',')]
    pub model: Vec<String>,
    /// Output format: json is the whole report; csv one row per figure.
    #[arg(long, short, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// A parameter file (`statecraft fit`): score its fixed parameters on DATA, not refitted.
    #[arg(long, value_name = "FILE")]
    pub params: Option<PathBuf>,
    /// Also write the accuracy report as an HTML page (tables and the error chart).
    #[arg(long, short, value_name = "FILE.html")]
    pub output: Option<PathBuf>,
    /// Replace the file of --output if it exists.
    #[arg(long)]
    pub force: bool,
}

/// `statecraft fit`.
#[derive(Debug, Args)]
pub struct FitArgs {
    /// A DEU table or an outcomes CSV, as for `validate`; every case is fitted on.
    pub data: PathBuf,
    /// Capabilities: given, equal, council or shapley-shubik (as for `validate`).
    #[arg(long, value_name = "SCHEME", default_value = "given", value_parser = ["given", "equal", "council", "shapley-shubik"])]
    pub capabilities: String,
    /// The parameter file to write (TOML).
    #[arg(long, short, value_name = "FILE")]
    pub output: PathBuf,
    /// Replace the output file if it exists.
    #[arg(long)]
    pub force: bool,
    /// What to print: table (a summary) or json (the parameters).
    #[arg(long, short, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
}

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Readable tables.
    Table,
    /// JSON (stable, documented in docs/output.md).
    Json,
    /// CSV, one row per value.
    Csv,
}
