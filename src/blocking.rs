//! A blocking client for synchronous code: scripts, CLI tools, build scripts, synchronous web
//! frameworks and tests (cargo feature `blocking`, off by default).
//!
//! ```no_run
//! # fn main() -> Result<(), liveblocks::Error> {
//! let client = liveblocks::blocking::Client::new("sk_prod_xxxxxxxxxxxxxxxx")?;
//! let room = client.get_room().room_id("my-room").send()?;
//! println!("{} was created at {:?}", room.id, room.created_at);
//! for room in client.get_rooms().iter() {
//!     println!("{}", room?.id);
//! }
//! # Ok(()) }
//! ```
//!
//! [`Client`] has every operation of the async [`crate::Client`], with the same names,
//! parameters and return types; `send()` blocks instead of returning a future. The builders are
//! generated from the OpenAPI document like the async ones (see [`builder`]). Paginated lists
//! have `iter()`, an [`Iterator`] over `Result<T, Error>` ([`Paginated`]); binary bodies arrive
//! as a [`ByteStream`] that implements [`Iterator`] and [`std::io::Read`]; sessions and ID tokens
//! work through [`Client::prepare_session`] and [`Client::identify_user`].
//!
//! The client owns a small current-thread Tokio runtime and runs each request on it. Blocking a
//! thread that runs an async runtime would stall that runtime (or deadlock it when the server
//! the request waits for runs on it), so creating or using the blocking client on such a thread
//! (inside an `async fn`, `#[tokio::main]`, or `tokio::task::spawn_blocking`, which also runs
//! inside the runtime's context) returns [`Error::BlockingInAsyncContext`] and sends nothing.
//! In async code, use [`crate::Client`]; to call synchronous code that uses this client from
//! async code, give it a thread of its own (`std::thread::spawn`).
//!
//! A clone shares the connection pool and the runtime; clones may be used from several threads
//! at once.

use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures::{Stream, StreamExt};

use crate::error::Error;
use crate::retry::RetryPolicy;
use crate::session::AuthToken;
use crate::storage::RoomMutation;
use crate::types::{self, Permission};
use crate::{ClientBuilder as AsyncClientBuilder, ResponseValue};

#[allow(
    clippy::all,
    clippy::pedantic,
    unused_imports,
    dead_code,
    unreachable_pub,
    rustdoc::all
)]
// Links in the generated docs must resolve (`cargo doc` with `-D warnings` checks them).
#[warn(rustdoc::broken_intra_doc_links, rustdoc::private_intra_doc_links)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/blocking.rs"));
}

pub use generated::builder;

/// Refuses to block a thread that runs an async runtime.
fn ensure_sync_context() -> Result<(), Error> {
    if tokio::runtime::Handle::try_current().is_ok() {
        Err(Error::BlockingInAsyncContext)
    } else {
        Ok(())
    }
}

/// The runtime a [`Client`] and its clones share.
struct Runtime(Option<tokio::runtime::Runtime>);

impl Runtime {
    fn new() -> Result<Self, Error> {
        ensure_sync_context()?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| {
                Error::Config(format!(
                    "could not start the runtime of the blocking client: {e}"
                ))
            })?;
        Ok(Runtime(Some(runtime)))
    }

    fn block_on<F: Future>(&self, future: F) -> Result<F::Output, Error> {
        ensure_sync_context()?;
        match &self.0 {
            Some(runtime) => Ok(runtime.block_on(future)),
            // Only `drop` takes the runtime out.
            None => Err(Error::Config("the blocking client was shut down".into())),
        }
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        // Dropping a runtime waits for its blocking tasks, which Tokio forbids (by panicking)
        // inside an async context; there, let them finish in the background instead.
        if let Some(runtime) = self.0.take()
            && tokio::runtime::Handle::try_current().is_ok()
        {
            runtime.shutdown_background();
        }
    }
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("current-thread runtime")
    }
}

/// The blocking counterpart of [`crate::Client`]: every operation is a method returning a
/// request builder whose `send()` blocks. See the [module documentation](self).
#[derive(Clone)]
pub struct Client {
    inner: crate::Client,
    runtime: Arc<Runtime>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("blocking::Client")
            .field("client", &self.inner)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for the hosted API with a project secret key (`sk_...`).
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the key does not look like a secret key;
    /// [`Error::BlockingInAsyncContext`] on a thread that runs an async runtime.
    pub fn new(secret_key: &str) -> Result<Client, Error> {
        Client::builder().secret_key(secret_key).build()
    }

