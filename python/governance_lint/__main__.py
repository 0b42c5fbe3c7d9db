"""``python -m governance_lint``: run the ``governance-lint`` binary that the wheel installed,
with the same arguments and exit code."""

from __future__ import annotations

import os
import sys

from governance_lint._find import find_binary


def main() -> None:
    binary = os.fsdecode(find_binary())
    if sys.platform == "win32":
        import subprocess

        sys.exit(subprocess.run([binary, *sys.argv[1:]]).returncode)
    os.execv(binary, [binary, *sys.argv[1:]])


if __name__ == "__main__":
    main()
