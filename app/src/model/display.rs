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
    /// The provinces' figures off track or at risk against their targets, worst first.
    AtRisk,
}

impl WallPageKind {
    pub const ALL: [WallPageKind; 4] = [
        WallPageKind::Headlines,
        WallPageKind::Map,
        WallPageKind::Tasks,
        WallPageKind::AtRisk,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WallPageKind::Headlines => "headlines",
            WallPageKind::Map => "map",
            WallPageKind::Tasks => "tasks",
            WallPageKind::AtRisk => "at_risk",
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
            WallPageKind::AtRisk => "Chậm tiến độ",
        }
    }

    pub fn label(self, lang: crate::model::i18n::Lang) -> &'static str {
        lang.pick(
            self.label_vi(),
            match self {
                WallPageKind::Headlines => "Headline indicators",
                WallPageKind::Map => "Province map",
                WallPageKind::Tasks => "Tasks",
                WallPageKind::AtRisk => "Off track",
            },
        )
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

/// Longest rotation interval, in seconds.
pub const MAX_ROTATE_SECONDS: u32 = 3600;

fn list(text: &str) -> Vec<String> {
    text.split([',', ' ', ';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

impl DisplayConfig {
    /// Reads a layout from the admin form or the command line (lists separated by commas or
    /// spaces), checked against the catalogue. The reason is in Vietnamese and English.
    pub fn from_form(
        pages: &str,
        indicators: &str,
        map_indicator: &str,
        rotate_seconds: &str,
        catalogue: &[crate::model::Indicator],
    ) -> Result<DisplayConfig, String> {
        use crate::model::UnitKind;
        let mut page_kinds = Vec::new();
        for p in list(pages) {
            let kind = WallPageKind::parse(&p).ok_or_else(|| {
                format!(
                    "trang “{}” không có; dùng headlines, map, tasks (unknown page)",
                    p.chars().take(40).collect::<String>()
                )
            })?;
            if !page_kinds.contains(&kind) {
                page_kinds.push(kind);
            }
        }
        if page_kinds.is_empty() {
            return Err("cần ít nhất một trang (at least one page)".into());
        }
        let find = |code: &str| catalogue.iter().find(|i| i.code == code);
        let mut codes = Vec::new();
        for code in list(indicators) {
            let code = code.to_uppercase();
            let Some(i) = find(&code) else {
                return Err(format!(
                    "không có chỉ tiêu mã “{}” (unknown indicator)",
                    code.chars().take(40).collect::<String>()
                ));
            };
            if !i.is_reported_by(UnitKind::National) {
                return Err(format!(
                    "chỉ tiêu {code} không có số liệu toàn quốc (no national value)"
                ));
            }
            if !codes.contains(&code) {
                codes.push(code);
            }
        }
        if codes.is_empty() || codes.len() > MAX_TILES {
            return Err(format!(
                "chọn từ 1 đến {MAX_TILES} chỉ tiêu (choose 1 to {MAX_TILES} indicators)"
            ));
        }
        let map = map_indicator.trim().to_uppercase();
        match find(&map) {
            Some(i) if i.is_reported_by(UnitKind::Province) => {}
            Some(_) => {
                return Err(format!(
                    "chỉ tiêu {map} không có số liệu tỉnh, thành (no provincial values for the map)"
                ));
            }
            None => {
                return Err(format!(
                    "không có chỉ tiêu mã “{}” cho bản đồ (unknown map indicator)",
                    map.chars().take(40).collect::<String>()
                ));
            }
        }
        let rotate_seconds = match rotate_seconds.trim() {
            "" => 0,
            t => match t.parse::<u32>() {
                Ok(n) if n == 0 || (5..=MAX_ROTATE_SECONDS).contains(&n) => n,
                _ => {
                    return Err(format!(
                        "thời gian chuyển trang: 0 (không chuyển) hoặc từ 5 đến {MAX_ROTATE_SECONDS} giây (rotation: 0, or 5 to {MAX_ROTATE_SECONDS} s)"
                    ));
                }
            },
        };
        Ok(DisplayConfig {
            pages: page_kinds,
            indicators: codes,
            map_indicator: map,
            rotate_seconds,
        })
    }
}
