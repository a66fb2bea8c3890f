//! CLI tests: the real `track` binary in temporary directories.

mod add;
mod bad_input;
mod browser;
mod common;
mod current;
mod diff;
mod durability;
mod feed;
mod furniture;
mod hostile_fetch;
mod hostile_input;
mod hostile_output;
mod hostile_store;
mod meta;
mod newcomer;
mod notify;
mod pipeline;
mod reanalyse;
mod search;
mod serve;
mod small_things;
mod sources_keys;
mod watch;