    /// A builder for every setting, the same as [`crate::Client::builder`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder(crate::Client::builder())
    }

    /// A client configured from the environment, like [`crate::Client::from_env`].
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when no credential is set or a value is invalid;
    /// [`Error::BlockingInAsyncContext`] on a thread that runs an async runtime.
    pub fn from_env() -> Result<Client, Error> {
        ensure_sync_context()?;
        Client::from_async(crate::Client::from_env()?)
    }

    /// Wraps an async client (sharing its configuration and connection pool) with a runtime of
    /// its own.
    ///
    /// # Errors
    ///
    /// [`Error::BlockingInAsyncContext`] on a thread that runs an async runtime;
    /// [`Error::Config`] when the runtime cannot be started.
    pub fn from_async(client: crate::Client) -> Result<Client, Error> {
        Ok(Client {
            inner: client,
            runtime: Arc::new(Runtime::new()?),
        })
    }

    /// The async client this one wraps.
    pub fn as_async(&self) -> &crate::Client {
        &self.inner
    }

    /// The base URL requests go to (without a trailing slash).
    pub fn base_url(&self) -> &str {
        self.inner.base_url()
    }

    /// Prepares an access token for `user_id`, like [`crate::Client::prepare_session`]: add rooms
    /// with [`Session::allow`], then [`Session::authorize`].
    pub fn prepare_session(&self, user_id: impl Into<String>) -> Session<'_> {
        Session {
            inner: self.inner.prepare_session(user_id),
            client: self,
        }
    }

    /// Prepares an ID token for `user_id`, like [`crate::Client::identify_user`]: set groups,
    /// user info and organization, then [`IdentifyUser::authorize`].
    pub fn identify_user(&self, user_id: impl Into<String>) -> IdentifyUser<'_> {
        IdentifyUser {
            inner: self.inner.identify_user(user_id),
            client: self,
        }
    }

    /// Edits the room's Storage through its CRDT: the blocking counterpart of
    /// [`crate::Client::mutate_storage`] (same callback, same rules: nothing is sent when it
    /// returns `Err`).
    ///
    /// ```no_run
    /// # fn run(client: liveblocks::blocking::Client) -> Result<(), liveblocks::Error> {
    /// client.mutate_storage("my-room", |root| {
    ///     root.get_list("todos")?.push("ship it");
    ///     Ok::<_, liveblocks::Error>(())
    /// })?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// Those of [`crate::Client::mutate_storage`], and [`Error::BlockingInAsyncContext`].
    pub fn mutate_storage<T, E, F>(&self, room_id: &str, mutation: F) -> Result<T, E>
    where
        F: FnOnce(&mut crate::storage::LiveObject<'_>) -> Result<T, E>,
        E: From<Error>,
    {
        self.runtime
            .block_on(self.inner.mutate_storage(room_id, mutation))
            .map_err(E::from)?
    }

    /// Edits every room a query selects: the blocking counterpart of
    /// [`crate::Client::mass_mutate_storage`], as an iterator of per-room outcomes. Up to
    /// `concurrency` rooms are in progress while the iterator is advanced.
    ///
    /// ```no_run
    /// # fn run(client: liveblocks::blocking::Client) -> Result<(), liveblocks::Error> {
    /// use liveblocks::query::RoomQuery;
    /// let outcomes = client.mass_mutate_storage(
    ///     RoomQuery::new().room_id_prefix("board:"),
    ///     |_room, root| {
    ///         root.set("archived", true);
    ///         Ok::<_, liveblocks::Error>(())
    ///     },
    ///     4,
    /// )?;
    /// for outcome in outcomes {
    ///     let outcome = outcome?;
    ///     println!("{}: {:?}", outcome.room.id, outcome.result);
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for a `concurrency` out of range (see the async method).
    pub fn mass_mutate_storage<'a, T, E, F>(
        &'a self,
        query: crate::query::RoomQuery,
        mutation: F,
        concurrency: usize,
    ) -> Result<MassMutation<'a, T, E>, Error>
    where
        F: Fn(&types::Room, &mut crate::storage::LiveObject<'_>) -> Result<T, E> + 'a,
        E: From<Error> + 'a,
        T: 'a,
    {
        let stream = self
            .inner
            .mass_mutate_storage(query, mutation, concurrency)?;
        Ok(MassMutation {
            inner: Box::pin(stream),
            client: self,
            done: false,
        })
    }

    /// Runs any future on the runtime (for calls whose error type is not [`Error`]).
    pub(crate) fn block_on<F: Future>(&self, future: F) -> Result<F::Output, Error> {
        self.runtime.block_on(future)
    }

    /// Runs one request on the runtime.
    pub(crate) fn run<T>(
        &self,
        future: impl Future<Output = Result<T, Error>>,
    ) -> Result<T, Error> {
        self.runtime.block_on(future)?
    }

    /// A binary response whose body is read on this client's runtime.
    pub(crate) fn byte_stream(
        &self,
        value: ResponseValue<crate::ByteStream>,
    ) -> ResponseValue<ByteStream> {
        let status = value.status();
        let headers = value.headers().clone();
        let stream = ByteStream {
            inner: value.into_inner().into_inner(),
            runtime: Arc::clone(&self.runtime),
            pending: Bytes::new(),
            done: false,
        };
        ResponseValue::new(stream, status, headers)
    }
}

