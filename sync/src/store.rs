//! The store on disk: generations of documents as received, switched
//! atomically.
//!
//! ```text
//! DIR/lock                      held by the one sync that writes
//! DIR/current                   "gen-0000000042": the generation readers use
//! DIR/gen-0000000042/manifest.json   per source: when synced, its files, its cursor
//! DIR/gen-0000000042/SOURCE/…   each document as the publisher sent it
//! ```
//!
//! A sync writes a whole new generation beside the current one (a source
//! that did not change, or failed, keeps its files, linked), each file
//! written, fsynced and renamed, the directory fsynced, and only then
//! `current` is replaced by rename (and the store directory fsynced): a
//! power cut at any point leaves `current` naming a complete generation.
//! Readers read `current` once and then only that generation; the one
//! before it is kept, so that a reader that started before a sync finishes
//! with the state it started with.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::SyncError;

/// The most bytes a store holds, all generations' files counted once.
pub const MAX_STORE_BYTES: u64 = 512 * 1024 * 1024;

/// The largest file a store reads back.
pub(crate) const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

const MANIFEST: &str = "manifest.json";
const MANIFEST_FORMAT: u32 = 1;

/// What the store remembers of one source, beside its files.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SourceState {
    /// The caller's time of the last sync that brought it up to date.
    pub(crate) synced_at: i64,
    /// Where it came from.
    pub(crate) url: String,
    /// Its files, in the source's folder.
    pub(crate) files: Vec<String>,
    /// The source's cursor (resume token, ETag, sequence), as it needs.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) cursor: BTreeMap<String, String>,
}

/// A generation's manifest.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Manifest {
    pub(crate) format: u32,
    pub(crate) generation: u64,
    pub(crate) sources: BTreeMap<String, SourceState>,
}

/// One generation, read back.
#[derive(Debug, Clone)]
pub(crate) struct Generation {
    pub(crate) dir: PathBuf,
    pub(crate) manifest: Manifest,
}

impl Generation {
    /// A file of a source, read back (bounded).
    pub(crate) fn read(&self, source: &str, file: &str) -> Result<Vec<u8>, SyncError> {
        read_bounded(&self.dir.join(source).join(file), MAX_FILE_BYTES)
    }
}

fn io(path: &Path, e: std::io::Error) -> SyncError {
    SyncError::Store(format!("{}: {e}", path.display()))
}

fn read_bounded(path: &Path, max: u64) -> Result<Vec<u8>, SyncError> {
    let file = File::open(path).map_err(|e| io(path, e))?;
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io(path, e))?;
    if bytes.len() as u64 > max {
        return Err(SyncError::Store(format!(
            "{}: larger than {max} bytes",
            path.display()
        )));
    }
    Ok(bytes)
}

fn generation_name(n: u64) -> String {
    format!("gen-{n:010}")
}

fn parse_generation(name: &str) -> Option<u64> {
    let digits = name.strip_prefix("gen-")?;
    (digits.len() == 10 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

/// A file or folder name a source may use: short, plain, no path.
pub(crate) fn check_name(name: &str) -> Result<(), SyncError> {
    let plain = !name.is_empty()
        && name.len() <= 100
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if plain {
        Ok(())
    } else {
        Err(SyncError::Store(format!(
            "{:?}: not a plain file name",
            crate::http::shorten(name)
        )))
    }
}

fn sync_dir(path: &Path) -> Result<(), SyncError> {
    File::open(path)
        .and_then(|d| d.sync_all())
        .map_err(|e| io(path, e))
}

/// Writes `bytes` to `path` durably and atomically: a temporary file
/// beside it, fsynced, renamed over it, the directory fsynced.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), SyncError> {
    let dir = path
        .parent()
        .ok_or_else(|| SyncError::Store(format!("{}: no directory", path.display())))?;
    let mut tmp_name = path.file_name().unwrap_or_default().to_owned();
    tmp_name.push(".tmp");
    let tmp = dir.join(tmp_name);
    let mut f = File::create(&tmp).map_err(|e| io(&tmp, e))?;
    f.write_all(bytes).map_err(|e| io(&tmp, e))?;
    f.sync_all().map_err(|e| io(&tmp, e))?;
    fs::rename(&tmp, path).map_err(|e| io(path, e))?;
    sync_dir(dir)
}

/// Reads a file of at most `max` bytes, if it is there.
pub(crate) fn read_if_there(path: &Path, max: u64) -> Result<Option<Vec<u8>>, SyncError> {
    match fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io(path, e)),
        Ok(_) => read_bounded(path, max).map(Some),
    }
}

