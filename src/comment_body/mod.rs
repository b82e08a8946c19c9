//! Hand-written helpers for comment bodies ([`CommentBody`]): build one without spelling out
//! the JSON or from Markdown ([`CommentBody::from_markdown`], see [`markdown`] for what each
//! construct becomes), and turn one into plain text, Markdown or HTML, with mentions written
//! as `@id` or as the names an async resolver gives ([`render_resolved`]).
//!
//! ```
//! use liveblocks::comment_body::CommentBodyBuilder;
//! use liveblocks::types::CommentBody;
//!
//! let body = CommentBodyBuilder::new()
//!     .paragraph(|p| {
//!         p.text("Hi ")
//!             .mention_user("marie")
//!             .text(", the ")
//!             .bold("new logo")
//!             .text(" is in ")
//!             .link("https://example.com/logo", Some("the shared folder"))
//!     })
//!     .build();
//! assert_eq!(
//!     body.plain_text(),
//!     "Hi @marie, the new logo is in the shared folder"
//! );
//! assert_eq!(
//!     body.to_markdown(),
//!     "Hi @marie, the **new logo** is in [the shared folder](https://example.com/logo)"
//! );
//!
//! // One paragraph per line.
//! let reply = CommentBody::from_text("Looks good.\nShip it!");
//! assert_eq!(reply.content.len(), 2);
//! assert_eq!(reply.plain_text(), "Looks good.\nShip it!");
//! ```
//!
//! # Rendering conventions
//!
//! The renderers follow the conventions of the official Node SDK's `stringifyCommentBody`:
//! paragraphs are separated by one line break in plain text and by an empty line in Markdown, a
//! mention (of a user or a group) is written `@id`, a link shows its text (or its URL when it has
//! none), and a link whose URL is not `http`, `https` or relative (for example `javascript:`) is
//! rendered as text only. `www.` URLs get an `https://` prefix in Markdown links.
//!
//! Elements this crate does not know are never an error: a block of an unknown type (kept by the
//! decoder as raw JSON in [`CommentBodyBlockElement::Unknown`]) is rendered like a paragraph
//! when it has a `children` array (children that are not text runs, mentions or links contribute
//! their `text` property, if any, or nothing), and is skipped otherwise. An inline element of an
//! unknown type that has a `text` property decodes as a text run, so its text is kept.
//!
//! In Markdown, text is escaped so that it shows literally (`\`, `` ` ``, `*`, `_`, `~`, `[`,
//! `]`, `(`, `)`, `#`, `|`, `<` and `>` get a backslash; a `-`, `+` or `1.` at the
//! start of a line is escaped so it does not start a list), inline code uses a backtick fence
//! longer than any backtick run in the code, and whitespace at the edges of a formatted run is
//! moved outside its `**`, `_` or `~~` markers so that they take effect.

#![deny(missing_docs)]

use std::collections::HashSet;

use crate::types::{
    CommentBody, CommentBodyBlockElement, CommentBodyInlineElement, CommentBodyLink,
    CommentBodyLinkType, CommentBodyMention, CommentBodyMentionKind, CommentBodyMentionType,
    CommentBodyParagraph, CommentBodyParagraphType, CommentBodyText,
};

/// The comment body format version this module writes.
pub const COMMENT_BODY_VERSION: i32 = 1;

impl CommentBody {
    /// A body made of plain text, one paragraph per line (`\n` or `\r\n`); an empty line gives
    /// an empty paragraph.
    ///
    /// ```
    /// # use liveblocks::types::CommentBody;
    /// let body = CommentBody::from_text("Hello");
    /// assert_eq!(
    ///     serde_json::to_value(&body).unwrap(),
    ///     serde_json::json!({"version": 1, "content": [
    ///         {"type": "paragraph", "children": [{"text": "Hello"}]}
    ///     ]})
    /// );
    /// ```
    pub fn from_text(text: &str) -> CommentBody {
        text.split('\n')
            .fold(CommentBodyBuilder::new(), |builder, line| {
                builder.text_paragraph(line.strip_suffix('\r').unwrap_or(line))
            })
            .build()
    }

    /// The body as plain text; see [`plain_text`].
    pub fn plain_text(&self) -> String {
        plain_text(self)
    }

    /// The body as Markdown; see [`to_markdown`].
    pub fn to_markdown(&self) -> String {
        to_markdown(self)
    }

