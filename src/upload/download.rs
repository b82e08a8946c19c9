//! Downloads: the temporary link of a Storage file or attachment, and a streamed download of
//! it into any `AsyncWrite`.
//!
//! The link is presigned (its query holds a signature), so the download sends no credential,
//! and neither [`DownloadUrl`]'s `Debug` nor any [`DownloadError`] shows the query.

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::StreamExt as _;
use reqwest::StatusCode;
use reqwest::header::USER_AGENT;
use tokio::io::{AsyncWrite, AsyncWriteExt as _};
use tokio::time::Instant;

use crate::error::Error;
use crate::generated::Client;
use crate::retry::{self, Outcome};

/// A temporary download link of a Storage file or attachment, with the size to expect.
#[derive(Clone)]
pub struct DownloadUrl {
    url: String,
    /// When the link stops working.
    pub expires_at: DateTime<Utc>,
    /// The file's size in bytes, as the API reported it.
    pub size: u64,
}

impl DownloadUrl {
    /// The link itself (it carries a signature: treat it as a secret until it expires).
    pub fn as_str(&self) -> &str {
        &self.url
    }
}

/// The URL without its query and fragment (where presigned URLs keep the signature).
fn redacted(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or_default()
}

impl fmt::Debug for DownloadUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DownloadUrl")
            .field("url", &format_args!("{}?<redacted>", redacted(&self.url)))
            .field("expires_at", &self.expires_at)
            .field("size", &self.size)
            .finish()
    }
}

