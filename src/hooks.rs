//! The single place every request passes through: credentials, user agent, timeout, and the
//! per-call bookkeeping that errors report.

use progenitor_client::{ClientHooks, OperationInfo};
use reqwest::header::{AUTHORIZATION, USER_AGENT};

use crate::client::{Client, Inner};
use crate::{operation, response};

impl ClientHooks<Inner> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        let meta = operation::lookup(info.operation_id);
        if let Some(meta) = meta {
            check_path_parameters(meta, request.url().path())
                .map_err(progenitor_client::Error::InvalidRequest)?;
        }
        let management = meta.is_some_and(|op| op.management);
        let authorization = self.inner.authorization(management).ok_or_else(|| {
            progenitor_client::Error::Custom("the client has no credential".into())
        })?;
        let headers = request.headers_mut();
        headers.insert(AUTHORIZATION, authorization.clone());
        headers.insert(USER_AGENT, self.inner.user_agent().clone());
        // progenitor adds `api-version: <info.version>`; the API does not use it.
        headers.remove("api-version");
        if request.timeout().is_none() {
            *request.timeout_mut() = Some(self.inner.timeout());
        }
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        _info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        response::record_attempt();
        let result = self.client.execute(request).await;
        if let Ok(response) = &result {
            response::record_status(response.status());
        }
        result
    }
}

/// Refuses a request whose path has an empty parameter (`room_id("")` would otherwise address
/// another endpoint, e.g. `GET /v2/rooms/` lists rooms).
fn check_path_parameters(meta: &operation::OperationMeta, path: &str) -> Result<(), String> {
    let template: Vec<&str> = meta.path.split('/').collect();
    let actual: Vec<&str> = path.split('/').collect();
    let Some(offset) = actual.len().checked_sub(template.len()) else {
        return Err(format!(
            "{}: the request path {path:?} is shorter than {}",
            meta.id, meta.path
        ));
    };
    for (segment, value) in template.iter().zip(&actual[offset..]) {
        if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            if value.is_empty() {
                return Err(format!(
                    "{}: the path parameter `{name}` must not be empty",
                    meta.id
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_path_parameters_are_refused() {
        let meta = operation::OperationMeta {
            id: "get_room",
            method: "GET",
            path: "/v2/rooms/{roomId}",
            idempotent: true,
            management: false,
        };
        assert!(check_path_parameters(&meta, "/prefix/v2/rooms/abc").is_ok());
        assert!(check_path_parameters(&meta, "/v2/rooms/a%2Fb").is_ok());
        let err = check_path_parameters(&meta, "/v2/rooms/").unwrap_err();
        assert!(err.contains("`roomId` must not be empty"), "{err}");
    }
}
