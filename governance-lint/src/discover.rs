//! Finding the files to lint: walking directories (with `.gitignore`), the files git tracks in
//! them, symbolic links, include/exclude globs, and the report being written.
//!
//! A governance gate must not pass a contract because it was not looked at, so:
//!
//! - in a git work tree, every tracked file is a candidate, whatever the ignore files say and
//!   even under `target/` or `node_modules/`; ignore files and the skipped directories only
//!   apply to untracked files (and `.ignore` files only outside a repository);
//! - a symbolic link is linted under its own name when it leads inside the repository (or the
//!   walked directory outside one), once; one that leads outside is a `link-outside` finding;
//! - a directory or an include glob that selects nothing is reported ([`Unselected`]);
//! - the file standard output is written to is never read ([`FileId::of_stdout`]).

use std::collections::{HashMap, HashSet};
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::git::{self, GitError};
use governance_core::{BuiltinRule, Skip};

use crate::problem::Problem;

/// Directories never walked into (their tracked files are still linted).
const SKIPPED_DIRS: [&str; 3] = [".git", "target", "node_modules"];

/// Extensions of files that may be contracts.
const EXTENSIONS: [&str; 3] = ["yaml", "yml", "json"];

/// Why the file standard output is redirected to is not linted.
pub const REPORT: Skip = Skip::new(
    "report-output",
    "the report being written (standard output)",
    "report being written",
    "reports being written",
);

/// Why a symbolic link is listed and not linted.
const SYMLINK: Skip = Skip::new(
    "symlink",
    "a symbolic link, not followed",
    "symbolic link",
    "symbolic links",
);

/// A file to lint.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    /// The path as shown in reports (relative paths stay relative, `./` is dropped).
    pub display: String,
    pub path: PathBuf,
    /// The path is a symbolic link (to a file that may have another name): what a comparison
    /// with git must resolve, where the name of any other file is enough.
    pub link: bool,
    /// git tracks the file: the walk saw it in `git ls-files`. `false` when it did not (an
    /// untracked file, or one named on the command line): a comparison with a git ref asks.
    pub tracked: bool,
}

/// A path that could not be walked or read, or must not be (reported as a failed file with
/// one finding).
#[derive(Debug, Clone)]
pub struct WalkProblem {
    pub display: String,
    /// The finding's rule id: `io-error`, or `link-outside` for a symbolic link that leads
    /// out of the repository.
    pub rule: &'static str,
    pub message: String,
}

impl WalkProblem {
    fn io(display: String, message: String) -> Self {
        Self {
            display,
            rule: BuiltinRule::IoError.id(),
            message,
        }
    }
}

#[derive(Debug, Default)]
pub struct Discovery {
    pub files: Vec<Candidate>,
    pub problems: Vec<WalkProblem>,
    /// Contract-named entries that are not linted, and why (a symbolic link to a file that is
    /// linted anyway, the report being written).
    pub skipped: Vec<(String, Skip)>,
    /// Directories and include globs that select no file.
    pub unselected: Vec<Unselected>,
}

/// Something the user asked for that selects no file: probably a mistake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unselected {
    /// A directory (as given) with no contract-named file at all.
    NoContractFile(String),
    /// A directory (as given) whose contract-named files the globs all leave out.
    AllFiltered(String),
    /// An include glob that matches no walked file, and where it comes from.
    Glob { glob: String, origin: &'static str },
}

impl Unselected {
    /// The usage problem (`usage::nothing_selected`) that stops the run.
    pub fn problem(&self) -> Problem {
        let message = match self {
            Unselected::NoContractFile(dir) => {
                format!("no `.yaml`, `.yml` or `.json` file to lint in `{dir}`")
            }
            Unselected::AllFiltered(dir) => {
                format!("the include/exclude globs leave no file of `{dir}` to lint")
            }
            Unselected::Glob { glob, origin } => {
                format!("the include glob `{glob}` ({origin}) matches no file")
            }
        };
        Problem::plain(
            "usage::nothing_selected",
            message,
            Some(
                "check the paths and the globs; pass `--allow-empty` (or set `allow-empty = true` in governance.toml) if selecting nothing is expected"
                    .to_owned(),
            ),
        )
    }
}

