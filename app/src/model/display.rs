//! Màn hình: what one wall screen shows, as an admin set it. Changing it is pushed to the screen
//! live (topic `display:<id>`).

use serde::{Deserialize, Serialize};

/// One page of a screen's playlist.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WallPageKind {
    /// Headline tiles of the chosen indicators.
    Headlines,
    /// The tile map of the provinces, coloured by the map indicator, with the top and bottom five.
    Map,
    /// Task counts by class and the overdue list (once tasks exist).
    Tasks,
}

impl WallPageKind {
    pub const ALL: [WallPageKind; 3] = [
        WallPageKind::Headlines,
        WallPageKind::Map,
        WallPageKind::Tasks,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WallPageKind::Headlines => "headlines",
            WallPageKind::Map => "map",
            WallPageKind::Tasks => "tasks",
        }
    }

    pub fn parse(s: &str) -> Option<WallPageKind> {
        WallPageKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            WallPageKind::Headlines => "Chỉ tiêu chính",
            WallPageKind::Map => "Bản đồ tỉnh, thành",
            WallPageKind::Tasks => "Nhiệm vụ",
        }
    }
}

/// A screen's layout and playlist.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DisplayConfig {
    /// Pages shown in turn (at least one).
    pub pages: Vec<WallPageKind>,
    /// Indicators of the headline tiles, in order (national values).
    pub indicators: Vec<String>,
    /// Indicator that colours the province map.
    pub map_indicator: String,
    /// Seconds each page stays before the next; 0 keeps the first page.
    pub rotate_seconds: u32,
}

/// Most headline tiles one page holds (readable from 5 m at 1920x1080).
pub const MAX_TILES: usize = 12;

impl Default for DisplayConfig {
    fn default() -> Self {
        DisplayConfig {
            pages: vec![WallPageKind::Headlines, WallPageKind::Map],
            indicators: [
                "GDP_GROWTH",
                "CPI_YOY",
                "IIP_YOY",
                "EXPORT_VALUE",
                "TRADE_BALANCE",
                "RETAIL_SALES",
                "FDI_DISBURSED",
                "BUDGET_REVENUE",
                "PUBINV_DISBURSED",
                "NEW_ENTERPRISES",
                "INTL_VISITORS",
                "ONLINE_DOSSIERS",
            ]
            .map(String::from)
            .to_vec(),
            map_indicator: "PUBINV_DISBURSED".into(),
            rotate_seconds: 30,
        }
    }
}
