//! Getting the bytes of a source: HTTP (conditional GET, bounded redirects,
//! gzip, a size limit and a time limit), a scraper command, a folder listing.

use std::io::Read;
use std::net::{IpAddr, Ipv4Addr};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant, UNIX_EPOCH};

use ureq::Agent;

use crate::ingest::{self, Candidate};

/// Redirects followed before a fetch fails (a loop ends here too).
pub const MAX_REDIRECTS: u32 = 5;

/// Why a fetch failed. The message is the reason only; callers name the source.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum FetchError {
    #[error("HTTP {0}")]
    Status(u16),
    #[error("timed out after {0:?}")]
    Timeout(Duration),
    #[error("connection refused")]
    Refused,
    #[error("too many redirects (more than {MAX_REDIRECTS}, or a loop)")]
    Redirects,
    #[error("host not found")]
    HostNotFound,
    #[error("larger than max_bytes ({0} bytes)")]
    TooLarge(u64),
    #[error("not a text page (Content-Type {0})")]
    NotText(String),
    #[error("address refused: {0}")]
    Forbidden(String),
    #[error("{0}")]
    Other(String),
}

/// Options of one HTTP fetch.
#[derive(Debug, Clone)]
pub struct HttpRequest<'a> {
    pub url: &'a str,
    pub timeout: Duration,
    pub user_agent: &'a str,
    pub max_bytes: u64,
    /// Validators from the previous fetch, for a conditional GET.
    pub etag: Option<&'a str>,
    pub last_modified: Option<&'a str>,
    /// Content types accepted besides text/* and (X)HTML: feeds add XML and JSON.
    pub accept_xml: bool,
}

/// A successful HTTP answer.
#[derive(Debug, Clone)]
pub enum HttpResponse {
    /// 304: the page did not change since the validators were issued.
    NotModified,
    Body(HttpBody),
}

#[derive(Debug, Clone)]
pub struct HttpBody {
    pub status: u16,
    pub bytes: Vec<u8>,
    /// `charset` of the Content-Type header, if any.
    pub charset: Option<String>,
    /// The Content-Type header, if any.
    pub content_type: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// The address after redirects.
    pub final_url: String,
}

/// An agent for the fetches of one source in a pass (it pools connections).
/// Statuses are answers, not errors, so that they can be recorded. Every
/// connection it makes — the source's URL, each redirect, each article a
/// feed links to — goes through `policy` (see [`AddressPolicy`]). No proxy
/// is used: the addresses checked are the addresses connected.
pub fn agent(policy: AddressPolicy) -> Agent {
    let config = Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(MAX_REDIRECTS)
        .max_idle_connections_per_host(8)
        .proxy(None)
        .build();
    Agent::with_parts(
        config,
        ureq::unversioned::transport::DefaultConnector::default(),
        GuardedResolver {
            inner: ureq::unversioned::resolver::DefaultResolver::default(),
            policy,
            home: std::sync::OnceLock::new(),
        },
    )
}

/// Where the fetches of a source may connect.
///
/// Public addresses: always. Loopback, private, link-local (cloud metadata
/// at 169.254.169.254), shared, multicast and reserved addresses: only the
/// addresses of the host in the source's own configured URL (the operator
/// chose that machine; its redirects and the articles it links may come
/// back to it), or any of them with `allow_private = true`. So a feed, a
/// page or a redirect on the Internet cannot steer fetches to the machine
/// running track or to its network, and a feed on an intranet host cannot
/// steer them to the other hosts of that network.
#[derive(Debug, Clone)]
pub struct AddressPolicy {
    /// The source's configured URL (url or feed).
    pub home: String,
    /// `allow_private = true`: every address may be reached.
    pub allow_private: bool,
}

/// The kind of a non-public address, named in refusals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressClass {
    Public,
    Loopback,
    Private,
    LinkLocal,
    /// Unspecified, multicast, broadcast, shared (CGNAT), documentation, reserved.
    Special,
}

