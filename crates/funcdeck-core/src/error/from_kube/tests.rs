use std::time::Duration;

use kube::core::Status;
use kube::runtime::watcher;

use super::{is_gone, tidy};
use crate::CoreError;

fn api(code: u16, reason: &str, message: &str) -> kube::Error {
    kube::Error::Api(Status::failure(message, reason).with_code(code).boxed())
}

#[test]
fn statuses_map_by_code_with_the_message_verbatim() {
    let forbidden = "services.serving.knative.dev \"hello\" is forbidden: User \"alice\" cannot delete resource \"services\"";
    assert_eq!(
        CoreError::from(api(403, "Forbidden", forbidden)),
        CoreError::Forbidden {
            message: forbidden.into()
        }
    );
    assert!(matches!(
        CoreError::from(api(401, "Unauthorized", "Unauthorized")),
        CoreError::Unauthorized { .. }
    ));
    assert!(matches!(
        CoreError::from(api(404, "NotFound", "x not found")),
        CoreError::NotFound { message } if message == "x not found"
    ));
    assert!(matches!(
        CoreError::from(api(409, "Conflict", "the object has been modified")),
        CoreError::Conflict { message } if message == "the object has been modified"
    ));
    assert_eq!(
        CoreError::from(api(422, "Invalid", "spec.traffic: bad")),
        CoreError::Api {
            code: 422,
            reason: "Invalid".into(),
            message: "spec.traffic: bad".into()
        }
    );
}

#[test]
fn a_status_without_message_falls_back_to_its_reason() {
    assert_eq!(
        CoreError::from(api(403, "Forbidden", "")),
        CoreError::Forbidden {
            message: "Forbidden".into()
        }
    );
}

#[test]
fn bad_json_is_a_decode_error() {
    let serde_err = serde_json::from_str::<u8>("not json").expect_err("must fail");
    assert!(matches!(
        CoreError::from(kube::Error::SerdeError(serde_err)),
        CoreError::Decode { .. }
    ));
}

#[test]
fn watcher_errors_unwrap_to_the_underlying_cause() {
    let e = watcher::Error::InitialListFailed(api(403, "Forbidden", "no list"));
    assert!(!is_gone(&e));
    assert_eq!(
        CoreError::from(e),
        CoreError::Forbidden {
            message: "no list".into()
        }
    );
    let gone = watcher::Error::WatchError(
        Status::failure("too old resource version: 13 (20)", "Expired")
            .with_code(410)
            .boxed(),
    );
    assert!(is_gone(&gone));
    assert!(matches!(
        CoreError::from(gone),
        CoreError::Api { code: 410, .. }
    ));
    assert!(matches!(
        CoreError::from(watcher::Error::NoResourceVersion),
        CoreError::Decode { .. }
    ));
}

#[test]
fn tidy_drops_os_error_suffix_and_lowercases() {
    assert_eq!(
        tidy("Connection refused (os error 111)"),
        "connection refused"
    );
    assert_eq!(tidy("Failed to lookup"), "failed to lookup");
    assert_eq!(tidy(""), "");
}

fn client_for(url: &str, read_timeout: Option<Duration>) -> kube::Client {
    crate::tls::install_crypto_provider();
    let mut config = kube::Config::new(url.parse().expect("valid uri"));
    config.connect_timeout = Some(Duration::from_secs(2));
    config.read_timeout = read_timeout;
    kube::Client::try_from(config).expect("client builds")
}

#[tokio::test]
async fn a_refused_connection_is_unreachable_connection_refused() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let client = client_for(&format!("http://127.0.0.1:{port}"), None);
    let err = client
        .apiserver_version()
        .await
        .expect_err("nothing listens");
    assert_eq!(
        CoreError::from(err),
        CoreError::Unreachable {
            server: String::new(),
            reason: "connection refused".into()
        }
    );
}

#[tokio::test]
async fn a_silent_server_is_unreachable_timed_out() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    // Accept and hold connections without ever answering.
    let holder = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((sock, _)) = listener.accept().await {
            held.push(sock);
        }
    });
    let client = client_for(&format!("http://{addr}"), Some(Duration::from_millis(300)));
    let err = client.apiserver_version().await.expect_err("no answer");
    holder.abort();
    assert_eq!(
        CoreError::from(err),
        CoreError::Unreachable {
            server: String::new(),
            reason: "timed out".into()
        }
    );
}
