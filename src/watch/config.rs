//! The sources file of `check` / `watch` (TOML): what to poll, how often, and
//! where change events go. Every problem is one line naming the file, the
//! line when known, and the reason.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use super::schedule::{Schedule, parse_duration, parse_size};
use crate::ingest::InputFormat;
use crate::ingest::select::{Selectors, compile as compile_selector};
use crate::notify::Channel;
use crate::notify::rules::{Rules, Trigger, parse_min_change};

/// Default parallel fetches.
pub const DEFAULT_WORKERS: usize = 8;
/// Default time limit of one fetch (or one command run).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default largest page accepted.
pub const DEFAULT_MAX_BYTES: u64 = 5 * 1000 * 1000;
/// Default number of article links taken from one read of a feed.
pub const DEFAULT_MAX_ARTICLES: usize = 200;
/// Default time limit of a webhook POST.
pub const DEFAULT_WEBHOOK_TIMEOUT: Duration = Duration::from_secs(5);
/// Default wait before retrying an alert delivery that failed twice or more
/// (the first retry is on the next pass; doubled after each failure).
pub const DEFAULT_RETRY_DELAY: Duration = Duration::from_secs(60);
/// Default attempts at one alert delivery before it is marked failed.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 12;
/// The User-Agent sent unless a source sets one.
pub const DEFAULT_USER_AGENT: &str = concat!("track/", env!("CARGO_PKG_VERSION"));

/// A sources file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: {reason}")]
    Read { path: PathBuf, reason: String },
    #[error("{path}:{line}: {reason}")]
    Invalid {
        path: PathBuf,
        line: usize,
        reason: String,
    },
}

/// A parsed, validated sources file.
#[derive(Debug, Clone)]
pub struct Config {
    pub path: PathBuf,
    /// Parallel fetches.
    pub workers: usize,
    pub events: EventsConfig,
    pub sources: Vec<Source>,
}

/// Where change events go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    Stdout,
    /// A JSON-lines file, appended to.
    File(PathBuf),
}

#[derive(Debug, Clone)]
pub struct EventsConfig {
    pub output: Output,
    pub webhook: Option<String>,
    pub webhook_timeout: Duration,
    /// Program and arguments; each event's JSON on its standard input.
    pub command: Option<Vec<String>>,
    /// Also raise an event when an article is tracked for the first time.
    pub new_articles: bool,
    /// Also raise an event for a version that only changed spelling or
    /// sentence order (stored either way).
    pub minor_edits: bool,
    /// Channels every source's alerts go to (besides the source's own).
    pub notify: Vec<Channel>,
    /// Wait before retrying a failed delivery, doubled after each failure.
    pub retry_delay: Duration,
    /// Attempts at one delivery before it is marked failed.
    pub max_attempts: u32,
}

/// What a source polls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// One article page.
    Url(String),
    /// An RSS/Atom feed, or a section page: every article it links is tracked.
    Feed(String),
    /// A folder of scrape files.
    Dir(PathBuf),
    /// A scraper: program and arguments (no shell); its standard output is ingested.
    Command(Vec<String>),
}

impl Target {
    pub fn kind(&self) -> &'static str {
        match self {
            Target::Url(_) => "url",
            Target::Feed(_) => "feed",
            Target::Dir(_) => "dir",
            Target::Command(_) => "command",
        }
    }

    /// What the state shows as the source's address.
    pub fn describe(&self) -> String {
        match self {
            Target::Url(u) | Target::Feed(u) => u.clone(),
            Target::Dir(p) => p.display().to_string(),
            Target::Command(c) => c.join(" "),
        }
    }
}

