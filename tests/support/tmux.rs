//! funcdeck in a real terminal: tmux runs the release binary, tests send keys and read the
//! screen the way a person would.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use super::{funcdeck_bin, run, wait_for};

pub struct Tmux {
    socket: String,
}

impl Tmux {
    pub fn start(home: &Path, args: &str) -> Tmux {
        Tmux::start_with_env(home, "", args)
    }

    /// Starts funcdeck with extra environment (`NAME=value ...`), e.g. an `EDITOR`.
    pub fn start_with_env(home: &Path, env: &str, args: &str) -> Tmux {
        // A socket of its own per start: a server being killed (a previous start in the same
        // home) may still hold the old name for a moment.
        static STARTS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let socket = format!(
            "funcdeck-test-{}-{}-{}",
            std::process::id(),
            home.file_name().and_then(|n| n.to_str()).unwrap_or("x"),
            STARTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        // A shell waits for funcdeck and prints its exit status on the restored screen.
        let command = format!(
            "env FUNCDECK_CONFIG_DIR={config} FUNCDECK_STATE_DIR={state} TERM=xterm-256color {env} {bin} {args}; \
             echo \"funcdeck exited: $?\"; sleep 60",
            config = home.join("config").display(),
            state = home.join("state").display(),
            bin = funcdeck_bin().display(),
        );
        let tmux = Tmux { socket };
        let status = tmux
            .command()
            .args([
                "new-session",
                "-d",
                "-s",
                "t",
                "-x",
                "160",
                "-y",
                "45",
                &command,
            ])
            .status()
            .expect("tmux runs");
        assert!(status.success());
        tmux
    }

    fn command(&self) -> Command {
        let mut command = Command::new("tmux");
        command.args(["-L", &self.socket]);
        command
    }

    pub fn send(&self, keys: &[&str]) {
        let status = self
            .command()
            .args(["send-keys", "-t", "t"])
            .args(keys)
            .status()
            .expect("tmux send-keys");
        assert!(status.success());
    }

    pub fn screen(&self) -> String {
        run(self.command().args(["capture-pane", "-p", "-t", "t"])).stdout
    }

    /// Waits until the screen passes `check`, and returns it once the frame is whole: a
    /// capture can land while a frame is still being written, so the match must hold on a second
    /// capture taken a moment later (which is the one returned).
    pub fn wait_for_screen(&self, what: &str, check: impl Fn(&str) -> bool) -> String {
        wait_for(Duration::from_secs(30), what, || {
            if !check(&self.screen()) {
                return None;
            }
            std::thread::sleep(Duration::from_millis(50));
            let settled = self.screen();
            check(&settled).then_some(settled)
        })
    }

    /// Waits for funcdeck to end and returns its exit status and the screen it left behind.
    pub fn wait_for_exit(&self) -> (i32, String) {
        let screen = self.wait_for_screen("funcdeck to exit", |s| s.contains("funcdeck exited: "));
        let status = screen
            .lines()
            .find_map(|l| l.trim().strip_prefix("funcdeck exited: "))
            .and_then(|code| code.trim().parse().ok())
            .unwrap_or(-1);
        (status, screen)
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.command().arg("kill-server").status();
    }
}

/// Function rows of the table (lines between the column header and the bottom border).
pub fn table_rows(screen: &str) -> Vec<&str> {
    screen
        .lines()
        .skip_while(|l| !l.contains("NAMESPACE"))
        .skip(1)
        .take_while(|l| !l.starts_with('└'))
        .filter(|l| {
            l.starts_with('│')
                && !l
                    .trim_matches(|c: char| c == '│' || c.is_whitespace())
                    .is_empty()
        })
        .collect()
}

pub fn embedded_kubeconfig(home: &Path) -> PathBuf {
    wait_for(
        Duration::from_secs(10),
        "the embedded sandbox kubeconfig",
        || {
            std::fs::read_dir(home.join("state/sandbox"))
                .ok()?
                .flatten()
                .map(|e| e.path())
                .find(|p| p.extension().is_some_and(|e| e == "kubeconfig"))
        },
    )
}