    /// The body as HTML, safe to put in a page; see [`to_html`].
    pub fn to_html(&self) -> String {
        to_html(self)
    }

    /// The mentions in the body, in order of appearance, each (kind, id) pair once.
    ///
    /// ```
    /// # use liveblocks::comment_body::CommentBodyBuilder;
    /// let body = CommentBodyBuilder::new()
    ///     .paragraph(|p| p.mention_user("ana").mention_group("design").mention_user("ana"))
    ///     .build();
    /// let ids: Vec<&str> = body.mentions().iter().map(|m| m.id.as_str()).collect();
    /// assert_eq!(ids, ["ana", "design"]);
    /// ```
    pub fn mentions(&self) -> Vec<&CommentBodyMention> {
        let mut seen = HashSet::new();
        self.content
            .iter()
            .filter_map(|block| match block {
                CommentBodyBlockElement::Paragraph(p) => Some(&p.children),
                CommentBodyBlockElement::Unknown(_) => None,
            })
            .flatten()
            .filter_map(|inline| match inline {
                CommentBodyInlineElement::Mention(m) => Some(m),
                _ => None,
            })
            .filter(|m| seen.insert((m.kind.as_str(), m.id.as_str())))
            .collect()
    }
}

/// Builds a [`CommentBody`] paragraph by paragraph.
///
/// A paragraph left without children gets one empty text run, the shape the Liveblocks editors
/// produce for an empty line.
///
/// ```
/// use liveblocks::comment_body::{CommentBodyBuilder, TextStyle};
///
/// let body = CommentBodyBuilder::new()
///     .paragraph(|p| p.text("Deadline: ").styled("Friday", TextStyle::new().bold().italic()))
///     .text_paragraph("Thanks!")
///     .build();
/// assert_eq!(body.to_markdown(), "Deadline: **_Friday_**\n\nThanks!");
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CommentBodyBuilder {
    blocks: Vec<CommentBodyBlockElement>,
}

impl CommentBodyBuilder {
    /// An empty body.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a paragraph whose children `build` appends.
    pub fn paragraph(mut self, build: impl FnOnce(ParagraphBuilder) -> ParagraphBuilder) -> Self {
        self.blocks.push(CommentBodyBlockElement::Paragraph(
            build(ParagraphBuilder::new()).build(),
        ));
        self
    }

    /// Adds a paragraph holding one unformatted text run.
    pub fn text_paragraph(self, text: impl Into<String>) -> Self {
        self.paragraph(|p| p.text(text))
    }

    /// Adds a block as it is (for example a [`CommentBodyParagraph`] built elsewhere, or a raw
    /// [`CommentBodyBlockElement::Unknown`]).
    pub fn block(mut self, block: impl Into<CommentBodyBlockElement>) -> Self {
        self.blocks.push(block.into());
        self
    }

    /// The body, with [`COMMENT_BODY_VERSION`].
    pub fn build(self) -> CommentBody {
        CommentBody {
            content: self.blocks,
            version: COMMENT_BODY_VERSION,
        }
    }
}

impl From<CommentBodyBuilder> for CommentBody {
    fn from(builder: CommentBodyBuilder) -> Self {
        builder.build()
    }
}

/// Formatting flags of a text run; all off by default.
///
/// ```
/// # use liveblocks::comment_body::TextStyle;
/// let style = TextStyle::new().bold().code();
/// assert!(style.bold && style.code && !style.italic && !style.strikethrough);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct TextStyle {
    /// Bold text.
    pub bold: bool,
    /// Italic text.
    pub italic: bool,
    /// Struck-through text.
    pub strikethrough: bool,
    /// Inline code.
    pub code: bool,
}

impl TextStyle {
    /// No formatting.
    pub fn new() -> Self {
        Self::default()
    }

    /// Turns bold on.
    pub fn bold(mut self) -> Self {
        self.bold = true;
        self
    }

    /// Turns italic on.
    pub fn italic(mut self) -> Self {
        self.italic = true;
        self
    }

    /// Turns strikethrough on.
    pub fn strikethrough(mut self) -> Self {
        self.strikethrough = true;
        self
    }

    /// Turns inline code on.
    pub fn code(mut self) -> Self {
        self.code = true;
        self
    }
}

