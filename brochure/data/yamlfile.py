"""Reading YAML safely: the document, and the line of every key for the messages.

Anchors and aliases (and so alias bombs), duplicate keys and keys that are not text are refused;
a file too large is refused unread (:data:`brochure.settings.MAX_FILE_BYTES`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..errors import DataError, Problem, character
from ..settings import MAX_FILE_BYTES
from .problems import Location, located

STRING_TAG = "tag:yaml.org,2002:str"


# Data comes from many hands: bounds that no real data set reaches, so a mistake or an attack
# (a huge file, a runaway field) is refused with a clear message instead of exhausting memory.


FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # PyYAML built without libyaml


def sheet_source(path: Path) -> str | None:
    """What ``institutions:`` names when it names a file, read from the YAML's events up to
    that key without building the tree; None for a list, or when the file is not plain YAML."""
    try:
        loader = FAST_LOADER(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError):
        return None
    depth, key = 0, None  # the top-level key whose value comes next
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.CollectionStartEvent):
                if depth == 1 and key == "institutions":
                    return None
                depth += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
                key = None if depth == 1 else key
            elif isinstance(event, yaml.ScalarEvent) and depth == 1:
                if key is None:
                    key = event.value
                elif key == "institutions":
                    return event.value
                else:
                    key = None
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    return None


def read_file(path: Path, name: str) -> bytes:
    """The bytes of a data file (YAML or spreadsheet), refused when missing or too large."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise file_error(name, f"is {size / 1024 / 1024:.1f} MB; data files are limited to "
                                   f"{MAX_FILE_BYTES // 1024 // 1024} MB")
        return path.read_bytes()
    except FileNotFoundError:
        raise file_error(name, "no such file") from None
    except OSError as error:
        raise file_error(name, f"cannot be read: {error.strerror}") from None


def read_text(path: Path, name: str, encoding: str = "utf-8", hint: str = "") -> str:
    """A data file's text; ``hint`` tells how to save a file that is not UTF-8 as UTF-8."""
    try:
        return read_file(path, name).decode(encoding)
    except UnicodeDecodeError as error:
        raise file_error(name, f"is not UTF-8 text ({error.reason}){hint}") from None


def read_yaml(path: Path, name: str, text: str | None = None) -> tuple[Any, dict[Location, int]]:
    """Parse YAML safely, keeping the line of every key; reject duplicates and aliases.

    libyaml reads a big file five times faster than PyYAML's own parser, with less memory; a
    file it finds wrong is read again by PyYAML's parser, whose messages are the plainer.
    """
    if text is None:
        text = read_text(path, name)
    try:
        return _composed(FAST_LOADER(text), name)
    except (yaml.YAMLError, RecursionError):
        pass
    try:
        loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        raise file_error(name, f"contains the control character {character(chr(error.character))}"
                               ", which YAML does not allow; remove it", line) from None
    try:
        return _composed(loader, name)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        problem = error.problem or error.context or ""
        if problem.startswith("but ") and error.context:  # "expected ..., but found ..."
            problem = f"{error.context}, {problem}"
        message = f"YAML syntax: {problem}"
        raise file_error(name, message, line) from None
    except yaml.YAMLError as error:
        raise file_error(name, f"YAML syntax: {error}") from None
    except RecursionError:
        raise file_error(name, "is nested too deeply to be a data file") from None


def _composed(loader: yaml.SafeLoader | yaml.CSafeLoader,
              name: str) -> tuple[Any, dict[Location, int]]:
    """The document a loader reads, and the line of each of its keys."""
    try:
        node = loader.get_single_node()
        if node is None:
            raise file_error(name, "is empty")
        lines: dict[Location, int] = {}
        _index_lines(node, (), lines, name, set())
        return loader.construct_document(node), lines
    finally:
        loader.dispose()


def file_error(name: str, message: str, line: int | None = None) -> DataError:
    """An error about the file as a whole (or one line of it), before any record is known."""
    return DataError([Problem(name, line, "", "", message)])


def _index_lines(node: yaml.Node, loc: Location, lines: dict[Location, int], name: str,
                 seen: set[int]) -> None:
    """Record the line of each node; aliases (and so alias bombs) and duplicate keys are errors."""
    if id(node) in seen:
        raise file_error(name, "YAML anchors and aliases (&name, *name) are not supported; "
                               "write the value out", node.start_mark.line + 1)
    seen.add(id(node))
    lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        keys: set[Any] = set()
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag != STRING_TAG:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
                raise DataError([located(name, {}, {}, (*loc, key),
                                          "keys must be text; put the key in quotes", line)])
            key = key_node.value
            if key in keys:
                raise DataError([located(name, {}, {}, (*loc, key),
                                          "this key appears twice in the same mapping", line)])
            keys.add(key)
            lines[(*loc, key)] = key_node.start_mark.line + 1
            _index_lines(value_node, (*loc, key), lines, name, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index_lines(item, (*loc, index), lines, name, seen)
