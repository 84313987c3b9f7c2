//! Work the app hands to a worker thread: re-deciding rows once the whole mailbox is known, and
//! exporting a report. Each job owns its inputs and ends in one `AppEvent`, so the runtime runs
//! it on a thread and tests run it inline.

use std::{fmt, path::PathBuf, sync::Arc};

use super::{
    event::{AppEvent, LoadEvent},
    row::Row,
};
use crate::{
    analysis::{AnalysisOptions, MessageReport, ReceiverStats},
    report::{self, ReportContext, ReportFormat},
};

#[derive(Clone)]
pub enum Job {
    /// Re-decide rows that may change now that every message has been seen.
    Refine {
        request_id: u64,
        rows: Vec<(usize, Row)>,
        stats: Arc<ReceiverStats>,
        options: Arc<AnalysisOptions>,
    },
    /// Analyse the listed rows and write them as a report; an existing file only with `replace`.
    Export {
        path: PathBuf,
        replace: bool,
        format: ReportFormat,
        context: ReportContext,
        rows: Vec<Row>,
        stats: Arc<ReceiverStats>,
        options: Arc<AnalysisOptions>,
    },
}

impl Job {
    pub fn run(self) -> AppEvent {
        match self {
            Job::Refine {
                request_id,
                rows,
                stats,
                options,
            } => {
                let updates = rows
                    .into_iter()
                    .map(|(i, row)| (i, row.redecide(&stats, &options)))
                    .collect();
                AppEvent::Load(LoadEvent::Refined {
                    request_id,
                    updates,
                })
            }
            Job::Export {
                path,
                replace,
                format,
                context,
                rows,
                stats,
                options,
            } => {
                // Asked before the analysis, which takes seconds for a big mailbox; the write
                // below asks again, in case the file appeared meanwhile.
                if !replace && path.exists() {
                    return AppEvent::ExportExists { path, format };
                }
                let reports: Vec<MessageReport> =
                    rows.iter().map(|r| r.analyse(&stats, &options)).collect();
                let contents = report::render(format, &reports, &context);
                let written = if replace {
                    std::fs::write(&path, contents)
                } else {
                    std::fs::File::create_new(&path)
                        .and_then(|mut f| std::io::Write::write_all(&mut f, contents.as_bytes()))
                };
                if written
                    .as_ref()
                    .is_err_and(|e| e.kind() == std::io::ErrorKind::AlreadyExists)
                {
                    return AppEvent::ExportExists { path, format };
                }
                // Report the absolute path: "wrote to report.md" does not say where that is.
                let result = written
                    .map(|()| {
                        (
                            std::fs::canonicalize(&path).unwrap_or(path.clone()),
                            reports.len(),
                        )
                    })
                    .map_err(|e| {
                        format!("cannot write {}: {e} (choose another path)", path.display())
                    });
                AppEvent::Written { result }
            }
        }
    }
}

// Jobs carry whole header blocks: print what they are, not what they hold.
impl fmt::Debug for Job {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Job::Refine {
                request_id, rows, ..
            } => write!(f, "Refine(request {request_id}, {} rows)", rows.len()),
            Job::Export {
                path,
                replace,
                format,
                rows,
                ..
            } => write!(
                f,
                "Export({} rows as {} to {}{})",
                rows.len(),
                format.extension(),
                path.display(),
                if *replace { ", replacing it" } else { "" }
            ),
        }
    }
}

// Effects are compared in tests; two jobs are the same when they describe the same work.
impl PartialEq for Job {
    fn eq(&self, other: &Self) -> bool {
        format!("{self:?}") == format!("{other:?}")
    }
}

impl Eq for Job {}
