//! Danh mục: the Government Office's own catalogue of indicators (and, with them, units and
//! reporting regimes), changed while the centre runs. One path in for every change (a file or
//! the administration page): read, checked by the rules, stored with its audit rows and
//! announced on the live stream, after which every instance reads the catalogue again.

#[cfg(feature = "ssr")]
pub mod check;
#[cfg(feature = "ssr")]
pub mod file;
#[cfg(feature = "ssr")]
mod index;
#[cfg(feature = "ssr")]
pub mod write;

#[cfg(feature = "ssr")]
pub use index::{CatalogueIndex, LiveCatalogue};

use serde::{Deserialize, Serialize};

/// One thing wrong with a catalogue change: where (a file's line and column; line 0 for the
/// whole file or a form) and why, in Vietnamese with the English after it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    pub line: usize,
    pub column: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column.as_str()) {
            (0, "") => f.write_str(&self.message),
            (0, c) => write!(f, "{c}: {}", self.message),
            (l, "") => write!(f, "dòng {l}: {}", self.message),
            (l, c) => write!(f, "dòng {l}, cột {c}: {}", self.message),
        }
    }
}
