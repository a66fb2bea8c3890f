//! `track serve`: the web UI and JSON API over the store, read-only.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;

use super::Context;
use super::error::{CliError, exit};
use track::serve::{Config, ServeError, Server};
use track::text::visible::visible_line;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0: any free port; the address bound is printed first)
    #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Every request must carry this token (Authorization: Bearer, or open any page with
    /// ?token=… once, which sets a cookie); required for a non-loopback address
    #[arg(long, value_name = "TOKEN", conflicts_with = "token_file")]
    pub token: Option<String>,
    /// Read the token from this file (its first line), so it is not on the command line
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
}

pub fn run(ctx: &Context, args: &ServeArgs) -> Result<i32, CliError> {
    let token = match (&args.token, &args.token_file) {
        (Some(t), _) => Some(t.clone()),
        (None, Some(path)) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| CliError::input(format!("{}: cannot read: {e}", path.display())))?;
            Some(text.lines().next().unwrap_or("").trim().to_string())
        }
        (None, None) => None,
    };
    let server = Server::bind(Config {
        db: ctx.db.clone(),
        addr: args.addr,
        token,
    })
    .map_err(serve_error)?;
    let addr = server.local_addr().map_err(serve_error)?;
    {
        // The first line is the address, for people and for scripts.
        let mut out = std::io::stdout().lock();
        writeln!(out, "http://{addr}/")?;
        out.flush()?;
    }
    eprintln!(
        "track serve: {} read-only{}; Ctrl-C stops",
        visible_line(&ctx.db.display().to_string()),
        if args.token.is_some() || args.token_file.is_some() {
            ", every request needs the token"
        } else {
            ""
        }
    );
    server.run().map_err(serve_error)?;
    Ok(exit::OK)
}

fn serve_error(e: ServeError) -> CliError {
    match e {
        ServeError::Store(e) => e.into(),
        e if e.is_usage() => CliError::input(e.to_string()),
        e => CliError::internal(e.to_string()),
    }
}
