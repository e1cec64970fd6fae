//! Runs a sandbox in the foreground for manual poking with kubectl:
//! `cargo run -p funcdeck-sandbox --example serve -- /tmp/sb/kubeconfig [functions] [port]`

use std::time::Instant;

use funcdeck_sandbox::{Sandbox, SandboxConfig};

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .unwrap_or_else(|| "/tmp/funcdeck-sandbox/kubeconfig".into());
    let functions = args.next().and_then(|s| s.parse().ok()).unwrap_or(24);
    let port: u16 = args.next().and_then(|s| s.parse().ok()).unwrap_or(0);
    let started = Instant::now();
    let config = SandboxConfig {
        kubeconfig_out: Some(path.into()),
        functions,
        listen: ([127, 0, 0, 1], port).into(),
        ..SandboxConfig::default()
    };
    match Sandbox::start(config).await {
        Ok(sb) => {
            println!(
                "kubeconfig: {}",
                sb.kubeconfig_path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default()
            );
            println!("ready in {:?} at {}", started.elapsed(), sb.server_url());
            let _ = tokio::signal::ctrl_c().await;
            sb.shutdown().await;
        }
        Err(e) => eprintln!("error: {e}"),
    }
}
