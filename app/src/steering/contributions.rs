//! What moved the number, read from the store: the one reading behind the indicator page's
//! section, `GET /api/v1/contributions` and its CSV.

use crate::catalogue::CatalogueIndex;
use crate::error::AppError;
use crate::model::contribution::{Contributions, MemberValues};
use crate::model::{Indicator, Period, Rollup, Unit, UnitCode};
use crate::store::{ObservationQuery, Store};
use std::collections::HashMap;

/// Whose parts make `unit`'s figure of `indicator`: the provinces and ministries for the
/// nation, the communes for a province that has them reporting. Why not, in both languages.
pub fn members_of<'c>(
    catalogue: &'c CatalogueIndex,
    indicator: &Indicator,
    unit: &Unit,
) -> Result<Vec<&'c Unit>, String> {
    if indicator.rollup != Rollup::Sum {
        return Err(format!(
            "số của chỉ tiêu {} không phải là tổng của các đơn vị ({}), nên không tách được phần của từng đơn vị (its figure is not the units' sum, so it cannot be split into theirs)",
            indicator.code,
            indicator.rollup.label_vi()
        ));
    }
    let kinds = indicator.member_kinds(unit.kind);
    let mut members: Vec<&Unit> = catalogue
        .units
        .values()
        .filter(|u| u.parent.as_deref() == Some(unit.code.as_str()) && kinds.contains(&u.kind))
        .collect();
    if members.is_empty() {
        return Err(format!(
            "{} không có đơn vị cấp dưới báo cáo chỉ tiêu {} (no unit below reports it)",
            unit.name_vi, indicator.code
        ));
    }
    members.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(members)
}

/// The parts of `unit`'s change of `indicator` from `from` to `to`; without `to`, its latest
/// period; without `from`, the period before `to`.
pub async fn read(
    store: &dyn Store,
    catalogue: &CatalogueIndex,
    indicator: &str,
    unit: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<Contributions, AppError> {
    let indicator = catalogue.indicators.get(indicator.trim()).ok_or_else(|| {
        AppError::not_found(format!(
            "không có chỉ tiêu mã “{}” (no such indicator)",
            indicator.trim()
        ))
    })?;
    let code = UnitCode::parse(
        unit.map(str::trim)
            .filter(|u| !u.is_empty())
            .unwrap_or("VN"),
    )
    .map_err(|e| AppError::invalid(format!("unit: {e}")))?;
    let unit = catalogue.units.get(code.as_str()).ok_or_else(|| {
        AppError::not_found(format!("không có đơn vị mã “{code}” (no such unit)"))
    })?;
    let members = members_of(catalogue, indicator, unit).map_err(AppError::invalid)?;
    let period = |name: &str, text: Option<&str>| -> Result<Option<Period>, AppError> {
        let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
            return Ok(None);
        };
        let p = Period::parse(text).map_err(|e| AppError::invalid(format!("{name}: {e}")))?;
        if p.periodicity() != indicator.periodicity {
            return Err(AppError::invalid(format!(
                "{name}: kỳ {text} không phải kỳ {} của chỉ tiêu {} (not one of its periods)",
                indicator.periodicity.label_vi(),
                indicator.code
            )));
        }
        Ok(Some(p))
    };
    let (from, to) = (period("from", from)?, period("to", to)?);
    let to = match to {
        Some(p) => p,
        None => latest_period(store, &indicator.code, &unit.code)
            .await?
            .ok_or_else(|| {
                AppError::not_found(format!(
                    "chưa có số liệu {} của {} (no values yet)",
                    indicator.code, unit.name_vi
                ))
            })?,
    };
    let from = from.unwrap_or_else(|| to.prev());
    if from.start() >= to.start() {
        return Err(AppError::invalid(format!(
            "from: kỳ đầu {from} phải trước kỳ cuối {to} (the first period must come before the last)"
        )));
    }
    let at = |p: Period| ObservationQuery {
        indicator: Some(indicator.code.clone()),
        parent: Some(unit.code.clone()),
        from: Some(p),
        to: Some(p),
        ..Default::default()
    };
    let by_unit = |rows: Vec<crate::model::Observation>| -> HashMap<String, f64> {
        rows.into_iter().map(|o| (o.unit, o.value)).collect()
    };
    let (before, after) = (
        by_unit(store.observations(&at(from)).await?),
        by_unit(store.observations(&at(to)).await?),
    );
    let whole = |p: Period| ObservationQuery {
        indicator: Some(indicator.code.clone()),
        unit: Some(unit.code.clone()),
        from: Some(p),
        to: Some(p),
        ..Default::default()
    };
    let value = |rows: Vec<crate::model::Observation>| rows.first().map(|o| o.value);
    let whole = (
        value(store.observations(&whole(from)).await?),
        value(store.observations(&whole(to)).await?),
    );
    let members: Vec<MemberValues> = members
        .into_iter()
        .map(|m| {
            (
                m.code.clone(),
                m.name_vi.clone(),
                before.get(&m.code).copied(),
                after.get(&m.code).copied(),
            )
        })
        .collect();
    Ok(Contributions::of_sum(
        &indicator.code,
        &unit.code,
        (from, to),
        whole,
        members,
    ))
}

/// The newest period `unit` has a value of `indicator` for.
async fn latest_period(
    store: &dyn Store,
    indicator: &str,
    unit: &str,
) -> Result<Option<Period>, AppError> {
    let snapshot = store
        .latest(&crate::store::LatestScope::Unit(unit.to_string()))
        .await?;
    Ok(snapshot
        .observations
        .into_iter()
        .find(|o| o.indicator == indicator)
        .map(|o| o.period))
}
