//! A whole server with the demo accounts, started in-process on a free port.

use app::store::SharedStore;
use reqwest::header::{COOKIE, LOCATION, ORIGIN, SET_COOKIE};
use server::config::Settings;
use server::startup::Application;
use std::collections::HashMap;

pub const PASSWORD: &str = "mat-khau-demo-2026";
/// The name of the tokens [`Running::api_token`] makes (the actor of what they write).
pub const API_TOKEN_NAME: &str = "Hệ thống báo cáo thử";

pub struct Running {
    pub base: String,
    pub store: SharedStore,
    pub http: reqwest::Client,
    /// The demo's wall screen with its token, as `serve` prints it (a path).
    pub demo_wall: Option<String>,
    /// Shuts the server down as a signal would (see [`Running::stop`]).
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
}

/// The demo server on a throw-away SQLite file, without the live simulator, on the tests' day
/// ([`super::today`]).
pub async fn start() -> Running {
    start_with(None, |_| {}).await
}

/// The test server's settings on `database_url`: the demo (one year, the tests' day, the tests'
/// password), no simulator, a free port.
pub fn demo_settings(database_url: &str) -> Settings {
    let vars: HashMap<&str, String> = HashMap::from([
        ("DIEUHANH_LISTEN", "127.0.0.1:0".to_string()),
        ("DATABASE_URL", database_url.to_string()),
        ("DIEUHANH_DEMO", "1".into()),
        ("DIEUHANH_DEMO_YEARS", "1".into()),
        ("DIEUHANH_DEMO_AS_OF", super::today().to_string()),
        ("DIEUHANH_DEMO_PASSWORD", PASSWORD.into()),
        ("DIEUHANH_SIMULATOR", "0".into()),
        // The tests write Hà Nội's recent months through the API, which the demo history's
        // approved reports would lock; that history is tested on its own (`reports::`).
        ("DIEUHANH_DEMO_REPORTS", "0".into()),
    ]);
    let mut settings = Settings::from_lookup(|k| vars.get(k).cloned()).unwrap();
    settings.clock = app::clock::Clock::on(super::today());
    settings
}

/// As [`start`], on `database` when given (a PostgreSQL test database; the demo is then seeded
/// there too), with `tweak` applied to the settings before the server is built.
pub async fn start_with(database: Option<&str>, tweak: impl FnOnce(&mut Settings)) -> Running {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = format!("sqlite://{}", dir.path().join("s.db").display());
    let mut settings = demo_settings(database.unwrap_or(&sqlite));
    tweak(&mut settings);
    let app = Application::build(settings).await.unwrap();
    serve(app, dir)
}

/// As [`start_with`] on `database`, once a server stopped just before has let go of it (a
/// SQLite file is one server's at a time): tried again for up to 20 s.
pub async fn start_again(database: &str, tweak: impl Fn(&mut Settings)) -> Running {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let mut settings = demo_settings(database);
        tweak(&mut settings);
        match Application::build(settings).await {
            Ok(app) => return serve(app, tempfile::tempdir().unwrap()),
            Err(e) if std::time::Instant::now() > deadline => panic!("{database}: {e:?}"),
            Err(_) => tokio::time::sleep(std::time::Duration::from_millis(200)).await,
        }
    }
}

fn serve(app: Application, dir: tempfile::TempDir) -> Running {
    let base = format!("http://{}", app.address());
    let store = app.store();
    let demo_wall = app.demo_wall().map(str::to_string);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(app.run_until(async move {
        // Dropping `Running` without `stop` leaves the server to the end of the test's runtime.
        if stopped.await.is_err() {
            std::future::pending::<()>().await;
        }
    }));
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    Running {
        base,
        store,
        http,
        demo_wall,
        stop: Some(stop),
        _dir: dir,
    }
}

impl Running {
    /// A new API token for `units` (as `dieuhanh token create` makes one), audited as the
    /// test's.
    pub async fn api_token(&self, units: &[&str]) -> String {
        let units: Vec<String> = units.iter().map(|u| u.to_string()).collect();
        app::account::auth::issue_api_token(
            self.store.as_ref(),
            API_TOKEN_NAME,
            &units,
            None,
            &test_actor(),
        )
        .await
        .unwrap()
        .1
    }

    /// A new API token for `units` that may also set their targets (`token create --targets`).
    pub async fn planner_token(&self, units: &[&str]) -> String {
        let units: Vec<String> = units.iter().map(|u| u.to_string()).collect();
        app::account::auth::issue_token(
            self.store.as_ref(),
            "Hệ thống kế hoạch thử",
            &units,
            (None, true),
            &test_actor(),
        )
        .await
        .unwrap()
        .1
    }

    /// A new wall screen named `name` (as `dieuhanh display create` makes one): its id and its
    /// display token.
    pub async fn display(&self, name: &str) -> (i64, String) {
        app::account::auth::create_display(self.store.as_ref(), name, &test_actor())
            .await
            .unwrap()
    }

