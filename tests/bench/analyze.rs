#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests and their helpers fail loudly"
)]
//! Throughput of the analysis core on a generated mailbox: 100,000 messages, 3–8 hops each,
//! in the shapes of real MTAs. Run with `cargo bench --bench analyze`; criterion prints
//! messages per second ("thrpt") for one core (analysis is single-threaded).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hopscope::analysis::{AnalysisOptions, analyze_mailbox};

#[path = "generate.rs"]
mod generate;

use generate::generate;

fn bench(c: &mut Criterion) {
    const N: usize = 100_000;
    let messages = generate(N);
    let bytes: usize = messages.iter().map(Vec::len).sum();
    eprintln!(
        "generated {N} messages, {} MB of headers",
        bytes / 1_000_000
    );
    let labels: Vec<String> = (0..N).map(|i| format!("gen#{i}")).collect();
    let mut group = c.benchmark_group("analyze_mailbox");
    group.throughput(Throughput::Elements(N as u64));
    group.sample_size(10);
    group.bench_function("100k_messages", |b| {
        b.iter(|| {
            let input = labels
                .iter()
                .zip(&messages)
                .map(|(l, m)| (l.as_str(), m.as_slice()));
            black_box(analyze_mailbox(input, &AnalysisOptions::default()))
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
