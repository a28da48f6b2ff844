//! Every query of [`Store`], written once for both databases. Each method body runs inside
//! `on!`, which compiles it once per engine with that engine's own pool and transaction types;
//! what differs between them (opening, the single SQLite writer, bulk writes of values, two
//! queries that each database plans well only in its own words) lives in `sqlite.rs` and
//! `postgres.rs`. Placeholders are `$N` in both (sqlx's SQLite driver reads them too).

use super::batch::merge_changes;
use super::rows::{
    AuditRow, CHANGE_COLUMNS, DisplayRow, IndicatorRow, OBS_COLUMNS, ObservationRow,
    REVISION_COLUMNS, RevisionRow, TOKEN_COLUMNS, ThresholdRow, TokenRow, UNIT_COLUMNS, UnitRow,
    UserRow, display_record, reported_by_text,
};
use super::{Engine, SqlStore, conflict_or, db_error};
use app::model::explanation::{ExplanationQuery, ExplanationRequest};
use app::model::meeting::{Meeting, MeetingQuery};
use app::model::report::{Report, ReportState};
use app::model::task::{Task, TaskQuery};
use app::model::view::Point;
use app::model::{Indicator, NewObservation, Observation, Period, Revision, Source, Unit};
use app::store::{
    AttachmentRecord, AuditEntry, AuditQuery, AuditRecord, Change, DisplayRecord, LatestScope,
    NewToken, NewUser, ObservationQuery, Snapshot, Store, StoreError, StoreOutcome, Threshold,
    TokenRecord, UserRecord,
};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgConnection, QueryBuilder, SqliteConnection};
use std::collections::HashMap;

/// Units per multi-row INSERT when seeding: six values each, far under both databases' limits
/// on bound values.
const SEED_CHUNK: usize = 1_000;

/// Keys per read of the values a computation needs: three values each, far under both limits.
const COMPUTE_CHUNK: usize = 1_000;

