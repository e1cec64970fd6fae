//! Process-wide TLS setup.
//!
//! kube (rustls + ring) and reqwest (`rustls-no-provider`) both build their TLS configs from
//! rustls' process default provider. Installing ring once, before any client exists, avoids the
//! "no process-level CryptoProvider" panic and the ambiguity when more than one is compiled in.

/// Installs rustls' ring provider as the process default.
///
/// Idempotent and never panics: if a provider is already installed (by us or by someone
/// else) that one stays, which is what every caller wants.
pub fn install_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Losing a race with another installer is fine: a provider is installed either way.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

#[cfg(test)]
mod tests {
    use super::install_crypto_provider;

    #[test]
    fn installing_twice_is_harmless_and_leaves_a_provider() {
        install_crypto_provider();
        install_crypto_provider();
        assert!(rustls::crypto::CryptoProvider::get_default().is_some());
    }
}
