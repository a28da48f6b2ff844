//! Government meetings and the tasks they assign: the meeting calendar and pages, the task list
//! and pages, attachments, and `desk` (server only), through which every change goes.

pub mod api;
pub mod attach;
#[cfg(feature = "ssr")]
pub mod desk;
pub mod desk_answer;
pub mod meetings_page;
pub mod tasks_page;
