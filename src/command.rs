//! Every action a key can trigger, as one typed enum with its description.
//!
//! The keymap binds keys to these by name, and the help screen and `docs/keys.md` are generated
//! from this table, so the three can never drift apart.

use std::fmt;
use std::str::FromStr;

macro_rules! commands {
    ($( $variant:ident => $name:literal, $desc:literal; )*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Command { $($variant),* }

        impl Command {
            pub const ALL: &'static [Command] = &[$(Command::$variant),*];

            /// The name used in keymap files (`run = "..."`).
            pub fn name(self) -> &'static str {
                match self { $(Command::$variant => $name),* }
            }

            pub fn description(self) -> &'static str {
                match self { $(Command::$variant => $desc),* }
            }
        }
    };
}

commands! {
    Quit => "quit", "Quit funcdeck";
    Help => "help", "Show or hide this help";
    Retry => "retry", "Reconnect now and reload the current view";
    CommandMode => "command", "Open the command prompt (:fn :rev :po :ev :tenants :roles :quota :metrics FN :traces FN :trace ID :logs FN :usage :stack :can VERB RES :ns NAME :ctx NAME :q)";
    Back => "back", "Clear the filter, else go back to the previous view";
    Open => "open", "Open the selection (a function's detail, a revision's spec)";
    Up => "up", "Move the selection up";
    Down => "down", "Move the selection down";
    PageUp => "page_up", "Move the selection up one page";
    PageDown => "page_down", "Move the selection down one page";
    Top => "top", "Jump to the first row";
    Bottom => "bottom", "Jump to the last row";
    Filter => "filter", "Filter rows by text";
    PickNamespace => "pick_namespace", "Choose the namespace to show";
    AllNamespaces => "all_namespaces", "Show all namespaces";
    SortNext => "sort_next", "Sort by the next column";
    SortPrevious => "sort_previous", "Sort by the previous column";
    SortReverse => "sort_reverse", "Reverse the sort order";
    NextSection => "next_section", "Move to the next section";
    PreviousSection => "previous_section", "Move to the previous section";
    Mark => "mark", "Mark or unmark the selected revision (mark two to compare them)";
    Diff => "diff", "Show the difference between the two marked revisions' specs";
    Delete => "delete", "Delete the selected function (you confirm by typing its name)";
    Rollback => "rollback", "Send all traffic back to the previous ready revision (previewed first)";
    Prune => "prune", "Delete the function's revisions that carry no traffic and no tag";
    Edit => "edit", "Edit the function as YAML (a draft is kept until it is applied)";
    Review => "review", "Review the edit as a diff against the live function, then apply it";
    ExternalEditor => "external_editor", "Edit the buffer in $EDITOR (nothing is applied until reviewed)";
    Rebase => "rebase", "Put your change on top of the server's version and keep editing";
    Overwrite => "overwrite", "Apply your change onto the server's version anyway";
    Restore => "restore", "Restore the saved draft";
    Discard => "discard", "Discard the edit and its draft";
    KeepDraft => "keep_draft", "Leave the editor, keeping the edit as a draft";
    Create => "create", "Create a function from a language template or an image (a form)";
    Update => "update", "Change the function's image or settings in a form (a new revision)";
    NextField => "next_field", "Move to the next field";
    PreviousField => "previous_field", "Move to the previous field";
    Submit => "submit", "Check the form and apply it (previewed in a confirmation first)";
    Traffic => "traffic", "Edit the function's traffic split and tags (previewed before it is applied)";
    ToggleOffline => "toggle_offline", "Take the function offline (cluster-local: no external traffic, scales to zero) or back online";
    Raise => "raise", "Raise the selected share by 5%";
    Lower => "lower", "Lower the selected share by 5%";
    Tag => "tag", "Tag the selected revision (type the tag; it gets its own URL)";
    Untag => "untag", "Remove the selected revision's last tag";
    Invoke => "invoke", "Invoke the function: send it an HTTP request and see the answer";
    EditField => "edit_field", "Edit the focused field of the request";
    Send => "send", "Send the request (a cold start can take a few seconds)";
    NextTag => "next_tag", "Invoke the next traffic tag's URL (none: the function's own URL)";
    CreateTenant => "create_tenant", "Create a tenant: type NAME [small|medium|large] [owner=USER] (previewed first)";
    RangeNext => "range_next", "Show a longer time range (metrics: 5m, 15m, 1h, 6h, 24h, 2d, 7d; usage: 24h, 7d, 30d)";
    RangePrevious => "range_previous", "Show a shorter time range";
    ZoomIn => "zoom_in", "Zoom in: half the time range";
    ZoomOut => "zoom_out", "Zoom out: twice the time range";
    Metrics => "metrics", "Open the function's metrics (requests, latency, errors, pods, cold starts)";
    Confirm => "confirm", "Accept the input or the highlighted choice";
    Cancel => "cancel", "Cancel the input or close the overlay";
    DeleteChar => "delete_char", "Delete the character before the cursor";
    Complete => "complete", "Complete the command or its argument";
    HistoryPrevious => "history_previous", "Recall the previous command";
    HistoryNext => "history_next", "Recall the next command";
    Grant => "grant", "Grant the selected role: type user:NAME, group:NAME or sa:NS/NAME (previewed as its binding)";
    Revoke => "revoke", "Revoke the selected role from the subject under the cursor (previewed first)";
    InstallRoles => "install_roles", "Install funcdeck's shipped roles (server-side apply; the plan is shown first)";
    ToggleScope => "toggle_scope", "Switch the grant between the namespace and cluster-wide";
    WhoCan => "who_can", "Who can get, update and delete the function, and through which binding";
    Traces => "traces", "Open the function's traces (a search with a duration scatter and cold starts)";
    Observe => "observe", "Observe the function: its metrics, traces and logs side by side over one window";
    ZoomPane => "zoom_pane", "Open the focused pane on its own (Esc comes back)";
    ErrorsOnly => "errors_only", "Show only traces with an error span (again: all)";
    ColdOnly => "cold_only", "Show only traces with a cold start (again: all)";
    MinDuration => "min_duration", "Show only traces this long: 500ms (at least), 500ms..2s, ..2s (empty: all)";
    OperationFilter => "operation_filter", "Show only traces with a span of this operation (empty: all)";
    TagFilter => "tag_filter", "Show only traces with these span tags: key=value … (empty: all)";
    DetailDown => "detail_down", "Scroll the span's detail down";
    DetailUp => "detail_up", "Scroll the span's detail up";
    SlowestCold => "slowest_cold", "Jump to the trace with the slowest cold start";
    ToggleCollapse => "toggle_collapse", "Collapse or expand the selected span's subtree";
    Collapse => "collapse", "Collapse the selected span's subtree (on a leaf: go to its parent)";
    Expand => "expand", "Expand the selected span's subtree";
    ExpandAll => "expand_all", "Expand every span";
    NextMatch => "next_match", "Move to the next span matching the search";
    PreviousMatch => "previous_match", "Move to the previous span matching the search";
    Logs => "logs", "Open the function's logs (a search with a histogram and fields, then a live tail)";
    Query => "query", "Search the logs with a Lucene query, as Elasticsearch reads it (empty: every line)";
    Pause => "pause", "Pause the live tail (the screen holds still; new lines wait, counted) or resume it";
    Wrap => "wrap", "Wrap long lines (again: cut them at the edge)";
    Timestamps => "timestamps", "Show or hide each line's time";
    Pretty => "pretty", "Pretty-print JSON lines (again: as written)";
    Save => "save", "Save the loaded lines to a file (type its path)";
    Toggle => "toggle", "Choose or leave out the selected item (a stack component; the log store flips)";
    NextStep => "next_step", "Go on to the wizard's next step (the plan, then the install)";
    Uninstall => "uninstall", "Uninstall the chosen stack components, in reverse order (you confirm by typing stack)";
    SetQuota => "set_quota", "Set the namespace's quota on one line (cpu= memory= gpu= pods= functions=, previewed first)";
}

impl FromStr for Command {
    type Err = UnknownCommand;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Command::ALL
            .iter()
            .copied()
            .find(|c| c.name() == s)
            .ok_or_else(|| UnknownCommand(s.to_owned()))
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown command \"{0}\"")]
pub struct UnknownCommand(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_round_trips_through_its_name() {
        for &command in Command::ALL {
            assert_eq!(command.name().parse::<Command>(), Ok(command));
            assert!(!command.description().is_empty());
        }
    }

    #[test]
    fn unknown_names_are_rejected() {
        assert_eq!(
            "frobnicate".parse::<Command>(),
            Err(UnknownCommand("frobnicate".into()))
        );
    }
}