impl TryFrom<crate::Client> for Client {
    type Error = Error;

    /// See [`Client::from_async`].
    fn try_from(client: crate::Client) -> Result<Client, Error> {
        Client::from_async(client)
    }
}

/// Builds a blocking [`Client`]; the settings are those of [`crate::ClientBuilder`]. Obtain one
/// with [`Client::builder`], or convert an async builder with `From`.
///
/// ```no_run
/// # fn main() -> Result<(), liveblocks::Error> {
/// let client = liveblocks::blocking::Client::builder()
///     .secret_key("sk_prod_xxxxxxxxxxxxxxxx")
///     .timeout(std::time::Duration::from_secs(10))
///     .build()?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct ClientBuilder(AsyncClientBuilder);

impl From<AsyncClientBuilder> for ClientBuilder {
    fn from(builder: AsyncClientBuilder) -> Self {
        ClientBuilder(builder)
    }
}

macro_rules! forward_settings {
    ($( $name:ident($arg:ident: $ty:ty) ),* $(,)?) => {
        $(
            #[doc = concat!("Like [`crate::ClientBuilder::", stringify!($name), "`].")]
            pub fn $name(self, $arg: $ty) -> Self {
                ClientBuilder(self.0.$name($arg))
            }
        )*
    };
}

impl ClientBuilder {
    forward_settings! {
        secret_key(secret: impl Into<String>),
        management_token(token: impl Into<String>),
        base_url(url: impl Into<String>),
        timeout(timeout: Duration),
        attempt_timeout(timeout: Duration),
        connect_timeout(timeout: Duration),
        user_agent(user_agent: impl Into<String>),
        max_retries(retries: u32),
        retry_base_delay(delay: Duration),
        retry_max_delay(delay: Duration),
        retry_policy(policy: RetryPolicy),
        http_client(client: reqwest::Client),
    }

    /// Checks the settings, starts the runtime and builds the client. No request is sent.
    ///
    /// # Errors
    ///
    /// The errors of [`crate::ClientBuilder::build`]; [`Error::BlockingInAsyncContext`] on a
    /// thread that runs an async runtime.
    pub fn build(self) -> Result<Client, Error> {
        ensure_sync_context()?;
        Client::from_async(self.0.build()?)
    }
}

/// The blocking counterpart of [`crate::Session`]; see [`Client::prepare_session`].
#[derive(Debug)]
#[must_use = "a session does nothing until .authorize()"]
pub struct Session<'a> {
    inner: crate::Session<'a>,
    client: &'a Client,
}

