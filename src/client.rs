//! The client: construction, configuration and credentials.

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderValue;

use crate::error::Error;
pub use crate::generated::Client;
use crate::retry::RetryPolicy;

/// The default API host. Paths in the spec start with `/v2`.
pub const DEFAULT_BASE_URL: &str = "https://api.liveblocks.io";
/// Default deadline of one whole call: every attempt, backoff and `Retry-After` wait together.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Default limit for one attempt: sending the request and reading the whole answer.
pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default limit for establishing a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Environment variable holding the project secret key.
pub const ENV_SECRET_KEY: &str = "LIVEBLOCKS_SECRET_KEY";
/// Environment variable holding the base URL (optional).
pub const ENV_BASE_URL: &str = "LIVEBLOCKS_BASE_URL";
/// Environment variable holding an account-level management token (optional).
pub const ENV_MANAGEMENT_TOKEN: &str = "LIVEBLOCKS_MANAGEMENT_TOKEN";

/// A credential held as a ready `Authorization` header value, marked sensitive.
#[derive(Clone)]
struct Credential(HeaderValue);

impl Credential {
    fn bearer(token: &str) -> Result<Self, Error> {
        let mut value = HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| {
            Error::Config("the credential contains characters not allowed in an HTTP header".into())
        })?;
        value.set_sensitive(true);
        Ok(Credential(value))
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Configuration shared by every request of a [`Client`]; built by [`ClientBuilder`].
#[derive(Clone, Debug)]
pub struct Inner {
    secret: Option<Credential>,
    management: Option<Credential>,
    user_agent: HeaderValue,
    /// The limit of one attempt.
    pub(crate) attempt_timeout: Duration,
    /// The deadline of a whole call.
    pub(crate) deadline: Duration,
    /// The connect timeout of the HTTP client this crate built; `None` for a caller's client.
    pub(crate) connect_timeout: Option<Duration>,
    /// The length of the path prefix at the end of the base URL (`/prefix`; `0` without one).
    pub(crate) base_path_len: usize,
    /// Whether the HTTP client came from the caller (its redirect policy is its own, so the
    /// request path checks where the answer came from).
    pub(crate) caller_http_client: bool,
    retry: RetryPolicy,
}

impl Inner {
    /// The `Authorization` value for an operation: the management token for Management API
    /// operations when one is configured, the secret key otherwise.
    pub(crate) fn authorization(&self, management_operation: bool) -> Option<&HeaderValue> {
        let (first, second) = if management_operation {
            (&self.management, &self.secret)
        } else {
            (&self.secret, &self.management)
        };
        first.as_ref().or(second.as_ref()).map(|c| &c.0)
    }

    pub(crate) fn user_agent(&self) -> &HeaderValue {
        &self.user_agent
    }

    pub(crate) fn retry_policy(&self) -> RetryPolicy {
        self.retry
    }
}

/// Checks a project secret key the way the official SDKs do: `sk_` followed by letters, digits,
/// `_` and `-` only.
pub(crate) fn validate_secret(secret: &str) -> Result<(), Error> {
    if !secret.starts_with("sk_") {
        return Err(Error::Config(
            "the secret key must start with \"sk_\"; copy it from the project's API keys page in \
             the Liveblocks dashboard (a public key \"pk_...\" does not work on the server)"
                .into(),
        ));
    }
    if secret.len() == 3
        || !secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return Err(Error::Config(
            "the secret key may only contain letters, digits, \"_\" and \"-\" after \"sk_\"; \
             check for spaces, quotes or a line break around it"
                .into(),
        ));
    }
    Ok(())
}

fn validate_management_token(token: &str) -> Result<(), Error> {
    if token.is_empty() || !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::Config(
            "the management token must be non-empty printable ASCII without spaces".into(),
        ));
    }
    Ok(())
}

/// The base URL in the form the request path compares against: the URL parser's own
/// serialization (lowercase host, default port dropped, dot segments resolved, special
/// characters percent-encoded) without a trailing `/`. Returns it with the length of its path.
fn normalize_base_url(url: &str) -> Result<(String, usize), Error> {
    let parsed = reqwest::Url::parse(url)
        .map_err(|e| Error::Config(format!("the base URL {url:?} is not a valid URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(Error::Config(format!(
            "the base URL {url:?} must be an http:// or https:// URL with a host"
        )));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(Error::Config(format!(
            "the base URL {url:?} must not have a query or fragment"
        )));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(Error::Config(
            "the base URL must not contain a user name or password; the credential is the \
             secret key"
                .into(),
        ));
    }
    let path = parsed.path().trim_end_matches('/').len();
    let text = parsed.as_str().trim_end_matches('/').to_owned();
    Ok((text, path))
}

impl Client {
    /// A client for the hosted API with a project secret key (`sk_...`).
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the key does not look like a secret key; no request is sent.
    pub fn new(secret_key: &str) -> Result<Client, Error> {
        Client::builder().secret_key(secret_key).build()
    }

