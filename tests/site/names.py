"""A pattern for many whole names at once, as the access sweep looks for them in every answer.

Python's ``re`` tries the alternatives of ``A|B|C…`` one after another at every position of the
text: with the ~1,000 names of the demo that made the search cost more than the request it
checks. The same alternatives folded into a tree of common prefixes (``Chiriac(?:, Ștefan(?:ia)?)``)
are tried one character at a time instead. Same matches (``tests/site/test_names.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_END = ""


def _tree(names: Iterable[str]) -> dict[str, dict]:
    root: dict[str, dict] = {}
    for name in names:
        node = root
        for char in name:
            node = node.setdefault(char, {})
        node[_END] = {}
    return root


def _alternatives(node: dict[str, dict]) -> str:
    branches = [re.escape(char) + _alternatives(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    inner = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if _END in node:  # a name ends here; a longer one is tried first (greedy, as longest-first)
        return f"(?:{inner})?"
    return inner


def whole_names(names: Iterable[str]) -> re.Pattern[str] | None:
    """Any of ``names`` as a whole (not inside a longer word); None for no names."""
    names = [name for name in names if name]
    if not names:
        return None
    return re.compile(rf"(?<!\w)(?:{_alternatives(_tree(names))})(?!\w)")
