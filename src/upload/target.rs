//! Where an upload goes: a Storage file or a comment attachment, each a thin adapter over its
//! generated operations (so every request takes the one request path, with its retries).

use std::num::NonZeroU32;

use bytes::Bytes;

use crate::error::Error;
use crate::generated::Client;
use crate::types;

/// A destination of uploads: [`StorageFileTarget`] or [`AttachmentTarget`]. Sealed; its
/// operations are the engine's, not part of the public API.
pub trait Target: private::Sealed + Send + Sync + 'static {
    /// What a finished upload returns.
    type Output: Send + 'static;

    /// Sends the whole file in one request.
    #[doc(hidden)]
    fn single(
        &self,
        client: &Client,
        data: Bytes,
    ) -> impl Future<Output = Result<Self::Output, Error>> + Send;

    /// Starts a multipart upload; returns its upload ID.
    #[doc(hidden)]
    fn create(
        &self,
        client: &Client,
        size: Option<u64>,
    ) -> impl Future<Output = Result<String, Error>> + Send;

    /// Sends one part; returns its ETag.
    #[doc(hidden)]
    fn part(
        &self,
        client: &Client,
        upload_id: &str,
        number: NonZeroU32,
        data: Bytes,
    ) -> impl Future<Output = Result<String, Error>> + Send;

    /// Completes the upload from its parts, in order.
    #[doc(hidden)]
    fn complete(
        &self,
        client: &Client,
        upload_id: &str,
        parts: Vec<(NonZeroU32, String)>,
    ) -> impl Future<Output = Result<Self::Output, Error>> + Send;

    /// Aborts the upload and discards its parts.
    #[doc(hidden)]
    fn abort(
        &self,
        client: &Client,
        upload_id: &str,
    ) -> impl Future<Output = Result<(), Error>> + Send;
}

mod private {
    /// Keeps [`Target`](super::Target) to this crate's destinations.
    pub trait Sealed {}
    impl Sealed for super::StorageFileTarget {}
    impl Sealed for super::AttachmentTarget {}
}

/// The body of a single-request upload. An empty file goes as an empty chunked body: servers
/// that read `Content-Length: 0` as "no body" (the dev server answers 400) accept it. (Such a
/// body cannot be replayed, so that one request is not retried.)
fn single_body(data: Bytes) -> reqwest::Body {
    if data.is_empty() {
        reqwest::Body::wrap_stream(futures::stream::empty::<Result<Bytes, std::io::Error>>())
    } else {
        data.into()
    }
}

fn size_param(len: usize) -> i64 {
    i64::try_from(len).unwrap_or(i64::MAX)
}

/// A Storage file of a room: `PUT .../storage/files/{fileId}/upload/{name}` or the
/// `.../multipart/...` operations. Returned files are [`types::LiveFileData`].
#[derive(Debug, Clone)]
pub struct StorageFileTarget {
    pub(crate) room_id: String,
    pub(crate) file_id: String,
    pub(crate) name: String,
}

impl Target for StorageFileTarget {
    type Output = types::LiveFileData;

    async fn single(&self, client: &Client, data: Bytes) -> Result<Self::Output, Error> {
        let request = client
            .upload_storage_file()
            .room_id(&self.room_id)
            .file_id(&self.file_id)
            .name(&self.name)
            .file_size(size_param(data.len()))
            .body(single_body(data));
        Ok(request.send().await?.into_inner())
    }

    async fn create(&self, client: &Client, size: Option<u64>) -> Result<String, Error> {
        let mut request = client
            .create_storage_file_multipart_upload()
            .room_id(&self.room_id)
            .file_id(&self.file_id)
            .name_or_upload_id(&self.name);
        if let Some(size) = size {
            request = request.file_size(i64::try_from(size).unwrap_or(i64::MAX));
        }
        Ok(request.send().await?.into_inner().upload_id)
    }

