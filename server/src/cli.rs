//! The command line. Each subcommand prints its result alone on the last line of stdout.

use crate::config::Settings;
use crate::startup::{self, Application};
use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(name = "dieuhanh", version, about = "Trung tâm chỉ đạo, điều hành Chính phủ — Government command and operations centre")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the centre on DIEUHANH_LISTEN (the default command).
    Serve,
    /// Create or upgrade the database schema and seed the catalogue (and the demo when
    /// DIEUHANH_DEMO=1), then exit.
    Migrate,
}

/// Runs the command; the error is what to print before exiting non-zero.
pub async fn run(cli: Cli) -> Result<(), String> {
    let settings = Settings::from_env().map_err(|e| e.to_string())?;
    crate::telemetry::init(settings.log_json);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            tracing::info!(database = %settings.database.describe(), demo = settings.demo, "starting");
            let app = Application::build(settings).await.map_err(|e| e.to_string())?;
            tracing::info!("listening on http://{}", app.address());
            println!("dieuhanh: http://{}", app.address());
            app.run_until(startup::shutdown_signal()).await.map_err(|e| e.to_string())
        }
        Command::Migrate => {
            let store = startup::prepare_store(&settings).await.map_err(|e| e.to_string())?;
            let n = store.count_observations().await.map_err(|e| e.to_string())?;
            store.close().await;
            println!("ok: {} ({n} values)", settings.database.describe());
            Ok(())
        }
    }
}