/// Builds the children of one paragraph; see [`CommentBodyBuilder::paragraph`].
///
/// Text runs only carry the flags that are on, so `text("a")` is `{"text": "a"}` and
/// `bold("a")` is `{"text": "a", "bold": true}`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParagraphBuilder {
    children: Vec<CommentBodyInlineElement>,
}

impl ParagraphBuilder {
    /// A paragraph without children.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends an unformatted text run.
    pub fn text(self, text: impl Into<String>) -> Self {
        self.styled(text, TextStyle::new())
    }

    /// Appends a bold text run.
    pub fn bold(self, text: impl Into<String>) -> Self {
        self.styled(text, TextStyle::new().bold())
    }

    /// Appends an italic text run.
    pub fn italic(self, text: impl Into<String>) -> Self {
        self.styled(text, TextStyle::new().italic())
    }

    /// Appends a struck-through text run.
    pub fn strikethrough(self, text: impl Into<String>) -> Self {
        self.styled(text, TextStyle::new().strikethrough())
    }

    /// Appends a text run shown as inline code.
    pub fn code(self, text: impl Into<String>) -> Self {
        self.styled(text, TextStyle::new().code())
    }

    /// Appends a text run with the given formatting.
    pub fn styled(self, text: impl Into<String>, style: TextStyle) -> Self {
        let flag = |on: bool| on.then_some(true);
        self.inline(CommentBodyText {
            text: text.into(),
            bold: flag(style.bold),
            italic: flag(style.italic),
            strikethrough: flag(style.strikethrough),
            code: flag(style.code),
        })
    }

    /// Appends a mention of a user.
    pub fn mention_user(self, user_id: impl Into<String>) -> Self {
        self.mention(CommentBodyMentionKind::User, user_id, Vec::new())
    }

    /// Appends a mention of a group (every member is notified).
    pub fn mention_group(self, group_id: impl Into<String>) -> Self {
        self.mention(CommentBodyMentionKind::Group, group_id, Vec::new())
    }

    /// Appends a mention of a group that notifies only the given members.
    pub fn mention_group_members<I, S>(self, group_id: impl Into<String>, user_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let user_ids = user_ids.into_iter().map(Into::into).collect();
        self.mention(CommentBodyMentionKind::Group, group_id, user_ids)
    }

    fn mention(
        self,
        kind: CommentBodyMentionKind,
        id: impl Into<String>,
        user_ids: Vec<String>,
    ) -> Self {
        self.inline(CommentBodyMention {
            id: id.into(),
            kind,
            type_: CommentBodyMentionType::Mention,
            user_ids,
        })
    }

    /// Appends a link to `url`, shown as `text` when given (as the URL otherwise).
    pub fn link(self, url: impl Into<String>, text: Option<&str>) -> Self {
        self.inline(CommentBodyLink {
            url: url.into(),
            text: text.map(str::to_owned),
            type_: CommentBodyLinkType::Link,
        })
    }

    /// Appends an inline element as it is.
    pub fn inline(mut self, element: impl Into<CommentBodyInlineElement>) -> Self {
        self.children.push(element.into());
        self
    }

    /// The paragraph (with one empty text run if nothing was appended).
    pub fn build(self) -> CommentBodyParagraph {
        let children = if self.children.is_empty() {
            vec![CommentBodyInlineElement::Text(CommentBodyText {
                text: String::new(),
                bold: None,
                italic: None,
                strikethrough: None,
                code: None,
            })]
        } else {
            self.children
        };
        CommentBodyParagraph {
            children,
            type_: CommentBodyParagraphType::Paragraph,
        }
    }
}
pub mod markdown;
mod render;

