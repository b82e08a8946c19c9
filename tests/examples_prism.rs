//! Runs `examples/threads_comments.rs` and `examples/inbox_notifications.rs` against Prism on
//! the checked-in spec (the dev server answers 501 for these APIs): every request the examples
//! send must be accepted (2xx), in the expected order, and the examples must complete.
//!
//! Which requests were sent, and their statuses, are read from the client's
//! `liveblocks.request` tracing spans. Prism answers with the spec's examples, so the ids the
//! examples get back are not the ones they created; the examples do not depend on them.

mod support;

#[allow(dead_code)]
#[path = "../examples/threads_comments.rs"]
mod threads_comments;

#[allow(dead_code)]
#[path = "../examples/inbox_notifications.rs"]
mod inbox_notifications;

use support::*;

impl Captured {
    /// A subscriber that writes a line when each span closes, with its recorded fields.
    fn subscriber(&self) -> impl tracing::Subscriber + Send + Sync + use<> {
        let writer = self.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::INFO)
            .with_ansi(false)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
            .with_writer(move || writer.clone())
            .finish()
    }

    /// (operation, status) of every request, in the order they finished; the status is `None`
    /// when no answer arrived.
    fn requests(&self) -> Vec<(String, Option<u16>)> {
        let text = String::from_utf8(self.0.lock().unwrap().clone()).unwrap();
        text.lines()
            .filter(|line| line.contains("liveblocks.request{") && line.contains(": close"))
            .map(|line| {
                let field = |name: &str| {
                    let start = line.find(&format!("{name}="))? + name.len() + 1;
                    let rest = &line[start..];
                    let end = rest.find([' ', '}']).unwrap_or(rest.len());
                    Some(rest[..end].trim_matches('"').to_owned())
                };
                (
                    field("operation").expect("every request span has an operation"),
                    field("status").and_then(|s| s.parse().ok()),
                )
            })
            .collect()
    }
}

fn assert_all_accepted(requests: &[(String, Option<u16>)], expected: &[&str], log: &str) {
    let operations: Vec<&str> = requests.iter().map(|(op, _)| op.as_str()).collect();
    assert_eq!(operations, expected, "requests sent");
    for (op, status) in requests {
        assert!(
            matches!(status, Some(200..=299)),
            "Prism did not accept {op}: status {status:?}\n{log}"
        );
    }
}

#[tokio::test]
async fn threads_comments_example_runs_against_prism() {
    let server = prism();
    let client = prism_client(&server);
    let captured = Captured::default();
    let _guard = tracing::subscriber::set_default(captured.subscriber());

    let result = threads_comments::run(&client).await;
    assert!(
        result.is_ok(),
        "the example failed: {result:?}\n{}",
        server.log_tail()
    );
    assert_all_accepted(
        &captured.requests(),
        &[
            "create_room",
            "create_thread",
            "create_comment",
            "add_comment_reaction",
            "edit_thread_metadata",
            "mark_thread_as_resolved",
            "get_threads",
            "delete_thread",
            "delete_room",
        ],
        &server.log_tail(),
    );
}

#[tokio::test]
async fn inbox_notifications_example_runs_against_prism() {
    let server = prism();
    let client = prism_client(&server);
    let captured = Captured::default();
    let _guard = tracing::subscriber::set_default(captured.subscriber());

    // Prism answers every page with the spec's example (two notifications) and a `nextCursor`
    // that never changes, so only two pages can be read (see the next test): list four items.
    let result = inbox_notifications::run(&client, "ada@example.com", 4).await;
    assert!(
        result.is_ok(),
        "the example failed: {result:?}\n{}",
        server.log_tail()
    );
    assert_all_accepted(
        &captured.requests(),
        &[
            "trigger_inbox_notification",
            "get_inbox_notifications",
            "get_inbox_notifications",
            "mark_inbox_notification_as_read",
        ],
        &server.log_tail(),
    );
}

/// The example reports a stream error instead of hiding it: asking for more items than Prism's
/// looping pages can give ends in the client's repeated-cursor error, before anything is marked
/// read.
#[tokio::test]
async fn inbox_notifications_example_reports_stream_errors() {
    let server = prism();
    let client = prism_client(&server);
    let captured = Captured::default();
    let _guard = tracing::subscriber::set_default(captured.subscriber());

    let err = inbox_notifications::run(&client, "ada@example.com", 5)
        .await
        .expect_err("the fifth item is behind a repeated cursor");
    assert!(err.to_string().contains("same cursor"), "{err}");
    assert_all_accepted(
        &captured.requests(),
        &[
            "trigger_inbox_notification",
            "get_inbox_notifications",
            "get_inbox_notifications",
        ],
        &server.log_tail(),
    );
}