/// A usage error in the globs.
#[derive(Debug)]
pub struct BadGlob(pub String);

/// A file's identity: its device and inode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(unix), allow(dead_code))]
pub struct FileId {
    device: u64,
    inode: u64,
}

impl FileId {
    /// The regular file standard output is redirected to (`> report.json`), so that the
    /// report being written is not linted as a contract. `None` for a terminal or a pipe, and
    /// on systems other than unix.
    #[cfg(unix)]
    pub fn of_stdout() -> Option<Self> {
        use std::os::fd::AsFd;
        let owned = std::io::stdout().as_fd().try_clone_to_owned().ok()?;
        let metadata = std::fs::File::from(owned).metadata().ok()?;
        metadata.is_file().then(|| Self::of(&metadata))?
    }

    /// The report file is not recognised on this system.
    #[cfg(not(unix))]
    pub fn of_stdout() -> Option<Self> {
        None
    }

    #[cfg(unix)]
    fn of(metadata: &std::fs::Metadata) -> Option<Self> {
        use std::os::unix::fs::MetadataExt;
        Some(Self {
            device: metadata.dev(),
            inode: metadata.ino(),
        })
    }

    #[cfg(not(unix))]
    fn of(_: &std::fs::Metadata) -> Option<Self> {
        None
    }

    /// Whether `path` (followed, if it is a link) is this file.
    fn is(self, path: &Path) -> bool {
        std::fs::metadata(path)
            .ok()
            .and_then(|metadata| Self::of(&metadata))
            == Some(self)
    }
}

/// Globs and the directory their paths are relative to.
struct Globs {
    set: GlobSet,
    /// The patterns as written, in the set's order.
    patterns: Vec<String>,
    /// `None`: match the path as walked (command-line globs); `Some(dir)`: match the path
    /// relative to `dir` (globs from governance.toml, relative to its directory).
    base: Option<PathBuf>,
}

impl Globs {
    fn new(globs: &[String], base: Option<&Path>) -> Result<Self, BadGlob> {
        let mut set = GlobSetBuilder::new();
        for glob in globs {
            let compiled = Glob::new(glob)
                .map_err(|e| BadGlob(format!("invalid glob `{glob}`: {}", e.kind())))?;
            set.add(compiled);
        }
        Ok(Self {
            set: set.build().map_err(|e| BadGlob(e.to_string()))?,
            patterns: globs.to_vec(),
            base: base.map(Path::to_path_buf),
        })
    }

    /// The path the globs match: as shown, or relative to their base.
    fn subject(&self, shown: &str, cwd: &Path) -> PathBuf {
        match &self.base {
            None => PathBuf::from(shown),
            Some(base) => {
                let absolute = normalize(&cwd.join(shown));
                match absolute.strip_prefix(base) {
                    Ok(relative) => relative.to_path_buf(),
                    Err(_) => PathBuf::from(shown),
                }
            }
        }
    }

    fn is_match(&self, shown: &str, cwd: &Path) -> bool {
        // No globs (the usual exclude list): no path to build for each file.
        !self.patterns.is_empty() && self.set.is_match(self.subject(shown, cwd))
    }

    /// Whether one of the globs matches, marking in `hits` each glob that does.
    fn is_match_noting(&self, shown: &str, cwd: &Path, hits: &mut [bool]) -> bool {
        let matched = self.set.matches(self.subject(shown, cwd));
        for index in &matched {
            if let Some(hit) = hits.get_mut(*index) {
                *hit = true;
            }
        }
        !matched.is_empty()
    }
}

/// Which walked files to lint.
pub struct Filters {
    include: Option<Globs>,
    exclude: Globs,
    cwd: PathBuf,
}

/// Globs as configured: the patterns, and the directory they are relative to (`None`: the
/// current directory, as for command-line globs).
pub struct GlobList<'a> {
    pub globs: &'a [String],
    pub base: Option<&'a Path>,
}

