//! The wall's tile map: the 34 provinces as one tile each, placed roughly by geography (north
//! at the top, the Mekong delta at the bottom), and the classes that colour them.

use crate::model::GoodDirection;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tile {
    pub code: &'static str,
    /// Short name for a small tile.
    pub short: &'static str,
    pub row: u8,
    pub col: u8,
}

pub const ROWS: u8 = 13;
pub const COLS: u8 = 4;

const fn t(code: &'static str, short: &'static str, row: u8, col: u8) -> Tile {
    Tile {
        code,
        short,
        row,
        col,
    }
}

pub const TILES: [Tile; 34] = [
    t("12", "Lai Châu", 0, 0),
    t("15", "Lào Cai", 0, 1),
    t("08", "Tuyên Quang", 0, 2),
    t("04", "Cao Bằng", 0, 3),
    t("11", "Điện Biên", 1, 0),
    t("25", "Phú Thọ", 1, 1),
    t("19", "Thái Nguyên", 1, 2),
    t("20", "Lạng Sơn", 1, 3),
    t("14", "Sơn La", 2, 0),
    t("01", "Hà Nội", 2, 1),
    t("24", "Bắc Ninh", 2, 2),
    t("22", "Quảng Ninh", 2, 3),
    t("38", "Thanh Hóa", 3, 0),
    t("37", "Ninh Bình", 3, 1),
    t("33", "Hưng Yên", 3, 2),
    t("31", "Hải Phòng", 3, 3),
    t("40", "Nghệ An", 4, 0),
    t("42", "Hà Tĩnh", 4, 1),
    t("44", "Quảng Trị", 5, 1),
    t("46", "Huế", 5, 2),
    t("48", "Đà Nẵng", 6, 2),
    t("51", "Quảng Ngãi", 6, 3),
    t("52", "Gia Lai", 7, 3),
    t("66", "Đắk Lắk", 8, 3),
    t("68", "Lâm Đồng", 9, 2),
    t("56", "Khánh Hòa", 9, 3),
    t("80", "Tây Ninh", 10, 0),
    t("79", "TP. Hồ Chí Minh", 10, 1),
    t("75", "Đồng Nai", 10, 2),
    t("91", "An Giang", 11, 0),
    t("82", "Đồng Tháp", 11, 1),
    t("86", "Vĩnh Long", 11, 2),
    t("96", "Cà Mau", 12, 0),
    t("92", "Cần Thơ", 12, 1),
];

/// Number of colour classes.
pub const CLASSES: usize = 5;

/// Class bounds by quantiles of `values`: `CLASSES` ranges (low, high), lowest first. Fewer when
/// values repeat; none without values.
pub fn class_bounds(values: &[f64]) -> Vec<(f64, f64)> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return Vec::new();
    }
    v.sort_by(f64::total_cmp);
    let mut cuts: Vec<f64> = (0..=CLASSES)
        .map(|i| v[((v.len() - 1) * i) / CLASSES])
        .collect();
    cuts.dedup();
    if cuts.len() == 1 {
        return vec![(cuts[0], cuts[0])];
    }
    cuts.windows(2).map(|w| (w[0], w[1])).collect()
}

/// The class of `value`, 0 for the lowest range.
pub fn class_of(value: f64, bounds: &[(f64, f64)]) -> usize {
    bounds
        .iter()
        .position(|(_, hi)| value <= *hi)
        .unwrap_or(bounds.len().saturating_sub(1))
}

/// The CSS class colouring a tile: `good0`..`good4` from worst to best when the indicator has a
/// good direction, `level0`..`level4` from low to high otherwise.
pub fn tone_class(class: usize, classes: usize, direction: GoodDirection) -> String {
    // Spread the classes in use over the whole palette.
    let scaled = if classes <= 1 {
        CLASSES / 2
    } else {
        class * (CLASSES - 1) / (classes - 1)
    };
    match direction {
        GoodDirection::Up => format!("good{scaled}"),
        GoodDirection::Down => format!("good{}", CLASSES - 1 - scaled),
        GoodDirection::None => format!("level{scaled}"),
    }
}

/// Codes ordered from best to worst (by the good direction; highest first when it has none).
pub fn ranking(values: &[(String, f64)], direction: GoodDirection) -> Vec<&(String, f64)> {
    let mut v: Vec<&(String, f64)> = values.iter().collect();
    v.sort_by(|a, b| match direction {
        GoodDirection::Down => a.1.total_cmp(&b.1),
        _ => b.1.total_cmp(&a.1),
    });
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_province_has_one_tile_and_no_two_share_a_place() {
        let codes: HashSet<_> = TILES.iter().map(|t| t.code).collect();
        assert_eq!(codes.len(), 34);
        let places: HashSet<_> = TILES.iter().map(|t| (t.row, t.col)).collect();
        assert_eq!(places.len(), 34);
        assert!(TILES.iter().all(|t| t.row < ROWS && t.col < COLS));
    }

    #[test]
    fn classes_split_values_and_colour_by_good_direction() {
        let values: Vec<f64> = (1..=10).map(f64::from).collect();
        let bounds = class_bounds(&values);
        assert_eq!(bounds.len(), 5);
        assert_eq!(class_of(1.0, &bounds), 0);
        assert_eq!(class_of(10.0, &bounds), 4);
        assert_eq!(tone_class(4, 5, GoodDirection::Up), "good4");
        assert_eq!(tone_class(4, 5, GoodDirection::Down), "good0");
        assert_eq!(class_bounds(&[3.0, 3.0]), vec![(3.0, 3.0)]);
        let values = [("a".to_string(), 1.0), ("b".to_string(), 3.0)];
        let ranked = ranking(&values, GoodDirection::Down);
        assert_eq!(ranked[0].0, "a");
    }
}