#[async_trait]
impl Store for SqlStore {
    fn backend(&self) -> &'static str {
        match self.engine {
            Engine::Sqlite(_) => "sqlite",
            Engine::Postgres(_) => "postgres",
        }
    }

    fn on_commit(&self, hook: app::store::CommitHook) {
        let _ = self.commit_hook.set(hook);
    }

    async fn ping(&self) -> Result<(), StoreError> {
        on!(self, |db| {
            sqlx::query("SELECT 1")
                .execute(db.read())
                .await
                .map_err(db_error)?;
            Ok(())
        })
    }

    async fn seed_catalogue(
        &self,
        units: &[Unit],
        indicators: &[Indicator],
    ) -> Result<(), StoreError> {
        on!(self, |db| {
            let mut tx = db.begin_write().await?;
            // Parents come before children in the catalogue, so rows in catalogue order keep the
            // foreign key satisfied; a few multi-row statements rather than 3,400 round trips.
            for (n, chunk) in units.chunks(SEED_CHUNK).enumerate() {
                let mut b = QueryBuilder::new(
                    "INSERT INTO units (code, kind, name_vi, name_en, parent, sort_order) ",
                );
                b.push_values(chunk.iter().enumerate(), |mut row, (i, u)| {
                    row.push_bind(&u.code)
                        .push_bind(u.kind.as_str())
                        .push_bind(&u.name_vi)
                        .push_bind(&u.name_en)
                        .push_bind(&u.parent)
                        .push_bind((n * SEED_CHUNK + i) as i32);
                });
                b.push(
                    " ON CONFLICT (code) DO UPDATE SET kind = excluded.kind, name_vi = excluded.name_vi,
                       name_en = excluded.name_en, parent = excluded.parent, sort_order = excluded.sort_order",
                );
                b.build().execute(&mut *tx).await.map_err(db_error)?;
            }
            for (n, i) in indicators.iter().enumerate() {
                tx.write_indicator(i, Some(n as i32)).await?;
            }
            tx.commit().await.map_err(db_error)
        })
    }

    async fn units(&self) -> Result<Vec<Unit>, StoreError> {
        on!(self, |db| {
            sqlx::query_as::<_, UnitRow>(&format!(
                "SELECT {UNIT_COLUMNS} FROM units ORDER BY sort_order"
            ))
            .fetch_all(db.read())
            .await
            .map_err(db_error)?
            .into_iter()
            .map(Unit::try_from)
            .collect()
        })
    }

    async fn successions(&self) -> Result<Vec<app::model::Succession>, StoreError> {
        on!(self, |db| {
            let rows: Vec<(String, String, String, NaiveDate)> = sqlx::query_as(
                "SELECT former_code, former_name, successor, effective FROM unit_successions
                 ORDER BY effective, former_code",
            )
            .fetch_all(db.read())
            .await
            .map_err(db_error)?;
            Ok(rows
                .into_iter()
                .map(
                    |(former_code, former_name, successor, effective)| app::model::Succession {
                        former_code,
                        former_name,
                        successor,
                        effective,
                    },
                )
                .collect())
        })
    }

    async fn seed_successions(
        &self,
        successions: &[app::model::Succession],
    ) -> Result<(), StoreError> {
        on!(self, |db| {
            let mut tx = db.begin_write().await?;
            for s in successions {
                sqlx::query(
                    "INSERT INTO unit_successions (former_code, former_name, successor, effective)
                     VALUES ($1, $2, $3, $4)
                     ON CONFLICT (former_code, effective, successor) DO UPDATE SET former_name = excluded.former_name",
                )
                .bind(&s.former_code)
                .bind(&s.former_name)
                .bind(&s.successor)
                .bind(s.effective)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
            }
            tx.commit().await.map_err(db_error)
        })
    }

    async fn regimes_with_reports(&self) -> Result<std::collections::HashSet<String>, StoreError> {
        on!(self, |db| {
            let codes: Vec<String> = sqlx::query_scalar(
                "SELECT r.code FROM regimes r WHERE EXISTS (SELECT 1 FROM reports p WHERE p.regime = r.code)",
            )
            .fetch_all(db.read())
            .await
            .map_err(db_error)?;
            Ok(codes.into_iter().collect())
        })
    }

    async fn indicators_with_values(
        &self,
    ) -> Result<std::collections::HashSet<String>, StoreError> {
        on!(self, |db| {
            // One index probe per indicator, not a scan of every value.
            let codes: Vec<String> = sqlx::query_scalar(
                "SELECT i.code FROM indicators i
                 WHERE EXISTS (SELECT 1 FROM observations o WHERE o.indicator = i.code)",
            )
            .fetch_all(db.read())
            .await
            .map_err(db_error)?;
            Ok(codes.into_iter().collect())
        })
    }

    async fn save_indicators(
        &self,
        indicators: &[Indicator],
        audits: &[AuditEntry],
        notice: &str,
    ) -> Result<i64, StoreError> {
        on!(self, |db| {
            let mut tx = db.begin_write().await?;
            for i in indicators {
                tx.write_indicator(i, None).await?;
            }
            let seq = tx.audit_catalogue(audits, notice).await?;
            tx.commit().await.map_err(db_error)?;
            self.committed();
            Ok(seq)
        })
    }

    async fn targets(&self) -> Result<Vec<app::model::target::TargetRow>, StoreError> {
        on!(self, |db| {
            let rows: Vec<(String, String, String, f64, Option<f64>)> = sqlx::query_as(
                "SELECT indicator, unit, period, value, value_max FROM targets
                 ORDER BY indicator, unit, period",
            )
            .fetch_all(db.read())
            .await
            .map_err(db_error)?;
            rows.into_iter()
                .map(|(indicator, unit, period, value, value_max)| {
                    let period = Period::parse(&period).map_err(|_| {
                        StoreError::other(format!("target {indicator}/{unit}: bad period {period}"))
                    })?;
                    Ok(app::model::target::TargetRow {
                        indicator,
                        unit,
                        period,
                        value,
                        value_max,
                    })
                })
                .collect()
        })
    }

    async fn notes(&self) -> Result<Vec<app::model::note::Note>, StoreError> {
        on!(self, |db| {
            let rows: Vec<(i64, i64, String)> = sqlx::query_as(
                "SELECT id, version, body FROM notes WHERE NOT removed ORDER BY from_day, id",
            )
            .fetch_all(db.read())
            .await
            .map_err(db_error)?;
            rows.into_iter().map(super::rows::note_from_row).collect()
        })
    }

    async fn save_note(
        &self,
        n: &app::model::note::Note,
        audit: &AuditEntry,
    ) -> Result<i64, StoreError> {
        on!(self, |db| {
            let mut tx = db.begin_write().await?;
            let body = super::rows::to_json(n)?;
            let id: i64 = if n.id == 0 {
                sqlx::query_scalar(
                    "INSERT INTO notes (from_day, to_day, removed, version, updated_at, body)
                     VALUES ($1, $2, $3, 1, $4, $5) RETURNING id",
                )
                .bind(n.from)
                .bind(n.to)
                .bind(n.removed)
                .bind(Utc::now())
                .bind(&body)
                .fetch_one(&mut *tx)
                .await
                .map_err(db_error)?
            } else {
                let written = sqlx::query(
                    "UPDATE notes SET from_day = $1, to_day = $2, removed = $3,
                     version = version + 1, updated_at = $4, body = $5
                     WHERE id = $6 AND version = $7",
                )
                .bind(n.from)
                .bind(n.to)
                .bind(n.removed)
                .bind(Utc::now())
                .bind(&body)
                .bind(n.id)
                .bind(n.version)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
                if written.rows_affected() == 0 {
                    return Err(super::rows::changed_meanwhile("ghi chú", n.id));
                }
                n.id
            };
            let notice = super::rows::to_json(&app::model::live::CatalogueNotice {
                changed_notes: vec![id],
                ..Default::default()
            })?;
            let audit = AuditEntry {
                target: Some(format!("note:{id}")),
                ..audit.clone()
            };
            tx.audit_catalogue(std::slice::from_ref(&audit), &notice)
                .await?;
            tx.commit().await.map_err(db_error)?;
            self.committed();
            Ok(id)
        })
    }

    async fn save_targets(
        &self,
        items: &[app::catalogue::target_file::TargetEntry],
        audits: &[AuditEntry],
        notice: &str,
    ) -> Result<i64, StoreError> {
        on!(self, |db| {
            let mut tx = db.begin_write().await?;
            for t in items {
                match t.value {
                    Some(value) => sqlx::query(
                        "INSERT INTO targets (indicator, unit, period, value, value_max)
                         VALUES ($1, $2, $3, $4, $5)
                         ON CONFLICT (indicator, unit, period)
                         DO UPDATE SET value = excluded.value, value_max = excluded.value_max",
                    )
                    .bind(&t.indicator)
                    .bind(&t.unit)
                    .bind(t.period.to_string())
                    .bind(value)
                    .bind(t.value_max),
                    None => sqlx::query(
                        "DELETE FROM targets WHERE indicator = $1 AND unit = $2 AND period = $3",
                    )
                    .bind(&t.indicator)
                    .bind(&t.unit)
                    .bind(t.period.to_string()),
                }
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
            }
            let seq = tx.audit_catalogue(audits, notice).await?;
            tx.commit().await.map_err(db_error)?;
            self.committed();
            Ok(seq)
        })
    }

    async fn save_units(
        &self,
        units: &[app::catalogue::unit_file::UnitRecord],
        audits: &[AuditEntry],
        notice: &str,
        today: NaiveDate,
    ) -> Result<i64, StoreError> {
        on!(self, |db| {
            let mut tx = db.begin_write().await?;
            // Parents before children: a new province before the communes a file gives it.
            let mut ordered: Vec<_> = units.iter().collect();
            ordered.sort_by_key(|r| r.unit.kind);
            for r in ordered {
                let u = &r.unit;
                sqlx::query(
                    "INSERT INTO units (code, kind, name_vi, name_en, parent, started, ended, sort_order)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, (SELECT COALESCE(MAX(sort_order), -1) + 1 FROM units))
                     ON CONFLICT (code) DO UPDATE SET name_vi = excluded.name_vi, name_en = excluded.name_en,
                       started = excluded.started, ended = excluded.ended",
                )
                .bind(&u.code)
                .bind(u.kind.as_str())
                .bind(&u.name_vi)
                .bind(&u.name_en)
                .bind(&u.parent)
                .bind(u.started)
                .bind(u.ended)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
            }
            // Successions after every unit, since a successor may be new in this change. Those
            // in force are history (the rules keep them as they were, and a former unit that
            // had the same code keeps its own); those still to come are replaced.
            for r in units {
                sqlx::query(
                    "DELETE FROM unit_successions WHERE former_code = $1 AND effective > $2",
                )
                .bind(&r.unit.code)
                .bind(today)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
                for s in r.successions() {
                    sqlx::query(
                        "INSERT INTO unit_successions (former_code, former_name, successor, effective)
                         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                    )
                    .bind(&s.former_code)
                    .bind(&s.former_name)
                    .bind(&s.successor)
                    .bind(s.effective)
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?;
                }
            }
            let seq = tx.audit_catalogue(audits, notice).await?;
            tx.commit().await.map_err(db_error)?;
            self.committed();
            Ok(seq)
        })
    }

    async fn value_spans(
        &self,
        codes: &[String],
    ) -> Result<HashMap<String, (NaiveDate, NaiveDate)>, StoreError> {
        on!(self, |db| {
            let mut spans = HashMap::new();
            // One unit at a time: each an index range on (unit, indicator, period_start).
            for code in codes {
                let span: (Option<String>, Option<String>) = sqlx::query_as(
                    "SELECT CAST(MIN(period_start) AS TEXT), CAST(MAX(period_start) AS TEXT)
                     FROM observations WHERE unit = $1",
                )
                .bind(code)
                .fetch_one(db.read())
                .await
                .map_err(db_error)?;
                if let (Some(first), Some(last)) = span
                    && let (Ok(first), Ok(last)) = (first.parse(), last.parse())
                {
                    spans.insert(code.clone(), (first, last));
                }
            }
            Ok(spans)
        })
    }

    async fn regimes(&self) -> Result<Vec<app::model::regime::Regime>, StoreError> {
        on!(self, |db| {
            sqlx::query_as::<_, super::rows::RegimeRow>(
                "SELECT code, name_vi, name_en, legal_basis, periodicity, kinds, units, cutoff_day,
                        deadline_working_days, indicators, in_force_from, retired_at
                 FROM regimes ORDER BY sort_order, code",
            )
            .fetch_all(db.read())
            .await
            .map_err(db_error)?
            .into_iter()
            .map(app::model::regime::Regime::try_from)
            .collect()
        })
    }

    async fn save_regimes(
        &self,
        regimes: &[app::model::regime::Regime],
        audits: &[AuditEntry],
        notice: &str,
    ) -> Result<i64, StoreError> {
        on!(self, |db| {
            let list = |items: &mut dyn Iterator<Item = &str>| items.collect::<Vec<_>>().join("|");
            let mut tx = db.begin_write().await?;
            for r in regimes {
                sqlx::query(
                    "INSERT INTO regimes (code, name_vi, name_en, legal_basis, periodicity, kinds, units, cutoff_day,
                       deadline_working_days, indicators, retired_at, in_force_from, sort_order)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
                       (SELECT COALESCE(MAX(sort_order), -1) + 1 FROM regimes))
                     ON CONFLICT (code) DO UPDATE SET name_vi = excluded.name_vi, name_en = excluded.name_en,
                       legal_basis = excluded.legal_basis, periodicity = excluded.periodicity, kinds = excluded.kinds,
                       units = excluded.units, cutoff_day = excluded.cutoff_day,
                       deadline_working_days = excluded.deadline_working_days, indicators = excluded.indicators,
                       retired_at = excluded.retired_at, in_force_from = excluded.in_force_from",
                )
                .bind(&r.code)
                .bind(&r.name_vi)
                .bind(&r.name_en)
                .bind(&r.legal_basis)
                .bind(r.periodicity.as_str())
                .bind(list(&mut r.kinds.iter().map(|k| k.as_str())))
                .bind(list(&mut r.units.iter().map(String::as_str)))
                .bind(r.rules.cutoff_day as i32)
                .bind(r.rules.deadline_working_days as i32)
                .bind(list(&mut r.indicators.iter().map(String::as_str)))
                .bind(r.retired_at)
                .bind(r.in_force_from)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
            }
            let seq = tx.audit_catalogue(audits, notice).await?;
            tx.commit().await.map_err(db_error)?;
            self.committed();
            Ok(seq)
        })
    }

    async fn unit(&self, code: &str) -> Result<Option<Unit>, StoreError> {
        on!(self, |db| {
            sqlx::query_as::<_, UnitRow>(&format!(
                "SELECT {UNIT_COLUMNS} FROM units WHERE code = $1"
            ))
            .bind(code)
            .fetch_optional(db.read())
            .await
            .map_err(db_error)?
            .map(Unit::try_from)
            .transpose()
        })
    }

    async fn children(&self, code: &str) -> Result<Vec<Unit>, StoreError> {
        on!(self, |db| {
            sqlx::query_as::<_, UnitRow>(&format!(
                "SELECT {UNIT_COLUMNS} FROM units WHERE parent = $1 ORDER BY sort_order"
            ))
            .bind(code)
            .fetch_all(db.read())
            .await
            .map_err(db_error)?
            .into_iter()
            .map(Unit::try_from)
            .collect()
        })
    }

    async fn indicators(&self) -> Result<Vec<Indicator>, StoreError> {
        on!(self, |db| {
            sqlx::query_as::<_, IndicatorRow>(
                // An admin's target overrides the catalogue's.
                "SELECT i.code, i.name_vi, i.name_en, i.measure, i.measure_vi, i.periodicity, i.rollup, i.good_direction,
                        i.owner, i.reported_by, COALESCE(t.target, i.target) AS target, i.decimals, i.field,
                        i.change_kind, i.valid_min, i.valid_max, i.formula, i.retired_at, i.national_figure,
                        i.year_total, i.standing_by, i.at_risk_within, i.consistency_within,
                        i.checked_against, i.weight
                 FROM indicators i LEFT JOIN indicator_thresholds t ON t.indicator = i.code ORDER BY i.sort_order",
            )
            .fetch_all(db.read())
            .await
            .map_err(db_error)?
            .into_iter()
            .map(Indicator::try_from)
            .collect()
        })
    }

    async fn recent_points(
        &self,
        unit: &str,
        per_indicator: usize,
    ) -> Result<Vec<(String, Vec<Point>)>, StoreError> {
        let rows: Vec<(String, String)> = on!(self, |db| {
            let (sql, n) = db.recent_sql(per_indicator);
            sqlx::query_as(&sql)
                .bind(unit)
                .bind(n)
                .fetch_all(db.read())
                .await
                .map_err(db_error)?
        });
        rows.into_iter()
            .map(|(indicator, points)| Ok((indicator, super::rows::points(&points)?)))
            .collect()
    }

    async fn values_before(
        &self,
        series: &[(String, String, Period)],
        per_series: usize,
    ) -> Result<HashMap<(String, String), Vec<(Period, f64)>>, StoreError> {
        let mut out: HashMap<(String, String), Vec<(Period, f64)>> = HashMap::new();
        // Three parameters a series: chunks every engine binds. Within an indicator the
        // period's text sorts as its start, so each series is one backward primary-key range.
        for chunk in series.chunks(300) {
            let rows: Vec<(String, String, String, f64)> = on!(self, |db| {
                let mut b = QueryBuilder::new(
                    "SELECT indicator, unit, period, value FROM (SELECT indicator, unit, period, value,
                       ROW_NUMBER() OVER (PARTITION BY indicator, unit ORDER BY period DESC) AS n
                     FROM observations WHERE ",
                );
                for (k, (indicator, unit, before)) in chunk.iter().enumerate() {
                    if k > 0 {
                        b.push(" OR ");
                    }
                    b.push("(indicator = ")
                        .push_bind(indicator.clone())
                        .push(" AND unit = ")
                        .push_bind(unit.clone())
                        .push(" AND period < ")
                        .push_bind(before.to_string())
                        .push(")");
                }
                b.push(") r WHERE n <= ")
                    .push_bind(per_series as i64)
                    .push(" ORDER BY indicator, unit, n");
                b.build_query_as()
                    .fetch_all(db.read())
                    .await
                    .map_err(db_error)?
            });
            for (indicator, unit, period, value) in rows {
                let period = Period::parse(&period).map_err(StoreError::because)?;
                out.entry((indicator, unit))
                    .or_default()
                    .push((period, value));
            }
        }
        Ok(out)
    }

    async fn observations(&self, q: &ObservationQuery) -> Result<Vec<Observation>, StoreError> {
        // The query's conditions on `observations o`, written into each part of the query.
        macro_rules! conditions {
            ($b:expr) => {{
                let b = &mut $b;
                if let Some(i) = &q.indicator {
                    b.push(" AND o.indicator = ").push_bind(i.clone());
                }
                if let Some(u) = &q.unit {
                    b.push(" AND o.unit = ").push_bind(u.clone());
                }
                if let Some(p) = &q.parent {
                    b.push(" AND o.unit IN (SELECT code FROM units WHERE parent = ")
                        .push_bind(p.clone())
                        .push(")");
                }
                if let Some(f) = &q.from {
                    b.push(" AND o.period_start >= ").push_bind(f.start());
                }
                if let Some(t) = &q.to {
                    b.push(" AND o.period_start <= ").push_bind(t.end());
                }
                // The primary key's order: within an indicator every period has one
                // periodicity, so the period's text sorts as its start does.
                if let Some((indicator, unit, period)) = &q.after {
                    b.push(" AND (o.indicator, o.unit, o.period) > (")
                        .push_bind(indicator.clone())
                        .push(", ")
                        .push_bind(unit.clone())
                        .push(", ")
                        .push_bind(period.to_string())
                        .push(")");
                }
            }};
        }
        on!(self, |db| {
            let columns = format!("o.{}", OBS_COLUMNS.replace(", ", ", o."));
            let mut b = QueryBuilder::new("");
            match q.as_of {
                None => {
                    b.push(format!("SELECT {columns} FROM observations o WHERE TRUE"));
                    conditions!(b);
                }
                // Each value's latest revision at or before the seq: the value itself when it
                // has not changed since (nearly all), else its revision of then. A value first
                // stored after the seq is left out.
                Some(seq) => {
                    b.push(format!(
                        "SELECT {OBS_COLUMNS} FROM (SELECT {columns} FROM observations o \
                         WHERE o.seq <= "
                    ))
                    .push_bind(seq);
                    conditions!(b);
                    b.push(
                        " UNION ALL SELECT o.indicator, o.unit, o.period, r.value, r.revision, \
                         r.source, o.status, r.simulated, r.seq, r.recorded_at AS updated_at, \
                         r.usual_low, r.usual_high \
                         FROM observations o JOIN observation_revisions r \
                         ON r.indicator = o.indicator AND r.unit = o.unit AND r.period = o.period \
                         WHERE o.seq > ",
                    )
                    .push_bind(seq)
                    .push(
                        " AND r.seq = (SELECT MAX(x.seq) FROM observation_revisions x \
                         WHERE x.indicator = o.indicator AND x.unit = o.unit \
                         AND x.period = o.period AND x.seq <= ",
                    )
                    .push_bind(seq)
                    .push(")");
                    conditions!(b);
                    b.push(") o");
                }
            }
            b.push(" ORDER BY o.indicator, o.unit, o.period");
            if let Some(limit) = q.limit {
                b.push(" LIMIT ").push_bind(i64::from(limit));
            }
            b.build_query_as::<ObservationRow>()
                .fetch_all(db.read())
                .await
                .map_err(db_error)?
                .into_iter()
                .map(Observation::try_from)
                .collect()
        })
    }

    async fn store_observations(
        &self,
        batch: &[NewObservation],
        source: Source,
        audit: &AuditEntry,
    ) -> Result<StoreOutcome, StoreError> {
        on!(self, |db| {
            if batch.is_empty() {
                return Ok(StoreOutcome::default());
            }
            let mut tx = db.begin_write().await?;
            let outcome =
                super::computed::write_observations(db, &mut *tx, batch, source, audit).await?;
            tx.commit().await.map_err(db_error)?;
            if outcome.last_seq.is_some() {
                self.committed();
            }
            Ok(outcome)
        })
    }

    async fn count_observations(&self) -> Result<u64, StoreError> {
        on!(self, |db| {
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM observations")
                .fetch_one(db.read())
                .await
                .map_err(db_error)?;
            Ok(n as u64)
        })
    }

    async fn revisions(
        &self,
        indicator: &str,
        unit: &str,
        period: &Period,
    ) -> Result<Vec<Revision>, StoreError> {
        on!(self, |db| {
            sqlx::query_as::<_, RevisionRow>(&format!(
                "SELECT {REVISION_COLUMNS} FROM observation_revisions
                 WHERE indicator = $1 AND unit = $2 AND period = $3 ORDER BY revision"
            ))
            .bind(indicator)
            .bind(unit)
            .bind(period.to_string())
            .fetch_all(db.read())
            .await
            .map_err(db_error)?
            .into_iter()
            .map(Revision::try_from)
            .collect()
        })
    }

    async fn changes_since(&self, seq: i64, limit: u32) -> Result<Vec<Change>, StoreError> {
        on!(self, |db| {
            let observations = sqlx::query_as::<_, ObservationRow>(&format!(
                "SELECT {CHANGE_COLUMNS} FROM observation_revisions WHERE seq > $1 ORDER BY seq LIMIT $2"
            ))
            .bind(seq)
            .bind(limit as i64)
            .fetch_all(db.read())
            .await
            .map_err(db_error)?
            .into_iter()
            .map(Observation::try_from)
            .collect::<Result<Vec<_>, _>>()?;
            let events: Vec<(i64, String, String)> = sqlx::query_as(
                "SELECT seq, topic, payload FROM change_log WHERE seq > $1 ORDER BY seq LIMIT $2",
            )
            .bind(seq)
            .bind(limit as i64)
            .fetch_all(db.read())
            .await
            .map_err(db_error)?;
            let events = events
                .into_iter()
                .map(|(seq, topic, payload)| Change::Event {
                    seq,
                    topic,
                    payload,
                })
                .collect();
            Ok(merge_changes(observations, events, limit))
        })
    }

    async fn latest(&self, scope: &LatestScope) -> Result<Snapshot, StoreError> {
        on!(self, |db| {
            // Which (unit `u`, indicator `i`) pairs: each pair's newest value is then one step
            // of the primary key.
            let pairs = |filter| db.latest_sql(filter);
            let (sql, bind) = match scope {
                LatestScope::NationalAndProvinces => {
                    (pairs("u.kind IN ('national', 'province')"), None)
                }
                LatestScope::Unit(u) => (pairs("u.code = $1"), Some(u)),
                LatestScope::Indicator(i) => (pairs("i.code = $1"), Some(i)),
                LatestScope::ProvincesOf(i) => {
                    (pairs("i.code = $1 AND u.kind = 'province'"), Some(i))
                }
                // The flagged values (a partial index) that are still their series' newest.
                LatestScope::Outliers => (
                    format!(
                        "SELECT {OBS_COLUMNS} FROM observations o WHERE o.usual_low IS NOT NULL
                           AND NOT EXISTS (SELECT 1 FROM observations m WHERE m.indicator = o.indicator
                                           AND m.unit = o.unit AND m.period > o.period)
                         ORDER BY o.indicator, o.unit"
                    ),
                    None,
                ),
            };
            // The seq and the rows come from one snapshot of the database.
            let mut tx = db.begin_snapshot().await?;
            let seq: i64 = sqlx::query_scalar("SELECT value FROM seq_counter WHERE id = 1")
                .fetch_one(&mut *tx)
                .await
                .map_err(db_error)?;
            let mut q = sqlx::query_as::<_, ObservationRow>(&sql);
            if let Some(b) = bind {
                q = q.bind(b);
            }
            let rows = q.fetch_all(&mut *tx).await.map_err(db_error)?;
            tx.commit().await.map_err(db_error)?;
            Ok(Snapshot {
                seq,
                observations: rows
                    .into_iter()
                    .map(Observation::try_from)
                    .collect::<Result<_, _>>()?,
            })
        })
    }

    async fn current_seq(&self) -> Result<i64, StoreError> {
        on!(self, |db| {
            sqlx::query_scalar("SELECT value FROM seq_counter WHERE id = 1")
                .fetch_one(db.read())
                .await
                .map_err(db_error)
        })
    }

    async fn thresholds(&self) -> Result<Vec<Threshold>, StoreError> {
        on!(self, |db| {
            Ok(sqlx::query_as::<_, ThresholdRow>(
                "SELECT indicator, target, warning, critical FROM indicator_thresholds ORDER BY indicator",
            )
            .fetch_all(db.read())
            .await
            .map_err(db_error)?
            .into_iter()
            .map(Threshold::from)
            .collect())
        })
    }

    async fn set_threshold(&self, t: &Threshold, audit: &AuditEntry) -> Result<(), StoreError> {
        on!(self, |db| {
            let mut tx = db.begin_write().await?;
            if t.target.is_none() && t.warning.is_none() && t.critical.is_none() {
                sqlx::query("DELETE FROM indicator_thresholds WHERE indicator = $1")
                    .bind(&t.indicator)
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?;
            } else {
                sqlx::query(
                    "INSERT INTO indicator_thresholds (indicator, target, warning, critical, updated_at, updated_by)
                     VALUES ($1, $2, $3, $4, $5, $6)
                     ON CONFLICT (indicator) DO UPDATE SET target = excluded.target, warning = excluded.warning,
                       critical = excluded.critical, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                )
                .bind(&t.indicator)
                .bind(t.target)
                .bind(t.warning)
                .bind(t.critical)
                .bind(Utc::now())
                .bind(&audit.actor)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
            }
            tx.insert_audit(audit).await?;
            tx.commit().await.map_err(db_error)
        })
    }

    async fn report(
        &self,
        regime: &str,
        unit: &str,
        period: &Period,
    ) -> Result<Option<Report>, StoreError> {
        on!(self, |db| {
            let row: Option<(String, String)> = sqlx::query_as(
                "SELECT regime, body FROM reports WHERE regime = $1 AND unit = $2 AND period = $3",
            )
            .bind(regime)
            .bind(unit)
            .bind(period.to_string())
            .fetch_optional(db.read())
            .await
            .map_err(db_error)?;
            row.map(|(regime, b)| super::rows::report_from_row(regime, &b))
                .transpose()
        })
    }

    async fn report_states(&self, period: &Period) -> Result<Vec<ReportState>, StoreError> {
        on!(self, |db| {
            let rows: Vec<(String, String, String, Option<DateTime<Utc>>)> = sqlx::query_as(
                "SELECT regime, unit, status, submitted_at FROM reports WHERE period = $1",
            )
            .bind(period.to_string())
            .fetch_all(db.read())
            .await
            .map_err(db_error)?;
            rows.into_iter()
                .map(|(regime, unit, status, at)| {
                    super::rows::report_state(regime, unit, *period, &status, at)
                })
                .collect()
        })
    }

    async fn reports_of(&self, unit: &str, limit: u32) -> Result<Vec<Report>, StoreError> {
        on!(self, |db| {
            let rows: Vec<(String, String)> = sqlx::query_as(
                "SELECT regime, body FROM reports WHERE unit = $1 ORDER BY updated_at DESC LIMIT $2",
            )
            .bind(unit)
            .bind(i64::from(limit))
            .fetch_all(db.read())
            .await
            .map_err(db_error)?;
            rows.into_iter()
                .map(|(regime, b)| super::rows::report_from_row(regime, &b))
                .collect()
        })
    }

    async fn save_report(
        &self,
        report: &Report,
        expected: i64,
        publish: &[NewObservation],
        audit: &AuditEntry,
    ) -> Result<StoreOutcome, StoreError> {
        on!(self, |db| {
            let stored = Report {
                version: expected + 1,
                ..report.clone()
            };
            let body = serde_json::to_string(&stored).map_err(StoreError::because)?;
            let mut tx = db.begin_write().await?;
            // The same seven values either way; an update also names the version it replaces.
            let query = if expected == 0 {
                sqlx::query(
                    "INSERT INTO reports (unit, period, status, version, submitted_at, updated_at, body, regime)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (regime, unit, period) DO NOTHING",
                )
            } else {
                sqlx::query(
                    "UPDATE reports SET status = $3, version = $4, submitted_at = $5, updated_at = $6, body = $7
                     WHERE unit = $1 AND period = $2 AND regime = $8 AND version = $9",
                )
            }
            .bind(&stored.unit)
            .bind(stored.period.to_string())
            .bind(stored.status.as_str())
            .bind(stored.version)
            .bind(stored.submitted_at)
            .bind(stored.updated_at)
            .bind(&body)
            .bind(&stored.regime);
            let written = if expected == 0 {
                query
            } else {
                query.bind(expected)
            }
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
            if written.rows_affected() == 0 {
                return Err(StoreError::conflict(format!(
                    "báo cáo {} kỳ {} ({}) đã được người khác thay đổi (changed by someone else)",
                    stored.unit, stored.period, stored.regime
                )));
            }
            let outcome = if publish.is_empty() {
                tx.insert_audit(audit).await?;
                StoreOutcome::default()
            } else {
                super::computed::write_observations(db, &mut *tx, publish, Source::Form, audit)
                    .await?
            };
            // Screens that count reports (the wall) hear of every change of state.
            let state =
                serde_json::to_string(&ReportState::of(&stored)).map_err(StoreError::because)?;
            tx.log_change("reports", &state).await?;
            tx.commit().await.map_err(db_error)?;
            self.committed();
            Ok(outcome)
        })
    }

    async fn import_reports(
        &self,
        reports: &[Report],
        audit: &AuditEntry,
    ) -> Result<u64, StoreError> {
        on!(self, |db| {
            let mut tx = db.begin_write().await?;
            let mut written = 0;
            for chunk in reports.chunks(1_000) {
                let mut b = QueryBuilder::new(
                    "INSERT INTO reports (regime, unit, period, status, version, submitted_at, updated_at, body) ",
                );
                let mut bodies = Vec::with_capacity(chunk.len());
                for r in chunk {
                    let stored = Report {
                        version: 1,
                        ..r.clone()
                    };
                    bodies.push(serde_json::to_string(&stored).map_err(StoreError::because)?);
                }
                b.push_values(chunk.iter().zip(&bodies), |mut row, (r, body)| {
                    row.push_bind(&r.regime)
                        .push_bind(&r.unit)
                        .push_bind(r.period.to_string())
                        .push_bind(r.status.as_str())
                        .push_bind(1i64)
                        .push_bind(r.submitted_at)
                        .push_bind(r.updated_at)
                        .push_bind(body);
                });
                b.push(" ON CONFLICT (regime, unit, period) DO NOTHING");
                written += b
                    .build()
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?
                    .rows_affected();
            }
            tx.insert_audit(audit).await?;
            tx.commit().await.map_err(db_error)?;
            self.committed();
            Ok(written)
        })
    }

    async fn meeting(&self, id: i64) -> Result<Option<Meeting>, StoreError> {
        on!(self, |db| {
            let row: Option<(i64, i64, String)> =
                sqlx::query_as("SELECT id, version, body FROM meetings WHERE id = $1")
                    .bind(id)
                    .fetch_optional(db.read())
                    .await
                    .map_err(db_error)?;
            row.map(super::rows::meeting_from_row).transpose()
        })
    }

    async fn meetings(&self, q: &MeetingQuery) -> Result<Vec<Meeting>, StoreError> {
        on!(self, |db| {
            let from = q.from.map(|d| d.and_time(chrono::NaiveTime::MIN));
            let until =
                q.to.and_then(|d| d.succ_opt())
                    .map(|d| d.and_time(chrono::NaiveTime::MIN));
            let mut b = QueryBuilder::new("SELECT id, version, body FROM meetings WHERE TRUE");
            if let Some(kind) = q.kind {
                b.push(" AND kind = ").push_bind(kind.as_str());
            }
            if let Some(from) = from {
                b.push(" AND starts_at >= ").push_bind(from);
            }
            if let Some(until) = until {
                b.push(" AND starts_at < ").push_bind(until);
            }
            b.push(" ORDER BY starts_at, id");
            let rows: Vec<(i64, i64, String)> = b
                .build_query_as()
                .fetch_all(db.read())
                .await
                .map_err(db_error)?;
            rows.into_iter()
                .map(super::rows::meeting_from_row)
                .collect()
        })
    }

    async fn save_meeting(
        &self,
        meeting: &Meeting,
        tasks: &[Task],
        audit: &AuditEntry,
    ) -> Result<(i64, Vec<i64>), StoreError> {
        on!(self, |db| {
            let body = super::rows::to_json(meeting)?;
            let mut tx = db.begin_write().await?;
            let id = if meeting.id == 0 {
                sqlx::query_scalar(
                    "INSERT INTO meetings (kind, starts_at, version, updated_at, body)
                     VALUES ($1, $2, 1, $3, $4) RETURNING id",
                )
                .bind(meeting.kind.as_str())
                .bind(meeting.starts_at)
                .bind(Utc::now())
                .bind(&body)
                .fetch_one(&mut *tx)
                .await
                .map_err(db_error)?
            } else {
                let written = sqlx::query(
                    "UPDATE meetings SET kind = $1, starts_at = $2, version = version + 1, updated_at = $3,
                     body = $4 WHERE id = $5 AND version = $6",
                )
                .bind(meeting.kind.as_str())
                .bind(meeting.starts_at)
                .bind(Utc::now())
                .bind(&body)
                .bind(meeting.id)
                .bind(meeting.version)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
                if written.rows_affected() == 0 {
                    return Err(super::rows::changed_meanwhile("phiên họp", meeting.id));
                }
                meeting.id
            };
            let mut ids = Vec::with_capacity(tasks.len());
            for t in tasks {
                ids.push(tx.write_task(t, Some(id)).await?);
            }
            // A new meeting's audit row names the id it was given.
            let audit = AuditEntry {
                target: Some(format!("meeting:{id}")),
                ..audit.clone()
            };
            tx.insert_audit(&audit).await?;
            tx.commit().await.map_err(db_error)?;
            self.committed();
            Ok((id, ids))
        })
    }

    async fn task(&self, id: i64) -> Result<Option<Task>, StoreError> {
        on!(self, |db| {
            let row: Option<(i64, i64, String)> =
                sqlx::query_as("SELECT id, version, body FROM tasks WHERE id = $1")
                    .bind(id)
                    .fetch_optional(db.read())
                    .await
                    .map_err(db_error)?;
            row.map(super::rows::task_from_row).transpose()
        })
    }

    async fn tasks(&self, q: &TaskQuery) -> Result<Vec<Task>, StoreError> {
        on!(self, |db| {
            let mut b = QueryBuilder::new("SELECT id, version, body FROM tasks WHERE TRUE");
            if let Some(lead) = &q.lead {
                b.push(" AND lead_unit = ").push_bind(lead.as_str());
            }
            if let Some(meeting) = q.meeting {
                b.push(" AND meeting_id = ").push_bind(meeting);
            }
            b.push(" ORDER BY id");
            let rows: Vec<(i64, i64, String)> = b
                .build_query_as()
                .fetch_all(db.read())
                .await
                .map_err(db_error)?;
            rows.into_iter().map(super::rows::task_from_row).collect()
        })
    }

    async fn save_tasks(&self, tasks: &[Task], audit: &AuditEntry) -> Result<Vec<i64>, StoreError> {
        on!(self, |db| {
            let mut tx = db.begin_write().await?;
            let mut ids = Vec::with_capacity(tasks.len());
            for t in tasks {
                ids.push(tx.write_task(t, t.source.meeting()).await?);
            }
            tx.insert_audit(audit).await?;
            tx.commit().await.map_err(db_error)?;
            self.committed();
            Ok(ids)
        })
    }

    async fn explanation(&self, id: i64) -> Result<Option<ExplanationRequest>, StoreError> {
        on!(self, |db| {
            let row: Option<(i64, i64, String)> =
                sqlx::query_as("SELECT id, version, body FROM explanations WHERE id = $1")
                    .bind(id)
                    .fetch_optional(db.read())
                    .await
                    .map_err(db_error)?;
            row.map(super::rows::explanation_from_row).transpose()
        })
    }

    async fn explanations(
        &self,
        q: &ExplanationQuery,
    ) -> Result<Vec<ExplanationRequest>, StoreError> {
        on!(self, |db| {
            let mut b = QueryBuilder::new("SELECT id, version, body FROM explanations WHERE TRUE");
            if let Some(indicator) = &q.indicator {
                b.push(" AND indicator = ").push_bind(indicator.as_str());
            }
            if let Some(units) = &q.units {
                if units.is_empty() {
                    return Ok(Vec::new());
                }
                b.push(" AND unit IN (");
                let mut list = b.separated(", ");
                for u in units {
                    list.push_bind(u.as_str());
                }
                b.push(")");
            }
            if q.waiting {
                b.push(" AND state <> 'accepted'");
            }
            b.push(" ORDER BY id DESC");
            let rows: Vec<(i64, i64, String)> = b
                .build_query_as()
                .fetch_all(db.read())
                .await
                .map_err(db_error)?;
            rows.into_iter()
                .map(super::rows::explanation_from_row)
                .collect()
        })
    }

    async fn save_explanation(
        &self,
        r: &ExplanationRequest,
        audit: &AuditEntry,
    ) -> Result<i64, StoreError> {
        on!(self, |db| {
            let mut tx = db.begin_write().await?;
            let body = super::rows::to_json(r)?;
            let due = r
                .due()
                .ok_or_else(|| StoreError::other("a request without a question"))?;
            let id: i64 = if r.id == 0 {
                sqlx::query_scalar(
                    "INSERT INTO explanations (indicator, unit, period, state, due, version, updated_at, body)
                     VALUES ($1, $2, $3, $4, $5, 1, $6, $7) RETURNING id",
                )
                .bind(&r.indicator)
                .bind(&r.unit)
                .bind(r.period.to_string())
                .bind(r.state().as_str())
                .bind(due)
                .bind(Utc::now())
                .bind(&body)
                .fetch_one(&mut *tx)
                .await
                .map_err(db_error)?
            } else {
                let written = sqlx::query(
                    "UPDATE explanations SET state = $1, due = $2, version = version + 1,
                     updated_at = $3, body = $4 WHERE id = $5 AND version = $6",
                )
                .bind(r.state().as_str())
                .bind(due)
                .bind(Utc::now())
                .bind(&body)
                .bind(r.id)
                .bind(r.version)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
                if written.rows_affected() == 0 {
                    return Err(super::rows::changed_meanwhile("yêu cầu giải trình", r.id));
                }
                r.id
            };
            let notice = app::model::explanation::ExplanationNotice {
                explanation: id,
                ..r.into()
            };
            tx.log_change("explanations", &super::rows::to_json(&notice)?)
                .await?;
            let audit = AuditEntry {
                target: Some(format!("explanation:{id}")),
                ..audit.clone()
            };
            tx.insert_audit(&audit).await?;
            tx.commit().await.map_err(db_error)?;
            self.committed();
            Ok(id)
        })
    }

    async fn briefs(&self) -> Result<Vec<app::brief::model::BriefRecord>, StoreError> {
        on!(self, |db| {
            let rows: Vec<(i64, i64, i64, String)> = sqlx::query_as(
                "SELECT id, version, revision, record FROM briefs
                 ORDER BY month DESC, version DESC",
            )
            .fetch_all(db.read())
            .await
            .map_err(db_error)?;
            rows.into_iter()
                .map(super::rows::brief_record_from_row)
                .collect()
        })
    }

    async fn brief(
        &self,
        id: i64,
    ) -> Result<Option<(app::brief::model::BriefRecord, app::brief::model::Brief)>, StoreError>
    {
        on!(self, |db| {
            let row: Option<(i64, i64, i64, String, String)> = sqlx::query_as(
                "SELECT id, version, revision, record, body FROM briefs WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(db.read())
            .await
            .map_err(db_error)?;
            let Some((id, version, revision, record, body)) = row else {
                return Ok(None);
            };
            let record = super::rows::brief_record_from_row((id, version, revision, record))?;
            let brief = serde_json::from_str(&body).map_err(|e| {
                StoreError::other(format!(
                    "báo cáo {id} không đọc được (stored brief unreadable): {e}"
                ))
            })?;
            Ok(Some((record, brief)))
        })
    }

    async fn save_brief(
        &self,
        r: &app::brief::model::BriefRecord,
        brief: Option<&app::brief::model::Brief>,
        audit: &AuditEntry,
    ) -> Result<(i64, i64), StoreError> {
        use app::brief::model::BriefState;
        on!(self, |db| {
            let mut tx = db.begin_write().await?;
            let record = super::rows::to_json(r)?;
            let body = brief.map(super::rows::to_json).transpose()?;
            let meeting = r.meeting.as_ref().map(|m| m.id);
            let final_ = r.state == BriefState::Final;
            let (id, version): (i64, i64) = if r.id == 0 {
                let body = body.ok_or_else(|| StoreError::other("a new brief without figures"))?;
                // The month's next version, in the writing transaction: two drafts made at
                // once take 1 and 2, never the same. A scheduled draft is made only for a
                // month without any brief: of two instances deciding at once, one makes it.
                let made: Option<(i64, i64)> = sqlx::query_as(
                    "INSERT INTO briefs (month, version, final, meeting, revision, updated_at,
                                         record, body)
                     SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3, 1, $4, $5, $6
                     FROM briefs WHERE month = $7
                     HAVING NOT $8 OR COUNT(*) = 0
                     RETURNING id, version",
                )
                .bind(r.month.to_string())
                .bind(final_)
                .bind(meeting)
                .bind(Utc::now())
                .bind(&record)
                .bind(&body)
                .bind(r.month.to_string())
                .bind(r.scheduled)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_error)?;
                made.ok_or_else(|| {
                    StoreError::conflict(format!(
                        "báo cáo {} đã được lập (the month's brief exists)",
                        r.month
                    ))
                })?
            } else {
                let written = sqlx::query(
                    "UPDATE briefs SET final = $1, meeting = $2, revision = revision + 1,
                     updated_at = $3, record = $4, body = COALESCE($5, body)
                     WHERE id = $6 AND revision = $7 AND NOT final",
                )
                .bind(final_)
                .bind(meeting)
                .bind(Utc::now())
                .bind(&record)
                .bind(body)
                .bind(r.id)
                .bind(r.revision)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
                if written.rows_affected() == 0 {
                    return Err(StoreError::conflict(format!(
                        "báo cáo {} đã được chốt hoặc vừa được người khác thay đổi; hãy tải lại \
                         trang (the brief is final, or was changed meanwhile: reload)",
                        r.id
                    )));
                }
                (r.id, r.version)
            };
            let audit = AuditEntry {
                target: Some(format!("brief:{id}")),
                ..audit.clone()
            };
            tx.insert_audit(&audit).await?;
            tx.commit().await.map_err(db_error)?;
            Ok((id, version))
        })
    }

    async fn add_attachment(
        &self,
        a: &AttachmentRecord,
        audit: &AuditEntry,
    ) -> Result<i64, StoreError> {
        on!(self, |db| {
            let mut tx = db.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO attachments (sha256, name, content_type, size, uploaded_by, uploaded_at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(&a.sha256)
            .bind(&a.attachment.name)
            .bind(&a.attachment.content_type)
            .bind(a.attachment.size as i64)
            .bind(&a.uploaded_by)
            .bind(Utc::now())
            .fetch_one(&mut *tx)
            .await
            .map_err(db_error)?;
            let audit = AuditEntry {
                target: Some(format!("attachment:{id}")),
                ..audit.clone()
            };
            tx.insert_audit(&audit).await?;
            tx.commit().await.map_err(db_error)?;
            Ok(id)
        })
    }

    async fn attachment(&self, id: i64) -> Result<Option<AttachmentRecord>, StoreError> {
        on!(self, |db| {
            let row: Option<(i64, String, String, String, i64, String)> = sqlx::query_as(
                "SELECT id, sha256, name, content_type, size, uploaded_by FROM attachments WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(db.read())
            .await
            .map_err(db_error)?;
            Ok(row.map(super::rows::attachment_from_row))
        })
    }

    async fn reporting_calendar(
        &self,
    ) -> Result<app::model::reporting::ReportingCalendar, StoreError> {
        on!(self, |db| {
            use app::model::reporting::{Holiday, ReportingCalendar};
            let rows: Vec<(NaiveDate, String)> =
                sqlx::query_as("SELECT day, name FROM holidays ORDER BY day")
                    .fetch_all(db.read())
                    .await
                    .map_err(db_error)?;
            Ok(ReportingCalendar {
                holidays: rows
                    .into_iter()
                    .map(|(day, name)| Holiday { day, name })
                    .collect(),
            })
        })
    }

    async fn set_holiday(
        &self,
        day: NaiveDate,
        name: Option<&str>,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        on!(self, |db| {
            let mut tx = db.begin_write().await?;
            match name {
                Some(name) => sqlx::query(
                    "INSERT INTO holidays (day, name, updated_at, updated_by) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (day) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at,
                       updated_by = excluded.updated_by",
                )
                .bind(day)
                .bind(name)
                .bind(Utc::now())
                .bind(&audit.actor),
                None => sqlx::query("DELETE FROM holidays WHERE day = $1").bind(day),
            }
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
            tx.insert_audit(audit).await?;
            tx.commit().await.map_err(db_error)
        })
    }

    async fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        on!(self, |db| {
            sqlx::query_scalar("SELECT value FROM meta WHERE key = $1")
                .bind(key)
                .fetch_optional(db.read())
                .await
                .map_err(db_error)
        })
    }

    async fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        on!(self, |db| {
            sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
                .bind(key)
                .bind(value)
                .execute(db.write())
                .await
                .map_err(db_error)?;
            Ok(())
        })
    }

    async fn create_user(&self, user: &NewUser, audit: &AuditEntry) -> Result<i64, StoreError> {
        on!(self, |db| {
            let mut tx = db.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO users (username, display_name, password_hash, created_at, email) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(&user.username)
            .bind(&user.display_name)
            .bind(&user.password_hash)
            .bind(Utc::now())
            .bind(&user.email)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| conflict_or(e, &user.username))?;
            for g in &user.roles {
                sqlx::query("INSERT INTO user_roles (user_id, role, unit) VALUES ($1, $2, $3)")
                    .bind(id)
                    .bind(g.role.as_str())
                    .bind(&g.unit)
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?;
            }
            tx.insert_audit(audit).await?;
            tx.commit().await.map_err(db_error)?;
            Ok(id)
        })
    }

    async fn user_by_username(&self, username: &str) -> Result<Option<UserRecord>, StoreError> {
        on!(self, |db| {
            let row = sqlx::query_as::<_, UserRow>(
                "SELECT id, username, display_name, password_hash, disabled FROM users WHERE username = $1",
            )
            .bind(username)
            .fetch_optional(db.read())
            .await
            .map_err(db_error)?;
            match row {
                Some(r) => Ok(Some(self.with_roles(r).await?)),
                None => Ok(None),
            }
        })
    }

    async fn set_password(
        &self,
        user_id: i64,
        password_hash: &str,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        on!(self, |db| {
            let mut tx = db.begin_write().await?;
            sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                .bind(password_hash)
                .bind(user_id)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
            tx.insert_audit(audit).await?;
            tx.commit().await.map_err(db_error)
        })
    }

    async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        expires_at: DateTime<Utc>,
        address: Option<&str>,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        on!(self, |db| {
            let mut tx = db.begin_write().await?;
            sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
                .bind(Utc::now())
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
            sqlx::query(
                "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, address) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(token_hash)
            .bind(user_id)
            .bind(Utc::now())
            .bind(expires_at)
            .bind(address)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
            tx.insert_audit(audit).await?;
            tx.commit().await.map_err(db_error)
        })
    }

    async fn session_user(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<UserRecord>, StoreError> {
        on!(self, |db| {
            let row = sqlx::query_as::<_, UserRow>(
                "SELECT u.id, u.username, u.display_name, u.password_hash, u.disabled
                 FROM sessions s JOIN users u ON u.id = s.user_id
                 WHERE s.token_hash = $1 AND s.expires_at > $2 AND NOT u.disabled",
            )
            .bind(token_hash)
            .bind(now)
            .fetch_optional(db.read())
            .await
            .map_err(db_error)?;
            match row {
                Some(r) => Ok(Some(self.with_roles(r).await?)),
                None => Ok(None),
            }
        })
    }

    async fn end_session(
        &self,
        token_hash: &str,
        all: bool,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        on!(self, |db| {
            let mut tx = db.begin_write().await?;
            let sql = if all {
                "DELETE FROM sessions WHERE user_id = (SELECT user_id FROM sessions WHERE token_hash = $1)"
            } else {
                "DELETE FROM sessions WHERE token_hash = $1"
            };
            sqlx::query(sql)
                .bind(token_hash)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
            tx.insert_audit(audit).await?;
            tx.commit().await.map_err(db_error)
        })
    }

    async fn append_audit(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        on!(self, |db| {
            // One statement: no transaction around it (a failed sign-in writes only this).
            let mut conn = db.write().acquire().await.map_err(db_error)?;
            conn.insert_audit(entry).await
        })
    }

    async fn audit_entries(&self, q: &AuditQuery) -> Result<Vec<AuditRecord>, StoreError> {
        on!(self, |db| {
            let mut b = QueryBuilder::new(
                "SELECT id, at, actor, actor_kind, role, unit, action, target, address,
                        CAST(before AS TEXT) AS before, CAST(after AS TEXT) AS after
                 FROM audit_log WHERE TRUE",
            );
            if let Some(a) = &q.actor {
                b.push(" AND actor = ").push_bind(a.clone());
            }
            if let Some(a) = &q.action {
                b.push(" AND action = ").push_bind(a.clone());
            }
            b.push(" ORDER BY id DESC LIMIT ")
                .push_bind(q.limit.clamp(1, 1000) as i64);
            Ok(b.build_query_as::<AuditRow>()
                .fetch_all(db.read())
                .await
                .map_err(db_error)?
                .into_iter()
                .map(Into::into)
                .collect())
        })
    }

    async fn set_disabled(
        &self,
        user_id: i64,
        disabled: bool,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        on!(self, |db| {
            let mut tx = db.begin_write().await?;
            sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
                .bind(disabled)
                .bind(user_id)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
            if disabled {
                sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?;
            }
            tx.insert_audit(audit).await?;
            tx.commit().await.map_err(db_error)
        })
    }

    async fn users(&self) -> Result<Vec<UserRecord>, StoreError> {
        on!(self, |db| {
            let rows = sqlx::query_as::<_, UserRow>(
                "SELECT id, username, display_name, password_hash, disabled FROM users ORDER BY username",
            )
            .fetch_all(db.read())
            .await
            .map_err(db_error)?;
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                out.push(self.with_roles(r).await?);
            }
            Ok(out)
        })
    }

    async fn contacts(&self, only: Option<i64>) -> Result<Vec<app::store::Contact>, StoreError> {
        on!(self, |db| {
            let mut b = QueryBuilder::new("SELECT id, email, notify_prefs FROM users");
            if let Some(id) = only {
                b.push(" WHERE id = ").push_bind(id);
            }
            b.push(" ORDER BY id");
            let rows: Vec<(i64, Option<String>, String)> = b
                .build_query_as()
                .fetch_all(db.read())
                .await
                .map_err(db_error)?;
            rows.into_iter()
                .map(|(user_id, email, prefs)| {
                    Ok(app::store::Contact {
                        user_id,
                        email,
                        prefs: serde_json::from_str(&prefs).map_err(StoreError::because)?,
                    })
                })
                .collect()
        })
    }

    async fn set_contact(
        &self,
        user_id: i64,
        email: Option<&str>,
        prefs: &app::model::notification::NotifyPrefs,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        on!(self, |db| {
            let mut tx = db.begin_write().await?;
            sqlx::query("UPDATE users SET email = $1, notify_prefs = $2 WHERE id = $3")
                .bind(email)
                .bind(super::rows::to_json(prefs)?)
                .bind(user_id)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
            tx.insert_audit(audit).await?;
            tx.commit().await.map_err(db_error)
        })
    }

    async fn follows(
        &self,
        only: Option<i64>,
    ) -> Result<Vec<app::model::notification::Follow>, StoreError> {
        on!(self, |db| {
            let mut b = QueryBuilder::new("SELECT user_id, indicator, unit, since FROM follows");
            if let Some(id) = only {
                b.push(" WHERE user_id = ").push_bind(id);
            }
            b.push(" ORDER BY user_id, indicator, unit");
            let rows: Vec<(i64, String, String, DateTime<Utc>)> = b
                .build_query_as()
                .fetch_all(db.read())
                .await
                .map_err(db_error)?;
            Ok(rows
                .into_iter()
                .map(
                    |(user_id, indicator, unit, since)| app::model::notification::Follow {
                        user_id,
                        indicator,
                        unit,
                        since,
                    },
                )
                .collect())
        })
    }

    async fn set_follow(
        &self,
        follow: &app::model::notification::Follow,
        on: bool,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError> {
        on!(self, |db| {
            let mut tx = db.begin_write().await?;
            let written = if on {
                sqlx::query(
                    "INSERT INTO follows (user_id, indicator, unit, since) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (user_id, indicator, unit) DO NOTHING",
                )
                .bind(follow.user_id)
                .bind(&follow.indicator)
                .bind(&follow.unit)
                .bind(follow.since)
                .execute(&mut *tx)
                .await
            } else {
                sqlx::query(
                    "DELETE FROM follows WHERE user_id = $1 AND indicator = $2 AND unit = $3",
                )
                .bind(follow.user_id)
                .bind(&follow.indicator)
                .bind(&follow.unit)
                .execute(&mut *tx)
                .await
            }
            .map_err(db_error)?;
            let changed = written.rows_affected() > 0;
            if changed {
                tx.insert_audit(audit).await?;
            }
            tx.commit().await.map_err(db_error)?;
            Ok(changed)
        })
    }

    async fn notify(
        &self,
        items: &[app::model::notification::NewNotification],
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        use app::model::notification::{Delivery, MailState};
        on!(self, |db| {
            let mut tx = db.begin_write().await?;
            let mut stored = 0;
            let mut told = std::collections::BTreeSet::new();
            for n in items {
                let mail = match (&n.mail_to, n.delivery) {
                    (None, _) | (_, Delivery::Off) => MailState::None,
                    (Some(_), Delivery::Digest) => MailState::Digest,
                    (Some(_), Delivery::Immediately) => MailState::Pending,
                };
                let written = sqlx::query(
                    "INSERT INTO notifications
                       (user_id, kind, about, subject, body, link, created_at, mail, mail_to, next_try_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                     ON CONFLICT (user_id, about) DO NOTHING",
                )
                .bind(n.user_id)
                .bind(n.kind.as_str())
                .bind(&n.about)
                .bind(&n.subject)
                .bind(&n.body)
                .bind(&n.link)
                .bind(now)
                .bind(mail.as_str())
                .bind(n.mail_to.as_deref().filter(|_| mail != MailState::None))
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
                stored += written.rows_affected() as usize;
                if written.rows_affected() > 0 {
                    told.insert(n.user_id);
                }
            }
            for user in told {
                tx.log_inbox(user).await?;
            }
            tx.commit().await.map_err(db_error)?;
            Ok(stored)
        })
    }

    async fn inbox(
        &self,
        user_id: i64,
        limit: i64,
    ) -> Result<Vec<app::model::notification::Notification>, StoreError> {
        on!(self, |db| {
            let rows: Vec<super::rows::NotificationRow> = sqlx::query_as(
                "SELECT id, kind, subject, body, link, created_at, read_at IS NOT NULL, mail, error
                 FROM notifications WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
            )
            .bind(user_id)
            .bind(limit)
            .fetch_all(db.read())
            .await
            .map_err(db_error)?;
            rows.into_iter()
                .map(super::rows::notification_from_row)
                .collect()
        })
    }

    async fn unread(&self, user_id: i64) -> Result<i64, StoreError> {
        on!(self, |db| {
            sqlx::query_scalar(UNREAD)
                .bind(user_id)
                .fetch_one(db.read())
                .await
                .map_err(db_error)
        })
    }

    async fn mark_read(
        &self,
        user_id: i64,
        ids: &[i64],
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        on!(self, |db| {
            let mut b = QueryBuilder::new("UPDATE notifications SET read_at = ");
            b.push_bind(at)
                .push(" WHERE read_at IS NULL AND user_id = ")
                .push_bind(user_id);
            if !ids.is_empty() {
                b.push(" AND id IN (");
                let mut list = b.separated(", ");
                for id in ids {
                    list.push_bind(*id);
                }
                b.push(")");
            }
            let mut tx = db.begin_write().await?;
            let marked = b.build().execute(&mut *tx).await.map_err(db_error)?;
            if marked.rows_affected() > 0 {
                tx.log_inbox(user_id).await?;
            }
            tx.commit().await.map_err(db_error)
        })
    }

    async fn outbox(
        &self,
        now: DateTime<Utc>,
        digest_before: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<app::model::notification::Outgoing>, StoreError> {
        on!(self, |db| {
            let rows: Vec<(i64, String, String, String, String, i64, String)> = sqlx::query_as(
                "SELECT id, mail_to, subject, body, link, attempts, mail FROM notifications
                 WHERE (mail = 'pending' OR (mail = 'digest' AND created_at < $2))
                   AND next_try_at <= $1
                   AND (claimed_until IS NULL OR claimed_until < $1)
                 ORDER BY next_try_at, id LIMIT $3",
            )
            .bind(now)
            .bind(digest_before)
            .bind(limit)
            .fetch_all(db.read())
            .await
            .map_err(db_error)?;
            Ok(rows
                .into_iter()
                .map(|(id, mail_to, subject, body, link, attempts, mail)| {
                    app::model::notification::Outgoing {
                        id,
                        mail_to,
                        subject,
                        body,
                        link,
                        attempts,
                        digest: mail == "digest",
                    }
                })
                .collect())
        })
    }

    async fn claim_mail(
        &self,
        id: i64,
        by: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        on!(self, |db| {
            // The conditions are on the row itself: PostgreSQL checks them again on the row a
            // concurrent claim committed, so two instances never both win.
            let mut tx = db.begin_write().await?;
            let claimed = sqlx::query(
                "UPDATE notifications SET claimed_by = $1, claimed_until = $2
                 WHERE id = $3 AND mail IN ('pending', 'digest') AND next_try_at <= $4
                   AND (claimed_until IS NULL OR claimed_until < $4)",
            )
            .bind(by)
            .bind(until)
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
            tx.commit().await.map_err(db_error)?;
            Ok(claimed.rows_affected() == 1)
        })
    }

    async fn mail_done(
        &self,
        id: i64,
        by: &str,
        outcome: &app::model::notification::MailOutcome,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        use app::model::notification::MailOutcome;
        // A retry keeps the state: a digest's notification waits for the digest again.
        let (mail, next, sent, error) = match outcome {
            MailOutcome::Sent => (Some("sent"), None, Some(now), None),
            MailOutcome::Retry { at, error } => (None, Some(*at), None, Some(error.as_str())),
            MailOutcome::Failed { error } => (Some("failed"), None, None, Some(error.as_str())),
        };
        on!(self, |db| {
            let mut tx = db.begin_write().await?;
            sqlx::query(
                "UPDATE notifications SET mail = COALESCE($1, mail), next_try_at = COALESCE($2, next_try_at),
                   sent_at = $3, error = $4, attempts = attempts + 1,
                   claimed_by = NULL, claimed_until = NULL
                 WHERE id = $5 AND claimed_by = $6",
            )
            .bind(mail)
            .bind(next)
            .bind(sent)
            .bind(error)
            .bind(id)
            .bind(by)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
            tx.commit().await.map_err(db_error)
        })
    }

    async fn create_token(&self, t: &NewToken, audit: &AuditEntry) -> Result<i64, StoreError> {
        on!(self, |db| {
            let mut tx = db.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO api_tokens (kind, name, token_hash, display_id, created_at, created_by, expires_at, sets_targets)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(t.kind.as_str())
            .bind(&t.name)
            .bind(&t.token_hash)
            .bind(t.display_id)
            .bind(Utc::now())
            .bind(&t.created_by)
            .bind(t.expires_at)
            .bind(t.sets_targets)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| conflict_or(e, "token"))?;
            for u in &t.units {
                sqlx::query("INSERT INTO api_token_units (token_id, unit) VALUES ($1, $2)")
                    .bind(id)
                    .bind(u)
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?;
            }
            tx.insert_audit(audit).await?;
            tx.commit().await.map_err(db_error)?;
            Ok(id)
        })
    }

    async fn token_by_hash(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<TokenRecord>, StoreError> {
        on!(self, |db| {
            let row = sqlx::query_as::<_, TokenRow>(&format!(
                "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE token_hash = $1"
            ))
            .bind(token_hash)
            .fetch_optional(db.read())
            .await
            .map_err(db_error)?;
            let Some(row) = row else { return Ok(None) };
            let live = row.revoked_at.is_none() && row.expires_at.is_none_or(|e| e > now);
            if live
                && row
                    .last_used_at
                    .is_none_or(|t| now - t > chrono::Duration::seconds(60))
            {
                sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                    .bind(now)
                    .bind(row.id)
                    .execute(db.write())
                    .await
                    .map_err(db_error)?;
            }
            let units = self.token_units(row.id).await?;
            Ok(Some(row.with_units(units)?))
        })
    }

    async fn revoke_token(&self, id: i64, audit: &AuditEntry) -> Result<bool, StoreError> {
        on!(self, |db| {
            let mut tx = db.begin_write().await?;
            let done = sqlx::query(
                "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
            )
            .bind(Utc::now())
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?
            .rows_affected()
                == 1;
            if done {
                tx.insert_audit(audit).await?;
            }
            tx.commit().await.map_err(db_error)?;
            Ok(done)
        })
    }

    async fn tokens(&self) -> Result<Vec<TokenRecord>, StoreError> {
        on!(self, |db| {
            let rows = sqlx::query_as::<_, TokenRow>(&format!(
                "SELECT {TOKEN_COLUMNS} FROM api_tokens ORDER BY id DESC"
            ))
            .fetch_all(db.read())
            .await
            .map_err(db_error)?;
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                let units = self.token_units(r.id).await?;
                out.push(r.with_units(units)?);
            }
            Ok(out)
        })
    }

    async fn create_display(
        &self,
        name: &str,
        token: &NewToken,
        audit: &AuditEntry,
    ) -> Result<i64, StoreError> {
        on!(self, |db| {
            let mut tx = db.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO displays (name, created_at, created_by) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(name)
            .bind(Utc::now())
            .bind(&token.created_by)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| conflict_or(e, name))?;
            sqlx::query(
                "INSERT INTO api_tokens (kind, name, token_hash, display_id, created_at, created_by, expires_at)
                 VALUES ('display', $1, $2, $3, $4, $5, $6)",
            )
            .bind(&token.name)
            .bind(&token.token_hash)
            .bind(id)
            .bind(Utc::now())
            .bind(&token.created_by)
            .bind(token.expires_at)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
            tx.insert_audit(audit).await?;
            tx.commit().await.map_err(db_error)?;
            Ok(id)
        })
    }

    async fn display(&self, id: i64) -> Result<Option<DisplayRecord>, StoreError> {
        on!(self, |db| {
            let row: Option<DisplayRow> =
                sqlx::query_as("SELECT id, name, created_by, config FROM displays WHERE id = $1")
                    .bind(id)
                    .fetch_optional(db.read())
                    .await
                    .map_err(db_error)?;
            Ok(row.map(display_record))
        })
    }

    async fn displays(&self) -> Result<Vec<DisplayRecord>, StoreError> {
        on!(self, |db| {
            let rows: Vec<DisplayRow> =
                sqlx::query_as("SELECT id, name, created_by, config FROM displays ORDER BY id")
                    .fetch_all(db.read())
                    .await
                    .map_err(db_error)?;
            Ok(rows.into_iter().map(display_record).collect())
        })
    }

    async fn set_display_config(
        &self,
        id: i64,
        config: &app::model::display::DisplayConfig,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError> {
        on!(self, |db| {
            let json = serde_json::to_string(config).map_err(StoreError::because)?;
            let mut tx = db.begin_write().await?;
            let updated = sqlx::query("UPDATE displays SET config = $1 WHERE id = $2")
                .bind(&json)
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?
                .rows_affected();
            if updated == 0 {
                return Ok(false);
            }
            tx.log_change(&format!("display:{id}"), &json).await?;
            tx.insert_audit(audit).await?;
            tx.commit().await.map_err(db_error)?;
            self.committed();
            Ok(true)
        })
    }

    async fn close(&self) {
        on!(self, |db| db.close().await)
    }
}

impl SqlStore {
    async fn with_roles(&self, row: UserRow) -> Result<UserRecord, StoreError> {
        let roles: Vec<(String, Option<String>)> = on!(self, |db| {
            sqlx::query_as(
                "SELECT role, unit FROM user_roles WHERE user_id = $1 ORDER BY role, unit",
            )
            .bind(row.id)
            .fetch_all(db.read())
            .await
            .map_err(db_error)?
        });
        row.with_roles(roles)
    }

    async fn token_units(&self, id: i64) -> Result<Vec<String>, StoreError> {
        on!(self, |db| {
            sqlx::query_scalar("SELECT unit FROM api_token_units WHERE token_id = $1 ORDER BY unit")
                .bind(id)
                .fetch_all(db.read())
                .await
                .map_err(db_error)
        })
    }
}

/// A person's unread count: for the bell's snapshot and for each change of it.
const UNREAD: &str = "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL";

/// Statements that run inside a caller's write transaction, on either engine's connection.
#[async_trait]
pub(crate) trait InTransaction {
    /// The audit row of a write, in its transaction.
    async fn insert_audit(&mut self, e: &AuditEntry) -> Result<(), StoreError>;

    /// A change that is not a value (a screen's layout, a report's state) takes the next seq
    /// and goes to `change_log`, for the bus to publish on its topic.
    async fn log_change(&mut self, topic: &str, payload: &str) -> Result<i64, StoreError>;

    /// A person's unread count as the transaction leaves it, on their `inbox:<id>` topic: the
    /// bell of each of their open pages, on every instance, follows it.
    async fn log_inbox(&mut self, user_id: i64) -> Result<i64, StoreError>;

    /// The end of every catalogue change: its audit rows, then its notice on the `catalogue`
    /// topic; the notice's seq.
    async fn audit_catalogue(
        &mut self,
        audits: &[AuditEntry],
        notice: &str,
    ) -> Result<i64, StoreError> {
        for a in audits {
            self.insert_audit(a).await?;
        }
        self.log_change("catalogue", notice).await
    }

    /// Inserts or replaces one indicator of the catalogue. A new one takes `sort_order`, or the
    /// place after the last when None; an existing one keeps its place unless one is given.
    async fn write_indicator(
        &mut self,
        i: &Indicator,
        sort_order: Option<i32>,
    ) -> Result<(), StoreError>;

    /// Inserts a new task (id 0) or updates one still at its version, and announces it on
    /// `tasks`.
    async fn write_task(&mut self, t: &Task, meeting: Option<i64>) -> Result<i64, StoreError>;

    /// The catalogue's computed indicators in force: derived ones and sums whose national
    /// figure is computed (`computed::Rules`).
    async fn computing_rules(&mut self) -> Result<Vec<super::computed::RuleRow>, StoreError>;

    /// For each (indicator, period): the sum of the values of the units reporting to the
    /// nation, and how many there are (none: not returned).
    async fn national_sums(
        &mut self,
        targets: &[(String, String)],
    ) -> Result<Vec<(String, String, f64, i64)>, StoreError>;

    /// The stored values of `keys` (indicator, unit, period) that exist.
    async fn values_at(
        &mut self,
        keys: &[super::batch::Key],
    ) -> Result<HashMap<super::batch::Key, f64>, StoreError>;

    /// Moves the seq counter to a batch's last seq, announces it, and writes the batch's audit
    /// row with its counts: how every batch of values ends.
    async fn finish_batch(
        &mut self,
        outcome: StoreOutcome,
        source: Source,
        audit: &AuditEntry,
    ) -> Result<StoreOutcome, StoreError>;
}

/// Tells the other processes sharing the database that `seq` is committed, once the
/// transaction commits: PostgreSQL's NOTIFY; nothing on SQLite, whose one server polls.
#[async_trait]
pub(crate) trait Announce {
    async fn announce(&mut self, seq: i64) -> Result<(), StoreError>;
}

/// [`InTransaction`] for a connection type; `$json` is how the engine takes text into a JSON
/// column (PostgreSQL's `jsonb` needs the cast, SQLite stores the text).
macro_rules! in_transaction {
    ($conn:ty, $json:literal) => {
        #[async_trait]
        impl InTransaction for $conn {
            async fn insert_audit(&mut self, e: &AuditEntry) -> Result<(), StoreError> {
                sqlx::query(concat!(
                    "INSERT INTO audit_log (at, actor, actor_kind, role, unit, action, target, address, before, after)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9", $json, ", $10", $json, ")"
                ))
                .bind(Utc::now())
                .bind(&e.actor)
                .bind(&e.actor_kind)
                .bind(&e.role)
                .bind(&e.unit)
                .bind(&e.action)
                .bind(&e.target)
                .bind(&e.address)
                .bind(&e.before)
                .bind(&e.after)
                .execute(&mut *self)
                .await
                .map_err(db_error)?;
                Ok(())
            }

            async fn write_indicator(
                &mut self,
                i: &Indicator,
                sort_order: Option<i32>,
            ) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO indicators (code, name_vi, name_en, measure, measure_vi, periodicity, rollup, good_direction,
                       owner, reported_by, target, decimals, field, change_kind, valid_min, valid_max, formula, retired_at,
                       national_figure, year_total, standing_by, at_risk_within, consistency_within, checked_against, weight, sort_order)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $20, $21, $22, $23, $24, $25, $26,
                       COALESCE($19, (SELECT COALESCE(MAX(sort_order), -1) + 1 FROM indicators)))
                     ON CONFLICT (code) DO UPDATE SET name_vi = excluded.name_vi, name_en = excluded.name_en,
                       measure = excluded.measure, measure_vi = excluded.measure_vi, periodicity = excluded.periodicity,
                       rollup = excluded.rollup, good_direction = excluded.good_direction, owner = excluded.owner,
                       reported_by = excluded.reported_by, target = excluded.target, decimals = excluded.decimals,
                       field = excluded.field, change_kind = excluded.change_kind, valid_min = excluded.valid_min,
                       valid_max = excluded.valid_max, formula = excluded.formula, retired_at = excluded.retired_at,
                       national_figure = excluded.national_figure, year_total = excluded.year_total,
                       standing_by = excluded.standing_by, at_risk_within = excluded.at_risk_within,
                       consistency_within = excluded.consistency_within, checked_against = excluded.checked_against,
                       weight = excluded.weight, sort_order = COALESCE($19, indicators.sort_order)",
                )
                .bind(&i.code)
                .bind(&i.name_vi)
                .bind(&i.name_en)
                .bind(&i.measure)
                .bind(&i.measure_vi)
                .bind(i.periodicity.as_str())
                .bind(i.rollup.as_str())
                .bind(i.good_direction.as_str())
                .bind(&i.owner)
                .bind(reported_by_text(i))
                .bind(i.target)
                .bind(i.decimals as i16)
                .bind(i.field.as_str())
                .bind(i.change.as_str())
                .bind(i.valid_min)
                .bind(i.valid_max)
                .bind(i.formula.as_ref().map(|f| f.as_str().to_string()))
                .bind(i.retired_at)
                .bind(sort_order)
                .bind(i.national.as_str())
                .bind(i.year_total)
                .bind(i.standing_by.as_str())
                .bind(i.at_risk_within)
                .bind(i.consistency_within)
                .bind(&i.checked_against)
                .bind(&i.weight)
                .execute(&mut *self)
                .await
                .map_err(db_error)?;
                Ok(())
            }

            async fn log_change(&mut self, topic: &str, payload: &str) -> Result<i64, StoreError> {
                // The next seq, in commit order like every other write (the row stays locked
                // until commit).
                let seq: i64 = sqlx::query_scalar(
                    "UPDATE seq_counter SET value = value + 1 WHERE id = 1 RETURNING value",
                )
                .fetch_one(&mut *self)
                .await
                .map_err(db_error)?;
                sqlx::query(
                    "INSERT INTO change_log (seq, topic, payload, recorded_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(seq)
                .bind(topic)
                .bind(payload)
                .bind(Utc::now())
                .execute(&mut *self)
                .await
                .map_err(db_error)?;
                self.announce(seq).await?;
                Ok(seq)
            }

            async fn log_inbox(&mut self, user_id: i64) -> Result<i64, StoreError> {
                let unread: i64 = sqlx::query_scalar(UNREAD)
                    .bind(user_id)
                    .fetch_one(&mut *self)
                    .await
                    .map_err(db_error)?;
                let notice = app::model::notification::InboxNotice { unread };
                let topic = app::model::live::Topic::Inbox(user_id).to_string();
                self.log_change(&topic, &super::rows::to_json(&notice)?).await
            }

            async fn write_task(&mut self, t: &Task, meeting: Option<i64>) -> Result<i64, StoreError> {
                let mut stored = t.clone();
                if let (app::model::task::TaskSource::Conclusion { meeting: m, .. }, Some(id)) =
                    (&mut stored.source, meeting)
                {
                    *m = id;
                }
                let body = super::rows::to_json(&stored)?;
                let deadline = t.dates().deadline_in_force();
                let id = if t.id == 0 {
                    sqlx::query_scalar(
                        "INSERT INTO tasks (lead_unit, meeting_id, assigned_on, deadline, done_on, version,
                         updated_at, body) VALUES ($1, $2, $3, $4, $5, 1, $6, $7) RETURNING id",
                    )
                    .bind(&t.lead)
                    .bind(meeting)
                    .bind(t.assigned_on)
                    .bind(deadline)
                    .bind(t.done_on)
                    .bind(Utc::now())
                    .bind(&body)
                    .fetch_one(&mut *self)
                    .await
                    .map_err(db_error)?
                } else {
                    let written = sqlx::query(
                        "UPDATE tasks SET lead_unit = $1, deadline = $2, done_on = $3, version = version + 1,
                         updated_at = $4, body = $5 WHERE id = $6 AND version = $7",
                    )
                    .bind(&t.lead)
                    .bind(deadline)
                    .bind(t.done_on)
                    .bind(Utc::now())
                    .bind(&body)
                    .bind(t.id)
                    .bind(t.version)
                    .execute(&mut *self)
                    .await
                    .map_err(db_error)?;
                    if written.rows_affected() == 0 {
                        return Err(super::rows::changed_meanwhile("nhiệm vụ", t.id));
                    }
                    t.id
                };
                self.log_change("tasks", &super::rows::task_notice(id, t)?).await?;
                Ok(id)
            }

            async fn computing_rules(&mut self) -> Result<Vec<super::computed::RuleRow>, StoreError> {
                sqlx::query_as(
                    "SELECT code, decimals, formula, national_figure, rollup FROM indicators
                     WHERE retired_at IS NULL
                       AND (formula IS NOT NULL OR (rollup = 'sum' AND national_figure = 'computed'))",
                )
                .fetch_all(&mut *self)
                .await
                .map_err(db_error)
            }

            async fn national_sums(
                &mut self,
                targets: &[(String, String)],
            ) -> Result<Vec<(String, String, f64, i64)>, StoreError> {
                let mut out = Vec::with_capacity(targets.len());
                for chunk in targets.chunks(COMPUTE_CHUNK) {
                    // Each unit of the nation, then its value by primary key. CROSS JOIN keeps
                    // SQLite to that order (it would otherwise scan the indicator's every unit
                    // and period); PostgreSQL plans it as the inner join it is.
                    let mut b = QueryBuilder::<<$conn as sqlx::Connection>::Database>::new(
                        "WITH k (i, p) AS (",
                    );
                    b.push_values(chunk, |mut row, (i, p)| {
                        row.push_bind(i.as_str()).push_bind(p.as_str());
                    });
                    b.push(
                        ") SELECT k.i, k.p, SUM(o.value), COUNT(o.value)
                         FROM k CROSS JOIN units u CROSS JOIN observations o
                         WHERE u.parent = 'VN' AND o.indicator = k.i AND o.unit = u.code
                           AND o.period = k.p
                         GROUP BY k.i, k.p",
                    );
                    out.extend(
                        b.build_query_as::<(String, String, f64, i64)>()
                            .fetch_all(&mut *self)
                            .await
                            .map_err(db_error)?,
                    );
                }
                Ok(out)
            }

            async fn values_at(
                &mut self,
                keys: &[super::batch::Key],
            ) -> Result<HashMap<super::batch::Key, f64>, StoreError> {
                let mut out = HashMap::with_capacity(keys.len());
                for chunk in keys.chunks(COMPUTE_CHUNK) {
                    let mut b = QueryBuilder::<<$conn as sqlx::Connection>::Database>::new(
                        "WITH k (i, u, p) AS (",
                    );
                    b.push_values(chunk, |mut row, (i, u, p)| {
                        row.push_bind(i.as_str()).push_bind(u.as_str()).push_bind(p.as_str());
                    });
                    b.push(
                        ") SELECT o.indicator, o.unit, o.period, o.value FROM k
                         JOIN observations o ON o.indicator = k.i AND o.unit = k.u AND o.period = k.p",
                    );
                    let rows: Vec<(String, String, String, f64)> = b
                        .build_query_as()
                        .fetch_all(&mut *self)
                        .await
                        .map_err(db_error)?;
                    out.extend(rows.into_iter().map(|(i, u, p, v)| ((i, u, p), v)));
                }
                Ok(out)
            }

            async fn finish_batch(
                &mut self,
                outcome: StoreOutcome,
                source: Source,
                audit: &AuditEntry,
            ) -> Result<StoreOutcome, StoreError> {
                if let Some(s) = outcome.last_seq {
                    sqlx::query("UPDATE seq_counter SET value = $1 WHERE id = 1")
                        .bind(s)
                        .execute(&mut *self)
                        .await
                        .map_err(db_error)?;
                    self.announce(s).await?;
                }
                let counts = format!(
                    "{{\"stored\":{},\"unchanged\":{},\"computed\":{},\"source\":\"{}\"}}",
                    outcome.stored,
                    outcome.unchanged,
                    outcome.computed,
                    source.as_str()
                );
                self.insert_audit(&AuditEntry {
                    after: Some(counts),
                    ..audit.clone()
                })
                .await?;
                Ok(outcome)
            }
        }
    };
}

in_transaction!(SqliteConnection, "");
in_transaction!(PgConnection, "::jsonb");
