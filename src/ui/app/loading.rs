//! Loading a mailbox: starting (or restarting) a load, and the events the worker sends back:
//! batches of reports decided with what the mailbox has shown so far, progress, the end of the
//! load (when rows whose verdict may still change are re-decided on a worker), notices (files
//! skipped as not mail) and failures.

use std::sync::Arc;

use super::{App, LoadState};
use crate::{
    analysis::decide,
    ui::{
        event::{Effect, LoadEvent},
        jobs::Job,
        row::Row,
    },
};

impl App {
    /// Starts a load (at start, on `r`, or for another mailbox): forgets what the previous load
    /// listed and asks for a new one, whose events carry a new request id.
    pub(super) fn begin_load(&mut self) -> Vec<Effect> {
        self.request_id += 1;
        self.rows.clear();
        self.stats = Arc::default();
        self.detail = None;
        self.view.clear();
        self.counts.iter_mut().for_each(|(_, n)| *n = 0);
        self.selected = 0;
        self.list_offset = 0;
        self.hop_selected = 0;
        self.banner = None;
        self.load = LoadState::Loading {
            done: 0,
            total: None,
        };
        vec![
            Effect::Cancel,
            Effect::Load {
                request_id: self.request_id,
                mailbox: self.mailbox.clone(),
            },
        ]
    }

    /// Rows whose verdict can still change now that every message has been seen, as a job for
    /// a worker (re-analysing thousands of messages would stall the UI thread).
    fn refine_job(&self) -> Option<Job> {
        let rows: Vec<(usize, Row)> = self
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.may_change())
            .map(|(i, r)| (i, r.clone()))
            .collect();
        (!rows.is_empty()).then(|| Job::Refine {
            request_id: self.request_id,
            rows,
            stats: Arc::clone(&self.stats),
            options: Arc::clone(&self.options),
        })
    }

    pub(super) fn on_load(&mut self, ev: LoadEvent) -> Vec<Effect> {
        match ev {
            LoadEvent::Progress {
                request_id,
                done,
                total,
            } if request_id == self.request_id => {
                self.load = LoadState::Loading { done, total };
            }
            LoadEvent::Batch {
                request_id,
                mut reports,
            } if request_id == self.request_id => {
                // Decide the new messages with what the mailbox has shown so far; rows that may
                // still change are re-decided on a worker once the load ends.
                let stats = Arc::make_mut(&mut self.stats);
                for r in &reports {
                    stats.add(r);
                }
                for r in &mut reports {
                    decide(r, &self.stats);
                }
                self.rows.extend(Row::batch(&reports));
                drop(reports);
                if let LoadState::Loading { total, .. } = self.load {
                    self.load = LoadState::Loading {
                        done: self.rows.len(),
                        total,
                    };
                }
                self.detail = None;
                self.rows_changed();
            }
            LoadEvent::Finished { request_id } if request_id == self.request_id => {
                let job = self.refine_job();
                if job.is_none() {
                    self.load = LoadState::Ready;
                }
                return job.map(Effect::Job).into_iter().collect();
            }
            LoadEvent::Refined {
                request_id,
                updates,
            } if request_id == self.request_id => {
                for (i, decision) in updates {
                    if let Some(row) = self.rows.get_mut(i) {
                        row.apply(decision);
                    }
                }
                if matches!(self.load, LoadState::Loading { .. }) {
                    self.load = LoadState::Ready;
                }
                self.detail = None;
                self.rows_changed();
            }
            LoadEvent::Failed {
                request_id,
                message,
            } if request_id == self.request_id => {
                self.load = LoadState::Failed(message.clone());
                self.banner = Some(message);
                // What did arrive stays listed, decided with everything that arrived.
                return self.refine_job().map(Effect::Job).into_iter().collect();
            }
            LoadEvent::Notice {
                request_id,
                message,
            } if request_id == self.request_id => self.status = Some(message),
            LoadEvent::Mailboxes { names } => self.mailboxes = names,
            // A late event from a superseded request.
            _ => {}
        }
        Vec::new()
    }
}
