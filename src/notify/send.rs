//! One delivery to one channel: accepted (HTTP 2xx, SMTP 250) or an error.
//! Bounded: one time limit for the whole delivery, at most
//! [`MAX_RESPONSE`] bytes of an answer read.

use std::io::Read;
use std::time::Duration;

use super::channel::{Auth, Channel, Email, Kind, Security};
use super::message::{self, Alert};
use crate::watch::events::run_hook;

/// Bytes of an answer read, at most (the rest is never read).
const MAX_RESPONSE: u64 = 64 * 1024;
/// Characters of an answer quoted in an error, at most.
const MAX_QUOTED: usize = 200;

/// What is sent: the event's JSON and the alert built from it.
pub(crate) struct Payload<'a> {
    pub event_json: &'a str,
    pub alert: Option<&'a Alert>,
    /// Event id and channel: the same for every attempt at one delivery.
    pub idempotency_key: &'a str,
}

/// Deliver one payload. The error is for people, already scrubbed of the
/// channel's secrets.
pub(crate) fn deliver(channel: &Channel, p: &Payload<'_>, timeout: Duration) -> Result<(), String> {
    let result = match (&channel.kind, p.alert) {
        (Kind::Json { endpoint, auth }, _) => http(
            Method::Post,
            endpoint,
            auth.as_ref(),
            p.event_json.to_string(),
            p.idempotency_key,
            timeout,
        ),
        (Kind::Command(argv), _) => run_hook(argv, p.event_json, timeout).map_err(|e| match e {
            crate::watch::events::DeliveryError::Hook { reason, .. } => reason,
        }),
        (_, None) => Err("no message was queued for this channel".to_string()),
        (Kind::Slack { endpoint }, Some(a)) => post(endpoint, message::slack(a), p, timeout),
        (Kind::Discord { endpoint }, Some(a)) => post(endpoint, message::discord(a), p, timeout),
        (Kind::Telegram { endpoint, chat_id }, Some(a)) => {
            post(endpoint, message::telegram(a, chat_id), p, timeout)
        }
        (
            Kind::Ntfy {
                endpoint,
                topic,
                auth,
            },
            Some(a),
        ) => http(
            Method::Post,
            endpoint,
            auth.as_ref(),
            message::ntfy(a, topic).to_string(),
            p.idempotency_key,
            timeout,
        ),
        (Kind::Matrix { endpoint, token }, Some(a)) => {
            // The transaction id makes a repeated PUT the same message.
            let url = format!("{endpoint}{}", txn_id(p.idempotency_key));
            http(
                Method::Put,
                &url,
                Some(&Auth::Bearer(token.clone())),
                message::matrix(a).to_string(),
                p.idempotency_key,
                timeout,
            )
        }
        (Kind::Email(e), Some(a)) => email(e, a, p.idempotency_key, timeout),
    };
    result.map_err(|e| channel.scrub(&crate::text::visible::visible_line(&e)))
}

fn txn_id(key: &str) -> String {
    key.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

fn post(
    endpoint: &str,
    body: serde_json::Value,
    p: &Payload<'_>,
    timeout: Duration,
) -> Result<(), String> {
    http(
        Method::Post,
        endpoint,
        None,
        body.to_string(),
        p.idempotency_key,
        timeout,
    )
}

enum Method {
    Post,
    Put,
}

fn basic(user: &str, password: &str) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = format!("{user}:{password}").into_bytes();
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    format!("Basic {out}")
}

fn http(
    method: Method,
    url: &str,
    auth: Option<&Auth>,
    body: String,
    idempotency_key: &str,
    timeout: Duration,
) -> Result<(), String> {
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(timeout))
        .max_redirects(0)
        .build()
        .new_agent();
    let request = match method {
        Method::Post => agent.post(url),
        Method::Put => agent.put(url),
    };
    let mut request = request
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", idempotency_key)
        .header("User-Agent", crate::watch::config::DEFAULT_USER_AGENT);
    match auth {
        Some(Auth::Basic { user, password }) => {
            request = request.header("Authorization", basic(user, password));
        }
        Some(Auth::Bearer(token)) => {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        None => {}
    }
    let mut response = request.send(body.as_bytes()).map_err(|e| match e {
        ureq::Error::Timeout(_) => format!("no answer within {timeout:?}"),
        e => e.to_string(),
    })?;
    let status = response.status().as_u16();
    if (200..300).contains(&status) {
        // Read (a bounded part of) the answer so the connection ends cleanly.
        let mut sink = Vec::new();
        let _ = response
            .body_mut()
            .as_reader()
            .take(MAX_RESPONSE)
            .read_to_end(&mut sink);
        return Ok(());
    }
    let mut answer = Vec::new();
    let _ = response
        .body_mut()
        .as_reader()
        .take(MAX_RESPONSE)
        .read_to_end(&mut answer);
    let text = String::from_utf8_lossy(&answer);
    let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let quoted: String = text.chars().take(MAX_QUOTED).collect();
    Err(if quoted.is_empty() {
        format!("HTTP {status}")
    } else {
        format!("HTTP {status}: {quoted}")
    })
}

fn email(e: &Email, a: &Alert, idempotency_key: &str, timeout: Duration) -> Result<(), String> {
    use lettre::message::{Mailbox, MultiPart};
    use lettre::transport::smtp::authentication::Credentials;
    use lettre::transport::smtp::client::{Tls, TlsParameters};
    use lettre::{Message, SmtpTransport, Transport};

    let mailbox = |s: &str| s.parse::<Mailbox>().map_err(|err| format!("{s}: {err}"));
    let mut builder = Message::builder()
        .from(mailbox(&e.from)?)
        .subject(a.subject.clone())
        .message_id(Some(format!("<{}@track>", txn_id(idempotency_key))));
    for to in &e.to {
        builder = builder.to(mailbox(to)?);
    }
    let message = builder
        .multipart(MultiPart::alternative_plain_html(
            message::plain(a),
            message::html_document(a),
        ))
        .map_err(|err| err.to_string())?;
    let tls =
        || TlsParameters::new(e.host.clone()).map_err(|err| format!("TLS for {}: {err}", e.host));
    let tls = match e.security {
        Security::Implicit => Tls::Wrapper(tls()?),
        Security::StartTls => Tls::Required(tls()?),
        Security::Opportunistic => Tls::Opportunistic(tls()?),
        Security::None => Tls::None,
    };
    let mut transport = SmtpTransport::builder_dangerous(e.host.clone())
        .port(e.port)
        .tls(tls)
        .timeout(Some(timeout));
    if let Some(user) = &e.user {
        transport = transport.credentials(Credentials::new(
            user.clone(),
            e.password.clone().unwrap_or_default(),
        ));
    }
    // `send` returns only once the server accepted the message (250).
    transport
        .build()
        .send(&message)
        .map(|_| ())
        .map_err(|err| format!("SMTP {}:{}: {err}", e.host, e.port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_auth_is_base64() {
        assert_eq!(
            basic("Aladdin", "open sesame"),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        assert_eq!(basic("a", ""), "Basic YTo=");
        assert_eq!(basic("ab", "c"), "Basic YWI6Yw==");
    }
}
