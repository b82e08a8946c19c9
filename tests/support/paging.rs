//! A recording server that serves a cursor-paginated list, and the check of the requests a
//! stream sent to it.

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::{assert_request, pairs, query};

/// Serves `pages` pages of two items, made by `item(n)`; the cursor of page `n` is `c<n>` in the
/// query parameter `cursor_param`, and the last page has `nextCursor: null`.
pub struct Pager {
    pub pages: usize,
    pub cursor_param: &'static str,
    pub item: fn(usize) -> Value,
}

impl Respond for Pager {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let page = request
            .url
            .query_pairs()
            .find(|(k, _)| k == self.cursor_param)
            .map_or(0, |(_, v)| {
                v.trim_start_matches('c').parse::<usize>().unwrap()
            });
        let data: Vec<Value> = (page * 2..page * 2 + 2).map(self.item).collect();
        let next = if page + 1 < self.pages {
            json!(format!("c{}", page + 1))
        } else {
            Value::Null
        };
        ResponseTemplate::new(200).set_body_json(json!({"data": data, "nextCursor": next}))
    }
}

/// Mounts `p` for `GET raw_path`.
pub async fn pager(server: &MockServer, raw_path: &str, p: Pager) {
    Mock::given(method("GET"))
        .and(path(raw_path))
        .respond_with(p)
        .mount(server)
        .await;
}

/// Every request carries `fixed` and, after the first, `<cursor_param>=c<n>`.
pub fn assert_pages(
    requests: &[Request],
    raw_path: &str,
    cursor_param: &str,
    fixed: &[(&str, &str)],
    pages: usize,
) {
    assert_eq!(
        requests.len(),
        pages,
        "one request per page, none after the null cursor"
    );
    for (n, request) in requests.iter().enumerate() {
        assert_request(request, "GET", raw_path);
        let cursor = format!("c{n}");
        let mut expected = fixed.to_vec();
        if n > 0 {
            expected.push((cursor_param, &cursor));
        }
        assert_eq!(query(request), pairs(&expected), "request {n}");
    }
}
