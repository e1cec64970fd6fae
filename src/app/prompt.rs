//! The `:` command prompt, k9s style: `:fn`, `:rev`, `:po`, `:ev`, `:ns NAME`, `:ctx NAME`, `:q`,
//! `:roles`, `:can VERB RESOURCE [NAME]`, `:quota`, `:metrics [NAME]`, `:traces [NAME]`,
//! `:trace ID`, `:usage`, `:stack`.
//! Parsing, completion and history are pure so they are tested without a terminal.

/// What a prompt line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptCommand {
    Functions,
    Revisions,
    Pods,
    Events,
    Tenants,
    /// `:ns` alone opens the namespace picker.
    Namespace(Option<String>),
    /// `:ctx` alone lists the contexts.
    Context(Option<String>),
    Quit,
    Roles,
    /// `:can VERB RESOURCE [NAME]`: who can, in the namespace in scope.
    Can {
        verb: String,
        resource: funcdeck_core::rbac::ResourceRef,
        name: Option<String>,
    },
    Quota,
    /// `:metrics [NAME]`: a function's metrics (the one in view without a name).
    Metrics(Option<String>),
    /// `:traces [NAME]`: a function's traces (the one in view without a name).
    Traces(Option<String>),
    Logs(Option<String>),
    /// `:trace ID`: one trace by its id (from a log line, an alert, a colleague).
    Trace(funcdeck_core::jaeger::TraceId),
    /// `:usage`: metering per function and tenant.
    Usage,
    /// `:stack`: the observability stack's wizard.
    Stack,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verb {
    Functions,
    Revisions,
    Pods,
    Events,
    Tenants,
    Namespace,
    Context,
    Quit,
    Roles,
    Can,
    Quota,
    Metrics,
    Traces,
    Logs,
    Trace,
    Usage,
    Stack,
}

/// Every spelling the prompt accepts; the first of each is the one completion offers first.
const VERBS: &[(&str, Verb)] = &[
    ("fn", Verb::Functions),
    ("functions", Verb::Functions),
    ("ksvc", Verb::Functions),
    ("rev", Verb::Revisions),
    ("revisions", Verb::Revisions),
    ("po", Verb::Pods),
    ("pods", Verb::Pods),
    ("ev", Verb::Events),
    ("events", Verb::Events),
    ("tenants", Verb::Tenants),
    ("tenant", Verb::Tenants),
    ("ns", Verb::Namespace),
    ("namespace", Verb::Namespace),
    ("ctx", Verb::Context),
    ("context", Verb::Context),
    ("q", Verb::Quit),
    ("quit", Verb::Quit),
    ("roles", Verb::Roles),
    ("can", Verb::Can),
    ("quota", Verb::Quota),
    ("quotas", Verb::Quota),
    ("metrics", Verb::Metrics),
    ("traces", Verb::Traces),
    ("logs", Verb::Logs),
    ("log", Verb::Logs),
    ("trace", Verb::Trace),
    ("usage", Verb::Usage),
    ("metering", Verb::Usage),
    ("stack", Verb::Stack),
];

impl Verb {
    fn takes_argument(self) -> bool {
        matches!(
            self,
            Verb::Namespace
                | Verb::Context
                | Verb::Can
                | Verb::Metrics
                | Verb::Traces
                | Verb::Trace
                | Verb::Logs
        )
    }
}

fn verb(word: &str) -> Option<Verb> {
    VERBS
        .iter()
        .find(|(name, _)| *name == word)
        .map(|(_, v)| *v)
}

/// Parses a prompt line (without the `:`); the error is a sentence for the banner.
pub fn parse(line: &str) -> Result<PromptCommand, String> {
    let mut words = line.split_whitespace();
    if let Some("can") = line.split_whitespace().next() {
        return parse_can(&words.by_ref().skip(1).collect::<Vec<_>>());
    }
    let Some(first) = words.next() else {
        return Err("type a command, e.g. :fn, :rev, :po, :ev, :tenants, :roles, :quota, :metrics FN, :traces FN, :trace ID, :logs FN, :usage, :stack, :can VERB RES, :ns NAME, :ctx NAME, :q".into());
    };
    let argument = words.next().map(str::to_owned);
    if let Some(extra) = words.next() {
        return Err(format!(
            "unexpected \"{extra}\" after :{first} {}",
            argument.unwrap_or_default()
        ));
    }
    let Some(verb) = verb(first) else {
        return Err(match closest(first) {
            Some(suggestion) => format!("unknown command :{first}; did you mean :{suggestion}?"),
            None => format!("unknown command :{first}"),
        });
    };
    if !verb.takes_argument()
        && let Some(argument) = argument
    {
        return Err(format!(":{first} takes no argument (got \"{argument}\")"));
    }
    Ok(match verb {
        Verb::Functions => PromptCommand::Functions,
        Verb::Revisions => PromptCommand::Revisions,
        Verb::Pods => PromptCommand::Pods,
        Verb::Events => PromptCommand::Events,
        Verb::Tenants => PromptCommand::Tenants,
        Verb::Quit => PromptCommand::Quit,
        Verb::Quota => PromptCommand::Quota,
        Verb::Usage => PromptCommand::Usage,
        Verb::Stack => PromptCommand::Stack,
        Verb::Metrics => match argument {
            Some(name) if !funcdeck_core::names::is_namespace_name(&name) => {
                return Err(format!("\"{name}\" is not a valid function name"));
            }
            name => PromptCommand::Metrics(name),
        },
        Verb::Traces => match argument {
            Some(name) if !funcdeck_core::names::is_namespace_name(&name) => {
                return Err(format!("\"{name}\" is not a valid function name"));
            }
            name => PromptCommand::Traces(name),
        },
        Verb::Logs => match argument {
            Some(name) if !funcdeck_core::names::is_namespace_name(&name) => {
                return Err(format!("\"{name}\" is not a valid function name"));
            }
            name => PromptCommand::Logs(name),
        },
        Verb::Trace => {
            let id = funcdeck_core::jaeger::TraceId::new(argument.as_deref().unwrap_or_default());
            if !id.is_hex() || id.as_str().len() > 32 {
                return Err(
                    "usage: :trace ID, with the trace's id in hex (16 or 32 digits)".into(),
                );
            }
            PromptCommand::Trace(id)
        }
        Verb::Namespace => match argument {
            Some(ns) if !funcdeck_core::names::is_namespace_name(&ns) => {
                return Err(format!("\"{ns}\" is not a valid namespace name"));
            }
            ns => PromptCommand::Namespace(ns),
        },
        Verb::Context => PromptCommand::Context(argument),
        Verb::Roles => PromptCommand::Roles,
        // Taken above: it has up to three arguments.
        Verb::Can => return parse_can(&argument.iter().map(String::as_str).collect::<Vec<_>>()),
    })
}