impl Session<'_> {
    /// Public information about the user; see [`crate::Session::user_info`].
    pub fn user_info(self, info: serde_json::Value) -> Self {
        Session {
            inner: self.inner.user_info(info),
            client: self.client,
        }
    }

    /// The organization (workspace) the token is for.
    pub fn organization_id(self, organization_id: impl Into<String>) -> Self {
        Session {
            inner: self.inner.organization_id(organization_id),
            client: self.client,
        }
    }

    /// Grants `permissions` on a room ID or pattern; see [`crate::Session::allow`].
    pub fn allow(
        self,
        room_id_or_pattern: impl Into<String>,
        permissions: impl IntoIterator<Item = Permission>,
    ) -> Self {
        Session {
            inner: self.inner.allow(room_id_or_pattern, permissions),
            client: self.client,
        }
    }

    /// Validates the session and asks Liveblocks for the access token, blocking until it
    /// arrives; see [`crate::Session::authorize`].
    ///
    /// # Errors
    ///
    /// [`Error::Session`] when a rule was broken (nothing is sent),
    /// [`Error::BlockingInAsyncContext`], or any error of the request.
    pub fn authorize(self) -> Result<AuthToken, Error> {
        self.client.run(self.inner.authorize())
    }
}

/// The blocking counterpart of [`crate::IdentifyUser`]; see [`Client::identify_user`].
#[derive(Debug)]
#[must_use = "an ID-token request does nothing until .authorize()"]
pub struct IdentifyUser<'a> {
    inner: crate::IdentifyUser<'a>,
    client: &'a Client,
}

impl IdentifyUser<'_> {
    /// The groups the user belongs to.
    pub fn group_ids<S: Into<String>>(self, group_ids: impl IntoIterator<Item = S>) -> Self {
        IdentifyUser {
            inner: self.inner.group_ids(group_ids),
            client: self.client,
        }
    }

    /// Public information about the user; see [`crate::Session::user_info`].
    pub fn user_info(self, info: serde_json::Value) -> Self {
        IdentifyUser {
            inner: self.inner.user_info(info),
            client: self.client,
        }
    }

    /// The organization (workspace) the token is for.
    pub fn organization_id(self, organization_id: impl Into<String>) -> Self {
        IdentifyUser {
            inner: self.inner.organization_id(organization_id),
            client: self.client,
        }
    }

    /// Asks Liveblocks for the ID token, blocking until it arrives.
    ///
    /// # Errors
    ///
    /// [`Error::Session`] for an empty user ID (nothing is sent),
    /// [`Error::BlockingInAsyncContext`], or any error of the request.
    pub fn authorize(self) -> Result<AuthToken, Error> {
        self.client.run(self.inner.authorize())
    }
}

/// A lazily paginated list as an [`Iterator`] of `Result<T, Error>`: the blocking counterpart
/// of [`crate::pagination::Paginated`], returned by `iter()` on the builders of list operations.
/// Each page is requested when the items before it have been consumed; an error is yielded
/// once and ends the iteration.
///
/// ```no_run
/// # fn run(client: liveblocks::blocking::Client) -> Result<(), liveblocks::Error> {
/// for room in client.get_rooms().iter().page_size(50) {
///     println!("{}", room?.id);
/// }
/// # Ok(()) }
/// ```
#[must_use = "iterators do nothing unless advanced"]
pub struct Paginated<'a, T> {
    inner: crate::pagination::Paginated<'a, T>,
    client: &'a Client,
    done: bool,
}

impl<'a, T: Send + 'a> Paginated<'a, T> {
    pub(crate) fn new(inner: crate::pagination::Paginated<'a, T>, client: &'a Client) -> Self {
        Paginated {
            inner,
            client,
            done: false,
        }
    }

    /// Items per request; see [`crate::pagination::Paginated::page_size`].
    pub fn page_size(self, size: u32) -> Self {
        Paginated {
            inner: self.inner.page_size(size),
            ..self
        }
    }

    /// Whether to request page N+1 as soon as page N arrives (default `true`). With the
    /// blocking client the early request only progresses while the iterator is advanced.
    pub fn read_ahead(self, enabled: bool) -> Self {
        Paginated {
            inner: self.inner.read_ahead(enabled),
            ..self
        }
    }

    /// An iterator of whole pages instead of items.
    pub fn pages(self) -> Pages<'a, T> {
        Pages {
            inner: self.inner.pages(),
            client: self.client,
            done: false,
        }
    }

    /// Fetches every page and collects every item.
    ///
    /// # Errors
    ///
    /// The first error of any page request, or [`Error::BlockingInAsyncContext`].
    pub fn try_collect_all(self) -> Result<Vec<T>, Error> {
        self.collect()
    }
}

