//! What an upload reads from ([`Source`]: bytes, a file path, an `AsyncRead` or a byte
//! `Stream`) and the reader that cuts it into parts, checking its declared length.

use std::fmt;
use std::io;
use std::path::PathBuf;
use std::pin::Pin;

use bytes::{Bytes, BytesMut};
use futures::stream::BoxStream;
use futures::{Stream, StreamExt as _, TryStreamExt as _};
use tokio::io::{AsyncRead, AsyncReadExt as _};

use super::UploadError;

/// The bytes of an upload: in memory, a file, an [`AsyncRead`](https://docs.rs/tokio/1/tokio/io/trait.AsyncRead.html) or a [`Stream`](https://docs.rs/futures/0.3/futures/stream/trait.Stream.html) of byte chunks,
/// with a length that is known (bytes, files) or declared by the caller (optional for readers
/// and streams).
///
/// A source that ends before its declared length, or goes on after it, fails the upload with
/// [`UploadError::LengthMismatch`] and nothing is completed. Readers and streams are read one
/// part at a time, so at most `parallelism x` [`PART_SIZE`](super::PART_SIZE) bytes are held
/// whatever their size.
///
/// ```no_run
/// use liveblocks::upload::Source;
///
/// let in_memory = Source::from(b"hello".to_vec());
/// let on_disk = Source::path("video.mp4");
/// let reader = Source::reader(tokio::io::empty(), Some(0));
/// let stream = Source::stream(
///     futures::stream::iter([Ok::<_, std::io::Error>(bytes::Bytes::from_static(b"hi"))]),
///     None,
/// );
/// ```
pub struct Source {
    body: Body,
    declared: Option<u64>,
}

enum Body {
    Bytes(Bytes),
    Path(PathBuf),
    Reader(Pin<Box<dyn AsyncRead + Send>>),
    Stream(BoxStream<'static, io::Result<Bytes>>),
}

impl fmt::Debug for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match &self.body {
            Body::Bytes(_) => "bytes",
            Body::Path(_) => "path",
            Body::Reader(_) => "reader",
            Body::Stream(_) => "stream",
        };
        f.debug_struct("Source")
            .field("kind", &kind)
            .field("declared_len", &self.declared)
            .finish()
    }
}

impl Source {
    /// Bytes in memory (their length is known).
    pub fn bytes(bytes: impl Into<Bytes>) -> Source {
        let bytes = bytes.into();
        Source {
            declared: Some(bytes.len() as u64),
            body: Body::Bytes(bytes),
        }
    }

    /// A file, opened when the upload starts; its length is the file's size then.
    pub fn path(path: impl Into<PathBuf>) -> Source {
        Source {
            body: Body::Path(path.into()),
            declared: None,
        }
    }

    /// Any [`AsyncRead`](https://docs.rs/tokio/1/tokio/io/trait.AsyncRead.html), with its length when known. Without one, a source longer than
    /// [`PART_SIZE`](super::PART_SIZE) is sent as a multipart upload without `fileSize`.
    pub fn reader(reader: impl AsyncRead + Send + 'static, len: Option<u64>) -> Source {
        Source {
            body: Body::Reader(Box::pin(reader)),
            declared: len,
        }
    }

    /// Any [`Stream`](https://docs.rs/futures/0.3/futures/stream/trait.Stream.html) of byte chunks (of any sizes), with its length when known.
    pub fn stream<S, B, E>(stream: S, len: Option<u64>) -> Source
    where
        S: Stream<Item = Result<B, E>> + Send + 'static,
        B: Into<Bytes> + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
    {
        let stream = stream.map_ok(Into::into).map_err(io::Error::other);
        Source {
            body: Body::Stream(stream.boxed()),
            declared: len,
        }
    }

    /// The length the source declares (`None` for a path before it is opened, and for readers
    /// and streams given without one).
    pub fn declared_len(&self) -> Option<u64> {
        self.declared
    }
}

impl From<Bytes> for Source {
    fn from(bytes: Bytes) -> Source {
        Source::bytes(bytes)
    }
}

impl From<Vec<u8>> for Source {
    fn from(bytes: Vec<u8>) -> Source {
        Source::bytes(bytes)
    }
}

impl From<&'static [u8]> for Source {
    fn from(bytes: &'static [u8]) -> Source {
        Source::bytes(bytes)
    }
}

impl From<PathBuf> for Source {
    fn from(path: PathBuf) -> Source {
        Source::path(path)
    }
}

