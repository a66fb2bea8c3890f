//! When an item is due again: fixed intervals, the NewsDiffs adaptive table,
//! jitter, and exponential back-off after failures.

use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

use chrono::{DateTime, Utc};

const MINUTE: u64 = 60;
const HOUR: u64 = 60 * MINUTE;
const DAY: u64 = 24 * HOUR;

/// Longest back-off after repeated failures (unless the normal interval is
/// already longer: a failure never makes an item checked more often).
pub const MAX_BACKOFF: Duration = Duration::from_secs(DAY);

/// How often an item is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schedule {
    /// A fixed interval.
    Every(Duration),
    /// NewsDiffs' table: often while the item changes, rarely once it settled.
    Adaptive,
}

impl Schedule {
    /// Parse `adaptive` or a duration (`15m`, `1h`, `3d`, `1h30m`).
    pub fn parse(s: &str) -> Result<Schedule, String> {
        if s.trim().eq_ignore_ascii_case("adaptive") {
            return Ok(Schedule::Adaptive);
        }
        parse_duration(s).map(Schedule::Every)
    }

    /// The interval after a check, given how long ago the item last changed.
    pub fn interval(self, since_change: Duration) -> Duration {
        match self {
            Schedule::Every(d) => d,
            Schedule::Adaptive => adaptive(since_change),
        }
    }
}

/// NewsDiffs' re-check delays, keyed on the age of the last change: every
/// 15 min under 3 h, hourly under a day, every 3 h under a week, every 3 days
/// under 30 days, then every 30 days.
pub fn adaptive(since_change: Duration) -> Duration {
    let age = since_change.as_secs();
    let every = if age < 3 * HOUR {
        15 * MINUTE
    } else if age < DAY {
        HOUR
    } else if age < 7 * DAY {
        3 * HOUR
    } else if age < 30 * DAY {
        3 * DAY
    } else {
        30 * DAY
    };
    Duration::from_secs(every)
}

/// The delay after `failures` consecutive failed checks: the interval times
/// 2^failures, capped at [`MAX_BACKOFF`] (or the interval, if longer).
pub fn backoff(interval: Duration, failures: u32) -> Duration {
    let factor = 1u32.checked_shl(failures.min(30)).unwrap_or(u32::MAX);
    let grown = interval.saturating_mul(factor);
    grown.min(MAX_BACKOFF).max(interval)
}

/// A random delay in `[0, max]`, so that many sources with one interval
/// don't hit their servers in lockstep.
pub fn jitter(max: Duration, salt: u64) -> Duration {
    if max.is_zero() {
        return Duration::ZERO;
    }
    // RandomState is seeded randomly per process: enough randomness here,
    // without a dependency.
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(salt);
    let r = h.finish();
    let millis = u64::try_from(max.as_millis()).unwrap_or(u64::MAX);
    Duration::from_millis(r % (millis + 1))
}

/// `at + d`, saturating far in the future.
pub fn after(at: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    chrono::Duration::from_std(d)
        .ok()
        .and_then(|d| at.checked_add_signed(d))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// How long ago `then` was (zero if in the future).
pub fn since(now: DateTime<Utc>, then: DateTime<Utc>) -> Duration {
    (now - then).to_std().unwrap_or(Duration::ZERO)
}

/// Parse a duration: one or more `<number><unit>` with unit `ms`, `s`, `m`,
/// `h`, `d` or `w` (`90s`, `15m`, `1h30m`, `3d`). A bare number is seconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    let err = || format!("not a duration: {s:?} (examples: 30s, 15m, 1h, 3d)");
    if t.is_empty() {
        return Err(err());
    }
    if let Ok(secs) = t.parse::<u64>() {
        return Ok(Duration::from_secs(secs));
    }
    let mut millis: u64 = 0;
    let mut rest = t;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).ok_or_else(err)?;
        if digits == 0 {
            return Err(err());
        }
        let n: u64 = rest[..digits].parse().map_err(|_| err())?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let unit = match rest[..unit_len].trim() {
            "ms" => 1,
            "s" | "sec" | "secs" => 1000,
            "m" | "min" | "mins" => MINUTE * 1000,
            "h" | "hr" | "hrs" => HOUR * 1000,
            "d" | "day" | "days" => DAY * 1000,
            "w" | "week" | "weeks" => 7 * DAY * 1000,
            _ => return Err(err()),
        };
        rest = &rest[unit_len..];
        millis = n
            .checked_mul(unit)
            .and_then(|v| millis.checked_add(v))
            .ok_or_else(err)?;
    }
    Ok(Duration::from_millis(millis))
}

