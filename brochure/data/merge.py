"""``brochure import``: a spreadsheet's institutions (or events) merged into a data file, by id.

The file is edited with a round-trip YAML editor, so that the comments, order and quotes its
authors chose survive, and the result must load before it is written (atomically).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML, CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    PlainScalarString,
    ScalarString,
)

from ..errors import DataError, Problem, plural
from ..files import write_atomic
from .loading import load, validation_context
from .model import Picture
from .spreadsheet import Spreadsheet, read_records
from .yamlfile import STRING_TAG, file_error, read_text

YAML_RESOLVER = yaml.resolver.Resolver()  # how the data loader reads a plain scalar


@dataclass
class Merge:
    """A spreadsheet merged into a data file by id: what changed, and the file to write."""

    sheet: Spreadsheet
    target: Path
    text: str | None = None  # the data file after the merge; None when nothing changed
    lines: list[str] = field(default_factory=list)  # 'added ID', 'changed ID: FIELD, ...'
    added: int = 0
    changed: int = 0
    unchanged: int = 0

    @property
    def warnings(self) -> list[Problem]:
        """The rows left out and the characters removed, to show before anything is written."""
        return self.sheet.warnings

    def write(self) -> None:
        """Replace the data file with the merged one in one step; nothing when nothing changed."""
        if self.text is not None:
            write_atomic(self.target, self.text.encode("utf-8"))

    def summary(self) -> str:
        """One line: how many records were added, changed and left as they were."""
        counts = f"{self.added} added, {self.changed} changed, {self.unchanged} unchanged"
        if self.sheet.skipped:
            counts += f", {plural(len(self.sheet.skipped), 'bad row')} left out"
        written = "" if self.text is not None else "; nothing to write"
        return f"{self.sheet.name} into {self.target}: {counts}{written}"


def merge(sheet_path: Path, target: Path) -> Merge:
    """The institutions (or events: the sheet's header says) of a spreadsheet merged into a
    data file by id, checked, not written.

    A new id is added at the end of the list, which is made if the file has none yet. A
    record already there takes the sheet's non-empty cells and keeps the fields and
    languages the sheet has no column for; records that are not in the sheet stay. The
    merged file must load as the old one did, and with institutions.
    """
    name = str(target)
    if not target.exists():
        raise file_error(name, "no such file; brochure import adds to an existing data file, "
                               "which gives the network and the city (start from a copy of "
                               "data/icheon.yaml)")
    text = read_text(target, name)
    before = load(target, text, to_fill=True)
    existing = {"institutions": before.dataset.institutions, "events": before.dataset.events}
    trees = {key: before.tree.get(key) or [] for key in existing}
    sheet = read_records(sheet_path, before.dataset.languages, validation_context(before.tree),
                         {key: {item.id: trees[key][index] for index, item in enumerate(items)}
                          for key, items in existing.items()})
    key = sheet.listing.key
    if key == "institutions" and before.sheet is not None:
        raise file_error(name, f"takes its institutions from {before.sheet.name}; change that "
                               "spreadsheet instead of importing into the data file")
    positions = {item.id: index for index, item in enumerate(existing[key])}
    editor = _editor(text)
    try:
        document = editor.load(text)
    except YAMLError as error:
        raise file_error(name, f"cannot be edited automatically ({type(error).__name__}); add "
                               "the institutions by hand") from error
    result = Merge(sheet, target)
    if not (items := document.get(key)):  # no key, no value or []: a new list
        items = document[key] = CommentedSeq()
    _apply(result, items, positions, before.dataset.languages, _spaced(items, text),
           sheet.listing.fields)
    if result.added or result.changed:
        result.text = _dump(editor, document)
        _check(target, result.text)
    return result


def _apply(result: Merge, items: CommentedSeq, positions: Mapping[str, int],
           order: Sequence[str], spaced: bool, fields: Sequence[str]) -> None:
    """Add or update each of the sheet's records in the file's list, noting what changed."""
    for ident, record in zip(result.sheet.ids, result.sheet.records, strict=True):
        if ident not in positions:
            _append(items, _new_item(record, order), spaced)
            result.lines.append(f"added {ident}")
            result.added += 1
        elif changes := _update(items[positions[ident]], record, order, fields):
            result.lines.append(f"changed {ident}: {', '.join(changes)}")
            result.changed += 1
        else:
            result.unchanged += 1


def _editor(text: str) -> YAML:
    """A round-trip YAML editor that writes the file in its own indentation, never rewrapped."""
    editor = YAML()  # round trip: comments, key order and flow styles survive
    editor.preserve_quotes = True
    editor.width = 1 << 16  # long lines are the author's: never fold them
    content = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    editor.explicit_start = bool(content) and content[0].startswith("---")
    mapping, sequence, offset = _indentation(text)
    editor.indent(mapping=mapping, sequence=sequence, offset=offset)
    return editor


def _indentation(text: str) -> tuple[int, int, int]:
    """How a file indents mappings, list items and their dashes: (2, 4, 2) in the sample."""
    mapping = sequence = offset = None
    opener = None  # the column of a key whose value starts on the next line
    for line in text.splitlines():
        content = line.lstrip(" ")
        if not content or content.startswith("#"):
            continue
        column = len(line) - len(content)
        key_column = column + len(content) - len(content.lstrip("- "))  # after any dash
        if opener is not None and content.startswith("- ") and column >= opener:
            if sequence is None:
                offset, sequence = column - opener, key_column - opener
        elif opener is not None and column > opener:
            mapping = mapping or column - opener
        opener = key_column if content.rstrip().endswith(":") else None
    mapping = mapping or 2
    return mapping, sequence or mapping + 2, offset if offset is not None else 2


def _spaced(items: CommentedSeq, text: str) -> bool:
    """Whether the file sets a blank line between institutions, so new ones get one too."""
    if len(items) < 2:
        return False
    line = items.lc.item(1)[0]  # counted from 0: the line before is ``line - 1``
    return line > 0 and not text.splitlines()[line - 1].strip()


def _append(items: CommentedSeq, item: CommentedMap, spaced: bool) -> None:
    """Add an institution at the end of the list, set apart as the others are.

    What followed the list's last item (a blank line, the comment above the next key) follows
    the new one."""
    last = items[-1] if items else None
    after = (_take_comment(last, list(last)[-1])
             if isinstance(last, CommentedMap) and last else None)
    items.append(item)
    if spaced:
        items.yaml_set_comment_before_after_key(len(items) - 1, before="\n")
    if after is not None:
        _give_comment(item, list(item)[-1], after)


def _new_item(record: Mapping[str, Any], order: Sequence[str]) -> CommentedMap:
    """A new institution for the data file, its fields and languages in the usual order."""
    item = CommentedMap()
    for key, value in record.items():
        item[key] = _value(value, None, order)
    return item


def _update(item: CommentedMap, record: Mapping[str, Any], order: Sequence[str],
            fields: Sequence[str], within: str = "") -> list[str]:
    """Put a row's cells into a record of the data file (or, ``within`` one of its fields,
    into a text by language or a picture); the fields that changed."""
    changes = []
    keys = [*order, *Picture.model_fields] if within else fields
    for key, value in record.items():
        old = item.get(key)
        if isinstance(value, Mapping) and isinstance(old, CommentedMap):
            changes += _update(old, value, order, fields, f"{within}{key}.")
        elif isinstance(value, Mapping) or _differs(old, value):
            _put(item, key, _value(value, old, order), keys)
            changes.append(within + key)
    return changes


def _differs(old: object, new: str) -> bool:
    """Whether a cell says something else than the file: texts are compared as they print."""
    return not isinstance(old, str) or old.strip() != new


def _value(value: str | Mapping[str, Any], old: object, order: Sequence[str]) -> Any:
    """A cell's value as the data file writes it: a text, a mapping in language order, or a
    picture (its fields in the record's order)."""
    if isinstance(value, Mapping):
        ranked = sorted(value, key=lambda key: order.index(key) if key in order else len(order))
        return CommentedMap((key, _value(value[key], None, order)) for key in ranked)
    return _scalar(value, old)


def _scalar(text: str, old: object) -> str:
    """A text in the style of the one it replaces, or as a block when it has line breaks.

    A text that the data loader would read plain as something else (yes, 2024, 1:30) is quoted.
    """
    if isinstance(old, LiteralScalarString | FoldedScalarString) and old.endswith("\n"):
        text += "\n"  # the block keeps its last line break: '>' stays '>', not '>-'
    if "\n" in text.rstrip("\n"):
        return LiteralScalarString(text)
    style = type(old) if isinstance(old, ScalarString) else None
    if style in (None, PlainScalarString) and (
            YAML_RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) != STRING_TAG):
        style = DoubleQuotedScalarString
    return style(text) if style else text


