"""Load any CSV/TSV table through a declarative YAML mapping (in the spirit of Neo4j Data Importer).

A mapping file says which columns become which records. Each entry of ``records`` produces one
record of the model (``organization``, ``country``, ``mission``, ``program``, ``agreement``,
``participation``, ``signature``, ``membership``, ``contract``) per CSV row, and each of its
``fields`` takes its value from a ``column``, a constant ``value`` or a ``template``::

    delimiter: ","                 # optional: sniffed from the header line; "\\t" for .tsv files
    source: {column: source}       # optional: the provenance of every record
    records:
      - record: organization
        fields:
          id: {column: org, transform: slug}
          name: org_name           # a bare string is a column name
          sector: {column: sector, transform: lower}
          country: {column: country, transform: upper}
      - record: participation
        fields:
          org: {column: org, transform: slug}
          target: {column: mission, transform: slug, skip_if_empty: true}
          role: {column: role, default: partner}
          contribution: contribution

The format is documented, with a worked example, in ``docs/csv-mapping.md``. The rules in short:

* an empty cell (only whitespace) leaves its field out, so the model's default applies and a
  required field is reported missing; ``default:`` gives a value for empty cells instead, and
  ``skip_if_empty: true`` skips the whole record on rows where that field is empty (rows without a
  mission make no mission and no participation);
* ``transform`` (one name or a list, applied in order): ``strip``, ``lower``, ``upper``, ``slug``
  (:func:`orbitnet.model.slugify`; use it for ids), ``int``; ``split: "|"`` makes a list (aliases,
  programs) and applies the transforms to each part;
* ``template: "{org}-{mission}"`` fills in columns (``{{`` and ``}}`` for literal braces); it is
  empty when any column it names is empty;
* every record carries a ``source``: its own ``source`` field if mapped, else the mapping's
  top-level ``source``, else, when those are absent or empty, the CSV file name and line
  (``"partners.csv line 12"``);
* a node (organisation, country, mission, program, agreement) is yielded once, from the first row
  that describes it: later rows with the same id may repeat its values or leave them empty, and
  are then skipped; a later row that gives a field a different value, or fills in one the first
  row left empty, is rejected with both lines named (the pipeline would reject a second record
  with the same id anyway, and silently keeping either value would lose data).

Errors: a bad mapping raises :class:`MappingError` (an :class:`orbitnet.errors.ValidationError`)
naming the YAML file, line and key, when :func:`read_mapped_csv` is called; a mapped column missing
from the CSV header raises it on the first ``next()``, naming the column and the mapping line; an
empty CSV file raises :class:`~orbitnet.errors.ValidationError` there too.
Problems in the data are yielded as :class:`~orbitnet.loaders.base.Rejected` with the CSV file, the
line where the record *starts* (quoted fields may span lines) and the column: a bad value, a row
with the wrong number of cells, a malformed or unterminated quoted field, or bytes that are not
UTF-8 (then reading stops: ``not UTF-8 at line N``). Files may start with a UTF-8 byte-order mark.
"""

from __future__ import annotations

import csv
import difflib
import functools
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal, cast

import pydantic
import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, TypeAdapter, field_validator

from orbitnet.errors import Problem, ValidationError
from orbitnet.loaders.base import Item, Located, Rejected, one_line, validate, yaml_failure
from orbitnet.model import (
    Agreement,
    AnyRecord,
    Contract,
    Country,
    Membership,
    Mission,
    Organization,
    Participation,
    Program,
    Signature,
    slugify,
)

__all__ = [
    "RECORD_MODELS",
    "CsvMapping",
    "FieldSpec",
    "MappingError",
    "RecordSpec",
    "Transform",
    "load_mapping",
    "read_mapped_csv",
]

