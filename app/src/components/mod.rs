pub mod indicator_card;
pub mod layout;
pub mod sparkline;
pub mod unit_board;
