//! The CLI's side of the one mutation gate: `--readonly` refuses every change with exit code 1,
//! and a destructive change needs `--yes` or its target's name typed at a terminal (the same
//! words as the TUI's confirmation, from `app::Mutation`).

use std::io::{BufRead, IsTerminal, Write};

use crate::app::Mutation;

pub struct Gate {
    /// Why every change is refused, if it is.
    read_only: Option<String>,
}

impl Gate {
    pub fn new(readonly: bool) -> Self {
        Gate {
            read_only: readonly.then(|| "funcdeck runs read-only (--readonly)".to_owned()),
        }
    }

    /// `--readonly`, else the context the command will use when config.toml marks it
    /// `readonly = true`.
    pub fn for_context(
        readonly: bool,
        context: Option<&str>,
        config: &crate::config::Config,
    ) -> Self {
        let mut gate = Gate::new(readonly);
        if gate.read_only.is_none()
            && let Some(context) = context.filter(|c| config.readonly_contexts().contains(*c))
        {
            gate.read_only = Some(format!(
                "context {context} is read-only (readonly = true in config.toml)"
            ));
        }
        gate
    }

    /// Lets a change that needs no confirmation through (a create, an update, a previewed
    /// traffic change), or refuses it in read-only mode.
    pub fn allow(&self, mutation: &Mutation) -> anyhow::Result<()> {
        if let Some(why) = &self.read_only {
            anyhow::bail!("refusing to {}: {why}", mutation.describe());
        }
        Ok(())
    }

    /// Lets `mutation` through, or says why not. `yes` skips the question; otherwise the
    /// question needs a terminal to be answered at.
    pub fn pass(&self, mutation: &Mutation, yes: bool) -> anyhow::Result<()> {
        let stdin = std::io::stdin();
        let interactive = stdin.is_terminal();
        self.pass_with(
            mutation,
            yes,
            interactive.then(|| stdin.lock()),
            &mut std::io::stderr(),
        )
    }

    fn pass_with(
        &self,
        mutation: &Mutation,
        yes: bool,
        answers: Option<impl BufRead>,
        question: &mut impl Write,
    ) -> anyhow::Result<()> {
        self.allow(mutation)?;
        if yes {
            return Ok(());
        }
        let Some(mut answers) = answers else {
            anyhow::bail!(
                "refusing to {} without confirmation: pass --yes (no terminal to ask at)",
                mutation.describe()
            );
        };
        write!(
            question,
            "You are about to {}. {}\nType {} to confirm: ",
            mutation.describe(),
            mutation.consequence(),
            mutation.target()
        )?;
        question.flush()?;
        let mut typed = String::new();
        answers.read_line(&mut typed)?;
        if typed.trim_end_matches(['\n', '\r']) != mutation.target() {
            anyhow::bail!("that is not \"{}\"; nothing was changed", mutation.target());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use funcdeck_core::key::ObjectKey;

    fn delete_cart() -> Mutation {
        Mutation::DeleteFunction {
            key: ObjectKey::new("shop", "cart"),
        }
    }

    fn pass(gate: &Gate, yes: bool, typed: Option<&str>) -> (Result<(), String>, String) {
        let mut asked = Vec::new();
        let result = gate
            .pass_with(&delete_cart(), yes, typed.map(str::as_bytes), &mut asked)
            .map_err(|e| e.to_string());
        (result, String::from_utf8_lossy(&asked).into_owned())
    }

    #[test]
    fn read_only_refuses_even_with_yes() {
        let (result, asked) = pass(&Gate::new(true), true, None);
        assert_eq!(
            result,
            Err(
                "refusing to delete function shop/cart: funcdeck runs read-only (--readonly)"
                    .into()
            )
        );
        assert!(asked.is_empty());
    }

    #[test]
    fn a_context_read_only_in_config_refuses_and_says_which() {
        let config: crate::config::Config =
            toml::from_str("[contexts.prod]\nreadonly = true\n").expect("config");
        let gate = Gate::for_context(false, Some("prod"), &config);
        assert_eq!(
            pass(&gate, true, None).0,
            Err("refusing to delete function shop/cart: context prod is read-only (readonly = true in config.toml)".into())
        );
        let gate = Gate::for_context(false, Some("dev"), &config);
        assert_eq!(pass(&gate, true, None).0, Ok(()));
    }

    #[test]
    fn without_yes_the_exact_name_must_be_typed() {
        let gate = Gate::new(false);
        assert_eq!(pass(&gate, true, None).0, Ok(()));
        let (result, asked) = pass(&gate, false, Some("cart\n"));
        assert_eq!(result, Ok(()));
        assert!(asked.contains("Type cart to confirm"), "{asked}");
        let (result, _) = pass(&gate, false, Some("car\n"));
        assert_eq!(
            result,
            Err("that is not \"cart\"; nothing was changed".into())
        );
        let (result, _) = pass(&gate, false, None);
        assert!(
            result.is_err_and(|e| e.contains("pass --yes")),
            "no terminal, no --yes: refused"
        );
    }

    #[test]
    fn a_quota_below_usage_asks_for_the_namespace() {
        let quota = |warnings: Vec<String>| Mutation::SetQuota {
            key: ObjectKey::new("ml", "funcdeck"),
            lines: vec!["pods (pods): 10 → 1 (used 3)".into()],
            warnings,
            body: serde_json::json!({}),
        };
        assert!(!quota(Vec::new()).needs_name());
        let below = quota(vec!["pods: 1 is below the 3 already in use in ml".into()]);
        assert!(below.needs_name());
        assert_eq!(below.target(), "ml");
        let mut asked = Vec::new();
        let result = Gate::new(false).pass_with(&below, false, Some("ml\n".as_bytes()), &mut asked);
        assert!(result.is_ok());
        let asked = String::from_utf8_lossy(&asked);
        assert!(
            asked.contains("set the quota of namespace ml")
                && asked.contains("Warning: pods: 1 is below")
                && asked.contains("Type ml to confirm"),
            "{asked}"
        );
    }
}
