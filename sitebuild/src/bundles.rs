//! One download per lazy page instead of one per chunk.
//!
//! The splitter makes a chunk for every set of pages that share some code: 495 chunks for 18
//! pages, the indicator page alone needing 230 of them, most a few hundred bytes. Over a tablet's
//! HTTP/1.1 link (six connections, 150 ms a round trip) those queue for seconds, and each pays
//! its own headers and compresses alone. Here each page's chunks and its own module are put end
//! to end in `bundle_<page>.wasm`, the page's preload (the manifest) names that one file, and
//! the loader takes a module's bytes from its page's bundle, or from its own file when most of
//! the page is already loaded (a later page shares most chunks with the ones before it).
//!
//! The loader is also written shorter: one line per chunk instead of the splitter's five.

use std::collections::HashMap;
use std::path::Path;

type Result<T> = std::result::Result<T, String>;

/// The splitter's fetcher of one module, around its file's name (wasm_split_cli_support's
/// `fetcher` for the web target, its version pinned in Cargo.toml).
const FETCHER_HEAD: &str = "() => {\n    const src = fetch(new URL(\"./";
const FETCHER_TAIL: &str = ".wasm\", import.meta.url));\n    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));\n}\n";
const MAKE_LOAD: &str = "function makeLoad(fetcher, deps) {\n    const loader = async () => {\n";
const EXPORT: &str = "export const __wasm_split_load_";

/// What the loader needs before the splitter's code: where each module's bytes come from.
const RUNTIME: &str = r#"
// Bytes of each module, by name, once asked for (see sitebuild/src/bundles.rs).
const parts = new Map();
function bytesOf(file) {
    return fetch(new URL(`./${file}.wasm`, import.meta.url)).then((r) => {
        if (!r.ok) throw new Error(`${file}.wasm: ${r.status}`);
        return r.arrayBuffer();
    });
}
function keep(name, bytes) {
    parts.set(name, bytes);
    // A failed download is asked again next time.
    bytes.catch(() => { if (parts.get(name) === bytes) parts.delete(name); });
    return bytes;
}
// A bundle: a 4-byte length, the JSON list of its modules [[name, length], ...], their bytes.
function unpack(b) {
    const n = new DataView(b).getUint32(0, true);
    const list = JSON.parse(new TextDecoder().decode(new Uint8Array(b, 4, n)));
    const at = new Map();
    let from = 4 + n;
    for (const [name, len] of list) {
        at.set(name, b.slice(from, from + len));
        from += len;
    }
    return at;
}
// A page's modules from its bundle, unless most of them are already here.
function openBundle(page, files) {
    const missing = files.filter((f) => f && !parts.has(f));
    if (missing.length * 2 < files.length) return;
    const whole = bytesOf(`bundle_${page}`).then(unpack);
    for (const f of missing) keep(f, whole.then((m) => m.get(f) ?? bytesOf(f)));
}
const F = (name) => Object.assign(() => {
    const src = parts.get(name) ?? keep(name, bytesOf(name));
    return async (imports) => WebAssembly.instantiate(await src, imports);
}, { file: name });
"#;

