//! Every generated `Client` method documents itself: the sections a reader relies on, in
//! order, and a `no_run` example (compiled by `cargo test --doc`); no progenitor ```text
//! template is left.

const CLIENT: &str = include_str!("../generated/client.rs");

/// The doc comment and name of every `Client` method of the generated file.
fn client_methods() -> Vec<(String, String)> {
    let start = CLIENT
        .find("impl Client {")
        .expect("generated file has `impl Client`");
    let mut out = Vec::new();
    let mut rest = &CLIENT[start..];
    while let Some(open) = rest.find("/**") {
        let Some(close) = rest[open..].find("*/") else {
            break;
        };
        let doc = rest[open + 3..open + close].to_string();
        let after = &rest[open + close + 2..];
        // Attributes (`#[deprecated(..)]`) may sit between the doc and the signature.
        let mut sig = after.trim_start();
        while sig.starts_with("#[") {
            sig = sig[sig.find(")]").map_or(sig.len(), |e| e + 2)..].trim_start();
        }
        let Some(sig) = sig.strip_prefix("pub fn ") else {
            // Past the `Client` impl (the first doc comment not on a method).
            break;
        };
        let name = sig.split(['(', '<']).next().unwrap_or_default().to_string();
        out.push((name, doc));
        rest = after;
    }
    out
}

#[test]
fn every_client_method_has_the_sections_in_order_and_a_no_run_example() {
    let methods = client_methods();
    assert!(methods.len() > 100, "found only {} methods", methods.len());
    for (name, doc) in &methods {
        let mut at = 0;
        for section in [
            "Reference: <",
            "# Parameters",
            "# Returns",
            "# Errors",
            "# Example",
            "```no_run",
            "# SDK names",
        ] {
            let found = doc[at..].find(section).unwrap_or_else(|| {
                panic!("`{name}`: no `{section}` after byte {at} in its doc:\n{doc}")
            });
            at += found;
        }
        assert!(
            doc.contains(&format!("    .{name}()")),
            "`{name}`: the example does not call it"
        );
        assert!(
            doc.contains("Error::Api"),
            "`{name}`: errors do not name `Error::Api`"
        );
    }
}

#[test]
fn bodies_are_documented_with_their_type() {
    let methods = client_methods();
    let (_, doc) = methods
        .iter()
        .find(|(n, _)| n == "create_room")
        .expect("create_room");
    assert!(doc.contains("# Body"));
    assert!(doc.contains("[`types::CreateRoomRequestBody`](crate::types::CreateRoomRequestBody)"));
    assert!(doc.contains("`default_accesses` (`defaultAccesses`, required)"));
    assert!(doc.contains("- `409` Conflict"));
    assert!(doc.contains("`Liveblocks.createRoom`"));
    // What an update may set to `null` is documented as a `Change`.
    let (_, doc) = methods
        .iter()
        .find(|(n, _)| n == "update_room")
        .expect("update_room");
    assert!(
        doc.contains(
            "`default_accesses` (`defaultAccesses`, optional, a [`Change`](crate::Change))"
        )
    );
    assert!(doc.contains("`metadata` (`metadata`, optional, a map of [`Change`](crate::Change)s)"));
}

#[test]
fn no_text_template_remains() {
    assert!(
        !CLIENT.contains("```text"),
        "a ```text block remains in generated/client.rs"
    );
    assert!(
        !CLIENT.contains("```ignore"),
        "a ```ignore block remains in generated/client.rs"
    );
    assert!(
        !CLIENT.contains("Version: 2*/"),
        "progenitor's `Client` doc remains"
    );
}

/// The crate page's table (`OUT_DIR/methods.md`, appended to the crate docs) lists every
/// operation of the spec once, linked to its `Client` method, under its family.
#[test]
fn the_crate_page_table_links_every_method_under_its_family() {
    let table = std::fs::read_to_string(concat!(env!("OUT_DIR"), "/methods.md"))
        .expect("build.rs writes OUT_DIR/methods.md");
    let spec = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/openapi/liveblocks.yaml"
    ))
    .expect("the spec is checked in");
    let ids: Vec<&str> = spec
        .lines()
        .filter_map(|l| l.trim().strip_prefix("operationId: "))
        .map(|s| s.trim_matches(['"', '\'']))
        .collect();
    assert!(ids.len() >= 123, "{} operations in the spec", ids.len());
    for id in &ids {
        let link = format!("| [`{id}`](crate::Client::{id})");
        assert_eq!(
            table.matches(&link).count(),
            1,
            "{id} is listed once, linked"
        );
    }
    let rows = table.lines().filter(|l| l.starts_with("| [`")).count();
    assert_eq!(rows, ids.len(), "one row per operation");
    for family in [
        "Rooms",
        "Storage",
        "Yjs",
        "Comments",
        "Notifications",
        "Groups",
        "Feeds",
        "AI",
        "Management",
    ] {
        assert!(
            table.contains(&format!("\n## {family} (")),
            "a {family} section"
        );
    }
    // A row names the request it sends.
    assert!(table.contains("| [`get_room`](crate::Client::get_room) | `GET /v2/rooms/{roomId}` |"));
}

