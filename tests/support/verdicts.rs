//! What the Prism tests collect while sending every operation of a group, and their checks.

use liveblocks::Error;

/// Collects the operations sent to Prism and the ones it did not accept.
///
/// [`Verdicts::default`] counts only a rejection (an API error, an invalid argument or a
/// transport failure); anything else means Prism accepted the request (a decode error only says
/// Prism's made-up response is not realistic). [`Verdicts::strict`] counts every error, for
/// groups whose Prism answers are built from the spec's examples and so must decode too.
#[derive(Default)]
pub struct Verdicts {
    rejected: Vec<String>,
    checked: Vec<String>,
    strict: bool,
}

impl Verdicts {
    /// Verdicts where any error, a decode error too, counts as not accepted.
    pub fn strict() -> Self {
        Verdicts {
            strict: true,
            ..Verdicts::default()
        }
    }

    /// Records the outcome of the operation `name`.
    pub fn check<T>(&mut self, name: &str, result: Result<T, Error>) {
        self.checked.push(name.to_owned());
        match result {
            Err(e @ (Error::Api(_) | Error::InvalidArgument(_) | Error::Transport { .. })) => {
                self.rejected.push(format!("{name}: {e}"));
            }
            Err(e) if self.strict => self.rejected.push(format!("{name}: {e}")),
            _ => {}
        }
    }

    /// Fails unless Prism accepted every operation checked.
    pub fn assert_none_rejected(&self) {
        assert!(
            self.rejected.is_empty(),
            "Prism rejected:\n{}",
            self.rejected.join("\n")
        );
    }

    /// Fails unless Prism accepted all of `expected` operations, each checked at least once.
    pub fn assert_all_accepted(mut self, expected: usize) {
        self.assert_none_rejected();
        self.checked.sort_unstable();
        self.checked.dedup();
        assert_eq!(
            self.checked.len(),
            expected,
            "operations checked: {:?}",
            self.checked
        );
    }
}

/// Asserts Prism refused the request as breaking the spec (`expected` is 422 for a body, 400
/// for a query parameter).
pub fn assert_rejected<T: std::fmt::Debug>(name: &str, expected: u16, result: Result<T, Error>) {
    let err = result.expect_err(name);
    assert_eq!(
        err.status().map(|s| s.as_u16()),
        Some(expected),
        "{name}: {err}"
    );
}
