//! The `track` binary: parse, run, map errors to exit codes.

mod cli;

use clap::Parser;

fn main() {
    let args = cli::Cli::parse();
    let code = match cli::run(args) {
        Ok(code) => code,
        Err(e) if e.message.is_empty() => e.code,
        Err(e) => {
            // One line, whatever file names or keys the message quotes.
            eprintln!("error: {}", track::text::visible::visible_line(&e.message));
            e.code
        }
    };
    std::process::exit(code);
}
