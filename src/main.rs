//! The `track` binary: parse, run, map errors to exit codes.

mod cli;

use clap::Parser;

/// mimalloc instead of the system allocator: a diff or a claims comparison
/// allocates many small strings and vectors per sentence and per word, and
/// glibc's malloc and free were about a fifth of their instructions.
/// C code (SQLite, zstd) still allocates with glibc, tuned below.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    tune_allocator();
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
    exit_now(code)
}

/// Leave without running the process's exit handlers: mimalloc's hands
/// every page it holds back to the kernel one `madvise` at a time (60 calls
/// after a long diff), which the kernel does anyway as the process ends.
/// Everything `run` opened is closed by now (stores, output files); only
/// stdout's buffer is left, and it is flushed here.
#[cfg(unix)]
fn exit_now(code: i32) -> ! {
    use std::io::Write;
    let _ = std::io::stdout().flush();
    // SAFETY: `_exit` ends the process at once; no other thread is running
    // `run`'s work, and stdout is flushed above.
    unsafe { libc::_exit(code) }
}

#[cfg(not(unix))]
fn exit_now(code: i32) -> ! {
    std::process::exit(code)
}

/// glibc's allocator keeps the peak of every thread's arena, and after a
/// large free it raises its mmap threshold so that later large buffers stay
/// in those arenas: a `check` pass with 8 workers and 5 MB pages peaked at
/// 350 MB though the bodies were extracted a few at a time. A fixed mmap
/// threshold (buffers of 1 MiB and more are mapped, and unmapped when freed)
/// and at most 4 arenas keep the peak near the working set (~130 MB).
/// Each arena keeps up to 4 MiB free at its top instead of 128 KiB: ingest's
/// workers allocate and free a compression context of a few hundred KB per
/// input, and returning it to the system each time (then faulting it in
/// again) cost more than compressing.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_allocator() {
    // SAFETY: mallopt only sets allocator parameters; it is called first
    // thing in main, before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
        libc::mallopt(libc::M_ARENA_MAX, 4);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 4 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_allocator() {}
