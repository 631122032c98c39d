//! `statecraft serve`: checks the scenario the page opens with, binds the address, prints the
//! URL and runs the web server (statecraft-server) until Ctrl-C, which cancels its jobs.

use std::io::Write;
use std::time::Duration;

use statecraft_api::{Analysis, Context, Request, WhatIf};
use statecraft_server::{AppState, Config};

use crate::cli::ServeArgs;
use crate::print::diagnostics;
use crate::{requests, Failure};

pub(crate) fn serve(args: ServeArgs) -> Result<(), Failure> {
    let source = requests::source(args.scenario.as_deref(), args.from.as_deref())?;
    // A scenario that does not load is reported here, with its lines, not in the page.
    let check = Request {
        scenario: source.clone(),
        what_if: WhatIf::default(),
        analysis: Analysis::Check,
    };
    statecraft_api::run(&check, &Context::default()).map_err(diagnostics::api_error)?;
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        return Err(diagnostics::usage(
            &format!(
                "--timeout {} is not a positive number of seconds",
                args.timeout
            ),
            "e.g. --timeout 10",
        ));
    }
    if args.jobs == 0 {
        return Err(diagnostics::usage(
            "--jobs 0: no job could ever run",
            "e.g. --jobs 2",
        ));
    }
    let config = Config {
        initial: source,
        store: args.store.clone(),
        run_timeout: Duration::from_secs_f64(args.timeout),
        max_running_jobs: args.jobs,
        ..Config::default()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Failed(anyhow::anyhow!("cannot start the server's runtime: {e}")))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind((args.host.as_str(), args.port))
            .await
            .map_err(|e| {
                diagnostics::usage(
                    &format!("cannot listen on {}:{}: {e}", args.host, args.port),
                    "choose another --port (0 takes any free one), or another --host",
                )
            })?;
        let local = listener
            .local_addr()
            .map_err(|e| Failure::Failed(anyhow::anyhow!("cannot read the bound address: {e}")))?;
        let url = format!("http://{local}/");
        if !local.ip().is_loopback() {
            eprintln!(
                "warning: listening on {local}: other machines on the network can reach the app, which has no login"
            );
        }
        // Ctrl-C is caught from here on: before the URL is printed, so a client that stops the
        // server as soon as it has the URL stops it cleanly.
        let interrupt = interrupted()?;
        println!("statecraft serve: {url} (Ctrl-C stops it)");
        let _ = std::io::stdout().flush();
        if args.open {
            if let Err(e) = open::that(&url) {
                eprintln!("warning: cannot open a browser ({e}); open {url} yourself");
            }
        }
        let state = AppState::new(config);
        let stop = async {
            interrupt.await;
            eprintln!("statecraft serve: stopping; running jobs are cancelled");
        };
        statecraft_server::serve(listener, state, stop)
            .await
            .map_err(|e| Failure::Failed(anyhow::anyhow!("the server stopped: {e}")))
    })
}

/// A future that resolves on Ctrl-C (SIGINT), with the handler installed at once.
#[cfg(unix)]
fn interrupted() -> Result<impl std::future::Future<Output = ()>, Failure> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut sigint = signal(SignalKind::interrupt())
        .map_err(|e| Failure::Failed(anyhow::anyhow!("cannot catch Ctrl-C: {e}")))?;
    Ok(async move {
        sigint.recv().await;
    })
}

/// A future that resolves on Ctrl-C.
#[cfg(not(unix))]
fn interrupted() -> Result<impl std::future::Future<Output = ()>, Failure> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}
