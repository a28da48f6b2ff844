//! Typed settings, read once from the environment at start. A bad value stops the program with
//! a message naming the variable, before anything is opened or created.

use chrono::NaiveDate;
use sqlx::postgres::PgConnectOptions;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::str::FromStr;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/dieuhanh.db";
pub const DEFAULT_LISTEN: &str = "127.0.0.1:3000";

// Made once at start and passed by reference: the size of the PostgreSQL options costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(PgConnectOptions),
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ConfigError {
    #[error(
        "DATABASE_URL không hợp lệ (invalid DATABASE_URL) “{shown}”: {reason}. \
         Dùng sqlite://data/dieuhanh.db hoặc postgres://user@host:5432/dieuhanh"
    )]
    DatabaseUrl { shown: String, reason: String },
    #[error("{name} không hợp lệ (invalid {name}) “{value}”: {reason}")]
    Invalid {
        name: &'static str,
        value: String,
        reason: String,
    },
}

impl DatabaseUrl {
    pub fn parse(text: &str) -> Result<DatabaseUrl, ConfigError> {
        let err = |reason: &str| ConfigError::DatabaseUrl {
            shown: redact(text),
            reason: reason.to_string(),
        };
        if let Some(rest) = text
            .strip_prefix("sqlite://")
            .or_else(|| text.strip_prefix("sqlite:"))
        {
            let path = rest.split('?').next().unwrap_or_default();
            if path.is_empty() {
                return Err(err("thiếu đường dẫn tệp (no file path)"));
            }
            if path == ":memory:" {
                return Err(err(
                    "cơ sở dữ liệu trong bộ nhớ không được hỗ trợ (in-memory databases are not supported)",
                ));
            }
            Ok(DatabaseUrl::Sqlite(PathBuf::from(path)))
        } else if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            let opts = PgConnectOptions::from_str(text).map_err(|e| err(&e.to_string()))?;
            // The CA file is read only when connecting; a wrong path is named now, before
            // anything is created.
            let query = url::Url::parse(text).ok();
            let root_cert = query.as_ref().and_then(|u| {
                u.query_pairs()
                    .find(|(k, _)| matches!(k.as_ref(), "sslrootcert" | "ssl-root-cert" | "ssl-ca"))
                    .map(|(_, v)| v.into_owned())
            });
            if let Some(path) = root_cert
                && !path.starts_with("-----BEGIN")
                && !Path::new(&path).is_file()
            {
                return Err(err(&format!(
                    "sslrootcert “{path}” không tồn tại hoặc không phải tệp (does not exist or is not a file)"
                )));
            }
            Ok(DatabaseUrl::Postgres(opts))
        } else if text.trim().is_empty() {
            Err(err("trống (empty)"))
        } else {
            Err(err(
                "phải bắt đầu bằng sqlite:// hoặc postgres:// (must start with sqlite:// or postgres://)",
            ))
        }
    }

    pub fn is_sqlite(&self) -> bool {
        matches!(self, DatabaseUrl::Sqlite(_))
    }

    /// Where the data lives, without any password, for logs and messages.
    /// `sqlite` or `postgres`.
    pub fn kind(&self) -> &'static str {
        match self {
            DatabaseUrl::Sqlite(_) => "sqlite",
            DatabaseUrl::Postgres(_) => "postgres",
        }
    }

    pub fn describe(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(p) => format!("sqlite://{}", p.display()),
            DatabaseUrl::Postgres(o) => {
                format!(
                    "postgres://{}:{}/{}",
                    o.get_host(),
                    o.get_port(),
                    o.get_database().unwrap_or("")
                )
            }
        }
    }
}

/// Where the site is when `LEPTOS_SITE_ROOT` is not set: `site/` beside the `bin/` folder of
/// the binary in the release archive (scripts/package), else `target/site` of a checkout.
fn installed_site_root() -> String {
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.join("site")))
        .filter(|site| site.join("BUILD").is_file())
        .map(|site| site.display().to_string())
        .unwrap_or_else(|| "target/site".into())
}