/// Advances `stream` by one item on the client's runtime; `done` records the end.
fn next_blocking<S, T>(stream: &mut S, client: &Client, done: &mut bool) -> Option<Result<T, Error>>
where
    S: futures::Stream<Item = Result<T, Error>> + Unpin,
{
    if *done {
        return None;
    }
    match client.runtime.block_on(stream.next()) {
        Ok(Some(item)) => Some(item),
        Ok(None) => {
            *done = true;
            None
        }
        Err(e) => {
            *done = true;
            Some(Err(e))
        }
    }
}

impl<'a, T: Send + 'a> Iterator for Paginated<'a, T> {
    type Item = Result<T, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        next_blocking(&mut self.inner, self.client, &mut self.done)
    }
}

impl<T> fmt::Debug for Paginated<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("blocking::Paginated")
            .field("inner", &self.inner)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

/// The per-room outcomes of [`Client::mass_mutate_storage`], as an [`Iterator`]; an error
/// listing the rooms is yielded once and ends it.
#[must_use = "iterators do nothing unless advanced"]
pub struct MassMutation<'a, T, E> {
    #[allow(clippy::type_complexity)]
    inner: Pin<Box<dyn Stream<Item = Result<RoomMutation<T, E>, Error>> + 'a>>,
    client: &'a Client,
    done: bool,
}

impl<T, E> Iterator for MassMutation<'_, T, E> {
    type Item = Result<RoomMutation<T, E>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        next_blocking(&mut self.inner, self.client, &mut self.done)
    }
}

impl<T, E> fmt::Debug for MassMutation<'_, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("blocking::MassMutation")
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

/// A lazily paginated list as an [`Iterator`] of whole pages (`Result<Vec<T>, Error>`); see
/// [`Paginated::pages`].
#[must_use = "iterators do nothing unless advanced"]
pub struct Pages<'a, T> {
    inner: crate::pagination::Pages<'a, T>,
    client: &'a Client,
    done: bool,
}

impl<T> Iterator for Pages<'_, T> {
    type Item = Result<Vec<T>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        next_blocking(&mut self.inner, self.client, &mut self.done)
    }
}

impl<T> fmt::Debug for Pages<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("blocking::Pages")
            .field("inner", &self.inner)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

type InnerByteStream = std::pin::Pin<
    Box<dyn futures::Stream<Item = Result<Bytes, reqwest::Error>> + Send + Sync + 'static>,
>;

/// A binary response body read as it is consumed: an [`Iterator`] of chunks and an
/// [`io::Read`]. Returned by the blocking `send()` of operations with a binary or text body
/// (e.g. `get_yjs_document_as_binary_update`).
pub struct ByteStream {
    inner: InnerByteStream,
    runtime: Arc<Runtime>,
    /// Bytes received but not yet handed out (a partial `read`).
    pending: Bytes,
    done: bool,
}

impl ByteStream {
    /// Reads the rest of the body into memory.
    ///
    /// # Errors
    ///
    /// A transport or timeout error while reading, or [`Error::BlockingInAsyncContext`].
    pub fn bytes(self) -> Result<Bytes, Error> {
        let mut chunks = Vec::new();
        for chunk in self {
            chunks.push(chunk?);
        }
        Ok(match chunks.len() {
            0 => Bytes::new(),
            1 => chunks.swap_remove(0),
            _ => Bytes::from(chunks.concat()),
        })
    }
}

impl Iterator for ByteStream {
    type Item = Result<Bytes, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if !self.pending.is_empty() {
            return Some(Ok(std::mem::take(&mut self.pending)));
        }
        if self.done {
            return None;
        }
        let next = match self.runtime.block_on(self.inner.next()) {
            Ok(Some(Ok(chunk))) => return Some(Ok(chunk)),
            Ok(Some(Err(e))) => Error::from_reqwest(e, 1, None, None),
            Ok(None) => {
                self.done = true;
                return None;
            }
            Err(e) => e,
        };
        self.done = true;
        Some(Err(next))
    }
}

impl io::Read for ByteStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        while self.pending.is_empty() {
            match self.next() {
                Some(Ok(chunk)) => self.pending = chunk,
                Some(Err(e)) => return Err(io::Error::other(e)),
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.pending.len());
        buf[..n].copy_from_slice(&self.pending.split_to(n));
        Ok(n)
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("blocking::ByteStream")
            .field("pending", &self.pending.len())
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}
