//! An indicator's page data: the time series of one unit with the same period a year earlier,
//! and the provinces ranked for one period. Public, like the overview.

use crate::model::view::IndicatorView;
use leptos::prelude::*;

/// Longest range shown at once, in years (a longer one is refused with a message).
pub const MAX_RANGE_YEARS: i32 = 20;
/// Points shown when no range is given.
pub const DEFAULT_POINTS: usize = 24;

#[server(prefix = "/fn", endpoint = "indicator_view")]
pub async fn get_indicator_view(
    code: String,
    #[server(default)] unit: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
    #[server(default)] period: String,
    #[server(default)] order: String,
) -> Result<IndicatorView, ServerFnError> {
    use crate::model::view::{Point, RankOrder, RankRow, sort_ranking};
    use crate::model::{Period, UnitCode, UnitKind};
    use crate::store::ObservationQuery;
    use std::collections::HashMap;
    let store = expect_context::<crate::store::SharedStore>();
    let indicators = store.indicators().await.map_err(super::unavailable)?;
    let Some(indicator) = indicators.into_iter().find(|i| i.code == code) else {
        super::set_status(404);
        return Err(ServerFnError::new(format!(
            "Không có chỉ tiêu mã “{}”. (No such indicator.)",
            code.chars().take(40).collect::<String>()
        )));
    };
    let unit_code = match unit.trim() {
        "" => "VN".to_string(),
        u => UnitCode::parse(u)
            .map_err(|e| super::invalid(e.to_string()))?
            .as_str()
            .to_string(),
    };
    let Some(unit) = store.unit(&unit_code).await.map_err(super::unavailable)? else {
        super::set_status(404);
        return Err(ServerFnError::new(format!(
            "Không có đơn vị mã “{unit_code}”. (No such unit.)"
        )));
    };
    let period_of = |name: &str, text: &str| -> Result<Option<Period>, ServerFnError> {
        match text.trim() {
            "" => Ok(None),
            t => {
                let p = Period::parse(t).map_err(|e| super::invalid(format!("{name}: {e}")))?;
                if p.periodicity() != indicator.periodicity {
                    return Err(super::invalid(format!(
                        "{name}: chỉ tiêu này theo {}, không theo kỳ “{p}” (wrong periodicity)",
                        indicator.periodicity.label_vi()
                    )));
                }
                Ok(Some(p))
            }
        }
    };
    let (from, to) = (period_of("from", &from)?, period_of("to", &to)?);
    let ranking_period = period_of("period", &period)?;
    if let (Some(f), Some(t)) = (from, to) {
        if f.start() > t.start() {
            return Err(super::invalid(
                "“from” phải trước “to” (the range starts after it ends)",
            ));
        }
    }
    if let (Some(f), Some(t)) = (from, to) {
        if t.start().years_since(f.start()).unwrap_or(0) as i32 >= MAX_RANGE_YEARS {
            return Err(super::invalid(format!(
                "Khoảng thời gian tối đa {MAX_RANGE_YEARS} năm. (At most {MAX_RANGE_YEARS} years at once.)"
            )));
        }
    }
    // The path from the nation down to this unit.
    let breadcrumb = crate::views::breadcrumb(store.as_ref(), &unit)
        .await
        .map_err(super::unavailable)?;
    let query = |unit: Option<String>, from: Option<Period>, to: Option<Period>| ObservationQuery {
        indicator: Some(indicator.code.clone()),
        unit,
        from,
        to,
    };
    let mut series: Vec<Point> = store
        .observations(&query(Some(unit.code.clone()), from, to))
        .await
        .map_err(super::unavailable)?
        .into_iter()
        .map(|o| Point {
            period: o.period,
            value: o.value,
            simulated: o.simulated,
        })
        .collect();
    if from.is_none() && series.len() > DEFAULT_POINTS {
        series.drain(..series.len() - DEFAULT_POINTS);
    }
    let year_ago: Vec<Option<f64>> = match (series.first(), series.last()) {
        (Some(first), Some(last)) => {
            let earlier: HashMap<Period, f64> = store
                .observations(&query(
                    Some(unit.code.clone()),
                    Some(first.period.year_ago()),
                    Some(last.period.year_ago()),
                ))
                .await
                .map_err(super::unavailable)?
                .into_iter()
                .map(|o| (o.period, o.value))
                .collect();
            series
                .iter()
                .map(|p| earlier.get(&p.period.year_ago()).copied())
                .collect()
        }
        _ => Vec::new(),
    };
    let order = RankOrder::parse(order.trim());
    let ranking_period = ranking_period.or_else(|| series.last().map(|p| p.period));
    let mut ranking = Vec::new();
    if let Some(p) = ranking_period.filter(|_| indicator.is_reported_by(UnitKind::Province)) {
        let provinces: HashMap<String, String> = store
            .children("VN")
            .await
            .map_err(super::unavailable)?
            .into_iter()
            .filter(|u| u.kind == UnitKind::Province)
            .map(|u| (u.code, u.name_vi))
            .collect();
        let earlier: HashMap<String, f64> = store
            .observations(&query(None, Some(p.year_ago()), Some(p.year_ago())))
            .await
            .map_err(super::unavailable)?
            .into_iter()
            .map(|o| (o.unit, o.value))
            .collect();
        ranking = store
            .observations(&query(None, Some(p), Some(p)))
            .await
            .map_err(super::unavailable)?
            .into_iter()
            .filter_map(|o| {
                let name_vi = provinces.get(&o.unit)?.clone();
                Some(RankRow {
                    year_ago: earlier.get(&o.unit).copied(),
                    unit: o.unit,
                    name_vi,
                    value: o.value,
                    simulated: o.simulated,
                })
            })
            .collect();
        sort_ranking(&mut ranking, order, indicator.good_direction);
    }
    let simulated = series.iter().any(|p| p.simulated) || ranking.iter().any(|r| r.simulated);
    Ok(IndicatorView {
        indicator,
        unit,
        breadcrumb,
        series,
        year_ago,
        from,
        to,
        ranking_period,
        ranking,
        order,
        simulated,
    })
}