/// Reads the generation `current` names (none in a new store).
pub(crate) fn read_current(dir: &Path) -> Result<Option<Generation>, SyncError> {
    let pointer = dir.join("current");
    let name = match read_bounded(&pointer, 64) {
        Ok(bytes) => String::from_utf8(bytes)
            .map_err(|_| SyncError::Store(format!("{}: not text", pointer.display())))?,
        Err(_) if !pointer.exists() => return Ok(None),
        Err(e) => return Err(e),
    };
    let name = name.trim();
    let number = parse_generation(name)
        .ok_or_else(|| SyncError::Store(format!("{}: names no generation", pointer.display())))?;
    let gen_dir = dir.join(name);
    let path = gen_dir.join(MANIFEST);
    let manifest: Manifest = serde_json::from_slice(&read_bounded(&path, 4 * 1024 * 1024)?)
        .map_err(|e| SyncError::Store(format!("{}: {e}", path.display())))?;
    if manifest.format != MANIFEST_FORMAT || manifest.generation != number {
        return Err(SyncError::Store(format!(
            "{}: not the manifest of {name}",
            path.display()
        )));
    }
    for (source, state) in &manifest.sources {
        check_name(source)?;
        for file in &state.files {
            check_name(file)?;
        }
    }
    Ok(Some(Generation {
        dir: gen_dir,
        manifest,
    }))
}

/// The writer's hold on a store: the lock, and the generation being made.
pub(crate) struct Staging {
    root: PathBuf,
    tmp: PathBuf,
    number: u64,
    old: Option<Generation>,
    manifest: Manifest,
    bytes: u64,
    _lock: File,
}