/// One `[[source]]`, with defaults applied.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub target: Target,
    /// How often the source itself is checked.
    pub schedule: Schedule,
    /// Feeds: how often each article found is checked.
    pub articles: Schedule,
    pub jitter: Duration,
    pub timeout: Duration,
    pub user_agent: String,
    /// Encoding label overriding the header, `<meta>` and detection.
    pub encoding: Option<String>,
    /// Text or HTML, overriding the Content-Type, file ending and the
    /// document's start.
    pub format: InputFormat,
    /// Removed from the extracted text before change detection and storage.
    pub ignore: Vec<Regex>,
    /// CSS selectors for HTML pages: the article's container (`select`) and
    /// elements removed before extraction (`ignore_selector`).
    pub selectors: Selectors,
    pub max_bytes: u64,
    /// Article key (url and command sources) instead of the canonical URL / name.
    pub key: Option<String>,
    /// Feeds: article links taken per read, at most.
    pub max_articles: usize,
    /// url and feed sources: may reach loopback, private and link-local
    /// addresses other than their own host's (see `fetch::AddressPolicy`).
    pub allow_private: bool,
    /// Where this source's alerts go (its own `notify`, else `[defaults]`'),
    /// besides the `[events]` channels.
    pub notify: Vec<Channel>,
    /// Which of its events are worth an alert.
    pub rules: Rules,
    /// Line of the `[[source]]` header in the file.
    pub line: usize,
}

impl Config {
    /// Every channel of the file, once each: the `[events]` webhook and
    /// command, the `[events]` notify channels, and the sources'.
    pub fn channels(&self) -> Vec<Channel> {
        let mut all: Vec<Channel> = Vec::new();
        let legacy = self
            .events
            .webhook
            .iter()
            .map(|w| Channel::webhook(w))
            .chain(
                self.events
                    .command
                    .iter()
                    .map(|c| Channel::command(c.clone())),
            );
        let notify = self
            .events
            .notify
            .iter()
            .chain(self.sources.iter().flat_map(|s| &s.notify))
            .cloned();
        for c in legacy.chain(notify) {
            if !all.iter().any(|a| a.key() == c.key()) {
                all.push(c);
            }
        }
        all
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    workers: Option<Spanned<i64>>,
    events: Option<Spanned<RawEvents>>,
    defaults: Option<RawOptions>,
    #[serde(default)]
    source: Vec<Spanned<RawSource>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvents {
    output: Option<Spanned<String>>,
    webhook: Option<Spanned<String>>,
    webhook_timeout: Option<Spanned<String>>,
    command: Option<Spanned<Vec<String>>>,
    new_articles: Option<bool>,
    minor_edits: Option<bool>,
    notify: Option<Spanned<Vec<String>>>,
    retry_delay: Option<Spanned<String>>,
    max_attempts: Option<Spanned<i64>>,
}

/// One string, or a list of them (`select = "article"`,
/// `ignore_selector = [".ad", "aside"]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn items(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum Size {
    Bytes(u64),
    Text(String),
}

/// Options a source may set, and `[defaults]` may set for all.
#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
struct RawOptions {
    every: Option<Spanned<String>>,
    schedule: Option<Spanned<String>>,
    articles: Option<Spanned<String>>,
    jitter: Option<Spanned<String>>,
    timeout: Option<Spanned<String>>,
    user_agent: Option<Spanned<String>>,
    encoding: Option<Spanned<String>>,
    format: Option<Spanned<String>>,
    ignore: Option<Vec<Spanned<String>>>,
    select: Option<Spanned<OneOrMany>>,
    ignore_selector: Option<Spanned<OneOrMany>>,
    max_bytes: Option<Spanned<Size>>,
    max_articles: Option<Spanned<i64>>,
    allow_private: Option<Spanned<bool>>,
    notify: Option<Spanned<Vec<String>>>,
    notify_on: Option<Spanned<Vec<String>>>,
    min_change: Option<Spanned<String>>,
    only_added: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    name: Option<Spanned<String>>,
    url: Option<Spanned<String>>,
    feed: Option<Spanned<String>>,
    dir: Option<Spanned<String>>,
    command: Option<Spanned<Vec<String>>>,
    key: Option<Spanned<String>>,
    every: Option<Spanned<String>>,
    schedule: Option<Spanned<String>>,
    articles: Option<Spanned<String>>,
    jitter: Option<Spanned<String>>,
    timeout: Option<Spanned<String>>,
    user_agent: Option<Spanned<String>>,
    encoding: Option<Spanned<String>>,
    format: Option<Spanned<String>>,
    ignore: Option<Vec<Spanned<String>>>,
    select: Option<Spanned<OneOrMany>>,
    ignore_selector: Option<Spanned<OneOrMany>>,
    max_bytes: Option<Spanned<Size>>,
    max_articles: Option<Spanned<i64>>,
    allow_private: Option<Spanned<bool>>,
    notify: Option<Spanned<Vec<String>>>,
    notify_on: Option<Spanned<Vec<String>>>,
    min_change: Option<Spanned<String>>,
    only_added: Option<bool>,
}

impl RawSource {
    fn options(&self) -> RawOptions {
        RawOptions {
            every: self.every.clone(),
            schedule: self.schedule.clone(),
            articles: self.articles.clone(),
            jitter: self.jitter.clone(),
            timeout: self.timeout.clone(),
            user_agent: self.user_agent.clone(),
            encoding: self.encoding.clone(),
            format: self.format.clone(),
            ignore: self.ignore.clone(),
            select: self.select.clone(),
            ignore_selector: self.ignore_selector.clone(),
            max_bytes: self.max_bytes.clone(),
            max_articles: self.max_articles.clone(),
            allow_private: self.allow_private.clone(),
            notify: self.notify.clone(),
            notify_on: self.notify_on.clone(),
            min_change: self.min_change.clone(),
            only_added: self.only_added,
        }
    }
}

/// Line and reason of one problem, before the file name is attached.
struct Problem {
    at: usize,
    reason: String,
}

fn problem<T>(at: &Spanned<T>, reason: impl Into<String>) -> Problem {
    Problem {
        at: at.span().start,
        reason: reason.into(),
    }
}

/// Read and validate a sources file.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
        path: path.to_path_buf(),
        reason: match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            std::io::ErrorKind::InvalidData => "not UTF-8 text".to_string(),
            _ => e.to_string(),
        },
    })?;
    parse(&text, path)
}

