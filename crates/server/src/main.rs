//! `lantern-server serve` runs the server; `lantern-server admin ...` holds admin commands.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use lantern_server::admin::{self, AdminCommand};
use lantern_server::backup;
use lantern_server::clock::SystemClock;
use lantern_server::config::{self, Config};
use lantern_server::mail::{self, Mailer};
use lantern_server::{
    AppState, analytics, clean_up, db, kb, logging, metrics, policy_file, router, seed, tickets,
};

/// Searching allocates many small, short-lived values on every request; mimalloc serves them
/// about a fifth faster than the system allocator (BENCHMARKS.md, full-text search under load).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(
    name = "lantern-server",
    version,
    about = "Lantern's support portal server"
)]
struct Cli {
    /// A TOML configuration file (keys as in `LANTERN_*`, lower-case without the prefix).
    #[arg(long, global = true, env = config::CONFIG_FILE_ENV)]
    config: Option<PathBuf>,
    /// Address to listen on [env: LANTERN_ADDR, default 127.0.0.1:8080].
    #[arg(long, global = true)]
    addr: Option<String>,
    /// Database URL, sqlite://FILE or postgres://... [env: LANTERN_DATABASE_URL, default sqlite://data/lantern.db].
    #[arg(long, global = true)]
    database_url: Option<String>,
    /// Folder of the built app [env: LANTERN_DIST, default dist].
    #[arg(long, global = true)]
    dist: Option<String>,
    /// Support policy file [env: LANTERN_POLICY, default policies/default.toml].
    #[arg(long, global = true)]
    policy: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the server.
    Serve,
    /// Administer organisations, accounts and tokens.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

impl Cli {
    /// Command-line flags win over the environment, which wins over the file.
    fn config(&self) -> Result<Config, config::ConfigError> {
        let flags = [
            (config::ADDR.env, &self.addr),
            (config::DATABASE_URL.env, &self.database_url),
            (config::DIST.env, &self.dist),
            (config::POLICY.env, &self.policy),
        ];
        Config::load(self.config.as_deref(), |name| {
            flags
                .iter()
                .find(|(key, value)| *key == name && value.is_some())
                .and_then(|(_, value)| (*value).clone())
                .or_else(|| std::env::var(name).ok())
        })
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match cli.config() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("lantern-server: {error}");
            return ExitCode::from(2);
        }
    };
    init_tracing(&config);
    let result = match cli.command {
        Command::Serve => serve(config).await,
        Command::Admin { command } => run_admin(config, command).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("lantern-server: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing(config: &Config) {
    let stderr_is_terminal = std::io::stderr().is_terminal();
    let subscriber = logging::subscriber(config, std::io::stderr, stderr_is_terminal);
    if let Err(error) = tracing::subscriber::set_global_default(subscriber) {
        eprintln!("lantern-server: cannot set up the log: {error}");
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let mailer = Mailer::from_config(config.smtp_url.as_deref(), &config.mail_from)?;
    let state = AppState::build(config, Arc::new(SystemClock)).await?;
    for warning in
        policy_file::holiday_lists_running_out(&state.policy, state.clock.now().date_naive())
    {
        tracing::warn!("{warning}");
    }
    if state.config.demo
        && seed::seed_demo(&state)
            .await
            .map_err(|e| anyhow::anyhow!("cannot seed demo data: {e}"))?
    {
        println!(
            "Demo data seeded. Sign in as alice@northwind.example with password {}",
            seed::DEMO_PASSWORD
        );
    }
    if state.config.import_kb_at_start {
        kb::import::import_at_start(&state.database, &state.writes, &state.config.content).await;
    } else {
        tracing::info!(
            "knowledge base not imported at start (LANTERN_IMPORT_KB_AT_START=false); \
             `lantern-server admin import-kb` imports it"
        );
    }
    state
        .search
        .refresh(&state.database)
        .await
        .context("cannot build the search index of the knowledge base")?;
    let now = state.clock.now();
    db::sessions::delete_expired(
        &state.database,
        db::seconds(now - state.config.session_idle),
        db::seconds(now - state.config.session_max),
    )
    .await?;
    mail::spawn_delivery(state.clone(), mailer);
    tickets::lifecycle::spawn_auto_close(state.clone());
    clean_up::spawn(state.clone());
    analytics::spawn_writer(
        state.analytics.clone(),
        state.database.clone(),
        state.writes.clone(),
        state.clock.clone(),
    );
    analytics::spawn_purge(
        state.database.clone(),
        state.writes.clone(),
        state.clock.clone(),
        state.config.analytics_retention_days,
    );
    kb::engine::spawn_refresh(state.search.clone(), state.database.clone());

    if let Some(addr) = state.config.metrics_addr {
        serve_metrics(&state, addr).await?;
    }
    let listener = tokio::net::TcpListener::bind(state.config.addr)
        .await
        .with_context(|| format!("cannot listen on {} (LANTERN_ADDR)", state.config.addr))?;
    let addr = listener.local_addr()?;
    println!("Lantern is running at http://{addr}");
    lantern_server::serve::serve(
        listener,
        router(state.clone()),
        state.config.connections,
        shutdown_signal(),
    )
    .await;
    // The last second of recorded searches would otherwise be lost with the queue.
    if let Err(error) = analytics::flush(&state.analytics, &state.database, &state.writes).await {
        tracing::error!(error = %error, "search analytics: cannot write the last recorded events");
    }
    println!("Lantern stopped.");
    Ok(())
}

/// Installs the metrics recorder and serves `/metrics` on `addr` in the background.
async fn serve_metrics(state: &AppState, addr: std::net::SocketAddr) -> anyhow::Result<()> {
    let handle = metrics::install()?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr} (LANTERN_METRICS_ADDR)"))?;
    println!("Metrics at http://{}/metrics", listener.local_addr()?);
    let app = metrics::router(state.clone(), handle);
    tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, app).await {
            tracing::error!(%error, "the metrics listener stopped");
        }
    });
    Ok(())
}

async fn run_admin(config: Config, command: AdminCommand) -> anyhow::Result<()> {
    match &command {
        // A restore writes the database that building the state would open and migrate.
        AdminCommand::Restore { from } => {
            println!("{}", backup::restore(&config, from).await?);
            return Ok(());
        }
        // Writes Markdown files only: no database is opened, nor created where there is none.
        AdminCommand::GenerateKb { count, out, seed } => {
            println!(
                "{}",
                lantern_server::kb::generate::generate_command(*count, out, *seed)?
            );
            return Ok(());
        }
        _ => {}
    }
    let state = AppState::build(config, Arc::new(SystemClock)).await?;
    println!("{}", admin::run(&state, command).await?);
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM, letting requests in flight finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
