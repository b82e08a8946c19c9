//! Editing a room's Yjs document on the server with [`yrs`] (the Rust port of Yjs, wire
//! compatible with it): [`Client::yjs`] (cargo feature `yrs`).
//!
//! [`Yjs::load`] builds a [`yrs::Doc`] from the room's document (one binary update from
//! `GET /v2/rooms/{roomId}/ydoc-binary`). [`Yjs::edit`] loads it, notes its state vector, runs
//! the caller's closure in one transaction, and sends only what the closure added (the update
//! against the loaded state vector, Yjs update encoding v1, the one
//! `PUT /v2/rooms/{roomId}/ydoc` reads by default) — never the whole document, so what connected
//! clients write meanwhile is merged by the CRDT, not erased.
//!
//! [`text`] and [`prosemirror`] hold helpers for the common layouts: a plain `Y.Text`, and a
//! `Y.XmlFragment` of paragraphs as y-prosemirror (Tiptap, BlockNote) writes it.
//!
//! ```no_run
//! # async fn run(client: liveblocks::Client) -> Result<(), liveblocks::Error> {
//! use liveblocks::yjs::{prosemirror, text};
//! use yrs::Transact as _;
//! // A plain text shared as `Y.Text` under the name "notes".
//! client
//!     .yjs("my-room")
//!     .edit(|txn| {
//!         text::insert(txn, "notes", 0, "Agenda: ")?;
//!         Ok::<_, liveblocks::Error>(())
//!     })
//!     .await?;
//! // A Tiptap document (fragment "default"): one more paragraph at the end.
//! client
//!     .yjs("my-room")
//!     .edit(|txn| {
//!         prosemirror::append_paragraph(txn, "default", "Written by the server");
//!         Ok::<_, liveblocks::Error>(())
//!     })
//!     .await?;
//! let doc = client.yjs("my-room").load().await?;
//! println!("{:?}", prosemirror::paragraphs(&doc.transact(), "default"));
//! # Ok(()) }
//! ```

mod error;
pub mod prosemirror;
pub mod text;

#[cfg(test)]
mod tests;

use futures::TryStreamExt as _;
use yrs::updates::decoder::Decode as _;
use yrs::{Doc, ReadTxn as _, StateVector, Transact as _, TransactionMut, Update};

pub use error::YjsError;

use crate::Client;
use crate::error::Error;

/// A room's Yjs document (or one of its subdocuments), from [`Client::yjs`].
#[derive(Debug, Clone)]
pub struct Yjs<'c> {
    client: &'c Client,
    room_id: String,
    guid: Option<String>,
}

impl Client {
    /// The Yjs document of `room_id`, to [`load`](Yjs::load) or [`edit`](Yjs::edit)
    /// (cargo feature `yrs`). Nothing is sent until one of those is awaited.
    ///
    /// ```no_run
    /// # async fn run(client: liveblocks::Client) -> Result<(), liveblocks::Error> {
    /// use yrs::{GetString as _, ReadTxn as _, Transact as _};
    /// let doc = client.yjs("my-room").load().await?;
    /// let txn = doc.transact();
    /// if let Some(notes) = txn.get_text("notes") {
    ///     println!("{}", notes.get_string(&txn));
    /// }
    /// # Ok(()) }
    /// ```
    pub fn yjs(&self, room_id: impl Into<String>) -> Yjs<'_> {
        Yjs {
            client: self,
            room_id: room_id.into(),
            guid: None,
        }
    }
}

impl<'c> Yjs<'c> {
    /// Targets the subdocument `guid` of the room instead of its main document (the `guid`
    /// query parameter of both operations).
    ///
    /// ```no_run
    /// # async fn run(client: liveblocks::Client) -> Result<(), liveblocks::Error> {
    /// let chapter = client.yjs("book").guid("chapter-1").load().await?;
    /// # let _ = chapter; Ok(()) }
    /// ```
    #[must_use]
    pub fn guid(mut self, guid: impl Into<String>) -> Self {
        self.guid = Some(guid.into());
        self
    }

    /// The room's ID.
    pub fn room_id(&self) -> &str {
        &self.room_id
    }

