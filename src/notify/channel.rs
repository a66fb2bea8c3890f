//! Channels: where alerts go, parsed from Apprise-style URLs.
//!
//! | URL | delivers |
//! |---|---|
//! | `smtp://user:pass@host:587?to=a@x.org&from=b@x.org` (`mailto://` too) | e-mail, STARTTLS required |
//! | `smtps://user:pass@host:465?to=…` (`mailtos://` too) | e-mail, implicit TLS |
//! | `slack://T…/B…/XXXX` or `https://hooks.slack.com/services/…` | a Slack incoming webhook |
//! | `discord://ID/TOKEN` or `https://discord.com/api/webhooks/ID/TOKEN` | a Discord webhook |
//! | `tg://BOTTOKEN/CHATID` | Telegram `sendMessage` |
//! | `matrixs://TOKEN@host/!room:server` (`matrix://`: plain HTTP) | a Matrix room message |
//! | `ntfys://host/topic`, `ntfy://topic` (ntfy.sh) | an ntfy notification |
//! | `jsons://host/path` (`json://`: plain HTTP) | the event's JSON, POSTed |
//!
//! E-mail takes `?tls=none` (plain SMTP, for a local relay) or
//! `?tls=opportunistic`. The HTTP channels whose host is fixed (Slack,
//! Discord, Telegram) take `?base=http://host:port` to reach another server
//! (a proxy, a self-hosted bridge, a test catcher). Channel URLs come only
//! from the sources file: nothing a page says can choose where alerts go.
//!
//! A channel's secrets (passwords, tokens, webhook secrets) never appear in
//! its [`label`](Channel::label) nor in its errors ([`Channel::scrub`]); a
//! URL that cannot be parsed is refused naming its scheme only.

use std::fmt;

/// A channel URL that cannot be used. The message never quotes the URL
/// (it may hold a password or a token).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ChannelError(pub String);

fn bad(reason: impl Into<String>) -> ChannelError {
    ChannelError(reason.into())
}

/// How an SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// TLS from the first byte (`smtps://`, port 465).
    Implicit,
    /// STARTTLS, required (`smtp://`, port 587).
    StartTls,
    /// STARTTLS when the server offers it (`?tls=opportunistic`).
    Opportunistic,
    /// Plain text (`?tls=none`): a relay on the same machine or network.
    None,
}

/// An SMTP server and the message's envelope.
#[derive(Clone, PartialEq, Eq)]
pub struct Email {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub user: Option<String>,
    pub password: Option<String>,
    pub from: String,
    pub to: Vec<String>,
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Email")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("from", &self.from)
            .field("to", &self.to)
            .finish()
    }
}

/// What a channel is, with everything needed to deliver to it.
#[derive(Clone, PartialEq, Eq)]
pub enum Kind {
    Email(Email),
    /// POST `{"text": …}` (Slack mrkdwn) to the webhook.
    Slack {
        endpoint: String,
    },
    /// POST `{"content": …}` (Discord markdown) to the webhook.
    Discord {
        endpoint: String,
    },
    /// POST a `sendMessage` (HTML) to the bot API.
    Telegram {
        endpoint: String,
        chat_id: String,
    },
    /// PUT an `m.room.message` (text + HTML); the transaction id is the
    /// idempotency key, so the homeserver itself drops a repeated delivery.
    Matrix {
        endpoint: String,
        token: String,
    },
    /// POST a JSON publish (`topic`, `title`, `message`, `click`).
    Ntfy {
        endpoint: String,
        topic: String,
        auth: Option<Auth>,
    },
    /// POST the event's JSON as it is (today's webhook).
    Json {
        endpoint: String,
        auth: Option<Auth>,
    },
    /// Run a program (no shell) with the event's JSON on its standard input.
    Command(Vec<String>),
}

/// HTTP credentials.
#[derive(Clone, PartialEq, Eq)]
pub enum Auth {
    Basic { user: String, password: String },
    Bearer(String),
}

