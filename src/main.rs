//! The `track` binary: parse, run, map errors to exit codes.

mod cli;

use clap::Parser;

fn main() {
    let args = match cli::Cli::try_parse() {
        Ok(args) => args,
        Err(e) => {
            // A usage error quotes the argument it refused: if the arguments
            // carry control characters, print it plain with them shown as
            // escapes (clap would pass them to a terminal raw).
            let hostile = std::env::args_os().any(|a| {
                a.to_string_lossy()
                    .chars()
                    .any(track::text::visible::is_unsafe)
            });
            if e.use_stderr() && hostile {
                eprint!("{}", track::text::visible::visible(&e.render().to_string()));
                std::process::exit(e.exit_code());
            }
            e.exit()
        }
    };
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
