//! The server started in-process on a free port, spoken to over real HTTP; and the binary
//! started with bad settings, which must say what is wrong and leave nothing behind.

use crate::common;

use server::config::Settings;
use server::startup::Application;
use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

fn settings(db: &Path) -> Settings {
    let vars: HashMap<&str, String> = HashMap::from([
        ("DIEUHANH_LISTEN", "127.0.0.1:0".to_string()),
        ("DATABASE_URL", format!("sqlite://{}", db.display())),
        ("DIEUHANH_DEMO", "1".into()),
        ("DIEUHANH_DEMO_YEARS", "2".into()),
        ("DIEUHANH_DEMO_AS_OF", common::today().to_string()),
    ]);
    let mut settings = Settings::from_lookup(|k| vars.get(k).cloned()).unwrap();
    settings.clock = app::clock::Clock::on(common::today());
    settings
}

async fn spawn(db: &Path) -> String {
    let app = Application::build(settings(db))
        .await
        .expect("application starts");
    let base = format!("http://{}", app.address());
    tokio::spawn(app.run_until(std::future::pending()));
    base
}

async fn probes_metrics_and_the_overview_answer() {
    let dir = tempfile::tempdir().unwrap();
    let base = spawn(&dir.path().join("app.db")).await;
    let http = reqwest::Client::new();

    let health = http.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let ready = http.get(format!("{base}/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    let body: serde_json::Value = ready.json().await.unwrap();
    assert_eq!(body["database"], "sqlite");

    let page = http.get(format!("{base}/")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("<html lang=\"vi\""), "Vietnamese document");
    assert!(
        html.contains("Tổng quan quốc gia"),
        "the overview's title is rendered on the server"
    );
    assert_eq!(
        html.matches("data-testid=\"indicator-card\"").count(),
        36,
        "36 indicators"
    );
    // By field, in the Government's order, each field's cards inside it; one summary line and
    // a filter above them.
    let fields: Vec<&str> = html
        .match_indices("data-testid=\"field-group\" data-field=\"")
        .map(|(at, m)| html[at + m.len()..].split('"').next().unwrap())
        .collect();
    assert_eq!(fields.first(), Some(&"macro"), "{fields:?}");
    assert!(fields.len() >= 8, "{fields:?}");
    let order: Vec<usize> = fields
        .iter()
        .map(|f| {
            app::model::Field::ALL
                .iter()
                .position(|x| x.as_str() == *f)
                .unwrap()
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{fields:?}");
    let trade = html.split("data-field=\"trade\"").nth(1).unwrap();
    let trade = trade.split("data-testid=\"field-group\"").next().unwrap();
    assert!(trade.contains("data-indicator=\"EXPORT_VALUE\""));
    assert!(!trade.contains("data-indicator=\"CPI_YOY\""));
    assert!(html.contains("36 chỉ tiêu trong"), "the summary line");
    assert!(html.contains("data-testid=\"card-filter\""));
    assert!(
        html.matches("href=\"/units/").count() >= 17 + 34,
        "links to ministries and provinces"
    );
    assert!(html.contains("Thành phố Hà Nội") && html.contains("Bộ Tài chính"));
    assert!(
        html.contains("DỮ LIỆU MÔ PHỎNG"),
        "simulated data is labelled"
    );
    assert!(
        html.contains("Tháng 10/2026"),
        "monthly values end with the last complete month"
    );

    let province = http.get(format!("{base}/units/01")).send().await.unwrap();
    assert_eq!(province.status(), 200);
    let html = province.text().await.unwrap();
    assert!(
        html.contains("Thành phố Hà Nội") && html.contains("Phường Hoàn Kiếm"),
        "a province lists its communes"
    );

    let missing = http
        .get(format!("{base}/units/98765"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    assert!(missing.text().await.unwrap().contains("Không có đơn vị"));
    let nonsense = http
        .get(format!("{base}/no/such/page"))
        .send()
        .await
        .unwrap();
    assert_eq!(nonsense.status(), 404);

    let metrics = http
        .get(format!("{base}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains(
            "dieuhanh_http_requests_total{method=\"GET\",route=\"/readyz\",status=\"200\"} 1"
        ),
        "{metrics}"
    );
    assert!(metrics.contains("dieuhanh_build_info"));
}

async fn a_second_server_on_the_same_sqlite_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shared.db");
    let _first = spawn(&db).await;
    let second = Application::build(settings(&db)).await;
    let err = second
        .err()
        .expect("the second server must refuse")
        .to_string();
    assert!(
        err.contains("đang được một máy chủ dieuhanh khác sử dụng"),
        "{err}"
    );
}

fn run_binary(envs: &[(&str, &str)], cwd: &Path) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dieuhanh"))
        .arg("migrate")
        .current_dir(cwd)
        .env_remove("DATABASE_URL")
        .envs(envs.iter().copied())
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = walk(dir)
        .into_iter()
        .map(|p| p.strip_prefix(dir).unwrap().display().to_string())
        .collect();
    v.sort();
    v
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .flat_map(|e| {
                    let p = e.path();
                    let mut v = vec![p.clone()];
                    if p.is_dir() {
                        v.extend(walk(&p));
                    }
                    v
                })
                .collect()
        })
        .unwrap_or_default()
}

fn bad_database_urls_say_which_and_leave_no_file() {
    let dir = tempfile::tempdir().unwrap();
    for (url, expect) in [
        ("mysql://localhost/x", "DATABASE_URL"),
        ("sqlite://", "DATABASE_URL"),
        ("postgres://postgres@127.0.0.1:1/nothing", "127.0.0.1:1"),
        // The cause too, not only what failed: nothing listens there.
        (
            "postgres://postgres@127.0.0.1:1/nothing",
            "Connection refused",
        ),
        (
            "postgres://postgres@127.0.0.1:5432/dieuhanh_no_such_database",
            "dieuhanh_no_such_database",
        ),
    ] {
        let (ok, stderr) = run_binary(&[("DATABASE_URL", url)], dir.path());
        assert!(!ok, "{url} must fail");
        assert!(stderr.contains(expect), "{url}: {stderr}");
        assert!(
            files_in(dir.path()).is_empty(),
            "{url} left {:?}",
            files_in(dir.path())
        );
    }
}

fn an_unwritable_data_folder_gets_a_clear_message_and_nothing_is_left() {
    let dir = tempfile::tempdir().unwrap();
    // A file where the data folder should be: no user, root included, can write under it.
    std::fs::write(dir.path().join("data"), "not a folder").unwrap();
    let (ok, stderr) = run_binary(
        &[("DATABASE_URL", "sqlite://data/sub/dieuhanh.db")],
        dir.path(),
    );
    assert!(!ok);
    assert!(
        stderr.contains("thư mục dữ liệu") && stderr.contains("data/sub"),
        "{stderr}"
    );
    assert_eq!(files_in(dir.path()), vec!["data".to_string()]);
}

fn a_missing_data_folder_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, stderr) = run_binary(
        &[
            ("DATABASE_URL", "sqlite://data/nested/dieuhanh.db"),
            ("DIEUHANH_DEMO", "0"),
        ],
        dir.path(),
    );
    assert!(ok, "{stderr}");
    assert!(dir.path().join("data/nested/dieuhanh.db").is_file());
}