/// Parse and validate the text of a sources file; `path` names it in errors
/// and anchors its relative paths.
pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
    let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
    let raw: RawFile = toml::from_str(text).map_err(|e| ConfigError::Invalid {
        path: path.to_path_buf(),
        line: e.span().map_or(1, |s| line_of(s.start)),
        reason: one_line(e.message()),
    })?;
    let base = path.parent().unwrap_or(Path::new("."));
    build(raw, base, &line_of)
        .map_err(|p| ConfigError::Invalid {
            path: path.to_path_buf(),
            line: line_of(p.at),
            reason: p.reason,
        })
        .map(|(workers, events, sources)| Config {
            path: path.to_path_buf(),
            workers,
            events,
            sources,
        })
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

type Built = (usize, EventsConfig, Vec<Source>);

fn build(raw: RawFile, base: &Path, line_of: &dyn Fn(usize) -> usize) -> Result<Built, Problem> {
    let workers = match &raw.workers {
        None => DEFAULT_WORKERS,
        Some(w) if (1..=256).contains(w.get_ref()) => *w.get_ref() as usize,
        Some(w) => return Err(problem(w, "workers must be between 1 and 256")),
    };
    let events = match raw.events {
        None => EventsConfig {
            output: Output::Stdout,
            webhook: None,
            webhook_timeout: DEFAULT_WEBHOOK_TIMEOUT,
            command: None,
            new_articles: false,
            minor_edits: false,
            notify: Vec::new(),
            retry_delay: DEFAULT_RETRY_DELAY,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
        },
        Some(ev) => {
            let ev = ev.into_inner();
            let output = match &ev.output {
                None => Output::Stdout,
                Some(o) if o.get_ref() == "stdout" || o.get_ref() == "-" => Output::Stdout,
                Some(o) if o.get_ref().trim().is_empty() => {
                    return Err(problem(o, "events output is empty"));
                }
                Some(o) => Output::File(base.join(o.get_ref())),
            };
            let webhook = match &ev.webhook {
                None => None,
                Some(w) => Some(http_url(w, "webhook")?),
            };
            let webhook_timeout = match &ev.webhook_timeout {
                None => DEFAULT_WEBHOOK_TIMEOUT,
                Some(t) => duration(t, "webhook_timeout")?,
            };
            let command = match &ev.command {
                None => None,
                Some(c) => Some(command(c, base)?),
            };
            let retry_delay = match &ev.retry_delay {
                None => DEFAULT_RETRY_DELAY,
                Some(d) => duration(d, "retry_delay")?,
            };
            let max_attempts = match &ev.max_attempts {
                None => DEFAULT_MAX_ATTEMPTS,
                Some(m) if (1..=1000).contains(m.get_ref()) => *m.get_ref() as u32,
                Some(m) => return Err(problem(m, "max_attempts must be between 1 and 1000")),
            };
            EventsConfig {
                output,
                webhook,
                webhook_timeout,
                command,
                new_articles: ev.new_articles.unwrap_or(false),
                minor_edits: ev.minor_edits.unwrap_or(false),
                notify: channels(ev.notify.as_ref())?,
                retry_delay,
                max_attempts,
            }
        }
    };
    let defaults = raw.defaults.unwrap_or_default();
    let mut names = HashSet::new();
    let mut sources = Vec::with_capacity(raw.source.len());
    for spanned in &raw.source {
        let at = spanned.span().start;
        let s = spanned.get_ref();
        let Some(name) = &s.name else {
            return Err(Problem {
                at,
                reason: "a [[source]] without a name (add name = \"…\")".into(),
            });
        };
        let n = name.get_ref().trim();
        if n.is_empty() {
            return Err(problem(name, "empty source name"));
        }
        if !names.insert(n.to_string()) {
            return Err(problem(name, format!("duplicate source name {n:?}")));
        }
        let mut targets = Vec::new();
        if let Some(u) = &s.url {
            targets.push(Target::Url(http_url(u, "url")?));
        }
        if let Some(u) = &s.feed {
            targets.push(Target::Feed(http_url(u, "feed")?));
        }
        if let Some(d) = &s.dir {
            if d.get_ref().trim().is_empty() {
                return Err(problem(d, "empty dir"));
            }
            targets.push(Target::Dir(base.join(d.get_ref())));
        }
        if let Some(c) = &s.command {
            targets.push(Target::Command(command(c, base)?));
        }
        if targets.len() != 1 {
            return Err(Problem {
                at,
                reason: format!(
                    "source {n:?} must have exactly one of url, feed, dir or command (it has {})",
                    targets.len()
                ),
            });
        }
        let target = targets.pop().expect("one target");
        let own = s.options();
        // A source's own option wins over [defaults].
        let pick = |a: &Option<Spanned<String>>, b: &Option<Spanned<String>>| {
            a.clone().or_else(|| b.clone())
        };
        if own.every.is_some() && own.schedule.is_some() {
            return Err(Problem {
                at,
                reason: format!("source {n:?} has both every and schedule (give one)"),
            });
        }
        let schedule = match (&own.every, &own.schedule) {
            (Some(e), _) => Schedule::Every(positive(e, "every")?),
            (None, Some(s)) => parse_schedule(s, "schedule")?,
            (None, None) => match (&defaults.every, &defaults.schedule) {
                (Some(e), _) => Schedule::Every(positive(e, "every")?),
                (None, Some(s)) => parse_schedule(s, "schedule")?,
                (None, None) => Schedule::Adaptive,
            },
        };
        let articles = match pick(&own.articles, &defaults.articles) {
            None => Schedule::Adaptive,
            Some(a) => parse_schedule(&a, "articles")?,
        };
        if own.articles.is_some() && !matches!(target, Target::Feed(_)) {
            return Err(Problem {
                at,
                reason: format!("source {n:?}: articles applies to feed sources only"),
            });
        }
        let jitter = match pick(&own.jitter, &defaults.jitter) {
            None => Duration::ZERO,
            Some(j) => duration(&j, "jitter")?,
        };
        let timeout = match pick(&own.timeout, &defaults.timeout) {
            None => DEFAULT_TIMEOUT,
            Some(t) => positive(&t, "timeout")?,
        };
        let user_agent = match pick(&own.user_agent, &defaults.user_agent) {
            None => DEFAULT_USER_AGENT.to_string(),
            Some(u) if u.get_ref().trim().is_empty() || u.get_ref().contains(['\r', '\n']) => {
                return Err(problem(&u, "user_agent must be one non-empty line"));
            }
            Some(u) => u.into_inner(),
        };
        let encoding = match pick(&own.encoding, &defaults.encoding) {
            None => None,
            Some(e) => {
                if encoding_rs::Encoding::for_label(e.get_ref().trim().as_bytes()).is_none() {
                    return Err(problem(&e, format!("unknown encoding {:?}", e.get_ref())));
                }
                Some(e.into_inner())
            }
        };
        let format = match pick(&own.format, &defaults.format) {
            None => InputFormat::Auto,
            Some(f) => match f.get_ref().trim().to_ascii_lowercase().as_str() {
                "auto" => InputFormat::Auto,
                "html" => InputFormat::Html,
                "text" => InputFormat::Text,
                _ => return Err(problem(&f, "format must be \"html\", \"text\" or \"auto\"")),
            },
        };
        let mut ignore = Vec::new();
        for rule in defaults
            .ignore
            .iter()
            .flatten()
            .chain(own.ignore.iter().flatten())
        {
            let re = Regex::new(rule.get_ref()).map_err(|e| {
                problem(
                    rule,
                    format!(
                        "ignore rule {:?}: {}",
                        rule.get_ref(),
                        one_line(&e.to_string())
                    ),
                )
            })?;
            ignore.push(re);
        }
        // A site's article container is its own: the source's `select`
        // replaces the default; `ignore_selector`s add up, as `ignore` rules do.
        let css = |key: &str, value: &Spanned<OneOrMany>| -> Result<Vec<String>, Problem> {
            let items = value.get_ref().items();
            for item in &items {
                compile_selector(item).map_err(|e| problem(value, format!("{key}: {e}")))?;
            }
            Ok(items)
        };
        let select = match own.select.as_ref().or(defaults.select.as_ref()) {
            None => Vec::new(),
            Some(v) => css("select", v)?,
        };
        let mut ignore_selector = Vec::new();
        for v in [&defaults.ignore_selector, &own.ignore_selector]
            .into_iter()
            .flatten()
        {
            ignore_selector.extend(css("ignore_selector", v)?);
        }
        let selectors = Selectors {
            select,
            ignore: ignore_selector,
        };
        let max_bytes = match own.max_bytes.as_ref().or(defaults.max_bytes.as_ref()) {
            None => DEFAULT_MAX_BYTES,
            Some(m) => {
                let bytes = match m.get_ref() {
                    Size::Bytes(b) => *b,
                    Size::Text(t) => parse_size(t).map_err(|r| problem(m, r))?,
                };
                if bytes == 0 {
                    return Err(problem(m, "max_bytes must be more than 0"));
                }
                if bytes > super::schedule::MAX_SIZE {
                    return Err(problem(m, "max_bytes is too large (at most 1T)"));
                }
                bytes
            }
        };
        let max_articles = match own.max_articles.as_ref().or(defaults.max_articles.as_ref()) {
            None => DEFAULT_MAX_ARTICLES,
            Some(m) if *m.get_ref() >= 1 => *m.get_ref() as usize,
            Some(m) => return Err(problem(m, "max_articles must be at least 1")),
        };
        if let Some(a) = &own.allow_private
            && !matches!(target, Target::Url(_) | Target::Feed(_))
        {
            return Err(problem(
                a,
                format!("source {n:?}: allow_private applies to url and feed sources only"),
            ));
        }
        let allow_private = own
            .allow_private
            .as_ref()
            .or(defaults.allow_private.as_ref())
            .is_some_and(|a| *a.get_ref());
        let key = match &s.key {
            None => None,
            Some(k) if k.get_ref().trim().is_empty() => return Err(problem(k, "empty key")),
            Some(k) if let Err(e) = crate::text::visible::check_key("key", k.get_ref()) => {
                return Err(problem(k, e.to_string()));
            }
            Some(k) if matches!(target, Target::Feed(_) | Target::Dir(_)) => {
                return Err(problem(
                    k,
                    "key applies to url and command sources only (feeds and folders hold many articles)",
                ));
            }
            Some(k) => Some(k.get_ref().clone()),
        };
        let notify = match own.notify.as_ref().or(defaults.notify.as_ref()) {
            None => Vec::new(),
            Some(list) => channels(Some(list))?,
        };
        let rules = rules(&own, &defaults)?;
        sources.push(Source {
            name: n.to_string(),
            target,
            schedule,
            articles,
            jitter,
            timeout,
            user_agent,
            encoding,
            format,
            ignore,
            selectors,
            max_bytes,
            key,
            max_articles,
            allow_private,
            notify,
            rules,
            line: line_of(at),
        });
    }
    Ok((workers, events, sources))
}