/// A URL with its password replaced, so it can be printed.
fn redact(text: &str) -> String {
    match url::Url::parse(text) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => text.to_string(),
    }
}

/// The address people use to reach the centre (`DIEUHANH_PUBLIC_URL`), for example
/// `https://dieuhanh.chinhphu.vn` behind the Government's HTTPS proxy: an origin (scheme, host,
/// port), with no path.
#[derive(Clone, Debug, PartialEq)]
pub struct PublicUrl {
    origin: String,
    https: bool,
}

impl PublicUrl {
    pub fn parse(text: &str) -> Result<PublicUrl, String> {
        let url = url::Url::parse(text.trim()).map_err(|e| {
            format!(
                "không phải địa chỉ tuyệt đối (not an absolute address): {e}; ví dụ https://dieuhanh.chinhphu.vn"
            )
        })?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(
                "dùng http:// hoặc https:// và tên máy (use http:// or https:// and a host)".into(),
            );
        }
        if url.path() != "/"
            || url.query().is_some()
            || url.fragment().is_some()
            || !url.username().is_empty()
        {
            return Err("chỉ gồm giao thức, tên máy và cổng, không có đường dẫn (scheme, host and port only, no path)".into());
        }
        Ok(PublicUrl {
            origin: url.origin().ascii_serialization(),
            https: url.scheme() == "https",
        })
    }

    /// `https://host[:port]`, as browsers send it in `Origin`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    pub fn is_https(&self) -> bool {
        self.https
    }

    /// The full address of a path on this site (`/wall/3?token=…`).
    pub fn join(&self, path: &str) -> String {
        format!("{}{path}", self.origin)
    }
}

/// Peers whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed
/// (`DIEUHANH_TRUSTED_PROXIES`: addresses or CIDR ranges, separated by commas or spaces).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TrustedProxies(Vec<ipnet::IpNet>);

