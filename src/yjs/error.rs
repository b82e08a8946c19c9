//! What can go wrong while loading or editing a room's Yjs document.

/// An error of [`Yjs::load`](crate::yjs::Yjs::load) and [`Yjs::edit`](crate::yjs::Yjs::edit):
/// the room holds no Yjs document, or the bytes the server sent are not a Yjs update. Wrapped in
/// [`Error::Yjs`](crate::Error::Yjs); nothing was sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum YjsError {
    /// The room (or the subdocument `guid`) has no Yjs document yet: the server answered an
    /// empty update. [`Yjs::edit`](crate::yjs::Yjs::edit) seeds such a room instead.
    #[error("room {room_id:?} has no Yjs document{}", guid_suffix(.guid))]
    NoDocument {
        /// The room.
        room_id: String,
        /// The subdocument asked for, if any.
        guid: Option<String>,
    },

    /// The server's answer is not a Yjs update in the v1 encoding.
    #[error("the Yjs update of room {room_id:?}{} does not decode: {message}", guid_suffix(.guid))]
    Decode {
        /// The room.
        room_id: String,
        /// The subdocument asked for, if any.
        guid: Option<String>,
        /// What the decoder said.
        message: String,
    },

    /// The update decoded but could not be applied to a document (it names a parent that is
    /// neither a shared root type nor deleted).
    #[error("the Yjs update of room {room_id:?}{} could not be applied: {message}", guid_suffix(.guid))]
    Apply {
        /// The room.
        room_id: String,
        /// The subdocument asked for, if any.
        guid: Option<String>,
        /// What yrs said.
        message: String,
    },

    /// A helper was asked for a position past the end of the text.
    #[error("range {start}..{end} is outside a text of {len} character(s)")]
    TextRange {
        /// The first character of the range.
        start: u32,
        /// One past the last character of the range.
        end: u32,
        /// The length of the text, in the unit yrs counts (UTF-8 bytes by default).
        len: u32,
    },

    /// A paragraph helper was given an index past the end of the fragment.
    #[error("paragraph {index} is out of range for a fragment of {len} node(s)")]
    ParagraphIndex {
        /// The index asked for.
        index: u32,
        /// How many nodes the fragment holds.
        len: u32,
    },

    /// The node at a paragraph index is not an element holding text the helpers understand.
    #[error("node {index} of the fragment is {found}, not a paragraph element")]
    NotAParagraph {
        /// The index asked for.
        index: u32,
        /// What is there (`a text node`, `an element <image>`, ...).
        found: String,
    },
}

fn guid_suffix(guid: &Option<String>) -> String {
    match guid {
        Some(guid) => format!(" (subdocument {guid:?})"),
        None => String::new(),
    }
}
