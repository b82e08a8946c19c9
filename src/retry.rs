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
    /// The longest wait between two attempts (default 10 s). A `Retry-After` asking for more
    /// ends the call at once with the server's answer ([`crate::Error::retry_after`] says what
    /// it asked for).
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

    /// The random backoff before attempt `attempt + 1`: a duration in
    /// `[0, min(max_delay, base_delay * 2^(attempt-1))]` ("full jitter").
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let exponent = attempt.saturating_sub(1).min(30);
        let ceiling = self
            .base_delay
            .saturating_mul(1u32 << exponent)
            .min(self.max_delay);
        ceiling.mul_f64(fastrand::f64())
    }

    /// How long to wait before attempt `attempt + 1`, or `None` when the client will not wait:
    /// the server's `Retry-After` is honoured up to `max_delay` (a longer one ends the call, so
    /// the caller sees what the server asked for), otherwise the backoff; either way the wait
    /// must end before the call's deadline (`remaining` from now).
    pub(crate) fn wait(
        &self,
        attempt: u32,
        retry_after: Option<Duration>,
        remaining: Duration,
    ) -> Option<Duration> {
        let wait = match retry_after {
            Some(asked) if asked > self.max_delay => return None,
            Some(asked) => asked,
            None => self.backoff(attempt),
        };
        (wait < remaining).then_some(wait)
    }
}

/// Parses `Retry-After` (RFC 9110, section 10.2.3): delay-seconds, or an HTTP date in any of
/// the three forms recipients must accept (IMF-fixdate, RFC 850, asctime; parsed by the
/// `httpdate` crate). A date in the past means now; a delay too large to represent saturates.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(
        date.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
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
    fn retry_after_seconds_and_all_three_date_forms() {
        assert_eq!(retry_after(&headers("7")), Some(Duration::from_secs(7)));
        assert_eq!(retry_after(&headers(" 0 ")), Some(Duration::ZERO));
        assert_eq!(
            retry_after(&headers("99999999999999999999999")),
            Some(Duration::from_secs(u64::MAX)),
            "too large to represent: saturates instead of being ignored"
        );
        // The RFC 9110 examples, all in the past: now.
        for past in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
        ] {
            assert_eq!(retry_after(&headers(past)), Some(Duration::ZERO), "{past}");
        }
        let at = std::time::SystemTime::now() + Duration::from_secs(120);
        let imf = httpdate::fmt_http_date(at);
        let wait = retry_after(&headers(&imf)).unwrap();
        assert!(
            wait > Duration::from_secs(100) && wait <= Duration::from_secs(120),
            "{wait:?}"
        );
        // The same instant in the two obsolete forms.
        let utc = chrono::DateTime::<chrono::Utc>::from(at);
        for text in [
            utc.format("%A, %d-%b-%y %H:%M:%S GMT").to_string(),
            utc.format("%a %b %e %H:%M:%S %Y").to_string(),
        ] {
            let wait = retry_after(&headers(&text)).unwrap_or_else(|| panic!("{text}"));
            assert!(wait > Duration::from_secs(100), "{text}: {wait:?}");
        }
        for bad in ["soon", "-1", "1.5", "7 s", ""] {
            assert_eq!(retry_after(&headers(bad)), None, "{bad:?}");
        }
        assert_eq!(retry_after(&HeaderMap::new()), None);
    }

    #[test]
    fn a_wait_beyond_the_cap_or_the_deadline_is_refused() {
        let policy = RetryPolicy::default();
        let long = Duration::from_secs(3600);
        let s = Duration::from_secs;
        assert_eq!(policy.wait(1, Some(s(86400)), long), None, "beyond the cap");
        assert_eq!(
            policy.wait(1, Some(s(10)), long),
            Some(s(10)),
            "the cap itself"
        );
        assert_eq!(policy.wait(1, Some(s(2)), long), Some(s(2)));
        assert_eq!(
            policy.wait(1, Some(s(2)), s(2)),
            None,
            "no time left after it"
        );
        assert_eq!(
            policy.wait(1, Some(Duration::ZERO), s(1)),
            Some(Duration::ZERO)
        );
        assert_eq!(policy.wait(1, None, Duration::ZERO), None);
        let quick = RetryPolicy {
            base_delay: Duration::from_millis(1),
            ..policy
        };
        assert!(quick.wait(1, None, s(1)).unwrap() <= Duration::from_millis(1));
    }

    #[test]
    fn backoff_is_full_jitter_under_an_exponential_ceiling() {
        let policy = RetryPolicy::default();
        for attempt in 1..=8 {
            let ceiling =
                Duration::from_millis(250 * (1 << (attempt - 1))).min(Duration::from_secs(10));
            for _ in 0..200 {
                let d = policy.backoff(attempt);
                assert!(d <= ceiling, "attempt {attempt}: {d:?} > {ceiling:?}");
            }
        }
        // Jitter: 200 draws are not all the same.
        let draws: std::collections::BTreeSet<_> = (0..200).map(|_| policy.backoff(3)).collect();
        assert!(draws.len() > 100);
        assert!(policy.backoff(u32::MAX) <= Duration::from_secs(10));
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