impl Filters {
    pub fn new(include: GlobList<'_>, exclude: GlobList<'_>, cwd: &Path) -> Result<Self, BadGlob> {
        Ok(Self {
            include: if include.globs.is_empty() {
                None
            } else {
                Some(Globs::new(include.globs, include.base)?)
            },
            exclude: Globs::new(exclude.globs, exclude.base)?,
            cwd: cwd.to_path_buf(),
        })
    }

    /// Whether a path (as shown) passes the include and exclude globs.
    pub fn wants(&self, shown: &str) -> bool {
        self.include
            .as_ref()
            .is_none_or(|globs| globs.is_match(shown, &self.cwd))
            && !self.exclude.is_match(shown, &self.cwd)
    }

    /// [`Filters::wants`], marking in `hits` the include globs that match.
    fn wants_noting(&self, shown: &str, hits: &mut [bool]) -> bool {
        self.include
            .as_ref()
            .is_none_or(|globs| globs.is_match_noting(shown, &self.cwd, hits))
            && !self.exclude.is_match(shown, &self.cwd)
    }

    fn include_count(&self) -> usize {
        self.include
            .as_ref()
            .map_or(0, |globs| globs.patterns.len())
    }

    /// The include globs that matched no walked file, once the walk covered the whole tree
    /// they describe: any walk for command-line globs, a walk of the configuration's directory
    /// (or above) for configured ones.
    fn unmatched(&self, hits: &[bool], walked: &[PathBuf]) -> Vec<Unselected> {
        let Some(include) = &self.include else {
            return Vec::new();
        };
        let (covered, origin) = match &include.base {
            None => (!walked.is_empty(), "from `--include`"),
            Some(base) => (
                walked.iter().any(|dir| base.starts_with(dir)),
                "from governance.toml",
            ),
        };
        if !covered {
            return Vec::new();
        }
        include
            .patterns
            .iter()
            .zip(hits)
            .filter(|(_, hit)| !**hit)
            .map(|(glob, _)| Unselected::Glob {
                glob: glob.clone(),
                origin,
            })
            .collect()
    }
}

pub use crate::paths::{display, normalize, relative_to, repository_root};

/// Whether a file is named like a contract (`.yaml`, `.yml`, `.json`).
pub fn has_contract_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// Every file to lint below `roots`, sorted by path, without duplicates. Files named in `roots`
/// are always linted, unless `force` applies the filters to them too. `report` is the file
/// standard output is written to: it is never read.
pub fn discover(
    roots: &[PathBuf],
    filters: &Filters,
    force: bool,
    report: Option<FileId>,
) -> Discovery {
    let mut found = Found {
        report,
        ..Found::default()
    };
    let mut hits = vec![false; filters.include_count()];
    let mut walked = Vec::new();
    for root in roots {
        let metadata = std::fs::metadata(root);
        match metadata {
            Ok(meta) if meta.is_dir() => {
                let counts = walk(root, filters, &mut found, &mut hits);
                if counts.named == 0 {
                    found
                        .discovery
                        .unselected
                        .push(Unselected::NoContractFile(display(root)));
                } else if counts.selected == 0 {
                    found
                        .discovery
                        .unselected
                        .push(Unselected::AllFiltered(display(root)));
                }
                walked.push(normalize(&filters.cwd.join(root)));
            }
            // A file named explicitly is linted whatever its extension (unless filtered out).
            Ok(_) if force && !filters.wants(&display(root)) => {}
            Ok(_) => {
                found.file(Candidate {
                    display: display(root),
                    path: root.clone(),
                    link: std::fs::symlink_metadata(root)
                        .is_ok_and(|meta| meta.file_type().is_symlink()),
                    // Not known: `breaking` asks git.
                    tracked: false,
                });
            }
            Err(error) => found.discovery.problems.push(WalkProblem::io(
                display(root),
                format!("cannot read `{}`: {}", display(root), error),
            )),
        }
    }
    let unmatched = filters.unmatched(&hits, &walked);
    if !unmatched.is_empty() && unmatched.len() == filters.include_count() {
        // No include glob matches: that is the one mistake, whatever the directories.
        found.discovery.unselected.clear();
    }
    found.discovery.unselected.extend(unmatched);
    found.finish()
}

