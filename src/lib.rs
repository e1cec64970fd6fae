//! funcdeck: a keyboard-driven terminal console for Knative Serving.
//!
//! The binary (`main.rs`) is thin; everything lives here so integration tests and benchmarks can
//! drive the same code. Cluster I/O is in `funcdeck-core`; this crate is UI, CLI and wiring.

pub mod app;
pub mod cli;
pub mod columns;
pub mod command;
pub mod config;
pub mod drafts;
pub mod external_editor;
pub mod format;
pub mod keymap;
pub mod logging;
pub mod runner;
pub mod stack_flow;
pub mod templates;
#[cfg(test)]
pub(crate) mod testing;
pub mod theme;
pub mod tui;
pub mod ui;
pub mod views;
