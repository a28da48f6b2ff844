//! What every page shares: the layout (top bar, language, sign-in state), the page for an
//! address that does not exist, and the browser's live connection that keeps a page current.

#[cfg(feature = "hydrate")]
pub mod chosen_file;
pub mod layout;
#[cfg(feature = "hydrate")]
pub mod live_client;
pub mod live_refresh;
pub mod not_found;