/// What discovery has found so far.
#[derive(Default)]
struct Found {
    discovery: Discovery,
    /// Symbolic links named like contracts, resolved once every file is known.
    links: Vec<Link>,
    /// Every path taken (lexically normalised), whether it was selected, and where in
    /// `files`: a file both walked and tracked, or named and walked, is linted once. Keyed by
    /// the path's bytes (hashing a `Path` parses its components) with a fast seeded hasher.
    seen: Seen,
    report: Option<FileId>,
}

/// The paths discovery has taken: see [`Found::seen`].
type Seen = HashMap<OsString, (bool, Option<usize>), foldhash::fast::RandomState>;

/// A symbolic link named like a contract, and the directory it must not lead out of.
struct Link {
    candidate: Candidate,
    boundary: Boundary,
}

#[derive(Clone)]
struct Boundary {
    /// Canonical.
    root: PathBuf,
    /// `the repository`, or `the directory `x``.
    what: String,
}

/// How many contract-named files a walk saw, and how many the globs kept.
#[derive(Default)]
struct Counts {
    named: usize,
    selected: usize,
}

impl Found {
    /// Takes a file (not a symbolic link); false when it is the report being written.
    fn file(&mut self, candidate: Candidate) -> bool {
        let key = normalize(&candidate.path).into_os_string();
        if let Some((selected, _)) = self.seen.get(&key) {
            return *selected;
        }
        let selected = !self.report.is_some_and(|report| report.is(&candidate.path));
        if selected {
            self.seen
                .insert(key, (true, Some(self.discovery.files.len())));
            self.discovery.files.push(candidate);
        } else {
            self.seen.insert(key, (false, None));
            self.discovery.skipped.push((candidate.display, REPORT));
        }
        selected
    }

    fn link(&mut self, candidate: Candidate, boundary: &Boundary) {
        if self
            .seen
            .insert(normalize(&candidate.path).into_os_string(), (true, None))
            .is_none()
        {
            self.links.push(Link {
                candidate,
                boundary: boundary.clone(),
            });
        }
    }

    fn finish(mut self) -> Discovery {
        self.resolve_links();
        let mut discovery = self.discovery;
        discovery.files.sort();
        discovery
    }

    /// A link that leads inside its boundary is linted under its own name, unless the file it
    /// leads to is linted anyway (under its own name, or an earlier link's); one that leads
    /// outside is a `link-outside` finding; one that leads nowhere an `io-error` finding.
    /// Links to directories are not followed.
    fn resolve_links(&mut self) {
        let mut links = std::mem::take(&mut self.links);
        if links.is_empty() {
            return;
        }
        links.sort_by(|a, b| a.candidate.cmp(&b.candidate));
        let resolved: Vec<(Link, std::io::Result<PathBuf>)> = links
            .into_iter()
            .map(|link| {
                let target = std::fs::canonicalize(&link.candidate.path);
                (link, target)
            })
            .collect();
        // The selected files that a link may lead to, by canonical path: only those named
        // like a link's target are resolved.
        let names: HashSet<&std::ffi::OsStr> = resolved
            .iter()
            .filter_map(|(_, target)| target.as_ref().ok()?.file_name())
            .collect();
        let linted: HashMap<PathBuf, String> = self
            .discovery
            .files
            .iter()
            .filter(|c| c.path.file_name().is_some_and(|n| names.contains(n)))
            .filter_map(|c| Some((std::fs::canonicalize(&c.path).ok()?, c.display.clone())))
            .collect();
        let mut claimed: HashMap<PathBuf, String> = HashMap::new();
        for (link, target) in resolved {
            let shown = link.candidate.display.clone();
            let target = match target {
                Ok(target) => target,
                Err(error) => {
                    let to = std::fs::read_link(&link.candidate.path)
                        .map_or_else(|_| "?".to_owned(), |to| display(&to));
                    self.discovery.problems.push(WalkProblem::io(
                        shown.clone(),
                        format!(
                            "symbolic link `{shown}` leads to `{to}`, which cannot be read: {error}"
                        ),
                    ));
                    continue;
                }
            };
            if !target.starts_with(&link.boundary.root) {
                self.discovery.problems.push(WalkProblem {
                    message: format!(
                        "symbolic link `{shown}` leads outside {} (to `{}`); it is not read",
                        link.boundary.what,
                        display(&target)
                    ),
                    display: shown,
                    rule: BuiltinRule::LinkOutside.id(),
                });
            } else if target.is_dir() {
                let why = SYMLINK.with_reason("a symbolic link to a directory, not followed");
                self.discovery.skipped.push((shown, why));
            } else if self.report.is_some_and(|report| report.is(&target)) {
                self.discovery.skipped.push((shown, REPORT));
            } else if let Some(name) = linted.get(&target) {
                let why =
                    SYMLINK.with_reason(format!("a symbolic link to `{name}`, which is linted"));
                self.discovery.skipped.push((shown, why));
            } else if let Some(first) = claimed.get(&target) {
                let why = SYMLINK.with_reason(format!(
                    "a symbolic link to the same file as `{first}`, which is linted"
                ));
                self.discovery.skipped.push((shown, why));
            } else {
                claimed.insert(target, shown);
                self.discovery.files.push(link.candidate);
            }
        }
    }
}

