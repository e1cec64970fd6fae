//! `App::update`: every state transition, and the effects it asks for.

use funcdeck_core::functions::{FunctionEvent, NamespaceScope};

use super::{App, Effect, FunctionList, Health, Loadable, Mode, Msg, NamespacePicker};
use crate::command::Command;
use crate::keymap::Key;

/// While the watch is down for a reason a retry can fix, check reachability this often.
const PROBE_INTERVAL_SECONDS: i64 = 3;

impl App {
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Key(key) => {
                self.dirty = true;
                self.on_key(key)
            }
            Msg::Resize { width, height } => {
                self.terminal_size = (width, height);
                self.dirty = true;
                Vec::new()
            }
            Msg::Tick(now) => self.on_tick(now),
            Msg::Connected { generation, result } => {
                if generation != self.generation {
                    return Vec::new();
                }
                self.dirty = true;
                match result {
                    Ok(info) => {
                        if !self.scope_chosen {
                            self.scope = NamespaceScope::One(info.default_namespace.clone());
                        }
                        self.context = Some(info);
                        self.health = Health::Connecting;
                        if !matches!(self.functions, Loadable::Loaded(_)) {
                            self.functions = Loadable::Loading;
                        }
                        vec![Effect::WatchFunctions {
                            generation,
                            scope: self.scope.clone(),
                        }]
                    }
                    Err(error) => {
                        self.functions = Loadable::Failed(error.clone());
                        self.health = Health::Failed { error };
                        Vec::new()
                    }
                }
            }
            Msg::Functions { generation, event } => {
                if generation == self.generation {
                    self.on_function_event(event);
                }
                Vec::new()
            }
            Msg::Namespaces { generation, result } => {
                if generation == self.namespaces_generation
                    && let Mode::NamespacePicker(picker) = &mut self.mode
                {
                    picker.namespaces = match result {
                        Ok(names) => Loadable::Loaded(names),
                        Err(error) => Loadable::Failed(error),
                    };
                    picker.move_cursor(0);
                    self.dirty = true;
                }
                Vec::new()
            }
            Msg::Probed { generation, result } => {
                if generation == self.generation
                    && result.is_ok()
                    && matches!(&self.health, Health::Degraded { error, .. } if error.is_retryable())
                {
                    self.health = Health::Live;
                    self.dirty = true;
                }
                Vec::new()
            }
        }
    }

    fn on_tick(&mut self, now: chrono::DateTime<chrono::Utc>) -> Vec<Effect> {
        // Ages are shown in whole seconds under two minutes, in minutes or coarser after that:
        // redraw only when some visible text can have changed.
        let before = self.now;
        self.now = now;
        if before.timestamp() / 60 != now.timestamp() / 60 || self.has_young_visible_rows() {
            self.dirty = true;
        }
        let mut effects = Vec::new();
        if let Health::Degraded { error, .. } = &self.health
            && error.is_retryable()
            && self
                .last_probe
                .is_none_or(|last| (now - last).num_seconds() >= PROBE_INTERVAL_SECONDS)
        {
            self.last_probe = Some(now);
            effects.push(Effect::Probe {
                generation: self.generation,
            });
        }
        effects
    }

    fn has_young_visible_rows(&self) -> bool {
        let Some(list) = self.functions.loaded() else {
            return false;
        };
        let visible = usize::from(self.terminal_size.1);
        list.rows(self.view.offset, visible).any(|s| {
            s.created
                .is_some_and(|created| (self.now - created).num_seconds() < 600)
        })
    }

    fn on_function_event(&mut self, event: FunctionEvent) {
        self.dirty = true;
        match event {
            FunctionEvent::Synced(summaries) => {
                match &mut self.functions {
                    Loadable::Loaded(list) => list.replace_all(summaries),
                    other => *other = Loadable::Loaded(FunctionList::from_summaries(summaries)),
                }
                self.health = Health::Live;
            }
            FunctionEvent::Applied(summary) => {
                if let Some(list) = self.functions.loaded_mut() {
                    list.apply(summary);
                    self.health = Health::Live;
                }
            }
            FunctionEvent::Deleted(key) => {
                if let Some(list) = self.functions.loaded_mut() {
                    list.remove(&key);
                    self.health = Health::Live;
                }
            }
            FunctionEvent::Failed(error) => {
                if !matches!(self.functions, Loadable::Loaded(_)) {
                    self.functions = Loadable::Failed(error.clone());
                }
                let since = match &self.health {
                    Health::Degraded { since, .. } => *since,
                    _ => self.now,
                };
                self.health = Health::Degraded { error, since };
            }
        }
    }

    fn on_key(&mut self, key: Key) -> Vec<Effect> {
        if let Some(command) = self.keymap.lookup(self.key_context(), key) {
            return self.run(command);
        }
        if let Some(c) = key.typed_char() {
            match &mut self.mode {
                Mode::Filtering => {
                    self.view.filter.push(c);
                    self.filter_changed();
                }
                Mode::NamespacePicker(picker) => picker.edit_filter(|f| f.push(c)),
                Mode::Normal | Mode::Help { .. } => {}
            }
        }
        Vec::new()
    }

    pub fn run(&mut self, command: Command) -> Vec<Effect> {
        self.dirty = true;
        match command {
            Command::Quit => self.should_quit = true,
            Command::Help => {
                self.mode = match self.mode {
                    Mode::Help { .. } => Mode::Normal,
                    _ => Mode::Help { scroll: 0 },
                }
            }
            Command::Retry => return self.reconnect(),
            Command::Up => self.move_by(-1),
            Command::Down => self.move_by(1),
            Command::PageUp => self.move_by(-self.page()),
            Command::PageDown => self.move_by(self.page()),
            Command::Top => self.move_by(isize::MIN / 2),
            Command::Bottom => self.move_by(isize::MAX / 2),
            Command::Filter => self.mode = Mode::Filtering,
            Command::ClearFilter => {
                if !self.view.filter.is_empty() {
                    self.view.filter.clear();
                    self.filter_changed();
                } else if !self.warnings.is_empty() {
                    // Esc with nothing to clear acknowledges the oldest warning.
                    self.warnings.remove(0);
                }
            }
            Command::PickNamespace => {
                self.namespaces_generation += 1;
                self.mode = Mode::NamespacePicker(NamespacePicker {
                    namespaces: Loadable::Loading,
                    ..NamespacePicker::default()
                });
                return vec![Effect::LoadNamespaces {
                    generation: self.namespaces_generation,
                }];
            }
            Command::AllNamespaces => return self.switch_scope(NamespaceScope::All),
            Command::SortNext | Command::SortPrevious => {
                let forward = command == Command::SortNext;
                self.view.sort = self.view.sort.step(forward, self.shows_namespace_column());
                self.rows_changed();
            }
            Command::SortReverse => {
                self.view.sort.descending = !self.view.sort.descending;
                self.rows_changed();
            }
            Command::Confirm => match &self.mode {
                Mode::Filtering => self.mode = Mode::Normal,
                Mode::NamespacePicker(picker) => {
                    let choice = picker.selected();
                    self.mode = Mode::Normal;
                    if let Some(scope) = choice {
                        return self.switch_scope(scope);
                    }
                }
                Mode::Normal | Mode::Help { .. } => {}
            },
            Command::Cancel => {
                if matches!(self.mode, Mode::Filtering) {
                    self.view.filter.clear();
                    self.filter_changed();
                }
                self.mode = Mode::Normal;
            }
            Command::DeleteChar => match &mut self.mode {
                Mode::Filtering => {
                    self.view.filter.pop();
                    self.filter_changed();
                }
                Mode::NamespacePicker(picker) => picker.edit_filter(|f| {
                    f.pop();
                }),
                Mode::Normal | Mode::Help { .. } => {}
            },
        }
        Vec::new()
    }

    fn page(&self) -> isize {
        (self.table_rows_visible().max(2) - 1) as isize
    }

    fn move_by(&mut self, delta: isize) {
        match &mut self.mode {
            Mode::Help { scroll } => {
                *scroll = scroll.saturating_add_signed(delta.clamp(-100, 100) as i16);
            }
            Mode::NamespacePicker(picker) => picker.move_cursor(delta),
            Mode::Normal | Mode::Filtering => {
                self.refresh_rows();
                let rows = self.functions.loaded().map_or(0, FunctionList::row_count);
                self.view.cursor = self
                    .view
                    .cursor
                    .saturating_add_signed(delta)
                    .min(rows.saturating_sub(1));
            }
        }
    }

    fn filter_changed(&mut self) {
        self.view.cursor = 0;
        self.view.offset = 0;
        self.rows_changed();
    }

    fn rows_changed(&mut self) {
        if let Some(list) = self.functions.loaded_mut() {
            list.mark_stale();
        }
    }

    fn switch_scope(&mut self, scope: NamespaceScope) -> Vec<Effect> {
        if scope == self.scope && matches!(self.functions, Loadable::Loaded(_)) {
            return Vec::new();
        }
        self.scope = scope;
        self.scope_chosen = true;
        if self.view.sort.column == super::SortColumn::Namespace {
            self.view.sort.descending = false;
        }
        self.view.cursor = 0;
        self.view.offset = 0;
        if self.context.is_none() {
            // Not connected yet: the scope applies once we are.
            return self.reconnect();
        }
        self.generation += 1;
        self.functions = Loadable::Loading;
        self.health = Health::Connecting;
        vec![Effect::WatchFunctions {
            generation: self.generation,
            scope: self.scope.clone(),
        }]
    }

    pub(super) fn reconnect(&mut self) -> Vec<Effect> {
        self.generation += 1;
        self.health = Health::Connecting;
        self.last_probe = None;
        if !matches!(self.functions, Loadable::Loaded(_)) {
            self.functions = Loadable::Loading;
        }
        vec![Effect::Connect {
            generation: self.generation,
        }]
    }
}