/// The SDK names table (`codegen/sdk_names.rs`), the data the `# SDK names` sections render.
#[path = "../codegen/sdk_names.rs"]
#[allow(dead_code)]
mod sdk_names;

use sdk_names::{NONE, SDK_NAMES};

/// (operationId, METHOD, path) of every operation of the spec, in its order.
fn spec_operations() -> Vec<(String, String, String)> {
    let spec: serde_yaml::Value =
        serde_yaml::from_str(include_str!("../openapi/liveblocks.yaml")).expect("the spec is YAML");
    let mut out = Vec::new();
    for (path, item) in spec["paths"].as_mapping().expect("paths") {
        for (method, op) in item.as_mapping().expect("path item") {
            let (Some(method), Some(id)) = (method.as_str(), op["operationId"].as_str()) else {
                continue;
            };
            out.push((
                id.to_string(),
                method.to_uppercase(),
                path.as_str().unwrap_or_default().to_string(),
            ));
        }
    }
    out
}

fn is_name(s: &str, python: bool) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        && if python {
            !s.chars().any(|c| c.is_ascii_uppercase())
        } else {
            !s.contains('_')
        }
}

#[test]
fn every_operation_has_a_node_and_a_python_entry() {
    let ops = spec_operations();
    assert!(ops.len() >= 123, "{} operations", ops.len());
    for (id, method, path) in &ops {
        let entries: Vec<_> = SDK_NAMES.iter().filter(|e| e.operation == id).collect();
        assert_eq!(
            entries.len(),
            1,
            "`{id}` ({method} {path}) has one SDK entry"
        );
        let e = entries[0];
        assert!(
            e.node == NONE || is_name(e.node, false),
            "`{id}`: Node name {:?} is a camelCase name or {NONE}",
            e.node
        );
        assert!(
            e.python == NONE || is_name(e.python, true),
            "`{id}`: Python name {:?} is a snake_case name or {NONE}",
            e.python
        );
        for n in e.node_also {
            assert!(is_name(n, false), "`{id}`: Node helper {n:?}");
        }
        for n in e.python_also {
            assert!(is_name(n, true), "`{id}`: Python helper {n:?}");
        }
    }
    assert_eq!(
        SDK_NAMES.len(),
        ops.len(),
        "no entry for an operation the spec lacks"
    );
    // Facts read from the SDKs (matched by method and path), which name matching got wrong.
    let find = |id: &str| SDK_NAMES.iter().find(|e| e.operation == id).expect(id);
    assert_eq!(find("get_feeds").node, "getFeeds");
    assert_eq!(find("update_feed_message").node, "updateFeedMessage");
    assert_eq!(find("get_thread_participants").python, NONE);
    assert_eq!(find("get_room_notification_settings").python, NONE);
    assert_eq!(find("send_message").node, NONE);
    assert_eq!(
        find("send_message").node_also,
        ["mutateStorage", "massMutateStorage"]
    );
    assert_eq!(find("create_room").node_also, ["getOrCreateRoom"]);
    assert_eq!(find("authorize_user").node, "Session.authorize");
    assert_eq!(find("get_storage_file").node, "getFileUrl");
}

/// What a `# SDK names` line shows for one SDK.
fn rendered(name: &str, also: &[&str]) -> String {
    let code = |n: &str| {
        if n == NONE {
            NONE.to_string()
        } else if n.contains('.') {
            format!("`{n}`")
        } else {
            format!("`Liveblocks.{n}`")
        }
    };
    let mut out = code(name);
    if !also.is_empty() {
        let also: Vec<String> = also.iter().map(|n| code(n)).collect();
        if name == NONE {
            out.push_str(&format!(" (helpers: {})", also.join(", ")));
        } else {
            out.push_str(&format!("; helpers: {}", also.join(", ")));
        }
    }
    out
}

