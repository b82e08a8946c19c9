//! Helpers for a plain `Y.Text` shared at the root of the document under a name (what
//! `doc.getText(name)` reads in Yjs, and code editors bound with y-codemirror or y-monaco).
//!
//! Positions count in the unit of the document's offset kind: UTF-8 bytes for the documents
//! [`Yjs`](super::Yjs) builds (yrs's default). A position that is past the end, or inside a
//! character, is refused with [`YjsError::TextRange`] instead of reaching yrs.
//!
//! ```no_run
//! # async fn run(client: liveblocks::Client) -> Result<(), liveblocks::Error> {
//! use liveblocks::yjs::text;
//! client
//!     .yjs("my-room")
//!     .edit(|txn| {
//!         text::replace_all(txn, "notes", "A fresh start")?;
//!         text::insert(txn, "notes", 0, "> ")?;
//!         Ok::<_, liveblocks::Error>(())
//!     })
//!     .await?;
//! # Ok(()) }
//! ```

use yrs::{GetString as _, ReadTxn, Text as _, TransactionMut, WriteTxn as _};

use super::YjsError;

/// The text under `name`, or an empty string when the document has none.
///
/// ```
/// use yrs::{Text as _, Transact as _};
/// let doc = yrs::Doc::new();
/// let notes = doc.get_or_insert_text("notes");
/// notes.insert(&mut doc.transact_mut(), 0, "Hello");
/// assert_eq!(liveblocks::yjs::text::read(&doc.transact(), "notes"), "Hello");
/// assert_eq!(liveblocks::yjs::text::read(&doc.transact(), "other"), "");
/// ```
pub fn read<T: ReadTxn>(txn: &T, name: &str) -> String {
    txn.get_text(name)
        .map(|text| text.get_string(txn))
        .unwrap_or_default()
}

/// The length of the text under `name` (0 when there is none), in the document's unit.
///
/// ```
/// use yrs::Transact as _;
/// let doc = yrs::Doc::new();
/// let mut txn = doc.transact_mut();
/// liveblocks::yjs::text::insert(&mut txn, "notes", 0, "héllo")?;
/// assert_eq!(liveblocks::yjs::text::len(&txn, "notes"), 6);
/// # Ok::<_, liveblocks::yjs::YjsError>(())
/// ```
pub fn len<T: ReadTxn>(txn: &T, name: &str) -> u32 {
    txn.get_text(name).map(|text| text.len(txn)).unwrap_or(0)
}

/// Inserts `chunk` at `index` of the text under `name` (created when missing).
///
/// ```
/// use yrs::Transact as _;
/// let doc = yrs::Doc::new();
/// let mut txn = doc.transact_mut();
/// liveblocks::yjs::text::insert(&mut txn, "notes", 0, "world")?;
/// liveblocks::yjs::text::insert(&mut txn, "notes", 0, "hello ")?;
/// assert_eq!(liveblocks::yjs::text::read(&txn, "notes"), "hello world");
/// assert!(liveblocks::yjs::text::insert(&mut txn, "notes", 99, "!").is_err());
/// # Ok::<_, liveblocks::yjs::YjsError>(())
/// ```
///
/// # Errors
///
/// [`YjsError::TextRange`] when `index` is past the end or inside a character.
pub fn insert(
    txn: &mut TransactionMut<'_>,
    name: &str,
    index: u32,
    chunk: &str,
) -> Result<(), YjsError> {
    check_range(txn, name, index, index)?;
    if !chunk.is_empty() {
        txn.get_or_insert_text(name).insert(txn, index, chunk);
    }
    Ok(())
}

/// Deletes `len` units from `index` of the text under `name`.
///
/// ```
/// use yrs::Transact as _;
/// let doc = yrs::Doc::new();
/// let mut txn = doc.transact_mut();
/// liveblocks::yjs::text::insert(&mut txn, "notes", 0, "hello world")?;
/// liveblocks::yjs::text::delete(&mut txn, "notes", 5, 6)?;
/// assert_eq!(liveblocks::yjs::text::read(&txn, "notes"), "hello");
/// # Ok::<_, liveblocks::yjs::YjsError>(())
/// ```
///
/// # Errors
///
/// [`YjsError::TextRange`] when the range goes past the end or cuts a character.
pub fn delete(
    txn: &mut TransactionMut<'_>,
    name: &str,
    index: u32,
    len: u32,
) -> Result<(), YjsError> {
    let end = index.checked_add(len).ok_or(YjsError::TextRange {
        start: index,
        end: u32::MAX,
        len: self::len(txn, name),
    })?;
    check_range(txn, name, index, end)?;
    if len > 0 {
        txn.get_or_insert_text(name).remove_range(txn, index, len);
    }
    Ok(())
}

/// Replaces the whole text under `name` with `content` (created when missing). Concurrent
/// insertions by other clients survive (the CRDT keeps them), so the merged text may hold more
/// than `content`.
///
/// ```
/// use yrs::Transact as _;
/// let doc = yrs::Doc::new();
/// let mut txn = doc.transact_mut();
/// liveblocks::yjs::text::insert(&mut txn, "notes", 0, "draft")?;
/// liveblocks::yjs::text::replace_all(&mut txn, "notes", "final")?;
/// assert_eq!(liveblocks::yjs::text::read(&txn, "notes"), "final");
/// # Ok::<_, liveblocks::yjs::YjsError>(())
/// ```
///
/// # Errors
///
/// None in practice: the range it deletes is the whole text. The `Result` keeps the helpers
/// uniform.
pub fn replace_all(
    txn: &mut TransactionMut<'_>,
    name: &str,
    content: &str,
) -> Result<(), YjsError> {
    let old = len(txn, name);
    delete(txn, name, 0, old)?;
    insert(txn, name, 0, content)
}

/// Refuses `start..end` unless both ends are within the text and (for byte offsets) on a
/// character boundary.
fn check_range<T: ReadTxn>(txn: &T, name: &str, start: u32, end: u32) -> Result<(), YjsError> {
    let current = read(txn, name);
    let len = self::len(txn, name);
    let error = || YjsError::TextRange { start, end, len };
    if start > end || end > len {
        return Err(error());
    }
    // The text's length equals its UTF-8 length when the document counts bytes.
    if len as usize == current.len()
        && !(current.is_char_boundary(start as usize) && current.is_char_boundary(end as usize))
    {
        return Err(error());
    }
    Ok(())
}