impl TrustedProxies {
    pub fn parse(text: &str) -> Result<TrustedProxies, String> {
        text.split([',', ' ', '\t', '\n'])
            .filter(|s| !s.is_empty())
            .map(|item| {
                item.parse::<ipnet::IpNet>()
                    .or_else(|_| item.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                    .map(|net| net.trunc())
                    .map_err(|_| {
                        let shown: String = item.chars().take(60).collect();
                        format!(
                            "“{shown}” không phải địa chỉ IP hay dải CIDR (not an IP address or CIDR range, e.g. 10.0.0.5 or 10.0.0.0/24)"
                        )
                    })
            })
            .collect::<Result<_, _>>()
            .map(TrustedProxies)
    }

    pub fn contains(&self, ip: std::net::IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|net| net.contains(&ip))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[derive(Clone, Debug)]
pub struct DemoSettings {
    pub seed: u64,
    /// History ends with the last complete period before this day (Vietnam time); default today.
    pub as_of: Option<NaiveDate>,
    pub years: u32,
    /// With the reporting history that agrees with the values (DIEUHANH_DEMO_REPORTS).
    pub reports: bool,
    /// The built-in catalogue, or 200 indicators and ten million values (DIEUHANH_DEMO_SCALE).
    pub scale: crate::demo_scale::DemoScale,
}

#[derive(Clone, Debug)]
pub struct Settings {
    pub listen: SocketAddr,
    pub database: DatabaseUrl,
    /// Seed the demo country when the database holds no values.
    pub demo: bool,
    pub demo_settings: DemoSettings,
    pub simulator: bool,
    /// Time between two simulator batches (the simulator runs only in demo mode).
    pub simulator_interval: std::time::Duration,
    /// The live stream's heartbeat and limits.
    pub live: LiveSettings,
    /// Password of the demo accounts; a new one is generated and printed at each start when unset.
    pub demo_password: Option<String>,
    /// Where the built site (wasm, JS, CSS, public files) is served from.
    pub site_root: String,
    pub output_name: String,
    pub log_json: bool,
    /// Where attachments' bytes are kept (`DIEUHANH_ATTACHMENTS_DIR`; by default the folder
    /// `attachments` beside the SQLite file, or `./data/attachments`). Instances sharing one
    /// PostgreSQL must share this folder too.
    pub attachments_dir: PathBuf,
    pub http: HttpLimits,
    /// The address people use, when it is not the one the server listens on (behind a proxy).
    pub public_url: Option<PublicUrl>,
    pub trusted_proxies: TrustedProxies,
    /// The day every date rule is judged on: the system clock, set to another day only by
    /// tests (no setting reads it, so production always runs on the real date).
    pub clock: app::clock::Clock,
    pub notify: NotifySettings,
}

/// What the centre tells people, how often it looks, and the mail server it sends through.
#[derive(Clone, Debug)]
pub struct NotifySettings {
    /// How often what is due is decided and the outbox sent (`DIEUHANH_NOTIFY_INTERVAL_SECS`,
    /// default 300).
    pub interval: std::time::Duration,
    /// Working days after a missed deadline before the approvers are told, as many again for
    /// the secretariat (`DIEUHANH_ESCALATE_AFTER_DAYS`, default 2).
    pub escalate_after: u32,
    /// None: the inbox only (`DIEUHANH_SMTP_URL` unset).
    pub smtp: Option<SmtpSettings>,
    /// The wait after a first failed try, doubling after each (`DIEUHANH_MAIL_RETRY_SECS`,
    /// default 60).
    pub retry_first: std::time::Duration,
    /// The hour, in Viet Nam, of the daily digest of those who chose it
    /// (`DIEUHANH_DIGEST_HOUR`, 0–23, default 7).
    pub digest_hour: u32,
    /// Working days before each regular meeting its brief's draft is composed and announced
    /// to the secretariat (`DIEUHANH_BRIEF_DAYS_BEFORE`, 0–20, default 3; 0: never).
    pub brief_days_before: u32,
}

/// The mail server (`DIEUHANH_SMTP_URL`: `smtps://user:pass@host:465`,
/// `smtp://user:pass@host:587?tls=required`, or `smtp://host:25` unencrypted), the authority
/// its certificate is checked against when it is not a public one (`DIEUHANH_SMTP_CA_FILE`: a
/// ministry's own mail server), and the sender (`DIEUHANH_SMTP_FROM`).
#[derive(Clone)]
pub struct SmtpSettings {
    /// As given (shown redacted).
    pub url: String,
    /// The transport the URL and the authority make, built once here.
    pub transport: lettre::AsyncSmtpTransport<lettre::Tokio1Executor>,
    pub from: lettre::message::Mailbox,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("url", &redact(&self.url))
            .field("from", &self.from.to_string())
            .finish()
    }
}

/// How long one exchange with the mail server may take.
const SMTP_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

impl SmtpSettings {
    /// Reads the URL, the authority's file (a PEM certificate) and the sender, as the mailer
    /// will use them; each problem names its setting.
    pub fn parse(
        url: &str,
        from: Option<&str>,
        ca_file: Option<&str>,
    ) -> Result<SmtpSettings, ConfigError> {
        use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
        use lettre::{AsyncSmtpTransport, Tokio1Executor};
        let url = url.trim();
        let bad_url = |e: String| ConfigError::Invalid {
            name: "DIEUHANH_SMTP_URL",
            value: redact(url).chars().take(200).collect(),
            reason: format!(
                "không đọc được ({e}); ví dụ smtps://ten:matkhau@mail.chinhphu.vn:465 \
                 (unreadable; for example smtps://user:pass@mail.example:465)"
            ),
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| bad_url(e.to_string()))?;
        if let Some(path) = ca_file.map(str::trim).filter(|p| !p.is_empty()) {
            let bad = |reason: String| ConfigError::Invalid {
                name: "DIEUHANH_SMTP_CA_FILE",
                value: path.chars().take(200).collect(),
                reason,
            };
            let pem = std::fs::read(path)
                .map_err(|e| bad(format!("không đọc được tệp (cannot read the file): {e}")))?;
            let cert = Certificate::from_pem(&pem)
                .ok()
                .filter(|_| pem.windows(27).any(|w| w == b"-----BEGIN CERTIFICATE-----"))
                .ok_or_else(|| {
                    bad(
                        "không có chứng thư PEM nào trong tệp (no PEM certificate in the file)"
                            .into(),
                    )
                })?;
            let parsed = url::Url::parse(url).map_err(|e| bad_url(e.to_string()))?;
            let params = TlsParameters::builder(parsed.host_str().unwrap_or_default().to_string())
                .add_root_certificate(cert)
                .build()
                .map_err(|e| bad(e.to_string()))?;
            let mode = parsed
                .query_pairs()
                .find(|(k, _)| k == "tls")
                .map(|(_, v)| v.into_owned());
            builder = builder.tls(match (parsed.scheme(), mode.as_deref()) {
                ("smtps", _) => Tls::Wrapper(params),
                (_, Some("required")) => Tls::Required(params),
                (_, Some("opportunistic")) => Tls::Opportunistic(params),
                _ => {
                    return Err(bad(
                        "chỉ dùng khi DIEUHANH_SMTP_URL có TLS: smtps:// hoặc ?tls=required \
                         (only with a TLS URL: smtps:// or ?tls=required)"
                            .into(),
                    ));
                }
            });
        }
        let from = from
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .unwrap_or("\"Trung tâm chỉ đạo, điều hành\" <dieuhanh@localhost>");
        let from = from
            .parse::<lettre::message::Mailbox>()
            .map_err(|_| ConfigError::Invalid {
                name: "DIEUHANH_SMTP_FROM",
                value: from.chars().take(200).collect(),
                reason: "không phải địa chỉ thư (not an e-mail address): Tên <dia.chi@may.vn>"
                    .into(),
            })?;
        Ok(SmtpSettings {
            url: url.to_string(),
            transport: builder.timeout(Some(SMTP_TIMEOUT)).build(),
            from,
        })
    }
}

/// How long one client may take, so that slow or stalled clients cannot hold the server's
/// sockets (see `http::serve`).
#[derive(Clone, Copy, Debug)]
pub struct HttpLimits {
    /// For a request's headers, and for the next request on an idle kept-alive connection
    /// (`DIEUHANH_HEADER_TIMEOUT_SECS`, default 10).
    pub header_read: std::time::Duration,
    /// From the headers to the answer, reading the body included
    /// (`DIEUHANH_REQUEST_TIMEOUT_SECS`, default 60: a 20 MB attachment at 3 Mbit/s).
    pub request: std::time::Duration,
}

fn flag(name: &'static str, value: Option<String>, default: bool) -> Result<bool, ConfigError> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(default),
        Some("1" | "true" | "yes" | "on") => Ok(true),
        Some("0" | "false" | "no" | "off") => Ok(false),
        Some(other) => Err(ConfigError::Invalid {
            name,
            value: other.into(),
            reason: "dùng 1 hoặc 0 (use 1 or 0)".into(),
        }),
    }
}

