//! What moved the number, read from the store: the one reading behind the indicator page's
//! section, `GET /api/v1/contributions` and its CSV.

use crate::catalogue::CatalogueIndex;
use crate::error::AppError;
use crate::model::contribution::{Contributions, WeightedBy};
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
    match indicator.rollup {
        Rollup::Sum => {}
        Rollup::WeightedMean if indicator.mean_weight().is_some() => {}
        Rollup::WeightedMean => {
            return Err(format!(
                "chỉ tiêu {} là bình quân gia quyền nhưng danh mục chưa ghi chỉ tiêu làm trọng số (cột weight), nên không tách được phần của từng đơn vị (a weighted mean with no weight indicator in the catalogue cannot be split)",
                indicator.code
            ));
        }
        _ => {
            return Err(format!(
                "số của chỉ tiêu {} không phải là tổng hay bình quân gia quyền của các đơn vị ({}), nên không tách được phần của từng đơn vị (its figure is not made from the units', so it cannot be split into theirs)",
                indicator.code,
                indicator.rollup.label_vi()
            ));
        }
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
    Ok(between(store, catalogue, indicator, unit, &members, (from, to)).await?)
}

/// The parts of `unit`'s change from `from` to `to`, with `members` (from [`members_of`]): the
/// whole's and the members' values of each period read, then added up.
pub async fn between(
    store: &dyn Store,
    catalogue: &CatalogueIndex,
    indicator: &Indicator,
    unit: &Unit,
    members: &[&Unit],
    (from, to): (Period, Period),
) -> Result<Contributions, StoreError> {
    // One indicator's values of the members (`below`) or of the whole, in one period.
    let values = async |code: &str, below: bool, p: Period| {
        let (unit_code, parent) = match below {
            true => (None, Some(unit.code.clone())),
            false => (Some(unit.code.clone()), None),
        };
        let rows = store
            .observations(&ObservationQuery {
                indicator: Some(code.to_string()),
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
    let code = indicator.code.as_str();
    let (before, after) = (
        values(code, true, from).await?,
        values(code, true, to).await?,
    );
    let whole = (
        values(code, false, from).await?.remove(&unit.code),
        values(code, false, to).await?.remove(&unit.code),
    );
    // A weighted mean's weights, read only for one.
    let weights = match indicator.mean_weight() {
        Some(w) => (values(w, true, from).await?, values(w, true, to).await?),
        None => Default::default(),
    };
    Ok(split(
        catalogue,
        indicator,
        &unit.code,
        members,
        (from, to),
        whole,
        |of, member, p| {
            let (b, a) = match of == code {
                true => (&before, &after),
                false => (&weights.0, &weights.1),
            };
            if p == from { b } else { a }.get(member).copied()
        },
    ))
}

/// The parts of `unit`'s change of `indicator`, with `value(indicator, member, period)` reading
/// a member's value (of the indicator, or of its weight): a sum's parts, or a weighted mean's.
/// The one rule the indicator page, the API and the brief split a figure by.
pub fn split(
    catalogue: &CatalogueIndex,
    indicator: &Indicator,
    unit: &str,
    members: &[&Unit],
    (from, to): (Period, Period),
    whole: (Option<f64>, Option<f64>),
    value: impl Fn(&str, &str, Period) -> Option<f64>,
) -> Contributions {
    let code = indicator.code.as_str();
    let pair = |of: &str, m: &Unit| (value(of, &m.code, from), value(of, &m.code, to));
    match indicator.mean_weight() {
        Some(w) => Contributions::of_weighted_mean(
            code,
            unit,
            weighted_by(catalogue, w),
            (from, to),
            whole,
            members
                .iter()
                .map(|m| {
                    let ((vb, va), (wb, wa)) = (pair(code, m), pair(w, m));
                    (m.code.clone(), m.name_vi.clone(), vb, va, wb, wa)
                })
                .collect(),
        ),
        None => Contributions::of_sum(
            code,
            unit,
            (from, to),
            whole,
            members
                .iter()
                .map(|m| {
                    let (b, a) = pair(code, m);
                    (m.code.clone(), m.name_vi.clone(), b, a)
                })
                .collect(),
        ),
    }
}

/// The weight indicator `code` as the parts name it (its code alone if it has left the
/// catalogue since).
pub fn weighted_by(catalogue: &CatalogueIndex, code: &str) -> WeightedBy {
    let named = catalogue.indicators.get(code);
    WeightedBy {
        code: code.to_string(),
        name_vi: named.map_or(code, |i| &i.name_vi).to_string(),
        name_en: named.map_or(code, |i| &i.name_en).to_string(),
    }
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
