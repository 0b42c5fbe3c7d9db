"""governance-lint: lint data contracts against governance policies.

The wheel carries the ``governance-lint`` binary in its scripts directory; this package only
finds it (``python -m governance_lint`` runs it).
"""

from governance_lint._find import find_binary

__all__ = ["find_binary"]
