//! What can go wrong while reading a room's Storage tree or editing it.

/// An error of [`mutate_storage`](crate::Client::mutate_storage): the Storage tree the server
/// sent could not be read, or an edit asked for something the tree cannot do. Wrapped in
/// [`Error::Storage`](crate::Error::Storage).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StorageError {
    /// The answer held no root node: the room has no Storage to edit.
    #[error("the room has no Storage (the server sent no root node); initialize it first")]
    NoStorage,

    /// A line of the server's answer is not what the protocol says (line 1 is the actor, every
    /// other line a node).
    #[error("line {line} of the Storage answer is malformed: {message}")]
    MalformedLine {
        /// The line number, from 1.
        line: usize,
        /// What is wrong with it.
        message: String,
    },

    /// A node names a parent that is not in the tree.
    #[error("Storage node {id:?} names the parent {parent_id:?}, which is not in the tree")]
    MissingParent {
        /// The node's ID.
        id: String,
        /// The parent it names.
        parent_id: String,
    },

    /// A node is inconsistent with the rest of the tree: a second node with the same ID, a
    /// non-root node without a parent, a root that is not a LiveObject, or a parent that cannot
    /// hold children (a plain value).
    #[error("Storage node {id:?} is invalid: {reason}")]
    InvalidNode {
        /// The node's ID.
        id: String,
        /// What is wrong with it.
        reason: String,
    },

    /// A key or index holds something other than what the edit expected (or nothing).
    #[error("{at} holds {found}, not {expected}")]
    WrongType {
        /// The key (`"todos"`) or index (`[3]`) that was read.
        at: String,
        /// What the caller asked for (`a LiveList`).
        expected: &'static str,
        /// What is there (`nothing`, `a plain value`, ...).
        found: &'static str,
    },

    /// A list index is out of range.
    #[error("index {index} is out of range for a LiveList of {len} item(s)")]
    IndexOutOfRange {
        /// The index asked for.
        index: usize,
        /// The length of the list.
        len: usize,
    },

    /// A value read with a typed getter does not decode as the type asked for.
    #[error("{at} does not decode as the requested type: {message}")]
    Decode {
        /// The key or index that was read.
        at: String,
        /// What the decoder said.
        message: String,
    },
}
