//! When to retry a request and how long to wait: exponential backoff with full jitter,
//! `Retry-After`, and the idempotency rules.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};

/// Retry settings of a client. Set them with the `ClientBuilder` methods
/// [`max_retries`](crate::ClientBuilder::max_retries),
/// [`retry_base_delay`](crate::ClientBuilder::retry_base_delay) and
/// [`retry_max_delay`](crate::ClientBuilder::retry_max_delay).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (default 3; `0` disables retries).
    pub max_retries: u32,
    /// The first backoff ceiling (default 250 ms); it doubles with every retry.
    pub base_delay: Duration,
    /// The longest wait between two attempts, also for `Retry-After` (default 10 s).
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(10),
        }
    }
}

/// What happened on one attempt, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// A response with this status arrived.
    Status(StatusCode),
    /// The connection could not be established: nothing was sent.
    ConnectFailed,
    /// The request may have reached the server (reset, timeout mid-request, body error).
    FailedAfterSend,
}

impl RetryPolicy {
    /// Whether attempt number `attempt` (1-based) may be followed by another one.
    pub(crate) fn should_retry(&self, attempt: u32, outcome: Outcome, idempotent: bool) -> bool {
        if attempt > self.max_retries {
            return false;
        }
        match outcome {
            // 429: the server refused to process it, so any request may be sent again.
            Outcome::Status(StatusCode::TOO_MANY_REQUESTS) => true,
            Outcome::Status(
                StatusCode::BAD_GATEWAY
                | StatusCode::SERVICE_UNAVAILABLE
                | StatusCode::GATEWAY_TIMEOUT,
            ) => idempotent,
            Outcome::Status(_) => false,
            Outcome::ConnectFailed => true,
            Outcome::FailedAfterSend => idempotent,
        }
    }

    /// How long to wait before attempt `attempt + 1`: the server's `Retry-After` when present
    /// (capped by `max_delay`), otherwise a random duration in `[0, min(max, base * 2^(n-1))]`.
    pub(crate) fn delay(&self, attempt: u32, headers: Option<&HeaderMap>) -> Duration {
        if let Some(wait) = headers.and_then(retry_after) {
            return wait.min(self.max_delay);
        }
        let exponent = attempt.saturating_sub(1).min(30);
        let ceiling = self
            .base_delay
            .saturating_mul(1u32 << exponent)
            .min(self.max_delay);
        ceiling.mul_f64(fastrand::f64())
    }
}

/// Parses `Retry-After`: delay-seconds or an HTTP date (a date in the past means now).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = date.signed_duration_since(chrono::Utc::now());
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(retry_after: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, retry_after.parse().unwrap());
        h
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        assert_eq!(retry_after(&headers("7")), Some(Duration::from_secs(7)));
        assert_eq!(
            retry_after(&headers("Wed, 21 Oct 2015 07:28:00 GMT")),
            Some(Duration::ZERO)
        );
        let future = (chrono::Utc::now() + chrono::Duration::seconds(120)).to_rfc2822();
        let wait = retry_after(&headers(&future)).unwrap();
        assert!(
            wait > Duration::from_secs(100) && wait <= Duration::from_secs(120),
            "{wait:?}"
        );
        assert_eq!(retry_after(&headers("soon")), None);
        assert_eq!(retry_after(&HeaderMap::new()), None);
    }

    #[test]
    fn retry_after_is_capped_by_the_maximum_delay() {
        let policy = RetryPolicy::default();
        assert_eq!(
            policy.delay(1, Some(&headers("3600"))),
            Duration::from_secs(10)
        );
        assert_eq!(policy.delay(1, Some(&headers("2"))), Duration::from_secs(2));
    }

    #[test]
    fn backoff_is_full_jitter_under_an_exponential_ceiling() {
        let policy = RetryPolicy::default();
        for attempt in 1..=8 {
            let ceiling =
                Duration::from_millis(250 * (1 << (attempt - 1))).min(Duration::from_secs(10));
            for _ in 0..200 {
                let d = policy.delay(attempt, None);
                assert!(d <= ceiling, "attempt {attempt}: {d:?} > {ceiling:?}");
            }
        }
        // Jitter: 200 draws are not all the same.
        let draws: std::collections::BTreeSet<_> =
            (0..200).map(|_| policy.delay(3, None)).collect();
        assert!(draws.len() > 100);
        assert!(policy.delay(u32::MAX, None) <= Duration::from_secs(10));
    }

    #[test]
    fn idempotency_rules() {
        let policy = RetryPolicy::default();
        let s = |code: u16| Outcome::Status(StatusCode::from_u16(code).unwrap());
        for code in [429, 502, 503, 504] {
            assert!(policy.should_retry(1, s(code), true), "{code} idempotent");
        }
        assert!(
            policy.should_retry(1, s(429), false),
            "429 is retried for any request"
        );
        for code in [502, 503, 504] {
            assert!(
                !policy.should_retry(1, s(code), false),
                "{code} non-idempotent"
            );
        }
        for code in [200, 400, 401, 404, 409, 500] {
            assert!(!policy.should_retry(1, s(code), true), "{code}");
        }
        assert!(policy.should_retry(1, Outcome::ConnectFailed, false));
        assert!(policy.should_retry(1, Outcome::FailedAfterSend, true));
        assert!(!policy.should_retry(1, Outcome::FailedAfterSend, false));
        assert!(policy.should_retry(3, s(503), true));
        assert!(!policy.should_retry(4, s(503), true), "3 retries at most");
        let off = RetryPolicy {
            max_retries: 0,
            ..policy
        };
        assert!(!off.should_retry(1, s(429), true), "0 disables retries");
    }
}
