//! `track serve`: a local web application and JSON API over a store,
//! read-only.
//!
//! - [`Server::bind`] checks the address policy (a non-loopback address
//!   needs a token), opens the store once (schema checks, migrations) and
//!   binds; [`Server::run`] serves until the process ends.
//! - HTTP is hyper's (HTTP/1, a header time-out, a connection limit) under
//!   axum's router; one tokio thread answers, and every piece of SQLite work
//!   runs on the blocking pool with a store from a small pool of connections.
//! - Readers never wait for writers: the store is in WAL mode, reads are
//!   short transactions, and the analysis cache is written only when the
//!   write lock is free at once (one try), so `watch` or `check` writing the
//!   same store never holds a page up.
//! - Every response carries a strict Content-Security-Policy (no script at
//!   all; the style sheet is served from `/static/`), `nosniff` and
//!   `no-referrer`. Everything from a scrape is escaped (askama), with
//!   control and bidi control characters shown as escapes.
//!
//! Nothing here prints: the CLI prints the bound address.

mod api;
mod data;
mod pages;
mod pool;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;

use crate::compare::ResolveError;
use crate::store::{OpenMode, Store, StoreError};

pub use pool::Pool;

/// How long a client may take to send a request's headers.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a request may take to be answered.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Open connections at most; more are closed at once.
const MAX_CONNECTIONS: usize = 256;
/// Bytes of a request's target (path and query) at most.
const MAX_URI: usize = 8 * 1024;
/// Bytes of a request's body at most (the API only reads).
const MAX_BODY: u64 = 16 * 1024;
/// Bytes of the buffer hyper reads headers into at most.
const MAX_HEADERS: usize = 64 * 1024;
/// Threads for SQLite work at most.
const BLOCKING_THREADS: usize = 8;

/// The Content-Security-Policy of every response: nothing runs, nothing is
/// fetched but the page's own style sheet.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// What to serve, where, and who may read it.
#[derive(Debug, Clone)]
pub struct Config {
    pub db: PathBuf,
    pub addr: SocketAddr,
    /// Every request must carry it (`Authorization: Bearer`, or the `token`
    /// cookie set by opening any page with `?token=` once). Required when
    /// `addr` is not a loopback address.
    pub token: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(
        "{0} is not a loopback address: anyone who can reach it could read the store; give --token or --token-file (or serve on 127.0.0.1)"
    )]
    TokenRequired(SocketAddr),
    #[error("the token is empty")]
    EmptyToken,
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the server failed: {0}")]
    Io(#[from] std::io::Error),
}

impl ServeError {
    /// A refusal of the arguments (as opposed to a failure while running).
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            ServeError::TokenRequired(_) | ServeError::EmptyToken | ServeError::Bind { .. }
        )
    }
}

/// A bound server, not yet answering.
pub struct Server {
    listener: std::net::TcpListener,
    state: Arc<AppState>,
}

/// What every handler shares.
pub(crate) struct AppState {
    pub pool: Arc<Pool>,
    /// BLAKE3 of the token (compared hash to hash: in constant time).
    token: Option<blake3::Hash>,
    pub warmer: data::Warmer,
}

impl Server {
    /// Check the address policy, open the store and bind.
    pub fn bind(config: Config) -> Result<Server, ServeError> {
        let token = match config.token.as_deref() {
            Some("") => return Err(ServeError::EmptyToken),
            Some(t) => Some(blake3::hash(t.as_bytes())),
            None if !config.addr.ip().is_loopback() => {
                return Err(ServeError::TokenRequired(config.addr));
            }
            None => None,
        };
        // Opened once here: a foreign, newer or missing store is refused
        // before anything listens, and migrations run now, not in a page.
        let mut store = Store::open(&config.db, OpenMode::Existing)?;
        store.map_for_reading(pool::READ_MAP_BYTES)?;
        let pool = Arc::new(Pool::new(config.db.clone(), store));
        let listener =
            std::net::TcpListener::bind(config.addr).map_err(|source| ServeError::Bind {
                addr: config.addr,
                source,
            })?;
        listener.set_nonblocking(true)?;
        Ok(Server {
            listener,
            state: Arc::new(AppState {
                warmer: data::Warmer::start(Arc::clone(&pool)),
                pool,
                token,
            }),
        })
    }

    /// The address actually bound (with `:0`, the port the system chose).
    pub fn local_addr(&self) -> Result<SocketAddr, ServeError> {
        Ok(self.listener.local_addr()?)
    }

