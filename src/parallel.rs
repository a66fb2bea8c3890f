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
    std::thread::scope(|s| {
        let spawned = std::thread::Builder::new()
            .name("track-worker".into())
            .spawn_scoped(s, run_other);
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

/// Where to cut `weights` in two halves of about equal weight: the first
/// half is `..cut`.
pub(crate) fn halfway(weights: impl Iterator<Item = usize> + Clone) -> usize {
    let total: usize = weights.clone().sum();
    let (mut seen, mut cut) = (0, 0);
    for w in weights {
        if seen * 2 >= total {
            break;
        }
        // Up to the half or just past it, whichever is nearer.
        let past = ((seen + w) * 2).saturating_sub(total);
        if past > total - seen * 2 {
            break;
        }
        seen += w;
        cut += 1;
    }
    cut
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
    fn halfway_splits_by_weight() {
        assert_eq!(halfway([1, 1, 1, 1].into_iter()), 2);
        assert_eq!(halfway([10, 1, 1, 1].into_iter()), 1);
        assert_eq!(halfway([1, 1, 1, 10].into_iter()), 3);
        assert_eq!(halfway(std::iter::empty()), 0);
    }
}