/// Parse a `notify` list. An error names the entry by its position and
/// scheme, never its URL (it may hold a password or a token).
fn channels(list: Option<&Spanned<Vec<String>>>) -> Result<Vec<Channel>, Problem> {
    let Some(list) = list else {
        return Ok(Vec::new());
    };
    let mut out: Vec<Channel> = Vec::new();
    for (i, text) in list.get_ref().iter().enumerate() {
        let channel = Channel::parse(text)
            .map_err(|e| problem(list, format!("notify entry {}: {e}", i + 1)))?;
        if !out.iter().any(|c| c.key() == channel.key()) {
            out.push(channel);
        }
    }
    Ok(out)
}

/// A source's alert rules: its own `notify_on`, `min_change` and
/// `only_added`, else `[defaults]`', else notify on claim changes.
fn rules(own: &RawOptions, defaults: &RawOptions) -> Result<Rules, Problem> {
    let mut rules = Rules::default();
    if let Some(on) = own.notify_on.as_ref().or(defaults.notify_on.as_ref()) {
        let mut triggers = Vec::new();
        for value in on.get_ref() {
            let t = Trigger::parse(value).ok_or_else(|| {
                problem(
                    on,
                    format!(
                        "notify_on: unknown value {value:?} (known: {})",
                        Trigger::ALL.map(Trigger::as_str).join(", ")
                    ),
                )
            })?;
            if !triggers.contains(&t) {
                triggers.push(t);
            }
        }
        if triggers.is_empty() {
            return Err(problem(
                on,
                "notify_on is empty (leave it out for the default, [\"claims\"])",
            ));
        }
        rules.on = triggers;
    }
    if let Some(m) = own.min_change.as_ref().or(defaults.min_change.as_ref()) {
        rules.min_change = Some(parse_min_change(m.get_ref()).map_err(|r| problem(m, r))?);
    }
    rules.only_added = own.only_added.or(defaults.only_added).unwrap_or(false);
    Ok(rules)
}

