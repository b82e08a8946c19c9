//! Progress of an upload, reported to a callback a command-line tool can draw a bar from.

use std::fmt;
use std::sync::Arc;

/// How far an upload has got: reported once at the start (`sent == 0`) and after every part
/// (or the single request) the server has accepted.
///
/// ```
/// # use liveblocks::upload::Progress;
/// let p = Progress { sent: 5 << 20, total: Some(20 << 20) };
/// assert_eq!(p.fraction(), Some(0.25));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Bytes the server has accepted so far.
    pub sent: u64,
    /// The size of the whole upload, when known (a reader or stream without a declared length
    /// has none until it ends).
    pub total: Option<u64>,
}

impl Progress {
    /// `sent / total`, when the total is known (`1.0` for an empty upload).
    pub fn fraction(&self) -> Option<f64> {
        self.total.map(|total| {
            if total == 0 {
                1.0
            } else {
                self.sent as f64 / total as f64
            }
        })
    }
}

/// The callback an upload reports to; called from the task that awaits the upload.
#[derive(Clone)]
pub(crate) struct Reporter(Option<Arc<dyn Fn(Progress) + Send + Sync>>);

impl Reporter {
    pub(crate) fn none() -> Reporter {
        Reporter(None)
    }

    pub(crate) fn new(callback: impl Fn(Progress) + Send + Sync + 'static) -> Reporter {
        Reporter(Some(Arc::new(callback)))
    }

    pub(crate) fn report(&self, sent: u64, total: Option<u64>) {
        if let Some(callback) = &self.0 {
            callback(Progress { sent, total });
        }
    }
}

impl fmt::Debug for Reporter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "Some(<callback>)"
        } else {
            "None"
        })
    }
}