/// Why a download failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DownloadError {
    /// Getting the file's download link from the API failed.
    #[error("could not get the download link: {0}")]
    Url(#[source] Error),

    /// The link answered with a non-success status (after retries where allowed).
    #[error("the download link answered {status} after {attempts} attempt(s)")]
    Status {
        /// The HTTP status.
        status: StatusCode,
        /// How many attempts were made.
        attempts: u32,
    },

    /// The connection failed or the body was cut short (the error carries no URL).
    #[error("the download failed after {attempts} attempt(s): {source}")]
    Transport {
        /// The HTTP client's error, without the URL.
        #[source]
        source: reqwest::Error,
        /// How many attempts were made.
        attempts: u32,
    },

    /// No answer, or no data while the body was arriving, for the client's attempt timeout;
    /// or no answer before the call's deadline.
    #[error("the download timed out after {limit:?} ({attempts} attempt(s))")]
    Timeout {
        /// The limit that ran out.
        limit: Duration,
        /// How many attempts were made.
        attempts: u32,
    },

    /// Writing to the destination failed.
    #[error("could not write the download: {0}")]
    Write(#[source] std::io::Error),

    /// The body's length differs from the file's size the API reported.
    #[error("the download has {actual} bytes, the file {expected}")]
    Length {
        /// The size the API reported.
        expected: u64,
        /// The bytes received.
        actual: u64,
    },

    /// The async client was called outside a Tokio runtime; nothing was sent.
    #[error("{}", Error::NoRuntime)]
    NoRuntime,

    /// The blocking client could not run the download (it was used on a thread that runs an
    /// async runtime); nothing was sent.
    #[cfg(feature = "blocking")]
    #[error("{0}")]
    Blocking(#[source] Error),
}

fn size(size: i64) -> u64 {
    u64::try_from(size).unwrap_or(0)
}

impl Client {
    /// The temporary download link of a Storage file (valid for about an hour).
    ///
    /// ```no_run
    /// # async fn run(client: liveblocks::Client) -> Result<(), liveblocks::Error> {
    /// let link = client.storage_file_url("my-room", "fl_abc123456789012345678").await?;
    /// println!("{} bytes until {}", link.size, link.expires_at);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error`] from `get_storage_file` (404 for an unknown file).
    pub async fn storage_file_url(
        &self,
        room_id: &str,
        file_id: &str,
    ) -> Result<DownloadUrl, Error> {
        let file = self
            .get_storage_file()
            .room_id(room_id)
            .file_id(file_id)
            .send()
            .await?
            .into_inner();
        Ok(DownloadUrl {
            url: file.url,
            expires_at: file.expires_at,
            size: size(file.size),
        })
    }

    /// The temporary download link of a comment attachment.
    ///
    /// ```no_run
    /// # async fn run(client: liveblocks::Client) -> Result<(), liveblocks::Error> {
    /// let link = client.attachment_url("my-room", "at_7Hq2").await?;
    /// println!("expires at {}", link.expires_at);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error`] from `get_attachment` (404 for an unknown attachment).
    pub async fn attachment_url(
        &self,
        room_id: &str,
        attachment_id: &str,
    ) -> Result<DownloadUrl, Error> {
        let attachment = self
            .get_attachment()
            .room_id(room_id)
            .attachment_id(attachment_id)
            .send()
            .await?
            .into_inner();
        Ok(DownloadUrl {
            url: attachment.url,
            expires_at: attachment.expires_at,
            size: size(attachment.size),
        })
    }

    /// Downloads a Storage file into `writer`, streamed; returns the bytes written.
    ///
    /// ```no_run
    /// # async fn run(client: liveblocks::Client) -> Result<(), liveblocks::upload::DownloadError> {
    /// let mut out = Vec::new();
    /// client.download_storage_file("my-room", "fl_abc123456789012345678", &mut out).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`DownloadError`]; see [`download_url`](Self::download_url).
    pub async fn download_storage_file<W>(
        &self,
        room_id: &str,
        file_id: &str,
        writer: &mut W,
    ) -> Result<u64, DownloadError>
    where
        W: AsyncWrite + Unpin + ?Sized,
    {
        let url = self
            .storage_file_url(room_id, file_id)
            .await
            .map_err(DownloadError::Url)?;
        self.download_url(&url, writer).await
    }

    /// Downloads a comment attachment into `writer`, streamed; returns the bytes written.
    ///
    /// ```no_run
    /// # async fn run(client: liveblocks::Client) -> Result<(), liveblocks::upload::DownloadError> {
    /// let mut out = tokio::fs::File::create("mockup.png").await.map_err(liveblocks::upload::DownloadError::Write)?;
    /// client.download_attachment("my-room", "at_7Hq2", &mut out).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`DownloadError`]; see [`download_url`](Self::download_url).
    pub async fn download_attachment<W>(
        &self,
        room_id: &str,
        attachment_id: &str,
        writer: &mut W,
    ) -> Result<u64, DownloadError>
    where
        W: AsyncWrite + Unpin + ?Sized,
    {
        let url = self
            .attachment_url(room_id, attachment_id)
            .await
            .map_err(DownloadError::Url)?;
        self.download_url(&url, writer).await
    }

    /// Downloads a link into `writer`, streamed chunk by chunk; returns the bytes written and
    /// checks them against the link's size.
    ///
    /// Sends no credential (the link is presigned). Until the answer's headers arrive, failures
    /// are retried under the client's [`RetryPolicy`](crate::RetryPolicy) (connection failures,
    /// resets, 429, 502, 503, 504, `Retry-After`), within the call's deadline; once bytes have
    /// been written nothing is retried. Each attempt, and each wait for the next chunk, is
    /// limited by the client's attempt timeout; the body as a whole is not.
    ///
    /// ```no_run
    /// # async fn run(client: liveblocks::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let link = client.storage_file_url("my-room", "fl_abc123456789012345678").await?;
    /// let mut out = tokio::io::sink();
    /// let bytes = client.download_url(&link, &mut out).await?;
    /// assert_eq!(bytes, link.size);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`DownloadError`]: a non-success answer, a transport failure or stall, a write error,
    /// or a body whose length is not the file's size.
    pub async fn download_url<W>(
        &self,
        url: &DownloadUrl,
        writer: &mut W,
    ) -> Result<u64, DownloadError>
    where
        W: AsyncWrite + Unpin + ?Sized,
    {
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(DownloadError::NoRuntime);
        }
        let (response, attempts) = self.fetch(url.as_str()).await?;
        let limit = self.inner.attempt_timeout;
        let mut body = response.bytes_stream();
        let mut written = 0u64;
        loop {
            let chunk = match tokio::time::timeout(limit, body.next()).await {
                Err(_) => return Err(DownloadError::Timeout { limit, attempts }),
                Ok(None) => break,
                Ok(Some(chunk)) => chunk.map_err(|e| DownloadError::Transport {
                    source: e.without_url(),
                    attempts,
                })?,
            };
            writer
                .write_all(&chunk)
                .await
                .map_err(DownloadError::Write)?;
            written += chunk.len() as u64;
        }
        writer.flush().await.map_err(DownloadError::Write)?;
        if written != url.size {
            return Err(DownloadError::Length {
                expected: url.size,
                actual: written,
            });
        }
        Ok(written)
    }

    /// GETs `url` until a successful answer's headers arrive, under the retry policy.
    async fn fetch(&self, url: &str) -> Result<(reqwest::Response, u32), DownloadError> {
        let policy = self.inner.retry_policy();
        let deadline = Instant::now().checked_add(self.inner.deadline);
        let time_left = || {
            deadline.map_or(Duration::MAX, |d| {
                d.saturating_duration_since(Instant::now())
            })
        };
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let limit = self.inner.attempt_timeout.min(time_left());
            let request = self
                .client
                .get(url)
                .header(USER_AGENT, self.inner.user_agent().clone());
            let result = match tokio::time::timeout(limit, request.send()).await {
                Ok(Ok(response)) if response.status().is_success() => {
                    return Ok((response, attempt));
                }
                other => other,
            };
            let (outcome, asked) = match &result {
                Ok(Ok(response)) => (
                    Outcome::Status(response.status()),
                    retry::retry_after(response.headers()),
                ),
                Ok(Err(error)) if error.is_connect() => (Outcome::ConnectFailed, None),
                Ok(Err(_)) | Err(_) => (Outcome::FailedAfterSend, None),
            };
            let wait = if policy.should_retry(attempt, outcome, true) {
                policy.wait(attempt, asked, time_left())
            } else {
                None
            };
            match wait {
                Some(wait) => tokio::time::sleep(wait).await,
                None => {
                    return Err(match result {
                        Ok(Ok(response)) => DownloadError::Status {
                            status: response.status(),
                            attempts: attempt,
                        },
                        Ok(Err(error)) => DownloadError::Transport {
                            source: error.without_url(),
                            attempts: attempt,
                        },
                        Err(_) => DownloadError::Timeout {
                            limit,
                            attempts: attempt,
                        },
                    });
                }
            }
        }
    }
}