RECORD_MODELS: dict[str, type[BaseModel]] = {
    "organization": Organization,
    "country": Country,
    "mission": Mission,
    "program": Program,
    "agreement": Agreement,
    "participation": Participation,
    "signature": Signature,
    "membership": Membership,
    "contract": Contract,
}
_NODE_RECORDS = frozenset({"organization", "country", "mission", "program", "agreement"})
_DELIMITER_NAMES = {
    "tab": "\t",
    "\\t": "\t",  # '\t' in single quotes, as YAML keeps it
    "comma": ",",
    "semicolon": ";",
    "pipe": "|",
    "space": " ",
}
_SNIFF_DELIMITERS = ",;\t|"
_TEMPLATE_PART = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")

Loc = tuple[str | int, ...]


class MappingError(ValidationError):
    """A mapping file that cannot be used; ``problems`` lists every problem found, first first."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(problems[0])
        self.problems = list(problems)
        if len(self.problems) > 1:
            more = len(self.problems) - 1
            self.args = (f"{self.problems[0]} (and {more} more problem{'s' * (more > 1)})",)


class Transform(StrEnum):
    """A step applied to a cell's text, in the order written."""

    STRIP = "strip"
    LOWER = "lower"
    UPPER = "upper"
    SLUG = "slug"
    INT = "int"


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldSpec(_Spec):
    """Where one field's value comes from: exactly one of ``column``, ``value``, ``template``."""

    column: str | None = None
    value: Any = None
    template: str | None = None
    transform: tuple[Transform, ...] = ()
    split: Annotated[str, Field(min_length=1)] | None = None
    default: str | int | float | bool | None = None
    skip_if_empty: bool = False

    @field_validator("transform", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return (value,) if isinstance(value, str) else value

    def columns(self) -> list[str]:
        """The CSV columns this field reads."""
        if self.column is not None:
            return [self.column]
        if self.template is not None:
            return [name for literal, name in _template_parts(self.template) if name is not None]
        return []

    def label(self, record: str, name: str) -> str:
        """How a problem names this field: the column if there is one, else ``record.field``."""
        return self.column if self.column is not None else f"{record}.{name}"


def _column_shorthand(value: object) -> object:
    return {"column": value} if isinstance(value, str) else value


class RecordSpec(_Spec):
    """One record produced per CSV row."""

    record: Literal[
        "organization",
        "country",
        "mission",
        "program",
        "agreement",
        "participation",
        "signature",
        "membership",
        "contract",
    ]
    fields: dict[str, FieldSpec]

    @field_validator("fields", mode="before")
    @classmethod
    def _shorthand(cls, value: object) -> object:
        if isinstance(value, dict):
            return {k: _column_shorthand(v) for k, v in value.items()}
        return value

    @property
    def model(self) -> type[BaseModel]:
        return RECORD_MODELS[self.record]


class CsvMapping(_Spec):
    """A validated mapping file (see the module docstring and ``docs/csv-mapping.md``)."""

    delimiter: str | None = None
    source: FieldSpec | None = None
    records: Annotated[list[RecordSpec], Field(min_length=1)]

    _file: str = PrivateAttr(default="")
    _lines: dict[Loc, int] = PrivateAttr(default_factory=dict)

    @field_validator("delimiter")
    @classmethod
    def _delimiter(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = _DELIMITER_NAMES.get(value.lower(), value)
        if len(value) != 1 or value in '"\r\n':
            raise ValueError('a delimiter is one character, such as ",", ";", "|" or "\\t" (tab)')
        return value

    @field_validator("source", mode="before")
    @classmethod
    def _source_shorthand(cls, value: object) -> object:
        return _column_shorthand(value)

    @property
    def file(self) -> str:
        """The mapping file this was loaded from."""
        return self._file

    def line_of(self, loc: Loc) -> int | None:
        """The line in the mapping file of the key at ``loc`` (or of its nearest parent)."""
        for end in range(len(loc), -1, -1):
            line = self._lines.get(loc[:end])
            if line is not None:
                return line
        return None


# ------------------------------------------------------------------------------------- loading


def load_mapping(path: str | os.PathLike[str]) -> CsvMapping:
    """Read and check a mapping file.

    Raises
    ------
    MappingError
        With the file, line and key of every problem: YAML syntax, unknown keys, unknown record
        types or fields, required fields left unmapped, bad constants, bad templates.
    """
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = Path(path).read_bytes()[: exc.start].count(b"\n") + 1
        raise MappingError([Problem(file, bad, "(file)", f"not UTF-8 at line {bad}")]) from None
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except Exception as exc:
        where, reason = yaml_failure(exc, text)
        what = "not a usable mapping" if isinstance(exc, RecursionError) else "not valid YAML"
        raise MappingError([Problem(file, where, "(yaml)", f"{what}: {reason}")]) from None

    lines: dict[Loc, int] = {}
    problems: list[Problem] = []
    if node is not None:
        _index_lines(node, (), lines, problems, file)
    if problems:
        raise MappingError(problems)
    if not isinstance(data, dict):
        raise MappingError(
            [Problem(file, 1, "(mapping)", "a mapping file is a YAML mapping with 'records:'")]
        )
    try:
        mapping = CsvMapping.model_validate(data)
    except pydantic.ValidationError as exc:
        for error in exc.errors():
            loc = tuple(error["loc"])
            reason = error["msg"]
            if error["type"] == "extra_forbidden":
                reason = f"unknown key{_suggest(str(loc[-1]), _KEYS.get(len(loc), ()))}"
            elif error["type"] == "missing":
                reason = "required key is missing"
            problems.append(Problem(file, _nearest_line(lines, loc), _dotted(loc), reason))
        raise MappingError(problems) from None

    mapping._file = file
    mapping._lines = lines
    for loc, reason in _check(mapping):
        problems.append(Problem(file, mapping.line_of(loc), _dotted(loc), reason))
    if problems:
        raise MappingError(problems)
    return mapping


_KEYS: dict[int, Sequence[str]] = {
    1: ("delimiter", "source", "records"),
    2: tuple(FieldSpec.model_fields),  # source.<key>
    3: ("record", "fields"),
    5: tuple(FieldSpec.model_fields),
}


def _index_lines(
    node: yaml.Node,
    loc: Loc,
    lines: dict[Loc, int],
    problems: list[Problem],
    file: str,
    visited: set[int] | None = None,
) -> None:
    """Record the line of every key and item; report duplicate keys (YAML silently keeps one).

    A node reached again through an alias is not walked again: anchors nested ten deep would
    otherwise make ten billion visits of a 300-byte file.
    """
    visited = set() if visited is None else visited
    if id(node) in visited:
        return
    visited.add(id(node))
    lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = str(key.value)
            if name in seen:
                problems.append(
                    Problem(file, key.start_mark.line + 1, _dotted((*loc, name)), "duplicate key")
                )
            seen.add(name)
            lines[(*loc, name)] = key.start_mark.line + 1
            _index_lines(value, (*loc, name), lines, problems, file, visited)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index_lines(item, (*loc, index), lines, problems, file, visited)


def _nearest_line(lines: dict[Loc, int], loc: Loc) -> int | None:
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def _dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        text = one_line(str(part))
        out += f"[{part}]" if isinstance(part, int) else (f".{text}" if out else text)
    return out or "(mapping)"


def _suggest(name: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.7)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _check(mapping: CsvMapping) -> Iterator[tuple[Loc, str]]:
    """What pydantic cannot see: fields against the model, sources of values, constants."""
    if mapping.source is not None:
        yield from _check_field(mapping.source, ("source",), None, "source")
    for index, spec in enumerate(mapping.records):
        model = spec.model
        names = [n for n in model.model_fields if n != "record"]
        base: Loc = ("records", index, "fields")
        for name, field in spec.fields.items():
            if name not in names:
                yield (
                    (*base, name),
                    (
                        f"{spec.record} has no field {name!r}{_suggest(name, names)}; "
                        f"its fields are {', '.join(names)}"
                    ),
                )
                continue
            yield from _check_field(field, (*base, name), model, name)
        for name in names:
            if model.model_fields[name].is_required() and name not in spec.fields:
                yield base, f"{spec.record} needs the field {name!r}, which is not mapped"


def _check_field(
    field: FieldSpec, loc: Loc, model: type[BaseModel] | None, name: str
) -> Iterator[tuple[Loc, str]]:
    given = [k for k in ("column", "value", "template") if k in field.model_fields_set]
    if len(given) != 1:
        yield (
            loc,
            (
                "give exactly one of 'column', 'value' or 'template'"
                + (f" (found {' and '.join(given)})" if given else "")
            ),
        )
        return
    if field.template is not None:
        try:
            names = field.columns()
        except ValueError as exc:
            yield (*loc, "template"), str(exc)
            return
        if not names:
            yield (*loc, "template"), "a template names at least one column, as in '{org}'"
    if field.column is not None and not field.column.strip():
        yield (*loc, "column"), "empty column name"
    if "value" in field.model_fields_set:
        if field.value is None or isinstance(field.value, (dict, list)):
            yield (*loc, "value"), "a constant value is a string, number, true or false"
            return
        if model is not None:
            value, error = _transform(field.value, field)
            if error is None:
                error = _check_constant(model, name, value)
            if error is not None:
                yield (*loc, "value"), error


def _check_constant(model: type[BaseModel], name: str, value: object) -> str | None:
    info = model.model_fields[name]
    annotation: Any = (
        Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
    )
    adapter: TypeAdapter[Any] = TypeAdapter(annotation)
    try:
        adapter.validate_python(value)
    except pydantic.ValidationError as exc:
        return f"constant {value!r} is not a valid {name}: {exc.errors()[0]['msg']}"
    return None


def _template_parts(template: str) -> list[tuple[str, str | None]]:
    """``"{a}-{b}"`` → ``[("", "a"), ("-", None), ("", "b")]``; raises ValueError if malformed."""
    parts: list[tuple[str, str | None]] = []
    position = 0
    for match in _TEMPLATE_PART.finditer(template):
        if match.start() > position:
            parts.append((template[position : match.start()], None))
        token = match.group(0)
        if token in ("{{", "}}"):
            parts.append((token[0], None))
        elif token in ("{", "}"):
            raise ValueError(f"unmatched {token!r} in template (write {token * 2} for a brace)")
        else:
            column = match.group(1).strip()
            if not column:
                raise ValueError("empty '{}' in template; put a column name inside the braces")
            parts.append(("", column))
        position = match.end()
    if position < len(template):
        parts.append((template[position:], None))
    return parts


# ------------------------------------------------------------------------------------- reading


class _NotUtf8(Exception):
    def __init__(self, line: int, byte: int) -> None:
        super().__init__(line, byte)
        self.line = line
        self.byte = byte


def _decoded_lines(path: str, counter: list[int]) -> Iterator[str]:
    """Physical lines with their endings, decoded one by one so a bad byte has a line number."""
    with open(path, "rb") as handle:
        for raw in handle:
            counter[0] += 1
            try:
                yield raw.decode("utf-8-sig" if counter[0] == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise _NotUtf8(counter[0], raw[exc.start]) from None


def _delimiter_for(path: str, mapping: CsvMapping, first_line: str) -> str:
    if mapping.delimiter is not None:
        return mapping.delimiter
    if path.lower().endswith((".tsv", ".tab")):
        return "\t"
    try:
        return csv.Sniffer().sniff(first_line, delimiters=_SNIFF_DELIMITERS).delimiter
    except csv.Error:
        counts = {d: first_line.count(d) for d in _SNIFF_DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


_EMPTY = object()
_SKIP = object()


def read_mapped_csv(
    csv_path: str | os.PathLike[str], mapping_path: str | os.PathLike[str]
) -> Iterator[Item]:
    """Yield the records a mapping makes of each row of a CSV/TSV file.

    The mapping is loaded and checked at once (raising :class:`MappingError`); the CSV file is read
    lazily, one row at a time.

    Examples
    --------
    >>> from orbitnet.loaders.base import split
    >>> good, bad = split(read_mapped_csv("partners.csv", "partners.mapping.yaml"))
    ... # doctest: +SKIP
    """
    mapping = load_mapping(mapping_path)
    return _read(str(csv_path), mapping)


def _read(file: str, mapping: CsvMapping) -> Iterator[Item]:
    name = Path(file).name
    counter = [0]
    lines = _decoded_lines(file, counter)
    try:
        first = next(lines, None)
        if first is None:
            raise ValidationError(
                Problem(file, None, "(file)", "the file is empty; its first line names columns")
            )
        delimiter = _delimiter_for(file, mapping, first)

        def chained() -> Iterator[str]:
            yield first
            yield from lines

        reader = csv.reader(chained(), delimiter=delimiter, strict=True)
        header: list[str] | None = None
        plan: _Plan | None = None
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                yield Rejected(_csv_problem(file, start, counter[0], str(exc)), None)
                continue
            if not cells or all(not c.strip() for c in cells):
                continue
            if header is None:
                header = [c.strip() for c in cells]
                plan = _Plan(mapping, header, file, delimiter)
                continue
            assert plan is not None
            if len(cells) != len(header):
                yield Rejected(
                    Problem(
                        file,
                        start,
                        "(row)",
                        f"{len(cells)} cells but the header has {len(header)} columns",
                    ),
                    delimiter.join(cells),
                )
                continue
            yield from plan.records(cells, start, f"{name} line {start}")
        if header is None:
            raise ValidationError(
                Problem(file, None, "(file)", "the file has no header line naming its columns")
            )
    except _NotUtf8 as exc:
        yield Rejected(
            Problem(
                file,
                exc.line,
                "(file)",
                f"not UTF-8 at line {exc.line} (byte 0x{exc.byte:02x}); "
                "save the file as UTF-8 (in a spreadsheet: CSV UTF-8) and load it again",
            ),
            None,
        )


def _csv_problem(file: str, start: int, now: int, message: str) -> Problem:
    if "unexpected end of data" in message:
        return Problem(
            file,
            start,
            "(row)",
            f"unterminated quoted field: the file ends (line {now}) inside a quoted value of the "
            f"record that starts on line {start}; is the file truncated?",
        )
    return Problem(file, start, "(row)", f"malformed CSV: {message}")


class _Field:
    """A compiled field: column indexes resolved, so each row costs little."""

    __slots__ = ("index", "label", "name", "parts", "plain", "spec")

    def __init__(self, name: str, spec: FieldSpec, label: str, index: dict[str, int]) -> None:
        self.name = name
        self.spec = spec
        self.label = label
        self.index = index[spec.column] if spec.column is not None else -1
        self.plain = not spec.transform and spec.split is None
        self.parts: list[tuple[str, int]] = []
        if spec.template is not None:
            self.parts = [
                (literal, index[col] if col is not None else -1)
                for literal, col in _template_parts(spec.template)
            ]

    def raw(self, cells: list[str]) -> object:
        spec = self.spec
        if self.index >= 0:
            text = cells[self.index]
            return text if text.strip() else _EMPTY
        if self.parts:
            out = []
            for literal, i in self.parts:
                if i < 0:
                    out.append(literal)
                elif not cells[i].strip():
                    return _EMPTY
                else:
                    out.append(cells[i])
            return "".join(out)
        return spec.value

    def value(self, cells: list[str]) -> tuple[object, str | None]:
        """``(value, None)``, ``(_EMPTY, None)``, ``(_SKIP, None)`` or ``(None, reason)``."""
        raw: object
        if self.index >= 0:
            text = cells[self.index]
            if self.plain and text and not text[0].isspace():
                return text, None  # the common case, made quick
            raw = text if text.strip() else _EMPTY
        else:
            raw = self.raw(cells)
        if raw is _EMPTY:
            if self.spec.default is not None:
                raw = self.spec.default
            else:
                return (_SKIP if self.spec.skip_if_empty else _EMPTY), None
        return _transform(raw, self.spec)


def _transform(raw: object, spec: FieldSpec) -> tuple[object, str | None]:
    if spec.split is not None and isinstance(raw, str):
        out = []
        for part in raw.split(spec.split):
            if part.strip():
                value, error = _apply(part, spec.transform)
                if error is not None:
                    return None, error
                out.append(value)
        return out, None
    return _apply(raw, spec.transform)


def _apply(raw: object, transforms: tuple[Transform, ...]) -> tuple[object, str | None]:
    value = raw
    for step in transforms:
        text = str(value)
        if step is Transform.SLUG:
            value = _slug(text)
            if not value:
                return None, f"cannot make an id from {text!r}: it has no letters or digits"
        elif step is Transform.LOWER:
            value = text.lower()
        elif step is Transform.UPPER:
            value = text.upper()
        elif step is Transform.STRIP:
            value = text.strip()
        elif step is Transform.INT:
            try:
                value = int(text.strip())
            except ValueError:
                return None, f"{text!r} is not a whole number"
    return value, None


def _comparable(data: Mapping[str, object]) -> dict[str, object]:
    """A node's values as compared between rows: source left out, text stripped."""
    out: dict[str, object] = {}
    for key, value in data.items():
        if key == "source":
            continue
        if isinstance(value, str):
            value = value.strip()
        elif isinstance(value, list):
            value = tuple(v.strip() if isinstance(v, str) else v for v in value)
        out[key] = value
    return out


def _conflict(
    first: Mapping[str, object], data: Mapping[str, object]
) -> tuple[str, object, object] | None:
    """The first field a later row gives differently from the node's first row, if any.

    A field the later row leaves empty agrees with anything; a field the first row left empty
    but the later row fills in is a conflict (that value would otherwise be lost).
    """
    for key, value in _comparable(data).items():
        before = first.get(key)
        if before != value:
            return key, before, value
    return None


@functools.lru_cache(maxsize=1 << 16)
def _slug(text: str) -> str:
    return slugify(text)  # ids repeat on many rows (org, mission): worth caching


class _Plan:
    """A mapping bound to one CSV header."""

    def __init__(self, mapping: CsvMapping, header: list[str], file: str, delimiter: str) -> None:
        index: dict[str, int] = {}
        duplicated: set[str] = set()
        for i, column in enumerate(header):
            if column in index:
                duplicated.add(column)
            index.setdefault(column, i)
        problems: list[Problem] = []
        name = Path(file).name

        def check(spec: FieldSpec, loc: Loc) -> None:
            key = "column" if spec.column is not None else "template"
            for column in spec.columns():
                if column not in index:
                    close = difflib.get_close_matches(column, header, n=1, cutoff=0.7)
                    hint = f" (did you mean {close[0]!r}?)" if close else ""
                    shown = (
                        ", ".join(map(one_line, header))
                        if len(header) <= 30
                        else f"{len(header)} columns"
                    )
                    if len(header) == 1 and delimiter != "\t":
                        shown += f"; is the delimiter {delimiter!r} right?"
                    problems.append(
                        Problem(
                            mapping.file,
                            mapping.line_of((*loc, key)),
                            _dotted((*loc, key)),
                            f"column {column!r} is not in {name}{hint}; its columns are: {shown}",
                        )
                    )
                elif column in duplicated:
                    problems.append(
                        Problem(
                            mapping.file,
                            mapping.line_of((*loc, key)),
                            _dotted((*loc, key)),
                            f"column {column!r} appears more than once in the header of {name}",
                        )
                    )

        if mapping.source is not None:
            check(mapping.source, ("source",))
        for i, spec in enumerate(mapping.records):
            for field_name, field in spec.fields.items():
                check(field, ("records", i, "fields", field_name))
        if problems:
            raise MappingError(problems)

        self.source = (
            _Field("source", mapping.source, mapping.source.label("(all)", "source"), index)
            if mapping.source is not None
            else None
        )
        self.specs = [
            (
                spec.record,
                spec.model,
                [_Field(n, f, f.label(spec.record, n), index) for n, f in spec.fields.items()],
            )
            for spec in mapping.records
        ]
        self.file = file
        self.header = header
        self.seen: dict[tuple[str, object], tuple[int, dict[str, object]]] = {}
        """(record, id) → (line, values) of the row that first described that node."""

    def _row(self, cells: list[str]) -> dict[str, str]:
        return dict(zip(self.header, cells, strict=True))

    def records(self, cells: list[str], line: int, fallback_source: str) -> Iterator[Item]:
        shared_source: object = _EMPTY
        if self.source is not None:
            shared_source, _ = self.source.value(cells)
        for record, model, fields in self.specs:
            data: dict[str, Any] = {"record": record}
            problems: list[Problem] = []
            labels: dict[str, _Field] = {}
            skipped = False
            for field in fields:
                labels[field.name] = field
                value, error = field.value(cells)
                if error is not None:
                    problems.append(Problem(self.file, line, field.label, error))
                elif value is _SKIP:
                    skipped = True
                    break
                elif value is not _EMPTY:
                    data[field.name] = value
            if skipped:
                continue
            if "source" not in data:
                data["source"] = (
                    shared_source
                    if isinstance(shared_source, str) and shared_source.strip()
                    else fallback_source
                )
            if problems:
                for problem in problems:
                    yield Rejected(problem, self._row(cells))
                continue
            key: tuple[str, object] | None = None
            if record in _NODE_RECORDS:
                key = (record, data.get("id"))
                first = self.seen.get(key)
                if first is not None:
                    conflict = _conflict(first[1], data)
                    if conflict is not None:
                        name, before, now = conflict
                        label = labels[name].label if name in labels else f"{record}.{name}"
                        yield Rejected(
                            Problem(
                                self.file,
                                line,
                                label,
                                f"{record} {key[1]!r} was first described on line {first[0]} "
                                f"with {name} {before!r}, here {now!r}; describe a node the "
                                "same way on every row, or only on its first row",
                            ),
                            self._row(cells),
                        )
                    continue  # the node again (a partner repeated on many rows): yielded once
            result = validate(model, data, file=self.file, line=line)
            if isinstance(result, list):
                for problem in result:
                    yield Rejected(self._explain(problem, record, labels), self._row(cells))
            else:
                if key is not None:
                    self.seen[key] = (line, _comparable(data))
                yield Located(cast(AnyRecord, result), self.file, line)

    def _explain(self, problem: Problem, record: str, labels: dict[str, _Field]) -> Problem:
        name = problem.field.split(".")[0]
        field = labels.get(name)
        if field is None:
            return Problem(problem.file, problem.line, f"{record}.{problem.field}", problem.reason)
        reason = problem.reason
        if reason == "required field is missing" and field.spec.column is not None:
            reason = f"the cell is empty, but {record}.{name} is required"
        elif reason == "required field is missing" and field.spec.template is not None:
            reason = (
                f"{record}.{name} is required, but a column of its template "
                f"{field.spec.template!r} is empty"
            )
        elif field.spec.column is not None:
            reason = f"{reason} ({record}.{problem.field})"
        if "should match pattern" in reason and Transform.SLUG not in field.spec.transform:
            reason += "; ids are lower-case slugs: add 'transform: slug' to this field"
        return Problem(problem.file, problem.line, field.label, reason)
