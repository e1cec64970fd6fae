//! `funcdeck rbac …`: the command-line forms of roles, grants and who-can.

use clap::{Args, Subcommand};

use super::OutputFormat;

#[derive(Debug, Subcommand)]
pub enum RbacCommand {
    /// List funcdeck's roles (shipped, and any ClusterRole named funcdeck-… or labelled
    /// funcdeck.dev/role=true) as resource × verbs, and whether the shipped ones are installed
    Roles(RbacRolesArgs),
    /// Grant a ClusterRole to a user, group or service account in a namespace (a RoleBinding)
    /// or cluster-wide (a ClusterRoleBinding); the binding is shown before it is written
    Grant(RbacGrantArgs),
    /// Take a grant back: the subject leaves the binding, which goes when nobody is left
    Revoke(RbacGrantArgs),
    /// Which subjects can VERB RESOURCE [NAME] in the namespace, and through which binding
    #[command(name = "who-can")]
    WhoCan(RbacWhoCanArgs),
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct RbacRolesArgs {
    #[command(subcommand)]
    pub action: Option<RolesAction>,

    #[arg(short = 'o', long = "output", value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
}

#[derive(Debug, Subcommand)]
pub enum RolesAction {
    /// Apply the shipped roles (server-side apply, field manager funcdeck); shows what it
    /// creates or changes first, and changes nothing when they are up to date
    Install {
        /// Do not ask for confirmation
        #[arg(short = 'y', long)]
        yes: bool,
    },
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("subject").required(true).args(["user", "group", "sa"])))]
pub struct RbacGrantArgs {
    /// The ClusterRole, e.g. funcdeck-developer
    #[arg(value_name = "ROLE")]
    pub role: String,

    /// A user name
    #[arg(long, value_name = "U")]
    pub user: Option<String>,

    /// A group name
    #[arg(long, value_name = "G")]
    pub group: Option<String>,

    /// A service account as NAMESPACE/NAME
    #[arg(long, value_name = "NS/NAME")]
    pub sa: Option<String>,

    /// Cluster-wide (a ClusterRoleBinding) instead of in the namespace (-n, else the context's)
    #[arg(long)]
    pub cluster: bool,

    /// Do not ask for confirmation
    #[arg(short = 'y', long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct RbacWhoCanArgs {
    /// get, list, watch, create, update, patch, delete, …
    #[arg(value_name = "VERB")]
    pub verb: String,

    /// pods, pods/log, services.serving.knative.dev, or functions (ksvc)
    #[arg(value_name = "RESOURCE")]
    pub resource: String,

    /// One object's name (rules limited by resourceNames count only for it)
    #[arg(value_name = "NAME")]
    pub name: Option<String>,

    #[arg(short = 'o', long = "output", value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::{Cli, Command};

    fn parse(args: &[&str]) -> Result<RbacCommand, String> {
        let cli = Cli::try_parse_from([&["funcdeck", "rbac"], args].concat())
            .map_err(|e| e.to_string())?;
        match cli.command {
            Some(Command::Rbac(command)) => Ok(command),
            other => Err(format!("{other:?}")),
        }
    }

    #[test]
    fn a_grant_names_exactly_one_subject() {
        let Ok(RbacCommand::Grant(args)) = parse(&[
            "grant",
            "funcdeck-viewer",
            "--sa",
            "ci/bot",
            "--cluster",
            "-y",
        ]) else {
            panic!("expected a grant");
        };
        assert_eq!(
            (args.sa.as_deref(), args.cluster, args.yes),
            (Some("ci/bot"), true, true)
        );
        let both =
            parse(&["revoke", "r", "--user", "a", "--group", "b"]).expect_err("two subjects");
        assert!(both.contains("cannot be used with"), "{both}");
        let none = parse(&["grant", "r", "-n", "shop"]).expect_err("no subject");
        assert!(none.contains("--user"), "{none}");
    }

    #[test]
    fn roles_take_an_output_or_install() {
        let Ok(RbacCommand::Roles(args)) = parse(&["roles", "-o", "yaml"]) else {
            panic!("expected roles");
        };
        assert_eq!(
            (args.output, args.action.is_none()),
            (OutputFormat::Yaml, true)
        );
        let Ok(RbacCommand::Roles(args)) = parse(&["roles", "install", "--yes"]) else {
            panic!("expected roles install");
        };
        assert!(matches!(
            args.action,
            Some(RolesAction::Install { yes: true })
        ));
        let Ok(RbacCommand::WhoCan(args)) =
            parse(&["who-can", "delete", "ksvc", "cart", "-n", "shop"])
        else {
            panic!("expected who-can");
        };
        assert_eq!(args.name.as_deref(), Some("cart"));
    }
}
