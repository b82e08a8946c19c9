//! Uploads and downloads of Storage files and comment attachments, one call each.
//!
//! [`Client::upload_file`] and [`Client::upload_comment_attachment`] send a [`Source`] (bytes,
//! a file, an `AsyncRead` or a byte `Stream`) the way the official SDKs do: up to
//! [`PART_SIZE`] in one request, larger ones as a multipart upload of `PART_SIZE` parts (the
//! last one shorter), [`DEFAULT_PARALLELISM`] at a time. Each request is one call of the
//! client's request path, so each part is retried on its own under the client's
//! [`RetryPolicy`](crate::RetryPolicy) and time limits. The parts' ETags complete the upload in
//! order; on any failure, and when the upload future is dropped before it ends, the multipart
//! upload is aborted so no open upload is left behind. At most `parallelism x PART_SIZE` bytes
//! of the source are held at a time, whatever its size.
//!
//! The download side: [`Client::storage_file_url`] and [`Client::attachment_url`] return the
//! temporary link, and [`Client::download_storage_file`], [`Client::download_attachment`] and
//! [`Client::download_url`] stream the bytes into any `AsyncWrite`.
//!
//! ```no_run
//! use liveblocks::upload::{self, Source};
//!
//! # async fn run(client: liveblocks::Client) -> Result<(), Box<dyn std::error::Error>> {
//! let file_id = upload::new_file_id();
//! let file = client
//!     .upload_file("my-room", &file_id, "video.mp4", Source::path("video.mp4"))
//!     .on_progress(|p| eprintln!("{} of {:?} bytes", p.sent, p.total))
//!     .await?;
//! assert_eq!(file.id, file_id);
//!
//! let mut out = tokio::fs::File::create("copy.mp4").await?;
//! let bytes = client.download_storage_file("my-room", &file_id, &mut out).await?;
//! assert_eq!(bytes as i64, file.size);
//! # Ok(()) }
//! ```

#[cfg(feature = "blocking")]
mod blocking;
mod download;
mod multipart;
mod progress;
mod source;
mod target;

use std::future::IntoFuture;
use std::sync::Arc;

use futures::future::BoxFuture;

#[cfg(feature = "blocking")]
pub use blocking::BlockingUpload;
pub use download::{DownloadError, DownloadUrl};
pub use progress::Progress;
pub use source::Source;
pub use target::{AttachmentTarget, StorageFileTarget, Target};

use crate::error::Error;
use crate::generated::Client;
use progress::Reporter;

/// The part size of multipart uploads, and the largest upload sent in a single request: 5 MiB,
/// as in the official SDKs (the API's object store needs every part but the last to be at
/// least this large).
pub const PART_SIZE: usize = 5 * 1024 * 1024;

/// How many parts are in flight at once by default.
pub const DEFAULT_PARALLELISM: usize = 4;

/// Why an upload failed. Whenever a multipart upload had been created, it was aborted before
/// the error was returned (or [`UploadError::AbortFailed`] says it could not be).
///
/// ```no_run
/// # async fn run(client: liveblocks::Client) {
/// use liveblocks::upload::{Source, UploadError};
/// let source = Source::path("big.bin");
/// match client.upload_file("my-room", "fl_abc123456789012345678", "big.bin", source).await {
///     Ok(file) => println!("uploaded {} bytes", file.size),
///     Err(UploadError::Part { part_number, source }) => {
///         eprintln!("part {part_number} failed after {:?} attempts: {source}", source.attempts())
///     }
///     Err(UploadError::LengthMismatch { declared, actual, .. }) => {
///         eprintln!("the file changed while uploading: {declared} then {actual} bytes")
///     }
///     Err(other) => eprintln!("{other}"),
/// }
/// # }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum UploadError {
    /// An option was invalid; nothing was sent.
    #[error("invalid upload: {0}")]
    InvalidArgument(String),

    /// Reading the source failed (opening the file, or an error from the reader or stream).
    #[error("could not read the upload source: {0}")]
    Source(#[source] std::io::Error),

    /// The source ended before its declared length, or went on after it; nothing was
    /// completed.
    #[error(
        "the source declared {declared} bytes but {}",
        if *.longer { format!("held more (at least {actual})") } else { format!("ended after {actual}") }
    )]
    LengthMismatch {
        /// The length the source declared (for a file: its size when opened).
        declared: u64,
        /// The bytes read when the mismatch was found.
        actual: u64,
        /// Whether the source was longer than declared (`false`: it ended early).
        longer: bool,
    },

    /// A request other than a part failed (after the request path's retries).
    #[error("{step} failed: {source}")]
    Request {
        /// Which request.
        step: UploadStep,
        /// Why.
        #[source]
        source: Error,
    },

    /// A part failed after the request path's retries.
    #[error("part {part_number} failed: {source}")]
    Part {
        /// The part's number, from 1.
        part_number: u32,
        /// Why (its [`Error::attempts`] says how many attempts were made).
        #[source]
        source: Error,
    },

    /// The upload failed and the multipart upload could not be aborted either: it is still
    /// open on the server (abort it with its ID, or let the server expire it).
    #[error("{cause}; aborting multipart upload {upload_id} failed too: {abort}")]
    AbortFailed {
        /// The upload left open.
        upload_id: String,
        /// Why the upload failed.
        #[source]
        cause: Box<UploadError>,
        /// Why the abort failed.
        abort: Error,
    },
}

