//! Names in our conventions: snake_case operation ids named like the official SDKs
//! (`get_room`, `create_thread`, `get_thread_participants`), PascalCase schema names.

/// The lowercase words of a name in any case style (`get-rooms-roomId`, `activeUsers`,
/// `broadcast_event`, `GetRoomsResponse`).
pub fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut prev: Option<char> = None;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            prev = None;
            continue;
        }
        let boundary = c.is_ascii_uppercase()
            && prev.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit());
        if boundary && !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        word.push(c.to_ascii_lowercase());
        prev = Some(c);
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// `get-rooms-roomId` -> `get_rooms_room_id`.
pub fn snake(name: &str) -> String {
    words(name).join("_")
}

/// `room engine` -> `RoomEngine`, `get_rooms` -> `GetRooms`.
pub fn pascal(name: &str) -> String {
    words(name)
        .iter()
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// A schema name in our convention: PascalCase, starting with a letter.
pub fn schema_name(name: &str) -> String {
    let name = pascal(name);
    if name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name
    } else {
        format!("Schema{name}")
    }
}

/// The same spelling up to case and separators (`tenant_id`, `tenantId`, `tenant-id`).
pub fn respelling_key(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn is_plural(word: &str) -> bool {
    word.ends_with('s') && !["ss", "us", "is"].iter().any(|end| word.ends_with(end))
}

fn singular_word(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        format!("{stem}y")
    } else if ["sses", "shes", "ches", "xes"]
        .iter()
        .any(|end| word.ends_with(end))
    {
        word[..word.len() - 2].to_string()
    } else if is_plural(word) {
        word[..word.len() - 1].to_string()
    } else {
        word.to_string()
    }
}

/// `inbox-notifications` -> `inbox_notification`.
fn singular(segment: &str) -> String {
    let mut w = words(segment);
    if let Some(last) = w.last_mut() {
        *last = singular_word(last);
    }
    w.join("_")
}

enum Segment {
    Literal(String),
    Param,
}

/// Whether a path segment is an API version (`v2`).
pub fn is_version(segment: &str) -> bool {
    segment.len() > 1
        && segment.starts_with('v')
        && segment[1..].chars().all(|c| c.is_ascii_digit())
}

/// `base`, or `base{sep}2`, `base{sep}3`, ... when taken.
pub fn unique(base: &str, sep: &str, taken: &std::collections::BTreeSet<String>) -> String {
    let mut name = base.to_string();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}{sep}{n}");
        n += 1;
    }
    name
}

fn segments(path: &str) -> Vec<Segment> {
    path.split('/')
        .filter(|s| !s.is_empty())
        // The API version (`/v2`) names nothing.
        .filter(|s| !is_version(s))
        .map(|s| {
            if s.starts_with('{') {
                Segment::Param
            } else {
                Segment::Literal(s.to_string())
            }
        })
        .collect()
}

/// The operation id of an operation that has none (or only a spelling of its method and path,
/// like upstream's `get-rooms-roomId`), named the way the official SDKs name theirs:
///
/// - on an item (`/rooms/{roomId}`): `get_room`, `update_room` (POST, PATCH), `delete_room`,
///   `put_room`;
/// - on a collection (`/rooms`): `get_rooms`, `create_room` (POST), `delete_rooms`;
/// - on an action (`/threads/{threadId}/mark-as-resolved`): POST `mark_as_resolved`, a
///   one-word action with what it acts on (`/rooms/{roomId}/upsert`: `upsert_room`); other
///   methods `get_...`, `delete_...`, `put_...`, `update_...`;
/// - under two or more parameters, reads and deletions name the resource they belong to:
///   `/rooms/{roomId}/threads/{threadId}/participants` gives `get_thread_participants`;
/// - leading segments before the resource name its family: `/ai/copilots` gives
///   `get_ai_copilots`, `/management/projects/{projectId}/webhooks` `get_management_webhooks`.
pub fn operation_name(method: &str, path: &str) -> String {
    let segs = segments(path);
    let params = segs.iter().filter(|s| matches!(s, Segment::Param)).count();
    let literal_before = |end: usize| {
        segs[..end].iter().rev().find_map(|s| match s {
            Segment::Literal(l) => Some(l.clone()),
            Segment::Param => None,
        })
    };
    // Leading literals but the resource itself name a family (`/ai/copilots`: `ai_`).
    let lead = segs
        .iter()
        .position(|s| matches!(s, Segment::Param))
        .unwrap_or(segs.len());
    let family: String = segs[..lead.saturating_sub(1)]
        .iter()
        .filter_map(|s| match s {
            Segment::Literal(l) => Some(format!("{}_", snake(l))),
            Segment::Param => None,
        })
        .collect();
    match segs.last() {
        None => method.to_string(),
        Some(Segment::Param) => {
            let noun = singular(&literal_before(segs.len() - 1).unwrap_or_else(|| "item".into()));
            let verb = match method {
                "get" | "delete" | "put" => method,
                _ => "update",
            };
            format!("{verb}_{family}{noun}")
        }
        Some(Segment::Literal(last)) => {
            let last_param = segs.iter().rposition(|s| matches!(s, Segment::Param));
            let context = match last_param {
                Some(i) if params >= 2 => literal_before(i)
                    .map(|l| format!("{}_", singular(&l)))
                    .unwrap_or_default(),
                _ => String::new(),
            };
            let plural = words(last).last().is_some_and(|w| is_plural(w));
            match method {
                "post" if plural => format!("create_{family}{}", singular(last)),
                // A one-word action names what it acts on: `upsert_room`, `trigger_...`.
                "post" if words(last).len() == 1 => match literal_before(segs.len() - 1) {
                    Some(owner) => format!("{}_{}", snake(last), singular(&owner)),
                    None => snake(last),
                },
                "post" => snake(last),
                "patch" => format!("update_{family}{context}{}", snake(last)),
                verb => format!("{verb}_{family}{context}{}", snake(last)),
            }
        }
    }
}