fn number(
    name: &'static str,
    value: Option<String>,
    range: std::ops::RangeInclusive<u64>,
    default: u64,
) -> Result<u64, ConfigError> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(default),
        Some(text) => match text.parse::<u64>() {
            Ok(n) if range.contains(&n) => Ok(n),
            _ => Err(ConfigError::Invalid {
                name,
                value: text.into(),
                reason: format!(
                    "dùng số nguyên từ {} đến {} (a whole number from {} to {})",
                    range.start(),
                    range.end(),
                    range.start(),
                    range.end()
                ),
            }),
        },
    }
}

impl Settings {
    /// Reads settings through `get` (the process environment in `main`, a map in tests).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Settings, ConfigError> {
        let listen_text = get("DIEUHANH_LISTEN")
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| DEFAULT_LISTEN.into());
        let listen = listen_text.parse().map_err(|_| ConfigError::Invalid {
            name: "DIEUHANH_LISTEN",
            value: listen_text.clone(),
            reason: "dùng địa chỉ:cổng, ví dụ 127.0.0.1:3000 (use address:port)".into(),
        })?;
        let database = DatabaseUrl::parse(
            &get("DATABASE_URL")
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| DEFAULT_DATABASE_URL.into()),
        )?;
        // The demo country is the default only for the embedded database: production has none.
        let demo = flag("DIEUHANH_DEMO", get("DIEUHANH_DEMO"), database.is_sqlite())?;
        let simulator = flag("DIEUHANH_SIMULATOR", get("DIEUHANH_SIMULATOR"), true)?;
        let reports = flag("DIEUHANH_DEMO_REPORTS", get("DIEUHANH_DEMO_REPORTS"), true)?;
        let seed = match get("DIEUHANH_DEMO_SEED").filter(|s| !s.is_empty()) {
            None => 2026,
            Some(s) => s.parse().map_err(|_| ConfigError::Invalid {
                name: "DIEUHANH_DEMO_SEED",
                value: s,
                reason: "dùng một số nguyên không âm (use a whole number)".into(),
            })?,
        };
        let as_of = match get("DIEUHANH_DEMO_AS_OF").filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|_| {
                ConfigError::Invalid {
                    name: "DIEUHANH_DEMO_AS_OF",
                    value: s,
                    reason: "dùng YYYY-MM-DD (use YYYY-MM-DD)".into(),
                }
            })?),
        };
        let years = match get("DIEUHANH_DEMO_YEARS").filter(|s| !s.is_empty()) {
            None => 10,
            Some(s) => match s.parse::<u32>() {
                Ok(y @ 1..=30) => y,
                _ => {
                    return Err(ConfigError::Invalid {
                        name: "DIEUHANH_DEMO_YEARS",
                        value: s,
                        reason: "từ 1 đến 30 (from 1 to 30)".into(),
                    });
                }
            },
        };
        let scale = match get("DIEUHANH_DEMO_SCALE").filter(|s| !s.is_empty()) {
            None => Default::default(),
            Some(s) => {
                crate::demo_scale::DemoScale::parse(&s).ok_or_else(|| ConfigError::Invalid {
                    name: "DIEUHANH_DEMO_SCALE",
                    value: s,
                    reason: "standard hoặc national (standard or national)".into(),
                })?
            }
        };
        let demo_password = match get("DIEUHANH_DEMO_PASSWORD").filter(|s| !s.is_empty()) {
            None => None,
            Some(p) => {
                app::account::auth::check_new_password(&p).map_err(|reason| {
                    ConfigError::Invalid {
                        name: "DIEUHANH_DEMO_PASSWORD",
                        value: "***".into(),
                        reason,
                    }
                })?;
                Some(p)
            }
        };
        let simulator_interval = std::time::Duration::from_millis(number(
            "DIEUHANH_SIMULATOR_INTERVAL_MS",
            get("DIEUHANH_SIMULATOR_INTERVAL_MS"),
            100..=3_600_000,
            2_000,
        )?);
        let heartbeat = std::time::Duration::from_secs(number(
            "DIEUHANH_HEARTBEAT_SECS",
            get("DIEUHANH_HEARTBEAT_SECS"),
            1..=300,
            10,
        )?);
        let attachments_dir = match get("DIEUHANH_ATTACHMENTS_DIR").filter(|s| !s.is_empty()) {
            Some(dir) => PathBuf::from(dir),
            None => match &database {
                DatabaseUrl::Sqlite(path) => path
                    .parent()
                    .map(|p| p.join("attachments"))
                    .unwrap_or_else(|| PathBuf::from("data/attachments")),
                DatabaseUrl::Postgres(_) => PathBuf::from("data/attachments"),
            },
        };
        let log_json = matches!(get("DIEUHANH_LOG_FORMAT").as_deref(), Some("json"));
        let http = HttpLimits {
            header_read: std::time::Duration::from_secs(number(
                "DIEUHANH_HEADER_TIMEOUT_SECS",
                get("DIEUHANH_HEADER_TIMEOUT_SECS"),
                1..=600,
                10,
            )?),
            request: std::time::Duration::from_secs(number(
                "DIEUHANH_REQUEST_TIMEOUT_SECS",
                get("DIEUHANH_REQUEST_TIMEOUT_SECS"),
                1..=3600,
                60,
            )?),
        };
        let public_url = match get("DIEUHANH_PUBLIC_URL").filter(|s| !s.trim().is_empty()) {
            None => None,
            Some(text) => Some(
                PublicUrl::parse(&text).map_err(|reason| ConfigError::Invalid {
                    name: "DIEUHANH_PUBLIC_URL",
                    value: text.chars().take(200).collect(),
                    reason,
                })?,
            ),
        };
        let trusted_proxies = match get("DIEUHANH_TRUSTED_PROXIES") {
            None => TrustedProxies::default(),
            Some(text) => TrustedProxies::parse(&text).map_err(|reason| ConfigError::Invalid {
                name: "DIEUHANH_TRUSTED_PROXIES",
                value: text.chars().take(200).collect(),
                reason,
            })?,
        };
        let notify = NotifySettings {
            interval: std::time::Duration::from_secs(number(
                "DIEUHANH_NOTIFY_INTERVAL_SECS",
                get("DIEUHANH_NOTIFY_INTERVAL_SECS"),
                1..=86_400,
                300,
            )?),
            escalate_after: number(
                "DIEUHANH_ESCALATE_AFTER_DAYS",
                get("DIEUHANH_ESCALATE_AFTER_DAYS"),
                1..=60,
                2,
            )? as u32,
            smtp: match get("DIEUHANH_SMTP_URL").filter(|s| !s.trim().is_empty()) {
                None => None,
                Some(url) => Some(SmtpSettings::parse(
                    &url,
                    get("DIEUHANH_SMTP_FROM").as_deref(),
                    get("DIEUHANH_SMTP_CA_FILE").as_deref(),
                )?),
            },
            retry_first: std::time::Duration::from_secs(number(
                "DIEUHANH_MAIL_RETRY_SECS",
                get("DIEUHANH_MAIL_RETRY_SECS"),
                1..=86_400,
                60,
            )?),
            digest_hour: number(
                "DIEUHANH_DIGEST_HOUR",
                get("DIEUHANH_DIGEST_HOUR"),
                0..=23,
                7,
            )? as u32,
            brief_days_before: number(
                "DIEUHANH_BRIEF_DAYS_BEFORE",
                get("DIEUHANH_BRIEF_DAYS_BEFORE"),
                0..=20,
                3,
            )? as u32,
        };
        Ok(Settings {
            notify,
            public_url,
            trusted_proxies,
            listen,
            database,
            demo,
            demo_settings: DemoSettings {
                seed,
                as_of,
                years,
                reports,
                scale,
            },
            clock: app::clock::Clock::system(),
            simulator,
            simulator_interval,
            live: LiveSettings {
                heartbeat,
                ..Default::default()
            },
            demo_password,
            site_root: get("LEPTOS_SITE_ROOT")
                .filter(|s| !s.is_empty())
                .unwrap_or_else(installed_site_root),
            output_name: get("LEPTOS_OUTPUT_NAME")
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "dieuhanh".into()),
            log_json,
            attachments_dir,
            http,
        })
    }

    pub fn from_env() -> Result<Settings, ConfigError> {
        Settings::from_lookup(|k| std::env::var(k).ok())
    }
}