/// A request of an upload, as named by [`UploadError::Request`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum UploadStep {
    /// Before any request (a Tokio runtime must be running).
    Start,
    /// The single-request upload.
    Single,
    /// Creating the multipart upload.
    Create,
    /// Completing the multipart upload.
    Complete,
}

impl std::fmt::Display for UploadStep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            UploadStep::Start => "starting the upload",
            UploadStep::Single => "the single-request upload",
            UploadStep::Create => "creating the multipart upload",
            UploadStep::Complete => "completing the multipart upload",
        })
    }
}

/// An upload ready to run: set options, then `.await` it (or call [`send`](Self::send)).
/// Returned by [`Client::upload_file`] and [`Client::upload_comment_attachment`].
///
/// Dropping the future before it ends cancels the parts in flight and aborts the multipart
/// upload from a task spawned on the current Tokio runtime.
///
/// ```no_run
/// # async fn run(client: liveblocks::Client) -> Result<(), liveblocks::upload::UploadError> {
/// use std::time::Duration;
/// use liveblocks::upload::Source;
/// let upload = client
///     .upload_file("my-room", "fl_abc123456789012345678", "a.bin", Source::path("a.bin"))
///     .parallelism(2)
///     .send();
/// // Not done within a minute: dropping it aborts the multipart upload.
/// let _ = tokio::time::timeout(Duration::from_secs(60), upload).await;
/// # Ok(()) }
/// ```
#[must_use = "an upload does nothing until it is awaited"]
#[derive(Debug)]
pub struct Upload<'a, T: Target> {
    client: &'a Client,
    target: T,
    source: Source,
    parallelism: usize,
    progress: Reporter,
}

impl<'a, T: Target> Upload<'a, T> {
    fn new(client: &'a Client, target: T, source: Source) -> Self {
        Upload {
            client,
            target,
            source,
            parallelism: DEFAULT_PARALLELISM,
            progress: Reporter::none(),
        }
    }

    /// How many parts are sent at once (default [`DEFAULT_PARALLELISM`]; at least 1). Memory
    /// held for the source is at most this many parts.
    pub fn parallelism(mut self, parts: usize) -> Self {
        self.parallelism = parts;
        self
    }

    /// Calls `callback` with the [`Progress`] once at the start and after every accepted part
    /// (or the single request), from the task awaiting the upload: keep it quick.
    ///
    /// To receive progress as a stream instead, send from the callback into a channel.
    pub fn on_progress(mut self, callback: impl Fn(Progress) + Send + Sync + 'static) -> Self {
        self.progress = Reporter::new(callback);
        self
    }

    /// Runs the upload.
    ///
    /// # Errors
    ///
    /// [`UploadError`]: the source could not be read or did not match its declared length, a
    /// part or another request failed after its retries, or an option was invalid.
    pub async fn send(self) -> Result<T::Output, UploadError> {
        let options = multipart::Options {
            parallelism: self.parallelism,
            progress: self.progress,
        };
        let client = Arc::new(self.client.clone());
        multipart::run(client, Arc::new(self.target), self.source, options).await
    }
}

