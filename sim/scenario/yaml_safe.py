"""Loading scenario files as untrusted input (DESIGN §8).

A scenario file is plain data: a mapping of field names to numbers, text, lists and mappings.
:func:`load_yaml_file` reads one with a restricted :class:`StrictLoader` that

* refuses files larger than :data:`MAX_BYTES` before parsing them;
* refuses every explicit tag (``!!python/object``, ``!foo``, even ``!!str``);
* refuses duplicate keys in a mapping, naming the key and both lines;
* limits aliases (:data:`MAX_ALIASES`), nesting depth (:data:`MAX_DEPTH`) and the number of nodes
  the document expands to once aliases are followed (:data:`MAX_EXPANDED_NODES`), which stops
  "billion laughs" alias bombs and self-referencing anchors;
* refuses a top level that is not a mapping, and an empty file.

Every failure is a :class:`~sim.scenario.errors.ScenarioError` naming the file and, where it has
one, the line and column.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from sim.scenario.errors import ScenarioError

MAX_BYTES = 1024 * 1024
"""Largest scenario file accepted (1 MiB)."""
MAX_ALIASES = 50
"""Most aliases (``*name``) a file may use."""
MAX_DEPTH = 40
"""Deepest nesting of mappings and lists."""
MAX_EXPANDED_NODES = 100_000
"""Most nodes the document may hold once every alias is expanded."""

_MERGE_TAG = "tag:yaml.org,2002:merge"
_STANDARD_PREFIX = "tag:yaml.org,2002:"


class Refusal(ComposerError):
    """Well-formed YAML that a scenario file may not contain (a tag, a duplicate key, a bomb)."""

    def __init__(self, problem: str, mark: Any, suggestion: str | None = None) -> None:
        super().__init__(None, None, problem, mark)
        self.suggestion = suggestion


class StrictLoader(yaml.SafeLoader):
    """A :class:`yaml.SafeLoader` that accepts plain data only (see the module docstring)."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        """Compose one node, counting aliases and depth and refusing explicit tags."""
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise Refusal(
                    f"the file uses more than {MAX_ALIASES} aliases (*name)",
                    event.start_mark,
                    "Aliases are limited to stop files that expand without bound; "
                    "write the values out instead.",
                )
            return super().compose_node(parent, index)
        tag = getattr(event, "tag", None)
        if tag is not None:
            if tag.startswith(_STANDARD_PREFIX):
                tag = "!!" + tag[len(_STANDARD_PREFIX) :]
            raise Refusal(
                f"found the tag '{tag}', and tags are not allowed in scenario files",
                event.start_mark,
                "Write plain values, without '!'.",
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise Refusal(
                    f"the file is nested more than {MAX_DEPTH} levels deep", event.start_mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def get_single_node(self) -> Node | None:
        """Compose the document and check how large it is once aliases are expanded."""
        node: Node | None = super().get_single_node()
        if node is not None:
            check_expanded_size(node)
        return node

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:  # type: ignore[override]
        """Build a mapping, refusing a key that appears twice."""
        if isinstance(node, MappingNode):
            seen: dict[Any, Node] = {}
            for key_node, _ in node.value:
                if key_node.tag == _MERGE_TAG or not isinstance(key_node, ScalarNode):
                    continue
                key = self.construct_object(key_node, deep=True)
                if key in seen:
                    first = seen[key].start_mark.line + 1
                    raise Refusal(
                        f"the key '{key}' appears twice in the same mapping, at line {first} "
                        f"and again at {_at(key_node.start_mark)}",
                        None,
                        "Keep one of them.",
                    )
                seen[key] = key_node
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def check_expanded_size(root: Node, limit: int = MAX_EXPANDED_NODES) -> int:
    """Count the nodes of a composed document with every alias expanded.

    Parameters
    ----------
    root
        The composed document.
    limit
        Most nodes allowed.

    Returns
    -------
    int
        The expanded node count.

    Raises
    ------
    yaml.composer.ComposerError
        When the count exceeds ``limit`` or an anchor contains an alias to itself.
    """
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            in_progress.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            if sizes[key] > limit:
                raise Refusal(
                    f"the file expands to more than {limit:,} values once its aliases are "
                    "followed (an alias bomb?)",
                    node.start_mark,
                )
            continue
        if key in sizes:
            continue
        in_progress.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in in_progress:
                raise Refusal("an anchor contains an alias to itself", child.start_mark)
            if id(child) not in sizes:
                stack.append((child, False))
    return sizes[id(root)]


def _at(mark: Any) -> str:
    return "" if mark is None else f"line {mark.line + 1}, column {mark.column + 1}"


#: PyYAML's words for common mistakes, and plain ones.
_PLAIN = {
    "mapping values are not allowed here": "a 'name: value' pair where none can be "
    "(often a line indented too far, or text containing ': ' that needs quotes)",
    "could not find expected ':'": "a line without its ':' (or a quote that is not closed)",
    "found character '\\t' that cannot start any token": "a tab; indent with spaces only",
    "found unexpected end of stream": "the file ends inside quotes or brackets that are not closed",
    "expected <block end>, but found '<block mapping start>'": "a line indented differently "
    "from the lines around it (fields of one section must start in the same column)",
}


#: Context words of PyYAML for an unclosed bracket or quote (the mistake is where it opened).
_OPENED = ("while parsing a flow", "while scanning a quoted scalar")


def _culprit(err: yaml.MarkedYAMLError, text: str) -> str | None:
    """The line the analyst must fix, when PyYAML reports a later one.

    * An unclosed ``[``, ``{`` or quote is reported where the parser gave up; the mistake is on
      the line where it opened (PyYAML's context mark).
    * ``name value`` without its ``:`` is read as text that continues on the next line, so the
      next ``name: value`` is reported; the mistake is on the line above, which has no ``:``.
    """
    problem, context = err.problem_mark, err.context_mark
    if problem is None:
        return None
    opened = context is not None and any(w in (err.context or "") for w in _OPENED)
    if opened and context is not None and context.line < problem.line:
        return (
            f"line {context.line + 1}: the bracket or quote opened at column "
            f"{context.column + 1} is not closed on that line"
        )
    if (err.problem or "").startswith("mapping values are not allowed") and problem.line > 0:
        lines = text.splitlines()
        above = lines[problem.line - 1] if problem.line - 1 < len(lines) else ""
        stripped = above.strip()
        if stripped and ":" not in stripped and not stripped.startswith(("#", "-")):
            return f"line {problem.line}: '{stripped[:40]}' has no ':' after its name"
    return None


def _describe(err: yaml.MarkedYAMLError, text: str = "") -> tuple[str, str | None]:
    """Problem and suggestion for a YAML error, with its line and column."""
    where = _at(err.problem_mark)
    if isinstance(err, Refusal):
        return (f"{err.problem} ({where})." if where else f"{err.problem}."), err.suggestion
    culprit = _culprit(err, text)
    if culprit is not None:
        return (
            f"the YAML is broken at {culprit} (the parser noticed at {where}).",
            "Fix that line.",
        )
    said = err.problem or "syntax error"
    if err.context:
        context_at = _at(err.context_mark)
        said += f", {err.context}" + (f" from {context_at}" if context_at else "")
    plain = _PLAIN.get(err.problem or "")
    problem = f"the YAML is broken at {where}: " + (f"{plain} (YAML: {said})" if plain else said)
    return problem + ".", "Check the indentation, colons, quotes and brackets around that line."


def parse_yaml(text: str, file: str) -> dict[str, Any]:
    """Parse the text of a scenario file into a mapping.

    Parameters
    ----------
    text
        The YAML text.
    file
        Name of the file, for error messages.

    Returns
    -------
    dict
        The top-level mapping.

    Raises
    ------
    ScenarioError
        For broken YAML, tags, duplicate keys, alias bombs, an empty file or a top level that is
        not a mapping.
    """
    try:
        data = yaml.load(text, Loader=StrictLoader)  # noqa: S506 - StrictLoader is a SafeLoader
    except yaml.MarkedYAMLError as err:
        raise ScenarioError(file, None, *_describe(err, text)) from None
    except yaml.YAMLError as err:
        raise ScenarioError(file, None, f"the YAML is not valid: {err}") from None
    except RecursionError:
        raise ScenarioError(file, None, "the file is nested too deeply to read.") from None
    if data is None:
        raise ScenarioError(
            file,
            None,
            "the file is empty.",
            "A scenario file is a mapping of field names to values, for example 'name: baseline'.",
        )
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single value ({data!r:.60})"
        raise ScenarioError(
            file,
            None,
            f"the top level of the file is {kind}, but it must be a mapping of field names "
            "to values.",
            "Start the file with lines such as 'name: my-scenario'.",
        )
    return data


def read_text(path: str | os.PathLike[str], max_bytes: int = MAX_BYTES) -> str:
    """Read a scenario file as UTF-8 text, refusing what is not a readable, small file.

    Raises
    ------
    ScenarioError
        When the path is missing, a directory, unreadable, larger than ``max_bytes`` or not UTF-8.
    """
    file = str(path)
    p = Path(path)
    if not p.exists():
        folder = p.parent
        names = [q.name for q in folder.glob("*.y*ml")] if folder.is_dir() else []
        close = difflib.get_close_matches(p.name, names, n=1, cutoff=0.8)
        hint = f"Did you mean '{folder / close[0]}'?" if close else None
        raise ScenarioError(file, None, "the file does not exist.", hint)
    if p.is_dir():
        raise ScenarioError(file, None, "this is a directory, not a scenario file.")
    try:
        size = p.stat().st_size
        if size > max_bytes:
            raise ScenarioError(
                file,
                None,
                f"the file is {size:,} bytes; scenario files are limited to {max_bytes:,} bytes.",
            )
        with p.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as err:
        raise ScenarioError(file, None, f"the file cannot be read ({err.strerror}).") from None
    return decode_text(raw, file, max_bytes)


def decode_text(raw: bytes, file: str, max_bytes: int = MAX_BYTES) -> str:
    """The text of a scenario file's bytes (a file read from disk or an upload): refused when
    larger than ``max_bytes`` or not UTF-8, with the house message naming ``file``."""
    if len(raw) > max_bytes:
        raise ScenarioError(
            file,
            None,
            f"the file is {len(raw):,} bytes; scenario files are limited to {max_bytes:,} bytes.",
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ScenarioError(
            file,
            None,
            f"the file is not UTF-8 text (byte {err.start} cannot be decoded).",
            "Save it as UTF-8.",
        ) from None


def load_yaml_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read and parse one scenario file safely; see :func:`read_text` and :func:`parse_yaml`."""
    return parse_yaml(read_text(path), str(path))
