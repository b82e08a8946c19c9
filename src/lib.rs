//! # liveblocks
//!
//! A typed Rust client for the [Liveblocks](https://liveblocks.io) REST API.
//!
//! ```no_run
//! # async fn run() -> Result<(), liveblocks::Error> {
//! let client = liveblocks::Client::new("sk_prod_xxxxxxxxxxxxxxxx")?;
//! let room = client.get_room().room_id("my-room").send().await?;
//! println!("{} was created at {:?}", room.id, room.created_at);
//! # Ok(()) }
//! ```
//!
//! Every operation of the API is a method on [`Client`] that returns a request builder: set the
//! parameters, then `.send().await`. The result is a [`ResponseValue`] (dereferences to the
//! decoded body; also gives the status and headers) or an [`Error`].
#![warn(missing_docs)]

mod client;
pub mod comment_body;
mod error;
mod hooks;
mod nullable;
mod operation;
pub mod pagination;
pub mod query;
mod response;
mod retry;
pub mod session;

#[allow(
    clippy::all,
    clippy::pedantic,
    missing_docs,
    unused_imports,
    dead_code,
    unreachable_pub,
    rustdoc::all
)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/client.rs"));
}

pub use client::{
    Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT,
    ENV_BASE_URL, ENV_MANAGEMENT_TOKEN, ENV_SECRET_KEY, Inner,
};
pub use error::{ApiError, Error, TimeoutKind};
/// Request builders, one per operation, returned by the methods of [`Client`].
pub use generated::builder;
/// Request and response types of every operation, generated from the OpenAPI document.
pub use generated::types;
pub use progenitor_client::{ByteStream, ResponseValue};
pub use retry::RetryPolicy;
pub use session::{AuthToken, IdentifyUser, Session, SessionError, auth_response};
pub use types::Permission;
