//! Alerts people receive and control.
//!
//! - [`channel`]: where alerts go, from Apprise-style URLs in the sources file
//!   (`mailto://`, `smtp://`, `smtps://`, `slack://`, `discord://`, `tg://`,
//!   `matrix://`, `ntfy://`, `json://`), plus the `[events]` webhook and hook
//!   command. Secrets in those URLs are never shown: every channel has a
//!   redacted label, and its errors are scrubbed of its secrets.
//! - [`rules`]: which events are worth an alert (`notify_on`, `min_change`,
//!   `only_added`), as pure functions over an [`Event`](crate::watch::events::Event).
//! - [`message`]: the alert itself — claim changes first, then a short word
//!   diff, then the link — rendered per channel (plain text, HTML mail with
//!   right-to-left Arabic, Slack, Discord, Telegram, Matrix, ntfy), everything
//!   from a scrape escaped.
//! - [`outbox`]: delivery that never loses an event. Alerts are queued in the
//!   store in the transaction that records the version they describe, one row
//!   per event and channel (the idempotency key), and marked delivered only
//!   once the channel accepted them (HTTP 2xx, SMTP 250); failures are retried
//!   with exponential back-off across passes, up to a cap of attempts.
//!
//! - [`feed`]: Atom feeds to subscribe to (global, per source, per article),
//!   each entry with the claim changes and the word diff as safe HTML.
//!
//! Like the rest of the library it never prints, exits or reads the environment.

pub mod channel;
pub mod feed;
pub mod message;
pub mod outbox;
pub mod rules;
mod send;

pub use channel::{Channel, ChannelError};
pub use rules::{Rules, Trigger};