    /// A builder for every setting: credentials, base URL, timeouts, user agent, HTTP client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment: `LIVEBLOCKS_SECRET_KEY` (the variable the
    /// official dev server sets for the commands it runs), optional `LIVEBLOCKS_BASE_URL` and
    /// optional `LIVEBLOCKS_MANAGEMENT_TOKEN`. At least one credential must be set.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when no credential is set or a value is invalid.
    pub fn from_env() -> Result<Client, Error> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let mut builder = Client::builder();
        if let Some(secret) = var(ENV_SECRET_KEY) {
            builder = builder.secret_key(secret);
        }
        if let Some(token) = var(ENV_MANAGEMENT_TOKEN) {
            builder = builder.management_token(token);
        }
        if builder.secret.is_none() && builder.management_token.is_none() {
            return Err(Error::Config(format!(
                "set {ENV_SECRET_KEY} (a project secret key) or {ENV_MANAGEMENT_TOKEN}"
            )));
        }
        if let Some(url) = var(ENV_BASE_URL) {
            builder = builder.base_url(url);
        }
        builder.build()
    }

    /// The base URL requests go to (without a trailing slash).
    pub fn base_url(&self) -> &str {
        &self.baseurl
    }
}

/// Builds a [`Client`]. Obtain one with [`Client::builder`].
///
/// ```no_run
/// # fn main() -> Result<(), liveblocks::Error> {
/// let client = liveblocks::Client::builder()
///     .secret_key("sk_prod_xxxxxxxxxxxxxxxx")
///     .timeout(std::time::Duration::from_secs(10))
///     .build()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct ClientBuilder {
    secret: Option<String>,
    management_token: Option<String>,
    base_url: String,
    timeout: Duration,
    attempt_timeout: Duration,
    connect_timeout: Duration,
    user_agent: String,
    http_client: Option<reqwest::Client>,
    retry: RetryPolicy,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            secret: None,
            management_token: None,
            base_url: DEFAULT_BASE_URL.to_owned(),
            timeout: DEFAULT_TIMEOUT,
            attempt_timeout: DEFAULT_ATTEMPT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            user_agent: concat!("liveblocks-rust/", env!("CARGO_PKG_VERSION")).to_owned(),
            http_client: None,
            retry: RetryPolicy::default(),
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("secret", &self.secret.as_ref().map(|_| "<redacted>"))
            .field(
                "management_token",
                &self.management_token.as_ref().map(|_| "<redacted>"),
            )
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field("http_client", &self.http_client.is_some())
            .field("retry", &self.retry)
            .finish()
    }
}

impl ClientBuilder {
    /// The project secret key (`sk_...`) used by every operation outside the Management API.
    pub fn secret_key(mut self, secret: impl Into<String>) -> Self {
        self.secret = Some(secret.into());
        self
    }

    /// An account-level management token, used by the Management API operations
    /// (`/v2/management/...`). A client may hold both credentials; each operation uses the one
    /// of its family (and falls back to the other when only one is set: the server decides).
    pub fn management_token(mut self, token: impl Into<String>) -> Self {
        self.management_token = Some(token.into());
        self
    }