impl AddressClass {
    fn describe(self) -> &'static str {
        match self {
            AddressClass::Public => "public",
            AddressClass::Loopback => "loopback",
            AddressClass::Private => "private",
            AddressClass::LinkLocal => "link-local",
            AddressClass::Special => "special-purpose",
        }
    }
}

/// What kind of address `ip` is. IPv6 forms that embed an IPv4 address
/// (mapped, compatible, NAT64, 6to4) are judged by that address.
pub fn classify(ip: IpAddr) -> AddressClass {
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return classify_v4(v4);
            }
            let seg = v6.segments();
            if v6.is_loopback() {
                return AddressClass::Loopback;
            }
            if v6.is_unspecified() || v6.is_multicast() {
                return AddressClass::Special;
            }
            // ::a.b.c.d (deprecated compatible form), 64:ff9b::/96 (NAT64)
            if seg[..6] == [0; 6] || seg[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
                let o = v6.octets();
                return classify_v4(Ipv4Addr::new(o[12], o[13], o[14], o[15]));
            }
            // 2002::/16: 6to4, the IPv4 address in the next 32 bits.
            if seg[0] == 0x2002 {
                let o = v6.octets();
                return classify_v4(Ipv4Addr::new(o[2], o[3], o[4], o[5]));
            }
            match seg[0] {
                s if s & 0xfe00 == 0xfc00 => AddressClass::Private, // fc00::/7 unique local
                s if s & 0xffc0 == 0xfe80 => AddressClass::LinkLocal, // fe80::/10
                s if s & 0xffc0 == 0xfec0 => AddressClass::Private, // fec0::/10 site local
                0x2001 if seg[1] == 0x0db8 => AddressClass::Special, // documentation
                _ => AddressClass::Public,
            }
        }
    }
}

fn classify_v4(ip: Ipv4Addr) -> AddressClass {
    let o = ip.octets();
    if ip.is_loopback() {
        AddressClass::Loopback
    } else if ip.is_private() {
        AddressClass::Private
    } else if ip.is_link_local() {
        AddressClass::LinkLocal
    } else if o[0] == 0
        || ip.is_broadcast()
        || ip.is_multicast()
        || o[0] >= 240
        || (o[0] == 100 && o[1] & 0xc0 == 64) // 100.64.0.0/10 shared (CGNAT)
        || (o[0] == 192 && o[1] == 0 && o[2] == 0) // 192.0.0.0/24 protocol assignments
        || ip.is_documentation()
        || (o[0] == 198 && o[1] & 0xfe == 18)
    // 198.18.0.0/15 benchmarking
    {
        AddressClass::Special
    } else {
        AddressClass::Public
    }
}

/// Whether a connection to `addrs` (every address a host resolved to) is
/// allowed: each must be public, or one of `home` (the addresses of the
/// source's configured host), unless `allow_private`.
pub fn check_addresses(
    addrs: &[IpAddr],
    home: &[IpAddr],
    allow_private: bool,
) -> Result<(), FetchError> {
    if allow_private {
        return Ok(());
    }
    for &ip in addrs {
        let class = classify(ip);
        if class != AddressClass::Public && !home.contains(&ip) {
            return Err(FetchError::Forbidden(format!(
                "{ip} is a {} address and not the source's own host (allow_private = true allows it)",
                class.describe()
            )));
        }
    }
    Ok(())
}

/// The resolver of a source's agent: resolves as usual, then applies the
/// source's [`AddressPolicy`] to every address before any is connected.
#[derive(Debug)]
struct GuardedResolver {
    inner: ureq::unversioned::resolver::DefaultResolver,
    policy: AddressPolicy,
    /// The addresses of the configured URL's host, resolved once.
    home: std::sync::OnceLock<Vec<IpAddr>>,
}

