"""An uploaded scenario file, through the safe loader's limits (DESIGN §8).

The bytes are checked as :func:`~sim.scenario.yaml_safe.read_text` checks a file (at most
:data:`~sim.scenario.yaml_safe.MAX_BYTES`, UTF-8) and parsed by
:func:`~sim.scenario.yaml_safe.parse_yaml` (no tags, no duplicate keys, aliases, depth and
expansion limited). An upload may not use ``extends``: that would make the server read a file the
browser names.
"""

from __future__ import annotations

import re

from sim.explorer.editing import Source
from sim.scenario import ScenarioError
from sim.scenario.yaml_safe import decode_text, parse_yaml

#: Longest upload name kept for messages.
MAX_NAME = 80


def safe_name(name: str) -> str:
    """The upload's base name, reduced to letters, digits, ``.``, ``_`` and ``-`` (for messages)."""
    base = re.split(r"[\\/]", name)[-1]
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._") or "upload.yaml"
    return cleaned[:MAX_NAME]


def read_upload(name: str, raw: bytes) -> Source:
    """Check and parse an uploaded scenario file.

    Parameters
    ----------
    name
        The file name the browser sent (only its cleaned base name is used, in messages).
    raw
        The file's bytes.

    Raises
    ------
    ScenarioError
        Too large, not UTF-8, YAML the safe loader refuses, or ``extends``.
    """
    file = safe_name(name)
    text = decode_text(raw, file)
    data = parse_yaml(text, file)
    if data.get("extends") is not None:
        raise ScenarioError(
            file,
            "extends",
            "an uploaded scenario cannot extend another file (the explorer never reads a file "
            "that the browser names).",
            "Upload a complete scenario: the explorer's 'Download scenario YAML' or a results "
            "folder's scenario.resolved.yaml; or pick a shipped scenario and edit it here.",
        )
    return Source(label=f"upload: {file}", name=file, data=data)
