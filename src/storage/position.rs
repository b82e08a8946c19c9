//! Positions of list items: fractional indexes written as text.
//!
//! A position is read as the fraction `0.d1 d2 d3 ...` in base 95, one digit per character, the
//! digits being the printable ASCII characters from `' '` (0) to `'~'` (94). A valid position
//! is not empty and does not end in `' '` (a trailing zero would give two spellings of one
//! number). Items of a list are ordered by comparing their positions as byte strings, which for
//! valid positions is the order of the fractions.
//!
//! To put an item between two others, a position strictly between theirs is made; to put it at
//! an end, a position below the first or above the last. The rules keep positions short: a
//! position after the last grows by one character every ~95^k appends, one before the first
//! by one character every 94 prepends, and one between two fixed neighbours by one character
//! every ~6 inserts at the same place (each insert halves the gap).

/// The smallest digit, `' '`.
const ZERO: u8 = b' ';
/// The largest digit, `'~'`.
const TOP: u8 = b'~';
/// How many digits there are.
const BASE: u8 = TOP - ZERO + 1;

/// The position of the first item of an empty list: the digit 1, `"!"`.
pub(crate) const FIRST: &str = "!";

/// A digit's value (0..=94); characters outside the alphabet are clamped into it.
fn digit(text: &[u8], i: usize) -> u8 {
    text.get(i).map_or(0, |&c| c.clamp(ZERO, TOP) - ZERO)
}

fn finish(mut digits: Vec<u8>) -> String {
    while digits.last() == Some(&0) {
        digits.pop();
    }
    if digits.is_empty() {
        return FIRST.to_owned();
    }
    digits.into_iter().map(|d| char::from(d + ZERO)).collect()
}

/// Whether `text` is a valid position: digits only, not empty, not ending in `' '`.
#[cfg(test)]
pub(crate) fn is_valid(text: &str) -> bool {
    let bytes = text.as_bytes();
    !bytes.is_empty()
        && bytes.iter().all(|c| (ZERO..=TOP).contains(c))
        && bytes.last() != Some(&ZERO)
}

/// A position for an item placed between `before` and `after` (either may be missing: the
/// start or the end of the list). With both, the result sorts strictly between them when
/// `before < after`; if they are equal (a list whose items share a position), the result sorts
/// after both.
pub(crate) fn between(before: Option<&str>, after: Option<&str>) -> String {
    match (before, after) {
        (None, None) => FIRST.to_owned(),
        (Some(lo), None) => next_after(lo),
        (None, Some(hi)) => next_before(hi),
        (Some(lo), Some(hi)) => match lo.cmp(hi) {
            std::cmp::Ordering::Less => strictly_between(lo.as_bytes(), hi.as_bytes()),
            std::cmp::Ordering::Greater => strictly_between(hi.as_bytes(), lo.as_bytes()),
            std::cmp::Ordering::Equal => next_after(lo),
        },
    }
}

/// A position above `lo`: `lo` read as a number of 2, 5, 8, ... digits (the least of these
/// that holds it) and counted up by one; when every digit is already the largest, three more
/// digits are taken. Appends thus make positions longer only about every 95^k times.
fn next_after(lo: &str) -> String {
    let mut digits: Vec<u8> = (0..lo.len()).map(|i| digit(lo.as_bytes(), i)).collect();
    while digits.last() == Some(&0) {
        digits.pop();
    }
    if digits.is_empty() {
        return FIRST.to_owned();
    }
    let width = if digits.len() <= 2 {
        2
    } else {
        2 + (digits.len() - 2).div_ceil(3) * 3
    };
    count_up(&digits, width).unwrap_or_else(|| {
        // Not reached: the three zero digits added below take the carry.
        count_up(&digits, width + 3).unwrap_or_else(|| FIRST.to_owned())
    })
}

/// `digits` padded with zeros to `width` and counted up by one; `None` on overflow.
fn count_up(digits: &[u8], width: usize) -> Option<String> {
    let mut out: Vec<u8> = (0..width)
        .map(|i| digits.get(i).copied().unwrap_or(0))
        .collect();
    for i in (0..width).rev() {
        if out[i] + 1 < BASE {
            out[i] += 1;
            return Some(finish(out));
        }
        out[i] = 0;
    }
    None
}

/// A position below `hi` (and above the empty fraction 0): `hi` cut after its first non-zero
/// digit when more follow, else that digit lowered by one (a 1 becomes `0` then the largest).
fn next_before(hi: &str) -> String {
    let bytes = hi.as_bytes();
    let len = bytes.len();
    for i in 0..len {
        let d = digit(bytes, i);
        if d == 0 {
            continue;
        }
        let mut digits: Vec<u8> = (0..i).map(|j| digit(bytes, j)).collect();
        let rest_is_zero = (i + 1..len).all(|j| digit(bytes, j) == 0);
        if !rest_is_zero {
            digits.push(d);
        } else if d > 1 {
            digits.push(d - 1);
        } else {
            digits.extend([0, BASE - 1]);
        }
        return finish(digits);
    }
    // `hi` is zero (not a valid position): anything positive sorts after it, so no position
    // fits below; the smallest-ish one keeps the list usable.
    strictly_between(b"", b"!")
}

/// A position strictly between `lo < hi`: the common prefix, then the middle digit of the
/// first gap wider than one; where the gap is exactly one, the lower digit is kept and the
/// search goes on with `hi` no longer a bound (anything after it is already below `hi`).
fn strictly_between(lo: &[u8], hi: &[u8]) -> String {
    let mut out = Vec::with_capacity(lo.len().max(hi.len()) + 1);
    let mut bounded = true;
    let end = lo.len().max(hi.len());
    let mut i = 0;
    loop {
        let a = digit(lo, i);
        if bounded {
            let b = digit(hi, i);
            if i >= end {
                // Equal as fractions (they differ only by trailing zeros): nothing lies between;
                // sort after both.
                return next_after(std::str::from_utf8(lo).unwrap_or(FIRST));
            }
            if a == b {
                out.push(a);
                i += 1;
                continue;
            }
            if b > a + 1 {
                out.push(a + (b - a) / 2);
                return finish(out);
            }
            if b < a {
                // Not reached for lo < hi with digits in range; clamped input may get here.
                return next_after(std::str::from_utf8(lo).unwrap_or(FIRST));
            }
            out.push(a);
            bounded = false;
        } else if a + 1 < BASE {
            out.push(a + (BASE - a) / 2);
            return finish(out);
        } else {
            out.push(a);
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ends_and_middles() {
        assert_eq!(between(None, None), "!");
        assert_eq!(between(Some("!"), None), "!!");
        assert_eq!(between(Some("~"), None), "~!");
        assert_eq!(between(Some("!~"), None), "\"");
        assert_eq!(between(Some("~~"), None), "~~  !");
        assert_eq!(between(None, Some("\"")), "!");
        assert_eq!(between(None, Some("!")), " ~");
        assert_eq!(between(None, Some("!!")), "!");
        assert_eq!(between(Some("!"), Some("#")), "\"");
        let mid = between(Some("!"), Some("\""));
        assert!("!" < mid.as_str() && mid.as_str() < "\"", "{mid:?}");
        assert!(is_valid(&mid));
        assert_eq!(between(Some("#"), Some("!")), "\"");
        assert_eq!(between(Some("!"), Some("!")), "!!");
    }
}
