//! `sitebuild`: builds what the browser loads, into `<site>/pkg/<build>/`, where `<build>` is a
//! hash of the files themselves. A browser may then keep them for a year without asking again
//! (`Cache-Control: immutable`, http/site_files.rs), and a new release is a new folder: a page
//! of the old release still finds its files while it runs, and learns of the new one through
//! the live stream (`build` in its hello).
//!
//! Steps: the `frontend` crate to wasm (profile `wasm-release`), the `#[lazy_route]` pages split
//! into chunks loaded on demand (wasm_split_cli_support), the JS glue (wasm-bindgen's library),
//! each wasm shrunk by `wasm-opt -Oz` (binaryen from npm, on PATH), each lazy page's chunks put
//! in one file (bundles.rs), the CSS and its fonts copied in, and the rest of `public/` copied to
//! the site's root.
//! `<site>/BUILD` names the folder the server serves; the folder before it is kept (a page loaded
//! just before a restart still gets its lazy chunks) and older ones are removed.
//!
//! Usage: `sitebuild [--site DIR] [--target-dir DIR]` (defaults: `$LEPTOS_SITE_ROOT` or
//! `target/site`; `$CARGO_TARGET_DIR/front` or `target/front`). Prints the build on its last line.

mod bundles;

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

/// The name the server's pages use for the JS and wasm (`LEPTOS_OUTPUT_NAME`).
const OUTPUT_NAME: &str = "dieuhanh";
/// The name Leptos's `HydrationScripts` looks for when files are not renamed one by one.
const SPLIT_LOADER: &str = "./__wasm_split.______________________.js";

/// In a build's folder: the hash of what it was made from (see `inputs_hash`).
const INPUTS_FILE: &str = ".inputs";

/// Chunks smaller than this are left as the linker made them (see `optimise`).
const SMALLEST_OPTIMISED: u64 = 1024;

type Result<T> = std::result::Result<T, String>;

fn main() -> ExitCode {
    match run() {
        Ok(build) => {
            println!("{build}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("sitebuild: {e}");
            ExitCode::FAILURE
        }
    }
}

struct Args {
    site: PathBuf,
    target_dir: PathBuf,
}

fn args() -> Result<Args> {
    let mut site = std::env::var_os("LEPTOS_SITE_ROOT")
        .filter(|s| !s.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| "target/site".into());
    let mut target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .filter(|s| !s.is_empty())
        .map(|d| PathBuf::from(d).join("front"))
        .unwrap_or_else(|| "target/front".into());
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--site" => site = value()?.into(),
            "--target-dir" => target_dir = value()?.into(),
            other => {
                return Err(format!(
                    "unknown argument {other:?} (--site DIR, --target-dir DIR)"
                ));
            }
        }
    }
    Ok(Args { site, target_dir })
}

