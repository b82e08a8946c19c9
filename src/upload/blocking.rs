//! The blocking counterparts (cargo feature `blocking`): the same uploads and downloads on
//! [`blocking::Client`](crate::blocking::Client), run on its runtime; downloads write into any
//! [`std::io::Write`].

use std::io::{self, Write};
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::AsyncWrite;

use super::{
    AttachmentTarget, DownloadError, DownloadUrl, Progress, Source, StorageFileTarget, Target,
    Upload, UploadError, UploadStep,
};
use crate::blocking::Client;
use crate::error::Error;

/// An upload of the blocking client: set options, then [`send`](Self::send). Returned by
/// [`blocking::Client::upload_file`](Client::upload_file) and
/// [`blocking::Client::upload_comment_attachment`](Client::upload_comment_attachment); the same
/// as the async [`Upload`].
#[must_use = "an upload does nothing until it is sent"]
#[derive(Debug)]
pub struct BlockingUpload<'a, T: Target> {
    upload: Upload<'a, T>,
    client: &'a Client,
}

impl<T: Target> BlockingUpload<'_, T> {
    /// See [`Upload::parallelism`].
    pub fn parallelism(mut self, parts: usize) -> Self {
        self.upload = self.upload.parallelism(parts);
        self
    }

    /// See [`Upload::on_progress`].
    pub fn on_progress(mut self, callback: impl Fn(Progress) + Send + Sync + 'static) -> Self {
        self.upload = self.upload.on_progress(callback);
        self
    }

    /// Runs the upload, blocking until it ends.
    ///
    /// # Errors
    ///
    /// See [`Upload::send`]; on a thread that runs an async runtime,
    /// [`UploadError::Request`] at [`UploadStep::Start`] with
    /// [`Error::BlockingInAsyncContext`], and nothing is sent.
    pub fn send(self) -> Result<T::Output, UploadError> {
        self.client
            .block_on(self.upload.send())
            .map_err(|source| UploadError::Request {
                step: UploadStep::Start,
                source,
            })?
    }
}

/// A [`Write`] as an [`AsyncWrite`] (the blocking client's runtime is its own, so blocking in
/// it stalls nothing else).
struct SyncWriter<'a, W: ?Sized>(&'a mut W);

impl<W: Write + ?Sized> AsyncWrite for SyncWriter<'_, W> {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Poll::Ready(self.get_mut().0.write(buf))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(self.get_mut().0.flush())
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

impl Client {
    /// Uploads a Storage file, like the async [`crate::Client::upload_file`].
    ///
    /// ```no_run
    /// # fn run(client: liveblocks::blocking::Client) -> Result<(), liveblocks::upload::UploadError> {
    /// use liveblocks::upload::{self, Source};
    /// let file = client
    ///     .upload_file("my-room", upload::new_file_id(), "video.mp4", Source::path("video.mp4"))
    ///     .send()?;
    /// println!("{} bytes", file.size);
    /// # Ok(()) }
    /// ```
    pub fn upload_file(
        &self,
        room_id: impl Into<String>,
        file_id: impl Into<String>,
        name: impl Into<String>,
        source: impl Into<Source>,
    ) -> BlockingUpload<'_, StorageFileTarget> {
        BlockingUpload {
            upload: self.as_async().upload_file(room_id, file_id, name, source),
            client: self,
        }
    }

    /// Uploads a comment attachment, like the async
    /// [`crate::Client::upload_comment_attachment`].
    pub fn upload_comment_attachment(
        &self,
        room_id: impl Into<String>,
        attachment_id: impl Into<String>,
        user_id: impl Into<String>,
        name: impl Into<String>,
        source: impl Into<Source>,
    ) -> BlockingUpload<'_, AttachmentTarget> {
        BlockingUpload {
            upload: self.as_async().upload_comment_attachment(
                room_id,
                attachment_id,
                user_id,
                name,
                source,
            ),
            client: self,
        }
    }

    /// The temporary download link of a Storage file, like
    /// [`crate::Client::storage_file_url`].
    ///
    /// # Errors
    ///
    /// As the async method, and [`Error::BlockingInAsyncContext`].
    pub fn storage_file_url(&self, room_id: &str, file_id: &str) -> Result<DownloadUrl, Error> {
        self.run(self.as_async().storage_file_url(room_id, file_id))
    }

    /// The temporary download link of a comment attachment, like
    /// [`crate::Client::attachment_url`].
    ///
    /// # Errors
    ///
    /// As the async method, and [`Error::BlockingInAsyncContext`].
    pub fn attachment_url(&self, room_id: &str, attachment_id: &str) -> Result<DownloadUrl, Error> {
        self.run(self.as_async().attachment_url(room_id, attachment_id))
    }

    /// Downloads a Storage file into `writer`, streamed; returns the bytes written.
    ///
    /// ```no_run
    /// # fn run(client: liveblocks::blocking::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let mut out = std::fs::File::create("copy.mp4")?;
    /// client.download_storage_file("my-room", "fl_abc123456789012345678", &mut out)?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// As [`crate::Client::download_url`]; [`DownloadError::Blocking`] on a thread that runs an
    /// async runtime.
    pub fn download_storage_file<W: Write + ?Sized>(
        &self,
        room_id: &str,
        file_id: &str,
        writer: &mut W,
    ) -> Result<u64, DownloadError> {
        let mut writer = SyncWriter(writer);
        let download = self
            .as_async()
            .download_storage_file(room_id, file_id, &mut writer);
        self.block_on(download).map_err(DownloadError::Blocking)?
    }

    /// Downloads a comment attachment into `writer`, streamed; returns the bytes written.
    ///
    /// # Errors
    ///
    /// As [`crate::Client::download_url`]; [`DownloadError::Blocking`] on a thread that runs an
    /// async runtime.
    pub fn download_attachment<W: Write + ?Sized>(
        &self,
        room_id: &str,
        attachment_id: &str,
        writer: &mut W,
    ) -> Result<u64, DownloadError> {
        let mut writer = SyncWriter(writer);
        let download = self
            .as_async()
            .download_attachment(room_id, attachment_id, &mut writer);
        self.block_on(download).map_err(DownloadError::Blocking)?
    }

    /// Downloads a link into `writer`, streamed, like [`crate::Client::download_url`].
    ///
    /// # Errors
    ///
    /// As the async method; [`DownloadError::Blocking`] on a thread that runs an async runtime.
    pub fn download_url<W: Write + ?Sized>(
        &self,
        url: &DownloadUrl,
        writer: &mut W,
    ) -> Result<u64, DownloadError> {
        let mut writer = SyncWriter(writer);
        let download = self.as_async().download_url(url, &mut writer);
        self.block_on(download).map_err(DownloadError::Blocking)?
    }
}
