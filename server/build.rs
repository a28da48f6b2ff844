//! Embeds the SQL migrations of both databases in the binary (the release archive runs without
//! the checkout), as sqlx's `migrate!` macro would; that macro's feature builds a second copy of
//! both database drivers for the compiler. `store::migrator` reads the list this writes.

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let root = manifest.join("../migrations");
    // A folder: cargo rebuilds when any file in it is added, removed or changed.
    println!("cargo:rerun-if-changed={}", root.display());
    let mut code = String::new();
    for db in ["sqlite", "postgres"] {
        let dir = root.join(db);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|entry| entry.expect("a readable folder").path())
            .filter(|p| p.extension().is_some_and(|e| e == "sql"))
            .collect();
        files.sort();
        code.push_str(&format!(
            "pub const {}: &[(&str, &str)] = &[\n",
            db.to_uppercase()
        ));
        for file in files {
            let name = file.file_name().expect("a file").to_string_lossy();
            let path = file.canonicalize().expect("an existing file");
            code.push_str(&format!(
                "    ({name:?}, include_str!({:?})),\n",
                path.display().to_string()
            ));
        }
        code.push_str("];\n");
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets it"));
    std::fs::write(out.join("migrations.rs"), code).expect("OUT_DIR is writable");
}