impl ureq::unversioned::resolver::Resolver for GuardedResolver {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: ureq::unversioned::transport::NextTimeout,
    ) -> Result<ureq::unversioned::resolver::ResolvedSocketAddrs, ureq::Error> {
        let addrs = self.inner.resolve(uri, config, timeout)?;
        if self.policy.allow_private {
            return Ok(addrs);
        }
        let ips: Vec<IpAddr> = addrs.iter().map(|a| a.ip()).collect();
        if ips.iter().all(|ip| classify(*ip) == AddressClass::Public) {
            return Ok(addrs);
        }
        let home = self.home.get_or_init(|| {
            self.policy
                .home
                .parse::<ureq::http::Uri>()
                .ok()
                .and_then(|home| self.inner.resolve(&home, config, timeout).ok())
                .map(|a| a.iter().map(|a| a.ip()).collect())
                .unwrap_or_default()
        });
        match check_addresses(&ips, home, false) {
            Ok(()) => Ok(addrs),
            Err(e) => {
                let reason = match e {
                    FetchError::Forbidden(reason) => reason,
                    other => other.to_string(),
                };
                Err(ureq::Error::Io(std::io::Error::new(
                    std::io::ErrorKind::PermissionDenied,
                    Refused(reason),
                )))
            }
        }
    }
}

/// A refusal of the address policy, carried through ureq as an io::Error.
#[derive(Debug)]
struct Refused(String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

/// GET one URL.
pub fn http_get(agent: &Agent, req: &HttpRequest<'_>) -> Result<HttpResponse, FetchError> {
    let mut builder = agent
        .get(req.url)
        .config()
        .timeout_global(Some(req.timeout))
        .user_agent(req.user_agent)
        .build()
        .header(
            "Accept",
            "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,text/*;q=0.8",
        );
    if let Some(etag) = req.etag {
        builder = builder.header("If-None-Match", etag);
    }
    if let Some(lm) = req.last_modified {
        builder = builder.header("If-Modified-Since", lm);
    }
    let mut response = builder.call().map_err(|e| map_error(e, req))?;
    let status = response.status().as_u16();
    if status == 304 {
        return Ok(HttpResponse::NotModified);
    }
    if !(200..300).contains(&status) {
        return Err(FetchError::Status(status));
    }
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let etag = header("etag");
    let last_modified = header("last-modified");
    let content_type = header("content-type");
    if let Some(ct) = &content_type
        && !acceptable(ct, req.accept_xml)
    {
        return Err(FetchError::NotText(ct.clone()));
    }
    let charset = content_type.as_deref().and_then(charset_of);
    let final_url = ureq::ResponseExt::get_uri(&response).to_string();
    let bytes = read_limited(response.body_mut(), req)?;
    Ok(HttpResponse::Body(HttpBody {
        status,
        bytes,
        charset,
        content_type,
        etag,
        last_modified,
        final_url,
    }))
}

/// Read a body, decoded (gzip is inflated as it is read), failing as soon as
/// the decoded bytes pass `max_bytes`: the limit bounds memory whatever the
/// server sends (a small gzip body may inflate to gigabytes). ureq's own
/// limit counts the bytes on the wire, so it is lifted here and the decoded
/// stream is cut instead.
fn read_limited(body: &mut ureq::Body, req: &HttpRequest<'_>) -> Result<Vec<u8>, FetchError> {
    let reader = body.with_config().limit(u64::MAX).reader();
    let mut bytes = Vec::new();
    reader
        .take(req.max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| map_io_error(e, req))?;
    if bytes.len() as u64 > req.max_bytes {
        return Err(FetchError::TooLarge(req.max_bytes));
    }
    Ok(bytes)
}

/// An error met while reading a body: ureq wraps its own errors in io::Error.
fn map_io_error(e: std::io::Error, req: &HttpRequest<'_>) -> FetchError {
    if e.get_ref().is_some_and(|inner| inner.is::<ureq::Error>()) {
        let inner = e.into_inner().expect("checked");
        if let Ok(ureq_error) = inner.downcast::<ureq::Error>() {
            return map_error(*ureq_error, req);
        }
        return FetchError::Other("reading the body failed".into());
    }
    map_error(ureq::Error::Io(e), req)
}

fn map_error(e: ureq::Error, req: &HttpRequest<'_>) -> FetchError {
    match e {
        ureq::Error::Timeout(_) => FetchError::Timeout(req.timeout),
        ureq::Error::TooManyRedirects => FetchError::Redirects,
        ureq::Error::HostNotFound => FetchError::HostNotFound,
        ureq::Error::BodyExceedsLimit(_) => FetchError::TooLarge(req.max_bytes),
        ureq::Error::ConnectionFailed => FetchError::Refused,
        ureq::Error::Io(io) if io.get_ref().is_some_and(|e| e.is::<Refused>()) => {
            FetchError::Forbidden(io.get_ref().map(|e| e.to_string()).unwrap_or_default())
        }
        ureq::Error::Io(io) => match io.kind() {
            std::io::ErrorKind::ConnectionRefused => FetchError::Refused,
            std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => {
                FetchError::Timeout(req.timeout)
            }
            _ => FetchError::Other(io.to_string()),
        },
        other => FetchError::Other(other.to_string()),
    }
}

/// Whether a Content-Type can hold an article (or, for feeds, a feed).
/// Images, PDFs, archives and the like are refused before their body is read.
fn acceptable(content_type: &str, accept_xml: bool) -> bool {
    let mime = ingest::media_type(content_type);
    if mime.is_empty() || mime.starts_with("text/") || mime == "application/xhtml+xml" {
        return true;
    }
    accept_xml
        && (mime.ends_with("/xml")
            || mime.ends_with("+xml")
            || mime == "application/json"
            || mime == "application/feed+json")
}

/// The `charset` parameter of a Content-Type header.
pub fn charset_of(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(['"', '\'']).to_string())
            .filter(|v| !v.is_empty())
    })
}

