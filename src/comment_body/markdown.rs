//! Markdown to [`CommentBody`], at parity with the Node SDK's `markdownToCommentBody`.
//!
//! A comment body only has paragraphs of text runs (bold, italic, strikethrough, code), links
//! and mentions, so the conversion keeps the words of everything else:
//!
//! | Markdown | comment body |
//! | --- | --- |
//! | paragraph | paragraph |
//! | `**bold**`, `*italic*` / `_italic_`, `~~struck~~`, `` `code` `` | text run with those flags (nested ones combine) |
//! | `[text](url)`, `<https://...>`, bare `https://...` and `www....` (as GitHub links them) | link with the text as plain text; a link whose URL is not `http`, `https` or relative becomes text |
//! | `@id` (see [`MentionRule`]) | user mention, outside code and link text |
//! | hard or soft line break | `"\n"` in the text |
//! | heading | paragraph starting with `# ` .. `###### ` |
//! | block quote | its paragraphs, each starting with `> ` per level |
//! | list item | a paragraph starting with `- ` or `N. ` (and `[x] ` / `[ ] ` for tasks), indented two spaces per level |
//! | code block | one paragraph with the code as one text run |
//! | table | one paragraph per row, `\| a \| b \|`, with the separator row |
//! | image | its Markdown source as text |
//! | raw HTML | its source as text |
//! | thematic break, blank lines | nothing |
//!
//! Adjacent text runs with the same formatting are merged. Every input gives a body: the parser
//! (`pulldown-cmark`) accepts any text, and nothing here can panic.

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

use super::render::safe_href;
use crate::types::{
    CommentBody, CommentBodyBlockElement, CommentBodyInlineElement, CommentBodyLink,
    CommentBodyLinkType, CommentBodyMention, CommentBodyMentionKind, CommentBodyMentionType,
    CommentBodyParagraph, CommentBodyParagraphType, CommentBodyText,
};

/// What a mention looks like in Markdown text: a trigger character (`@`) followed by an ID.
///
/// The default is the Node SDK's rule: `@` not preceded by a letter, digit, `_`, `.` or `-`,
/// then an ID that starts with an ASCII letter, digit or `_` and goes on with those, `.`, `-`
/// and `@`; one `.` or `-` at its end is left out when a space or the end of the text follows
/// (`"Thanks @ana."` mentions `ana`). The ID is taken as written: it should be the user ID.
///
/// ```
/// use liveblocks::comment_body::{MarkdownOptions, MentionRule};
/// use liveblocks::types::CommentBody;
///
/// // IDs with any letter (`@josé`), or no mentions at all.
/// let unicode = MentionRule::default().id_chars(|c| c.is_alphanumeric() || c == '_');
/// let body = CommentBody::from_markdown_with("hi @josé", &MarkdownOptions::new().mentions(unicode));
/// assert_eq!(body.mentions()[0].id, "josé");
/// let none = MarkdownOptions::new().mentions(MentionRule::none());
/// assert!(CommentBody::from_markdown_with("hi @ana", &none).mentions().is_empty());
/// ```
#[derive(Debug, Clone, Copy)]
pub struct MentionRule {
    trigger: Option<char>,
    id_char: fn(char) -> bool,
}

fn ascii_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

impl Default for MentionRule {
    fn default() -> Self {
        MentionRule {
            trigger: Some('@'),
            id_char: ascii_id_char,
        }
    }
}

impl MentionRule {
    /// No text is a mention.
    pub fn none() -> Self {
        MentionRule {
            trigger: None,
            ..Self::default()
        }
    }

    /// The character that starts a mention (`@` by default).
    pub fn trigger(mut self, trigger: char) -> Self {
        self.trigger = Some(trigger);
        self
    }

    /// The characters an ID is made of (its first character must be one; `.`, `-` and `@`
    /// may follow). The default is ASCII letters, digits and `_`.
    pub fn id_chars(mut self, id_char: fn(char) -> bool) -> Self {
        self.id_char = id_char;
        self
    }