fn http_url(u: &Spanned<String>, what: &str) -> Result<String, Problem> {
    let s = u.get_ref().trim();
    match url::Url::parse(s) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.host().is_some() => {
            Ok(s.to_string())
        }
        Ok(parsed) => Err(problem(
            u,
            format!(
                "{what} {s:?}: only http and https are supported, not {}",
                parsed.scheme()
            ),
        )),
        Err(e) => Err(problem(u, format!("{what} {s:?} is not a URL ({e})"))),
    }
}

fn command(c: &Spanned<Vec<String>>, base: &Path) -> Result<Vec<String>, Problem> {
    let mut argv = c.get_ref().clone();
    match argv.first_mut() {
        None => Err(problem(
            c,
            "command is empty (give [\"program\", \"arg\", …])",
        )),
        Some(p) if p.trim().is_empty() => Err(problem(c, "command has an empty program name")),
        Some(p) => {
            // A program given with a path is relative to the sources file; a
            // bare name is looked up on PATH when it runs.
            if p.contains('/') && Path::new(p.as_str()).is_relative() {
                *p = base.join(&*p).display().to_string();
            }
            Ok(argv)
        }
    }
}

fn duration(d: &Spanned<String>, what: &str) -> Result<Duration, Problem> {
    parse_duration(d.get_ref()).map_err(|r| problem(d, format!("{what}: {r}")))
}