/// The encoding label to decode a page with: the source's `encoding`, else
/// the header's charset unless the body is valid UTF-8 anyway (servers
/// often send a stale header; non-ASCII legacy text is practically never
/// valid UTF-8), else none (BOM, `<meta>` and detection decide).
pub fn override_label(
    configured: Option<&str>,
    header: Option<&str>,
    bytes: &[u8],
) -> Option<String> {
    if let Some(c) = configured {
        return Some(c.to_string());
    }
    let header = header?;
    let enc = encoding_rs::Encoding::for_label(header.trim().as_bytes())?;
    if enc == encoding_rs::UTF_8 || std::str::from_utf8(bytes).is_ok() {
        return None;
    }
    Some(enc.name().to_string())
}

/// Run a scraper command (no shell) and return its standard output. Fails on
/// a non-zero exit, a time-out or too much output.
///
/// The command runs in a process group of its own, and the whole group is
/// killed at the deadline: a child that leaves a grandchild holding its
/// standard output cannot keep the pass waiting. Output is read on threads
/// and waited for with the same deadline, never past it.
pub fn run_command(
    argv: &[String],
    timeout: Duration,
    max_bytes: u64,
) -> Result<Vec<u8>, FetchError> {
    let (program, args) = argv
        .split_first()
        .ok_or_else(|| FetchError::Other("empty command".into()))?;
    let deadline = Instant::now() + timeout;
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .map_err(|e| FetchError::Other(format!("cannot run {program}: {e}")))?;
    let mut group = Group::new(&child);
    let stdout = child.stdout.take().expect("piped");
    let stderr = child.stderr.take().expect("piped");
    // Readers on threads: a full pipe would otherwise block the child forever.
    let (tx, rx) = mpsc::channel::<Pipe>();
    let tx_err = tx.clone();
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        let r = stdout.take(max_bytes + 1).read_to_end(&mut buf);
        let _ = tx.send(Pipe::Out(r.map(|_| buf)));
    });
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stderr.take(64 * 1024).read_to_end(&mut buf);
        let _ = tx_err.send(Pipe::Err(buf));
    });
    let mut status = None;
    let mut out: Option<std::io::Result<Vec<u8>>> = None;
    let mut err: Option<Vec<u8>> = None;
    loop {
        if status.is_none() {
            match child.try_wait() {
                Ok(s) => status = s,
                Err(e) => {
                    group.kill(&mut child);
                    return Err(FetchError::Other(e.to_string()));
                }
            }
        }
        if let Some(Ok(bytes)) = &out
            && bytes.len() as u64 > max_bytes
        {
            group.kill(&mut child);
            return Err(FetchError::TooLarge(max_bytes));
        }
        let failed = status.is_some_and(|s| !s.success());
        if status.is_some() && out.is_some() && (err.is_some() || !failed) {
            break;
        }
        let now = Instant::now();
        if now >= deadline {
            group.kill(&mut child);
            if status.is_some() && out.is_some() {
                break; // only stderr was held open
            }
            return Err(FetchError::Timeout(timeout));
        }
        let wait = (deadline - now).min(Duration::from_millis(20));
        match rx.recv_timeout(wait) {
            Ok(Pipe::Out(r)) => out = Some(r),
            Ok(Pipe::Err(b)) => err = Some(b),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => std::thread::sleep(wait),
        }
    }
    let status = status.expect("exited");
    let bytes = out
        .expect("read")
        .map_err(|e| FetchError::Other(e.to_string()))?;
    let stderr = err.unwrap_or_default();
    if !status.success() {
        let first = String::from_utf8_lossy(&stderr)
            .lines()
            .find(|l| !l.trim().is_empty())
            .map(|l| format!(": {}", l.trim()))
            .unwrap_or_default();
        return Err(FetchError::Other(format!(
            "{program} exited with {status}{first}"
        )));
    }
    Ok(bytes)
}

