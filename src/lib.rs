#![doc = include_str!("../README.md")]
// The table of every method by family, generated from the spec (codegen/method_table.rs).
#![doc = include_str!(concat!(env!("OUT_DIR"), "/methods.md"))]
// Every public item of the hand-written modules is documented; the generated module opts out
// below because progenitor emits some items (builder setters, some fields) without docs.
#![deny(missing_docs)]

#[cfg(feature = "blocking")]
pub mod blocking;
mod change;
mod client;
pub mod comment_body;
pub mod convert;
mod error;
mod nullable;
mod operation;
pub mod pagination;
mod path;
pub mod query;
mod response;
mod retry;
pub mod session;
pub mod storage;
mod transport;
pub mod upload;
pub mod webhooks;
#[cfg(feature = "schemars")]
mod webhooks_schema;
#[cfg(feature = "yrs")]
pub mod yjs;

#[allow(
    clippy::all,
    clippy::pedantic,
    missing_docs,
    unused_imports,
    unused_mut,
    dead_code,
    unreachable_pub,
    rustdoc::all
)]
// Links in the generated docs must resolve (`cargo doc` with `-D warnings` checks them).
#[warn(rustdoc::broken_intra_doc_links, rustdoc::private_intra_doc_links)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/client.rs"));
}

pub use change::{Change, IntoChange, IntoChanges};
pub use client::{
    Client, ClientBuilder, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_TIMEOUT, ENV_BASE_URL, ENV_MANAGEMENT_TOKEN, ENV_SECRET_KEY, Inner,
};
pub use convert::{AsPermission, IntoPermissionMap, IntoPermissions, InvalidBody, UnknownValue};
pub use error::{ApiError, Error, FieldLocation, TimeoutKind};
/// Request builders, one per operation, returned by the methods of [`Client`].
pub use generated::builder;
/// Request and response types of every operation, generated from the OpenAPI document.
pub use generated::types;
pub use progenitor_client::{ByteStream, ResponseValue};
pub use retry::RetryPolicy;
pub use session::{AuthToken, IdentifyUser, Session, SessionError, auth_response};
pub use types::Permission;
