//! Step 4 (last): typify's builder structs are renamed from `types::builder::X` to
//! `types::builder::XBuilder`, so that no two types of the crate share a name in the docs
//! (`types::CreateRoomRequestBody` is the body, `types::builder::CreateRoomRequestBodyBuilder`
//! builds it, as in `.body_map(|b: types::builder::CreateRoomRequestBodyBuilder| ..)`).
//!
//! Every mention is renamed: the struct and its impls inside `types::builder` (`X`), the
//! `fn builder() -> builder::X` of each type in `types`, and `types::builder::X` anywhere else
//! (the operation builders' `body` fields and `body_map` signatures). It runs after every other
//! post-processing stage, which find the builders by their typify names.

use syn::visit_mut::VisitMut;

/// The name of the builder of type `name`.
pub fn type_builder_name(name: &str) -> String {
    format!("{name}Builder")
}

/// Renames every `types::builder::X` to `types::builder::XBuilder` (see the module doc); an
/// error when a new name is already taken.
pub fn rename_type_builders(file: &mut syn::File) -> Result<(), String> {
    let Some(types) = file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "types" => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    }) else {
        return Err("progenitor output has no `types` module".into());
    };
    let type_names: std::collections::BTreeSet<String> = types
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            syn::Item::Enum(e) => Some(e.ident.to_string()),
            syn::Item::Type(t) => Some(t.ident.to_string()),
            _ => None,
        })
        .collect();
    let Some(builders) = types.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "builder" => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    }) else {
        // A document without object schemas has no typify builders.
        return Ok(());
    };
    let names: std::collections::BTreeSet<String> = builders
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            _ => None,
        })
        .collect();
    for name in &names {
        let new = type_builder_name(name);
        if type_names.contains(&new) || names.contains(&new) {
            return Err(format!(
                "the builder of `types::{name}` cannot be named `{new}`: a type has that name"
            ));
        }
    }
    // Inside `types::builder`: `X`, `X::..` (paths starting with a builder's name).
    let mut inside = Rename {
        names: &names,
        at: Position::Inside,
    };
    for item in builders.iter_mut() {
        if let syn::Item::Struct(s) = item
            && names.contains(&s.ident.to_string())
        {
            s.ident = syn::Ident::new(&type_builder_name(&s.ident.to_string()), s.ident.span());
        }
        inside.visit_item_mut(item);
    }
    // In `types` (outside `builder`): `builder::X`.
    let mut in_types = Rename {
        names: &names,
        at: Position::Types,
    };
    for item in types.iter_mut() {
        if !matches!(item, syn::Item::Mod(m) if m.ident == "builder") {
            in_types.visit_item_mut(item);
        }
    }
    // Everywhere else: `types::builder::X`.
    let mut outside = Rename {
        names: &names,
        at: Position::Outside,
    };
    for item in file.items.iter_mut() {
        if !matches!(item, syn::Item::Mod(m) if m.ident == "types") {
            outside.visit_item_mut(item);
        }
    }
    Ok(())
}

#[derive(Clone, Copy)]
enum Position {
    Inside,
    Types,
    Outside,
}

struct Rename<'a> {
    names: &'a std::collections::BTreeSet<String>,
    at: Position,
}

impl Rename<'_> {
    fn rename(&self, segment: &mut syn::PathSegment) {
        let name = segment.ident.to_string();
        if self.names.contains(&name) {
            segment.ident = syn::Ident::new(&type_builder_name(&name), segment.ident.span());
        }
    }
}

impl VisitMut for Rename<'_> {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        let idents: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        match self.at {
            Position::Inside => {
                if path.leading_colon.is_none()
                    && let Some(first) = path.segments.first_mut()
                {
                    self.rename(first);
                }
            }
            Position::Types => {
                if path.leading_colon.is_none() && idents.len() >= 2 && idents[0] == "builder" {
                    self.rename(&mut path.segments[1]);
                }
            }
            Position::Outside => {
                for i in 1..idents.len().saturating_sub(1) {
                    if idents[i - 1] == "types" && idents[i] == "builder" {
                        self.rename(&mut path.segments[i + 1]);
                    }
                }
            }
        }
        syn::visit_mut::visit_path_mut(self, path);
    }
}