def _put(mapping: CommentedMap, key: str, value: Any, order: Sequence[str]) -> None:
    """Set a key in the data file, keeping the comment or blank line that followed it there.

    A new key goes after the keys that come before it in ``order``.
    """
    if key in mapping:
        index, follows = None, key
    else:
        rank = order.index(key) if key in order else len(order)
        index = max((place + 1 for place, existing in enumerate(mapping)
                     if existing in order[:rank]), default=0)
        follows = list(mapping)[-1] if mapping and index == len(mapping) else None
    comment = _take_comment(mapping, follows) if follows is not None else None
    if index is None:
        mapping[key] = value
    else:
        mapping.insert(index, key, value)
    if comment is not None:
        _give_comment(mapping, key, comment)


def _take_comment(mapping: CommentedMap, key: str) -> Any:
    """Remove and return the comment (or blank line) that follows a key's value, if any."""
    entry = mapping.ca.items.get(key)
    if entry and len(entry) > 2 and entry[2] is not None:
        comment, entry[2] = entry[2], None
        return comment
    value = mapping[key]
    if isinstance(value, CommentedMap) and value:
        return _take_comment(value, list(value)[-1])
    return None


def _give_comment(mapping: CommentedMap, key: str, comment: Any) -> None:
    """Put a comment after a key's value: after its last line, however deep that is."""
    value = mapping[key]
    if isinstance(value, CommentedMap) and value and not value.fa.flow_style():
        _give_comment(value, list(value)[-1], comment)
    else:
        mapping.ca.items.setdefault(key, [None, None, None, None])[2] = comment


def _dump(editor: YAML, document: Any) -> str:
    """The edited document as text."""
    stream = io.StringIO()
    editor.dump(document, stream)
    return stream.getvalue()


def _check(target: Path, text: str) -> None:
    """The merged data file must load; if it would not, it is not written."""
    try:
        load(target, text)
    except DataError as error:
        raise DataError([*error.problems, Problem(str(target), None, "", "",
                                                  "the merged data would not load, so nothing "
                                                  "was written")]) from None