    /// Whether a mention may start after `prev` (`None`: at the start of a text).
    pub(super) fn may_follow(&self, prev: Option<char>) -> bool {
        prev.is_none_or(|p| !((self.id_char)(p) || p == '.' || p == '-'))
    }

    /// Whether `c` may be the first character of an ID.
    pub(super) fn may_start_id(&self, c: char) -> bool {
        (self.id_char)(c)
    }

    fn may_continue_id(&self, c: char) -> bool {
        (self.id_char)(c) || matches!(c, '.' | '-' | '@')
    }

    /// The mentions in `text` as (byte range of the trigger and ID, byte range of the ID),
    /// skipping triggers at the byte offsets `literal` says were escaped.
    fn find(
        &self,
        text: &str,
        literal: &dyn Fn(usize) -> bool,
    ) -> Vec<(Range<usize>, Range<usize>)> {
        let Some(trigger) = self.trigger else {
            return Vec::new();
        };
        let mut found = Vec::new();
        let mut prev: Option<char> = None;
        let mut iter = text.char_indices().peekable();
        while let Some((at, c)) = iter.next() {
            if c != trigger || literal(at) || !self.may_follow(prev) {
                prev = Some(c);
                continue;
            }
            let id_start = at + c.len_utf8();
            match iter.peek() {
                Some(&(_, first)) if self.may_start_id(first) => {}
                _ => {
                    prev = Some(c);
                    continue;
                }
            }
            let mut id_end = id_start;
            let mut last = c;
            while let Some(&(i, next)) = iter.peek() {
                if !self.may_continue_id(next) {
                    break;
                }
                id_end = i + next.len_utf8();
                last = next;
                iter.next();
            }
            prev = Some(last);
            let mut end = id_end;
            let followed_by_space = text[id_end..]
                .chars()
                .next()
                .is_none_or(char::is_whitespace);
            if (last == '.' || last == '-') && followed_by_space && id_end - 1 > id_start {
                end -= 1;
            }
            found.push((at..end, id_start..end));
        }
        found
    }
}

/// Options of [`CommentBody::from_markdown_with`].
#[derive(Debug, Clone, Default)]
pub struct MarkdownOptions {
    mentions: MentionRule,
}

impl MarkdownOptions {
    /// The defaults: [`MentionRule::default`].
    pub fn new() -> Self {
        Self::default()
    }

    /// What a mention looks like.
    pub fn mentions(mut self, rule: MentionRule) -> Self {
        self.mentions = rule;
        self
    }
}

impl CommentBody {
    /// A body from Markdown, as the Node SDK's `markdownToCommentBody` makes it; see the
    /// [`comment_body`](crate::comment_body) module for what each construct becomes.
    ///
    /// ```
    /// # use liveblocks::types::CommentBody;
    /// let body = CommentBody::from_markdown("Hi @ana, **see** [the doc](https://example.com)");
    /// assert_eq!(
    ///     serde_json::to_value(&body).unwrap(),
    ///     serde_json::json!({"version": 1, "content": [{"type": "paragraph", "children": [
    ///         {"text": "Hi "},
    ///         {"type": "mention", "kind": "user", "id": "ana"},
    ///         {"text": ", "},
    ///         {"text": "see", "bold": true},
    ///         {"text": " "},
    ///         {"type": "link", "url": "https://example.com", "text": "the doc"}
    ///     ]}]})
    /// );
    /// ```
    pub fn from_markdown(markdown: &str) -> CommentBody {
        Self::from_markdown_with(markdown, &MarkdownOptions::default())
    }

    /// [`from_markdown`](Self::from_markdown) with a mention rule of your own.
    pub fn from_markdown_with(markdown: &str, options: &MarkdownOptions) -> CommentBody {
        let mut converter = Converter::new(markdown, options.mentions);
        let parser = Parser::new_ext(
            markdown,
            Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS,
        );
        for (event, range) in parser.into_offset_iter() {
            converter.event(event, range);
        }
        converter.finish()
    }
}

/// A container block the current paragraph is inside.
enum Container {
    Quote,
    /// A list item; its marker (`"  - "`, `"3. [x] "`) is written before its first paragraph.
    Item {
        marker: String,
        used: bool,
    },
}

