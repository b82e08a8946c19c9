//! Comment bodies from Markdown and back: `CommentBody::from_markdown`, `to_markdown`,
//! `to_html` and `render_resolved`, beside the bare `pulldown-cmark` parse of the same text
//! (the baseline: what the parser costs alone) and a `serde_json` decode of the same body, in
//! the same run. Run with `cargo bench --bench comment_body`; it prints a Markdown table.
//!
//! Every runner is timed once per round, in rotating order, and the best of the rounds is kept,
//! so that ratios stay meaningful when other processes load the machine.

use std::hint::black_box;
use std::time::{Duration, Instant};

use liveblocks::comment_body::{RenderFormat, render_resolved};
use liveblocks::types::CommentBody;

const ROUNDS: usize = 30;
const CALLS: usize = 200;

/// A comment of about `paragraphs` x 190 bytes with every inline construct.
fn comment(paragraphs: usize) -> String {
    let paragraph = "Hi @ana, the **new logo** is _almost_ ready: see \
                     [the folder](https://example.com/logo) and `logo_v2.svg`, \
                     ~~not the old one~~. Ask @bo.smith or www.example.com/help if stuck.";
    vec![paragraph; paragraphs].join("\n\n")
}

type Runner<'a> = (&'a str, Box<dyn Fn() + 'a>);

fn best(runners: &[Runner<'_>]) -> Vec<Duration> {
    let mut best = vec![Duration::MAX; runners.len()];
    for round in 0..ROUNDS {
        for k in 0..runners.len() {
            let i = (round + k) % runners.len();
            let start = Instant::now();
            for _ in 0..CALLS {
                (runners[i].1)();
            }
            best[i] = best[i].min(start.elapsed() / CALLS as u32);
        }
    }
    best
}

fn main() {
    println!("| comment | runner | µs per call | vs pulldown-cmark parse |");
    println!("|---|---|---:|---:|");
    for (paragraphs, label) in [(1, "190 B"), (10, "1.9 KiB"), (100, "19 KiB")] {
        let markdown = comment(paragraphs);
        let body = CommentBody::from_markdown(&markdown);
        let json = serde_json::to_string(&body).unwrap();
        let options = pulldown_cmark::Options::ENABLE_STRIKETHROUGH
            | pulldown_cmark::Options::ENABLE_TABLES
            | pulldown_cmark::Options::ENABLE_TASKLISTS;
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let runners: Vec<Runner<'_>> = vec![
            (
                "pulldown-cmark parse only (baseline)",
                Box::new(|| {
                    let events = pulldown_cmark::Parser::new_ext(&markdown, options)
                        .into_offset_iter()
                        .count();
                    black_box(events);
                }),
            ),
            (
                "CommentBody::from_markdown",
                Box::new(|| {
                    black_box(CommentBody::from_markdown(black_box(&markdown)));
                }),
            ),
            (
                "serde_json decode of the body",
                Box::new(|| {
                    black_box(serde_json::from_str::<CommentBody>(black_box(&json)).unwrap());
                }),
            ),
            (
                "to_markdown",
                Box::new(|| {
                    black_box(black_box(&body).to_markdown());
                }),
            ),
            (
                "to_html",
                Box::new(|| {
                    black_box(black_box(&body).to_html());
                }),
            ),
            (
                "render_resolved (HTML, names)",
                Box::new(|| {
                    let html = rt.block_on(render_resolved(&body, RenderFormat::Html, |ids| {
                        let names = ids.iter().map(|id| Some(format!("User {id}"))).collect();
                        async move { names }
                    }));
                    black_box(html);
                }),
            ),
        ];
        let times = best(&runners);
        for ((name, _), time) in runners.iter().zip(&times) {
            println!(
                "| {label} | {name} | {:.1} | {:.2}x |",
                time.as_secs_f64() * 1e6,
                time.as_secs_f64() / times[0].as_secs_f64()
            );
        }
    }
}
