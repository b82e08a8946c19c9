//! Helpers for a `Y.XmlFragment` laid out the way y-prosemirror writes it (the binding of
//! Tiptap and BlockNote): the fragment's children are the top-level blocks, each a
//! `Y.XmlElement` named after its node type (`paragraph`, `heading`, ...) whose children are
//! `Y.XmlText` runs (marks are formatting attributes on the text).
//!
//! The fragment's name is the editor's: Tiptap's Collaboration extension uses `"default"`
//! unless told otherwise, y-prosemirror's own examples `"prosemirror"`. Other layouts are
//! edited with `yrs` directly in the same [`edit`](super::Yjs::edit) closure; the README's
//! guide says how to find a layout.
//!
//! ```no_run
//! # async fn run(client: liveblocks::Client) -> Result<(), liveblocks::Error> {
//! use liveblocks::yjs::prosemirror;
//! client
//!     .yjs("my-room")
//!     .edit(|txn| {
//!         let last = prosemirror::append_paragraph(txn, "default", "Summary: all done.");
//!         prosemirror::replace_paragraph_text(txn, "default", 0, "Status report")?;
//!         Ok::<_, liveblocks::Error>(last)
//!     })
//!     .await?;
//! # Ok(()) }
//! ```

use yrs::types::xml::{XmlElementPrelim, XmlOut, XmlTextPrelim};
use yrs::{
    GetString as _, ReadTxn, Text as _, TextRef, TransactionMut, WriteTxn as _, XmlFragment as _,
};

use super::YjsError;

/// The node type y-prosemirror gives a paragraph.
pub const PARAGRAPH: &str = "paragraph";

/// The plain text of each top-level block of the fragment `fragment` (empty when the document
/// has no such fragment). A block's text is the text of all its runs and nested elements, in
/// order; marks are dropped.
///
/// ```
/// use yrs::Transact as _;
/// use liveblocks::yjs::prosemirror;
/// let doc = yrs::Doc::new();
/// let mut txn = doc.transact_mut();
/// prosemirror::append_paragraph(&mut txn, "default", "One");
/// prosemirror::append_paragraph(&mut txn, "default", "Two");
/// assert_eq!(prosemirror::paragraphs(&txn, "default"), ["One", "Two"]);
/// ```
pub fn paragraphs<T: ReadTxn>(txn: &T, fragment: &str) -> Vec<String> {
    let Some(fragment) = txn.get_xml_fragment(fragment) else {
        return Vec::new();
    };
    fragment
        .children(txn)
        .map(|node| plain_text(txn, &node))
        .collect()
}

/// Appends a paragraph holding `text` (an empty paragraph for `""`) to the fragment
/// `fragment` (created when missing); returns its index.
///
/// ```
/// use yrs::Transact as _;
/// use liveblocks::yjs::prosemirror;
/// let doc = yrs::Doc::new();
/// let mut txn = doc.transact_mut();
/// assert_eq!(prosemirror::append_paragraph(&mut txn, "default", "First"), 0);
/// assert_eq!(prosemirror::append_paragraph(&mut txn, "default", ""), 1);
/// ```
pub fn append_paragraph(txn: &mut TransactionMut<'_>, fragment: &str, text: &str) -> u32 {
    let fragment = txn.get_or_insert_xml_fragment(fragment);
    let index = fragment.len(txn);
    let paragraph = if text.is_empty() {
        XmlElementPrelim::empty(PARAGRAPH)
    } else {
        XmlElementPrelim::new(PARAGRAPH, [XmlTextPrelim::new(text).into()])
    };
    fragment.insert(txn, index, paragraph);
    index
}

/// Replaces the text of the block at `index` of the fragment `fragment` with `text`, keeping
/// the block (its node type and attributes: a heading stays a heading). A block holding one
/// text run keeps that run (concurrent insertions into it survive); its marks are dropped.
///
/// ```
/// use yrs::Transact as _;
/// use liveblocks::yjs::prosemirror;
/// let doc = yrs::Doc::new();
/// let mut txn = doc.transact_mut();
/// prosemirror::append_paragraph(&mut txn, "default", "Draft");
/// prosemirror::replace_paragraph_text(&mut txn, "default", 0, "Final")?;
/// assert_eq!(prosemirror::paragraphs(&txn, "default"), ["Final"]);
/// assert!(prosemirror::replace_paragraph_text(&mut txn, "default", 5, "?").is_err());
/// # Ok::<_, liveblocks::yjs::YjsError>(())
/// ```
///
/// # Errors
///
/// [`YjsError::ParagraphIndex`] when there is no block at `index`; [`YjsError::NotAParagraph`]
/// when the node there is not an element, or holds other elements (a list, a table: edit those
/// with `yrs` directly).
pub fn replace_paragraph_text(
    txn: &mut TransactionMut<'_>,
    fragment: &str,
    index: u32,
    text: &str,
) -> Result<(), YjsError> {
    let fragment = txn.get_or_insert_xml_fragment(fragment);
    let len = fragment.len(txn);
    let node = fragment
        .get(txn, index)
        .ok_or(YjsError::ParagraphIndex { index, len })?;
    let element = match node {
        XmlOut::Element(element) => element,
        XmlOut::Text(_) => {
            return Err(YjsError::NotAParagraph {
                index,
                found: "a text node".into(),
            });
        }
        XmlOut::Fragment(_) => {
            return Err(YjsError::NotAParagraph {
                index,
                found: "a nested fragment".into(),
            });
        }
    };
    let runs: Vec<XmlOut> = element.children(txn).collect();
    if runs.iter().any(|run| !matches!(run, XmlOut::Text(_))) {
        return Err(YjsError::NotAParagraph {
            index,
            found: format!("an element <{}> holding other elements", element.tag()),
        });
    }
    if let [XmlOut::Text(run)] = runs.as_slice() {
        let run: &TextRef = run.as_ref();
        let old = run.len(txn);
        run.remove_range(txn, 0, old);
        run.insert(txn, 0, text);
        return Ok(());
    }
    let count = element.len(txn);
    element.remove_range(txn, 0, count);
    if !text.is_empty() {
        element.insert(txn, 0, XmlTextPrelim::new(text));
    }
    Ok(())
}

/// The text of a node and everything under it, without marks.
fn plain_text<T: ReadTxn>(txn: &T, node: &XmlOut) -> String {
    match node {
        XmlOut::Text(run) => {
            let run: &TextRef = run.as_ref();
            run.get_string(txn)
        }
        XmlOut::Element(element) => element
            .children(txn)
            .map(|child| plain_text(txn, &child))
            .collect(),
        XmlOut::Fragment(fragment) => fragment
            .children(txn)
            .map(|child| plain_text(txn, &child))
            .collect(),
    }
}
