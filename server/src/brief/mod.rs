//! The monthly brief as a file: composed by `app::brief`, drawn here as a PDF, for the command
//! line (`dieuhanh brief`) and the download (`/briefs/{month}.pdf`).

pub mod html;
pub mod pdf;

use app::brief::compose::{BriefRequest, compose};
use app::brief::model::Brief;
use app::catalogue::CatalogueIndex;
use app::error::AppError;
use app::model::i18n::Lang;
use app::store::Store;

/// A brief and its PDF in `lang`.
pub async fn pdf_of(
    store: &dyn Store,
    catalogue: &CatalogueIndex,
    request: &BriefRequest,
    lang: Lang,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(Brief, Vec<u8>), AppError> {
    let brief = compose(store, catalogue, request, now).await?;
    let bytes = draw(&brief, lang, &Default::default()).await?;
    Ok((brief, bytes))
}

/// A brief drawn as a PDF in `lang`, with its commentary.
pub async fn draw(
    brief: &Brief,
    lang: Lang,
    commentary: &app::brief::model::Commentary,
) -> Result<Vec<u8>, AppError> {
    let document = brief.document(lang, commentary);
    // Laying out and subsetting the fonts is CPU work: off the async threads.
    let bytes = tokio::task::spawn_blocking(move || pdf::render(&document))
        .await
        .map_err(failed)?
        .map_err(failed)?;
    Ok(bytes)
}

/// A brief that could not be drawn: logged for the operators, and said to the person.
fn failed(cause: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %cause, "a brief could not be drawn");
    AppError::new(
        app::error::ErrorKind::Unavailable,
        format!(
            "Không tạo được tệp báo cáo, vui lòng thử lại. (The brief could not be drawn: {cause})"
        ),
    )
}
