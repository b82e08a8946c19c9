//! Names: the spec's identifiers (`nextCursor`, `get_rooms`, `room-id`) as progenitor and
//! typify name them in Rust, shared by every stage that has to find or mention a generated item.

/// `nextCursor` -> `next_cursor`, `room-id` -> `room_id`: a field, parameter or setter name.
pub fn snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if c == '-' || c == '.' {
            out.push('_');
        } else {
            out.push(c);
        }
    }
    out
}

/// `get_rooms` -> `GetRooms`: a builder or type name from an operationId.
pub fn pascal(name: &str) -> String {
    name.split(['_', '-'])
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or(String::new(), |c| {
                c.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}
