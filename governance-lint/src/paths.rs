//! Paths as the linter shows and compares them: resolved lexically (symbolic links are not
//! followed), relative to the current directory where that reads better, with forward slashes.

use std::path::{Component, Path, PathBuf};

/// The repository root: the first directory from `cwd` up that holds `.git`; `cwd` itself
/// outside a repository.
pub fn repository_root(cwd: &Path) -> PathBuf {
    cwd.ancestors()
        .find(|dir| dir.join(".git").exists())
        .unwrap_or(cwd)
        .to_path_buf()
}

/// `path` with `.` and `..` components resolved lexically (symbolic links are not followed).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// `path` (absolute) as shown to a user in `cwd` (absolute): relative when it is below `cwd`
/// or a few levels up (`../governance.toml`), else absolute. Forward slashes.
pub fn relative_to(path: &Path, cwd: &Path) -> String {
    let common = path
        .components()
        .zip(cwd.components())
        .take_while(|(a, b)| a == b)
        .count();
    let ups = cwd.components().count() - common;
    if common <= 1 || ups > 3 {
        return display(path);
    }
    let mut relative = PathBuf::new();
    for _ in 0..ups {
        relative.push("..");
    }
    relative.extend(path.components().skip(common));
    display(&relative)
}

pub fn display(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_owned).unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_shown_relative_to_the_current_directory() {
        let cwd = Path::new("/repo/contracts/sales");
        assert_eq!(
            relative_to(Path::new("/repo/governance.toml"), cwd),
            "../../governance.toml"
        );
        assert_eq!(
            relative_to(Path::new("/repo/contracts/sales/g.toml"), cwd),
            "g.toml"
        );
        assert_eq!(relative_to(Path::new("/etc/g.toml"), cwd), "/etc/g.toml");
        assert_eq!(normalize(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
    }
}
