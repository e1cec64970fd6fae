//! The command line's parsing: the contract in DESIGN.md §7.

use super::*;

#[test]
fn namespace_and_all_namespaces_conflict() {
    let parsed = Cli::try_parse_from(["funcdeck", "-n", "shop", "-A"]);
    assert!(parsed.is_err());
}

#[test]
fn cluster_flags_work_after_the_subcommand() {
    let cli = Cli::try_parse_from([
        "funcdeck",
        "fn",
        "list",
        "-A",
        "--context",
        "prod",
        "-o",
        "json",
        "-l",
        "app=x",
    ])
    .expect("parses");
    assert_eq!(cli.cluster.scope(), Some(NamespaceScope::All));
    assert_eq!(cli.cluster.context.as_deref(), Some("prod"));
    let Some(Command::Function(FnCommand::List(args))) = cli.command else {
        panic!("expected fn list");
    };
    assert_eq!(args.output, OutputFormat::Json);
    assert_eq!(args.selector.as_deref(), Some("app=x"));
}

#[test]
fn fn_get_and_revisions_take_a_name_and_an_output() {
    let cli = Cli::try_parse_from(["funcdeck", "fn", "get", "cart", "-n", "shop", "-o", "yaml"])
        .expect("parses");
    assert_eq!(cli.cluster.namespace.as_deref(), Some("shop"));
    let Some(Command::Function(FnCommand::Get(args))) = cli.command else {
        panic!("expected fn get");
    };
    assert_eq!(
        (args.name.as_str(), args.output),
        ("cart", OutputFormat::Yaml)
    );

    let cli = Cli::try_parse_from(["funcdeck", "fn", "revisions", "cart"]).expect("parses");
    let Some(Command::Function(FnCommand::Revisions(args))) = cli.command else {
        panic!("expected fn revisions");
    };
    assert_eq!(args.output, OutputFormat::Table);

    let error = Cli::try_parse_from(["funcdeck", "fn", "get", "../x"]).expect_err("rejected");
    assert!(error.to_string().contains("not a valid function name"));
    assert!(
        Cli::try_parse_from(["funcdeck", "fn", "get"]).is_err(),
        "NAME is required"
    );
}

#[test]
fn bad_namespaces_are_rejected_with_a_reason() {
    let error = Cli::try_parse_from(["funcdeck", "-n", "Bad/../ns"]).expect_err("rejected");
    assert!(error.to_string().contains("not a valid namespace name"));
}

#[test]
fn sandbox_flags_parse() {
    let cli = Cli::try_parse_from([
        "funcdeck",
        "sandbox",
        "--listen",
        "127.0.0.1:7000",
        "--functions",
        "5",
        "--seed",
        "9",
    ])
    .expect("parses");
    let Some(Command::Sandbox(args)) = cli.command else {
        panic!("expected sandbox");
    };
    assert_eq!(args.listen.port(), 7000);
    assert_eq!((args.functions, args.seed), (5, 9));
}
