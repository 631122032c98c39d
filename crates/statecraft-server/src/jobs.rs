//! Slow requests (sweeps, long durability runs, reports with sweeps) as jobs: a bounded queue,
//! a few running at once on blocking threads, progress from the API's events, cancellation
//! through its token, and the finished response kept for download. A job that no client has
//! asked about for [`crate::Config::job_idle`] is cancelled: its client has gone.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Serialize;
use statecraft_api::{ApiError, CancelToken, Context, Event, Request, Response};
use tokio::sync::Semaphore;

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// Waiting for a slot.
    Queued,
    /// Running.
    Running,
    /// Finished with a result.
    Done,
    /// Finished with an error.
    Failed,
    /// Cancelled by a client, by the server's shutdown, or because its client had gone.
    Cancelled,
}

impl JobState {
    fn finished(self) -> bool {
        matches!(
            self,
            JobState::Done | JobState::Failed | JobState::Cancelled
        )
    }
}

/// What a client sees of a job.
#[derive(Debug, Clone, Serialize)]
pub struct JobStatus {
    /// The job's id.
    pub id: u64,
    /// The analysis it runs.
    pub analysis: String,
    /// Where it is.
    pub state: JobState,
    /// Units of work finished (draws, histories).
    pub done: u64,
    /// Units of work in all (0 until the run says).
    pub total: u64,
    /// The last note the run made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Why it failed or was cancelled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ApiError>,
    /// Whether a sweep's result is partial (it was cancelled after some draws).
    pub interrupted: bool,
}

struct Job {
    status: JobStatus,
    cancel: CancelToken,
    result: Option<Arc<Response>>,
    last_seen: Instant,
}

/// The job table.
pub struct Jobs {
    table: Mutex<BTreeMap<u64, Job>>,
    next: Mutex<u64>,
    slots: Arc<Semaphore>,
    max_open: usize,
    max_finished: usize,
    idle: Duration,
    store: Option<std::path::PathBuf>,
}

/// Why a job was not taken.
#[derive(Debug)]
pub enum Refused {
    /// The queue is full.
    Busy {
        /// Jobs running or waiting.
        open: usize,
    },
}

