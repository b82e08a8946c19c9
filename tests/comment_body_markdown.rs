//! Comment bodies from Markdown (`CommentBody::from_markdown`) and rendered to plain text,
//! Markdown and HTML with resolved names: exact bodies, escaping, the resolver's calls, a
//! cross-check against the official Node SDK, and properties (no panic, round trips).

mod support;

use std::sync::{Arc, Mutex};

use liveblocks::comment_body::{
    CommentBodyBuilder, MarkdownOptions, MentionRule, RenderFormat, TextStyle, render_resolved,
};
use liveblocks::types::{CommentBody, CommentBodyBlockElement, CommentBodyInlineElement};
use proptest::prelude::*;
use serde_json::{Value, json};
use support::*;

fn md(markdown: &str) -> Value {
    serde_json::to_value(CommentBody::from_markdown(markdown)).unwrap()["content"].clone()
}

fn para(children: Value) -> Value {
    json!({"type": "paragraph", "children": children})
}

#[test]
fn inline_formatting_links_and_mentions() {
    assert_eq!(
        md("Hi @ana, **bold _both_** ~~gone~~ `x @b` [doc](https://x.io/a?b=1) <https://y.io>"),
        json!([para(json!([
            {"text": "Hi "},
            {"type": "mention", "kind": "user", "id": "ana"},
            {"text": ", "},
            {"text": "bold ", "bold": true},
            {"text": "both", "bold": true, "italic": true},
            {"text": " "},
            {"text": "gone", "strikethrough": true},
            {"text": " "},
            {"text": "x @b", "code": true},
            {"text": " "},
            {"type": "link", "url": "https://x.io/a?b=1", "text": "doc"},
            {"text": " "},
            {"type": "link", "url": "https://y.io", "text": "https://y.io"}
        ]))])
    );
}

#[test]
fn unsafe_links_and_email_autolinks_become_text() {
    assert_eq!(
        md("[click](javascript:alert(1)) <ana@example.com> [rel](/docs)"),
        json!([para(json!([
            {"text": "click ana@example.com "},
            {"type": "link", "url": "/docs", "text": "rel"}
        ]))])
    );
}

#[test]
fn bare_urls_are_links_as_on_github() {
    assert_eq!(
        md("see https://x.io/a?b=1. or www.y.io, (https://z.io/p) ftp://n.io"),
        json!([para(json!([
            {"text": "see "},
            {"type": "link", "url": "https://x.io/a?b=1", "text": "https://x.io/a?b=1"},
            {"text": ". or "},
            {"type": "link", "url": "http://www.y.io", "text": "www.y.io"},
            {"text": ", ("},
            {"type": "link", "url": "https://z.io/p", "text": "https://z.io/p"},
            {"text": ") ftp://n.io"}
        ]))])
    );
}

#[test]
fn the_mention_rule_follows_the_node_sdk() {
    let ids = |markdown: &str| -> Vec<String> {
        CommentBody::from_markdown(markdown)
            .mentions()
            .iter()
            .map(|m| m.id.clone())
            .collect()
    };
    assert_eq!(ids("@ana"), ["ana"]);
    assert_eq!(
        ids("Thanks @ana."),
        ["ana"],
        "a final dot before the end is left out"
    );
    assert_eq!(ids("@ana.b @bo-"), ["ana.b", "bo"]);
    assert_eq!(
        ids("mail ana@example.com"),
        Vec::<String>::new(),
        "after a letter"
    );
    assert_eq!(
        ids("@.x @ @-a"),
        Vec::<String>::new(),
        "no ID character after @"
    );
    assert_eq!(ids("(@ana)"), ["ana"]);
    assert_eq!(ids("\\@ana"), Vec::<String>::new(), "an escaped @ is text");
    assert_eq!(ids("**@ana**"), ["ana"], "mentions inside formatting");
    assert_eq!(
        ids("[@ana](https://x.io)"),
        Vec::<String>::new(),
        "link text is text"
    );
    // A mention carries no formatting flag and splits the run around it.
    assert_eq!(
        md("**a @bo c**"),
        json!([para(json!([
            {"text": "a ", "bold": true},
            {"type": "mention", "kind": "user", "id": "bo"},
            {"text": " c", "bold": true}
        ]))])
    );
}

