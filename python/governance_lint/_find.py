"""Where the wheel put the ``governance-lint`` binary."""

from __future__ import annotations

import os
import sys
import sysconfig

NAME = "governance-lint" + (sysconfig.get_config_var("EXE") or "")


def _user_scheme() -> str:
    if sys.version_info >= (3, 10):
        return sysconfig.get_preferred_scheme("user")
    if os.name == "nt":
        return "nt_user"
    if sys.platform == "darwin" and getattr(sys, "_framework", None):
        return "osx_framework_user"
    return "posix_user"


def find_binary() -> str:
    """The path of the installed binary: in this environment's scripts directory, the user's
    scripts directory (``pip install --user``), or ``bin`` beside the package
    (``pip install --target``)."""
    candidates = [
        os.path.join(sysconfig.get_path("scripts"), NAME),
        os.path.join(sysconfig.get_path("scripts", scheme=_user_scheme()), NAME),
        os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bin", NAME),
    ]
    for candidate in candidates:
        if os.path.isfile(candidate):
            return candidate
    raise FileNotFoundError(
        f"{NAME} is not installed beside this package; looked in: " + ", ".join(candidates)
    )