    /// Answer requests until the process ends.
    pub fn run(self) -> Result<(), ServeError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .max_blocking_threads(BLOCKING_THREADS)
            .build()?;
        runtime.block_on(accept(self.listener, router(self.state)))
    }
}

/// Accept connections forever, each served by hyper (HTTP/1) with the
/// router; at most [`MAX_CONNECTIONS`] at once.
async fn accept(listener: std::net::TcpListener, app: Router) -> Result<(), ServeError> {
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let open = Arc::new(AtomicUsize::new(0));
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file descriptors and the like: pass, and try again.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            open.fetch_sub(1, Ordering::SeqCst);
            drop(stream);
            continue;
        }
        let _ = stream.set_nodelay(true);
        let open = Arc::clone(&open);
        let service = TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let mut http = hyper::server::conn::http1::Builder::new();
            http.timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .max_buf_size(MAX_HEADERS);
            let _ = http.serve_connection(TokioIo::new(stream), service).await;
            open.fetch_sub(1, Ordering::SeqCst);
        });
    }
}

fn router(state: Arc<AppState>) -> Router {
    let api = Router::new()
        .route("/api/articles", get(api::articles))
        .route("/api/articles/{key}", get(api::article))
        .route("/api/articles/{key}/versions", get(api::versions))
        .route("/api/diff", get(api::diff))
        .route("/api/claims", get(api::claims))
        .route("/api/search", get(api::search))
        .route("/api/changes", get(api::changes))
        .route("/api/{*rest}", get(api::not_found));
    let pages = Router::new()
        .route("/", get(pages::list))
        .route("/article", get(pages::article))
        .route("/version", get(pages::version))
        .route("/diff", get(pages::diff))
        .route("/compare", get(pages::compare))
        .route("/search", get(pages::search))
        .route("/feed", get(pages::feed))
        .route("/static/track.css", get(pages::style))
        .fallback(pages::not_found);
    api.merge(pages)
        .layer(middleware::from_fn(time_limit))
        .layer(middleware::from_fn_with_state(Arc::clone(&state), guard))
        .layer(middleware::from_fn(bounds))
        .layer(middleware::from_fn(security_headers))
        .with_state(state)
}

/// Headers on every response, errors included.
async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

/// Refuse what is larger than any read needs.
async fn bounds(request: Request, next: Next) -> Response {
    let target = request
        .uri()
        .path_and_query()
        .map_or(0, |p| p.as_str().len());
    if target > MAX_URI {
        return Failure::new(StatusCode::URI_TOO_LONG, "the address is too long")
            .respond(is_api(&request));
    }
    let body = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0);
    if body > MAX_BODY || request.headers().contains_key(header::TRANSFER_ENCODING) {
        return Failure::new(StatusCode::PAYLOAD_TOO_LARGE, "this server only reads")
            .respond(is_api(&request));
    }
    next.run(request).await
}

/// The token, when there is one; without one, only requests addressed to
/// this machine by name or number (a web page elsewhere cannot rebind a
/// name of its own to 127.0.0.1 and read the store through the browser).
async fn guard(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let api = is_api(&request);
    let Some(token) = state.token else {
        let host = request
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        if !is_local_host(host) {
            return Failure::new(
                StatusCode::FORBIDDEN,
                "this server answers only requests addressed to 127.0.0.1, [::1] or localhost",
            )
            .respond(api);
        }
        return next.run(request).await;
    };
    let matches = |t: &str| blake3::hash(t.as_bytes()) == token;
    // `?token=` once: set the cookie and take the token out of the address
    // (and of the history and of any Referer).
    if let Some(given) = query_token(&request) {
        if !matches(&given) {
            return unauthorized(api);
        }
        let cleaned = without_token(&request);
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::SEE_OTHER;
        let h = response.headers_mut();
        if let Ok(location) = HeaderValue::from_str(&cleaned) {
            h.insert(header::LOCATION, location);
        }
        if let Ok(cookie) = HeaderValue::from_str(&format!(
            "token={}; Path=/; HttpOnly; SameSite=Strict",
            percent_encoding::utf8_percent_encode(&given, percent_encoding::NON_ALPHANUMERIC)
        )) {
            h.insert(header::SET_COOKIE, cookie);
        }
        return response;
    }
    if bearer(request.headers()).is_some_and(|t| matches(&t))
        || cookie_token(request.headers()).is_some_and(|t| matches(&t))
    {
        return next.run(request).await;
    }
    unauthorized(api)
}

