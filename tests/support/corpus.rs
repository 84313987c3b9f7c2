//! The shared, hand-labelled corpus of real headers (`../shared/corpus`): outside this
//! repository, present in CI. Tests that read it skip on a developer's machine without it, and
//! fail under `CI` when it is missing.

use std::path::PathBuf;

/// `relative` inside the shared corpus folder.
fn path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(relative)
}

/// The bytes of `relative`, or `None` (saying so) when the corpus is absent off CI.
pub fn read(relative: &str) -> Option<Vec<u8>> {
    let path = path(relative);
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(_) => {
            assert!(
                std::env::var("CI").is_err(),
                "CI must have the shared corpus at {}",
                path.display()
            );
            eprintln!("skipped: no shared corpus at {}", path.display());
            None
        }
    }
}