/// Reads a [`Source`] part by part and checks it against its declared length.
pub(crate) struct PartReader {
    body: Body,
    declared: Option<u64>,
    /// Bytes read from the source so far (including `carry`).
    read: u64,
    /// Bytes read ahead (to learn whether the source has ended) and not yet handed out.
    carry: Bytes,
}

impl PartReader {
    /// Opens the source (a path: the file, whose size becomes the declared length).
    pub(crate) async fn open(source: Source) -> Result<PartReader, UploadError> {
        let Source { body, declared } = source;
        let (body, declared) = match body {
            Body::Path(path) => {
                let file = tokio::fs::File::open(&path)
                    .await
                    .map_err(UploadError::Source)?;
                let len = file.metadata().await.map_err(UploadError::Source)?.len();
                (Body::Reader(Box::pin(file)), Some(len))
            }
            other => (other, declared),
        };
        Ok(PartReader {
            body,
            declared,
            read: 0,
            carry: Bytes::new(),
        })
    }

    /// The declared length (for a file: its size when opened).
    pub(crate) fn declared(&self) -> Option<u64> {
        self.declared
    }

    /// Bytes read from the source so far.
    pub(crate) fn read(&self) -> u64 {
        self.read
    }

    /// The next `max` bytes, fewer only at the end of the source (empty: it has ended).
    pub(crate) async fn next(&mut self, max: usize) -> Result<Bytes, UploadError> {
        // Learn about the end before a part's buffer is allocated for nothing.
        if self.at_end().await? {
            return Ok(Bytes::new());
        }
        let part = match &mut self.body {
            Body::Bytes(bytes) => {
                let n = max.min(bytes.len());
                let part = bytes.split_to(n);
                self.read += n as u64;
                part
            }
            Body::Reader(reader) => {
                let mut buf = vec![0u8; max];
                let mut filled = self.carry.len().min(max);
                buf[..filled].copy_from_slice(&self.carry.split_to(filled));
                while filled < max {
                    let n = reader
                        .read(&mut buf[filled..])
                        .await
                        .map_err(UploadError::Source)?;
                    if n == 0 {
                        break;
                    }
                    filled += n;
                    self.read += n as u64;
                    not_longer(self.declared, self.read)?;
                }
                buf.truncate(filled);
                Bytes::from(buf)
            }
            Body::Stream(stream) => {
                let mut buf = BytesMut::new();
                loop {
                    if self.carry.is_empty() {
                        match stream.try_next().await.map_err(UploadError::Source)? {
                            Some(chunk) => {
                                self.read += chunk.len() as u64;
                                self.carry = chunk;
                                not_longer(self.declared, self.read)?;
                            }
                            None => break buf.freeze(),
                        }
                    }
                    let take = (max - buf.len()).min(self.carry.len());
                    if buf.is_empty() && take == max {
                        // A chunk holding a whole part: handed out without a copy.
                        break self.carry.split_to(max);
                    }
                    if buf.capacity() == 0 {
                        buf.reserve(max);
                    }
                    buf.extend_from_slice(&self.carry.split_to(take));
                    if buf.len() == max {
                        break buf.freeze();
                    }
                }
            }
            Body::Path(_) => unreachable!("opened in PartReader::open"),
        };
        not_longer(self.declared, self.read)?;
        if part.len() < max {
            self.check_complete()?;
        }
        Ok(part)
    }

    /// Whether the source has ended (reads ahead at most one byte or chunk, kept for
    /// [`next`](Self::next)); at the end, checks the declared length.
    pub(crate) async fn at_end(&mut self) -> Result<bool, UploadError> {
        if !self.carry.is_empty() {
            return Ok(false);
        }
        let ended = match &mut self.body {
            Body::Bytes(bytes) => bytes.is_empty(),
            Body::Reader(reader) => {
                let mut one = [0u8; 1];
                let n = reader.read(&mut one).await.map_err(UploadError::Source)?;
                self.carry = Bytes::copy_from_slice(&one[..n]);
                n == 0
            }
            Body::Stream(stream) => loop {
                match stream.try_next().await.map_err(UploadError::Source)? {
                    Some(chunk) if chunk.is_empty() => continue,
                    Some(chunk) => {
                        self.carry = chunk;
                        break false;
                    }
                    None => break true,
                }
            },
            Body::Path(_) => unreachable!("opened in PartReader::open"),
        };
        self.read += self.carry.len() as u64;
        not_longer(self.declared, self.read)?;
        if ended {
            self.check_complete()?;
        }
        Ok(ended)
    }