impl Jobs {
    pub(crate) fn new(config: &crate::Config) -> Self {
        Self {
            table: Mutex::new(BTreeMap::new()),
            next: Mutex::new(1),
            slots: Arc::new(Semaphore::new(config.max_running_jobs.max(1))),
            max_open: config.max_running_jobs.max(1) + config.max_waiting_jobs,
            max_finished: config.max_finished_jobs.max(1),
            idle: config.job_idle,
            store: config.store.clone(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<u64, Job>> {
        // A panic while the lock was held leaves plain data behind: go on with it.
        self.table.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues `request`; it starts when a slot is free.
    pub fn submit(self: &Arc<Self>, request: Request) -> Result<JobStatus, Refused> {
        let id = {
            let mut table = self.lock();
            let open = table
                .values()
                .filter(|j| !j.status.state.finished())
                .count();
            if open >= self.max_open {
                return Err(Refused::Busy { open });
            }
            let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
            let id = *next;
            *next += 1;
            table.insert(
                id,
                Job {
                    status: JobStatus {
                        id,
                        analysis: request.analysis.name().into(),
                        state: JobState::Queued,
                        done: 0,
                        total: 0,
                        note: None,
                        error: None,
                        interrupted: false,
                    },
                    cancel: CancelToken::new(),
                    result: None,
                    last_seen: Instant::now(),
                },
            );
            self.forget_old(&mut table);
            id
        };
        let jobs = Arc::clone(self);
        tokio::spawn(async move { jobs.execute(id, request).await });
        Ok(self.status(id).expect("the job was just added"))
    }

    /// Keeps at most `max_finished` finished jobs, dropping the oldest.
    fn forget_old(&self, table: &mut BTreeMap<u64, Job>) {
        let finished: Vec<u64> = table
            .iter()
            .filter(|(_, j)| j.status.state.finished())
            .map(|(id, _)| *id)
            .collect();
        let excess = finished.len().saturating_sub(self.max_finished);
        for id in finished.into_iter().take(excess) {
            table.remove(&id);
        }
    }

    async fn execute(self: Arc<Self>, id: u64, request: Request) {
        let Ok(_permit) = Arc::clone(&self.slots).acquire_owned().await else {
            return;
        };
        let cancel = {
            let mut table = self.lock();
            let Some(job) = table.get_mut(&id) else {
                return;
            };
            if job.cancel.is_cancelled() {
                job.status.state = JobState::Cancelled;
                return;
            }
            job.status.state = JobState::Running;
            job.cancel.clone()
        };
        let jobs = Arc::clone(&self);
        let store = self.store.clone();
        let outcome = tokio::task::spawn_blocking(move || {
            let on_event = |event: Event| jobs.on_event(id, event);
            let context = Context {
                on_event: Some(&on_event),
                cancel,
                store,
            };
            statecraft_api::run(&request, &context)
        })
        .await;
        let mut table = self.lock();
        let Some(job) = table.get_mut(&id) else {
            return;
        };
        match outcome {
            Ok(Ok(response)) => {
                job.status.interrupted = job.cancel.is_cancelled();
                job.status.state = if job.status.interrupted {
                    JobState::Cancelled
                } else {
                    JobState::Done
                };
                job.result = Some(Arc::new(response));
            }
            Ok(Err(e)) => {
                job.status.state = match e.kind {
                    statecraft_api::ErrorKind::Cancelled => JobState::Cancelled,
                    _ => JobState::Failed,
                };
                job.status.error = Some(e);
            }
            Err(panic) => {
                job.status.state = JobState::Failed;
                eprintln!("statecraft serve: job {id} panicked: {panic}");
                job.status.error = Some(ApiError::failed(format!(
                    "job {id} failed inside the server; the server log has the details"
                )));
            }
        }
    }

    fn on_event(&self, id: u64, event: Event) {
        let mut table = self.lock();
        let Some(job) = table.get_mut(&id) else {
            return;
        };
        match event {
            Event::Progress { done, total } => {
                job.status.done = done;
                job.status.total = total;
            }
            Event::Note(text) => job.status.note = Some(text.to_owned()),
            Event::Warning(_) | Event::Recorded(_) => {}
        }
    }

    /// A job's status; asking counts as the client being there.
    pub fn status(&self, id: u64) -> Option<JobStatus> {
        let mut table = self.lock();
        let job = table.get_mut(&id)?;
        job.last_seen = Instant::now();
        Some(job.status.clone())
    }

    /// Every job known, oldest first.
    pub fn list(&self) -> Vec<JobStatus> {
        let mut table = self.lock();
        let now = Instant::now();
        table
            .values_mut()
            .map(|j| {
                j.last_seen = now;
                j.status.clone()
            })
            .collect()
    }

    /// A finished job's response (with its status), if it has one.
    pub fn result(&self, id: u64) -> Option<(JobStatus, Option<Arc<Response>>)> {
        let mut table = self.lock();
        let job = table.get_mut(&id)?;
        job.last_seen = Instant::now();
        Some((job.status.clone(), job.result.clone()))
    }

    /// Asks a job to stop; a queued job is cancelled at once.
    pub fn cancel(&self, id: u64) -> Option<JobStatus> {
        let mut table = self.lock();
        let job = table.get_mut(&id)?;
        job.cancel.cancel();
        if job.status.state == JobState::Queued {
            job.status.state = JobState::Cancelled;
        }
        Some(job.status.clone())
    }

    /// Cancels every job (the server is shutting down).
    pub fn cancel_all(&self) {
        let ids: Vec<u64> = self.lock().keys().copied().collect();
        for id in ids {
            self.cancel(id);
        }
    }

    /// Cancels the open jobs that no client has asked about for the idle time.
    pub fn reap(&self) -> usize {
        let now = Instant::now();
        let stale: Vec<u64> = self
            .lock()
            .iter()
            .filter(|(_, j)| {
                !j.status.state.finished() && now.duration_since(j.last_seen) > self.idle
            })
            .map(|(id, _)| *id)
            .collect();
        for id in &stale {
            eprintln!("statecraft serve: job {id} cancelled: no client has asked for it");
            self.cancel(*id);
        }
        stale.len()
    }

    pub(crate) async fn reap_forever(&self) {
        let every = (self.idle / 4).max(Duration::from_millis(50));
        loop {
            tokio::time::sleep(every).await;
            self.reap();
        }
    }
}
