//! Stage 5: the Markdown summary of an import, to paste into the pull request: what was added,
//! what is reported only (and how to apply it), what could not be added, and the notes on the
//! upstream document, each with its JSON pointer.

use super::merge::{Change, Status};

/// Tables longer than this are folded into a `<details>` block.
const FOLD: usize = 25;

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn section(md: &mut String, title: &str, intro: &str, header: &str, rows: &[String]) {
    if rows.is_empty() {
        return;
    }
    md.push_str(&format!("### {title}\n\n"));
    if !intro.is_empty() {
        md.push_str(intro);
        md.push_str("\n\n");
    }
    let fold = rows.len() > FOLD;
    if fold {
        md.push_str(&format!(
            "<details><summary>{} rows</summary>\n\n",
            rows.len()
        ));
    }
    md.push_str(header);
    for row in rows {
        md.push_str(row);
        md.push('\n');
    }
    if fold {
        md.push_str("\n</details>\n");
    }
    md.push('\n');
}

fn rows(changes: &[Change], status: Status) -> Vec<String> {
    changes
        .iter()
        .filter(|c| c.status == status)
        .map(|c| match &c.reason {
            Some(reason) => format!(
                "| `{}` | {} | {} |",
                cell(&c.pointer),
                cell(&c.what),
                cell(reason)
            ),
            None => format!("| `{}` | {} |", cell(&c.pointer), cell(&c.what)),
        })
        .collect()
}

/// The summary. `merged` is false when there was no document of ours to merge into.
pub fn markdown(source: &str, changes: &[Change], notes: &[String], merged: bool) -> String {
    let count = |s: Status| changes.iter().filter(|c| c.status == s).count();
    let mut md = format!("## Upstream import: `{source}`\n\n");
    if merged {
        md.push_str(&format!(
            "{} added, {} reported only, {} applied on request, {} not added; {} note(s) on the \
             upstream document.\n\n",
            count(Status::Added),
            count(Status::Reported),
            count(Status::Applied),
            count(Status::Dropped),
            notes.len()
        ));
    } else {
        md.push_str(&format!(
            "There was no document of ours: the upstream document was taken whole; {} note(s) on \
             it.\n\n",
            notes.len()
        ));
    }
    let header = "| where | what |\n|---|---|\n";
    section(&mut md, "Added", "", header, &rows(changes, Status::Added));
    section(
        &mut md,
        "Reported only",
        "Upstream differs here and nothing was changed. Decide, then edit \
         `openapi/liveblocks.yaml`, or take upstream's version with `cargo xtask regen --from \
         PATH --apply POINTER` (repeatable).",
        header,
        &rows(changes, Status::Reported),
    );
    section(
        &mut md,
        "Applied on request",
        "Reported changes taken with `--apply`.",
        header,
        &rows(changes, Status::Applied),
    );
    section(
        &mut md,
        "Not added",
        "Upstream additions the merged document could not take; add them by hand.",
        "| where | what | why |\n|---|---|---|\n",
        &rows(changes, Status::Dropped),
    );
    let notes: Vec<String> = notes
        .iter()
        .map(|n| match n.split_once(": ") {
            Some((at, text)) if at.starts_with('/') => {
                format!("| `{}` | {} |", cell(at), cell(text))
            }
            _ => format!("| | {} |", cell(n)),
        })
        .collect();
    section(
        &mut md,
        "Notes",
        "What the import fixed or chose in the upstream document (pointers into it).",
        header,
        &notes,
    );
    if merged && changes.iter().all(|c| c.status == Status::Unused) {
        md.push_str("Nothing upstream is new: our document is unchanged.\n");
    }
    md
}
