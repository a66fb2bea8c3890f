//! Scheduled monitoring (`track check` / `track watch`): a sources file says
//! what to poll — article pages, feeds or section pages, folders of scrapes,
//! scraper commands — and how often; each pass fetches the due items,
//! ingests them like `track add`, keeps per-item state in the store
//! (migration 3) and raises an event for every new version.
//!
//! [`config`] parses the sources file, [`schedule`] decides when an item is
//! due, [`fetch`] gets bytes (HTTP, commands, folders), [`discover`] finds the
//! articles of a feed, [`engine`] runs a pass, [`events`] describes changes and
//! delivers them. Like the rest of the library it never prints, exits or
//! reads the environment.

pub mod config;
pub mod discover;
pub mod engine;
pub mod events;
pub mod fetch;
pub mod schedule;
