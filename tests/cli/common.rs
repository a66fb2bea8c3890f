//! Helpers shared by the CLI tests.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

pub const SEED_000: &str = "000_00b06d22c5d2f91c";
pub const SEED_004: &str = "004_f29be4e2a4ac97ad";

/// A fixture file under `fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

/// A temporary workspace with its own store.
pub struct Workspace {
    pub dir: TempDir,
}

impl Workspace {
    pub fn new() -> Workspace {
        Workspace {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("track.db")
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// `track --db <ws>/track.db ARGS`, colour off, in the workspace.
    pub fn track(&self) -> Command {
        let mut cmd = Command::cargo_bin("track").expect("binary");
        cmd.current_dir(self.dir.path())
            .env("NO_COLOR", "1")
            .env_remove("TRACK_DB")
            .arg("--db")
            .arg(self.db());
        cmd
    }

    /// Run and return (status code, stdout, stderr).
    pub fn run(&self, args: &[&str]) -> (i32, String, String) {
        let output = self.track().args(args).output().expect("run track");
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }

    pub fn add(&self, args: &[&str]) -> String {
        let (code, out, err) = self.run(&[&["add"], args].concat());
        assert_eq!(code, 0, "track add {args:?} failed: {out}{err}");
        out
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let (code, out, err) = self.run(args);
        assert_eq!(code, 0, "track {args:?} failed: {err}");
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
    }

    /// Parse stdout as JSON whatever the exit status (diff exits 1 on differences).
    pub fn json_any(&self, args: &[&str]) -> serde_json::Value {
        let (code, out, err) = self.run(args);
        assert!(code == 0 || code == 1, "track {args:?} failed: {err}");
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
    }

    /// Number of blobs in the store, from `verify --format json`.
    pub fn blobs(&self) -> u64 {
        self.json(&["verify", "--format", "json"])["blobs"]
            .as_u64()
            .expect("blobs")
    }

    /// Number of versions of every article, by key.
    pub fn versions(&self) -> Vec<(String, u64)> {
        self.json(&["list", "--format", "json"])
            .as_array()
            .expect("list")
            .iter()
            .map(|a| {
                (
                    a["key"].as_str().unwrap().to_string(),
                    a["versions"].as_u64().unwrap(),
                )
            })
            .collect()
    }
}

pub fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}
