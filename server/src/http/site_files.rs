//! The built site's files (the wasm, JS, CSS and fonts under `/pkg/<build>/`, made by
//! `sitebuild`): compressed once when the site is built (`dieuhanh precompress`), then served as
//! the smallest copy the browser accepts, kept by browsers for a year since a new build is a new
//! folder; and the answers made per request (pages, JSON, CSV) compressed on the fly.
//!
//! A tablet on a 1.6 Mbit/s link pays for every byte: the wasm alone is about 1 MB raw and
//! about a fifth of that in Brotli.

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use std::io::Write;
use std::path::{Path, PathBuf};
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, Predicate, SizeAbove};

/// Kinds of file worth compressing (fonts in woff2 and images are compressed already).
const COMPRESSIBLE: &[&str] = &["wasm", "js", "css", "svg", "json", "html", "txt", "xml"];

/// Smaller answers gain less than the compression's own framing costs.
const SMALLEST_COMPRESSED: u16 = 1024;

/// The build a site holds: `<site root>/BUILD` names its folder under `pkg/` (16 hex digits of
/// the files' hash). None when no site has been built there (tests, a checkout not built yet).
pub fn current_build(site_root: &str) -> Option<String> {
    let text = std::fs::read_to_string(Path::new(site_root).join("BUILD")).ok()?;
    let build = text.trim();
    is_build(build).then(|| build.to_string())
}

/// Where the pages say the build's files are, below the site root (Leptos's `site_pkg_dir`).
pub fn pkg_dir(build: Option<&str>) -> String {
    match build {
        Some(build) => format!("pkg/{build}"),
        None => "pkg".into(),
    }
}

/// Whether `path` names a file of a build (`/pkg/<build>/…`): the wasm, JS, CSS and fonts,
/// never a document.
pub fn is_build_file(path: &str) -> bool {
    path.strip_prefix("/pkg/")
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(folder, file)| is_build(folder) && !file.is_empty())
}

fn is_build(name: &str) -> bool {
    name.len() == 16 && name.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// `<site root>/pkg`, serving `x.br` or `x.gz` in place of `x` when the browser accepts them.
pub fn pkg(site_root: &str) -> tower_http::services::ServeDir {
    tower_http::services::ServeDir::new(format!("{site_root}/pkg"))
        .precompressed_br()
        .precompressed_gzip()
}

/// Compresses pages and API answers above 1 KB (Brotli, else gzip), unless already encoded. At
/// level 5 rather than the library's default 4: the overview's 96 KB page goes out in 14.5 KB
/// instead of 15.9 KB, for about half a millisecond more (levels above gain little more and
/// cost several times as much).
pub fn on_the_fly() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new()
        .br(true)
        .gzip(true)
        .quality(tower_http::CompressionLevel::Precise(5))
        .compress_when(DefaultPredicate::new().and(SizeAbove::new(SMALLEST_COMPRESSED)))
}

/// What caches may keep. A build's files never change under their address, so anyone may keep
/// them for a year without asking again; other site files must be asked for again each time (a
/// 304 when unchanged); everything else the server makes is for one person and never kept by a
/// shared cache (pages for a signed-in person are `no-store`, set where they are made).
pub async fn cache_policy(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let site_file = path.starts_with("/pkg/");
    let build_file = is_build_file(path);
    let mut res = next.run(req).await;
    let policy = if build_file && res.status().is_success() {
        "public, max-age=31536000, immutable"
    } else if site_file {
        "no-cache"
    } else {
        "private, no-cache"
    };
    res.headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static(policy));
    // Answers differ by the encoding asked for (set by the compression layer when it acts,
    // but a cache must know it for the uncompressed answer too).
    res.headers_mut()
        .entry(header::VARY)
        .or_insert(HeaderValue::from_static("accept-encoding"));
    res
}

/// What [`precompress`] did.
#[derive(Debug, Default, PartialEq)]
pub struct Precompressed {
    pub files: usize,
    pub raw_bytes: u64,
    pub brotli_bytes: u64,
    pub gzip_bytes: u64,
}

/// Writes `x.br` and `x.gz` beside every compressible file `x` under `dir` (at the highest
/// settings: this runs once per build, not per request). Copies newer than their file are kept.
pub fn precompress(dir: &Path) -> std::io::Result<Precompressed> {
    let mut done = Precompressed::default();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let path = entry?.path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            let compressible = path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| COMPRESSIBLE.contains(&e));
            if !compressible {
                continue;
            }
            let raw = std::fs::read(&path)?;
            let br = with_suffix(&path, "br");
            let gz = with_suffix(&path, "gz");
            if !fresh(&path, &br) {
                let mut out = Vec::new();
                let params = brotli::enc::BrotliEncoderParams {
                    quality: 11,
                    lgwin: 22,
                    ..Default::default()
                };
                brotli::BrotliCompress(&mut raw.as_slice(), &mut out, &params)?;
                std::fs::write(&br, out)?;
            }
            if !fresh(&path, &gz) {
                let mut encoder =
                    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
                encoder.write_all(&raw)?;
                std::fs::write(&gz, encoder.finish()?)?;
            }
            done.files += 1;
            done.raw_bytes += raw.len() as u64;
            done.brotli_bytes += std::fs::metadata(&br)?.len();
            done.gzip_bytes += std::fs::metadata(&gz)?.len();
        }
    }
    Ok(done)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

/// Whether `copy` was written after `source` last changed.
fn fresh(source: &Path, copy: &Path) -> bool {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    matches!((modified(source), modified(copy)), (Some(s), Some(c)) if c >= s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compressible_files_get_smaller_copies_and_others_none() {
        let dir = tempfile::tempdir().unwrap();
        let js =
            "export function hydrate() { return 'Trung tâm chỉ đạo, điều hành'; }\n".repeat(200);
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/app.js"), &js).unwrap();
        std::fs::write(dir.path().join("font.woff2"), b"wOF2 already compressed").unwrap();
        let done = precompress(dir.path()).unwrap();
        assert_eq!(done.files, 1);
        assert_eq!(done.raw_bytes, js.len() as u64);
        assert!(done.brotli_bytes * 10 < done.raw_bytes, "{done:?}");
        assert!(!dir.path().join("font.woff2.br").exists());
        // The copies decompress to the file.
        let mut back = Vec::new();
        brotli::BrotliDecompress(
            &mut std::fs::File::open(dir.path().join("sub/app.js.br")).unwrap(),
            &mut back,
        )
        .unwrap();
        assert_eq!(back, js.as_bytes());
        let mut back = String::new();
        std::io::Read::read_to_string(
            &mut flate2::read::GzDecoder::new(
                std::fs::File::open(dir.path().join("sub/app.js.gz")).unwrap(),
            ),
            &mut back,
        )
        .unwrap();
        assert_eq!(back, js);
        // A second run finds nothing new to do and reports the same sizes.
        assert_eq!(precompress(dir.path()).unwrap(), done);
    }
}