fn run() -> Result<String> {
    let args = args()?;
    // The checkout to build, read when it runs (`DIEUHANH_ROOT` from the scripts, else the one
    // `cargo run` started it in): a binary built in another checkout that shares the target
    // folder (fresh there, its sources being the same) must build this checkout's site, never
    // the one it was compiled in.
    let root: std::path::PathBuf = match std::env::var_os("DIEUHANH_ROOT") {
        Some(root) => root.into(),
        None => std::path::PathBuf::from(
            std::env::var_os("CARGO_MANIFEST_DIR")
                .unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
        )
        .parent()
        .ok_or("no workspace above sitebuild")?
        .to_path_buf(),
    };
    let root = root.as_path();
    let started = Instant::now();

    let wasm = compile_wasm(root, &args.target_dir)?;
    step("cargo build (wasm)", started);

    let pkg = args.site.join("pkg");
    // The same wasm, CSS and fonts as the build the site serves: nothing to do (splitting and
    // wasm-opt would take minutes to make the same files again).
    let input = std::fs::read(&wasm).map_err(|e| format!("reading {}: {e}", wasm.display()))?;
    let inputs = inputs_hash(&input, root)?;
    if let Ok(current) = std::fs::read_to_string(args.site.join("BUILD")) {
        let current = current.trim();
        let made_from = std::fs::read_to_string(pkg.join(current).join(INPUTS_FILE));
        if made_from.is_ok_and(|h| h.trim() == inputs) {
            eprintln!("sitebuild: build {current} is up to date");
            return Ok(current.to_string());
        }
    }
    let staging = pkg.join(".staging");
    remove_dir(&staging)?;
    mkdir(&staging)?;

    let at = Instant::now();
    let main_split = wasm.with_file_name(format!("{OUTPUT_NAME}_split.wasm"));
    let main_module = format!("./{OUTPUT_NAME}.js");
    let split = wasm_split_cli_support::transform({
        let mut opts = wasm_split_cli_support::Options::new(&input);
        opts.output_dir = &staging;
        opts.main_out_path = &main_split;
        opts.main_module = &main_module;
        opts.link_name = SPLIT_LOADER;
        opts
    })
    .map_err(|e| format!("splitting the wasm into lazy chunks: {e:#}"))?;
    drop(input);
    drop_chunk_comments(&staging.join(SPLIT_LOADER))?;
    step("split", at);

    let at = Instant::now();
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&main_split)
        .web(true)
        .map_err(|e| format!("wasm-bindgen: {e:#}"))?
        .out_name(OUTPUT_NAME)
        .typescript(false)
        // The chunks call the main module through the linker's exports, by their raw names.
        .keep_lld_exports(true)
        .demangle(false)
        .generate(&staging)
        .map_err(|e| format!("wasm-bindgen: {e:#}"))?;
    // Leptos's hydration script asks for `<name>.wasm`.
    rename(
        &staging.join(format!("{OUTPUT_NAME}_bg.wasm")),
        &staging.join(format!("{OUTPUT_NAME}.wasm")),
    )?;
    step("wasm-bindgen", at);

    let at = Instant::now();
    let mut modules = vec![staging.join(format!("{OUTPUT_NAME}.wasm"))];
    modules.extend(
        split
            .split_modules
            .iter()
            .map(|m| {
                if m.is_absolute() || m.starts_with(&staging) {
                    m.clone()
                } else {
                    staging.join(m)
                }
            })
            // Most chunks are a few hundred bytes: wasm-opt (binaryen in Node.js, a second's
            // start each) would take minutes over them for a few bytes each.
            .filter(|m| std::fs::metadata(m).is_ok_and(|md| md.len() > SMALLEST_OPTIMISED)),
    );
    optimise(&modules)?;
    step("wasm-opt -Oz", at);

    let at = Instant::now();
    let mut manifest = split.prefetch_map.clone();
    bundles::bundle(&staging, &staging.join(SPLIT_LOADER), &mut manifest)?;
    let manifest = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())?;
    write(
        &staging.join("__wasm_split_manifest.json"),
        manifest.as_bytes(),
    )?;
    step("bundles", at);

    copy(
        &root.join("style/main.css"),
        &staging.join(format!("{OUTPUT_NAME}.css")),
    )?;
    // The stylesheet names its fonts relative to itself, so they share the build's cache life.
    let fonts = root.join("public/fonts");
    if !fonts.is_dir() {
        return Err(format!(
            "{} is missing: the fonts are part of the repository (public/fonts/README.md)",
            fonts.display()
        ));
    }
    copy_tree(&fonts, &staging.join("fonts"), None)?;

    let build = content_hash(&staging)?;
    let folder = pkg.join(&build);
    if folder.exists() {
        // The same files as a build already there: keep that one (its compressed copies too).
        remove_dir(&staging)?;
    } else {
        rename(&staging, &folder)?;
    }
    write(&folder.join(INPUTS_FILE), inputs.as_bytes())?;
    // The fonts are in the build's folder.
    copy_tree(&root.join("public"), &args.site, Some("fonts"))?;
    let previous = std::fs::read_to_string(args.site.join("BUILD")).ok();
    let tmp = args.site.join("BUILD.tmp");
    write(&tmp, format!("{build}\n").as_bytes())?;
    rename(&tmp, &args.site.join("BUILD"))?;
    prune(&pkg, &build, previous.as_deref().map(str::trim))?;

    eprintln!(
        "sitebuild: site {} in {}, build {build}, {:.0} s",
        args.site.display(),
        folder.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(build)
}

