//! The request-path invariant: a request leaves only for its operation's own method and path.
//!
//! Two steps, both on every request:
//!
//! 1. [`url`] builds the URL from the operation's path template (the `ops` table generated from
//!    the spec): the base URL, then each template segment, every parameter percent-encoded so
//!    that it is exactly one segment whatever it holds (`/`, `\`, `%`, `?`, `#`, control
//!    characters, non-ASCII). The values that cannot be a segment at all, `""`, `.` and `..`
//!    (dot segments, which URL parsers resolve away), are refused by parameter name.
//! 2. [`check`] runs on the final `reqwest::Url`, after parsing and normalisation, just before
//!    the credential is added: the origin must be the base URL's, the path must be the base
//!    prefix followed by the template with each parameter one non-empty segment of characters a
//!    segment may hold, there must be no fragment, and the method must be the operation's.
//!    Anything else is refused with `Error::InvalidArgument` before a byte is sent. Step 1 makes
//!    this hold; step 2 is what guarantees it, whatever built the request.

use std::fmt::{self, Write as _};

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use crate::operation::{OperationMeta, Segment};

/// What is percent-encoded in a path parameter: everything except the characters RFC 3986
/// allows raw in a segment (`pchar`: letters, digits, `-._~`, `!$&'()*+,;=`, `:` and `@`).
/// Non-ASCII is always encoded (as UTF-8).
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Whether `b` may appear raw in an encoded segment (the complement of [`SEGMENT`], plus `%`
/// which [`check`] accepts only as the start of an escape).
fn is_segment_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'-' | b'.'
                | b'_'
                | b'~'
                | b'!'
                | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'@'
        )
}

/// Writes a value percent-encoded into the URL, noting what the check by name needs.
struct SegmentWriter<'a> {
    out: &'a mut String,
    /// Characters of the value written so far.
    len: usize,
    /// How many of them were `.`.
    dots: usize,
}

impl fmt::Write for SegmentWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.len += s.len();
        self.dots += s.bytes().filter(|&b| b == b'.').count();
        self.out.extend(utf8_percent_encode(s, SEGMENT));
        Ok(())
    }
}

/// Builds the URL of `op` under `base` (the normalised base URL, without a trailing `/`), with
/// `params` filling the template's parameters in order.
///
/// # Errors
///
/// A message naming the operation and the parameter when a value is `""`, `.` or `..`.
pub(crate) fn url(
    base: &str,
    op: &OperationMeta,
    params: &[&dyn fmt::Display],
) -> Result<String, String> {
    let mut out = String::with_capacity(base.len() + op.path.len() + 16);
    out.push_str(base);
    let mut params = params.iter();
    for segment in op.segments {
        out.push('/');
        match segment {
            Segment::Literal(text) => out.push_str(text),
            Segment::Param(name) => {
                let value = params
                    .next()
                    .ok_or_else(|| format!("no value for the path parameter `{name}`"))?;
                let mut writer = SegmentWriter {
                    out: &mut out,
                    len: 0,
                    dots: 0,
                };
                write!(writer, "{value}")
                    .map_err(|_| format!("the path parameter `{name}` could not be formatted"))?;
                let (len, dots) = (writer.len, writer.dots);
                if len == 0 {
                    return Err(format!(
                        "the path parameter `{name}` is empty; an empty segment would address \
                         another endpoint"
                    ));
                }
                if len == dots && len <= 2 {
                    let value = if len == 1 { "." } else { ".." };
                    return Err(format!(
                        "the path parameter `{name}` is {value:?}, a dot segment that URLs \
                         resolve away, so it cannot name anything"
                    ));
                }
            }
        }
    }
    if params.next().is_some() {
        return Err("more path values than parameters".into());
    }
    Ok(out)
}

/// Checks the final request against its operation (see the module docs). `base` is the
/// normalised base URL the client was built with, `base_path_len` the length of its path part
/// (`0` without a prefix).
///
/// # Errors
///
/// A message naming the operation when the method, origin or path is not the operation's.
pub(crate) fn check(
    request: &reqwest::Request,
    base: &str,
    base_path_len: usize,
    op: &OperationMeta,
) -> Result<(), String> {
    if *request.method() != op.method {
        return Err(format!(
            "{}: the request method {} is not the operation's {}; refused before sending",
            op.id,
            request.method(),
            op.method
        ));
    }
    let url = request.url();
    let (origin, base_path) = base.split_at(base.len() - base_path_len);
    let same_origin = url.as_str().starts_with(origin)
        && url.as_str().as_bytes().get(origin.len()) == Some(&b'/');
    if !same_origin || url.fragment().is_some() {
        return Err(format!(
            "{}: the request URL is not under the client's base URL {base}; refused before \
             sending",
            op.id
        ));
    }
    if !path_matches(url.path(), base_path, op.segments) {
        return Err(format!(
            "{}: the request path {:?} is not {} under the base URL with each parameter one \
             segment; refused before sending",
            op.id,
            url.path(),
            op.path
        ));
    }
    Ok(())
}

/// Whether `path` is `base_path` followed by the template, each parameter one valid segment.
fn path_matches(path: &str, base_path: &str, segments: &[Segment]) -> bool {
    let Some(mut rest) = path.strip_prefix(base_path) else {
        return false;
    };
    for segment in segments {
        let Some(tail) = rest.strip_prefix('/') else {
            return false;
        };
        let (value, tail) = tail.split_at(tail.find('/').unwrap_or(tail.len()));
        let ok = match segment {
            Segment::Literal(text) => value == *text,
            Segment::Param(_) => is_one_segment(value),
        };
        if !ok {
            return false;
        }
        rest = tail;
    }
    rest.is_empty()
}

