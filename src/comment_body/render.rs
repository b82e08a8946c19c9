//! Rendering a [`CommentBody`] to plain text, Markdown or HTML, with mentions written as
//! `@id` or as names an async resolver gives.

use std::collections::HashMap;
use std::future::Future;

use super::MentionRule;
use crate::types::{
    CommentBody, CommentBodyBlockElement, CommentBodyInlineElement, CommentBodyMention,
    CommentBodyMentionKind, CommentBodyText,
};

/// The output format of [`render`] and [`render_resolved`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RenderFormat {
    /// Plain text: paragraphs separated by `\n`, formatting dropped.
    Plain,
    /// CommonMark (with GitHub's `~~strikethrough~~`): paragraphs separated by an empty line.
    Markdown,
    /// HTML: one `<p>` per paragraph, separated by `\n`; every text is HTML-escaped.
    Html,
}

/// The text of a body: paragraphs separated by `\n`, mentions as `@id`, links as their text (or
/// URL), formatting dropped. See the [module documentation](super) for unknown elements.
pub fn plain_text(body: &CommentBody) -> String {
    render(body, RenderFormat::Plain)
}

/// The body as CommonMark: paragraphs separated by an empty line, `**bold**`, `_italic_`,
/// `~~strikethrough~~` (GitHub-flavoured), `` `code` ``, `[text](url)` links, mentions as `@id`,
/// and every other character escaped so that it shows literally. See the
/// [module documentation](super) for the details.
pub fn to_markdown(body: &CommentBody) -> String {
    render(body, RenderFormat::Markdown)
}

/// The body as HTML, with the markup of the Node SDK's `stringifyCommentBody`: `<p>` per
/// paragraph (an empty paragraph gives an empty line), `<strong>`, `<em>`, `<s>` and `<code>`
/// around formatted text (in that order, bold innermost), links as
/// `<a href="..." target="_blank" rel="noopener noreferrer">`, mentions as
/// `<span data-mention>@id</span>`. Every text, name and URL is escaped (`&`, `<`, `>`, `"`,
/// `'`), and a link whose URL is not `http`, `https` or relative is written as text only, so
/// the output is safe to put in a page.
///
/// ```
/// # use liveblocks::comment_body::CommentBodyBuilder;
/// let body = CommentBodyBuilder::new()
///     .paragraph(|p| p.bold("<b>").text(" & ").link("javascript:alert(1)", Some("x")))
///     .build();
/// assert_eq!(body.to_html(), "<p><strong>&lt;b&gt;</strong> &amp; x</p>");
/// ```
pub fn to_html(body: &CommentBody) -> String {
    render(body, RenderFormat::Html)
}

/// The body in `format`, mentions written `@id`.
pub fn render(body: &CommentBody, format: RenderFormat) -> String {
    render_named(body, format, &HashMap::new())
}

/// The body in `format`, user mentions written with the names `resolve_users` gives, as the
/// Node SDK's `stringifyCommentBody` does with `resolveUsers`.
///
/// `resolve_users` is called once, only when the body mentions users, with the mentioned user
/// IDs (each once, in order of appearance); it answers one entry per ID, in the same order:
/// `Some(name)`, or `None` to keep `@id` for that user (missing entries count as `None`). A
/// resolver that fails can answer `vec![]`. Group mentions are written `@id`.
///
/// ```
/// use liveblocks::comment_body::{CommentBodyBuilder, RenderFormat, render_resolved};
///
/// # futures::executor::block_on(async {
/// let body = CommentBodyBuilder::new()
///     .paragraph(|p| p.text("Thanks ").mention_user("u1").text(" and ").mention_user("u2"))
///     .build();
/// let html = render_resolved(&body, RenderFormat::Html, |ids| async move {
///     // Look the users up in your database here.
///     ids.iter().map(|id| (id == "u1").then(|| "Ada <admin>".to_owned())).collect()
/// })
/// .await;
/// assert_eq!(
///     html,
///     "<p>Thanks <span data-mention>@Ada &lt;admin&gt;</span> and \
///      <span data-mention>@u2</span></p>"
/// );
/// # });
/// ```
pub async fn render_resolved<F, Fut>(
    body: &CommentBody,
    format: RenderFormat,
    resolve_users: F,
) -> String
where
    F: FnOnce(Vec<String>) -> Fut,
    Fut: Future<Output = Vec<Option<String>>>,
{
    let user_ids: Vec<String> = body
        .mentions()
        .into_iter()
        .filter(|m| m.kind == CommentBodyMentionKind::User)
        .map(|m| m.id.clone())
        .collect();
    let mut names = HashMap::new();
    if !user_ids.is_empty() {
        let resolved = resolve_users(user_ids.clone()).await;
        for (id, name) in user_ids.into_iter().zip(resolved) {
            if let Some(name) = name {
                names.insert(id, name);
            }
        }
    }
    render_named(body, format, &names)
}

/// What a renderer needs besides the body: the format and the resolved user names.
struct Ctx<'a> {
    format: RenderFormat,
    user_names: &'a HashMap<String, String>,
}