/// `cargo build` of the frontend for the browser; the path of the wasm it links.
fn compile_wasm(root: &Path, target_dir: &Path) -> Result<PathBuf> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(root)
        .args([
            "build",
            "--package=frontend",
            "--lib",
            "--target=wasm32-unknown-unknown",
            "--profile=wasm-release",
        ])
        .arg("--target-dir")
        .arg(target_dir)
        .env("LEPTOS_OUTPUT_NAME", OUTPUT_NAME)
        // The splitter needs the linker's relocations to find what each chunk uses.
        .env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
            "-Clink-args=--emit-relocs",
        )
        .status()
        .map_err(|e| format!("starting cargo: {e}"))?;
    if !status.success() {
        return Err(format!("cargo build of the frontend failed ({status})"));
    }
    Ok(target_dir.join("wasm32-unknown-unknown/wasm-release/frontend.wasm"))
}

/// Takes out of the chunk loader the comment before each chunk that lists the pages using it
/// (two fifths of its bytes and 2 KB of every first visit after Brotli): only whole lines that
/// are such a list go, so no code can be touched.
fn drop_chunk_comments(loader: &Path) -> Result<()> {
    let text = std::fs::read_to_string(loader)
        .map_err(|e| format!("reading {}: {e}", loader.display()))?;
    let is_list = |line: &str| {
        line.strip_prefix("/* ")
            .and_then(|l| l.strip_suffix(" */"))
            .is_some_and(|names| {
                names.split(", ").all(|n| {
                    !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                })
            })
    };
    let kept: String = text
        .split_inclusive('\n')
        .filter(|line| !is_list(line.trim_end_matches('\n')))
        .collect();
    write(loader, kept.as_bytes())
}

/// `wasm-opt -Oz` on each module, on two workers, largest first (so that the main module and
/// the big pages do not end up last on one core). Its warnings about name subsections it does
/// not know (one per function) are shown only if it fails.
fn optimise(modules: &[PathBuf]) -> Result<()> {
    let program = wasm_opt()?;
    let mut queue: Vec<(u64, PathBuf)> = modules
        .iter()
        .map(|m| (std::fs::metadata(m).map_or(0, |md| md.len()), m.clone()))
        .collect();
    // Popped from the end: smallest first in the vector.
    queue.sort();
    let queue = std::sync::Mutex::new(queue);
    let next = || queue.lock().ok().and_then(|mut q| q.pop()).map(|(_, m)| m);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(|| -> Result<()> {
                    while let Some(module) = next() {
                        optimise_one(&program, &module)?;
                    }
                    Ok(())
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or_else(|_| Err("wasm-opt worker panicked".into()))
            })
            .collect::<Result<Vec<()>>>()
            .map(drop)
    })
}

/// How to start wasm-opt: npm's binaryen is a 10 MB WebAssembly program in a Node.js script,
/// and V8 spends more of a core recompiling it with its optimising tier than it saves (1.7 s
/// against 0.7 s for a small chunk, and less CPU for the main module too; the same bytes out),
/// so it runs with Liftoff, V8's baseline compiler, only. A native wasm-opt runs as it is.
fn wasm_opt() -> Result<Vec<std::ffi::OsString>> {
    let found = std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .map(|dir| dir.join("wasm-opt"))
        .find(|p| p.is_file())
        .ok_or("wasm-opt is not on PATH: scripts/setup installs it (binaryen from npm)")?;
    let mut head = [0u8; 64];
    let n = std::fs::File::open(&found)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
        .map_err(|e| format!("{}: {e}", found.display()))?;
    Ok(if head[..n].starts_with(b"#!/usr/bin/env node") {
        vec!["node".into(), "--liftoff-only".into(), found.into()]
    } else {
        vec![found.into()]
    })
}

