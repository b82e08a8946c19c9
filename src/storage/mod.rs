//! Editing a room's Storage through its CRDT, the way a connected client does:
//! [`Client::mutate_storage`] and [`Client::mass_mutate_storage`].
//!
//! Unlike [`initialize_storage_document`](crate::Client::initialize_storage_document), which
//! replaces the whole tree, or a JSON Patch, a mutation sends Storage ops, so the concurrent
//! edits of connected clients are kept: setting one field of a LiveObject touches that field
//! only, a pushed item lands at the end of the list whatever others pushed meanwhile.
//!
//! One mutation is three steps:
//! 1. `POST /v2/rooms/{roomId}/request-storage-mutation` answers the room's Storage as
//!    newline-delimited JSON (an actor number, then one line per node), read as it arrives into
//!    a local tree (`tree.rs`);
//! 2. the callback edits that tree through [`LiveObject`], [`LiveList`] and [`LiveMap`]
//!    (`live.rs`); each edit is applied locally at once (later reads see it) and recorded as an
//!    op (`ops.rs`), new nodes named `{actor}:{clock}`, new list positions made between the
//!    neighbours (`position.rs`);
//! 3. when the callback returns `Ok`, every op goes to `POST /v2/rooms/{roomId}/send-message` in
//!    one Storage-update message. When it returns `Err`, nothing is sent.
//!
//! ```no_run
//! # async fn run(client: liveblocks::Client) -> Result<(), liveblocks::Error> {
//! use liveblocks::storage::Lson;
//! use serde_json::json;
//! let count = client
//!     .mutate_storage("my-room", |root| {
//!         root.set("title", "Sprint 12");
//!         let mut todos = root.get_list("todos")?;
//!         todos.push(Lson::object([("text", json!("Ship it")), ("done", json!(false))]));
//!         Ok::<_, liveblocks::Error>(todos.len())
//!     })
//!     .await?;
//! println!("{count} todos");
//! # Ok(()) }
//! ```

mod error;
mod live;
mod ops;
pub(crate) mod position;
mod tree;

#[cfg(test)]
mod tests;

use std::sync::Arc;

use futures::{Stream, StreamExt as _, TryStreamExt as _};

pub use error::StorageError;
pub use live::{LiveList, LiveMap, LiveObject, Lson};

use crate::Client;
use crate::error::Error;
use crate::query::RoomQuery;
use crate::types;

/// The most rooms [`Client::mass_mutate_storage`] edits at once (the official SDK's bound too).
pub const MAX_CONCURRENCY: usize = 20;

/// The outcome of one room of [`Client::mass_mutate_storage`].
#[derive(Debug)]
pub struct RoomMutation<T, E> {
    /// The room, as the room list described it.
    pub room: types::Room,
    /// What the callback returned, or why the mutation failed.
    pub result: Result<T, E>,
}