/// One configured channel.
#[derive(Clone, PartialEq, Eq)]
pub struct Channel {
    pub kind: Kind,
    key: String,
    label: String,
    secrets: Vec<String>,
}

impl fmt::Debug for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the secrets, even in a debug dump.
        write!(f, "Channel({})", self.label)
    }
}

impl Channel {
    /// The `[events] webhook`: the event's JSON POSTed, every event (rules
    /// apply to `notify` channels only). Its outbox key is `webhook`, as
    /// before, so events queued by an older track are still delivered.
    pub fn webhook(url: &str) -> Channel {
        let (label, secrets) = match url::Url::parse(url) {
            Ok(u) => (format!("webhook {}", short_http_label(&u)), url_secrets(&u)),
            Err(_) => ("webhook".to_string(), Vec::new()),
        };
        Channel {
            kind: Kind::Json {
                endpoint: url.to_string(),
                auth: None,
            },
            key: "webhook".into(),
            label,
            secrets,
        }
    }

    /// The `[events] command` hook (outbox key `command`).
    pub fn command(argv: Vec<String>) -> Channel {
        let label = format!(
            "hook {}",
            argv.first().map(String::as_str).unwrap_or_default()
        );
        Channel {
            kind: Kind::Command(argv),
            key: "command".into(),
            label,
            secrets: Vec::new(),
        }
    }

    /// Parse a channel URL from the sources file.
    pub fn parse(text: &str) -> Result<Channel, ChannelError> {
        let text = text.trim();
        if text.chars().any(crate::text::visible::is_unsafe) {
            return Err(bad("a notify URL may not contain control characters"));
        }
        let Some((scheme, rest)) = text.split_once("://") else {
            return Err(bad(
                "a notify entry must be a URL (scheme://…), e.g. smtp://, slack://, discord://, tg://, json://",
            ));
        };
        let scheme = scheme.to_ascii_lowercase();
        let (kind, label, secrets) = match scheme.as_str() {
            "mailto" | "smtp" => email(text, Security::StartTls)?,
            "mailtos" | "smtps" => email(text, Security::Implicit)?,
            "slack" => slack(rest)?,
            "discord" => discord(rest)?,
            "tg" | "telegram" => telegram(rest)?,
            "matrix" => matrix(text, "http")?,
            "matrixs" => matrix(text, "https")?,
            "ntfy" => ntfy(text, "http")?,
            "ntfys" => ntfy(text, "https")?,
            "json" => json(text, "http")?,
            "jsons" => json(text, "https")?,
            "http" | "https" => web_url(text)?,
            other => {
                return Err(bad(format!(
                    "unknown notify scheme {:?} (known: mailto, mailtos, smtp, smtps, slack, discord, tg, matrix, matrixs, ntfy, ntfys, json, jsons, or a Slack or Discord webhook URL)",
                    crate::text::visible::visible_line(other)
                )));
            }
        };
        let key = format!(
            "n:{}",
            &crate::store::hex(&crate::store::blob::hash(text.as_bytes()))[..16]
        );
        let mut secrets: Vec<String> = secrets.into_iter().filter(|s| s.len() >= 4).collect();
        // Longest first: a secret containing another is scrubbed whole.
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        Ok(Channel {
            kind,
            key,
            label,
            secrets,
        })
    }

    /// The outbox key: `webhook`, `command`, or `n:` and a hash of the URL
    /// (secrets included, so two webhooks of one host never share a key).
    pub fn key(&self) -> &str {
        &self.key
    }

    /// What people see: the URL with its secrets replaced by `***`.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// `text` (an error message) with every secret of this channel replaced by `***`.
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_string();
        for s in &self.secrets {
            for form in [s.clone(), pct(s)] {
                if !form.is_empty() && out.contains(&form) {
                    out = out.replace(&form, "***");
                }
            }
        }
        out
    }

    /// Whether the channel gets the event's JSON itself (json, the webhook,
    /// the hook command) rather than a message for people.
    pub fn is_raw(&self) -> bool {
        matches!(self.kind, Kind::Json { .. } | Kind::Command(_))
    }
}