impl<'a, T: Target> IntoFuture for Upload<'a, T> {
    type Output = Result<T::Output, UploadError>;
    type IntoFuture = BoxFuture<'a, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl Client {
    /// Uploads a Storage file of a room from `source`, in one request or as a multipart upload
    /// by size (see the [module docs](crate::upload)). `file_id` is the ID to give the file:
    /// [`new_file_id`] makes one in the API's format (`fl_` and 21 characters). Reference the
    /// returned file from a LiveFile node of the room's Storage.
    ///
    /// (The generated [`upload_storage_file`](Client::upload_storage_file) is the raw single
    /// request.)
    ///
    /// ```no_run
    /// # async fn run(client: liveblocks::Client) -> Result<(), liveblocks::upload::UploadError> {
    /// use liveblocks::upload::{self, Source};
    /// let file = client
    ///     .upload_file("my-room", upload::new_file_id(), "notes.txt", Source::from(b"hi".to_vec()))
    ///     .await?;
    /// println!("{} ({} bytes)", file.id, file.size);
    /// # Ok(()) }
    /// ```
    pub fn upload_file(
        &self,
        room_id: impl Into<String>,
        file_id: impl Into<String>,
        name: impl Into<String>,
        source: impl Into<Source>,
    ) -> Upload<'_, StorageFileTarget> {
        let target = StorageFileTarget {
            room_id: room_id.into(),
            file_id: file_id.into(),
            name: name.into(),
        };
        Upload::new(self, target, source.into())
    }

    /// Uploads a comment attachment of a room on behalf of `user_id`, in one request or as a
    /// multipart upload by size (see the [module docs](crate::upload)). `attachment_id` is the
    /// ID to give it: [`new_attachment_id`] makes one (`at_` and 21 characters). List the
    /// returned attachment's ID in a comment's `attachmentIds`.
    ///
    /// (The generated [`upload_attachment`](Client::upload_attachment) is the raw single
    /// request.)
    ///
    /// ```no_run
    /// # async fn run(client: liveblocks::Client) -> Result<(), liveblocks::upload::UploadError> {
    /// use liveblocks::upload::{self, Source};
    /// let attachment = client
    ///     .upload_comment_attachment(
    ///         "my-room",
    ///         upload::new_attachment_id(),
    ///         "marie",
    ///         "mockup.png",
    ///         Source::path("mockup.png"),
    ///     )
    ///     .parallelism(2)
    ///     .await?;
    /// println!("{}", attachment.id);
    /// # Ok(()) }
    /// ```
    pub fn upload_comment_attachment(
        &self,
        room_id: impl Into<String>,
        attachment_id: impl Into<String>,
        user_id: impl Into<String>,
        name: impl Into<String>,
        source: impl Into<Source>,
    ) -> Upload<'_, AttachmentTarget> {
        let target = AttachmentTarget {
            room_id: room_id.into(),
            attachment_id: attachment_id.into(),
            user_id: user_id.into(),
            name: name.into(),
        };
        Upload::new(self, target, source.into())
    }
}

/// A new Storage file ID in the API's format: `fl_` and 21 random URL-safe characters.
///
/// ```
/// let id = liveblocks::upload::new_file_id();
/// assert!(id.starts_with("fl_") && id.len() == 24);
/// ```
pub fn new_file_id() -> String {
    random_id("fl_")
}

/// A new comment attachment ID in the API's format: `at_` and 21 random URL-safe characters.
///
/// ```
/// let id = liveblocks::upload::new_attachment_id();
/// assert!(id.starts_with("at_") && id.len() == 24);
/// ```
pub fn new_attachment_id() -> String {
    random_id("at_")
}

fn random_id(prefix: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    let mut id = String::with_capacity(prefix.len() + 21);
    id.push_str(prefix);
    id.extend((0..21).map(|_| char::from(ALPHABET[fastrand::usize(..64)])));
    id
}
