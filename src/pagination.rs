//! One cursor paginator for every list of the API.
//!
//! A list operation answers one page: `{"data": [...], "nextCursor": "..."}`. The next page is
//! asked for with the cursor in a query parameter (`startingAfter` for most lists, `cursor` for
//! version history, feeds and the Management API; the per-list glue in `lists.rs` says which).
//! [`Paginated`] turns that into a [`Stream`](https://docs.rs/futures/0.3/futures/stream/trait.Stream.html) of items; [`Paginated::pages`] into a stream of whole
//! pages.
//!
//! - The stream ends when `nextCursor` is `null`, missing or empty.
//! - An error is yielded once and ends the stream.
//! - A server that answers the cursor it was just given is an error, not an infinite loop.
//! - Read-ahead (on by default): as soon as page N arrives, page N+1 is requested, so the
//!   caller consumes page N while N+1 is on the wire. At most two pages are held in memory.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::future::BoxFuture;
use futures::stream::{Stream, TryStreamExt};

use crate::error::Error;

/// One page: the items and the cursor of the next page, if any.
pub type Page<T> = (Vec<T>, Option<String>);

/// Fetches the page that starts at `cursor` (`None` for the first) with `page_size` items.
type Fetch<'a, T> =
    Box<dyn FnMut(Option<String>, u32) -> BoxFuture<'a, Result<Page<T>, Error>> + Send + 'a>;

/// A lazily paginated list: a [`Stream`](https://docs.rs/futures/0.3/futures/stream/trait.Stream.html) of `Result<T, Error>`. Nothing is sent until it is
/// polled.
///
/// ```no_run
/// # async fn run(client: liveblocks::Client) -> Result<(), liveblocks::Error> {
/// use futures::TryStreamExt;
/// let mut rooms = client.get_rooms().stream();
/// while let Some(room) = rooms.try_next().await? {
///     println!("{}", room.id);
/// }
/// # Ok(()) }
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct Paginated<'a, T> {
    pages: Pages<'a, T>,
    current: std::vec::IntoIter<T>,
}

impl<'a, T: Send + 'a> Paginated<'a, T> {
    /// A paginator over `fetch`, asking for `max_page_size` items per page.
    pub(crate) fn new(
        max_page_size: u32,
        fetch: impl FnMut(Option<String>, u32) -> BoxFuture<'a, Result<Page<T>, Error>> + Send + 'a,
    ) -> Self {
        Paginated {
            pages: Pages {
                fetch: Box::new(fetch),
                page_size: max_page_size,
                max_page_size,
                read_ahead: true,
                slot: Slot::Empty,
                state: State::First,
                requested: None,
            },
            current: Vec::new().into_iter(),
        }
    }

    /// Items per request (default: the API's maximum for this list, the fewest round trips).
    /// Values above that maximum are lowered to it; 0 is raised to 1.
    pub fn page_size(mut self, size: u32) -> Self {
        self.pages.page_size = size.clamp(1, self.pages.max_page_size);
        self
    }

    /// Whether to request page N+1 as soon as page N arrives (default `true`).
    pub fn read_ahead(mut self, enabled: bool) -> Self {
        self.pages.read_ahead = enabled;
        self
    }

    /// A stream of whole pages instead of items.
    pub fn pages(self) -> Pages<'a, T> {
        self.pages
    }

    /// Fetches every page and collects every item.
    ///
    /// # Errors
    ///
    /// The first error of any page request.
    pub async fn try_collect_all(self) -> Result<Vec<T>, Error> {
        self.try_collect().await
    }
}

impl<T> fmt::Debug for Paginated<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginated")
            .field("pages", &self.pages)
            .finish_non_exhaustive()
    }
}

impl<T> Unpin for Paginated<'_, T> {}

impl<'a, T: Send + 'a> Stream for Paginated<'a, T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            if let Some(item) = self.current.next() {
                // Keep the read-ahead request moving while the caller consumes this page.
                self.pages.drive(cx);
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut self.pages).poll_next(cx) {
                Poll::Ready(Some(Ok(items))) => self.current = items.into_iter(),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

enum Slot<'a, T> {
    Empty,
    InFlight(BoxFuture<'a, Result<Page<T>, Error>>),
    Ready(Result<Page<T>, Error>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    /// The first page has not been requested.
    First,
    /// Pages remain after the one in the slot, starting at this cursor.
    Next(String),
    /// The page in the slot (if any) is the last.
    Last,
    /// Everything has been yielded, or an error ended the stream.
    Done,
}

/// A lazily paginated list as a [`Stream`](https://docs.rs/futures/0.3/futures/stream/trait.Stream.html) of whole pages (`Result<Vec<T>, Error>`).
#[must_use = "streams do nothing unless polled"]
pub struct Pages<'a, T> {
    fetch: Fetch<'a, T>,
    page_size: u32,
    max_page_size: u32,
    read_ahead: bool,
    slot: Slot<'a, T>,
    state: State,
    /// The cursor of the request in the slot.
    requested: Option<String>,
}

impl<T> fmt::Debug for Pages<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("page_size", &self.page_size)
            .field("read_ahead", &self.read_ahead)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl<T> Unpin for Pages<'_, T> {}

impl<'a, T> Pages<'a, T> {
    /// Starts the request for the next page if there is one and the slot is free.
    fn start_next(&mut self) {
        if !matches!(self.slot, Slot::Empty) {
            return;
        }
        let cursor = match std::mem::replace(&mut self.state, State::Last) {
            State::First => None,
            State::Next(cursor) => Some(cursor),
            State::Last | State::Done => {
                self.state = State::Done;
                return;
            }
        };
        self.requested = cursor.clone();
        self.slot = Slot::InFlight((self.fetch)(cursor, self.page_size));
    }

    /// Polls the request in flight, keeping its result.
    fn drive(&mut self, cx: &mut Context<'_>) {
        if let Slot::InFlight(future) = &mut self.slot
            && let Poll::Ready(result) = future.as_mut().poll(cx)
        {
            self.slot = Slot::Ready(result);
        }
    }
}

impl<'a, T> Stream for Pages<'a, T> {
    type Item = Result<Vec<T>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.state == State::Done && matches!(this.slot, Slot::Empty) {
            return Poll::Ready(None);
        }
        this.start_next();
        this.drive(cx);
        match std::mem::replace(&mut this.slot, Slot::Empty) {
            Slot::Empty => Poll::Ready(None),
            Slot::InFlight(future) => {
                this.slot = Slot::InFlight(future);
                Poll::Pending
            }
            Slot::Ready(Err(e)) => {
                this.state = State::Done;
                Poll::Ready(Some(Err(e)))
            }
            Slot::Ready(Ok((items, next))) => {
                let next = next.filter(|c| !c.is_empty());
                match next {
                    Some(cursor) if Some(&cursor) == this.requested.as_ref() => {
                        // Yield this page, then the error, then end.
                        this.state = State::Done;
                        this.slot = Slot::Ready(Err(Error::InvalidResponse(format!(
                            "the server answered the page at cursor {cursor:?} with the same \
                             cursor as the next one; stopping instead of looping forever"
                        ))));
                        return Poll::Ready(Some(Ok(items)));
                    }
                    Some(cursor) => this.state = State::Next(cursor),
                    None => this.state = State::Done,
                }
                if this.read_ahead {
                    this.start_next();
                    this.drive(cx);
                }
                Poll::Ready(Some(Ok(items)))
            }
        }
    }
}