/// Why git could not say which files it tracks below `root`.
fn untracked_failure(root: &Path, error: &GitError) -> WalkProblem {
    WalkProblem::io(
        display(root),
        format!(
            "cannot list the files git tracks in `{}`: {}",
            display(root),
            error.reason()
        ),
    )
}

/// The root of the work tree `root` is in, canonical. `Ok(None)`: git is not installed, or
/// `root` is not in a work tree. An error when git fails inside what looks like a
/// repository: hiding its tracked files would let a contract pass unlinted.
fn work_tree(root: &Path) -> Result<Option<PathBuf>, WalkProblem> {
    match git::toplevel(root) {
        Ok(toplevel) => Ok(Some(std::fs::canonicalize(&toplevel).unwrap_or(toplevel))),
        Err(GitError::Missing(_)) => Ok(None),
        Err(error) => {
            let in_repository = std::fs::canonicalize(root)
                .is_ok_and(|dir| dir.ancestors().any(|d| d.join(".git").exists()));
            if in_repository {
                Err(untracked_failure(root, &error))
            } else {
                Ok(None)
            }
        }
    }
}

/// The files git tracks below `root`: the output of `git ls-files -z` (submodules included),
/// names relative to `root` separated by NUL bytes.
fn tracked(root: &Path) -> Result<Vec<u8>, WalkProblem> {
    git::run(root, &["ls-files", "-z", "--recurse-submodules"])
        .map_err(|error| untracked_failure(root, &error))
}

/// The key in [`Found::seen`] of `name`, a file git lists below `root`, written into `key`:
/// what `normalize(&root.join(name))` gives (git's names have no `.`, `..` or empty parts),
/// without building a path for each of the repository's files. `base` is `normalize(root)`.
#[cfg(unix)]
fn tracked_key(_root: &Path, base: &Path, name: &[u8], key: &mut OsString) {
    use std::os::unix::ffi::OsStrExt;
    key.clear();
    let base = base.as_os_str();
    if !base.is_empty() {
        key.push(base);
        if !base.as_bytes().ends_with(b"/") {
            key.push("/");
        }
    }
    key.push(OsStr::from_bytes(name));
}

#[cfg(not(unix))]
fn tracked_key(root: &Path, _base: &Path, name: &[u8], key: &mut OsString) {
    *key = normalize(&root.join(git::path_from_bytes(name))).into_os_string();
}