/// An open list: its next number (`None` for bullets).
struct List {
    next: Option<u64>,
}

/// A table being read: its rows of plain-text cells and the column alignments.
struct Table {
    align: Vec<pulldown_cmark::Alignment>,
    rows: Vec<Vec<String>>,
}

/// Where text goes: the current paragraph, or a plain-text sink (link text, image alt, cell).
enum Sink {
    Link {
        href: Option<String>,
        text: String,
    },
    Image {
        source: Range<usize>,
        href: String,
        alt: String,
    },
    Cell(String),
}

struct Converter<'a> {
    source: &'a str,
    rule: MentionRule,
    paragraphs: Vec<CommentBodyBlockElement>,
    containers: Vec<Container>,
    lists: Vec<List>,
    /// The children of the open paragraph, if one is open.
    children: Option<Vec<CommentBodyInlineElement>>,
    /// Text not yet split into runs and mentions, in the current style, with the byte ranges
    /// (in `text`) that came from escapes or entities and so are never mentions.
    text: String,
    literal: Vec<Range<usize>>,
    /// The byte ranges (in `text`) of raw HTML, where no bare URL is linked.
    html: Vec<Range<usize>>,
    text_style: Style,
    style: Style,
    sinks: Vec<Sink>,
    table: Option<Table>,
    code_block: Option<String>,
    /// Where the last text event ended in the source.
    last_text_end: usize,
}

#[derive(Clone, Copy, Default, PartialEq, Eq)]
struct Style {
    bold: u32,
    italic: u32,
    strikethrough: u32,
}