fn positive(d: &Spanned<String>, what: &str) -> Result<Duration, Problem> {
    let v = duration(d, what)?;
    if v.is_zero() {
        return Err(problem(d, format!("{what} must be more than 0")));
    }
    Ok(v)
}

fn parse_schedule(s: &Spanned<String>, what: &str) -> Result<Schedule, Problem> {
    match Schedule::parse(s.get_ref()) {
        Ok(Schedule::Every(d)) if d.is_zero() => {
            Err(problem(s, format!("{what} must be more than 0")))
        }
        Ok(v) => Ok(v),
        Err(_) => Err(problem(
            s,
            format!(
                "{what}: {:?} is neither \"adaptive\" nor a duration (15m, 1h, 3d)",
                s.get_ref()
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(s: &str) -> Result<Config, ConfigError> {
        parse(s, Path::new("/etc/track/sources.toml"))
    }

    #[test]
    fn minimal_and_full() {
        let c = parse_str(
            r#"
workers = 4
[events]
output = "events.jsonl"
webhook = "http://127.0.0.1:9/hook"
command = ["./notify", "--quiet"]

[defaults]
timeout = "10s"
ignore = ['\d+ views']

[[source]]
name = "a"
url = "https://example.org/story"
every = "15m"

[[source]]
name = "b"
feed = "https://example.org/rss"
schedule = "adaptive"
articles = "1h"
ignore = ['(?m)^Updated:.*$']
max_bytes = "1M"

[[source]]
name = "c"
dir = "scrapes"

[[source]]
name = "d"
command = ["python3", "scrape.py"]
key = "story-d"
"#,
        )
        .unwrap();
        assert_eq!(c.workers, 4);
        assert_eq!(
            c.events.output,
            Output::File(PathBuf::from("/etc/track/events.jsonl"))
        );
        assert_eq!(c.events.command.as_ref().unwrap()[0], "/etc/track/./notify");
        assert_eq!(c.sources.len(), 4);
        assert_eq!(
            c.sources[0].schedule,
            Schedule::Every(Duration::from_secs(900))
        );
        assert_eq!(c.sources[0].timeout, Duration::from_secs(10));
        assert_eq!(c.sources[1].ignore.len(), 2);
        assert_eq!(
            c.sources[1].articles,
            Schedule::Every(Duration::from_secs(3600))
        );
        assert_eq!(c.sources[1].max_bytes, 1_000_000);
        assert_eq!(
            c.sources[2].target,
            Target::Dir(PathBuf::from("/etc/track/scrapes"))
        );
        assert_eq!(c.sources[2].schedule, Schedule::Adaptive);
        assert_eq!(c.sources[3].key.as_deref(), Some("story-d"));
    }

    #[test]
    fn the_example_file_parses() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sources.example.toml");
        let c = load(&path).unwrap();
        assert_eq!(c.sources.len(), 5);
        assert!(c.sources.iter().all(|s| s.ignore.len() == 2));
        assert_eq!(c.sources[3].target.kind(), "dir");
        assert_eq!(c.sources[0].selectors.select, ["article .statement-body"]);
        assert!(c.sources[1].selectors.select.is_empty());
        assert!(
            c.sources
                .iter()
                .all(|s| s.selectors.ignore == [".share-count", ".related"])
        );
        assert_eq!(c.events.notify.len(), 1);
        assert_eq!(c.events.max_attempts, 12);
        assert_eq!(c.sources[1].notify.len(), 1);
        assert!(c.sources[0].notify.is_empty());
        assert_eq!(
            c.sources[1].rules.on,
            [Trigger::Quantity, Trigger::Date, Trigger::Headline]
        );
        assert_eq!(c.sources[0].rules.on, [Trigger::Claims]);
        assert!(c.sources.iter().all(|s| s.rules.min_change == Some(0.1)));
        // The [events] channel, the source's, once each.
        assert_eq!(c.channels().len(), 2);
        assert!(
            c.channels()
                .iter()
                .all(|ch| !ch.label().contains("app-password"))
        );
    }

    #[test]
    fn notify_and_rules_per_source_and_in_defaults() {
        let c = parse_str(
            "[defaults]\nnotify = [\"slack://T/B/DEFAULTS\"]\nnotify_on = [\"text\"]\nonly_added = true\n\
             [[source]]\nname = \"a\"\nurl = \"https://x.org/a\"\n\
             [[source]]\nname = \"b\"\nurl = \"https://x.org/b\"\nnotify = [\"tg://1:AB/2\", \"tg://1:AB/2\"]\n\
             notify_on = [\"quantity\", \"quantity\"]\nonly_added = false\nmin_change = \"5%\"\n",
        )
        .unwrap();
        assert_eq!(c.sources[0].notify[0].label(), "slack://T/***/***");
        assert_eq!(c.sources[0].rules.on, [Trigger::Text]);
        assert!(c.sources[0].rules.only_added);
        assert_eq!(c.sources[1].notify.len(), 1, "one channel once");
        assert_eq!(c.sources[1].rules.on, [Trigger::Quantity]);
        assert!(!c.sources[1].rules.only_added);
        assert_eq!(c.sources[1].rules.min_change, Some(0.05));
        let e = error_of("[events]\nnotify = [\"slack://T/B/C\", \"smtp://u:hunter2hunter@h\"]\n");
        assert!(
            e.starts_with("/etc/track/sources.toml:2: notify entry 2: e-mail:"),
            "{e}"
        );
        assert!(!e.contains("hunter2"), "{e}");
        let e = error_of("[events]\nmax_attempts = 0\n");
        assert!(e.contains("max_attempts must be between 1 and 1000"), "{e}");
        let e = error_of("[[source]]\nname = \"a\"\nurl = \"https://x.org/a\"\nnotify_on = []\n");
        assert!(e.contains(":4: notify_on is empty"), "{e}");
    }

    #[test]
    fn selectors_one_or_many_a_source_s_select_wins_ignore_selectors_add_up() {
        let c = parse_str(
            "[defaults]\nselect = \"main\"\nignore_selector = \".ad\"\n\
             [[source]]\nname = \"a\"\nurl = \"https://x.org/a\"\n\
             select = [\"article\", \".story\"]\nignore_selector = [\".views\", \"aside\"]\n\
             [[source]]\nname = \"b\"\nurl = \"https://x.org/b\"\n",
        )
        .unwrap();
        assert_eq!(c.sources[0].selectors.select, ["article", ".story"]);
        assert_eq!(c.sources[0].selectors.ignore, [".ad", ".views", "aside"]);
        assert_eq!(c.sources[1].selectors.select, ["main"]);
        assert_eq!(c.sources[1].selectors.ignore, [".ad"]);
        let e = error_of(
            "[[source]]\nname = \"a\"\nurl = \"https://x.org/a\"\nignore_selector = [\"ok\", \"p >\"]\n",
        );
        assert!(
            e.starts_with(
                "/etc/track/sources.toml:4: ignore_selector: invalid CSS selector \"p >\""
            ),
            "{e}"
        );
    }

    fn error_of(s: &str) -> String {
        parse_str(s).unwrap_err().to_string()
    }

    #[test]
    fn errors_name_file_line_and_reason() {
        let e = error_of(
            "[[source]]\nname = \"a\"\nurl = \"https://x.org/\"\nfeed = \"https://x.org/rss\"\n",
        );
        assert!(e.starts_with("/etc/track/sources.toml:1: "), "{e}");
        assert!(
            e.contains("exactly one of url, feed, dir or command"),
            "{e}"
        );

        let e = error_of(
            "[[source]]\nname = \"a\"\nurl = \"https://x.org/\"\n\n[[source]]\nname = \"a\"\nurl = \"https://y.org/\"\n",
        );
        assert!(
            e.starts_with("/etc/track/sources.toml:6: duplicate source name"),
            "{e}"
        );

        let e = error_of("[[source]]\nname = \"a\"\nurl = \"https://x.org/\"\nevery = \"soon\"\n");
        assert!(
            e.starts_with("/etc/track/sources.toml:4: every: not a duration"),
            "{e}"
        );

        let e = error_of(
            "[[source]]\nname = \"a\"\nurl = \"https://x.org/\"\nignore = ['(unclosed']\n",
        );
        assert!(
            e.starts_with("/etc/track/sources.toml:4: ignore rule"),
            "{e}"
        );
        assert!(!e.contains('\n'), "{e}");

        let e = error_of("[[source]]\nname = \"a\"\nurl = \"ftp://x.org/\"\n");
        assert!(
            e.contains(":3: url \"ftp://x.org/\": only http and https"),
            "{e}"
        );

        let e = error_of("[[source]]\nname = \"a\"\nurl = \"https://x.org/\"\nevry = \"1h\"\n");
        assert!(e.starts_with("/etc/track/sources.toml:4: "), "{e}");
        assert!(e.contains("evry"), "{e}");

        let e = error_of("[[source]\nname = 1\n");
        assert!(e.starts_with("/etc/track/sources.toml:1: "), "{e}");
        assert!(!e.contains('\n'), "{e}");

        let e = error_of("[[source]]\nurl = \"https://x.org/\"\n");
        assert!(e.contains("without a name"), "{e}");

        let e = error_of("[[source]]\nname = \"a\"\ndir = \"x\"\nallow_private = true\n");
        assert!(
            e.contains(":4: source \"a\": allow_private applies to url and feed sources only"),
            "{e}"
        );
        let c = parse_str(
            "[defaults]\nallow_private = true\n[[source]]\nname = \"a\"\nurl = \"http://10.0.0.5/\"\n[[source]]\nname = \"b\"\nurl = \"http://10.0.0.5/\"\nallow_private = false\n",
        )
        .unwrap();
        assert!(c.sources[0].allow_private);
        assert!(!c.sources[1].allow_private);
    }
}