fn render_named(
    body: &CommentBody,
    format: RenderFormat,
    user_names: &HashMap<String, String>,
) -> String {
    let ctx = Ctx { format, user_names };
    let separator = match format {
        RenderFormat::Plain | RenderFormat::Html => "\n",
        RenderFormat::Markdown => "\n\n",
    };
    // Every block is rendered straight into `out`, after its separator, so `push_text` sees a
    // line start there just as it would for a block rendered on its own.
    let mut out = String::new();
    let mut first = true;
    for block in &body.content {
        let start = out.len();
        if !first {
            out.push_str(separator);
        }
        let content_start = out.len();
        if format == RenderFormat::Html {
            out.push_str("<p>");
        }
        let inner_start = out.len();
        let rendered = match block {
            CommentBodyBlockElement::Paragraph(p) => {
                for child in &p.children {
                    render_inline(child, &ctx, &mut out);
                }
                true
            }
            CommentBodyBlockElement::Unknown(raw) => render_unknown_block(raw, &ctx, &mut out),
        };
        if format == RenderFormat::Html {
            if out.len() == inner_start {
                // An empty paragraph is an empty line, as in the Node SDK.
                out.truncate(content_start);
            } else {
                out.push_str("</p>");
            }
        }
        if rendered {
            first = false;
        } else {
            out.truncate(start);
        }
    }
    out
}

/// A block of a type this crate does not know: its `children`, read as well as possible.
/// Returns `false` when it has no `children` array.
fn render_unknown_block(raw: &serde_json::Value, ctx: &Ctx<'_>, out: &mut String) -> bool {
    let Some(children) = raw.get("children").and_then(serde_json::Value::as_array) else {
        return false;
    };
    for child in children {
        match serde_json::from_value::<CommentBodyInlineElement>(child.clone()) {
            Ok(inline) => render_inline(&inline, ctx, out),
            Err(_) => {
                if let Some(text) = child.get("text").and_then(serde_json::Value::as_str) {
                    push_text(text, ctx.format, out);
                }
            }
        }
    }
    true
}

fn render_inline(inline: &CommentBodyInlineElement, ctx: &Ctx<'_>, out: &mut String) {
    let format = ctx.format;
    match inline {
        CommentBodyInlineElement::Text(t) => match format {
            RenderFormat::Plain => out.push_str(&t.text),
            RenderFormat::Markdown => markdown_text_run(t, out),
            RenderFormat::Html => html_text_run(t, out),
        },
        CommentBodyInlineElement::Mention(m) => render_mention(m, ctx, out),
        CommentBodyInlineElement::Link(link) => {
            let label = link
                .text
                .as_deref()
                .filter(|t| !t.is_empty())
                .unwrap_or(&link.url);
            match (format, safe_href(&link.url)) {
                (RenderFormat::Markdown, Some(href)) => {
                    out.push('[');
                    escape_link_label(label, out);
                    out.push_str("](");
                    escape_destination(&href, out);
                    out.push(')');
                }
                (RenderFormat::Html, Some(href)) => {
                    out.push_str("<a href=\"");
                    escape_html(&href, out);
                    out.push_str("\" target=\"_blank\" rel=\"noopener noreferrer\">");
                    escape_html(label, out);
                    out.push_str("</a>");
                }
                _ => push_text(label, format, out),
            }
        }
        // An element kind this version does not know: keep its text if it has one.
        CommentBodyInlineElement::Unknown(raw) => {
            if let Some(text) = raw.get("text").and_then(serde_json::Value::as_str) {
                push_text(text, format, out);
            }
        }
    }
}

fn render_mention(m: &CommentBodyMention, ctx: &Ctx<'_>, out: &mut String) {
    if m.id.is_empty() {
        return;
    }
    let name = match m.kind {
        CommentBodyMentionKind::User => ctx.user_names.get(&m.id).map(String::as_str),
        _ => None,
    }
    .unwrap_or(&m.id);
    match ctx.format {
        RenderFormat::Html => {
            out.push_str("<span data-mention>@");
            escape_html(name, out);
            out.push_str("</span>");
        }
        format => {
            out.push('@');
            push_text(name, format, out);
        }
    }
}

fn html_text_run(t: &CommentBodyText, out: &mut String) {
    if t.text.is_empty() {
        return;
    }
    let on = |flag: Option<bool>| flag == Some(true);
    let tags: Vec<&str> = [
        (on(t.code), "code"),
        (on(t.strikethrough), "s"),
        (on(t.italic), "em"),
        (on(t.bold), "strong"),
    ]
    .into_iter()
    .filter_map(|(set, tag)| set.then_some(tag))
    .collect();
    for tag in &tags {
        out.push('<');
        out.push_str(tag);
        out.push('>');
    }
    escape_html(&t.text, out);
    for tag in tags.iter().rev() {
        out.push_str("</");
        out.push_str(tag);
        out.push('>');
    }
}

