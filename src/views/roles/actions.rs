//! What the roles view's keys change: install the shipped roles, grant the selected role to a
//! typed subject, revoke it from the subject under the cursor — each planned from the last
//! read and handed to the gate, or refused with the reason.

use funcdeck_core::key::ObjectKey;
use funcdeck_core::rbac::{BindingScope, Grant, SubjectRef, install_change, shipped_roles};

use super::{GrantInput, RolesView, model};
use crate::app::Mutation;
use crate::command::Command;
use crate::keymap::{Key, KeyContext};
use crate::views::{Action, Ctx};

impl RolesView {
    /// Read-only mode or the user's rules refuse `command` here: said before any typing.
    fn refused(&self, command: Command, what: &str, ctx: &Ctx<'_>) -> Option<Vec<Action>> {
        let permission = crate::app::command_permission(command)?;
        let why = ctx.shell.refusal(&permission, &self.namespace)?;
        Some(vec![Action::Notice(format!("cannot {what}: {why}"))])
    }

    fn install_hint(ctx: &Ctx<'_>) -> String {
        ctx.shell
            .keymap
            .hint(&[KeyContext::Roles], Command::InstallRoles)
    }

    pub(super) fn start_grant(&mut self, ctx: &Ctx<'_>) -> Vec<Action> {
        // Refused first: a persona that may not even read the roles learns why it cannot grant.
        let role = self
            .selected_entry()
            .map_or_else(|| "a role".to_owned(), |e| format!("role {}", e.role.name));
        if let Some(refusal) = self.refused(Command::Grant, &format!("grant {role}"), ctx) {
            return refusal;
        }
        let Some(entry) = self.selected_entry() else {
            return Vec::new();
        };
        let role = entry.role.name.clone();
        if !entry.installed() {
            return vec![Action::Notice(format!(
                "role {role} is not installed: press {} to install funcdeck's roles first",
                Self::install_hint(ctx)
            ))];
        }
        self.input = Some(GrantInput::default());
        Vec::new()
    }

    pub(super) fn on_input_command(&mut self, command: Command) -> Option<Vec<Action>> {
        let input = self.input.as_mut()?;
        match command {
            Command::Confirm => return Some(self.submit_grant()),
            Command::Cancel | Command::Back => self.input = None,
            Command::DeleteChar => {
                input.text.pop();
                input.error = None;
            }
            Command::ToggleScope => input.cluster = !input.cluster,
            _ => return None,
        }
        Some(Vec::new())
    }

    /// Keys no binding took, while typing a subject.
    pub fn on_key(&mut self, key: Key) {
        if let (Some(input), Some(c)) = (self.input.as_mut(), key.typed_char()) {
            input.text.push(c);
            input.error = None;
        }
    }

    /// Enter on the typed subject: a grant through the gate, or the reason there is none.
    fn submit_grant(&mut self) -> Vec<Action> {
        let (Some(input), Some(entry), Some(rbac)) =
            (&self.input, self.selected_entry(), self.rbac.data())
        else {
            return Vec::new();
        };
        let subject = match SubjectRef::parse(&input.text) {
            Ok(subject) => subject,
            Err(why) => {
                if let Some(input) = self.input.as_mut() {
                    input.error = Some(why);
                }
                return Vec::new();
            }
        };
        let grant = Grant {
            role: entry.role.name.clone(),
            subject,
            scope: if input.cluster {
                BindingScope::Cluster
            } else {
                BindingScope::Namespace(self.namespace.clone())
            },
        };
        let planned = model::plan(rbac, &grant, false);
        self.input = None;
        match planned {
            Ok((subjects, resource_version)) => vec![Action::Request(Mutation::SetBinding {
                key: binding_key(&grant),
                grant,
                subjects,
                resource_version,
                revoke: false,
            })],
            Err(nothing) => vec![Action::Notice(nothing)],
        }
    }

    pub(super) fn revoke(&mut self, ctx: &Ctx<'_>) -> Vec<Action> {
        let (Some(entry), Some(rbac)) = (self.selected_entry(), self.rbac.data()) else {
            return Vec::new();
        };
        let role = entry.role.name.clone();
        let Some(bound) = self.selected_bound() else {
            return vec![Action::Notice(format!(
                "nobody holds role {role} in namespace {} or cluster-wide",
                self.namespace
            ))];
        };
        if let Some(refusal) = self.refused(
            Command::Revoke,
            &format!(
                "revoke role {role} from {} {}",
                bound.subject.kind,
                bound.name()
            ),
            ctx,
        ) {
            return refusal;
        }
        let grant = match model::revoke_grant(&role, bound, &self.namespace) {
            Ok(grant) => grant,
            Err(why) => return vec![Action::Notice(why)],
        };
        match model::plan(rbac, &grant, true) {
            Ok((subjects, resource_version)) => vec![Action::Request(Mutation::SetBinding {
                key: binding_key(&grant),
                grant,
                subjects,
                resource_version,
                revoke: true,
            })],
            Err(nothing) => vec![Action::Notice(nothing)],
        }
    }

    /// The shipped roles that are missing or changed, as `rbac roles install` plans it.
    pub(super) fn install(&mut self, ctx: &Ctx<'_>) -> Vec<Action> {
        if let Some(refusal) = self.refused(Command::InstallRoles, "install funcdeck's roles", ctx)
        {
            return refusal;
        }
        let Some(rbac) = self.rbac.data() else {
            return vec![Action::Notice(
                "the roles are still being read; try again in a moment".into(),
            )];
        };
        let mut roles = Vec::new();
        let mut changes = Vec::new();
        for role in shipped_roles() {
            let installed = rbac
                .cluster_roles
                .iter()
                .find(|r| r.metadata.name == role.metadata.name);
            if let Some(change) = install_change(&role, installed) {
                changes.push(change);
                roles.push(role);
            }
        }
        if roles.is_empty() {
            return vec![Action::Notice(
                "funcdeck's roles are installed and up to date; nothing to install".into(),
            )];
        }
        vec![Action::Request(Mutation::InstallRoles {
            key: ObjectKey::new("", "funcdeck-roles"),
            roles,
            changes,
        })]
    }
}

/// The binding's key: namespace/name, or just the name for a ClusterRoleBinding.
fn binding_key(grant: &Grant) -> ObjectKey {
    match &grant.scope {
        BindingScope::Namespace(ns) => ObjectKey::new(ns, grant.binding_name()),
        BindingScope::Cluster => ObjectKey::new("", grant.binding_name()),
    }
}