#[test]
fn every_method_doc_names_the_sdk_methods_of_the_table() {
    let methods = client_methods();
    for e in SDK_NAMES {
        let Some((_, doc)) = methods.iter().find(|(n, _)| n == e.operation) else {
            // `identify_user` is hand-written (src/session.rs).
            assert_eq!(
                e.operation, "identify_user",
                "no generated method for {}",
                e.operation
            );
            continue;
        };
        let section = &doc[doc.find("# SDK names").expect("section")..];
        let node = format!(
            "\n- Node (`@liveblocks/node`): {}\n",
            rendered(e.node, e.node_also)
        );
        let python = format!(
            "\n- Python (`liveblocks`): {}",
            rendered(e.python, e.python_also)
        );
        assert!(
            section.contains(&node),
            "`{}`: {node:?} in {section:?}",
            e.operation
        );
        assert!(
            section.contains(&python),
            "`{}`: {python:?} in {section:?}",
            e.operation
        );
    }
}

/// The README's "Coming from the Node.js or Python SDK" table gives the same names: each
/// operation has one row (its first name in the first column), whose Python and Node columns
/// hold exactly the table's names (primary and helpers) in backticks, or — alone.
#[test]
fn the_readme_sdk_table_states_the_same_names() {
    let readme = include_str!("../README.md");
    let start = readme
        .find("## Coming from the Node.js or Python SDK")
        .expect("README section");
    let section = &readme[start..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |e| e + 3)];
    let ticked = |cell: &str| -> Vec<String> {
        cell.split('`')
            .skip(1)
            .step_by(2)
            .map(|s| s.split('(').next().unwrap_or_default().to_string())
            .collect()
    };
    let mut seen = std::collections::BTreeSet::new();
    for row in section.lines().filter(|l| l.starts_with('|')) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        if cells.len() < 6 {
            continue;
        }
        let Some(first) = ticked(cells[2]).into_iter().next() else {
            continue;
        };
        let Some(e) = SDK_NAMES.iter().find(|e| e.operation == first) else {
            continue;
        };
        assert!(seen.insert(first.clone()), "`{first}` has one row");
        for (cell, name, also) in [
            (cells[3], e.python, e.python_also),
            (cells[4], e.node, e.node_also),
        ] {
            let mut want: Vec<String> = also.iter().map(|s| s.to_string()).collect();
            if name != NONE {
                want.push(name.to_string());
            }
            let mut got = ticked(cell);
            got.sort();
            want.sort();
            assert_eq!(got, want, "README row of `{first}`: {cell:?}");
            if want.is_empty() || name == NONE {
                assert!(
                    cell.starts_with(NONE),
                    "README row of `{first}`: {cell:?} is —"
                );
            }
        }
    }
    for e in SDK_NAMES {
        assert!(
            seen.contains(e.operation),
            "README has no row for `{}`",
            e.operation
        );
    }
}

/// The source between `open` (a line) and the matching closing line at its indentation.
fn block<'a>(src: &'a str, open: &str) -> &'a str {
    let start = src
        .find(open)
        .unwrap_or_else(|| panic!("{open:?} in the file"));
    let line = open.trim_start_matches('\n');
    let indent = line.len() - line.trim_start().len();
    let close = format!("\n{}}}\n", " ".repeat(indent));
    let end = src[start..].find(&close).expect("closing brace") + start;
    &src[start..end]
}

