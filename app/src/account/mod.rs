//! A person's identity: signing in and out, sessions, passwords (`auth`, server only), the
//! sign-in page and the account page.

pub mod api;
#[cfg(feature = "ssr")]
pub mod auth;
pub mod login;
pub mod page;
