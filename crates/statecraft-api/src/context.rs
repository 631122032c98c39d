//! What a front end gives a run besides the request: where notes and progress go, how to cancel
//! it, and the run store it may record in.

use std::cell::RefCell;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Stops a long run between two chunks of work; clones share one flag.
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    /// A token that has not been cancelled.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks the run to stop (from a signal handler, another thread, a closed connection).
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Whether the run was asked to stop.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// What a run reports while it works.
#[derive(Debug, Clone)]
pub enum Event<'a> {
    /// A note on how the input was read or what the analysis noticed.
    Note(&'a str),
    /// A soft problem with the scenario, located in its file.
    Warning(&'a statecraft_io::Problem),
    /// A run was recorded in the store under this id (before its work starts, so that a killed
    /// run can be resumed).
    Recorded(i64),
    /// `done` of `total` units of work (draws, histories) are finished.
    Progress {
        /// Units finished.
        done: u64,
        /// Units in all.
        total: u64,
    },
}

/// The front end's side of a run.
#[derive(Default)]
pub struct Context<'a> {
    /// Called with every note and progress step as it happens (on the calling thread).
    pub on_event: Option<&'a dyn Fn(Event)>,
    /// Checked between chunks of long work.
    pub cancel: CancelToken,
    /// The run store (SQLite) to record the run in, if any; a sweep's `resume` reads it.
    pub store: Option<PathBuf>,
}

impl Context<'_> {
    pub(crate) fn event(&self, event: Event) {
        if let Some(f) = self.on_event {
            f(event);
        }
    }
}

/// Gathers the notes of a run and passes each on as it is made.
pub(crate) struct NoteLog<'a, 'b> {
    context: &'a Context<'b>,
    notes: RefCell<Vec<String>>,
}

impl<'a, 'b> NoteLog<'a, 'b> {
    pub(crate) fn new(context: &'a Context<'b>) -> Self {
        Self {
            context,
            notes: RefCell::new(Vec::new()),
        }
    }

    /// Records a note and tells the front end.
    pub(crate) fn note(&self, text: impl Into<String>) {
        let text = text.into();
        self.context.event(Event::Note(&text));
        self.notes.borrow_mut().push(text);
    }

    pub(crate) fn into_notes(self) -> Vec<String> {
        self.notes.into_inner()
    }
}
