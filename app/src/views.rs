//! Assembles page data from the store (server only).

use crate::model::view::{IndicatorCard, Point, SPARKLINE_POINTS, UnitGroup, UnitView};
use crate::model::{Unit, UnitKind};
use crate::store::{Store, StoreError};
use std::collections::HashMap;

/// The units from the nation down to the parent of `unit`.
pub async fn breadcrumb(store: &dyn Store, unit: &Unit) -> Result<Vec<Unit>, StoreError> {
    let mut path = Vec::new();
    let mut parent = unit.parent.clone();
    while let Some(p) = parent {
        match store.unit(&p).await? {
            Some(u) => {
                parent = u.parent.clone();
                path.insert(0, u);
            }
            None => break,
        }
    }
    Ok(path)
}

/// The page of one unit, or `None` when no such unit exists.
pub async fn unit_view(store: &dyn Store, code: &str) -> Result<Option<UnitView>, StoreError> {
    let Some(unit) = store.unit(code).await? else {
        return Ok(None);
    };

    let breadcrumb = breadcrumb(store, &unit).await?;

    let indicators = store.indicators().await?;
    let mut by_indicator: HashMap<String, Vec<Point>> = HashMap::new();
    for o in store
        .recent_observations(&unit.code, SPARKLINE_POINTS)
        .await?
    {
        by_indicator.entry(o.indicator).or_default().push(Point {
            period: o.period,
            value: o.value,
            simulated: o.simulated,
        });
    }
    // The nation shows every indicator (a province-only one says so); other units show theirs.
    let cards: Vec<IndicatorCard> = indicators
        .into_iter()
        .filter(|i| unit.kind == UnitKind::National || i.is_reported_by(unit.kind))
        .map(|indicator| {
            let mut recent = by_indicator.remove(&indicator.code).unwrap_or_default();
            recent.sort_by_key(|p| p.period.start());
            let reported_here = indicator.is_reported_by(unit.kind);
            IndicatorCard {
                indicator,
                recent,
                reported_here,
            }
        })
        .collect();
    let simulated = cards
        .iter()
        .flat_map(|c| c.recent.iter())
        .any(|p| p.simulated);

    let kids = store.children(&unit.code).await?;
    let group = |kind: UnitKind, vi: &str, en: &str| UnitGroup {
        title_vi: vi.to_string(),
        title_en: en.to_string(),
        units: kids
            .iter()
            .filter(|u| u.kind == kind)
            .cloned()
            .collect::<Vec<Unit>>(),
    };
    let children = [
        group(UnitKind::Ministry, "Bộ, cơ quan ngang bộ", "Ministries"),
        group(
            UnitKind::Province,
            "Tỉnh, thành phố",
            "Provinces and cities",
        ),
        group(
            UnitKind::Commune,
            "Xã, phường, đặc khu",
            "Communes and wards",
        ),
    ]
    .into_iter()
    .filter(|g| !g.units.is_empty())
    .collect();

    Ok(Some(UnitView {
        unit,
        breadcrumb,
        cards,
        children,
        simulated,
    }))
}