/// Rewrites the loader at `loader`, writes a bundle per entry of `manifest` into `dir` and
/// points the entry at it. Refuses a loader not of the splitter's known shape.
pub fn bundle(
    dir: &Path,
    loader: &Path,
    manifest: &mut HashMap<String, Vec<String>>,
) -> Result<()> {
    let text = std::fs::read_to_string(loader)
        .map_err(|e| format!("reading {}: {e}", loader.display()))?;
    let unknown = |what: &str| {
        format!(
            "the chunk loader is not of the shape sitebuild knows ({what}): was wasm_split_cli_support updated?"
        )
    };

    // Each module's five-line fetcher becomes F("<file>").
    let mut out = String::with_capacity(text.len() / 2);
    let mut rest = text.as_str();
    let mut fetchers = 0;
    while let Some(at) = rest.find(FETCHER_HEAD) {
        out.push_str(&rest[..at]);
        let after = &rest[at + FETCHER_HEAD.len()..];
        let end = after
            .find(FETCHER_TAIL)
            .ok_or_else(|| unknown("a fetcher's end"))?;
        let file = &after[..end];
        if !file.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(unknown("a module's name"));
        }
        out.push_str(&format!("F(\"{file}\")"));
        rest = &after[end + FETCHER_TAIL.len()..];
        fetchers += 1;
    }
    out.push_str(rest);
    if fetchers == 0 {
        return Err(unknown("no fetcher"));
    }

    // A page's loader opens its bundle before its chunks are asked for; each loader says
    // which module it loads (F's `file`), for a page's bundle to know.
    for (what, from, to) in [
        (
            "makeLoad",
            MAKE_LOAD,
            "function makeLoad(fetcher, deps, page) {\n    const loader = async () => {\n        if (page) openBundle(page, [fetcher, ...deps].map((f) => f.file));\n",
        ),
        (
            "makeLoad's end",
            "        return loadingModule;\n    }\n}\n",
            "        return loadingModule;\n    };\n    load.file = fetcher.file;\n    return load;\n}\n",
        ),
        (
            "makeLoad's loader",
            "    let loadingModule = undefined;\n    return () => {\n",
            "    let loadingModule = undefined;\n    const load = () => {\n",
        ),
    ] {
        if !out.contains(from) {
            return Err(unknown(what));
        }
        out = out.replacen(from, to, 1);
    }
    let mut text = String::with_capacity(out.len());
    for line in out.split_inclusive('\n') {
        let page = line
            .strip_prefix(EXPORT)
            .and_then(|l| l.split_once(' '))
            .map(|(name, _)| name)
            .filter(|name| manifest.contains_key(*name));
        match page {
            // `export const __wasm_split_load_<page> = wrapAsyncCb(makeLoad(F("split_<page>"), [...]));`
            Some(page) if line.trim_end().ends_with("]));") => {
                let head = line.trim_end().trim_end_matches("]));");
                text.push_str(&format!("{head}], \"{page}\"));\n"));
            }
            Some(_) => return Err(unknown("a page's loader on one line")),
            None => text.push_str(line),
        }
    }

    // The bundles: each page's modules behind a list of their names and lengths.
    let mut pages: Vec<&String> = manifest.keys().collect();
    pages.sort();
    for page in pages {
        let mut bytes = Vec::new();
        let mut list = Vec::new();
        for module in &manifest[page] {
            let file = dir.join(format!("{module}.wasm"));
            let b = std::fs::read(&file).map_err(|e| format!("reading {}: {e}", file.display()))?;
            list.push(format!("[\"{module}\",{}]", b.len()));
            bytes.extend_from_slice(&b);
        }
        let head = format!("[{}]", list.join(","));
        let mut whole = (head.len() as u32).to_le_bytes().to_vec();
        whole.extend_from_slice(head.as_bytes());
        whole.extend_from_slice(&bytes);
        let file = dir.join(format!("bundle_{page}.wasm"));
        std::fs::write(&file, &whole).map_err(|e| format!("writing {}: {e}", file.display()))?;
    }
    for modules in manifest.iter_mut() {
        *modules.1 = vec![format!("bundle_{}", modules.0)];
    }

    // The runtime goes after the import of the main module (the first line).
    let (import, body) = text
        .split_once('\n')
        .ok_or_else(|| unknown("the first line"))?;
    let text = format!("{import}\n{RUNTIME}{body}");
    std::fs::write(loader, text).map_err(|e| format!("writing {}: {e}", loader.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fetcher(file: &str) -> String {
        format!("{FETCHER_HEAD}{file}{FETCHER_TAIL}")
    }

    /// A loader of the splitter's shape: two chunks and one page using both.
    fn loader() -> String {
        let make_load = r#"
    let loadingModule = undefined;
    return () => {
        loadingModule = loader();
        return loadingModule;
    }
}
"#;
        format!(
            "import {{ initSync }} from \"./dieuhanh.js\";\n\n{MAKE_LOAD}        return 1;\n    }};{make_load}\
             const __chunk_1 = makeLoad({}, []);\nconst __chunk_2 = makeLoad({}, []);\n\
             {EXPORT}__page_1 = wrapAsyncCb(makeLoad({}, [__chunk_1, __chunk_2]));\n",
            fetcher("chunk_1"),
            fetcher("chunk_2"),
            fetcher("split___page_1")
        )
    }

    #[test]
    fn a_page_gets_one_bundle_of_its_modules_in_order_and_the_loader_opens_it() {
        let dir = std::env::temp_dir().join(format!("sitebuild-bundles-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (name, bytes) in [
            ("chunk_1", &b"one"[..]),
            ("chunk_2", b"two!"),
            ("split___page_1", b"page"),
        ] {
            std::fs::write(dir.join(format!("{name}.wasm")), bytes).unwrap();
        }
        let js = dir.join("loader.js");
        std::fs::write(&js, loader()).unwrap();
        let mut manifest = HashMap::from([(
            "__page_1".to_string(),
            vec!["chunk_1".into(), "chunk_2".into(), "split___page_1".into()],
        )]);
        bundle(&dir, &js, &mut manifest).unwrap();

        assert_eq!(manifest["__page_1"], ["bundle___page_1"]);
        let head = br#"[["chunk_1",3],["chunk_2",4],["split___page_1",4]]"#;
        let mut expected = (head.len() as u32).to_le_bytes().to_vec();
        expected.extend_from_slice(head);
        expected.extend_from_slice(b"onetwo!page");
        assert_eq!(
            std::fs::read(dir.join("bundle___page_1.wasm")).unwrap(),
            expected
        );
        let text = std::fs::read_to_string(&js).unwrap();
        assert!(text.starts_with("import { initSync } from \"./dieuhanh.js\";\n"));
        assert!(
            text.contains("const __chunk_1 = makeLoad(F(\"chunk_1\"), []);"),
            "{text}"
        );
        assert!(
            text.contains(
                "export const __wasm_split_load___page_1 = wrapAsyncCb(makeLoad(F(\"split___page_1\"), [__chunk_1, __chunk_2], \"__page_1\"));"
            ),
            "{text}"
        );
        assert!(
            text.contains("if (page) openBundle(page, [fetcher, ...deps].map((f) => f.file));")
        );
        assert!(text.contains("load.file = fetcher.file;"));
        assert!(!text.contains("instantiateStreaming"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_loader_of_another_shape_is_refused_not_half_rewritten() {
        let dir = std::env::temp_dir().join(format!("sitebuild-shape-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let js = dir.join("loader.js");
        let other = loader().replace("instantiateStreaming", "instantiate");
        std::fs::write(&js, &other).unwrap();
        let err = bundle(&dir, &js, &mut HashMap::new()).unwrap_err();
        assert!(err.contains("wasm_split_cli_support"), "{err}");
        assert_eq!(std::fs::read_to_string(&js).unwrap(), other);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