    /// The API base URL (default `https://api.liveblocks.io`). A path prefix is kept, so a
    /// proxy such as `https://proxy.example.com/liveblocks` works; the local dev server is
    /// `http://127.0.0.1:1153`.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The deadline of one whole call (default 60 s): every attempt, the backoff between them
    /// and `Retry-After` waits together. A call never takes longer (beyond scheduling noise):
    /// an attempt still running at the deadline is abandoned with
    /// [`Error::Timeout`] of kind [`TimeoutKind::Deadline`](crate::TimeoutKind::Deadline), and
    /// no wait is started that would end after it. For operations that return a byte stream it
    /// also bounds reading the stream.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The limit of one attempt (default 30 s): sending the request and reading the whole
    /// answer. An attempt that runs out is retried like a connection failure after sending
    /// (idempotent requests only), within the call's [`timeout`](Self::timeout).
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = timeout;
        self
    }

    /// The limit for establishing a connection (default 10 s). Ignored when you supply your own
    /// [`reqwest::Client`], whose own setting applies.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The `User-Agent` header (default `liveblocks-rust/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// How many times a failed request is retried (default 3; `0` disables retries).
    ///
    /// Retried: connection failures before anything was sent, 429 (honouring `Retry-After`),
    /// and, for idempotent requests only, 502, 503, 504 and failures after the request was
    /// sent (resets, attempt timeouts, a body cut short or stalled). Idempotent: GET, PUT,
    /// DELETE, and the POSTs the spec marks so (such as create room with `idempotent=true`). A
    /// non-idempotent POST is never sent twice unless the server answered 429 or the connection
    /// failed before sending. Redirects (3xx) are never followed nor retried.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.retry.max_retries = retries;
        self
    }

    /// The first backoff ceiling (default 250 ms). The wait before retry `n` is random in
    /// `[0, min(max, base * 2^(n-1))]` ("full jitter").
    pub fn retry_base_delay(mut self, delay: Duration) -> Self {
        self.retry.base_delay = delay;
        self
    }

    /// The longest wait between attempts (default 10 s). The server's `Retry-After` is honoured
    /// up to this wait; when it asks for longer, or for more than the call's deadline leaves,
    /// the call ends at once with the 429/503 error and [`Error::retry_after`] says what the
    /// server asked for.
    pub fn retry_max_delay(mut self, delay: Duration) -> Self {
        self.retry.max_delay = delay;
        self
    }

    /// All retry settings at once.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Use this HTTP client (connection pool, proxy, TLS settings) instead of building one.
    ///
    /// Its own settings then apply, and two of them matter for the secret key:
    /// - **Redirects.** The client this crate builds follows none. A `reqwest::Client` follows
    ///   up to 10 by default, re-sending the body (and, to the same host, the `Authorization`
    ///   header) to wherever a 3xx points. An answer that came from anywhere but the request's
    ///   own URL is refused with [`Error::Redirect`], but by then the request has been re-sent;
    ///   build yours with `.redirect(reqwest::redirect::Policy::none())`.
    /// - **Connection logging.** `connection_verbose(true)` logs every byte read and written,
    ///   `Authorization: Bearer sk_...` included, at TRACE level of the `reqwest` target: keep
    ///   it off, or filter that target out, wherever logs leave the process.
    ///
    /// [`connect_timeout`](Self::connect_timeout) does not apply (set it on your client);
    /// [`attempt_timeout`](Self::attempt_timeout) and [`timeout`](Self::timeout) do.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Checks the settings and builds the client. No request is sent.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when no credential is set, the secret key is malformed, the base URL is
    /// not an http(s) URL, or the HTTP client cannot be built.
    pub fn build(self) -> Result<Client, Error> {
        if self.secret.is_none() && self.management_token.is_none() {
            return Err(Error::Config(
                "no credential: call .secret_key(\"sk_...\") or .management_token(...)".into(),
            ));
        }
        let secret = match &self.secret {
            Some(secret) => {
                validate_secret(secret)?;
                Some(Credential::bearer(secret)?)
            }
            None => None,
        };
        let management = match &self.management_token {
            Some(token) => {
                validate_management_token(token)?;
                Some(Credential::bearer(token)?)
            }
            None => None,
        };
        let user_agent = HeaderValue::from_str(&self.user_agent)
            .map_err(|_| Error::Config("the user agent is not a valid header value".into()))?;
        let (baseurl, base_path_len) = normalize_base_url(&self.base_url)?;
        let caller_http_client = self.http_client.is_some();
        // The time limits are the request path's own (per attempt and per call), not the HTTP
        // client's: a caller's client keeps whatever it has.
        let client = match self.http_client {
            Some(client) => client,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| Error::Config(format!("could not build the HTTP client: {e}")))?,
        };
        let inner = Inner {
            secret,
            management,
            user_agent,
            attempt_timeout: self.attempt_timeout,
            deadline: self.timeout,
            connect_timeout: (!caller_http_client).then_some(self.connect_timeout),
            base_path_len,
            caller_http_client,
            retry: self.retry,
        };
        Ok(Client {
            baseurl,
            client,
            inner,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_validated_like_the_official_sdks() {
        assert!(validate_secret("sk_prod_abc-DEF_123").is_ok());
        assert!(validate_secret("sk_localdev").is_ok());
        for bad in [
            "",
            "sk_",
            "pk_prod_abc",
            "sk_prod abc",
            "sk_prod_abc\n",
            "Bearer sk_x",
            "sk_é",
        ] {
            assert!(
                matches!(validate_secret(bad), Err(Error::Config(_))),
                "{bad:?} must be refused"
            );
        }
    }

    #[test]
    fn base_urls_keep_their_prefix() {
        let n = |url: &str| normalize_base_url(url).unwrap();
        assert_eq!(n("https://x.io/prefix/"), ("https://x.io/prefix".into(), 7));
        assert_eq!(
            n("http://127.0.0.1:1153"),
            ("http://127.0.0.1:1153".into(), 0)
        );
        assert_eq!(n("https://X.io:443/"), ("https://x.io".into(), 0));
        assert_eq!(n("https://x.io/a/../b//"), ("https://x.io/b".into(), 2));
        assert_eq!(n("https://x.io/a b\\c"), ("https://x.io/a%20b/c".into(), 8));
        for bad in [
            "ftp://x.io",
            "not a url",
            "https://x.io/?q=1",
            "https://x.io/#f",
            "/relative",
            "https://user:pw@x.io",
        ] {
            assert!(normalize_base_url(bad).is_err(), "{bad:?} must be refused");
        }
    }

    #[test]
    fn debug_output_never_shows_credentials() {
        let builder = Client::builder()
            .secret_key("sk_dev_supersecret")
            .management_token("mt_hush");
        let client = builder.clone().build().unwrap();
        for text in [
            format!("{builder:?}"),
            format!("{client:?}"),
            format!("{client:#?}"),
        ] {
            assert!(!text.contains("supersecret"), "{text}");
            assert!(!text.contains("mt_hush"), "{text}");
        }
    }
}