#[test]
fn a_custom_mention_rule() {
    let unicode = MentionRule::default().id_chars(|c| c.is_alphanumeric() || c == '_');
    let body =
        CommentBody::from_markdown_with("hé @josé +ana", &MarkdownOptions::new().mentions(unicode));
    assert_eq!(body.mentions()[0].id, "josé");
    let plus = MentionRule::default().trigger('+');
    let body = CommentBody::from_markdown_with("@bo +ana", &MarkdownOptions::new().mentions(plus));
    let ids: Vec<&str> = body.mentions().iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["ana"]);
    let none = MarkdownOptions::new().mentions(MentionRule::none());
    assert_eq!(
        serde_json::to_value(CommentBody::from_markdown_with("hi @ana", &none)).unwrap()["content"],
        json!([para(json!([{"text": "hi @ana"}]))])
    );
}

#[test]
fn blocks_keep_their_words_with_prefixes() {
    let input = "# Title\n\n> quoted @ana\n\n- one\n- [x] done\n  - nested\n\n3. three\n4. four\n\n\
                 ```\ncode @bo\n```\n\n---\n\n| a | b |\n|:--|--:|\n| 1 | `2` |\n\n![alt](i.png)";
    let texts: Vec<String> = CommentBody::from_markdown(input)
        .content
        .iter()
        .map(|block| match block {
            CommentBodyBlockElement::Paragraph(p) => p
                .children
                .iter()
                .map(|c| match c {
                    CommentBodyInlineElement::Text(t) => t.text.clone(),
                    CommentBodyInlineElement::Mention(m) => format!("<@{}>", m.id),
                    other => panic!("unexpected {other:?}"),
                })
                .collect(),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(
        texts,
        [
            "# Title",
            "> quoted <@ana>",
            "- one",
            "- [x] done",
            "  - nested",
            "3. three",
            "4. four",
            "code @bo",
            "| a | b |",
            "| :--- | ---: |",
            "| 1 | 2 |",
            "![alt](i.png)",
        ]
    );
}

#[test]
fn line_breaks_are_newlines_and_empty_input_is_an_empty_body() {
    assert_eq!(md("a\nb  \nc"), json!([para(json!([{"text": "a\nb\nc"}]))]));
    assert_eq!(md(""), json!([]));
    assert_eq!(md("\n\n---\n"), json!([]));
}

fn rich() -> CommentBody {
    CommentBodyBuilder::new()
        .paragraph(|p| {
            p.text("Hi ")
                .mention_user("ana")
                .text(" & ")
                .mention_user("bo")
                .text(" <team> ")
                .styled(
                    "all",
                    TextStyle::new().bold().italic().strikethrough().code(),
                )
                .text(" ")
                .link("https://x.io/?a=1&b=\"2\"", Some("it's <here>"))
                .text(" ")
                .link("javascript:alert(1)", Some("<script>"))
        })
        .paragraph(|p| p.mention_group("design"))
        .build()
}

type Calls = Arc<Mutex<Vec<Vec<String>>>>;

async fn resolve(body: &CommentBody, format: RenderFormat, calls: &Calls) -> String {
    let calls = calls.clone();
    render_resolved(body, format, move |ids: Vec<String>| async move {
        calls.lock().unwrap().push(ids.clone());
        ids.iter()
            .map(|id| id.starts_with('a').then(|| format!("Name of <{id}>")))
            .collect()
    })
    .await
}

#[tokio::test]
async fn rendering_with_resolved_names_escapes_html() {
    let calls = Calls::default();
    let body = rich();
    assert_eq!(
        resolve(&body, RenderFormat::Html, &calls).await,
        "<p>Hi <span data-mention>@Name of &lt;ana&gt;</span> &amp; \
         <span data-mention>@bo</span> &lt;team&gt; \
         <code><s><em><strong>all</strong></em></s></code> \
         <a href=\"https://x.io/?a=1&amp;b=&quot;2&quot;\" target=\"_blank\" \
         rel=\"noopener noreferrer\">it&#39;s &lt;here&gt;</a> &lt;script&gt;</p>\n\
         <p><span data-mention>@design</span></p>"
    );
    assert_eq!(
        resolve(&body, RenderFormat::Plain, &calls).await,
        "Hi @Name of <ana> & @bo <team> all it's <here> <script>\n@design"
    );
    assert_eq!(
        resolve(&body, RenderFormat::Markdown, &calls).await,
        "Hi @Name of \\<ana\\> & @bo \\<team\\> **_~~`all`~~_** \
         [it's \\<here\\>](https://x.io/?a=1&b=\"2\") \\<script\\>\n\n@design"
    );
    // One call per rendering, with each mentioned user once, in order; groups are not asked.
    assert_eq!(
        *calls.lock().unwrap(),
        vec![vec!["ana".to_owned(), "bo".to_owned()]; 3]
    );
    // No user mentioned: the resolver is not called.
    let plain = CommentBody::from_text("no one");
    assert_eq!(
        resolve(&plain, RenderFormat::Html, &calls).await,
        "<p>no one</p>"
    );
    assert_eq!(calls.lock().unwrap().len(), 3);
    // A resolver that answers nothing (say, it failed) leaves the IDs.
    let html = render_resolved(&body, RenderFormat::Plain, |_| async { Vec::new() }).await;
    assert!(html.starts_with("Hi @ana & @bo"), "{html}");
}

#[test]
fn markdown_text_that_looks_like_a_mention_or_a_url_is_escaped() {
    let body = CommentBodyBuilder::new()
        .paragraph(|p| p.text("write to @ana or a@b.c"))
        .build();
    let markdown = body.to_markdown();
    assert_eq!(markdown, "write to \\@ana or a@b.c");
    assert!(CommentBody::from_markdown(&markdown).mentions().is_empty());
    let body = CommentBody::from_text("see https://x.io or www.y.io");
    let markdown = body.to_markdown();
    assert_eq!(markdown, "see https\\://x.io or www\\.y.io");
    assert_eq!(
        CommentBody::from_markdown(&markdown),
        body,
        "no link comes back"
    );
}

/// Each input's body, plain text and HTML, as the Node SDK gives them, must equal ours
/// (bodies compared with adjacent runs of the same formatting merged, as ours are).
#[test]
fn matches_the_node_sdk() {
    let inputs = [
        "Hi @ana, **see** _it_ [doc](https://x.io) `c @b`",
        "Thanks @ana. And @bo-\n\n@a.b.c @x_y",
        "**bold _both_ @ana** ~~struck~~ ~one~",
        "# Title\n\n## Sub *it*\n\n> quoted @ana\n> > deeper",
        "- one\n- [x] done\n  - nested @bo\n\n3. three\n4. four",
        "- loose\n\n  second para\n\n- next",
        "```\ncode @bo\n```\n\n    indented",
        "| a | b |\n|:--|--:|\n| 1 | `2` |",
        "![alt](i.png) and [![img](i.png)](https://x.io)",
        "[bad](javascript:alert(1)) <https://y.io> <ana@example.com> [rel](/docs)",
        "a\nb  \nc\\\nd",
        "<b>html</b> @ana",
        "mail ana@example.com (@ana) \\@bo",
        "see https://x.io/a?b=1. and www.y.io, (https://z.io/p) http://q.io/a_(b) \
         **https://b.io** ftp://n.io x@y.io https://x.io/@ana @bo",
        "<a href=\"https://x.io\">x</a> [https://y.io](https://z.io)",
    ];
    let dir = nodesdk::tools_dir(repo_root());
    let script = repo_root().join("tests/fixtures/comment_body/node_markdown.cjs");
    let inputs_json = serde_json::to_string(&inputs).unwrap();
    let output = nodesdk::run(&dir, &script, &[&inputs_json]).unwrap_or_else(|e| panic!("{e}"));
    let node: Vec<Value> = serde_json::from_str(&output).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    for (input, node) in inputs.iter().zip(node) {
        let theirs: CommentBody = serde_json::from_value(node["body"].clone()).unwrap();
        let ours = CommentBody::from_markdown(input);
        assert_eq!(
            serde_json::to_value(normalized(&ours)).unwrap(),
            serde_json::to_value(normalized(&theirs)).unwrap(),
            "body of {input:?}"
        );
        let calls = Calls::default();
        for (format, key) in [(RenderFormat::Plain, "plain"), (RenderFormat::Html, "html")] {
            let rendered = rt.block_on(resolve(&theirs, format, &calls));
            assert_eq!(rendered, node[key].as_str().unwrap(), "{key} of {input:?}");
        }
    }
}

/// The body with adjacent text runs of the same formatting merged and empty runs dropped.
fn normalized(body: &CommentBody) -> CommentBody {
    let mut body = body.clone();
    for block in &mut body.content {
        if let CommentBodyBlockElement::Paragraph(p) = block {
            let mut merged: Vec<CommentBodyInlineElement> = Vec::new();
            for child in p.children.drain(..) {
                if let CommentBodyInlineElement::Text(t) = &child {
                    if t.text.is_empty() {
                        continue;
                    }
                    if let Some(CommentBodyInlineElement::Text(last)) = merged.last_mut()
                        && (last.bold, last.italic, last.strikethrough, last.code)
                            == (t.bold, t.italic, t.strikethrough, t.code)
                    {
                        last.text.push_str(&t.text);
                        continue;
                    }
                }
                merged.push(child);
            }
            p.children = merged;
        }
    }
    body
}

/// One inline element of a generated simple document.
#[derive(Debug, Clone)]
enum Piece {
    Text(String),
    Styled(String, TextStyle),
    Mention(String),
    Link(String, String),
}

fn piece() -> impl Strategy<Value = Piece> {
    prop_oneof![
        "[a-z0-9][a-z0-9 *_#()\\[\\]~|.!<>@&-]{0,12}[a-z0-9]".prop_map(Piece::Text),
        "(https://|http://|www\\.)[a-z]{1,6}\\.io".prop_map(Piece::Text),
        (
            "[a-z]{1,6}( [a-z]{1,6}){0,2}",
            any::<(bool, bool, bool, bool)>()
        )
            .prop_map(|(text, (bold, italic, strikethrough, code))| {
                let style = TextStyle {
                    bold,
                    italic,
                    strikethrough,
                    code,
                };
                Piece::Styled(text, style)
            }),
        "[a-z][a-z0-9_]{0,8}".prop_map(Piece::Mention),
        ("[a-z]{1,6}( [a-z]{1,6})?", "[a-z]{1,8}")
            .prop_map(|(text, path)| { Piece::Link(text, format!("https://example.com/{path}")) }),
    ]
}

/// A document of 1 to 4 paragraphs, each starting with a word and made of pieces separated by
/// spaces (the shapes Markdown can say unambiguously).
fn document() -> impl Strategy<Value = CommentBody> {
    prop::collection::vec(prop::collection::vec(piece(), 1..6), 1..5).prop_map(|paragraphs| {
        let mut builder = CommentBodyBuilder::new();
        for pieces in paragraphs {
            builder = builder.paragraph(|mut p| {
                p = p.text("w");
                for piece in pieces {
                    p = p.text(" ");
                    p = match piece {
                        Piece::Text(t) => p.text(t),
                        Piece::Styled(t, style) => p.styled(t, style),
                        Piece::Mention(id) => p.mention_user(id),
                        Piece::Link(text, url) => p.link(url, Some(&text)),
                    };
                }
                p
            });
        }
        normalized(&builder.build())
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn no_input_panics(input in "\\PC{0,200}") {
        let body = CommentBody::from_markdown(&input);
        let _ = (body.plain_text(), body.to_markdown(), body.to_html());
    }

    #[test]
    fn no_markdown_like_input_panics(input in "[-*_`~#>|\\[\\]()!<@a-z0-9 \\\\\n.:/]{0,200}") {
        let body = CommentBody::from_markdown(&input);
        let _ = (body.plain_text(), body.to_markdown(), body.to_html());
    }

    #[test]
    fn simple_documents_round_trip_through_markdown(doc in document()) {
        let markdown = doc.to_markdown();
        let back = CommentBody::from_markdown(&markdown);
        prop_assert_eq!(
            serde_json::to_value(&back).unwrap(),
            serde_json::to_value(&doc).unwrap(),
            "via {:?}", markdown
        );
        prop_assert_eq!(back.plain_text(), doc.plain_text());
    }
}