/// `:can VERB RESOURCE [NAME]`, read by the same rules as `rbac who-can`.
fn parse_can(words: &[&str]) -> Result<PromptCommand, String> {
    let usage = "usage: :can VERB RESOURCE [NAME], e.g. :can delete functions cart";
    let (verb, resource, name) = match words {
        [verb, resource] => (verb, resource, None),
        [verb, resource, name] => (verb, resource, Some((*name).to_owned())),
        _ => return Err(usage.into()),
    };
    Ok(PromptCommand::Can {
        verb: funcdeck_core::rbac::parse_verb(verb)?,
        resource: funcdeck_core::rbac::ResourceRef::parse(resource)?,
        name,
    })
}

/// The known spelling nearest to a mistyped one, if it is near enough to be a typo.
fn closest(word: &str) -> Option<&'static str> {
    VERBS
        .iter()
        .map(|(name, _)| (edit_distance(word, name), *name))
        .filter(|(distance, name)| *distance <= 2.max(name.len() / 3) && *distance < name.len())
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| name)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

/// What Tab can offer for `line`: whole-line candidates, best first.
pub fn candidates(line: &str, namespaces: &[String], contexts: &[String]) -> Vec<String> {
    match line.split_once(' ') {
        None => {
            let mut seen = Vec::new();
            let mut out = Vec::new();
            for (name, verb) in VERBS {
                if name.starts_with(line) && !seen.contains(verb) {
                    seen.push(*verb);
                    let space = if verb.takes_argument() { " " } else { "" };
                    out.push(format!("{name}{space}"));
                }
            }
            out
        }
        Some((first, rest)) => {
            let pool = match verb(first) {
                Some(Verb::Namespace) => namespaces,
                Some(Verb::Context) => contexts,
                _ => return Vec::new(),
            };
            let rest = rest.trim_start();
            pool.iter()
                .filter(|name| name.starts_with(rest))
                .map(|name| format!("{first} {name}"))
                .collect()
        }
    }
}

/// Tab: the longest common prefix of the candidates when it adds something, else the next
/// candidate after the current line (cycling).
pub fn complete(line: &str, candidates: &[String]) -> Option<String> {
    let first = candidates.first()?;
    let common = candidates.iter().fold(first.clone(), |prefix, c| {
        prefix
            .chars()
            .zip(c.chars())
            .take_while(|(a, b)| a == b)
            .map(|(a, _)| a)
            .collect()
    });
    if common.len() > line.len() {
        return Some(common);
    }
    let next = match candidates.iter().position(|c| c == line) {
        Some(i) => &candidates[(i + 1) % candidates.len()],
        None => first,
    };
    (next != line).then(|| next.clone())
}

/// The prompt's state while it is open.
#[derive(Debug, Clone, Default)]
pub struct Prompt {
    pub line: String,
    /// Which history entry Up/Down show (counting back from the newest); `None` while typing.
    history_position: Option<usize>,
    /// What was typed before browsing history, restored when browsing goes past the newest.
    draft: String,
    /// What was typed before the first Tab, so more Tabs cycle through its candidates.
    completion_base: Option<String>,
}

impl Prompt {
    pub fn edit(&mut self, edit: impl FnOnce(&mut String)) {
        edit(&mut self.line);
        self.history_position = None;
        self.completion_base = None;
    }

    /// Tab: completes the line from what was typed before the first Tab.
    pub fn complete(&mut self, namespaces: &[String], contexts: &[String]) {
        let base = self
            .completion_base
            .get_or_insert_with(|| self.line.clone())
            .clone();
        let candidates = candidates(&base, namespaces, contexts);
        if let Some(line) = complete(&self.line, &candidates) {
            // Completing to a longer common prefix is new typing; cycling keeps the base.
            if !candidates.contains(&line) {
                self.completion_base = Some(line.clone());
            }
            self.line = line;
        }
    }

    pub fn history_previous(&mut self, history: &[String]) {
        let next = self.history_position.map_or(0, |p| p + 1);
        if next >= history.len() {
            return;
        }
        if self.history_position.is_none() {
            self.draft = self.line.clone();
        }
        self.history_position = Some(next);
        self.line = history[history.len() - 1 - next].clone();
    }

    pub fn history_next(&mut self, history: &[String]) {
        match self.history_position {
            None => {}
            Some(0) => {
                self.history_position = None;
                self.line = std::mem::take(&mut self.draft);
            }
            Some(p) => {
                self.history_position = Some(p - 1);
                self.line = history[history.len() - p].clone();
            }
        }
    }
}

#[cfg(test)]
#[path = "prompt_tests.rs"]
mod tests;