impl<'a> Converter<'a> {
    fn new(source: &'a str, rule: MentionRule) -> Self {
        Converter {
            source,
            rule,
            paragraphs: Vec::new(),
            containers: Vec::new(),
            lists: Vec::new(),
            children: None,
            text: String::new(),
            literal: Vec::new(),
            html: Vec::new(),
            text_style: Style::default(),
            style: Style::default(),
            sinks: Vec::new(),
            table: None,
            code_block: None,
            last_text_end: 0,
        }
    }

    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => {
                if let Some(code) = &mut self.code_block {
                    code.push_str(&text);
                } else if self.source.get(range.clone()) != Some(&*text) {
                    // An entity (`&#64;`): text, never a mention.
                    self.push_text(&text, true);
                } else {
                    // A backslash escape shows as a text event starting just after the `\`
                    // (which no earlier text event holds): its first character is literal.
                    let escaped = range.start > 0
                        && self.source.as_bytes().get(range.start - 1) == Some(&b'\\')
                        && self.last_text_end != range.start;
                    let first_len = text.chars().next().map_or(0, char::len_utf8);
                    if escaped {
                        self.push_text(&text[..first_len], true);
                        self.push_text(&text[first_len..], false);
                    } else {
                        self.push_text(&text, false);
                    }
                }
                self.last_text_end = range.end;
            }
            Event::Code(code) => {
                if !self.push_plain(&code) {
                    self.flush_text();
                    let style = self.style;
                    self.open_paragraph()
                        .push(text_run(code.into_string(), style, true));
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                if let Some(range) = self.push_text(&html, false) {
                    self.html.push(range);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                self.push_text("\n", true);
            }
            Event::TaskListMarker(checked) => {
                if let Some(Container::Item {
                    marker,
                    used: false,
                }) = self.containers.last_mut()
                {
                    marker.push_str(if checked { "[x] " } else { "[ ] " });
                }
            }
            Event::FootnoteReference(label) => {
                self.push_text(&format!("[^{label}]"), true);
            }
            Event::Rule | Event::InlineMath(_) | Event::DisplayMath(_) => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: Range<usize>) {
        match tag {
            Tag::Paragraph | Tag::HtmlBlock => self.close_paragraph(),
            Tag::Heading { level, .. } => {
                self.close_paragraph();
                let hashes = "#".repeat(level as usize);
                self.open_paragraph();
                self.push_text(&format!("{hashes} "), true);
                self.flush_text();
            }
            Tag::BlockQuote(_) => {
                self.close_paragraph();
                self.containers.push(Container::Quote);
            }
            Tag::CodeBlock(_) => {
                self.close_paragraph();
                self.code_block = Some(String::new());
            }
            Tag::List(start) => {
                self.close_paragraph();
                self.lists.push(List { next: start });
            }
            Tag::Item => {
                self.close_paragraph();
                let indent = "  ".repeat(self.lists.len().saturating_sub(1));
                let marker = match self.lists.last_mut().and_then(|l| l.next.as_mut()) {
                    Some(n) => {
                        let marker = format!("{indent}{n}. ");
                        *n = n.saturating_add(1);
                        marker
                    }
                    None => format!("{indent}- "),
                };
                self.containers.push(Container::Item {
                    marker,
                    used: false,
                });
            }
            Tag::Table(align) => {
                self.close_paragraph();
                self.table = Some(Table {
                    align,
                    rows: Vec::new(),
                });
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(table) = &mut self.table {
                    table.rows.push(Vec::new());
                }
            }
            Tag::TableCell => self.sinks.push(Sink::Cell(String::new())),
            Tag::Emphasis => self.style.italic += 1,
            Tag::Strong => self.style.bold += 1,
            Tag::Strikethrough => self.style.strikethrough += 1,
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => {
                let href = match link_type {
                    LinkType::Email => None,
                    _ => safe_href(&dest_url),
                };
                self.sinks.push(Sink::Link {
                    href,
                    text: String::new(),
                });
            }
            Tag::Image { dest_url, .. } => self.sinks.push(Sink::Image {
                source: range,
                href: dest_url.into_string(),
                alt: String::new(),
            }),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::Heading(_) => self.close_paragraph(),
            TagEnd::HtmlBlock => {
                while self.text.ends_with('\n') {
                    self.text.pop();
                }
                self.close_paragraph();
            }
            TagEnd::BlockQuote(_) => {
                self.close_paragraph();
                self.containers.pop();
            }
            TagEnd::CodeBlock => {
                let mut code = self.code_block.take().unwrap_or_default();
                if code.ends_with('\n') {
                    code.pop();
                }
                self.open_paragraph()
                    .push(text_run(code, Style::default(), false));
                self.close_paragraph();
            }
            TagEnd::List(_) => {
                self.close_paragraph();
                self.lists.pop();
            }
            TagEnd::Item => {
                self.close_paragraph();
                if let Some(Container::Item { used: false, .. }) = self.containers.last() {
                    // An empty item is its marker alone.
                    self.open_paragraph();
                    self.close_paragraph();
                }
                self.containers.pop();
            }
            TagEnd::Table => {
                if let Some(table) = self.table.take() {
                    self.table_paragraphs(table);
                }
            }
            TagEnd::TableCell => {
                if let Some(Sink::Cell(cell)) = self.sinks.pop()
                    && let Some(row) = self.table.as_mut().and_then(|t| t.rows.last_mut())
                {
                    row.push(cell);
                }
            }
            TagEnd::Emphasis => self.style.italic = self.style.italic.saturating_sub(1),
            TagEnd::Strong => self.style.bold = self.style.bold.saturating_sub(1),
            TagEnd::Strikethrough => {
                self.style.strikethrough = self.style.strikethrough.saturating_sub(1)
            }
            TagEnd::Link => match self.sinks.pop() {
                Some(Sink::Link { href, text }) => {
                    if self.push_plain(&text) {
                        return;
                    }
                    match href {
                        Some(url) => {
                            self.flush_text();
                            self.open_paragraph().push(
                                CommentBodyLink {
                                    url,
                                    text: Some(text),
                                    type_: CommentBodyLinkType::Link,
                                }
                                .into(),
                            );
                        }
                        None => {
                            self.push_text(&text, true);
                        }
                    }
                }
                Some(other) => self.sinks.push(other),
                None => {}
            },
            TagEnd::Image => match self.sinks.pop() {
                Some(Sink::Image { source, href, alt }) => {
                    if self.sinks.is_empty() {
                        let raw = self.source.get(source).unwrap_or_default().to_owned();
                        self.push_text(&raw, true);
                    } else {
                        // In link text or a table cell: the alt text, or the URL without one.
                        let shown = if alt.is_empty() { href } else { alt };
                        self.push_plain(&shown);
                    }
                }
                Some(other) => self.sinks.push(other),
                None => {}
            },
            _ => {}
        }
    }

    /// Appends to the innermost plain-text sink; `false` when there is none.
    fn push_plain(&mut self, text: &str) -> bool {
        match self.sinks.last_mut() {
            Some(Sink::Link { text: sink, .. })
            | Some(Sink::Image { alt: sink, .. })
            | Some(Sink::Cell(sink)) => {
                sink.push_str(text);
                true
            }
            None => false,
        }
    }

    /// Appends text in the current style; `literal` text never starts a mention. Returns where
    /// it went in the pending text (`None`: to a plain-text sink, or nothing).
    fn push_text(&mut self, text: &str, literal: bool) -> Option<Range<usize>> {
        if text.is_empty() || self.push_plain(text) {
            return None;
        }
        if self.text_style != self.style {
            self.flush_text();
        }
        self.open_paragraph();
        self.text_style = self.style;
        let start = self.text.len();
        self.text.push_str(text);
        let range = start..self.text.len();
        if literal {
            self.literal.push(range.clone());
        }
        Some(range)
    }

    /// Turns the pending text into runs, links (bare URLs, as GitHub's Markdown links them) and
    /// mentions.
    fn flush_text(&mut self) {
        if self.text.is_empty() {
            return;
        }
        let text = std::mem::take(&mut self.text);
        let literal = std::mem::take(&mut self.literal);
        let html = std::mem::take(&mut self.html);
        let style = self.text_style;
        let in_any = |ranges: &[Range<usize>], at: usize| ranges.iter().any(|r| r.contains(&at));
        let urls = bare_urls(&text, &|at| in_any(&literal, at) || in_any(&html, at));
        let rule = self.rule;
        let children = self.open_paragraph();
        let mut cursor = 0;
        for (range, href) in urls.into_iter().chain([(text.len()..text.len(), None)]) {
            let segment = &text[cursor..range.start];
            let offset = cursor;
            let is_literal = |at: usize| in_any(&literal, at + offset);
            push_with_mentions(children, segment, style, &rule.find(segment, &is_literal));
            match href {
                Some(url) => children.push(
                    CommentBodyLink {
                        url,
                        text: Some(text[range.clone()].to_owned()),
                        type_: CommentBodyLinkType::Link,
                    }
                    .into(),
                ),
                // A URL of another scheme (`ftp://`): text, without mentions.
                None if !range.is_empty() => {
                    children.push(text_run(text[range.clone()].to_owned(), style, false))
                }
                None => {}
            }
            cursor = range.end;
        }
    }

    /// The children of the open paragraph, opening one (with the prefixes of its containers)
    /// if none is.
    fn open_paragraph(&mut self) -> &mut Vec<CommentBodyInlineElement> {
        if self.children.is_none() {
            let mut prefix = String::new();
            for container in &mut self.containers {
                match container {
                    Container::Quote => prefix.push_str("> "),
                    Container::Item { marker, used } => {
                        if !*used {
                            prefix.push_str(marker);
                            *used = true;
                        }
                    }
                }
            }
            let mut children = Vec::new();
            if !prefix.is_empty() {
                children.push(text_run(prefix, Style::default(), false));
            }
            self.children = Some(children);
        }
        self.children.get_or_insert_with(Vec::new)
    }

    fn close_paragraph(&mut self) {
        self.flush_text();
        if let Some(children) = self.children.take() {
            let children = merge_runs(children);
            if !children.is_empty() {
                self.paragraphs.push(
                    CommentBodyParagraph {
                        children,
                        type_: CommentBodyParagraphType::Paragraph,
                    }
                    .into(),
                );
            }
        }
    }

    fn table_paragraphs(&mut self, table: Table) {
        use pulldown_cmark::Alignment;
        let row_text = |cells: &[String]| format!("| {} |", cells.join(" | "));
        let separator: Vec<String> = table
            .align
            .iter()
            .map(|a| {
                match a {
                    Alignment::Left => ":---",
                    Alignment::Center => ":---:",
                    Alignment::Right => "---:",
                    Alignment::None => "---",
                }
                .to_owned()
            })
            .collect();
        let mut lines = Vec::new();
        for (i, row) in table.rows.iter().enumerate() {
            lines.push(row_text(row));
            if i == 0 {
                lines.push(row_text(&separator));
            }
        }
        for line in lines {
            self.open_paragraph()
                .push(text_run(line, Style::default(), false));
            self.close_paragraph();
        }
    }

    fn finish(mut self) -> CommentBody {
        self.close_paragraph();
        CommentBody {
            content: self.paragraphs,
            version: super::COMMENT_BODY_VERSION,
        }
    }
}

fn text_run(text: String, style: Style, code: bool) -> CommentBodyInlineElement {
    let flag = |on: bool| on.then_some(true);
    CommentBodyText {
        text,
        bold: flag(style.bold > 0),
        italic: flag(style.italic > 0),
        strikethrough: flag(style.strikethrough > 0),
        code: flag(code),
    }
    .into()
}

/// Merges adjacent text runs with the same formatting and drops empty ones.
pub(super) fn merge_runs(children: Vec<CommentBodyInlineElement>) -> Vec<CommentBodyInlineElement> {
    let mut merged: Vec<CommentBodyInlineElement> = Vec::with_capacity(children.len());
    for child in children {
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
    merged
}

/// Appends `text` as runs in `style`, with the `mentions` (ranges in `text`) as mentions.
fn push_with_mentions(
    children: &mut Vec<CommentBodyInlineElement>,
    text: &str,
    style: Style,
    mentions: &[(Range<usize>, Range<usize>)],
) {
    let mut cursor = 0;
    for (whole, id) in mentions {
        if whole.start > cursor {
            children.push(text_run(text[cursor..whole.start].to_owned(), style, false));
        }
        children.push(
            CommentBodyMention {
                id: text[id.clone()].to_owned(),
                kind: CommentBodyMentionKind::User,
                type_: CommentBodyMentionType::Mention,
                user_ids: Vec::new(),
            }
            .into(),
        );
        cursor = whole.end;
    }
    if cursor < text.len() {
        children.push(text_run(text[cursor..].to_owned(), style, false));
    }
}

/// The bare URLs in `text` (GitHub's extended autolinks: `http://`, `https://`, `ftp://` or
/// `www.`, then a domain, up to a space or `<`, without trailing punctuation or an unmatched
/// `)`), each with the URL to link to (`www.` gets `http://`), or `None` when it is not a
/// safe link. URLs starting where `excluded` says (escapes, raw HTML) are skipped.
fn bare_urls(text: &str, excluded: &dyn Fn(usize) -> bool) -> Vec<(Range<usize>, Option<String>)> {
    const PREFIXES: [&str; 4] = ["https://", "http://", "ftp://", "www."];
    let mut found = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let rest = &text[at..];
        let Some(prefix) = PREFIXES.iter().find(|p| rest.starts_with(**p)) else {
            at += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        };
        let after = &rest[prefix.len()..];
        if (at..at + prefix.len()).any(excluded)
            || !after
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            at += prefix.len();
            continue;
        }
        let end = after
            .find(|c: char| c.is_whitespace() || c == '<')
            .unwrap_or(after.len());
        let mut url = &rest[..prefix.len() + end];
        while let Some(last) = url.chars().next_back() {
            let unmatched_paren =
                last == ')' && url.matches(')').count() > url.matches('(').count();
            if !("?!.,:;*_'\"~".contains(last) || unmatched_paren) {
                break;
            }
            url = &url[..url.len() - 1];
        }
        if url.len() <= prefix.len() {
            at += prefix.len();
            continue;
        }
        let href = if *prefix == "www." {
            safe_href(&format!("http://{url}"))
        } else {
            safe_href(url)
        };
        found.push((at..at + url.len(), href));
        at += url.len();
    }
    found
}