    /// Builds a [`yrs::Doc`] from the room's document.
    ///
    /// ```no_run
    /// # async fn run(client: liveblocks::Client) -> Result<(), liveblocks::Error> {
    /// use yrs::Transact as _;
    /// let doc = client.yjs("my-room").load().await?;
    /// println!("{}", liveblocks::yjs::text::read(&doc.transact(), "notes"));
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Yjs`] with [`YjsError::NoDocument`] when the room has no Yjs document yet (the
    /// server answers an empty update), [`YjsError::Decode`] or [`YjsError::Apply`] when the
    /// bytes are not a Yjs update; the API's errors (404 for a room that does not exist),
    /// transport and timeout errors.
    pub async fn load(&self) -> Result<Doc, Error> {
        let (doc, _) = self.load_doc().await?;
        if doc.transact().state_vector().is_empty() {
            return Err(YjsError::NoDocument {
                room_id: self.room_id.clone(),
                guid: self.guid.clone(),
            }
            .into());
        }
        Ok(doc)
    }

    /// Loads the room's document, runs `edit` on it in one transaction and, when the
    /// transaction changed something, sends only those changes (the update against the state
    /// vector of the loaded document); returns what `edit` returned.
    ///
    /// A room without a Yjs document yet is edited from an empty document, so this also seeds
    /// one. Nothing is sent when `edit` returns `Err` or changes nothing. Each call edits as a
    /// new Yjs client (a fresh random client ID), like a browser opening the document.
    ///
    /// `E` is any error type that a [`crate::Error`] converts into, so the closure can use `?`
    /// on the helpers (a [`YjsError`] converts into [`crate::Error::Yjs`]).
    ///
    /// ```no_run
    /// # async fn run(client: liveblocks::Client) -> Result<(), liveblocks::Error> {
    /// use yrs::{Text as _, WriteTxn as _};
    /// let len = client
    ///     .yjs("my-room")
    ///     .edit(|txn| {
    ///         let notes = txn.get_or_insert_text("notes");
    ///         notes.push(txn, "\nAdded by the nightly import.");
    ///         Ok::<_, liveblocks::Error>(liveblocks::yjs::text::len(txn, "notes"))
    ///     })
    ///     .await?;
    /// println!("{len}");
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// What `edit` returned; otherwise a [`crate::Error`] converted into `E`: the errors of
    /// [`load`](Self::load) but [`YjsError::NoDocument`], and those of sending the update.
    pub async fn edit<T, E, F>(&self, edit: F) -> Result<T, E>
    where
        F: FnOnce(&mut TransactionMut<'_>) -> Result<T, E>,
        E: From<Error>,
    {
        let (doc, loaded) = self.load_doc().await?;
        let (value, delta) = {
            let mut txn = doc.transact_mut();
            let value = edit(&mut txn)?;
            let changed = txn.state_vector() != loaded || !txn.delete_set().is_empty();
            let delta = changed.then(|| txn.encode_state_as_update_v1(&loaded));
            (value, delta)
        };
        if let Some(delta) = delta {
            self.send(delta).await?;
        }
        Ok(value)
    }

    /// Sends a Yjs update (encoding v1) to the room's document as it is.
    ///
    /// ```no_run
    /// # async fn run(client: liveblocks::Client) -> Result<(), liveblocks::Error> {
    /// use yrs::{ReadTxn as _, StateVector, Text as _, Transact as _};
    /// let doc = yrs::Doc::new();
    /// let notes = doc.get_or_insert_text("notes");
    /// notes.insert(&mut doc.transact_mut(), 0, "Seeded");
    /// let update = doc.transact().encode_state_as_update_v1(&StateVector::default());
    /// client.yjs("my-room").send(update).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// The API's errors (404 for a room that does not exist, 422 for bytes it cannot apply),
    /// transport and timeout errors.
    pub async fn send(&self, update: Vec<u8>) -> Result<(), Error> {
        let mut request = self
            .client
            .send_yjs_binary_update()
            .room_id(&self.room_id)
            .body(update);
        if let Some(guid) = &self.guid {
            request = request.guid(guid);
        }
        request.send().await?;
        Ok(())
    }

    /// Fetches the document's update and applies it to a new `Doc`; returns it with its state
    /// vector.
    async fn load_doc(&self) -> Result<(Doc, StateVector), Error> {
        let bytes = self.fetch().await?;
        let doc = self.decode(&bytes)?;
        let sv = doc.transact().state_vector();
        Ok((doc, sv))
    }

    async fn fetch(&self) -> Result<Vec<u8>, Error> {
        let mut request = self
            .client
            .get_yjs_document_as_binary_update()
            .room_id(&self.room_id);
        if let Some(guid) = &self.guid {
            request = request.guid(guid);
        }
        let response = request.send().await?;
        let status = response.status();
        response
            .into_inner()
            .into_inner()
            .map_ok(|chunk| chunk.to_vec())
            .try_concat()
            .await
            .map_err(|e| Error::from_reqwest(e, 1, Some(status), None))
    }

    /// A new `Doc` holding the update `bytes` (an empty body counts as an empty document).
    ///
    /// yrs 0.28 refuses most bad bytes with an error but panics on some damaged updates (an
    /// assertion in its block decoder), so decoding and applying run under `catch_unwind` and a
    /// panic becomes [`YjsError::Decode`]; the `Doc` it left half-built is dropped.
    fn decode(&self, bytes: &[u8]) -> Result<Doc, YjsError> {
        let decode_error = |message: String| YjsError::Decode {
            room_id: self.room_id.clone(),
            guid: self.guid.clone(),
            message,
        };
        let doc = Doc::new();
        if bytes.is_empty() {
            return Ok(doc);
        }
        let applied = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let update = Update::decode_v1(bytes).map_err(|e| decode_error(e.to_string()))?;
            doc.transact_mut()
                .apply_update(update)
                .map_err(|e| YjsError::Apply {
                    room_id: self.room_id.clone(),
                    guid: self.guid.clone(),
                    message: e.to_string(),
                })
        }));
        match applied {
            Ok(Ok(())) => Ok(doc),
            Ok(Err(error)) => Err(error),
            Err(panic) => Err(decode_error(format!(
                "yrs panicked while decoding it ({})",
                panic_message(panic.as_ref())
            ))),
        }
    }
}

/// The text of a panic's payload.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("no message")
}