/// A non-empty segment that is not a dot segment and holds only raw segment characters and
/// complete `%XX` escapes, so that percent-decoding it gives back exactly one value.
fn is_one_segment(value: &str) -> bool {
    if value.is_empty() || value == "." || value == ".." {
        return false;
    }
    let bytes = value.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = |j: usize| bytes.get(j).is_some_and(u8::is_ascii_hexdigit);
                if !(hex(i + 1) && hex(i + 2)) {
                    return false;
                }
                i += 3;
            }
            b if is_segment_byte(b) => i += 1,
            _ => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generated::ops;

    fn request(method: reqwest::Method, url: &str) -> reqwest::Request {
        reqwest::Request::new(method, reqwest::Url::parse(url).unwrap())
    }

    #[test]
    fn parameters_are_one_encoded_segment() {
        let cases: &[(&str, &str)] = &[
            ("plain-id_1.x~", "plain-id_1.x~"),
            ("tenant:doc", "tenant:doc"),
            ("a/b", "a%2Fb"),
            ("a\\..\\b", "a%5C..%5Cb"),
            ("50%", "50%25"),
            ("%2e%2e", "%252e%252e"),
            ("q?x#y", "q%3Fx%23y"),
            ("tab\tnl\ncr\r", "tab%09nl%0Acr%0D"),
            ("é ü", "%C3%A9%20%C3%BC"),
            ("...", "..."),
            (".hidden", ".hidden"),
            ("(v2)", "(v2)"),
            ("[|^`{}]<>\"", "%5B%7C%5E%60%7B%7D%5D%3C%3E%22"),
        ];
        for (value, encoded) in cases {
            let url = url("https://h.io/p", &ops::GET_ROOM, &[value]).unwrap();
            assert_eq!(
                url,
                format!("https://h.io/p/v2/rooms/{encoded}"),
                "{value:?}"
            );
            let parsed = reqwest::Url::parse(&url).unwrap();
            let last = parsed.path_segments().unwrap().next_back().unwrap();
            assert_eq!(
                percent_encoding::percent_decode_str(last)
                    .decode_utf8()
                    .unwrap(),
                *value
            );
            check(
                &request(reqwest::Method::GET, &url),
                "https://h.io/p",
                2,
                &ops::GET_ROOM,
            )
            .unwrap();
        }
    }

    #[test]
    fn values_that_cannot_be_a_segment_are_refused_by_name() {
        let err = url("https://h.io", &ops::GET_ROOM, &[&""]).unwrap_err();
        assert!(
            err.starts_with("the path parameter `roomId` is empty"),
            "{err}"
        );
        for dots in [".", ".."] {
            let err = url("https://h.io", &ops::GET_STORAGE_DOCUMENT, &[&dots]).unwrap_err();
            assert!(
                err.starts_with(&format!(
                    "the path parameter `roomId` is \"{dots}\", a dot segment"
                )),
                "{err}"
            );
        }
        let err = url("https://h.io", &ops::GET_THREAD, &[&"r", &".."]).unwrap_err();
        assert!(err.contains("`threadId` is \"..\""), "{err}");
        // Numbers format straight into the URL.
        assert_eq!(
            url(
                "https://h.io",
                &ops::UPLOAD_STORAGE_FILE_MULTIPART_PART,
                &[&"r", &"f", &"u", &3u32]
            )
            .unwrap(),
            "https://h.io/v2/rooms/r/storage/files/f/multipart/u/3"
        );
    }

    #[test]
    fn the_final_request_must_be_the_operations_own() {
        let base = "https://h.io/prefix";
        let len = "/prefix".len();
        let ok = "https://h.io/prefix/v2/rooms/r1/threads/t1";
        check(
            &request(reqwest::Method::GET, ok),
            base,
            len,
            &ops::GET_THREAD,
        )
        .unwrap();
        let refused = [
            (reqwest::Method::DELETE, ok),
            (
                reqwest::Method::GET,
                "https://h.io/prefix/v2/rooms/r1/threads",
            ),
            (
                reqwest::Method::GET,
                "https://h.io/prefix/v2/rooms/r1/threads/t1/x",
            ),
            (reqwest::Method::GET, "https://h.io/v2/rooms/r1/threads/t1"),
            (
                reqwest::Method::GET,
                "https://h.io/prefixx/v2/rooms/r1/threads/t1",
            ),
            (
                reqwest::Method::GET,
                "https://h.io.evil/prefix/v2/rooms/r1/threads/t1",
            ),
            (
                reqwest::Method::GET,
                "http://h.io/prefix/v2/rooms/r1/threads/t1",
            ),
            (
                reqwest::Method::GET,
                "https://h.io:444/prefix/v2/rooms/r1/threads/t1",
            ),
            (
                reqwest::Method::GET,
                "https://h.io/prefix/v2/rooms//threads/t1",
            ),
            (
                reqwest::Method::GET,
                "https://h.io/prefix/v2/rooms/r1/threads/t1#f",
            ),
            (
                reqwest::Method::GET,
                "https://h.io/prefix/v2/rooms/a%2/threads/t1",
            ),
            (
                reqwest::Method::GET,
                "https://h.io/prefix/v2/rooms/a%7Cb|/threads/t1",
            ),
            (
                reqwest::Method::GET,
                "https://h.io/prefix/v2/projects/r1/threads/t1",
            ),
        ];
        for (method, url) in refused {
            let err =
                check(&request(method.clone(), url), base, len, &ops::GET_THREAD).expect_err(url);
            assert!(
                err.starts_with("get_thread: ") && err.ends_with("refused before sending"),
                "{err}"
            );
        }
        // A query is part of the operation (its parameters); it is not the path.
        check(
            &request(reqwest::Method::GET, &format!("{ok}?x=1")),
            base,
            len,
            &ops::GET_THREAD,
        )
        .unwrap();
    }
}