    async fn part(
        &self,
        client: &Client,
        upload_id: &str,
        number: NonZeroU32,
        data: Bytes,
    ) -> Result<String, Error> {
        let request = client
            .upload_storage_file_multipart_part()
            .room_id(&self.room_id)
            .file_id(&self.file_id)
            .upload_id(upload_id)
            .part_number(number)
            .body(data);
        Ok(request.send().await?.into_inner().etag)
    }

    async fn complete(
        &self,
        client: &Client,
        upload_id: &str,
        parts: Vec<(NonZeroU32, String)>,
    ) -> Result<Self::Output, Error> {
        let parts = parts
            .into_iter()
            .map(|(part_number, etag)| types::StorageFileMultipartPart { etag, part_number })
            .collect();
        let request = client
            .complete_storage_file_multipart_upload()
            .room_id(&self.room_id)
            .file_id(&self.file_id)
            .upload_id(upload_id)
            .body(types::CompleteStorageFileMultipartUploadRequestBody { parts });
        Ok(request.send().await?.into_inner())
    }

    async fn abort(&self, client: &Client, upload_id: &str) -> Result<(), Error> {
        let request = client
            .abort_storage_file_multipart_upload()
            .room_id(&self.room_id)
            .file_id(&self.file_id)
            .name_or_upload_id(upload_id);
        request.send().await.map(drop)
    }
}

/// A comment attachment of a room, uploaded on behalf of a user:
/// `PUT .../attachments/{attachmentId}/upload/{name}?userId=...` or the `.../multipart/...`
/// operations. Returned attachments are [`types::CommentAttachment`].
#[derive(Debug, Clone)]
pub struct AttachmentTarget {
    pub(crate) room_id: String,
    pub(crate) attachment_id: String,
    pub(crate) user_id: String,
    pub(crate) name: String,
}

impl Target for AttachmentTarget {
    type Output = types::CommentAttachment;

    async fn single(&self, client: &Client, data: Bytes) -> Result<Self::Output, Error> {
        let request = client
            .upload_attachment()
            .room_id(&self.room_id)
            .attachment_id(&self.attachment_id)
            .name(&self.name)
            .user_id(&self.user_id)
            .file_size(size_param(data.len()))
            .body(single_body(data));
        Ok(request.send().await?.into_inner())
    }

    async fn create(&self, client: &Client, size: Option<u64>) -> Result<String, Error> {
        let mut request = client
            .create_attachment_multipart_upload()
            .room_id(&self.room_id)
            .attachment_id(&self.attachment_id)
            .name_or_upload_id(&self.name);
        if let Some(size) = size {
            request = request.file_size(i64::try_from(size).unwrap_or(i64::MAX));
        }
        Ok(request.send().await?.into_inner().upload_id)
    }

    async fn part(
        &self,
        client: &Client,
        upload_id: &str,
        number: NonZeroU32,
        data: Bytes,
    ) -> Result<String, Error> {
        let request = client
            .upload_attachment_multipart_part()
            .room_id(&self.room_id)
            .attachment_id(&self.attachment_id)
            .upload_id(upload_id)
            .part_number(number)
            .body(data);
        Ok(request.send().await?.into_inner().etag)
    }

    async fn complete(
        &self,
        client: &Client,
        upload_id: &str,
        parts: Vec<(NonZeroU32, String)>,
    ) -> Result<Self::Output, Error> {
        let parts = parts
            .into_iter()
            .map(|(part_number, etag)| types::AttachmentMultipartPart { etag, part_number })
            .collect();
        let request = client
            .complete_attachment_multipart_upload()
            .room_id(&self.room_id)
            .attachment_id(&self.attachment_id)
            .upload_id(upload_id)
            .user_id(&self.user_id)
            .body(types::CompleteAttachmentMultipartUploadRequestBody { parts });
        Ok(request.send().await?.into_inner())
    }

    async fn abort(&self, client: &Client, upload_id: &str) -> Result<(), Error> {
        let request = client
            .abort_attachment_multipart_upload()
            .room_id(&self.room_id)
            .attachment_id(&self.attachment_id)
            .name_or_upload_id(upload_id);
        request.send().await.map(drop)
    }
}
