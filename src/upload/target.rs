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

/// The [`Target`] operations of one destination from its generated builders: `id` names the
/// destination's ID field and setter, `user` the field sent as `userId` on the single request
/// and the completion (attachments only).
macro_rules! target_operations {
    (
        $target:ty => $output:ty,
        id: $id:ident,
        user: [$($user:ident)?],
        operations: $single:ident, $create:ident, $part:ident, $complete:ident, $abort:ident,
        part: $part_type:ident,
        complete: $complete_body:ident $(,)?
    ) => {
        impl Target for $target {
            type Output = $output;

            async fn single(&self, client: &Client, data: Bytes) -> Result<Self::Output, Error> {
                let request = client
                    .$single()
                    .room_id(&self.room_id)
                    .$id(&self.$id)
                    .name(&self.name)
                    .file_size(size_param(data.len()))
                    .body(single_body(data));
                $(let request = request.user_id(&self.$user);)?
                Ok(request.send().await?.into_inner())
            }

            async fn create(&self, client: &Client, size: Option<u64>) -> Result<String, Error> {
                let mut request = client
                    .$create()
                    .room_id(&self.room_id)
                    .$id(&self.$id)
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
                    .$part()
                    .room_id(&self.room_id)
                    .$id(&self.$id)
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
                    .map(|(part_number, etag)| types::$part_type { etag, part_number })
                    .collect();
                let request = client
                    .$complete()
                    .room_id(&self.room_id)
                    .$id(&self.$id)
                    .upload_id(upload_id)
                    .body(types::$complete_body { parts });
                $(let request = request.user_id(&self.$user);)?
                Ok(request.send().await?.into_inner())
            }

            async fn abort(&self, client: &Client, upload_id: &str) -> Result<(), Error> {
                let request = client
                    .$abort()
                    .room_id(&self.room_id)
                    .$id(&self.$id)
                    .name_or_upload_id(upload_id);
                request.send().await.map(drop)
            }
        }
    };
}

/// A Storage file of a room: `PUT .../storage/files/{fileId}/upload/{name}` or the
/// `.../multipart/...` operations. Returned files are [`types::LiveFileData`].
#[derive(Debug, Clone)]
pub struct StorageFileTarget {
    pub(crate) room_id: String,
    pub(crate) file_id: String,
    pub(crate) name: String,
}

target_operations! {
    StorageFileTarget => types::LiveFileData,
    id: file_id,
    user: [],
    operations: upload_storage_file, create_storage_file_multipart_upload,
        upload_storage_file_multipart_part, complete_storage_file_multipart_upload,
        abort_storage_file_multipart_upload,
    part: StorageFileMultipartPart,
    complete: CompleteStorageFileMultipartUploadRequestBody,
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

target_operations! {
    AttachmentTarget => types::CommentAttachment,
    id: attachment_id,
    user: [user_id],
    operations: upload_attachment, create_attachment_multipart_upload,
        upload_attachment_multipart_part, complete_attachment_multipart_upload,
        abort_attachment_multipart_upload,
    part: AttachmentMultipartPart,
    complete: CompleteAttachmentMultipartUploadRequestBody,
}