impl Client {
    /// Reads the room's Storage, runs `mutation` on its root LiveObject, and sends the edits it
    /// made as Storage ops in one message; returns what `mutation` returned.
    ///
    /// Connected clients keep their concurrent edits (see the [module docs](crate::storage)).
    /// Nothing is sent when `mutation` returns `Err` or makes no edit.
    ///
    /// The callback is synchronous: it runs on the local copy of the tree, where every edit is
    /// applied at once, so there is nothing to wait for; and all of its edits then leave in a
    /// single message, which a callback suspended half-way through could not promise. Fetch
    /// what it needs before calling.
    ///
    /// `E` is any error type that a [`crate::Error`] converts into, so the callback can use `?`
    /// on the edits (a [`StorageError`] converts into [`crate::Error::Storage`]).
    ///
    /// ```no_run
    /// # async fn run(client: liveblocks::Client) -> Result<(), liveblocks::Error> {
    /// client
    ///     .mutate_storage("my-room", |root| {
    ///         let mut scores = root.get_map("scores")?;
    ///         let alice: u64 = scores.get_as("alice")?.unwrap_or(0);
    ///         scores.set("alice", alice + 1);
    ///         Ok::<_, liveblocks::Error>(())
    ///     })
    ///     .await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// What `mutation` returned; otherwise a [`crate::Error`] converted into `E`: the API's
    /// errors (a missing room is a 404), [`crate::Error::Storage`] when the answer is not a
    /// readable Storage tree ([`StorageError::NoStorage`], [`StorageError::MalformedLine`],
    /// [`StorageError::MissingParent`], [`StorageError::InvalidNode`]), transport and timeout
    /// errors.
    pub async fn mutate_storage<T, E, F>(&self, room_id: &str, mutation: F) -> Result<T, E>
    where
        F: FnOnce(&mut LiveObject<'_>) -> Result<T, E>,
        E: From<Error>,
    {
        let (mut doc, root) = self.read_storage_tree(room_id).await?;
        let value = mutation(&mut LiveObject {
            doc: &mut doc,
            ix: root,
        })?;
        if !doc.ops().is_empty() {
            let message = ops::update_message(doc.actor(), doc.ops());
            self.send_message()
                .room_id(room_id)
                .body(types::SendMessageRequestBody {
                    messages: vec![message],
                })
                .send()
                .await?;
        }
        Ok(value)
    }

    /// Runs [`mutate_storage`](Self::mutate_storage) on every room that `query` selects (all
    /// rooms for an empty query), at most `concurrency` rooms at a time, and yields each room's
    /// outcome as it finishes (not in list order). Rooms are read from the room list page by
    /// page as slots free up, never all collected first. One room's failure does not stop the
    /// others; an error listing the rooms is yielded as `Err` and ends the stream.
    ///
    /// ```no_run
    /// # async fn run(client: liveblocks::Client) -> Result<(), liveblocks::Error> {
    /// use futures::TryStreamExt;
    /// use liveblocks::query::RoomQuery;
    /// let mut outcomes = client.mass_mutate_storage(
    ///     RoomQuery::new().room_id_prefix("board:"),
    ///     |_room, root| {
    ///         root.set("archived", true);
    ///         Ok::<_, liveblocks::Error>(())
    ///     },
    ///     8,
    /// )?;
    /// while let Some(outcome) = outcomes.try_next().await? {
    ///     if let Err(e) = outcome.result {
    ///         eprintln!("{}: {e}", outcome.room.id);
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`crate::Error::InvalidArgument`] when `concurrency` is 0 or above
    /// [`MAX_CONCURRENCY`]; nothing is sent.
    pub fn mass_mutate_storage<'a, T, E, F>(
        &'a self,
        query: RoomQuery,
        mutation: F,
        concurrency: usize,
    ) -> Result<impl Stream<Item = Result<RoomMutation<T, E>, Error>> + 'a, Error>
    where
        F: Fn(&types::Room, &mut LiveObject<'_>) -> Result<T, E> + 'a,
        E: From<Error> + 'a,
        T: 'a,
    {
        if concurrency == 0 || concurrency > MAX_CONCURRENCY {
            return Err(Error::InvalidArgument(format!(
                "mass_mutate_storage: concurrency must be 1 to {MAX_CONCURRENCY}, not {concurrency}"
            )));
        }
        let mutation = Arc::new(mutation);
        let mut list = self.get_rooms();
        if !query.is_empty() {
            list = list.query(query);
        }
        Ok(list
            .stream()
            .map(move |room| {
                let mutation = Arc::clone(&mutation);
                async move {
                    let room = room?;
                    let result = self
                        .mutate_storage(&room.id, |root| mutation(&room, root))
                        .await;
                    Ok(RoomMutation { room, result })
                }
            })
            .buffer_unordered(concurrency))
    }

    /// Step 1: the Storage tree, read line by line as the answer arrives.
    async fn read_storage_tree(&self, room_id: &str) -> Result<(tree::Doc, tree::Ix), Error> {
        let answer = self
            .request_storage_mutation()
            .room_id(room_id)
            .send()
            .await?;
        if let Some(kind) = answer.headers().get(reqwest::header::CONTENT_TYPE) {
            let kind = String::from_utf8_lossy(kind.as_bytes());
            if !kind.contains("ndjson") {
                return Err(Error::InvalidResponse(format!(
                    "request_storage_mutation answered {kind:?}, not application/x-ndjson"
                )));
            }
        }
        let mut body = answer.into_inner();
        let mut reader = tree::Reader::default();
        while let Some(chunk) = body
            .try_next()
            .await
            .map_err(|e| Error::from_reqwest(e, 1, None, None))?
        {
            reader.feed(&chunk)?;
        }
        Ok(reader.finish()?)
    }
}