    /// At the end of the source: fails when fewer bytes were read than declared.
    fn check_complete(&self) -> Result<(), UploadError> {
        match self.declared {
            Some(declared) if self.read != declared => Err(UploadError::LengthMismatch {
                declared,
                actual: self.read,
                longer: self.read > declared,
            }),
            _ => Ok(()),
        }
    }
}

/// Fails when more bytes were read than declared.
fn not_longer(declared: Option<u64>, read: u64) -> Result<(), UploadError> {
    match declared {
        Some(declared) if read > declared => Err(UploadError::LengthMismatch {
            declared,
            actual: read,
            longer: true,
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
    }

    /// Every way of holding the same bytes.
    fn sources(bytes: &[u8], declared: Option<u64>) -> Vec<(&'static str, Source)> {
        let chunks: Vec<Result<Bytes, io::Error>> = bytes
            .chunks(3)
            .map(|c| Ok(Bytes::copy_from_slice(c)))
            .collect();
        let mut all = vec![
            (
                "reader",
                Source::reader(io::Cursor::new(bytes.to_vec()), declared),
            ),
            (
                "stream of 3-byte chunks",
                Source::stream(futures::stream::iter(chunks), declared),
            ),
            (
                "stream of one chunk",
                Source::stream(
                    futures::stream::iter([Ok::<_, io::Error>(bytes.to_vec())]),
                    declared,
                ),
            ),
        ];
        if declared.is_none_or(|d| d == bytes.len() as u64) {
            all.push(("bytes", Source::bytes(bytes.to_vec())));
        }
        all
    }

    #[test]
    fn parts_are_full_but_the_last_whatever_the_source() {
        let bytes: Vec<u8> = (0..23u8).collect();
        for declared in [None, Some(23)] {
            for (kind, source) in sources(&bytes, declared) {
                runtime().block_on(async {
                    let mut reader = PartReader::open(source).await.unwrap();
                    let mut parts = Vec::new();
                    loop {
                        let part = reader.next(5).await.unwrap();
                        if part.is_empty() {
                            break;
                        }
                        parts.push(part);
                    }
                    let lens: Vec<usize> = parts.iter().map(Bytes::len).collect();
                    assert_eq!(lens, [5, 5, 5, 5, 3], "{kind}");
                    assert_eq!(parts.concat(), bytes, "{kind}");
                    assert_eq!(reader.read(), 23);
                });
            }
        }
    }

    #[test]
    fn at_end_reads_ahead_without_losing_a_byte() {
        let bytes: Vec<u8> = (0..10u8).collect();
        for (kind, source) in sources(&bytes, None) {
            runtime().block_on(async {
                let mut reader = PartReader::open(source).await.unwrap();
                assert_eq!(&reader.next(4).await.unwrap()[..], &bytes[..4], "{kind}");
                assert!(!reader.at_end().await.unwrap(), "{kind}");
                assert!(!reader.at_end().await.unwrap(), "asking twice: {kind}");
                assert_eq!(&reader.next(6).await.unwrap()[..], &bytes[4..], "{kind}");
                assert!(reader.at_end().await.unwrap(), "{kind}");
                assert!(reader.next(6).await.unwrap().is_empty(), "{kind}");
            });
        }
    }

    #[test]
    fn a_length_other_than_declared_is_an_error() {
        let bytes = vec![7u8; 10];
        for (declared, longer) in [(9, true), (11, false), (0, true)] {
            for (kind, source) in sources(&bytes, Some(declared)) {
                runtime().block_on(async {
                    let mut reader = PartReader::open(source).await.unwrap();
                    let err = loop {
                        match reader.next(4).await {
                            Ok(part) if part.is_empty() => {
                                break reader.at_end().await.unwrap_err();
                            }
                            Ok(_) => continue,
                            Err(err) => break err,
                        }
                    };
                    assert!(
                        matches!(err, UploadError::LengthMismatch { declared: d, longer: l, .. } if d == declared && l == longer),
                        "{kind}, declared {declared}: {err:?}"
                    );
                });
            }
        }
    }

    #[test]
    fn a_missing_file_is_a_source_error() {
        let err = runtime()
            .block_on(PartReader::open(Source::path("/nonexistent/liveblocks")))
            .err()
            .unwrap();
        assert!(
            matches!(&err, UploadError::Source(e) if e.kind() == io::ErrorKind::NotFound),
            "{err:?}"
        );
    }
}