    /// `POST /api/v1/observations` of `rows` with `token`, which must be answered 200; its
    /// answer.
    pub async fn ingest(&self, token: &str, rows: serde_json::Value) -> serde_json::Value {
        let res = self
            .http
            .post(format!("{}/api/v1/observations", self.base))
            .header(reqwest::header::AUTHORIZATION, format!("Bearer {token}"))
            .json(&serde_json::json!({ "observations": rows }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        res.json().await.unwrap()
    }

    /// Sets a regime's cut-off and deadline as the administrator does, through the regimes
    /// page's server function (the catalogue in force follows at once).
    pub async fn set_rules(&self, regime: &str, rules: app::model::reporting::ReportingRules) {
        let admin = self.cookie_for("quantri").await;
        let r = self
            .store
            .regimes()
            .await
            .unwrap()
            .into_iter()
            .find(|r| r.code == regime)
            .expect("the regime");
        let c = app::catalogue::regime_file::cells(&r);
        let (cutoff, deadline) = (
            rules.cutoff_day.to_string(),
            rules.deadline_working_days.to_string(),
        );
        let form = [
            ("code", c[0].as_str()),
            ("name_vi", &c[1]),
            ("name_en", &c[2]),
            ("legal_basis", &c[3]),
            ("periodicity", &c[4]),
            ("kinds", &c[5]),
            ("units", &c[6]),
            ("cutoff_day", &cutoff),
            ("deadline_working_days", &deadline),
            ("indicators", &c[9]),
        ];
        let (status, body) = self.call("regime_save", Some(&admin), &form).await;
        assert!(
            status.is_success() && body.contains("Done"),
            "{status} {body}"
        );
    }

    /// Shuts the server down, as SIGTERM does.
    pub fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }

    /// Stops the server and lets go of its database, keeping its folder (the SQLite file is
    /// `s.db` in it) for a server started again on it.
    pub fn stop_and_keep(mut self) -> tempfile::TempDir {
        self.stop();
        self._dir
    }

    /// The folder of the SQLite file (and of the attachments folder beside it).
    pub fn data_dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    pub async fn sign_in(&self, username: &str, password: &str) -> reqwest::Response {
        self.http
            .post(format!("{}/login", self.base))
            .header(ORIGIN, &self.base)
            .form(&[
                ("username", username),
                ("password", password),
                ("next", "/units/01"),
            ])
            .send()
            .await
            .unwrap()
    }

    pub async fn page(
        &self,
        path: &str,
        cookie: Option<&str>,
    ) -> (reqwest::header::HeaderMap, String) {
        let mut req = self.http.get(format!("{}{path}", self.base));
        if let Some(c) = cookie {
            req = req.header(COOKIE, c);
        }
        let res = req.send().await.unwrap();
        (res.headers().clone(), res.text().await.unwrap())
    }
}

/// Who the helpers' writes are audited as.
fn test_actor() -> app::store::AuditEntry {
    app::store::AuditEntry {
        actor: "test".into(),
        actor_kind: "system".into(),
        ..Default::default()
    }
}

pub fn session_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("dieuhanh_session=") && !v.starts_with("dieuhanh_session=;"))
        .map(str::to_string)
}

/// The `name=value` of the cookie `name` that `res` sets.
pub fn cookie_named(res: &reqwest::Response, name: &str) -> String {
    res.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .and_then(|v| v.split(';').next())
        .unwrap_or_else(|| panic!("no {name} cookie"))
        .to_string()
}

pub fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

impl Running {
    /// Signs in and answers the `Cookie` header value to send.
    pub async fn cookie_for(&self, username: &str) -> String {
        let res = self.sign_in(username, PASSWORD).await;
        session_cookie(&res)
            .expect("signed in")
            .split(';')
            .next()
            .unwrap()
            .to_string()
    }

    /// Calls a server function the way the page does (form-encoded POST from this site).
    pub async fn call(
        &self,
        endpoint: &str,
        cookie: Option<&str>,
        form: &[(&str, &str)],
    ) -> (reqwest::StatusCode, String) {
        let mut req = self
            .http
            .post(format!("{}/fn/{endpoint}", self.base))
            .header(ORIGIN, &self.base)
            .form(form);
        if let Some(c) = cookie {
            req = req.header(COOKIE, c);
        }
        let res = req.send().await.unwrap();
        (res.status(), res.text().await.unwrap())
    }
}

/// Calls a server function that takes a JSON body, as the page does; the status and the answer
/// (JSON, or the text when it is not JSON).
pub async fn call_json(
    app: &Running,
    endpoint: &str,
    cookie: Option<&str>,
    body: serde_json::Value,
) -> (u16, serde_json::Value) {
    let mut req = app
        .http
        .post(format!("{}/fn/{endpoint}", app.base))
        .header("origin", &app.base)
        .json(&body);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
    )
}