/// Tunable parts of the live stream (`crate::live`).
#[derive(Clone, Debug)]
pub struct LiveSettings {
    pub heartbeat: std::time::Duration,
    /// Recent events kept for clients that resume with `since`.
    pub replay_events: usize,
    /// A write to a client that takes longer means it stopped reading: it is dropped.
    pub write_timeout: std::time::Duration,
    /// The site build this instance serves (`<site>/BUILD`), told to clients in each heartbeat
    /// so that a wall screen on an older build reloads itself.
    pub build: Option<String>,
}

impl Default for LiveSettings {
    fn default() -> Self {
        LiveSettings {
            heartbeat: std::time::Duration::from_secs(10),
            replay_events: 100_000,
            write_timeout: std::time::Duration::from_secs(10),
            build: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(pairs: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_are_sqlite_with_the_demo_on_port_3000() {
        let s = settings(&[]).unwrap();
        assert_eq!(s.listen.to_string(), "127.0.0.1:3000");
        assert!(
            matches!(&s.database, DatabaseUrl::Sqlite(p) if p == &PathBuf::from("data/dieuhanh.db"))
        );
        assert!(s.demo);
    }

    #[test]
    fn postgres_has_no_demo_unless_asked() {
        let s = settings(&[("DATABASE_URL", "postgres://localhost/dieuhanh")]).unwrap();
        assert!(!s.demo);
        let s = settings(&[
            ("DATABASE_URL", "postgres://localhost/dieuhanh"),
            ("DIEUHANH_DEMO", "1"),
        ])
        .unwrap();
        assert!(s.demo);
    }

    #[test]
    fn bad_values_name_the_variable_and_hide_passwords() {
        let e = settings(&[("DATABASE_URL", "mysql://root:secret@localhost/x")]).unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains("DATABASE_URL") && text.contains("sqlite://"),
            "{text}"
        );
        assert!(!text.contains("secret"), "{text}");
        assert!(settings(&[("DATABASE_URL", "sqlite://")]).is_err());
        assert!(settings(&[("DATABASE_URL", "sqlite::memory:")]).is_err());
        assert!(settings(&[("DATABASE_URL", "postgres://localhost:notaport/x")]).is_err());
        let e = settings(&[("DIEUHANH_LISTEN", "localhost")]).unwrap_err();
        assert!(e.to_string().contains("DIEUHANH_LISTEN"));
        let e = settings(&[("DIEUHANH_DEMO", "maybe")]).unwrap_err();
        assert!(e.to_string().contains("DIEUHANH_DEMO"));
        let e = settings(&[("DIEUHANH_DEMO_SCALE", "huge")]).unwrap_err();
        assert!(e.to_string().contains("standard hoặc national"), "{e}");
        let national = settings(&[("DIEUHANH_DEMO_SCALE", "national")]).unwrap();
        assert_eq!(
            national.demo_settings.scale,
            crate::demo_scale::DemoScale::National
        );
        // A CA file that is not there is named (sqlx would read it only when connecting).
        let e = settings(&[(
            "DATABASE_URL",
            "postgres://u:secret@db/x?sslmode=verify-full&sslrootcert=/no/such/ca.crt",
        )])
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("DATABASE_URL")
                && e.contains("sslrootcert")
                && e.contains("/no/such/ca.crt"),
            "{e}"
        );
        assert!(!e.contains("secret"), "{e}");
        let ca = tempfile::NamedTempFile::new().unwrap();
        let url = format!(
            "postgres://db/x?sslmode=verify-full&sslrootcert={}",
            ca.path().display()
        );
        assert!(settings(&[("DATABASE_URL", &url)]).is_ok());
    }

    #[test]
    fn the_public_address_is_an_origin_and_anything_else_is_refused_by_name() {
        let s = settings(&[("DIEUHANH_PUBLIC_URL", "https://DieuHanh.ChinhPhu.vn/")]).unwrap();
        let public = s.public_url.unwrap();
        assert_eq!(public.origin(), "https://dieuhanh.chinhphu.vn");
        assert!(public.is_https());
        assert_eq!(
            public.join("/wall/1"),
            "https://dieuhanh.chinhphu.vn/wall/1"
        );
        let s = settings(&[("DIEUHANH_PUBLIC_URL", "http://10.1.2.3:8080")]).unwrap();
        assert_eq!(s.public_url.unwrap().origin(), "http://10.1.2.3:8080");
        for bad in [
            "dieuhanh.chinhphu.vn",
            "ftp://dieuhanh.chinhphu.vn",
            "https://dieuhanh.chinhphu.vn/app",
            "https://",
            "/relative",
        ] {
            let e = settings(&[("DIEUHANH_PUBLIC_URL", bad)]).unwrap_err();
            assert!(e.to_string().contains("DIEUHANH_PUBLIC_URL"), "{bad}: {e}");
        }
        assert!(settings(&[]).unwrap().public_url.is_none());
    }

    #[test]
    fn a_mail_server_is_a_url_that_lettre_reads_and_its_password_is_never_shown() {
        let s = settings(&[(
            "DIEUHANH_SMTP_URL",
            "smtps://dieuhanh:bi-mat@mail.chinhphu.vn:465",
        )])
        .unwrap();
        let smtp = s.notify.smtp.unwrap();
        assert!(!format!("{smtp:?}").contains("bi-mat"));
        assert!(settings(&[]).unwrap().notify.smtp.is_none());
        for bad in ["mail.chinhphu.vn", "imap://mail.chinhphu.vn", "smtp://"] {
            let e = settings(&[("DIEUHANH_SMTP_URL", bad)]).unwrap_err();
            assert!(e.to_string().contains("DIEUHANH_SMTP_URL"), "{bad}: {e}");
        }
        let e = settings(&[
            ("DIEUHANH_SMTP_URL", "smtp://127.0.0.1:25"),
            ("DIEUHANH_SMTP_FROM", "Trung tâm, không có địa chỉ"),
        ])
        .unwrap_err();
        assert!(e.to_string().contains("DIEUHANH_SMTP_FROM"), "{e}");
        let e = settings(&[("DIEUHANH_NOTIFY_INTERVAL_SECS", "0")]).unwrap_err();
        assert!(
            e.to_string().contains("DIEUHANH_NOTIFY_INTERVAL_SECS"),
            "{e}"
        );
    }

    #[test]
    fn trusted_proxies_are_addresses_or_ranges() {
        let s = settings(&[(
            "DIEUHANH_TRUSTED_PROXIES",
            "127.0.0.1, 10.0.0.0/8 ::1 fd00::/8",
        )])
        .unwrap();
        let t = &s.trusted_proxies;
        for yes in [
            "127.0.0.1",
            "10.200.3.4",
            "::1",
            "fd00::5",
            "::ffff:10.0.0.9",
        ] {
            assert!(t.contains(yes.parse().unwrap()), "{yes}");
        }
        for no in ["127.0.0.2", "11.0.0.1", "::2", "203.0.113.9"] {
            assert!(!t.contains(no.parse().unwrap()), "{no}");
        }
        assert!(settings(&[]).unwrap().trusted_proxies.is_empty());
        for bad in ["nginx", "10.0.0.0/33", "10.0.0.1/8/2", "256.1.1.1"] {
            let e = settings(&[("DIEUHANH_TRUSTED_PROXIES", bad)]).unwrap_err();
            assert!(
                e.to_string().contains("DIEUHANH_TRUSTED_PROXIES"),
                "{bad}: {e}"
            );
        }
    }
}