/// Walks `root`: the untracked files the ignore files leave (all of them outside a work tree),
/// and every tracked file.
fn walk(root: &Path, filters: &Filters, found: &mut Found, hits: &mut [bool]) -> Counts {
    let mut counts = Counts::default();
    let toplevel = match work_tree(root) {
        Ok(toplevel) => toplevel,
        Err(problem) => {
            found.discovery.problems.push(problem);
            counts.named += 1;
            counts.selected += 1;
            None
        }
    };
    let boundary = match &toplevel {
        Some(toplevel) => Boundary {
            root: toplevel.clone(),
            what: "the repository".to_owned(),
        },
        None => Boundary {
            root: std::fs::canonicalize(root)
                .unwrap_or_else(|_| normalize(&filters.cwd.join(root))),
            what: format!("the directory `{}`", display(root)),
        },
    };
    // git lists the tracked files on another thread while this one walks the tree.
    std::thread::scope(|scope| {
        let listing = toplevel.is_some().then(|| scope.spawn(|| tracked(root)));
        let in_work_tree = toplevel.is_some();
        walk_tree(
            root,
            &boundary,
            in_work_tree,
            filters,
            found,
            hits,
            &mut counts,
        );
        let listed = listing.map(|listing| {
            listing.join().unwrap_or_else(|_| {
                Err(untracked_failure(
                    root,
                    &GitError::Failed("the thread that ran git stopped".to_owned()),
                ))
            })
        });
        match listed {
            Some(Ok(listed)) => {
                add_tracked(root, &listed, &boundary, filters, found, hits, &mut counts);
            }
            Some(Err(problem)) => {
                found.discovery.problems.push(problem);
                counts.named += 1;
                counts.selected += 1;
            }
            None => {}
        }
    });
    counts
}

/// Takes a walked or tracked path named like a contract that the globs keep: how it is shown.
fn select(
    path: &Path,
    filters: &Filters,
    hits: &mut [bool],
    counts: &mut Counts,
) -> Option<String> {
    if !has_contract_extension(path) {
        return None;
    }
    counts.named += 1;
    let shown = display(path);
    if !filters.wants_noting(&shown, hits) {
        return None;
    }
    Some(shown)
}

/// Walks the directory `root`: the files the ignore files leave (`.ignore` files too when it is
/// not `in_work_tree`). Symbolic links are resolved later, within `boundary`.
fn walk_tree(
    root: &Path,
    boundary: &Boundary,
    in_work_tree: bool,
    filters: &Filters,
    found: &mut Found,
    hits: &mut [bool],
    counts: &mut Counts,
) {
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        // `.ignore` files are for search tools; in a repository, git says what is a file.
        .ignore(!in_work_tree)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .require_git(false)
        .follow_links(false)
        .filter_entry(|entry| {
            !(entry.depth() > 0
                && entry.file_type().is_some_and(|t| t.is_dir())
                && entry
                    .file_name()
                    .to_str()
                    .is_some_and(|name| SKIPPED_DIRS.contains(&name)))
        })
        .build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let path = entry.path();
                let Some(kind) = entry.file_type().filter(|t| !t.is_dir()) else {
                    continue;
                };
                let Some(shown) = select(path, filters, hits, counts) else {
                    continue;
                };
                let candidate = Candidate {
                    display: shown,
                    path: path.to_path_buf(),
                    link: kind.is_symlink(),
                    // Until git's list says so.
                    tracked: false,
                };
                if kind.is_symlink() {
                    counts.selected += 1;
                    found.link(candidate, boundary);
                } else if found.file(candidate) {
                    // Regular files, and FIFOs or devices named like contracts: reading one
                    // reports "not a regular file" rather than silently skipping it.
                    counts.selected += 1;
                }
            }
            Err(error) => {
                let path = error_path(&error)
                    .map(|p| display(&p))
                    .unwrap_or_else(|| display(root));
                counts.named += 1;
                counts.selected += 1;
                found.discovery.problems.push(WalkProblem::io(
                    path.clone(),
                    format!("cannot read `{path}`: {}", io_reason(&error)),
                ));
            }
        }
    }
}

