//! A `tracing` writer that keeps everything in memory, for tests that read the log.

use std::sync::{Arc, Mutex};

/// Hand `move || captured.clone()` to `tracing_subscriber::fmt().with_writer(..)`; every
/// clone writes into the same buffer.
#[derive(Clone, Default)]
pub struct Captured(pub Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
