//! What moved the number, read from the store: the one reading behind the indicator page's
//! section, `GET /api/v1/contributions` and its CSV.

use crate::catalogue::CatalogueIndex;
use crate::error::AppError;
use crate::model::contribution::{Contributions, MemberValues};
use crate::model::{Indicator, Period, Rollup, Unit, UnitCode};
use crate::store::{ObservationQuery, Store, StoreError};
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
    Ok(between(store, indicator, unit, &members, (from, to)).await?)
}

/// The parts of `unit`'s change from `from` to `to`, with `members` (from [`members_of`]): the
/// whole's and the members' values of each period read, then added up.
pub async fn between(
    store: &dyn Store,
    indicator: &Indicator,
    unit: &Unit,
    members: &[&Unit],
    (from, to): (Period, Period),
) -> Result<Contributions, StoreError> {
    // The members' values (`below`) or the whole's, in one period.
    let values = async |below: bool, p: Period| {
        let (unit_code, parent) = match below {
            true => (None, Some(unit.code.clone())),
            false => (Some(unit.code.clone()), None),
        };
        let rows = store
            .observations(&ObservationQuery {
                indicator: Some(indicator.code.clone()),
                unit: unit_code,
                parent,
                from: Some(p),
                to: Some(p),
                ..Default::default()
            })
            .await?;
        Ok::<HashMap<String, f64>, StoreError>(
            rows.into_iter().map(|o| (o.unit, o.value)).collect(),
        )
    };
    let (before, after) = (values(true, from).await?, values(true, to).await?);
    let whole = (
        values(false, from).await?.remove(&unit.code),
        values(false, to).await?.remove(&unit.code),
    );
    let members: Vec<MemberValues> = members
        .iter()
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
