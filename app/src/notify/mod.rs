//! Notifications (thông báo): what the centre tells people who never open the right page, in
//! their inbox and by e-mail. The rules that decide them are here (`decide`, server only); the
//! outbox that sends them is the server's notifier.

pub mod api;
pub mod bell;
#[cfg(feature = "ssr")]
pub mod decide;
pub mod follow;
pub mod inbox_page;