fn sigterm_stops_the_server_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    // The server prints its address on stdout once it listens.
    let (mut child, address) = common::spawn_binary(dir.path());
    let ok = std::net::TcpStream::connect(address.trim_start_matches("http://")).is_ok();
    assert!(ok, "the server accepts connections at {address}");

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the server did not stop within 10 s of SIGTERM"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(status.success(), "a graceful stop exits 0, got {status}");
}

/// What a tablet receives: the site's files as their Brotli (or gzip) copy made at build time,
/// pages and API answers compressed on the fly, whole bytes only for a client that asks for
/// nothing; and a cache policy on each.
async fn pages_and_site_files_go_out_compressed_when_the_browser_accepts_it() {
    use std::io::Read;
    let site = tempfile::tempdir().unwrap();
    // A built site: `BUILD` names the build's folder under pkg/ (as sitebuild leaves it).
    let build = "0123456789abcdef";
    let pkg = site.path().join("pkg").join(build);
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(site.path().join("BUILD"), format!("{build}\n")).unwrap();
    let js = "export function hydrate() { return 'Trung tâm chỉ đạo, điều hành'; }\n".repeat(500);
    std::fs::write(pkg.join("dieuhanh.js"), &js).unwrap();
    server::http::site_files::precompress(&pkg).unwrap();
    let root = site.path().to_str().unwrap().to_string();
    let app = common::running::start_with(None, |s| s.site_root = root).await;
    let get = |path: &str, accept: &str| {
        let mut req = app.http.get(format!("{}{path}", app.base));
        if !accept.is_empty() {
            req = req.header("accept-encoding", accept);
        }
        req.send()
    };
    let header = |res: &reqwest::Response, name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };

    let js_path = format!("/pkg/{build}/dieuhanh.js");
    let res = get(&js_path, "gzip, deflate, br, zstd").await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(header(&res, "content-encoding"), "br");
    // A build's files never change under their address: kept for a year, never asked again.
    assert_eq!(
        header(&res, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    let body = res.bytes().await.unwrap();
    let brotli_copy = std::fs::read(pkg.join("dieuhanh.js.br")).unwrap();
    assert_eq!(
        body.as_ref(),
        brotli_copy.as_slice(),
        "the copy made at build time"
    );
    assert!(body.len() * 10 < js.len());

    let res = get(&js_path, "br").await.unwrap();
    // Not a document: the file's own protections, without the headers that govern documents
    // (a third of a kilobyte on each of the nine files of a first visit).
    assert_eq!(header(&res, "x-content-type-options"), "nosniff");
    assert_eq!(header(&res, "cross-origin-resource-policy"), "same-origin");
    for document_only in [
        "content-security-policy",
        "x-frame-options",
        "permissions-policy",
        "cross-origin-opener-policy",
    ] {
        assert_eq!(header(&res, document_only), "", "{document_only}");
    }

    let res = get(&js_path, "gzip").await.unwrap();
    assert_eq!(header(&res, "content-encoding"), "gzip");
    let mut unpacked = String::new();
    flate2::read::GzDecoder::new(res.bytes().await.unwrap().as_ref())
        .read_to_string(&mut unpacked)
        .unwrap();
    assert_eq!(unpacked, js);

    let res = get(&js_path, "").await.unwrap();
    assert_eq!(header(&res, "content-encoding"), "");
    assert_eq!(res.bytes().await.unwrap().len(), js.len());
    // What is not there is not cached for a year (it may come with the next build).
    let res = get(&format!("/pkg/{build}/missing.js"), "br")
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    assert_ne!(
        header(&res, "cache-control"),
        "public, max-age=31536000, immutable"
    );

    // A page, made per request: compressed on the fly, never kept by a shared cache.
    let res = get("/", "br").await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(header(&res, "content-encoding"), "br");
    assert_eq!(header(&res, "cache-control"), "private, no-cache");
    let mut html = Vec::new();
    brotli::BrotliDecompress(&mut res.bytes().await.unwrap().as_ref(), &mut html).unwrap();
    let html = String::from_utf8(html).unwrap();
    assert!(html.contains("Tổng quan quốc gia"), "{html}");
    // The page loads the build's files and names its build (for a wall's reload).
    assert!(
        html.contains(&format!("/pkg/{build}/dieuhanh.js")),
        "{html}"
    );
    assert!(
        html.contains(&format!("/pkg/{build}/dieuhanh.css")),
        "{html}"
    );
    assert!(
        html.contains(&format!(r#"<meta name="dieuhanh-build" content="{build}""#)),
        "{html}"
    );

    // Open data in JSON, for a client that takes gzip only.
    let res = get(
        "/api/v1/observations?indicator=EXPORT_VALUE&unit=01",
        "gzip",
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(header(&res, "content-encoding"), "gzip");
    let mut json = String::new();
    flate2::read::GzDecoder::new(res.bytes().await.unwrap().as_ref())
        .read_to_string(&mut json)
        .unwrap();
    assert!(
        serde_json::from_str::<serde_json::Value>(&json).is_ok(),
        "{json}"
    );
}

crate::harness::tests![
    tokio probes_metrics_and_the_overview_answer,
    tokio a_second_server_on_the_same_sqlite_file_is_refused,
    plain bad_database_urls_say_which_and_leave_no_file,
    plain an_unwritable_data_folder_gets_a_clear_message_and_nothing_is_left,
    plain a_missing_data_folder_is_created,
    plain sigterm_stops_the_server_gracefully,
    tokio pages_and_site_files_go_out_compressed_when_the_browser_accepts_it,
];