impl Staging {
    /// Takes the store's lock (refused while another sync holds it) and
    /// starts the next generation.
    pub(crate) fn begin(root: &Path) -> Result<Staging, SyncError> {
        fs::create_dir_all(root).map_err(|e| io(root, e))?;
        let lock_path = root.join("lock");
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| io(&lock_path, e))?;
        lock.try_lock().map_err(|e| match e {
            fs::TryLockError::WouldBlock => SyncError::Busy,
            fs::TryLockError::Error(e) => io(&lock_path, e),
        })?;
        let old = read_current(root)?;
        let number = old.as_ref().map_or(0, |g| g.manifest.generation) + 1;
        // What a crashed sync left: unfinished generations, and any
        // generation neither current nor the one before.
        if let Ok(entries) = fs::read_dir(root) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let stale = name.starts_with("tmp-")
                    || parse_generation(&name).is_some_and(|n| n + 2 < number || n >= number);
                if stale {
                    fs::remove_dir_all(entry.path()).map_err(|e| io(&entry.path(), e))?;
                }
            }
        }
        let tmp = root.join(format!("tmp-{}", generation_name(number)));
        fs::create_dir(&tmp).map_err(|e| io(&tmp, e))?;
        Ok(Staging {
            root: root.to_owned(),
            tmp,
            number,
            manifest: Manifest {
                format: MANIFEST_FORMAT,
                generation: number,
                sources: BTreeMap::new(),
            },
            old,
            bytes: 0,
            _lock: lock,
        })
    }

    /// The current generation, if any.
    pub(crate) fn old(&self) -> Option<&Generation> {
        self.old.as_ref()
    }

    /// Writes one file of `source` into the new generation (durably).
    pub(crate) fn put(&mut self, source: &str, file: &str, bytes: &[u8]) -> Result<(), SyncError> {
        check_name(source)?;
        check_name(file)?;
        self.bytes = self.bytes.saturating_add(bytes.len() as u64);
        if self.bytes > MAX_STORE_BYTES {
            return Err(SyncError::Store(format!(
                "the store would hold more than {MAX_STORE_BYTES} bytes"
            )));
        }
        let dir = self.tmp.join(source);
        fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
        let path = dir.join(file);
        let mut f = File::create(&path).map_err(|e| io(&path, e))?;
        f.write_all(bytes).map_err(|e| io(&path, e))?;
        f.sync_all().map_err(|e| io(&path, e))
    }

    /// Takes one file of `source` unchanged from the current generation
    /// (a hard link; a copy where links are not possible).
    pub(crate) fn put_held(&mut self, source: &str, file: &str) -> Result<(), SyncError> {
        check_name(source)?;
        check_name(file)?;
        let Some(old) = &self.old else {
            return Err(SyncError::Store(format!("{source}/{file}: not held")));
        };
        let from = old.dir.join(source).join(file);
        let dir = self.tmp.join(source);
        fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
        let to = dir.join(file);
        if fs::hard_link(&from, &to).is_err() {
            let bytes = read_bounded(&from, MAX_FILE_BYTES)?;
            return self.put(source, file, &bytes);
        }
        let len = fs::metadata(&to).map_err(|e| io(&to, e))?.len();
        self.bytes = self.bytes.saturating_add(len);
        if self.bytes > MAX_STORE_BYTES {
            return Err(SyncError::Store(format!(
                "the store would hold more than {MAX_STORE_BYTES} bytes"
            )));
        }
        Ok(())
    }

    /// Records a source brought up to date, with the files `put` wrote.
    pub(crate) fn record(&mut self, source: &str, state: SourceState) {
        self.manifest.sources.insert(source.to_owned(), state);
    }

    /// Keeps a source as the current generation has it (it did not
    /// change, or its sync failed): its files linked, its state copied.
    pub(crate) fn keep(&mut self, source: &str) -> Result<(), SyncError> {
        let Some(old) = &self.old else {
            return Ok(());
        };
        let Some(state) = old.manifest.sources.get(source).cloned() else {
            return Ok(());
        };
        let dir = self.tmp.join(source);
        fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
        for file in &state.files {
            let from = old.dir.join(source).join(file);
            let to = dir.join(file);
            if fs::hard_link(&from, &to).is_err() {
                let bytes = read_bounded(&from, MAX_FILE_BYTES)?;
                let mut f = File::create(&to).map_err(|e| io(&to, e))?;
                f.write_all(&bytes).map_err(|e| io(&to, e))?;
                f.sync_all().map_err(|e| io(&to, e))?;
            }
            let len = fs::metadata(&to).map_err(|e| io(&to, e))?.len();
            self.bytes = self.bytes.saturating_add(len);
        }
        self.manifest.sources.insert(source.to_owned(), state);
        Ok(())
    }

    /// Drops what `put` wrote for `source` in the new generation.
    pub(crate) fn discard(&mut self, source: &str) -> Result<(), SyncError> {
        check_name(source)?;
        self.manifest.sources.remove(source);
        let dir = self.tmp.join(source);
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| io(&dir, e))?;
        }
        Ok(())
    }

    /// Makes the new generation current: manifest, fsyncs, renames.
    pub(crate) fn commit(self) -> Result<u64, SyncError> {
        let manifest = serde_json::to_vec_pretty(&self.manifest)
            .map_err(|e| SyncError::Store(e.to_string()))?;
        let path = self.tmp.join(MANIFEST);
        let mut f = File::create(&path).map_err(|e| io(&path, e))?;
        f.write_all(&manifest).map_err(|e| io(&path, e))?;
        f.sync_all().map_err(|e| io(&path, e))?;
        for source in self.manifest.sources.keys() {
            sync_dir(&self.tmp.join(source))?;
        }
        sync_dir(&self.tmp)?;
        let name = generation_name(self.number);
        let final_dir = self.root.join(&name);
        fs::rename(&self.tmp, &final_dir).map_err(|e| io(&final_dir, e))?;
        sync_dir(&self.root)?;
        let pointer_tmp = self.root.join("current.tmp");
        let mut p = File::create(&pointer_tmp).map_err(|e| io(&pointer_tmp, e))?;
        p.write_all(format!("{name}\n").as_bytes())
            .map_err(|e| io(&pointer_tmp, e))?;
        p.sync_all().map_err(|e| io(&pointer_tmp, e))?;
        let pointer = self.root.join("current");
        fs::rename(&pointer_tmp, &pointer).map_err(|e| io(&pointer, e))?;
        sync_dir(&self.root)?;
        // The generation before the old one is no longer anyone's.
        if self.number >= 2 {
            let older = self.root.join(generation_name(self.number - 2));
            if older.exists() {
                fs::remove_dir_all(&older).map_err(|e| io(&older, e))?;
            }
        }
        Ok(self.number)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // Not committed (or committed: then tmp is gone already).
        let _ = fs::remove_dir_all(&self.tmp);
    }
}
