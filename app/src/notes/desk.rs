//! [ssr] The one path for notes on the record: a note written, corrected or taken away is
//! authorised here, read and checked against the catalogue, and stored with its audit row and
//! the catalogue's announcement in one transaction; this instance then reads the catalogue
//! (which holds the notes) again. The server functions call these and nothing else.

use crate::catalogue::LiveCatalogue;
use crate::error::AppError;
use crate::model::auth::{Action, Viewer};
use crate::model::note::{Note, NoteForm, NoteScope};
use crate::store::{AuditEntry, Store};
use chrono::{DateTime, Utc};

pub struct NoteDesk<'a> {
    pub store: &'a dyn Store,
    pub live: &'a LiveCatalogue,
    pub now: DateTime<Utc>,
}

impl NoteDesk<'_> {
    fn allowed(viewer: &Viewer) -> Result<(), AppError> {
        if viewer.can(&Action::WriteNotes) {
            Ok(())
        } else {
            Err(AppError::not_allowed())
        }
    }

    /// The note in force with `id` at `version` (409 when it changed meanwhile).
    fn current(&self, id: i64, version: i64) -> Result<Note, AppError> {
        let note = self
            .live
            .now()
            .notes
            .iter()
            .find(|n| n.id == id)
            .cloned()
            .ok_or_else(|| {
                AppError::not_found(format!(
                    "Không có ghi chú số {id}, hoặc ghi chú đã được gỡ. (No such note.)"
                ))
            })?;
        if note.version != version {
            return Err(AppError::conflict(
                "Ghi chú vừa được người khác sửa; hãy tải lại trang. (The note changed meanwhile; reload.)",
            ));
        }
        Ok(note)
    }

    /// Writes a new note (`form.id` 0) or corrects one.
    pub async fn write(
        &self,
        viewer: &Viewer,
        form: &NoteForm,
        audit: AuditEntry,
    ) -> Result<Note, AppError> {
        Self::allowed(viewer)?;
        let draft = form.read().map_err(AppError::invalid)?;
        let catalogue = self.live.now();
        match &draft.scope {
            NoteScope::Indicator(code) if !catalogue.indicators.contains_key(code) => {
                return Err(AppError::invalid(format!(
                    "Không có chỉ tiêu {code} trong danh mục. (No such indicator.)"
                )));
            }
            _ => {}
        }
        if let Some(u) = draft
            .units
            .iter()
            .find(|u| !catalogue.units.contains_key(*u))
        {
            return Err(AppError::invalid(format!(
                "Không có đơn vị mã {u}. (No such unit.)"
            )));
        }
        let (id, version, action) = if form.id == 0 {
            (0, 0, "note.write")
        } else {
            let before = self.current(form.id, form.version)?;
            (before.id, before.version, "note.correct")
        };
        let note = Note {
            id,
            version,
            from: draft.from,
            to: draft.to,
            text: draft.text,
            scope: draft.scope,
            units: draft.units,
            written_by: viewer.display_name.clone(),
            written_at: self.now,
            removed: false,
        };
        self.save(note, audit, action).await
    }

    /// Takes a note away (it stays in the audit log).
    pub async fn remove(
        &self,
        viewer: &Viewer,
        id: i64,
        version: i64,
        audit: AuditEntry,
    ) -> Result<Note, AppError> {
        Self::allowed(viewer)?;
        let note = Note {
            removed: true,
            ..self.current(id, version)?
        };
        self.save(note, audit, "note.remove").await
    }

    async fn save(
        &self,
        mut note: Note,
        mut audit: AuditEntry,
        action: &str,
    ) -> Result<Note, AppError> {
        audit.action = action.into();
        audit.after = serde_json::to_string(&note).ok();
        note.id = self.store.save_note(&note, &audit).await?;
        note.version += 1;
        self.live.reload(self.store).await?;
        Ok(note)
    }
}