/// What a reader thread of a command got.
enum Pipe {
    Out(std::io::Result<Vec<u8>>),
    Err(Vec<u8>),
}

/// The process group of a spawned child (its id is the child's pid).
pub(crate) struct Group {
    id: Option<rustix::process::Pid>,
}

impl Group {
    pub(crate) fn new(child: &std::process::Child) -> Group {
        Group {
            id: Some(rustix::process::Pid::from_child(child)),
        }
    }

    /// SIGKILL the whole group (the child and whatever it started), then
    /// reap the child.
    pub(crate) fn kill(&mut self, child: &mut std::process::Child) {
        if let Some(id) = self.id.take() {
            let _ = rustix::process::kill_process_group(id, rustix::process::Signal::KILL);
        }
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// A file of a watched folder with its change signature (size and mtime).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedFile {
    pub path: PathBuf,
    pub signature: String,
}

/// The article files of a folder (the rules of `track add`), with signatures.
/// A folder without articles is an empty list; a missing one is an error.
pub fn list_dir(dir: &Path) -> Result<Vec<ListedFile>, FetchError> {
    let mut files = Vec::new();
    for candidate in ingest::expand(&[dir.to_path_buf()]) {
        match candidate {
            Candidate::File(path) => {
                let Ok(meta) = std::fs::metadata(&path) else {
                    continue;
                };
                let mtime = meta
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                files.push(ListedFile {
                    path,
                    signature: format!("{}:{mtime}", meta.len()),
                });
            }
            Candidate::Problem {
                error: ingest::InputError::NoArticles { .. },
                ..
            } => {}
            // A pipe, socket or device among the files: listed like a file,
            // so that reading it fails on its own line (without blocking)
            // and the folder's other files are still taken.
            Candidate::Problem {
                name,
                error: ingest::InputError::NotRegular(_),
            } => {
                let path = PathBuf::from(name);
                let signature = std::fs::symlink_metadata(&path)
                    .map(|m| format!("special:{}", m.len()))
                    .unwrap_or_default();
                files.push(ListedFile { path, signature });
            }
            Candidate::Problem { name, error } => {
                return Err(FetchError::Other(format!("{name}: {error}")));
            }
            Candidate::Bytes { .. } => {}
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types() {
        assert!(acceptable("text/html; charset=utf-8", false));
        assert!(acceptable("application/xhtml+xml", false));
        assert!(!acceptable("image/png", false));
        assert!(!acceptable("application/pdf", true));
        assert!(!acceptable("application/rss+xml", false));
        assert!(acceptable("application/rss+xml", true));
        assert_eq!(
            charset_of("text/html; Charset=\"windows-1256\""),
            Some("windows-1256".into())
        );
        assert_eq!(charset_of("text/html"), None);
    }

    #[test]
    fn header_charset_is_an_override_only_for_non_utf8_bodies() {
        assert_eq!(
            override_label(None, Some("windows-1256"), &[0xc7, 0xe1]),
            Some("windows-1256".into())
        );
        assert_eq!(
            override_label(None, Some("windows-1256"), "سلام".as_bytes()),
            None
        );
        assert_eq!(override_label(None, Some("utf-8"), &[0xc7]), None);
        assert_eq!(
            override_label(Some("iso-8859-6"), Some("utf-8"), b"x"),
            Some("iso-8859-6".into())
        );
    }

    #[test]
    fn address_classes() {
        let c = |s: &str| classify(s.parse().unwrap());
        assert_eq!(c("93.184.216.34"), AddressClass::Public);
        assert_eq!(
            c("2606:2800:220:1:248:1893:25c8:1946"),
            AddressClass::Public
        );
        assert_eq!(c("127.0.0.1"), AddressClass::Loopback);
        assert_eq!(c("127.0.0.2"), AddressClass::Loopback);
        assert_eq!(c("::1"), AddressClass::Loopback);
        assert_eq!(c("::ffff:127.0.0.1"), AddressClass::Loopback);
        assert_eq!(c("10.1.2.3"), AddressClass::Private);
        assert_eq!(c("172.16.0.1"), AddressClass::Private);
        assert_eq!(c("172.32.0.1"), AddressClass::Public);
        assert_eq!(c("192.168.1.1"), AddressClass::Private);
        assert_eq!(c("::ffff:192.168.1.1"), AddressClass::Private);
        assert_eq!(c("fd00::1"), AddressClass::Private);
        assert_eq!(c("169.254.169.254"), AddressClass::LinkLocal);
        assert_eq!(c("fe80::1"), AddressClass::LinkLocal);
        assert_eq!(c("0.0.0.0"), AddressClass::Special);
        assert_eq!(c("::"), AddressClass::Special);
        assert_eq!(c("100.64.0.1"), AddressClass::Special);
        assert_eq!(c("255.255.255.255"), AddressClass::Special);
        assert_eq!(c("224.0.0.1"), AddressClass::Special);
        assert_eq!(c("64:ff9b::a00:1"), AddressClass::Private);
        assert_eq!(c("2002:7f00:1::"), AddressClass::Loopback);
    }

    #[test]
    fn address_policy() {
        let ip = |s: &str| -> IpAddr { s.parse().unwrap() };
        let public = [ip("93.184.216.34")];
        // A source on the Internet reaches the Internet only.
        assert!(check_addresses(&public, &public, false).is_ok());
        for bad in ["127.0.0.1", "10.0.0.5", "169.254.169.254", "::1", "0.0.0.0"] {
            let e = check_addresses(&[ip(bad)], &public, false).unwrap_err();
            assert!(e.to_string().contains(bad), "{e}");
        }
        // One bad address among several is enough to refuse.
        assert!(check_addresses(&[public[0], ip("127.0.0.1")], &public, false).is_err());
        // A source on its own private host may come back to it, not elsewhere.
        let home = [ip("10.0.0.5")];
        assert!(check_addresses(&[ip("10.0.0.5")], &home, false).is_ok());
        assert!(check_addresses(&public, &home, false).is_ok());
        assert!(check_addresses(&[ip("10.0.0.6")], &home, false).is_err());
        assert!(check_addresses(&[ip("169.254.169.254")], &home, false).is_err());
        // allow_private lifts it.
        assert!(check_addresses(&[ip("169.254.169.254")], &public, true).is_ok());
    }

    #[test]
    fn commands_run_without_a_shell() {
        let out = run_command(
            &["echo".into(), "a b; rm -rf /".into()],
            Duration::from_secs(5),
            1000,
        )
        .unwrap();
        assert_eq!(out, b"a b; rm -rf /\n");
        let e = run_command(&["false".into()], Duration::from_secs(5), 1000).unwrap_err();
        assert!(e.to_string().contains("exited"), "{e}");
        let e = run_command(
            &["sleep".into(), "5".into()],
            Duration::from_millis(200),
            1000,
        )
        .unwrap_err();
        assert_eq!(e, FetchError::Timeout(Duration::from_millis(200)));
    }
}
