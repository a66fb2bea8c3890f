//! `track`: version a corpus of news articles and report what changed.
//!
//! The flow follows the modules: [`ingest`] turns scrapes into normalised
//! text, [`store`] keeps every distinct version in SQLite (BLAKE3-addressed,
//! delta-compressed blobs), [`text`] holds the normalisation layers and the
//! sentence segmentation. The library never prints, exits or reads the
//! environment: the `track` binary parses arguments, calls it and renders.

#![forbid(unsafe_code)]

pub mod analysis;
pub mod claims;
pub mod compare;
pub mod diff;
pub mod furniture;
pub mod history;
pub mod ingest;
pub mod notify;
mod packed;
mod parallel;
pub mod report;
pub mod search;
pub mod serve;
pub mod store;
pub mod text;
pub mod watch;
