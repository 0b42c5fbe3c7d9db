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
    // The common case, a walked path (`./batch-001/orders.yaml`): nothing to resolve but the
    // leading `./`, and no component-by-component rebuild.
    #[cfg(unix)]
    if let Some(text) = path.to_str() {
        let mut rest = text;
        while let Some(after) = rest.strip_prefix("./") {
            rest = after;
        }
        // `/a/b` is absolute; `.//a` is `a`, left to the general case.
        let relative = match rest.strip_prefix('/') {
            Some(after) if rest.len() == text.len() => after,
            Some(_) => "",
            None => rest,
        };
        if !relative.is_empty()
            && relative
                .split('/')
                .all(|part| !part.is_empty() && part != "." && part != "..")
        {
            return PathBuf::from(rest);
        }
    }
    normalize_components(path)
}

/// [`normalize`], component by component.
fn normalize_components(path: &Path) -> PathBuf {
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
    let text = path.to_string_lossy();
    if !text.contains('\\') {
        // One allocation for the common case, a walked `./dir/name.yaml`.
        return text.strip_prefix("./").unwrap_or(&text).to_owned();
    }
    let text = text.replace('\\', "/");
    text.strip_prefix("./").map(str::to_owned).unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quick_normalization_agrees_with_the_general_one() {
        let parts = ["", ".", "..", "a", "b.yaml", "/"];
        let mut paths = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = paths
                .iter()
                .flat_map(|p| parts.iter().map(move |part| format!("{p}{part}/")))
                .chain(
                    paths
                        .iter()
                        .flat_map(|p| parts.iter().map(move |part| format!("{p}{part}"))),
                )
                .collect();
            paths.extend(longer);
        }
        paths.sort();
        paths.dedup();
        for path in &paths {
            let path = Path::new(path);
            assert_eq!(
                normalize(path).as_os_str(),
                normalize_components(path).as_os_str(),
                "{}",
                path.display()
            );
        }
    }

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