/// `pub struct|enum|type NAME` directly at `indent` spaces in `src`, except the types hidden
/// from the docs (`#[doc(hidden)]` among the attribute lines right above).
fn type_names(src: &str, indent: usize) -> Vec<String> {
    let pad = " ".repeat(indent);
    let lines: Vec<&str> = src.lines().collect();
    let hidden = |at: usize| {
        lines[..at]
            .iter()
            .rev()
            .take_while(|l| l.trim_start().starts_with("#["))
            .any(|l| l.trim() == "#[doc(hidden)]")
    };
    lines
        .iter()
        .enumerate()
        .filter(|(at, _)| !hidden(*at))
        .filter_map(|(_, l)| l.strip_prefix(&pad))
        .filter_map(|l| {
            ["pub struct ", "pub enum ", "pub type "]
                .iter()
                .find_map(|p| l.strip_prefix(p))
        })
        .map(|l| {
            l.split(|c: char| !c.is_alphanumeric() && c != '_')
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

#[test]
fn no_two_public_types_share_a_name_across_types_and_builders() {
    let types = block(CLIENT, "\npub mod types {");
    let type_builders = block(types, "\n    pub mod builder {");
    let outside: String = types.replace(type_builders, "");
    let requests = block(CLIENT, "\npub mod builder {");
    let in_types = type_names(&outside, 4);
    let in_type_builders = type_names(type_builders, 8);
    let in_requests = type_names(requests, 4);
    assert!(in_types.len() > 200, "{} types", in_types.len());
    assert!(
        in_type_builders.len() > 100,
        "{} type builders",
        in_type_builders.len()
    );
    assert!(
        in_requests.len() > 100,
        "{} request builders",
        in_requests.len()
    );
    let mut all = std::collections::BTreeMap::new();
    for (module, names) in [
        ("types", &in_types),
        ("types::builder", &in_type_builders),
        ("builder", &in_requests),
    ] {
        for n in names {
            if let Some(other) = all.insert(n.clone(), module) {
                panic!("`{n}` is both `{other}::{n}` and `{module}::{n}`");
            }
        }
    }
    // The crate root's hand-written types (`pub use` in src/lib.rs) against the generated ones:
    // none shares a name (codegen renames the schemas `Error` and `AuthToken`, and hides the
    // request builder of `identify_user`, whose `Client` method is hand-written).
    let lib = include_str!("../src/lib.rs");
    let mut root = Vec::new();
    for statement in lib
        .split(';')
        .filter_map(|s| s.trim().split("pub use ").nth(1))
    {
        let names = statement.rsplit("::").next().unwrap_or_default();
        for n in names.split(|c: char| !c.is_alphanumeric() && c != '_') {
            if n.starts_with(|c: char| c.is_ascii_uppercase()) {
                root.push(n.to_string());
            }
        }
    }
    assert!(
        root.contains(&"ClientBuilder".to_string()),
        "root names: {root:?}"
    );
    let mut shared: Vec<String> = root
        .iter()
        .filter(|n| *n != "Permission") // `pub use types::Permission`: the same type
        .filter_map(|n| all.get(n).map(|module| format!("{module}::{n}")))
        .collect();
    shared.sort();
    assert_eq!(
        shared,
        Vec::<String>::new(),
        "crate-root types sharing a name with a generated one"
    );
    assert!(in_types.contains(&"ErrorBody".to_string()));
    assert!(in_types.contains(&"AuthTokenResponse".to_string()));
    assert!(!in_requests.contains(&"IdentifyUser".to_string()));
    // The same in the blocking client, beside the hand-written `blocking::IdentifyUser`.
    let blocking = std::fs::read_to_string(concat!(env!("OUT_DIR"), "/blocking.rs"))
        .expect("build.rs writes OUT_DIR/blocking.rs with the blocking feature");
    let blocking_builders = block(&blocking, "\npub mod builder {");
    let names = type_names(blocking_builders, 4);
    assert!(names.contains(&"GetRoom".to_string()), "{names:?}");
    assert!(!names.contains(&"IdentifyUser".to_string()));
    assert!(in_requests.contains(&"GetRoom".to_string()));
    assert!(in_type_builders.contains(&"CreateRoomRequestBodyBuilder".to_string()));
    assert!(types.contains("pub fn builder() -> builder::CreateRoomRequestBodyBuilder {"));
    assert!(
        requests.contains("body: Result<types::builder::CreateRoomRequestBodyBuilder, String>")
    );
}

/// The doc lines right above line `at` of `lines` (`///` lines or one `/** */` block),
/// skipping attributes; empty when there is none.
fn doc_above(lines: &[&str], at: usize) -> String {
    let mut i = at;
    let mut out = Vec::new();
    while i > 0 {
        i -= 1;
        let l = lines[i].trim();
        if l.starts_with("#[") {
            continue;
        }
        // The inside of an attribute spanning lines (`#[serde(\n rename = "..",\n )]`).
        if l.ends_with(")]") || l.ends_with("\",") {
            while i > 0 && !lines[i].trim_start().starts_with("#[") {
                i -= 1;
            }
            continue;
        }
        if let Some(d) = l.strip_prefix("///") {
            out.push(d.to_string());
            continue;
        }
        if l.ends_with("*/") {
            let mut block = vec![l.trim_end_matches("*/").to_string()];
            while !lines[i].trim_start().starts_with("/**") && i > 0 {
                i -= 1;
                block.push(lines[i].to_string());
            }
            block.reverse();
            let text = block.join("\n");
            out.push(text.trim_start().trim_start_matches("/**").to_string());
            continue;
        }
        break;
    }
    out.reverse();
    out.join("\n")
}

fn normalized(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Fields of `pub struct NAME` in the `types` module: (Rust name, JSON name, doc).
fn fields(types: &str, name: &str) -> Vec<(String, String, String)> {
    let body = block(types, &format!("\n    pub struct {name} {{"));
    let lines: Vec<&str> = body.lines().collect();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let Some(rest) = l.strip_prefix("        pub ") else {
            continue;
        };
        let rust = rest.split(':').next().unwrap_or_default().to_string();
        // `#[serde(rename = "..")]` may span lines above the field.
        let mut json = rust.trim_end_matches('_').to_string();
        for above in lines[..i].iter().rev() {
            let t = above.trim();
            if t.starts_with("pub ") {
                break;
            }
            if let Some(r) = t.split("rename = \"").nth(1) {
                json = r.split('"').next().unwrap_or_default().to_string();
            }
        }
        out.push((rust, json, doc_above(&lines, i)));
    }
    out
}

/// Every property the spec describes (not a bare `$ref`) has its description on the generated
/// field, inline objects included (typify moves their description to their own type).
#[test]
fn described_fields_carry_the_spec_description() {
    let spec: serde_yaml::Value =
        serde_yaml::from_str(include_str!("../openapi/liveblocks.yaml")).expect("the spec is YAML");
    let types = block(CLIENT, "\npub mod types {");
    let mut checked = 0;
    for (name, schema) in spec["components"]["schemas"].as_mapping().expect("schemas") {
        let name = name.as_str().expect("schema name");
        let Some(props) = schema["properties"].as_mapping() else {
            continue;
        };
        if !types.contains(&format!("\n    pub struct {name} {{")) {
            continue;
        }
        let generated = fields(types, name);
        for (prop, p) in props {
            let (Some(prop), Some(desc)) = (prop.as_str(), p["description"].as_str()) else {
                continue;
            };
            let field = generated
                .iter()
                .find(|(_, json, _)| json == prop)
                .unwrap_or_else(|| panic!("`{name}.{prop}` is a field"));
            assert!(
                normalized(&field.2).contains(&normalized(desc)),
                "`{name}.{prop}` carries {desc:?}; its doc is {:?}",
                field.2
            );
            checked += 1;
        }
    }
    assert!(checked > 300, "{checked} described fields");
}

/// Every setter of typify's builders (`types::builder::XBuilder::field`) has a doc: the doc of
/// the field it sets when it has one, and whether the conversion needs it.
#[test]
fn every_type_builder_setter_is_documented() {
    let types = block(CLIENT, "\npub mod types {");
    let builders = block(types, "\n    pub mod builder {");
    let lines: Vec<&str> = builders.lines().collect();
    let mut current = String::new();
    let mut undocumented = Vec::new();
    let mut setters = 0;
    for (i, l) in lines.iter().enumerate() {
        if let Some(ty) = l.strip_prefix("        impl ") {
            current = ty.split([' ', '<']).next().unwrap_or_default().to_string();
            continue;
        }
        let Some(sig) = l.strip_prefix("            pub fn ") else {
            continue;
        };
        let setter = sig.split(['<', '(']).next().unwrap_or_default();
        setters += 1;
        let doc = doc_above(&lines, i);
        if doc.trim().is_empty() {
            undocumented.push(format!("{current}::{setter}"));
            continue;
        }
        let ty = current.strip_suffix("Builder").expect("a builder type");
        let field = fields(types, ty)
            .into_iter()
            .find(|(rust, _, _)| rust == setter)
            .unwrap_or_else(|| panic!("`{ty}::{setter}` is a field"));
        if !field.2.trim().is_empty() {
            assert!(
                normalized(&doc).starts_with(&normalized(&field.2)),
                "`{current}::{setter}` has the field's doc {:?}, not {doc:?}",
                field.2
            );
        }
        assert!(
            doc.contains("Required: converting to") || doc.contains("Optional."),
            "`{current}::{setter}`: {doc:?} says whether it is required"
        );
    }
    assert!(setters > 500, "{setters} setters");
    assert_eq!(undocumented, Vec::<String>::new(), "setters without a doc");
}

/// The blocking client's methods have the async method's sections, a link to its example, and
/// the same SDK names.
#[cfg(feature = "blocking")]
#[test]
fn blocking_methods_have_the_sections_and_the_sdk_names() {
    let blocking = std::fs::read_to_string(concat!(env!("OUT_DIR"), "/blocking.rs"))
        .expect("build.rs writes OUT_DIR/blocking.rs with the blocking feature");
    let mut checked = 0;
    for (name, doc) in client_methods() {
        let at = blocking
            .find(&format!("pub fn {name}("))
            .unwrap_or_else(|| panic!("blocking `{name}`"));
        let open = blocking[..at].rfind("/**").expect("a doc");
        let bdoc = &blocking[open..at];
        let sdk = &doc[doc.find("# SDK names").expect("async SDK names")..];
        assert!(
            bdoc.contains(sdk.trim_end()),
            "blocking `{name}` has the SDK names {sdk:?}"
        );
        assert!(bdoc.contains(&format!("# Example\n\nAs in [`crate::Client::{name}`]")));
        let head = &doc[..doc.find("# Example").expect("example")];
        assert!(
            bdoc.contains(head.trim()),
            "blocking `{name}` has the async sections"
        );
        checked += 1;
    }
    assert!(checked > 100);
}

/// The generator's names (`codegen/names.rs`): `pascal("get_rooms")` is the builder `GetRooms`.
#[path = "../codegen/names.rs"]
#[allow(dead_code)]
mod names;

use names::pascal;

/// Every method of the operation builders (`crate::builder::X`) has a doc, and each parameter
/// setter carries the spec's description of its parameter.
#[test]
fn every_operation_builder_method_is_documented() {
    let requests = block(CLIENT, "\npub mod builder {");
    let lines: Vec<&str> = requests.lines().collect();
    let mut undocumented = Vec::new();
    let mut methods = 0;
    for (i, l) in lines.iter().enumerate() {
        let Some(sig) = l
            .strip_prefix("        pub fn ")
            .or_else(|| l.strip_prefix("        pub async fn "))
        else {
            continue;
        };
        methods += 1;
        if doc_above(&lines, i).trim().is_empty() {
            undocumented.push(format!("line {i}: {sig}"));
        }
    }
    assert!(methods > 400, "{methods} methods");
    assert_eq!(
        undocumented,
        Vec::<String>::new(),
        "undocumented builder methods"
    );

    let spec: serde_yaml::Value =
        serde_yaml::from_str(include_str!("../openapi/liveblocks.yaml")).expect("the spec is YAML");
    let mut checked = 0;
    for (_, item) in spec["paths"].as_mapping().expect("paths") {
        for (_, op) in item.as_mapping().expect("path item") {
            let (Some(id), Some(params)) =
                (op["operationId"].as_str(), op["parameters"].as_sequence())
            else {
                continue;
            };
            let imp = block(requests, &format!("\n    impl<'a> {}<'a> {{", pascal(id)));
            let imp_lines: Vec<&str> = imp.lines().collect();
            for p in params {
                let (Some(name), Some(desc)) = (p["name"].as_str(), p["description"].as_str())
                else {
                    continue;
                };
                if p["in"].as_str() == Some("header") {
                    continue;
                }
                let setter = name
                    .chars()
                    .flat_map(|c| {
                        if c.is_ascii_uppercase() {
                            vec!['_', c.to_ascii_lowercase()]
                        } else if c == '-' {
                            vec!['_']
                        } else {
                            vec![c]
                        }
                    })
                    .collect::<String>();
                // Keywords get progenitor's `_` suffix.
                let setter = if setter == "type" {
                    "type_".to_string()
                } else {
                    setter
                };
                let at = imp_lines
                    .iter()
                    .position(|l| l.starts_with(&format!("        pub fn {setter}<")))
                    .unwrap_or_else(|| panic!("`{id}`: setter `{setter}`"));
                let doc = doc_above(&imp_lines, at);
                assert!(
                    normalized(&doc).contains(&normalized(desc)),
                    "`{id}::{setter}` carries {desc:?}: {doc:?}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 150, "{checked} parameters checked");
}