/// Whether an operation id only spells its method and path (`get-rooms-roomId-threads`).
pub fn spells_method_and_path(id: &str, method: &str, path: &str) -> bool {
    let spelled = respelling_key(&format!("{method}{path}"));
    let id = respelling_key(id);
    // Upstream's ids may or may not include the API version.
    id == spelled || {
        let without_version: String = path
            .split('/')
            .filter(|s| !is_version(s))
            .collect::<Vec<_>>()
            .join("/");
        id == respelling_key(&format!("{method}{without_version}"))
    }
}

/// A one-line summary for an operation that has none: the first sentence of its description,
/// else its id in words (`get_room` -> `Get room.`).
pub fn summary(description: Option<&str>, id: &str) -> String {
    if let Some(d) = description.map(str::trim).filter(|d| !d.is_empty()) {
        let first = d.split_inclusive(". ").next().unwrap_or(d).trim();
        let first = first.lines().next().unwrap_or(first).trim();
        if first.len() <= 120 {
            return if first.ends_with('.') {
                first.to_string()
            } else {
                format!("{first}.")
            };
        }
    }
    let mut text = words(id).join(" ");
    if let Some(f) = text.get(..1) {
        text = f.to_uppercase() + &text[1..];
    }
    format!("{text}.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_names_follow_the_sdk_conventions() {
        for (method, path, want) in [
            ("get", "/v2/rooms", "get_rooms"),
            ("post", "/v2/rooms", "create_room"),
            ("get", "/v2/rooms/{roomId}", "get_room"),
            ("post", "/v2/rooms/{roomId}", "update_room"),
            ("delete", "/v2/rooms/{roomId}", "delete_room"),
            ("get", "/v2/rooms/{roomId}/active-users", "get_active_users"),
            (
                "post",
                "/v2/rooms/{roomId}/broadcast-event",
                "broadcast_event",
            ),
            (
                "get",
                "/v2/rooms/{roomId}/threads/{threadId}/participants",
                "get_thread_participants",
            ),
            (
                "post",
                "/v2/rooms/{roomId}/threads/{threadId}/comments",
                "create_comment",
            ),
            (
                "get",
                "/v2/users/{userId}/inbox-notifications/{inboxNotificationId}",
                "get_inbox_notification",
            ),
            ("post", "/v2/rooms/{roomId}/upsert", "upsert_room"),
            (
                "post",
                "/v2/inbox-notifications/trigger",
                "trigger_inbox_notification",
            ),
            ("patch", "/v2/rooms/{roomId}/feeds/{feedId}", "update_feed"),
            ("get", "/v2/rooms/{roomId}/ydoc-binary", "get_ydoc_binary"),
            ("post", "/v2/groups", "create_group"),
            ("get", "/v2/ai/copilots", "get_ai_copilots"),
            ("post", "/v2/ai/copilots", "create_ai_copilot"),
            ("get", "/v2/ai/copilots/{copilotId}", "get_ai_copilot"),
            (
                "get",
                "/v2/management/projects/{projectId}/webhooks",
                "get_management_webhooks",
            ),
            (
                "get",
                "/v2/management/projects/{projectId}/webhooks/{webhookId}/additional-headers",
                "get_management_webhook_additional_headers",
            ),
        ] {
            assert_eq!(operation_name(method, path), want, "{method} {path}");
        }
    }

    #[test]
    fn spelled_ids_are_recognised() {
        assert!(spells_method_and_path(
            "get-rooms-roomId",
            "get",
            "/v2/rooms/{roomId}"
        ));
        assert!(spells_method_and_path(
            "post-rooms-roomId-broadcast_event",
            "post",
            "/rooms/{roomId}/broadcast_event"
        ));
        assert!(!spells_method_and_path("getRoom", "get", "/rooms/{roomId}"));
    }

    #[test]
    fn case_conversions() {
        assert_eq!(snake("get-rooms-roomId"), "get_rooms_room_id");
        assert_eq!(snake("GetRoomsResponse"), "get_rooms_response");
        assert_eq!(pascal("get_rooms"), "GetRooms");
        assert_eq!(schema_name("room-data"), "RoomData");
        assert_eq!(schema_name("2fa"), "Schema2fa");
        assert_eq!(summary(None, "get_room"), "Get room.");
        assert_eq!(
            summary(Some("Lists rooms. Newest first."), "x"),
            "Lists rooms."
        );
    }
}