/// Parse a size: bytes, or with `k`, `M`, `G` (decimal) or `KiB`, `MiB`.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let mult: u128 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "m" | "mb" => 1_000_000,
        "g" | "gb" => 1_000_000_000,
        "kib" => 1 << 10,
        "mib" => 1 << 20,
        "gib" => 1 << 30,
        _ => return Err(format!("unknown size unit in {s:?} (use k, M or G)")),
    };
    // Exact decimal arithmetic: a float would turn 99999999999999999999
    // into a wrapped or saturated number and 0.5 bytes into 0.
    let not_a_size = || format!("not a size: {s:?} (examples: 500k, 1.5M, 20M)");
    let (whole, frac) = num.split_once('.').unwrap_or((num, ""));
    if whole.is_empty() && frac.is_empty()
        || !whole
            .bytes()
            .chain(frac.bytes())
            .all(|b| b.is_ascii_digit())
        || whole.len() + frac.len() > 30
    {
        return Err(not_a_size());
    }
    let digits: u128 = format!("{whole}{frac}").parse().map_err(|_| not_a_size())?;
    let scale = 10u128.pow(frac.len() as u32);
    let scaled = digits.checked_mul(mult).ok_or_else(not_a_size)?;
    if scaled % scale != 0 {
        return Err(format!("{s:?} is not a whole number of bytes"));
    }
    let bytes = scaled / scale;
    if bytes == 0 {
        return Err(format!("{s:?}: a size must be at least 1 byte"));
    }
    u64::try_from(bytes)
        .ok()
        .filter(|&b| b <= MAX_SIZE)
        .ok_or_else(|| format!("{s:?} is too large (at most 1T)"))
}

/// Largest size limit taken: far beyond any article, and safe to add one to.
pub const MAX_SIZE: u64 = 1_000_000_000_000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("20M"), Ok(20_000_000));
        assert_eq!(parse_size("1.5MB"), Ok(1_500_000));
        assert_eq!(parse_size("0.5k"), Ok(500));
        assert_eq!(parse_size("2KiB"), Ok(2048));
        assert_eq!(parse_size(" 7 "), Ok(7));
        assert!(parse_size("1T").is_err());
        for bad in [
            "99999999999999999999",
            "99999999999999999999999999999999999999999G",
            "0.5",
            "0",
            "0k",
            "1.2.3",
            ".",
            "",
            "-1",
            "5 parsecs",
            "1e9",
        ] {
            assert!(parse_size(bad).is_err(), "{bad:?} accepted");
        }
        assert!(
            parse_size("99999999999999999999")
                .unwrap_err()
                .contains("too large")
        );
        assert!(parse_size("0.5").unwrap_err().contains("whole number"));
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("15m"), Ok(Duration::from_secs(900)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("3d"), Ok(Duration::from_secs(3 * DAY)));
        assert_eq!(parse_duration("45"), Ok(Duration::from_secs(45)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("15x").is_err());
        assert!(parse_duration("m").is_err());
        assert!(parse_duration("").is_err());
    }

    #[test]
    fn adaptive_table() {
        let h = |n: u64| Duration::from_secs(n * HOUR);
        assert_eq!(adaptive(h(1)), Duration::from_secs(15 * MINUTE));
        assert_eq!(adaptive(h(5)), h(1));
        assert_eq!(adaptive(h(48)), h(3));
        assert_eq!(adaptive(h(24 * 10)), h(72));
        assert_eq!(adaptive(h(24 * 40)), h(24 * 30));
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let m15 = Duration::from_secs(15 * MINUTE);
        assert_eq!(backoff(m15, 0), m15);
        assert_eq!(backoff(m15, 1), m15 * 2);
        assert_eq!(backoff(m15, 3), m15 * 8);
        assert_eq!(backoff(m15, 40), MAX_BACKOFF);
        let month = Duration::from_secs(30 * DAY);
        assert_eq!(backoff(month, 2), month);
    }

    #[test]
    fn jitter_is_bounded() {
        for salt in 0..100 {
            assert!(jitter(Duration::from_secs(5), salt) <= Duration::from_secs(5));
        }
        assert_eq!(jitter(Duration::ZERO, 1), Duration::ZERO);
    }
}
