//! The command line. Each subcommand prints its result alone on the last line of stdout.

use crate::config::Settings;
use crate::startup::{self, Application};
use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "dieuhanh",
    version,
    about = "Trung tâm chỉ đạo, điều hành Chính phủ — Government command and operations centre"
)]
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
    /// API tokens for machine clients (the national reporting system).
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Wall screens.
    Display {
        #[command(subcommand)]
        command: DisplayCommand,
    },
    /// The catalogue of indicators and the reporting regimes, as CSV files (docs/api.md,
    /// "Catalogue file"), changed while the server runs. Example: catalogue import indicators.csv
    Catalogue {
        #[command(subcommand)]
        command: CatalogueCommand,
    },
    /// Accounts of people.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Copy the database and the attachments into a new folder, consistently, while the server
    /// runs (SQLite: VACUUM INTO; PostgreSQL: pg_dump). Example: backup --to /srv/backup/2026-11-23
    Backup {
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Restore a backup into an empty database (DATABASE_URL: a SQLite file that does not exist
    /// yet, or a PostgreSQL database without tables) and the attachments folder; the server
    /// must be stopped. Example: restore --from /srv/backup/2026-11-23
    Restore {
        #[arg(long)]
        from: std::path::PathBuf,
    },
    /// Write the monthly brief for the Government's regular meeting as a PDF, from the values
    /// at the current seq (the server may be running); prints the file's path on its last line.
    /// Example: brief --month 2026-11 --out bao-cao-2026-11.pdf
    Brief {
        /// The month reviewed: 2026-11.
        #[arg(long)]
        month: String,
        #[arg(long)]
        out: std::path::PathBuf,
        /// vi (default) or en.
        #[arg(long, default_value = "vi")]
        lang: String,
        /// The meeting it is for (default: the regular meeting held in the month after).
        #[arg(long)]
        meeting: Option<i64>,
        /// The values as they stood at this seq (default: now): a brief composed again.
        #[arg(long)]
        seq: Option<i64>,
        /// A one-page annex per field: codes separated by commas (`macro,finance`), or `all`.
        #[arg(long, default_value = "")]
        annex: String,
    },
    /// Write a Brotli and a gzip copy beside each of the built site's files, served in their
    /// place to browsers that accept them (the build runs it). Example: precompress target/site/pkg
    Precompress { dir: std::path::PathBuf },
}

#[derive(Subcommand, Debug)]
pub enum CatalogueCommand {
    /// Create or change the indicators, the regimes (a header with `kinds`), the units (a
    /// header with `parent`: a reorganisation, with the day former units end and who takes
    /// them over) or the targets and plans (a header with `indicator`, `unit`, `period`) a
    /// CSV file lists (`-`: read standard input). The whole file is checked first:
    /// any problem is printed by line, and nothing changes.
    Import { file: std::path::PathBuf },
    /// Print every indicator (or every regime: `export regimes`; every unit: `export units`;
    /// every target and plan point: `export targets`), retired and ended ones too, as the CSV
    /// file `import` reads.
    Export {
        #[arg(value_enum, default_value = "indicators")]
        what: ExportKind,
    },
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportKind {
    Indicators,
    Regimes,
    Units,
    Targets,
}

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Issue a token that may write for the given units; prints the token (shown once) on the
    /// last line. Example: token create --unit 01 --name "Hà Nội reporting system"
    Create {
        #[arg(long = "unit", required = true)]
        units: Vec<String>,
        #[arg(long)]
        name: String,
        /// Days until it expires (default: never).
        #[arg(long)]
        expires_days: Option<u32>,
        /// It may also set its units' targets and plans (`POST /api/v1/targets`): for the
        /// system that holds the Government's targets, not a unit's reporting system.
        #[arg(long)]
        targets: bool,
    },
    /// List tokens (never the tokens themselves).
    List,
    /// Revoke a token by its id.
    Revoke {
        #[arg(long)]
        id: i64,
    },
}

#[derive(Subcommand, Debug)]
pub enum DisplayCommand {
    /// Create a wall screen; prints its address with its display token (open it once on the
    /// screen; the token is then kept in the screen's browser). Example: display create --name "Phòng họp 1"
    Create {
        #[arg(long)]
        name: String,
        #[command(flatten)]
        layout: LayoutArgs,
    },
    /// Change a screen's layout; the screen follows at once. Example: display set --id 1 --pages map --map EXPORT_VALUE
    Set {
        #[arg(long)]
        id: i64,
        #[command(flatten)]
        layout: LayoutArgs,
    },
}

/// A screen's layout; what is not given keeps its current (or default) value.
#[derive(clap::Args, Debug)]
pub struct LayoutArgs {
    /// Pages in turn, comma-separated: headlines, map, tasks
    #[arg(long)]
    pages: Option<String>,
    /// Headline indicators, comma-separated codes (1 to 12)
    #[arg(long)]
    indicators: Option<String>,
    /// Indicator colouring the province map
    #[arg(long = "map")]
    map_indicator: Option<String>,
    /// Seconds per page (0: no rotation, or 5 to 3600)
    #[arg(long = "rotate")]
    rotate_seconds: Option<u32>,
}

impl LayoutArgs {
    fn is_empty(&self) -> bool {
        self.pages.is_none()
            && self.indicators.is_none()
            && self.map_indicator.is_none()
            && self.rotate_seconds.is_none()
    }

    /// The form text for [`app::account::auth::set_display_layout`], filling gaps from `current`.
    fn form(&self, current: &app::model::display::DisplayConfig) -> [String; 4] {
        [
            self.pages.clone().unwrap_or_else(|| {
                current
                    .pages
                    .iter()
                    .map(|p| p.as_str())
                    .collect::<Vec<_>>()
                    .join(",")
            }),
            self.indicators
                .clone()
                .unwrap_or_else(|| current.indicators.join(",")),
            self.map_indicator
                .clone()
                .unwrap_or_else(|| current.map_indicator.clone()),
            self.rotate_seconds
                .unwrap_or(current.rotate_seconds)
                .to_string(),
        ]
    }
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create an account; prints its generated password on the last line (or reads one from
    /// stdin with --password-stdin). Example: user create --username admin --name "Quản trị" --role admin
    Create {
        #[arg(long)]
        username: String,
        #[arg(long)]
        name: String,
        /// A role, repeatable: admin, leader, secretariat, officer:<unit>, approver:<unit>
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        #[arg(long)]
        password_stdin: bool,
    },
}

/// "officer:01" → officer of unit 01; unit-scoped roles need a unit, others refuse one.
/// "officer:01" → officer of unit 01.
fn parse_role(text: &str) -> Result<app::model::auth::RoleGrant, String> {
    let (role, unit) = match text.split_once(':') {
        Some((r, u)) => (r, Some(u)),
        None => (text, None),
    };
    app::account::auth::role_grant(role, unit)
}

/// What a command failed on, with its causes: `main` prints the message and each cause it does
/// not already say, then exits non-zero.
/// Who a command's writes are audited as.
fn command_line() -> app::store::AuditEntry {
    app::store::AuditEntry {
        actor: "command line".into(),
        actor_kind: "system".into(),
        ..Default::default()
    }
}

pub type CliError = Box<dyn std::error::Error + Send + Sync>;

/// Runs the command.
pub async fn run(cli: Cli) -> Result<(), CliError> {
    if let Some(Command::Precompress { dir }) = &cli.command {
        let done = crate::http::site_files::precompress(dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?;
        println!(
            "ok: {} files, {} bytes; brotli {} bytes, gzip {} bytes",
            done.files, done.raw_bytes, done.brotli_bytes, done.gzip_bytes
        );
        return Ok(());
    }
    let settings = Settings::from_env()?;
    crate::telemetry::init(settings.log_json);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            tracing::info!(database = %settings.database.describe(), demo = settings.demo, "starting");
            let site = crate::http::client::Site::from_settings(&settings);
            let app = Application::build(settings).await?;
            // Before the address is printed: whoever reads it may signal at once.
            let shutdown = startup::shutdown_signal();
            tracing::info!("listening on http://{}", app.address());
            println!("dieuhanh: http://{}", app.address());
            if let Some(public) = &site.public_url {
                println!("dieuhanh: {} (DIEUHANH_PUBLIC_URL)", public.origin());
            }
            // On the terminal, not in the logs (it carries the screen's token).
            if let Some(path) = app.demo_wall() {
                println!(
                    "dieuhanh: màn hình tường demo (demo wall screen): {}",
                    site.link(&app.address().to_string(), path)
                );
            }
            Ok(app.run_until(shutdown).await?)
        }
        Command::Backup { to } => {
            let url = std::env::var("DATABASE_URL").unwrap_or_default();
            let m = crate::backup::backup(&settings.database, &url, &settings.attachments_dir, &to)
                .await?;
            println!(
                "ok: {} values (seq {}), {} attachments -> {}",
                m.values,
                m.seq,
                m.attachments,
                to.display()
            );
            Ok(())
        }
        Command::Brief {
            month,
            out,
            lang,
            meeting,
            seq,
            annex,
        } => {
            let lang = app::model::i18n::Lang::parse(lang.trim())
                .ok_or_else(|| format!("--lang: “{lang}” không phải vi hoặc en (not vi or en)"))?;
            let annex =
                app::brief::model::parse_annex(&annex).map_err(|e| format!("--annex: {e}"))?;
            let store =
                crate::store::open_as(&settings.database, crate::store::Opener::Command).await?;
            let result = async {
                crate::catalogue::ensure_seeded(store.as_ref()).await?;
                let live = app::catalogue::LiveCatalogue::load(store.as_ref()).await?;
                let request = app::brief::compose::BriefRequest {
                    month,
                    meeting,
                    seq,
                    annex,
                };
                Ok::<_, CliError>(
                    crate::brief::pdf_of(
                        store.as_ref(),
                        &live.now(),
                        &request,
                        lang,
                        settings.clock.now(),
                    )
                    .await?,
                )
            }
            .await;
            store.close().await;
            let (brief, bytes) = result?;
            // Written beside its place, then moved there: a reader never sees half a file.
            let partial = out.with_extension("pdf.part");
            std::fs::write(&partial, &bytes)
                .and_then(|()| std::fs::rename(&partial, &out))
                .map_err(|e| format!("{}: {e}", out.display()))?;
            let path = std::fs::canonicalize(&out).unwrap_or(out);
            println!(
                "ok: {} {}, seq {}, {} bytes",
                brief.month,
                if brief.figures.is_empty() {
                    "(chưa có số liệu, no figures yet)".to_string()
                } else {
                    format!("{} indicators", brief.figures.len())
                },
                brief.seq,
                bytes.len()
            );
            println!("{}", path.display());
            Ok(())
        }
        Command::Restore { from } => {
            let url = std::env::var("DATABASE_URL").unwrap_or_default();
            let m =
                crate::backup::restore(&settings.database, &url, &settings.attachments_dir, &from)
                    .await?;
            println!(
                "ok: {} values (seq {}), {} attachments <- {} (made {})",
                m.values,
                m.seq,
                m.attachments,
                from.display(),
                m.made_at
            );
            Ok(())
        }
        // Done above, before any setting is read: the build runs it with none.
        Command::Precompress { .. } => Ok(()),
        Command::Migrate => {
            let store = startup::prepare_store(&settings).await?;
            let n = store.count_observations().await?;
            store.close().await;
            println!("ok: {} ({n} values)", settings.database.describe());
            Ok(())
        }
        Command::Display { command } => {
            let store =
                crate::store::open_as(&settings.database, crate::store::Opener::Command).await?;
            let by = command_line();
            let result = async {
                crate::catalogue::ensure_seeded(store.as_ref()).await?;
                let set = |id: i64, layout: LayoutArgs| {
                    let (store, by) = (store.clone(), by.clone());
                    async move {
                        let current = store
                            .display(id)
                            .await?
                            .ok_or(app::account::auth::IssueError::NotFound)?;
                        let form = layout.form(&current.config);
                        app::account::auth::set_display_layout(
                            store.as_ref(),
                            id,
                            [&form[0], &form[1], &form[2], &form[3]],
                            &by,
                        )
                        .await
                    }
                };
                match command {
                    DisplayCommand::Create { name, layout } => {
                        let (id, token) =
                            app::account::auth::create_display(store.as_ref(), &name, &by).await?;
                        if !layout.is_empty() {
                            set(id, layout).await?;
                        }
                        let site = crate::http::client::Site::from_settings(&settings);
                        Ok::<_, CliError>(site.link(
                            &settings.listen.to_string(),
                            &format!("/wall/{id}?token={token}"),
                        ))
                    }
                    DisplayCommand::Set { id, layout } => {
                        let config = set(id, layout).await?;
                        Ok(format!(
                            "ok: display {id}: {}",
                            serde_json::to_string(&config).unwrap_or_default()
                        ))
                    }
                }
            }
            .await;
            store.close().await;
            println!("{}", result?);
            Ok(())
        }
        Command::Catalogue { command } => {
            let bytes = match &command {
                CatalogueCommand::Import { file } if file.as_os_str() == "-" => {
                    let mut b = Vec::new();
                    std::io::Read::read_to_end(&mut std::io::stdin(), &mut b)?;
                    Some(b)
                }
                CatalogueCommand::Import { file } => {
                    Some(std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?)
                }
                CatalogueCommand::Export { .. } => None,
            };
            let store =
                crate::store::open_as(&settings.database, crate::store::Opener::Command).await?;
            let result = async {
                crate::catalogue::ensure_seeded(store.as_ref()).await?;
                match bytes {
                    None => Ok::<_, CliError>(match command {
                        CatalogueCommand::Export {
                            what: ExportKind::Regimes,
                        } => app::catalogue::regime_file::write(&store.regimes().await?),
                        CatalogueCommand::Export {
                            what: ExportKind::Units,
                        } => app::catalogue::unit_file::write(
                            &app::catalogue::unit_file::UnitRecord::all(
                                &store.units().await?,
                                &store.successions().await?,
                            ),
                        ),
                        CatalogueCommand::Export {
                            what: ExportKind::Targets,
                        } => app::catalogue::target_file::write(
                            &app::model::target::TargetBook::new(store.targets().await?),
                        ),
                        _ => app::catalogue::file::write(&store.indicators().await?),
                    }),
                    Some(bytes) => {
                        let live = app::catalogue::LiveCatalogue::load(store.as_ref()).await?;
                        let outcome = app::catalogue::write::import(
                            store.as_ref(),
                            &live,
                            &bytes,
                            &command_line(),
                            settings.clock.today(),
                        )
                        .await?;
                        match &outcome {
                            app::catalogue::write::Outcome::Refused(problems) => {
                                for p in problems {
                                    eprintln!("{p}");
                                }
                                Err(outcome.summary().into())
                            }
                            _ => Ok(outcome.summary()),
                        }
                    }
                }
            }
            .await;
            store.close().await;
            let text = result?;
            print!("{text}");
            if !text.ends_with('\n') {
                println!();
            }
            Ok(())
        }
        Command::Token { command } => {
            let store =
                crate::store::open_as(&settings.database, crate::store::Opener::Command).await?;
            let result = async {
                crate::catalogue::ensure_seeded(store.as_ref()).await?;
                let by = command_line();
                match command {
                    TokenCommand::Create {
                        units,
                        name,
                        expires_days,
                        targets,
                    } => {
                        let (_, token) = app::account::auth::issue_token(
                            store.as_ref(),
                            &name,
                            &units,
                            (expires_days, targets),
                            &by,
                        )
                        .await?;
                        println!("{token}");
                    }
                    TokenCommand::List => {
                        for t in store.tokens().await? {
                            let state = if t.revoked_at.is_some() {
                                "revoked"
                            } else {
                                "live"
                            };
                            let last = t
                                .last_used_at
                                .map(|d| d.to_rfc3339())
                                .unwrap_or_else(|| "never".into());
                            let kind = match (t.kind.as_str(), t.sets_targets) {
                                ("api", true) => "api+targets",
                                (kind, _) => kind,
                            };
                            println!(
                                "{}\t{kind}\t{}\t{}\t{}\tlast used {last}",
                                t.id,
                                state,
                                t.units.join(","),
                                t.name
                            );
                        }
                    }
                    TokenCommand::Revoke { id } => {
                        let audit = app::store::AuditEntry {
                            action: "token_revoke".into(),
                            target: Some(id.to_string()),
                            ..by
                        };
                        if !store.revoke_token(id, &audit).await? {
                            return Err(format!(
                                "không có token đang dùng với id {id} (no live token {id})"
                            )
                            .into());
                        }
                        println!("revoked {id}");
                    }
                }
                Ok::<(), CliError>(())
            }
            .await;
            store.close().await;
            result
        }
        Command::User {
            command:
                UserCommand::Create {
                    username,
                    name,
                    roles,
                    password_stdin,
                },
        } => {
            let username = username.trim().to_string();
            let roles = roles
                .iter()
                .map(|r| parse_role(r))
                .collect::<Result<Vec<_>, _>>()?;
            let password = if password_stdin {
                let mut line = String::new();
                std::io::stdin().read_line(&mut line)?;
                line.trim_end_matches(['\r', '\n']).to_string()
            } else {
                app::account::auth::new_token()[..20].to_string()
            };
            let store =
                crate::store::open_as(&settings.database, crate::store::Opener::Command).await?;
            let audit = app::store::AuditEntry::system("user_create", &username);
            let created = async {
                crate::catalogue::ensure_seeded(store.as_ref()).await?;
                app::account::auth::create_account(
                    store.as_ref(),
                    &username,
                    &name,
                    roles,
                    &password,
                    &audit,
                )
                .await
            }
            .await;
            store.close().await;
            created?;
            if password_stdin {
                println!("{username}");
            } else {
                println!("{password}");
            }
            Ok(())
        }
    }
}
