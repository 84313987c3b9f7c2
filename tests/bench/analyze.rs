#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests and their helpers fail loudly"
)]
//! Throughput of the analysis core on a generated mailbox: 100,000 messages, 3–8 hops each,
//! in the shapes of real MTAs. Run with `cargo bench --bench analyze`; criterion prints
//! messages per second ("thrpt") for one core (`analyze_owned` is single-threaded), then for
//! the CLI's path, which parses on every core.

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use hopscope::analysis::{AnalysisOptions, analyze_owned};

// The same allocator as the binary (src/main.rs), so the figures are the program's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "generate.rs"]
mod generate;

use generate::generate;

fn bench(c: &mut Criterion) {
    // `tests/bench/instructions.sh` runs this under valgrind on fewer messages, once only
    // generating them (`HOPSCOPE_BENCH_PASS=generate`) and once with the single timed pass
    // (`analyze`), and subtracts; neither runs the criterion benchmarks.
    let n: usize = std::env::var("HOPSCOPE_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let pass = std::env::var("HOPSCOPE_BENCH_PASS").unwrap_or_default();
    let messages = generate(n);
    let bytes: usize = messages.iter().map(Vec::len).sum();
    eprintln!(
        "generated {n} messages, {} MB of headers",
        bytes / 1_000_000
    );
    let labels: Vec<String> = (0..n).map(|i| format!("gen#{i}")).collect();
    phases(&labels, &messages, pass != "generate");
    if !pass.is_empty() {
        return;
    }
    let mut group = c.benchmark_group("analyze_mailbox");
    group.throughput(Throughput::Elements(n as u64));
    group.sample_size(10);
    // The readers hand their buffers over (`analyze_owned`, as `hopscope analyze` does): each
    // timed run gets a fresh copy of the mailbox, made outside the timing.
    let owned = || -> Vec<(String, Vec<u8>)> {
        labels
            .iter()
            .cloned()
            .zip(messages.iter().cloned())
            .collect()
    };
    // Named for the default size; another `HOPSCOPE_BENCH_N` gets its own name.
    let name = if n == 100_000 {
        "100k_messages".to_string()
    } else {
        format!("{n}_messages")
    };
    group.bench_function(name.as_str(), |b| {
        b.iter_batched(
            owned,
            |input| analyze_owned(input, &AnalysisOptions::default()),
            BatchSize::PerIteration,
        );
    });
    // What `hopscope analyze` and `report` do: parse on every core, then decide once.
    let raw = || -> Vec<hopscope::sources::RawMessage> {
        owned()
            .into_iter()
            .map(|(source, headers)| hopscope::sources::RawMessage { source, headers })
            .collect()
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    group.bench_function(format!("{name}_{cores}_cores"), |b| {
        b.iter_batched(
            raw,
            |input| hopscope::cli::analyze_raw(input, &AnalysisOptions::default()),
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

/// One timed pass split into its phases, so a slow run says where the time went. With `analyse`
/// false, only the input is prepared (the baseline `instructions.sh` subtracts).
fn phases(labels: &[String], messages: &[Vec<u8>], analyse: bool) {
    use hopscope::analysis::{decide_each, parse_owned_counted};
    use std::time::Instant;
    let options = AnalysisOptions::default();
    let input: Vec<(String, Vec<u8>)> = labels
        .iter()
        .cloned()
        .zip(messages.iter().cloned())
        .collect();
    if !analyse {
        drop(black_box(input));
        return;
    }
    // As `analyze_owned` does it: receivers counted as each message is parsed, then decided.
    let t = Instant::now();
    let (mut reports, stats) = parse_owned_counted(input, &options);
    let parse = t.elapsed();
    let t = Instant::now();
    decide_each(&mut reports, &stats);
    let decide = t.elapsed();
    let t = Instant::now();
    drop(black_box(reports));
    let free = t.elapsed();
    eprintln!(
        "one pass: parse {:.0} ms (receivers counted), decide {:.0} ms, free {:.0} ms",
        parse.as_secs_f64() * 1e3,
        decide.as_secs_f64() * 1e3,
        free.as_secs_f64() * 1e3
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
