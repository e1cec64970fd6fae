//! funcdeck's entry point: parse the command line, set up TLS and logging, dispatch.

use std::process::ExitCode;

use clap::Parser;
use funcdeck::cli::{self, Cli, Command, FnCommand};
use funcdeck::config::{self, Paths};

fn main() -> ExitCode {
    // Before anything builds a TLS client: exactly one rustls provider, or kube panics.
    funcdeck_core::tls::install_crypto_provider();
    let cli = Cli::parse();
    let paths = Paths::discover();
    let _log = funcdeck::logging::init(&paths.state_dir);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(dispatch(cli, paths)) {
        Ok(()) => ExitCode::SUCCESS,
        // `funcdeck fn list | head`: the reader has gone, which is not our failure.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error:#}");
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .is_some_and(|e| e.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
    })
}

async fn dispatch(cli: Cli, paths: Paths) -> anyhow::Result<()> {
    // The commands that read a backend (Prometheus, Jaeger, Elasticsearch) take the cluster,
    // config.toml, their arguments, stdout and stderr.
    macro_rules! with_backends {
        ($run:path, $args:expr) => {{
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let config = cli_config(&paths);
            $run(
                &cli.cluster,
                &config,
                $args,
                &mut out,
                &mut std::io::stderr(),
            )
            .await
        }};
    }
    match &cli.command {
        Some(Command::Function(FnCommand::List(args))) => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            cli::fn_list(&cli.cluster, args, &mut out, &mut std::io::stderr()).await
        }
        Some(Command::Function(FnCommand::Get(args))) => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            cli::fn_get(&cli.cluster, args, &mut out, &mut std::io::stderr()).await
        }
        Some(Command::Function(FnCommand::Revisions(args))) => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            cli::fn_revisions(&cli.cluster, args, &mut out, &mut std::io::stderr()).await
        }
        Some(Command::Function(FnCommand::Delete(args))) => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let gate = gate(&cli, &paths);
            cli::fn_delete(&cli.cluster, args, &gate, &mut out).await
        }
        Some(Command::Function(FnCommand::Prune(args))) => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let gate = gate(&cli, &paths);
            cli::fn_prune(&cli.cluster, args, &gate, &mut out, &mut std::io::stderr()).await
        }
        Some(Command::Function(FnCommand::Rollback(args))) => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let gate = gate(&cli, &paths);
            cli::fn_rollback(&cli.cluster, args, &gate, &mut out).await
        }
        Some(Command::Function(FnCommand::Create(args))) => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let gate = gate(&cli, &paths);
            let catalogue = load_templates(&paths);
            cli::fn_create(
                &cli.cluster,
                args,
                &catalogue,
                &gate,
                &mut out,
                &mut std::io::stderr(),
            )
            .await
        }
        Some(Command::Function(FnCommand::Update(args))) => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let gate = gate(&cli, &paths);
            cli::fn_update(&cli.cluster, args, &gate, &mut out, &mut std::io::stderr()).await
        }
        Some(Command::Function(FnCommand::Templates(args))) => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            cli::fn_templates(&load_templates(&paths), args.output, &mut out)
        }
        Some(Command::Function(FnCommand::Traffic(args))) => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let gate = gate(&cli, &paths);
            cli::fn_traffic(&cli.cluster, args, &gate, &mut out, &mut std::io::stderr()).await
        }
        Some(Command::Function(FnCommand::Offline(args) | FnCommand::Online(args))) => {
            let online = matches!(&cli.command, Some(Command::Function(FnCommand::Online(_))));
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let gate = gate(&cli, &paths);
            let err = &mut std::io::stderr();
            cli::fn_visibility(&cli.cluster, args, online, &gate, &mut out, err).await
        }
        Some(Command::Function(FnCommand::Invoke(args))) => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            cli::fn_invoke(&cli.cluster, args, &mut out, &mut std::io::stderr()).await
        }
        Some(Command::Rbac(command)) => rbac(&cli, &paths, command).await,
        Some(Command::Quota(cli::QuotaCommand::Get(args))) => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            cli::quota_get(&cli.cluster, args, &mut out, &mut std::io::stderr()).await
        }
        Some(Command::Quota(cli::QuotaCommand::Set(args))) => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let gate = gate(&cli, &paths);
            cli::quota_set(&cli.cluster, args, &gate, &mut out, &mut std::io::stderr()).await
        }
        Some(Command::Tenant(cli::TenantCommand::List(args))) => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            cli::tenant_list(&cli.cluster, args, &mut out, &mut std::io::stderr()).await
        }
        Some(Command::Tenant(cli::TenantCommand::Create(args))) => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let gate = gate(&cli, &paths);
            cli::tenant_create(&cli.cluster, args, &gate, &mut out, &mut std::io::stderr()).await
        }
        Some(Command::Metrics(args)) => with_backends!(cli::metrics, args),
        Some(Command::Usage(args)) => with_backends!(cli::usage, args),
        Some(Command::Traces(args)) => with_backends!(cli::traces, args),
        Some(Command::Trace(args)) => with_backends!(cli::trace, args),
        Some(Command::Logs(args)) => with_backends!(cli::logs, args),
        Some(Command::Stack(command)) => stack(&cli, &paths, command).await,
        Some(Command::Sandbox(args)) => cli::serve_sandbox(args, &paths).await,
        None => run_tui(&cli, &paths).await,
    }
}

