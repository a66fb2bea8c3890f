//! What people receive about changes: Atom feeds to subscribe to ([`feed`]).

pub mod feed;
