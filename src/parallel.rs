//! Work split between this thread and one other, for the few steps where a
//! single command has two halves worth running at once (a diff right after
//! `add`: both new texts' analyses).

/// `one()` here and `other()` on another thread, at once (both here when no
/// thread can be had).
pub(crate) fn both<A, B: Send>(
    one: impl FnOnce() -> A,
    other: impl FnOnce() -> B + Send,
) -> (A, B) {
    // Where the other thread takes `other` from, or this one if none starts.
    let other = std::sync::Mutex::new(Some(other));
    let run_other = || {
        let taken = other.lock().ok().and_then(|mut o| o.take());
        taken.map(|f| f())
    };
    let placement = Placement::here();
    let run_there = || {
        if let Some(p) = &placement {
            p.release_this_thread();
        }
        run_other()
    };
    std::thread::scope(|s| {
        let spawned = std::thread::Builder::new()
            .name("track-worker".into())
            .spawn_scoped(s, run_there);
        if let (Ok(_), Some(p)) = (&spawned, &placement) {
            p.send_new_thread_elsewhere();
        }
        let a = one();
        let b = match spawned {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p)),
            Err(_) => run_other(),
        };
        (a, b.expect("`other` runs once, here or there"))
    })
}

/// Where a process's one thread runs, and may run. Linux often queues a new
/// thread on its parent's CPU, where it waits until the parent blocks or the
/// load balancer moves it (about a millisecond on an idle virtual machine);
/// moving the running parent away instead costs as much (it may land behind
/// the new thread). So the new thread, before it runs, is sent to the other
/// CPUs, and lets itself go anywhere again once there (should it run before
/// it is sent, it stays on the other CPUs for this one piece of work). Only
/// when this was the process's one thread, so that the new one is known.
struct Placement {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    allowed: rustix::thread::CpuSet,
    #[cfg(any(target_os = "linux", target_os = "android"))]
    here: usize,
}

impl Placement {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    fn here() -> Option<Placement> {
        if other_threads()?.next().is_some() {
            return None;
        }
        let allowed = rustix::thread::sched_getaffinity(None).ok()?;
        let here = current_cpu()?;
        (allowed.count() >= 2 && allowed.is_set(here)).then_some(Placement { allowed, here })
    }

    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    fn here() -> Option<Placement> {
        None
    }

    /// The thread just started (the only one but this) kept off this CPU.
    fn send_new_thread_elsewhere(&self) {
        #[cfg(any(target_os = "linux", target_os = "android"))]
        {
            let Some(mut others) = other_threads() else {
                return;
            };
            if let (Some(new), None) = (others.next(), others.next()) {
                self.send_elsewhere(new);
            }
        }
    }

    /// Keep `thread` off this CPU until it releases itself.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    fn send_elsewhere(&self, thread: rustix::process::Pid) {
        let mut elsewhere = self.allowed;
        elsewhere.unset(self.here);
        let _ = rustix::thread::sched_setaffinity(Some(thread), &elsewhere);
    }

    fn release_this_thread(&self) {
        #[cfg(any(target_os = "linux", target_os = "android"))]
        let _ = rustix::thread::sched_setaffinity(None, &self.allowed);
    }
}

/// This process's threads but the calling one.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn other_threads() -> Option<impl Iterator<Item = rustix::process::Pid>> {
    let me = rustix::thread::gettid();
    let tasks = std::fs::read_dir("/proc/self/task").ok()?;
    Some(
        tasks
            .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<i32>().ok())
            .filter_map(rustix::process::Pid::from_raw)
            .filter(move |&t| t != me),
    )
}

/// The CPU this thread last ran on, as the kernel reports it (field 39 of
/// its `stat`). Read from /proc rather than through the vDSO: rustix's vDSO
/// lookup trusts the auxiliary vector, which tools such as valgrind leave
/// pointing at an unmapped page.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn current_cpu() -> Option<usize> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // After the command name (which may hold spaces or parentheses) comes
    // field 3; the processor is field 39.
    let after_name = &stat[stat.rfind(')')? + 1..];
    after_name.split_whitespace().nth(39 - 3)?.parse().ok()
}

/// Texts at least this long together are worked on two threads: below it a
/// thread costs more than it saves.
pub(crate) const WORTH_TWO_THREADS: usize = 16 * 1024;

