//! The prompt's parsing, completion and history.

use super::*;

#[test]
fn every_spelling_parses() {
    for (line, expected) in [
        ("fn", PromptCommand::Functions),
        ("functions", PromptCommand::Functions),
        (" rev ", PromptCommand::Revisions),
        ("revisions", PromptCommand::Revisions),
        ("po", PromptCommand::Pods),
        ("pods", PromptCommand::Pods),
        ("ev", PromptCommand::Events),
        ("events", PromptCommand::Events),
        ("ns shop", PromptCommand::Namespace(Some("shop".into()))),
        ("ns", PromptCommand::Namespace(None)),
        (
            "ctx sandbox-viewer",
            PromptCommand::Context(Some("sandbox-viewer".into())),
        ),
        ("ctx", PromptCommand::Context(None)),
        ("q", PromptCommand::Quit),
        ("quit", PromptCommand::Quit),
        ("roles", PromptCommand::Roles),
        (
            "can delete ksvc cart",
            PromptCommand::Can {
                verb: "delete".into(),
                resource: funcdeck_core::rbac::ResourceRef::parse("ksvc").expect("parses"),
                name: Some("cart".into()),
            },
        ),
        (
            " can  get pods/log ",
            PromptCommand::Can {
                verb: "get".into(),
                resource: funcdeck_core::rbac::ResourceRef::parse("pods/log").expect("parses"),
                name: None,
            },
        ),
        ("quota", PromptCommand::Quota),
        ("metrics", PromptCommand::Metrics(None)),
        ("metrics cart", PromptCommand::Metrics(Some("cart".into()))),
        ("traces", PromptCommand::Traces(None)),
        ("traces cart", PromptCommand::Traces(Some("cart".into()))),
        ("logs", PromptCommand::Logs(None)),
        ("log cart", PromptCommand::Logs(Some("cart".into()))),
        (
            "trace 4bf92f3577b34da6a3ce929d0e0e4736",
            PromptCommand::Trace(funcdeck_core::jaeger::TraceId::new(
                "4bf92f3577b34da6a3ce929d0e0e4736",
            )),
        ),
    ] {
        assert_eq!(parse(line), Ok(expected), "{line}");
    }
}

#[test]
fn unknown_commands_suggest_the_closest() {
    assert_eq!(
        parse("revz"),
        Err("unknown command :revz; did you mean :rev?".into())
    );
    assert_eq!(
        parse("pdos"),
        Err("unknown command :pdos; did you mean :pods?".into())
    );
    assert_eq!(parse("xyzzy"), Err("unknown command :xyzzy".into()));
    assert_eq!(
        parse("metrics Cart_1"),
        Err("\"Cart_1\" is not a valid function name".into())
    );
    assert!(parse("ns Bad/ns").is_err());
    for bad in [
        "trace",
        "trace xyz",
        "trace 4bf9/../x",
        &format!("trace {}", "a".repeat(33)),
    ] {
        assert_eq!(
            parse(bad),
            Err("usage: :trace ID, with the trace's id in hex (16 or 32 digits)".into()),
            "{bad}"
        );
    }
    assert!(parse("fn extra").is_err());
    assert!(parse("roles extra").is_err());
    for bad in [
        "can",
        "can get",
        "can get pods a b",
        "can GET pods",
        "can get po\u{7}ds",
    ] {
        assert!(parse(bad).is_err(), "{bad:?}");
    }
    assert_eq!(
        parse("can Delete ksvc"),
        Err("\"Delete\" is not a verb (get, list, watch, create, update, patch, delete, …)".into())
    );
}

#[test]
fn tab_completes_verbs_then_arguments() {
    let namespaces = vec![
        "payments".to_owned(),
        "platform".to_owned(),
        "shop".to_owned(),
    ];
    let contexts = vec!["sandbox-admin".to_owned(), "sandbox-viewer".to_owned()];
    let at = |line: &str| complete(line, &candidates(line, &namespaces, &contexts));
    let mut prompt = Prompt::default();
    prompt.edit(|l| l.push_str("ns p"));
    let mut tab = || {
        prompt.complete(&namespaces, &contexts);
        prompt.line.clone()
    };
    assert_eq!(tab(), "ns payments");
    assert_eq!(tab(), "ns platform", "Tab again cycles");
    assert_eq!(tab(), "ns payments");
    assert_eq!(at("re"), Some("rev".into()));
    assert_eq!(at("n"), Some("ns ".into()));
    assert_eq!(at("ns p"), Some("ns payments".into()));
    assert_eq!(at("ns s"), Some("ns shop".into()));
    assert_eq!(at("ctx "), Some("ctx sandbox-".into()));
    assert_eq!(at("ctx sandbox-"), Some("ctx sandbox-admin".into()));
    assert_eq!(at("zz"), None);
}

#[test]
fn history_walks_back_and_restores_the_draft() {
    let history = vec!["fn".to_owned(), "rev".to_owned()];
    let mut prompt = Prompt::default();
    prompt.edit(|l| l.push_str("po"));
    prompt.history_previous(&history);
    assert_eq!(prompt.line, "rev");
    prompt.history_previous(&history);
    assert_eq!(prompt.line, "fn");
    prompt.history_previous(&history);
    assert_eq!(prompt.line, "fn", "stops at the oldest");
    prompt.history_next(&history);
    assert_eq!(prompt.line, "rev");
    prompt.history_next(&history);
    assert_eq!(prompt.line, "po");
}
