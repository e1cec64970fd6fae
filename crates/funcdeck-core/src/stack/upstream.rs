//! Third-party release manifests (cert-manager, the OpenTelemetry operator): downloaded from
//! their pinned release URL, or read from a directory on an air-gapped machine, and used only
//! when their SHA-256 is the pinned one.

use std::path::Path;
use std::time::Duration;

use super::bundle::Pin;

/// Why a release manifest could not be used; each says what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UpstreamError {
    #[error(
        "{name} {version}: {file} is not in {dir} (download {url} there; its SHA-256 must be {sha256})"
    )]
    Missing {
        name: String,
        version: String,
        file: String,
        dir: String,
        url: String,
        sha256: String,
    },
    #[error("{name} {version}: cannot read {path}: {reason}")]
    Unreadable {
        name: String,
        version: String,
        path: String,
        reason: String,
    },
    #[error(
        "{name} {version}: SHA-256 mismatch for {from}: expected {expected}, got {actual}; the file is not the pinned release (tampered, truncated or another version) and was not used"
    )]
    Mismatch {
        name: String,
        version: String,
        from: String,
        expected: String,
        actual: String,
    },
    #[error(
        "{name} {version}: cannot download {url}: {reason} (on a machine without internet access, download it elsewhere and pass --from DIR)"
    )]
    Unreachable {
        name: String,
        version: String,
        url: String,
        reason: String,
    },
    #[error(
        "{name} {version}: no SHA-256 is pinned for {url}, so it is not downloaded unchecked; put {file} in a directory and pass --from DIR, or pin its digest in the config ([stack.upstream.{name}] sha256)"
    )]
    Unpinned {
        name: String,
        version: String,
        url: String,
        file: String,
    },
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, bytes);
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

// The errors are large (each carries what the message names), and rare: once per release.
#[allow(clippy::result_large_err)]
fn check(name: &str, pin: &Pin, from: String, bytes: &[u8]) -> Result<String, UpstreamError> {
    let actual = sha256_hex(bytes);
    if !actual.eq_ignore_ascii_case(pin.sha256.trim()) {
        return Err(UpstreamError::Mismatch {
            name: name.into(),
            version: pin.version.clone(),
            from,
            expected: pin.sha256.clone(),
            actual,
        });
    }
    String::from_utf8(bytes.to_vec()).map_err(|_| UpstreamError::Mismatch {
        name: name.into(),
        version: pin.version.clone(),
        from: "the file".into(),
        expected: "UTF-8 YAML".into(),
        actual: "binary data".into(),
    })
}

/// The release manifest `name`: from `dir` when given (never the network then), else from its
/// URL. Either way its SHA-256 must match the pin.
#[allow(clippy::result_large_err)]
pub async fn obtain(name: &str, pin: &Pin, dir: Option<&Path>) -> Result<String, UpstreamError> {
    if let Some(dir) = dir {
        let path = dir.join(&pin.file);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(UpstreamError::Missing {
                    name: name.into(),
                    version: pin.version.clone(),
                    file: pin.file.clone(),
                    dir: dir.display().to_string(),
                    url: pin.url.clone(),
                    sha256: pin.sha256.clone(),
                });
            }
            Err(e) => {
                return Err(UpstreamError::Unreadable {
                    name: name.into(),
                    version: pin.version.clone(),
                    path: path.display().to_string(),
                    reason: e.to_string(),
                });
            }
        };
        if pin.sha256.trim().is_empty() {
            // No digest to hold it to: a file the user brought is their choice, said in the log.
            return String::from_utf8(bytes).map_err(|_| UpstreamError::Unreadable {
                name: name.into(),
                version: pin.version.clone(),
                path: path.display().to_string(),
                reason: "not UTF-8 text".into(),
            });
        }
        return check(name, pin, path.display().to_string(), &bytes);
    }
    if pin.sha256.trim().is_empty() {
        return Err(UpstreamError::Unpinned {
            name: name.into(),
            version: pin.version.clone(),
            url: pin.url.clone(),
            file: pin.file.clone(),
        });
    }
    let unreachable = |reason: String| UpstreamError::Unreachable {
        name: name.into(),
        version: pin.version.clone(),
        url: pin.url.clone(),
        reason,
    };
    crate::tls::install_crypto_provider();
    let client = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(120))
        .build()
        .map_err(|e| unreachable(e.to_string()))?;
    let response = client
        .get(&pin.url)
        .send()
        .await
        .map_err(|e| unreachable(root_cause(&e)))?;
    if !response.status().is_success() {
        return Err(unreachable(format!("HTTP {}", response.status())));
    }
    let bytes = response
        .bytes()
        .await
        .map_err(|e| unreachable(root_cause(&e)))?;
    check(name, pin, pin.url.clone(), &bytes)
}

fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pin(sha256: &str) -> Pin {
        Pin {
            version: "v1.0.0".into(),
            url: "http://127.0.0.1:9/op.yaml".into(),
            sha256: sha256.into(),
            file: "op.yaml".into(),
        }
    }

    #[test]
    fn sha256_is_the_standard_digest() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[tokio::test]
    async fn a_directory_copy_is_used_only_when_its_digest_matches() {
        let dir = tempfile::tempdir().expect("dir");
        let text = "kind: Namespace\n";
        std::fs::write(dir.path().join("op.yaml"), text).expect("write");
        let good = pin(&sha256_hex(text.as_bytes()));
        assert_eq!(
            obtain("op", &good, Some(dir.path())).await.as_deref(),
            Ok(text)
        );

        std::fs::write(dir.path().join("op.yaml"), "kind: Namespace\n# changed\n").expect("write");
        let err = obtain("op", &good, Some(dir.path()))
            .await
            .expect_err("tampered");
        assert!(matches!(err, UpstreamError::Mismatch { .. }), "{err}");
        assert!(err.to_string().contains("SHA-256 mismatch"), "{err}");

        let missing = obtain("op", &pin("00"), Some(&dir.path().join("nowhere"))).await;
        assert!(matches!(missing, Err(UpstreamError::Missing { .. })));
    }

    #[tokio::test]
    async fn an_unreachable_url_says_so_and_points_at_from_dir() {
        let err = obtain("op", &pin("00"), None)
            .await
            .expect_err("nothing listens on port 9");
        assert!(matches!(err, UpstreamError::Unreachable { .. }), "{err}");
        assert!(err.to_string().contains("--from DIR"), "{err}");
        let unpinned = obtain("op", &pin(""), None).await.expect_err("no digest");
        assert!(matches!(unpinned, UpstreamError::Unpinned { .. }));
    }
}