fn unauthorized(api: bool) -> Response {
    let mut response = Failure::new(
        StatusCode::UNAUTHORIZED,
        "a token is required: Authorization: Bearer TOKEN, or open this address with ?token=TOKEN once",
    )
    .respond(api);
    response
        .headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}

/// A request that ran out of time is answered 503.
async fn time_limit(request: Request, next: Next) -> Response {
    let api = is_api(&request);
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            Failure::new(StatusCode::SERVICE_UNAVAILABLE, "the request took too long").respond(api)
        }
    }
}

fn is_api(request: &Request) -> bool {
    request.uri().path().starts_with("/api/")
}

/// A `Host` header naming this machine: `localhost` or an IP address
/// (with or without a port).
fn is_local_host(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        match rest.split_once(']') {
            Some((ip, _)) => return ip.parse::<std::net::Ipv6Addr>().is_ok(),
            None => return false,
        }
    } else {
        host.rsplit_once(':').map_or(host, |(name, _)| name)
    };
    name.eq_ignore_ascii_case("localhost")
        || name.to_ascii_lowercase().ends_with(".localhost")
        || name.parse::<std::net::Ipv4Addr>().is_ok()
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix("token="))
        .map(|t| {
            percent_encoding::percent_decode_str(t)
                .decode_utf8_lossy()
                .into_owned()
        })
}

fn query_token(request: &Request) -> Option<String> {
    url::form_urlencoded::parse(request.uri().query()?.as_bytes())
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.into_owned())
}

/// The request's path and query without its `token` parameter.
fn without_token(request: &Request) -> String {
    let path = request.uri().path();
    let kept: Vec<(String, String)> =
        url::form_urlencoded::parse(request.uri().query().unwrap_or("").as_bytes())
            .filter(|(k, _)| k != "token")
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
    if kept.is_empty() {
        return path.to_string();
    }
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(kept)
        .finish();
    format!("{path}?{query}")
}

/// Why a request failed, and its status.
#[derive(Debug)]
pub(crate) struct Failure {
    pub status: StatusCode,
    pub message: String,
}

impl Failure {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Failure {
        Failure {
            status,
            message: message.into(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Failure {
        Failure::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn not_found(message: impl Into<String>) -> Failure {
        Failure::new(StatusCode::NOT_FOUND, message)
    }

    /// As JSON (`{"error": …}`) for the API, as a page for people.
    pub fn respond(self, api: bool) -> Response {
        if api {
            api::error(self)
        } else {
            pages::error(self)
        }
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Failure {
        let status = match e {
            StoreError::UnknownArticle(_)
            | StoreError::UnknownVersion { .. }
            | StoreError::NoEarlierState { .. } => StatusCode::NOT_FOUND,
            StoreError::Locked { .. } => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        Failure::new(status, crate::text::visible::visible_line(&e.to_string()))
    }
}

impl From<ResolveError> for Failure {
    fn from(e: ResolveError) -> Failure {
        match e {
            ResolveError::Store(e) => e.into(),
            e => Failure::bad_request(crate::text::visible::visible_line(&e.to_string())),
        }
    }
}

/// Run SQLite work on the blocking pool with a pooled store.
pub(crate) async fn blocking<T, F>(state: &Arc<AppState>, work: F) -> Result<T, Failure>
where
    T: Send + 'static,
    F: FnOnce(&Store) -> Result<T, Failure> + Send + 'static,
{
    let pool = Arc::clone(&state.pool);
    tokio::task::spawn_blocking(move || {
        let store = pool.get()?;
        work(&store)
    })
    .await
    .unwrap_or_else(|e| {
        Err(Failure::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the request failed: {e}"),
        ))
    })
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        pages::error(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_hosts_are_names_of_this_machine() {
        for ok in [
            "127.0.0.1:8080",
            "localhost:1",
            "LOCALHOST",
            "[::1]:80",
            "10.0.0.2:8080",
            "app.localhost",
        ] {
            assert!(is_local_host(ok), "{ok}");
        }
        for bad in ["evil.example:8080", "example.org", "", "[nope]:1"] {
            assert!(!is_local_host(bad), "{bad}");
        }
    }

    #[test]
    fn a_non_loopback_address_needs_a_token() {
        let config = Config {
            db: PathBuf::from("/nonexistent/track.db"),
            addr: "0.0.0.0:0".parse().unwrap(),
            token: None,
        };
        assert!(matches!(
            Server::bind(config),
            Err(ServeError::TokenRequired(_))
        ));
    }
}