fn optimise_one(program: &[std::ffi::OsString], module: &Path) -> Result<()> {
    let out = Command::new(&program[0])
        .args(&program[1..])
        .args([
            "-Oz",
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
        ])
        .arg(module)
        .arg("-o")
        .arg(module)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .output()
        .map_err(|e| {
            format!("starting wasm-opt ({e}): scripts/setup installs it (binaryen from npm)")
        })?;
    if !out.status.success() {
        return Err(format!(
            "wasm-opt failed on {} ({}): {}",
            module.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(())
}

/// What a build is made from: the linked wasm, the stylesheet, `public/` (the fonts and the
/// site's root files), and this tool's own source (a change to the steps makes a new build).
fn inputs_hash(wasm: &[u8], root: &Path) -> Result<String> {
    let mut hash = Sha256::new();
    hash.update(env!("CARGO_PKG_VERSION"));
    hash.update(include_bytes!("main.rs"));
    hash.update(include_bytes!("bundles.rs"));
    hash.update(wasm);
    let css = root.join("style/main.css");
    hash.update(std::fs::read(&css).map_err(|e| format!("{}: {e}", css.display()))?);
    hash.update(content_hash(&root.join("public"))?);
    Ok(format!("{:x}", hash.finalize()))
}

/// The first 16 hex digits of a SHA-256 over every file's path and bytes, in name order.
fn content_hash(dir: &Path) -> Result<String> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in read_dir(&folder)? {
            if entry.is_dir() {
                folders.push(entry);
            } else {
                files.push(entry);
            }
        }
    }
    files.sort();
    let mut hash = Sha256::new();
    for file in files {
        let name = file.strip_prefix(dir).unwrap_or(&file);
        hash.update(name.to_string_lossy().as_bytes());
        hash.update([0]);
        hash.update(std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?);
    }
    let digest = hash.finalize();
    Ok(digest[..8].iter().map(|b| format!("{b:02x}")).collect())
}

/// Removes every build folder but `current` and `previous`, and any loose file a build of the
/// cargo-leptos days left directly in `pkg/`.
fn prune(pkg: &Path, current: &str, previous: Option<&str>) -> Result<()> {
    for entry in read_dir(pkg)? {
        let name = entry
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name == current || Some(name) == previous {
            continue;
        }
        if entry.is_dir() {
            remove_dir(&entry)?;
        } else {
            std::fs::remove_file(&entry).map_err(|e| format!("{}: {e}", entry.display()))?;
        }
    }
    Ok(())
}

/// Copies `from` into `to`, leaving out the entry of `from` named `except`.
fn copy_tree(from: &Path, to: &Path, except: Option<&str>) -> Result<()> {
    mkdir(to)?;
    for entry in read_dir(from)? {
        let name = entry.file_name().unwrap_or_default();
        if except.is_some_and(|e| name == e) {
            continue;
        }
        let dest = to.join(name);
        if entry.is_dir() {
            copy_tree(&entry, &dest, None)?;
        } else {
            copy(&entry, &dest)?;
        }
    }
    Ok(())
}

fn step(what: &str, since: Instant) {
    eprintln!("sitebuild: {what} {:.1} s", since.elapsed().as_secs_f64());
}

fn read_dir(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    entries
        .map(|e| {
            e.map(|e| e.path())
                .map_err(|e| format!("{}: {e}", dir.display()))
        })
        .collect()
}

fn mkdir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))
}

fn remove_dir(dir: &Path) -> Result<()> {
    match std::fs::remove_dir_all(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(format!("{}: {e}", dir.display()))
        }
        _ => Ok(()),
    }
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

fn copy(from: &Path, to: &Path) -> Result<()> {
    std::fs::copy(from, to)
        .map(drop)
        .map_err(|e| format!("copying {} to {}: {e}", from.display(), to.display()))
}

fn rename(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to)
        .map_err(|e| format!("moving {} to {}: {e}", from.display(), to.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loader_loses_only_its_lists_of_pages() {
        let dir = std::env::temp_dir().join(format!("sitebuild-test-{}", std::process::id()));
        mkdir(&dir).unwrap();
        let loader = dir.join("loader.js");
        let code = "const __chunk_1 = makeLoad(() => {\n    /* a note */\n}, []);\n/* keep: not a list */\n";
        let text = format!(
            "/* __admin_route_view_1, __wall_route_view_22 */\n{code}/* __tasks_route_view_3 */\n"
        );
        write(&loader, text.as_bytes()).unwrap();
        drop_chunk_comments(&loader).unwrap();
        assert_eq!(std::fs::read_to_string(&loader).unwrap(), code);
        remove_dir(&dir).unwrap();
    }
}