type Parsed = (Kind, String, Vec<String>);

fn pct(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

fn parse_url(text: &str, what: &str) -> Result<url::Url, ChannelError> {
    let u = url::Url::parse(text).map_err(|e| bad(format!("{what}: not a valid URL ({e})")))?;
    if u.host_str().is_none_or(str::is_empty) {
        return Err(bad(format!("{what}: the URL has no host")));
    }
    Ok(u)
}

fn query(u: &url::Url) -> Vec<(String, String)> {
    u.query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn split_query(rest: &str) -> (&str, Vec<(String, String)>) {
    match rest.split_once('?') {
        Some((path, q)) => (
            path,
            url::form_urlencoded::parse(q.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        ),
        None => (rest, Vec::new()),
    }
}

fn only_keys(what: &str, q: &[(String, String)], allowed: &[&str]) -> Result<(), ChannelError> {
    match q.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
        Some((k, _)) => Err(bad(format!(
            "{what}: unknown parameter {:?} (known: {})",
            crate::text::visible::visible_line(k),
            if allowed.is_empty() {
                "none".to_string()
            } else {
                allowed.join(", ")
            }
        ))),
        None => Ok(()),
    }
}

/// `?base=http://host:port`: another server for a channel whose host is fixed.
fn base(what: &str, q: &[(String, String)], default: &str) -> Result<String, ChannelError> {
    let Some((_, b)) = q.iter().find(|(k, _)| k == "base") else {
        return Ok(default.to_string());
    };
    match url::Url::parse(b) {
        Ok(u)
            if matches!(u.scheme(), "http" | "https")
                && u.host_str().is_some_and(|h| !h.is_empty())
                && u.query().is_none() =>
        {
            Ok(b.trim_end_matches('/').to_string())
        }
        _ => Err(bad(format!(
            "{what}: base must be an http(s) URL without a query (e.g. base=http://127.0.0.1:8080)"
        ))),
    }
}

fn path_parts(path: &str) -> Vec<&str> {
    path.split('/').filter(|p| !p.is_empty()).collect()
}

fn email(text: &str, default_security: Security) -> Result<Parsed, ChannelError> {
    let what = "e-mail";
    let u = parse_url(text, what)?;
    let q = query(&u);
    only_keys(what, &q, &["to", "from", "tls"])?;
    let security = match q.iter().find(|(k, _)| k == "tls").map(|(_, v)| v.as_str()) {
        None => default_security,
        Some("none" | "no" | "off") => Security::None,
        Some("starttls") => Security::StartTls,
        Some("opportunistic") => Security::Opportunistic,
        Some("implicit" | "wrapper" | "smtps") => Security::Implicit,
        Some(_) => {
            return Err(bad(
                "e-mail: tls must be none, starttls, opportunistic or implicit",
            ));
        }
    };
    let host = u.host_str().unwrap_or_default().to_string();
    let port = u.port().unwrap_or(match security {
        Security::Implicit => 465,
        Security::StartTls | Security::Opportunistic => 587,
        Security::None => 25,
    });
    let user = Some(decode(u.username())).filter(|s| !s.is_empty());
    let password = u.password().map(decode).filter(|s| !s.is_empty());
    let mailbox = |s: &str| -> Result<String, ChannelError> {
        s.trim()
            .parse::<lettre::message::Mailbox>()
            .map(|m| m.to_string())
            .map_err(|_| {
                bad(format!(
                    "e-mail: {:?} is not an e-mail address",
                    crate::text::visible::visible_line(s)
                ))
            })
    };
    let user_address = user.as_deref().filter(|u| u.contains('@'));
    let mut to = Vec::new();
    for (_, v) in q.iter().filter(|(k, _)| k == "to") {
        for a in v.split([',', ';']).filter(|a| !a.trim().is_empty()) {
            to.push(mailbox(a)?);
        }
    }
    if to.is_empty() {
        match user_address {
            Some(a) => to.push(mailbox(a)?),
            None => return Err(bad("e-mail: give the recipients (?to=a@example.org)")),
        }
    }
    let from = match q.iter().find(|(k, _)| k == "from") {
        Some((_, f)) => mailbox(f)?,
        None => match user_address {
            Some(a) => mailbox(a)?,
            None => mailbox(&format!("track@{host}"))?,
        },
    };
    let mut label = format!("{}://", u.scheme());
    if let Some(user) = &user {
        label.push_str(&pct(user));
        if password.is_some() {
            label.push_str(":***");
        }
        label.push('@');
    }
    label.push_str(&format!("{host}:{port}?to={}", to.join(",")));
    let secrets = password.iter().cloned().collect();
    Ok((
        Kind::Email(Email {
            host,
            port,
            security,
            user,
            password,
            from,
            to,
        }),
        label,
        secrets,
    ))
}

fn slack(rest: &str) -> Result<Parsed, ChannelError> {
    let (path, q) = split_query(rest);
    only_keys("slack", &q, &["base"])?;
    let parts = path_parts(path);
    if parts.len() != 3 || parts.iter().any(|p| !token_chars(p)) {
        return Err(bad(
            "slack: expected slack://T…/B…/X… (the three parts of the incoming-webhook URL)",
        ));
    }
    let base = base("slack", &q, "https://hooks.slack.com")?;
    Ok((
        Kind::Slack {
            endpoint: format!("{base}/services/{}", parts.join("/")),
        },
        format!("slack://{}/***/***", parts[0]),
        vec![parts[1].to_string(), parts[2].to_string()],
    ))
}

fn discord(rest: &str) -> Result<Parsed, ChannelError> {
    let (path, q) = split_query(rest);
    only_keys("discord", &q, &["base"])?;
    let parts = path_parts(path);
    if parts.len() != 2 || parts.iter().any(|p| !token_chars(p)) {
        return Err(bad("discord: expected discord://WEBHOOK_ID/WEBHOOK_TOKEN"));
    }
    let base = base("discord", &q, "https://discord.com")?;
    Ok((
        Kind::Discord {
            endpoint: format!("{base}/api/webhooks/{}/{}", parts[0], parts[1]),
        },
        format!("discord://{}/***", parts[0]),
        vec![parts[1].to_string()],
    ))
}

fn telegram(rest: &str) -> Result<Parsed, ChannelError> {
    let (path, q) = split_query(rest);
    only_keys("tg", &q, &["base"])?;
    let parts = path_parts(path);
    let ok_token = |t: &str| t.contains(':') && token_chars(&t.replace(':', ""));
    if parts.len() != 2
        || !ok_token(parts[0])
        || !parts[1]
            .trim_start_matches(['-', '@'])
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return Err(bad(
            "tg: expected tg://BOT_TOKEN/CHAT_ID (the token as BotFather gives it, 123456:ABC…)",
        ));
    }
    let base = base("tg", &q, "https://api.telegram.org")?;
    Ok((
        Kind::Telegram {
            endpoint: format!("{base}/bot{}/sendMessage", parts[0]),
            chat_id: parts[1].to_string(),
        },
        format!("tg://***/{}", parts[1]),
        vec![parts[0].to_string()],
    ))
}

fn token_chars(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn host_port(u: &url::Url) -> String {
    match u.port() {
        Some(p) => format!("{}:{p}", u.host_str().unwrap_or_default()),
        None => u.host_str().unwrap_or_default().to_string(),
    }
}

fn matrix(text: &str, http: &str) -> Result<Parsed, ChannelError> {
    let what = "matrix";
    if text.contains('#') {
        return Err(bad(
            "matrix: give the room's id (!abc:server), not an alias (#room:server)",
        ));
    }
    let u = parse_url(text, what)?;
    only_keys(what, &query(&u), &[])?;
    let token = u
        .password()
        .map(decode)
        .or_else(|| Some(decode(u.username())))
        .filter(|t| !t.is_empty())
        .ok_or_else(|| bad("matrix: expected matrixs://ACCESS_TOKEN@host/!room:server"))?;
    let room = decode(u.path().trim_start_matches('/'));
    if !room.starts_with('!') || !room.contains(':') {
        return Err(bad(
            "matrix: expected matrixs://ACCESS_TOKEN@host/!room:server",
        ));
    }
    let hp = host_port(&u);
    Ok((
        Kind::Matrix {
            endpoint: format!(
                "{http}://{hp}/_matrix/client/v3/rooms/{}/send/m.room.message/",
                pct(&room)
            ),
            token: token.clone(),
        },
        format!("{}://***@{hp}/{room}", u.scheme()),
        vec![token],
    ))
}

fn credentials(u: &url::Url, q: &[(String, String)]) -> (Option<Auth>, String, Vec<String>) {
    if let Some((_, t)) = q.iter().find(|(k, _)| k == "token") {
        return (
            Some(Auth::Bearer(t.clone())),
            "***@".into(),
            vec![t.clone()],
        );
    }
    let user = decode(u.username());
    match u.password().map(decode) {
        Some(password) => (
            Some(Auth::Basic {
                user: user.clone(),
                password: password.clone(),
            }),
            format!("{}:***@", pct(&user)),
            vec![password],
        ),
        None if !user.is_empty() => (
            Some(Auth::Basic {
                user: user.clone(),
                password: String::new(),
            }),
            format!("{}@", pct(&user)),
            Vec::new(),
        ),
        None => (None, String::new(), Vec::new()),
    }
}

fn ntfy(text: &str, http: &str) -> Result<Parsed, ChannelError> {
    let what = "ntfy";
    let u = parse_url(text, what)?;
    let q = query(&u);
    only_keys(what, &q, &["token"])?;
    let (auth, who, secrets) = credentials(&u, &q);
    let parts = path_parts(u.path());
    let (endpoint, topic, shown_host) = match parts.as_slice() {
        // ntfy://topic: the public server.
        [] => (
            "https://ntfy.sh/".to_string(),
            u.host_str().unwrap_or_default().to_string(),
            String::new(),
        ),
        [topic] => {
            let hp = host_port(&u);
            (format!("{http}://{hp}/"), decode(topic), format!("{hp}/"))
        }
        _ => return Err(bad("ntfy: expected ntfys://host/topic or ntfy://topic")),
    };
    if topic.is_empty() || !token_chars(&topic) {
        return Err(bad(
            "ntfy: the topic may hold letters, digits, - and _ only",
        ));
    }
    Ok((
        Kind::Ntfy {
            endpoint,
            topic: topic.clone(),
            auth,
        },
        format!("{}://{who}{shown_host}{topic}", u.scheme()),
        secrets,
    ))
}

fn json(text: &str, http: &str) -> Result<Parsed, ChannelError> {
    let u = parse_url(text, "json")?;
    let (auth, who, mut secrets) = credentials(&u, &[]);
    let mut endpoint = format!("{http}://{}{}", host_port(&u), u.path());
    if let Some(q) = u.query() {
        endpoint.push('?');
        endpoint.push_str(q);
    }
    secrets.extend(url_secrets(&u));
    Ok((
        Kind::Json { endpoint, auth },
        format!("{}://{who}{}", u.scheme(), short_path_label(&u)),
        secrets,
    ))
}

/// A Slack or Discord webhook given as the URL the service shows.
fn web_url(text: &str) -> Result<Parsed, ChannelError> {
    let u = parse_url(text, "notify")?;
    let host = u.host_str().unwrap_or_default().to_ascii_lowercase();
    let parts = path_parts(u.path());
    if host == "hooks.slack.com" && parts.first() == Some(&"services") && parts.len() == 4 {
        return Ok((
            Kind::Slack {
                endpoint: text.to_string(),
            },
            format!("slack://{}/***/***", parts[1]),
            vec![parts[2].to_string(), parts[3].to_string()],
        ));
    }
    if matches!(
        host.as_str(),
        "discord.com" | "discordapp.com" | "ptb.discord.com" | "canary.discord.com"
    ) && parts.len() == 4
        && parts[..2] == ["api", "webhooks"]
    {
        return Ok((
            Kind::Discord {
                endpoint: text.to_string(),
            },
            format!("discord://{}/***", parts[2]),
            vec![parts[3].to_string()],
        ));
    }
    Err(bad(
        "an http(s) notify URL must be a Slack or Discord webhook; for any other endpoint use json://host/path (or jsons:// for https)",
    ))
}

/// Query values and a password of a URL: what might be a secret.
fn url_secrets(u: &url::Url) -> Vec<String> {
    let mut s: Vec<String> = u.query_pairs().map(|(_, v)| v.into_owned()).collect();
    s.extend(u.password().map(decode));
    s.extend(
        path_parts(u.path())
            .into_iter()
            .filter(|p| p.len() >= 16)
            .map(str::to_string),
    );
    s
}

fn short_http_label(u: &url::Url) -> String {
    format!("{}://{}", u.scheme(), short_path_label(u))
}

/// `host:port/…`: a path or query may carry a secret, so neither is shown.
fn short_path_label(u: &url::Url) -> String {
    let hp = host_port(u);
    if u.path().trim_matches('/').is_empty() && u.query().is_none() {
        hp
    } else {
        format!("{hp}/…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_urls() {
        let c = Channel::parse(
            "smtps://me%40x.org:p%40ss w0rd@mail.x.org?to=a@x.org,b@y.org&from=Track <t@x.org>",
        )
        .unwrap();
        let Kind::Email(e) = &c.kind else { panic!() };
        assert_eq!(e.security, Security::Implicit);
        assert_eq!(e.port, 465);
        assert_eq!(e.user.as_deref(), Some("me@x.org"));
        assert_eq!(e.password.as_deref(), Some("p@ss w0rd"));
        assert_eq!(e.to, ["a@x.org", "b@y.org"]);
        assert_eq!(e.from, "Track <t@x.org>");
        assert!(!c.label().contains("p@ss"), "{}", c.label());
        assert!(!format!("{c:?}").contains("w0rd"));
        assert_eq!(c.scrub("535 bad p@ss w0rd"), "535 bad ***");

        let c = Channel::parse("mailto://me@x.org:secret@127.0.0.1:2525?tls=none").unwrap();
        let Kind::Email(e) = &c.kind else { panic!() };
        assert_eq!((e.security, e.port), (Security::None, 2525));
        assert_eq!(e.to, ["me@x.org"]);
        let c = Channel::parse("smtp://relay.x.org").unwrap_err();
        assert!(c.0.contains("?to="), "{c}");
        let e = Channel::parse("smtp://u:hunter22@h?to=nobody").unwrap_err();
        assert!(!e.0.contains("hunter22"));
    }

    #[test]
    fn chat_urls_and_base() {
        let c = Channel::parse("slack://T000/B000/XXXXSECRET").unwrap();
        assert!(
            c.kind
                == Kind::Slack {
                    endpoint: "https://hooks.slack.com/services/T000/B000/XXXXSECRET".into()
                }
        );
        assert!(!c.label().contains("XXXXSECRET"));
        let c = Channel::parse("slack://T000/B000/XXXXSECRET?base=http://127.0.0.1:9/").unwrap();
        assert!(
            c.kind
                == Kind::Slack {
                    endpoint: "http://127.0.0.1:9/services/T000/B000/XXXXSECRET".into()
                }
        );
        let c = Channel::parse("https://hooks.slack.com/services/T1/B2/SECRETX").unwrap();
        assert!(matches!(c.kind, Kind::Slack { .. }));
        let c = Channel::parse("https://discord.com/api/webhooks/123/tok-en").unwrap();
        assert!(matches!(c.kind, Kind::Discord { .. }));
        assert_eq!(c.label(), "discord://123/***");
        let c = Channel::parse("tg://123456:ABC-def_GH/-100200300").unwrap();
        assert!(
            c.kind
                == Kind::Telegram {
                    endpoint: "https://api.telegram.org/bot123456:ABC-def_GH/sendMessage".into(),
                    chat_id: "-100200300".into()
                }
        );
        assert_eq!(c.label(), "tg://***/-100200300");
        assert_eq!(
            c.scrub("error sending to https://api.telegram.org/bot123456:ABC-def_GH/x"),
            "error sending to https://api.telegram.org/bot***/x"
        );
        let c = Channel::parse("matrixs://syt_tok3n@matrix.x.org/!abc:x.org").unwrap();
        let Kind::Matrix { endpoint, token } = &c.kind else {
            panic!()
        };
        assert_eq!(
            endpoint,
            "https://matrix.x.org/_matrix/client/v3/rooms/%21abc%3Ax%2Eorg/send/m.room.message/"
        );
        assert_eq!(token, "syt_tok3n");
        assert!(!c.label().contains("tok3n"));
        let c = Channel::parse("ntfy://alerts").unwrap();
        assert!(
            c.kind
                == Kind::Ntfy {
                    endpoint: "https://ntfy.sh/".into(),
                    topic: "alerts".into(),
                    auth: None
                }
        );
        let c = Channel::parse("ntfy://u:pw1234@127.0.0.1:8080/news").unwrap();
        let Kind::Ntfy {
            endpoint, topic, ..
        } = &c.kind
        else {
            panic!()
        };
        assert_eq!(
            (endpoint.as_str(), topic.as_str()),
            ("http://127.0.0.1:8080/", "news")
        );
        assert_eq!(c.label(), "ntfy://u:***@127.0.0.1:8080/news");
        let c = Channel::parse("jsons://h.x.org/hook?key=abcdef123").unwrap();
        assert!(
            c.kind
                == Kind::Json {
                    endpoint: "https://h.x.org/hook?key=abcdef123".into(),
                    auth: None
                }
        );
        assert_eq!(c.label(), "jsons://h.x.org/…");
        assert_eq!(c.scrub("x abcdef123 y"), "x *** y");
    }

    #[test]
    fn bad_urls_name_no_secret() {
        for (url, want) in [
            (
                "pushover://secrettoken/x",
                "unknown notify scheme \"pushover\"",
            ),
            ("slack://only/two", "slack: expected"),
            ("discord://id", "discord: expected"),
            ("tg://nocolon/1", "tg: expected"),
            ("matrix://tok@h/#room:x", "not an alias"),
            ("slack://T/B/SECRET?base=file:///etc", "base must be"),
            ("https://example.org/hook", "use json://"),
            ("hello", "must be a URL"),
            ("json://h/x\u{1b}[2J", "control characters"),
        ] {
            let e = Channel::parse(url).unwrap_err().0;
            assert!(e.contains(want), "{url}: {e}");
            assert!(!e.contains("SECRET") && !e.contains("secrettoken"), "{e}");
        }
    }

    #[test]
    fn keys_differ_by_url_and_legacy_keys_stay() {
        let a = Channel::parse("slack://T/B/SECRET1").unwrap();
        let b = Channel::parse("slack://T/B/SECRET2").unwrap();
        assert_ne!(a.key(), b.key());
        assert_eq!(Channel::webhook("http://127.0.0.1/h").key(), "webhook");
        assert_eq!(Channel::command(vec!["x".into()]).key(), "command");
    }
}