/// Results of chunks of work, each with its first item's index.
type Chunks<T> = Vec<(usize, Vec<T>)>;

/// `first()` on this thread, and `work` over `0..n`, in chunks of `chunk`
/// taken by this thread (once `first` is done) and another at once; the
/// results in order. The other thread starts on the chunks at once, so
/// `first` runs while it works, and neither waits for the other's share.
/// `chunk` `None`: all of it here, after `first`.
pub(crate) fn first_then_shared<R, T: Send>(
    first: impl FnOnce() -> R,
    n: usize,
    chunk: Option<usize>,
    work: impl Fn(usize) -> T + Sync,
) -> (R, Vec<T>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let Some(chunk) = chunk else {
        let r = first();
        return (r, (0..n).map(work).collect());
    };
    let chunk = chunk.max(1);
    let next = AtomicUsize::new(0);
    let take = || {
        let mut done = Vec::new();
        loop {
            let start = next.fetch_add(chunk, Ordering::Relaxed);
            if start >= n {
                break;
            }
            done.push((start, (start..n.min(start + chunk)).map(&work).collect()));
        }
        done
    };
    let ((first, mut done), theirs): ((R, Chunks<T>), _) = both(
        || {
            let r = first();
            (r, take())
        },
        take,
    );
    done.extend(theirs);
    done.sort_unstable_by_key(|&(start, _)| start);
    (
        first,
        done.into_iter().flat_map(|(_, items)| items).collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_halves_run_and_come_back_in_order() {
        let (a, b) = both(|| (1..=10).sum::<u32>(), || "other".to_string());
        assert_eq!((a, b.as_str()), (55, "other"));
    }

    #[test]
    fn a_panic_on_either_side_reaches_the_caller() {
        let other = std::panic::catch_unwind(|| both(|| 1, || -> u32 { panic!("other") }));
        assert!(other.is_err());
        let data = [1, 2, 3];
        let one = std::panic::catch_unwind(|| {
            both(|| -> u32 { panic!("one") }, || data.iter().sum::<u32>())
        });
        assert!(one.is_err());
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    #[test]
    fn a_thread_sent_elsewhere_keeps_off_this_cpu_until_it_releases_itself() {
        use rustix::thread::sched_getaffinity;
        let allowed = sched_getaffinity(None).unwrap();
        let here = current_cpu().unwrap();
        if allowed.count() < 2 {
            // Nowhere else to send it; `Placement::here` gives none then.
            return;
        }
        let placement = std::sync::Arc::new(Placement { allowed, here });
        let (tid_tx, tid_rx) = std::sync::mpsc::channel();
        let (go_tx, go_rx) = std::sync::mpsc::channel::<()>();
        let there = std::sync::Arc::clone(&placement);
        let thread = std::thread::spawn(move || {
            tid_tx.send(rustix::thread::gettid()).unwrap();
            go_rx.recv().unwrap();
            let sent = sched_getaffinity(None).unwrap();
            there.release_this_thread();
            (sent, sched_getaffinity(None).unwrap())
        });
        placement.send_elsewhere(tid_rx.recv().unwrap());
        go_tx.send(()).unwrap();
        let (sent, released) = thread.join().unwrap();
        assert!(!sent.is_set(here));
        assert_eq!(sent.count() + 1, allowed.count());
        assert_eq!(released, allowed);
        // And in `both`, the other thread may go wherever this one may.
        let mask = || sched_getaffinity(None).unwrap();
        let (mine, theirs) = both(mask, mask);
        assert_eq!(mine, theirs);
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    #[test]
    fn the_current_cpu_is_one_this_thread_may_run_on() {
        let cpu = current_cpu().expect("/proc/thread-self/stat");
        let allowed = rustix::thread::sched_getaffinity(None).unwrap();
        assert!(allowed.is_set(cpu), "{cpu}");
    }

    #[test]
    fn shared_work_comes_back_in_order() {
        for n in [0, 1, 7, 8, 9, 100] {
            for chunk in [Some(8), None] {
                let (first, items) = first_then_shared(|| "first", n, chunk, |i| i * 2);
                assert_eq!(first, "first");
                assert_eq!(items, (0..n).map(|i| i * 2).collect::<Vec<_>>(), "n = {n}");
            }
        }
    }
}