/// config.toml for a command, its problems named on stderr.
fn cli_config(paths: &Paths) -> config::Config {
    let mut warnings = Vec::new();
    let config = config::Config::load(paths, &mut warnings);
    for warning in warnings {
        eprintln!("warning: {warning}");
    }
    config
}

/// The CLI's gate: `--readonly`, or the context the command will use marked read-only in
/// config.toml (a config file that cannot be read is named on stderr).
fn gate(cli: &Cli, paths: &Paths) -> cli::Gate {
    let config = cli_config(paths);
    let context = funcdeck_core::cluster::context_name(&cli.cluster.target());
    cli::Gate::for_context(cli.readonly, context.as_deref(), &config)
}

async fn stack(cli: &Cli, paths: &Paths, command: &cli::StackCommand) -> anyhow::Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let config = cli_config(paths);
    let mut err = std::io::stderr();
    match command {
        cli::StackCommand::Plan(args) => {
            cli::stack_plan(&cli.cluster, &config, args, &mut out).await
        }
        cli::StackCommand::Status(args) => {
            cli::stack_status(&cli.cluster, &config, args, &mut out).await
        }
        cli::StackCommand::Install(args) => {
            let gate = gate(cli, paths);
            cli::stack_install(&cli.cluster, &config, args, &gate, &mut out, &mut err).await
        }
        cli::StackCommand::Uninstall(args) => {
            let gate = gate(cli, paths);
            cli::stack_uninstall(&cli.cluster, &config, args, &gate, &mut out, &mut err).await
        }
    }
}

async fn rbac(cli: &Cli, paths: &Paths, command: &cli::RbacCommand) -> anyhow::Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let gate = gate(cli, paths);
    match command {
        cli::RbacCommand::Roles(args) => match &args.action {
            None => cli::rbac_roles(&cli.cluster, args.output, &mut out).await,
            Some(cli::RolesAction::Install { yes }) => {
                cli::rbac_roles_install(&cli.cluster, *yes, &gate, &mut out).await
            }
        },
        cli::RbacCommand::Grant(args) => {
            cli::rbac_grant(&cli.cluster, args, false, &gate, &mut out).await
        }
        cli::RbacCommand::Revoke(args) => {
            cli::rbac_grant(&cli.cluster, args, true, &gate, &mut out).await
        }
        cli::RbacCommand::WhoCan(args) => cli::rbac_who_can(&cli.cluster, args, &mut out).await,
    }
}

/// The template catalogue; a user template that does not parse is named on stderr and skipped.
fn load_templates(paths: &Paths) -> funcdeck::templates::Catalogue {
    let mut warnings = Vec::new();
    let catalogue = funcdeck::templates::Catalogue::load(&paths.config_dir, &mut warnings);
    for warning in warnings {
        eprintln!("warning: {warning}");
    }
    catalogue
}

async fn run_tui(cli: &Cli, paths: &Paths) -> anyhow::Result<()> {
    let settings = config::load_ui_settings(paths, &cli.theme, &cli.keymap);
    // The sandbox's demo spreads over several namespaces: show them all unless told otherwise.
    // (A persona chosen with --context keeps its own namespace.)
    let scope = match cli.cluster.scope() {
        None if cli.sandbox && cli.cluster.context.is_none() => {
            Some(funcdeck_core::functions::NamespaceScope::All)
        }
        scope => scope,
    };
    let mut app = funcdeck::app::App::new(settings.keymap, scope, chrono::Utc::now());
    app.shell.warnings = settings.warnings;
    app.shell.templates =
        funcdeck::templates::Catalogue::load(&paths.config_dir, &mut app.shell.warnings);
    app.shell.readonly = cli.readonly;
    let config = config::Config::load(paths, &mut app.shell.warnings);
    app.shell.readonly_contexts = config.readonly_contexts();
    app.shell.log_buffer_lines = config.logs.buffer_lines.max(1);
    let backends = funcdeck::runner::Backends::new(config);
    let drafts = funcdeck::drafts::DraftStore::new(&paths.state_dir);
    if cli.sandbox {
        let sandbox = cli::start_embedded_sandbox(
            paths,
            cli.sandbox_functions,
            cli.sandbox_seed,
            cli.sandbox_metrics_era,
            cli.sandbox_prometheus.clone(),
            cli.sandbox_elasticsearch.on(),
            cli.sandbox_bare,
        )
        .await?;
        app.shell.warnings.extend(sandbox.note.clone());
        let target = funcdeck_core::cluster::ClusterTarget {
            kubeconfig: Some(sandbox.kubeconfig.clone()),
            context: cli.cluster.context.clone(),
        };
        let result = funcdeck::tui::run(app, settings.theme, target, drafts, backends).await;
        sandbox.stop().await;
        result
    } else {
        funcdeck::tui::run(app, settings.theme, cli.cluster.target(), drafts, backends).await
    }
}
