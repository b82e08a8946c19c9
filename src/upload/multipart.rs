//! The upload engine: one request up to [`PART_SIZE`], otherwise create a multipart upload,
//! send its parts with bounded parallelism (each part one call of the request path, retried
//! there under the client's policy), complete with the ETags in order, and abort on failure or
//! when the upload is dropped.

use std::num::NonZeroU32;
use std::sync::Arc;

use bytes::Bytes;
use tokio::task::JoinSet;

use super::progress::Reporter;
use super::source::{PartReader, Source};
use super::target::Target;
use super::{PART_SIZE, UploadError, UploadStep};
use crate::error::Error;
use crate::generated::Client;

/// How an upload runs.
pub(crate) struct Options {
    pub parallelism: usize,
    pub progress: Reporter,
}

/// Uploads `source` to `target`.
pub(crate) async fn run<T: Target>(
    client: Arc<Client>,
    target: Arc<T>,
    source: Source,
    options: Options,
) -> Result<T::Output, UploadError> {
    if options.parallelism == 0 {
        return Err(UploadError::InvalidArgument(
            "parallelism must be at least 1".into(),
        ));
    }
    // Opening a file and the part tasks need Tokio; without it they would panic.
    if tokio::runtime::Handle::try_current().is_err() {
        return Err(UploadError::Request {
            step: UploadStep::Start,
            source: Error::NoRuntime,
        });
    }
    let progress = options.progress;
    let mut reader = PartReader::open(source).await?;
    let first = reader.next(PART_SIZE).await?;
    if first.len() < PART_SIZE || reader.at_end().await? {
        let total = first.len() as u64;
        progress.report(0, Some(total));
        let done = target
            .single(&client, first)
            .await
            .map_err(|source| UploadError::Request {
                step: UploadStep::Single,
                source,
            })?;
        progress.report(total, Some(total));
        return Ok(done);
    }
    progress.report(0, reader.declared());
    let upload_id = target
        .create(&client, reader.declared())
        .await
        .map_err(|source| UploadError::Request {
            step: UploadStep::Create,
            source,
        })?;
    let mut guard = AbortGuard {
        client: client.clone(),
        target: target.clone(),
        upload_id: Some(upload_id.clone()),
    };
    let parts = Parts {
        client: &client,
        target: &target,
        upload_id: &upload_id,
        parallelism: options.parallelism,
        progress: &progress,
    };
    let result = match parts.send(&mut reader, first).await {
        Ok(parts) => target
            .complete(&client, &upload_id, parts)
            .await
            .map_err(|source| UploadError::Request {
                step: UploadStep::Complete,
                source,
            }),
        Err(error) => Err(error),
    };
    match result {
        Ok(done) => {
            guard.disarm();
            Ok(done)
        }
        Err(error) => Err(guard.abort_after(error).await),
    }
}

/// The part loop of one multipart upload.
struct Parts<'a, T> {
    client: &'a Arc<Client>,
    target: &'a Arc<T>,
    upload_id: &'a str,
    parallelism: usize,
    progress: &'a Reporter,
}

impl<T: Target> Parts<'_, T> {
    /// Reads a part whenever fewer than `parallelism` are in flight (so at most that many are
    /// held), sends each as a task of its own, and returns the ETags in part order. The first
    /// part that fails (after the request path's retries) ends the loop; the other tasks are
    /// cancelled when the set is dropped.
    async fn send(
        &self,
        reader: &mut PartReader,
        first: Bytes,
    ) -> Result<Vec<(NonZeroU32, String)>, UploadError> {
        let mut tasks = JoinSet::new();
        let mut pending = Some(first);
        let mut ended = false;
        let mut number = 0u32;
        let mut sent = 0u64;
        let mut parts = Vec::new();
        loop {
            while !ended && tasks.len() < self.parallelism {
                let data = match pending.take() {
                    Some(data) => data,
                    None => reader.next(PART_SIZE).await?,
                };
                if data.len() < PART_SIZE {
                    ended = true;
                }
                if data.is_empty() {
                    break;
                }
                number = number.checked_add(1).ok_or_else(|| {
                    UploadError::InvalidArgument("the source has too many parts".into())
                })?;
                let part_number = NonZeroU32::new(number).expect("counted from 1");
                let (client, target) = (self.client.clone(), self.target.clone());
                let upload_id = self.upload_id.to_owned();
                let len = data.len() as u64;
                tasks.spawn(async move {
                    let etag = target.part(&client, &upload_id, part_number, data).await;
                    (part_number, len, etag)
                });
            }
            let Some(joined) = tasks.join_next().await else {
                break;
            };
            let (part_number, len, etag) = match joined {
                Ok(done) => done,
                Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
                Err(_) => {
                    return Err(UploadError::Source(std::io::Error::other(
                        "a part task was cancelled",
                    )));
                }
            };
            match etag {
                Ok(etag) => {
                    sent += len;
                    let total = reader.declared().or(ended.then_some(reader.read()));
                    self.progress.report(sent, total);
                    parts.push((part_number, etag));
                }
                Err(source) => {
                    return Err(UploadError::Part {
                        part_number: part_number.get(),
                        source,
                    });
                }
            }
        }
        parts.sort_by_key(|(number, _)| *number);
        Ok(parts)
    }
}

/// Aborts the multipart upload unless disarmed: explicitly after a failure, or, when the
/// upload is dropped before it ends, from a task spawned on the current Tokio runtime.
struct AbortGuard<T: Target> {
    client: Arc<Client>,
    target: Arc<T>,
    upload_id: Option<String>,
}

impl<T: Target> AbortGuard<T> {
    fn disarm(&mut self) {
        self.upload_id = None;
    }

    /// Aborts the upload after `cause`; returns the error to report.
    async fn abort_after(&mut self, cause: UploadError) -> UploadError {
        let Some(upload_id) = self.upload_id.take() else {
            return cause;
        };
        match self.target.abort(&self.client, &upload_id).await {
            Ok(()) => cause,
            Err(abort) => UploadError::AbortFailed {
                upload_id,
                cause: Box::new(cause),
                abort,
            },
        }
    }
}

impl<T: Target> Drop for AbortGuard<T> {
    fn drop(&mut self) {
        let Some(upload_id) = self.upload_id.take() else {
            return;
        };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            tracing::warn!(upload_id, "upload dropped outside a runtime: not aborted");
            return;
        };
        let (client, target) = (self.client.clone(), self.target.clone());
        runtime.spawn(async move {
            if let Err(error) = target.abort(&client, &upload_id).await {
                tracing::warn!(upload_id, %error, "could not abort a dropped upload");
            }
        });
    }
}