/// Escapes the characters that are markup in HTML text and attribute values.
fn escape_html(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

/// Unformatted text: as is in plain text, escaped in Markdown.
fn push_text(text: &str, format: RenderFormat, out: &mut String) {
    match format {
        RenderFormat::Plain => out.push_str(text),
        RenderFormat::Markdown => {
            let line_start = out.is_empty() || out.ends_with('\n');
            escape_markdown(text, line_start, out);
        }
        RenderFormat::Html => escape_html(text, out),
    }
}

fn markdown_text_run(t: &CommentBodyText, out: &mut String) {
    let on = |flag: Option<bool>| flag == Some(true);
    let core = t.text.trim();
    if core.is_empty() || !(on(t.bold) || on(t.italic) || on(t.strikethrough) || on(t.code)) {
        push_text(&t.text, RenderFormat::Markdown, out);
        return;
    }
    let leading = &t.text[..t.text.len() - t.text.trim_start().len()];
    let trailing = &t.text[t.text.trim_end().len()..];
    out.push_str(leading);
    let mut markers = Vec::new();
    if on(t.bold) {
        markers.push("**");
    }
    if on(t.italic) {
        markers.push("_");
    }
    if on(t.strikethrough) {
        markers.push("~~");
    }
    for marker in &markers {
        out.push_str(marker);
    }
    if on(t.code) {
        code_span(core, out);
    } else {
        escape_markdown(core, false, out);
    }
    for marker in markers.iter().rev() {
        out.push_str(marker);
    }
    out.push_str(trailing);
}

/// A CommonMark code span: the fence is one backtick longer than the longest backtick run in
/// the code, and a space pads code that starts or ends with a backtick.
fn code_span(code: &str, out: &mut String) {
    let mut longest = 0;
    let mut run = 0;
    for c in code.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if code.starts_with('`') || code.ends_with('`') {
        " "
    } else {
        ""
    };
    out.push_str(&fence);
    out.push_str(pad);
    out.push_str(code);
    out.push_str(pad);
    out.push_str(&fence);
}

/// Characters escaped everywhere in Markdown text.
/// (`!` needs none: the `[` after it, which would make an image, is escaped.)
const MARKDOWN_SPECIAL: &[char] = &[
    '\\', '`', '*', '_', '~', '[', ']', '(', ')', '#', '|', '<', '>',
];

/// Escapes `text` so that it shows literally; `line_start` says whether it begins a line (where
/// `-`, `+` and `1.` would start a list). An `@` that [`CommentBody::from_markdown`] would read
/// as the start of a mention is escaped too, and so are the `:` of `https://` and the `.` of
/// `www.`, which would read back as a link.
fn escape_markdown(text: &str, mut line_start: bool, out: &mut String) {
    escape_markdown_in(text, &mut line_start, false, out);
}

/// Escapes a link's label: no mention or bare URL is read in one, so `@` and URLs stay as they are.
fn escape_link_label(text: &str, out: &mut String) {
    escape_markdown_in(text, &mut false, true, out);
}

fn escape_markdown_in(text: &str, line_start: &mut bool, in_label: bool, out: &mut String) {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if *line_start {
            if c == '-' || c == '+' {
                out.push('\\');
                out.push(c);
                *line_start = false;
                continue;
            }
            if c.is_ascii_digit() {
                out.push(c);
                while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    out.push(d);
                    chars.next();
                }
                if chars.peek() == Some(&'.') {
                    out.push_str("\\.");
                    chars.next();
                }
                *line_start = false;
                continue;
            }
        }
        let starts_mention = !in_label
            && c == '@'
            && MentionRule::default().may_follow(out.chars().next_back())
            && chars
                .peek()
                .is_none_or(|&next| MentionRule::default().may_start_id(next));
        // `https://` and `www.` in text would read back as a link: escape their `:` or `.`.
        let starts_url = !in_label
            && ((c == ':'
                && ["http", "https", "ftp"].iter().any(|s| out.ends_with(s))
                && chars.clone().take(2).eq("//".chars()))
                || (c == '.' && out.ends_with("www")));
        if MARKDOWN_SPECIAL.contains(&c) || starts_mention || starts_url {
            out.push('\\');
        }
        out.push(c);
        *line_start = c == '\n';
    }
}

/// A link destination for `[text](destination)`.
fn escape_destination(href: &str, out: &mut String) {
    for c in href.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '\n' => out.push_str("%0A"),
            '\r' => out.push_str("%0D"),
            '\\' | '(' | ')' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
}

/// The URL to link to, or `None` when it should not be a link: only `http`, `https` and
/// relative URLs are linked; `www.` URLs get an `https://` prefix.
pub(super) fn safe_href(url: &str) -> Option<String> {
    let url = url.trim();
    if url.is_empty() {
        return None;
    }
    if url.starts_with("www.") {
        return Some(format!("https://{url}"));
    }
    // A scheme is letters, digits, `+`, `-`, `.` before the first `:` (and before any `/`,
    // `?` or `#`, which would make the colon part of a relative URL's path or query).
    let scheme_end = url.find([':', '/', '?', '#']);
    if let Some(end) = scheme_end
        && url[end..].starts_with(':')
    {
        let scheme = &url[..end];
        let valid = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        if !valid || !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https"))
        {
            return None;
        }
    }
    Some(url.to_owned())
}
