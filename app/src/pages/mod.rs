pub mod account;
pub mod admin;
pub mod indicator;
pub mod login;
pub mod not_found;
pub mod overview;
pub mod unit;
pub mod wall;