pub use markdown::{MarkdownOptions, MentionRule};
pub use render::{RenderFormat, plain_text, render, render_resolved, to_html, to_markdown};

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(value: serde_json::Value) -> CommentBody {
        serde_json::from_value(value).expect("a comment body")
    }

    #[test]
    fn from_text_gives_one_paragraph_per_line() {
        let body = CommentBody::from_text("Hello\r\n\nwörld *");
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"version": 1, "content": [
                {"type": "paragraph", "children": [{"text": "Hello"}]},
                {"type": "paragraph", "children": [{"text": ""}]},
                {"type": "paragraph", "children": [{"text": "wörld *"}]}
            ]})
        );
        assert_eq!(
            serde_json::to_value(CommentBody::from_text("")).unwrap(),
            json!({"version": 1, "content": [{"type": "paragraph", "children": [{"text": ""}]}]})
        );
    }

    #[test]
    fn the_builder_writes_the_exact_wire_json() {
        let body = CommentBodyBuilder::new()
            .paragraph(|p| {
                p.text("Hi ")
                    .bold("there")
                    .italic("!")
                    .strikethrough("old")
                    .code("x = 1")
                    .styled(
                        "all",
                        TextStyle::new().bold().italic().strikethrough().code(),
                    )
                    .mention_user("alice")
                    .mention_group("designers")
                    .mention_group_members("eng", ["bo", "cy"])
                    .link("https://example.com/docs", Some("docs"))
                    .link("https://example.com", None)
            })
            .paragraph(|p| p)
            .text_paragraph("bye")
            .block(CommentBodyBlockElement::Unknown(
                json!({"type": "divider", "style": "dashed"}),
            ))
            .build();
        let expected = json!({"version": 1, "content": [
            {"type": "paragraph", "children": [
                {"text": "Hi "},
                {"text": "there", "bold": true},
                {"text": "!", "italic": true},
                {"text": "old", "strikethrough": true},
                {"text": "x = 1", "code": true},
                {"text": "all", "bold": true, "italic": true, "strikethrough": true, "code": true},
                {"type": "mention", "kind": "user", "id": "alice"},
                {"type": "mention", "kind": "group", "id": "designers"},
                {"type": "mention", "kind": "group", "id": "eng", "userIds": ["bo", "cy"]},
                {"type": "link", "url": "https://example.com/docs", "text": "docs"},
                {"type": "link", "url": "https://example.com"}
            ]},
            {"type": "paragraph", "children": [{"text": ""}]},
            {"type": "paragraph", "children": [{"text": "bye"}]},
            {"type": "divider", "style": "dashed"}
        ]});
        assert_eq!(serde_json::to_value(&body).unwrap(), expected);
        // No `null` and no unset flag is written.
        let text = serde_json::to_string(&body).unwrap();
        assert!(!text.contains("null") && !text.contains("false"), "{text}");
        // And it decodes back to the same value.
        assert_eq!(
            serde_json::from_str::<CommentBody>(&text).unwrap(),
            body,
            "round trip"
        );
        assert!(
            CommentBody::from(CommentBodyBuilder::new())
                .content
                .is_empty()
        );
    }

    fn rich() -> CommentBody {
        body(json!({"version": 1, "content": [
            {"type": "paragraph", "children": [
                {"text": "Hi "},
                {"type": "mention", "kind": "user", "id": "marie"},
                {"text": ", the "},
                {"text": "final ", "bold": true},
                {"text": "logo", "bold": true, "italic": true},
                {"text": " is "},
                {"text": "logo_v2.svg", "code": true},
                {"text": " not ", "strikethrough": true},
                {"type": "link", "url": "https://example.com/a b_(1)", "text": "here"},
                {"text": " / "},
                {"type": "link", "url": "www.example.com"},
                {"text": " cc "},
                {"type": "mention", "kind": "group", "id": "design", "userIds": ["ana"]}
            ]},
            {"type": "paragraph", "children": [{"text": "Thanks"}]}
        ]}))
    }

    #[test]
    fn plain_text_keeps_the_words_and_writes_mentions_as_at_id() {
        assert_eq!(
            plain_text(&rich()),
            "Hi @marie, the final logo is logo_v2.svg not here / www.example.com cc @design\nThanks"
        );
        assert_eq!(rich().plain_text(), plain_text(&rich()));
    }

    #[test]
    fn markdown_formats_runs_links_and_mentions() {
        assert_eq!(
            to_markdown(&rich()),
            "Hi @marie, the **final** **_logo_** is `logo_v2.svg` ~~not~~ \
             [here](https://example.com/a%20b_\\(1\\)) / \
             [www.example.com](https://www.example.com) cc @design\n\nThanks"
        );
    }

    #[test]
    fn markdown_escapes_text_so_it_shows_literally() {
        let b = body(json!({"version": 1, "content": [
            {"type": "paragraph", "children": [
                {"text": "# not a *heading* or _em_ [x](y) <b> `c` ~s~ a\\b {!|} ![i](u)"}
            ]},
            {"type": "paragraph", "children": [{"text": "- not a list"}]},
            {"type": "paragraph", "children": [{"text": "1. nor this\n+ nor this"}]},
            {"type": "paragraph", "children": [
                {"text": "a-b 2.5 "},
                {"text": "`tick`", "code": true},
                {"text": " "},
                {"text": "a``b", "code": true},
                {"text": " "},
                {"text": "**", "bold": true},
                {"type": "mention", "kind": "user", "id": "user_with*stars"}
            ]}
        ]}));
        assert_eq!(
            to_markdown(&b),
            "\\# not a \\*heading\\* or \\_em\\_ \\[x\\]\\(y\\) \\<b\\> \\`c\\` \\~s\\~ a\\\\b {!\\|} !\\[i\\]\\(u\\)\
             \n\n\\- not a list\
             \n\n1\\. nor this\n\\+ nor this\
             \n\na-b 2.5 `` `tick` `` ```a``b``` **\\*\\***@user\\_with\\*stars"
        );
        // Plain text is never escaped.
        assert_eq!(
            plain_text(&b).lines().next(),
            Some("# not a *heading* or _em_ [x](y) <b> `c` ~s~ a\\b {!|} ![i](u)")
        );
    }

    #[test]
    fn unsafe_and_empty_links_are_rendered_as_text() {
        let b = body(
            json!({"version": 1, "content": [{"type": "paragraph", "children": [
                {"type": "link", "url": "javascript:alert(1)", "text": "click"},
                {"text": " "},
                {"type": "link", "url": "JavaScript:alert(1)"},
                {"text": " "},
                {"type": "link", "url": "/docs?q=a:b", "text": ""},
                {"text": " "},
                {"type": "link", "url": "HTTPS://EXAMPLE.COM", "text": "up"},
                {"text": " "},
                {"type": "link", "url": "mailto:a@example.com"},
                {"type": "mention", "kind": "user", "id": ""}
            ]}]}),
        );
        assert_eq!(
            to_markdown(&b),
            "click JavaScript:alert\\(1\\) [/docs?q=a:b](/docs?q=a:b) [up](HTTPS://EXAMPLE.COM) \
             mailto:a@example.com"
        );
        assert_eq!(
            plain_text(&b),
            "click JavaScript:alert(1) /docs?q=a:b up mailto:a@example.com"
        );
    }

    #[test]
    fn unknown_blocks_and_inline_elements_are_rendered_gracefully() {
        let b = body(json!({"version": 1, "content": [
            {"type": "heading", "level": 2, "children": [
                {"text": "Plan*", "bold": true},
                {"type": "mention", "kind": "user", "id": "ana"},
                {"type": "emoji", "name": "tada"},
                {"type": "hashtag", "text": "#q3"}
            ]},
            {"type": "divider"},
            {"type": "paragraph", "children": [
                {"type": "customInline", "text": "kept", "extra": 1},
                {"type": "mention", "kind": "team", "id": "core"}
            ]},
            {"type": "table", "children": "not a list"}
        ]}));
        assert!(matches!(b.content[0], CommentBodyBlockElement::Unknown(_)));
        assert_eq!(plain_text(&b), "Plan*@ana#q3\nkept@core");
        assert_eq!(to_markdown(&b), "**Plan\\***@ana\\#q3\n\nkept@core");
        // Mentions inside unknown blocks are not reported; mentions of unknown kinds are.
        let kinds: Vec<&str> = b.mentions().iter().map(|m| m.kind.as_str()).collect();
        assert_eq!(kinds, ["team"]);
    }

    #[test]
    fn an_empty_body_renders_as_an_empty_string() {
        let b = CommentBodyBuilder::new().build();
        assert_eq!(plain_text(&b), "");
        assert_eq!(to_markdown(&b), "");
        assert_eq!(
            plain_text(&CommentBody::from_text("a\n\nb")),
            "a\n\nb",
            "empty paragraphs keep their line"
        );
    }

    #[test]
    fn mentions_are_deduplicated_by_kind_and_id() {
        let b = CommentBodyBuilder::new()
            .paragraph(|p| p.mention_user("x").mention_group("x"))
            .paragraph(|p| p.mention_user("x").mention_user("y"))
            .build();
        let got: Vec<(&str, &str)> = b
            .mentions()
            .iter()
            .map(|m| (m.kind.as_str(), m.id.as_str()))
            .collect();
        assert_eq!(got, [("user", "x"), ("group", "x"), ("user", "y")]);
    }
}
