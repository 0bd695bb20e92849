"""Helpers shared by the YAML files users edit (reference data, curation): where a key is."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

__all__ = ["line_of"]


def line_of(text: str | None, path: Sequence[Any]) -> int | None:
    """The 1-based line of the YAML node at ``path`` (keys and list indexes), or of its deepest existing parent.

    Error messages name the line, so a user finds the entry among hundreds.

    >>> line_of("a:\\n  - x\\n  - y\\n", ["a", 1])
    3
    """
    if not text:
        return None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    line = None
    for step in path:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == str(step)), None)
            if match is None:
                break
            line, node = match[0].start_mark.line + 1, match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
            line = node.start_mark.line + 1
        else:
            break
    return line