/// Adds the tracked files in `listed` (from [`tracked`]) that the walk did not find (ignored
/// by an ignore file, or below a skipped directory): git says they are part of the repository.
fn add_tracked(
    root: &Path,
    listed: &[u8],
    boundary: &Boundary,
    filters: &Filters,
    found: &mut Found,
    hits: &mut [bool],
    counts: &mut Counts,
) {
    let base = normalize(root);
    let mut key = OsString::new();
    for name in git::name_bytes(listed) {
        tracked_key(root, &base, name, &mut key);
        if let Some(&(selected, at)) = found.seen.get(key.as_os_str()) {
            // Walked too, or found from another root: the globs already said yes.
            counts.named += 1;
            counts.selected += usize::from(selected);
            if let Some(file) = at.and_then(|at| found.discovery.files.get_mut(at)) {
                file.tracked = true;
            }
            continue;
        }
        let path = root.join(git::path_from_bytes(name));
        let Some(shown) = select(&path, filters, hits, counts) else {
            continue;
        };
        let kind = match std::fs::symlink_metadata(&path) {
            Ok(metadata) => metadata.file_type(),
            // Deleted from the work tree: there is nothing to lint.
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
            Err(error) => {
                counts.selected += 1;
                found.discovery.problems.push(WalkProblem::io(
                    shown.clone(),
                    format!("cannot read `{shown}`: {error}"),
                ));
                continue;
            }
        };
        let candidate = Candidate {
            display: shown,
            path,
            link: kind.is_symlink(),
            tracked: true,
        };
        if kind.is_dir() {
            // A submodule's directory named like a contract; its files are listed too.
        } else if kind.is_symlink() {
            counts.selected += 1;
            found.link(candidate, boundary);
        } else if found.file(candidate) {
            counts.selected += 1;
        }
    }
}

fn error_path(error: &ignore::Error) -> Option<PathBuf> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

fn io_reason(error: &ignore::Error) -> String {
    match error {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => io_reason(err),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tracked_name_has_the_key_of_its_normalized_path() {
        let roots = [
            ".", "./", "a", "a/", "./a/./b", "a/../b", "..", "../..", "../x", "/", "/x", "/x/",
            "a//b",
        ];
        let names: [&[u8]; 4] = [b"x.yaml", b"d/e.yml", b"o[1].yaml", b"caf\xe9.json"];
        let mut key = OsString::new();
        for root in roots {
            let root = Path::new(root);
            for name in names {
                tracked_key(root, &normalize(root), name, &mut key);
                let expected = normalize(&root.join(git::path_from_bytes(name)));
                assert_eq!(key, expected.into_os_string(), "{root:?} + {name:?}");
            }
        }
    }

    #[test]
    fn configured_globs_match_paths_relative_to_the_configuration() -> Result<(), BadGlob> {
        let globs = ["contracts/**".to_owned()];
        let filters = Filters::new(
            GlobList {
                globs: &globs,
                base: Some(Path::new("/repo")),
            },
            GlobList {
                globs: &[],
                base: None,
            },
            Path::new("/repo/contracts"),
        )?;
        assert!(filters.wants("sales/orders.yaml"));
        assert!(!filters.wants("../other/orders.yaml"));
        Ok(())
    }

    #[test]
    fn configured_globs_are_checked_only_when_their_whole_tree_is_walked() -> Result<(), BadGlob> {
        let globs = ["contracts/**".to_owned(), "products/**".to_owned()];
        let none = GlobList {
            globs: &[],
            base: None,
        };
        let filters = Filters::new(
            GlobList {
                globs: &globs,
                base: Some(Path::new("/repo")),
            },
            none,
            Path::new("/repo"),
        )?;
        let mut hits = vec![false; 2];
        assert!(filters.wants_noting("contracts/orders.yaml", &mut hits));
        assert_eq!(hits, [true, false]);
        // A walk of `contracts/` alone cannot match `products/**`: no complaint.
        assert!(filters
            .unmatched(&hits, &[PathBuf::from("/repo/contracts")])
            .is_empty());
        // A walk of the whole repository should have.
        assert_eq!(
            filters.unmatched(&hits, &[PathBuf::from("/repo")]),
            [Unselected::Glob {
                glob: "products/**".to_owned(),
                origin: "from governance.toml",
            }]
        );
        Ok(())
    }
}
