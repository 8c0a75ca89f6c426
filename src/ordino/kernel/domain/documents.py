"""Reading JSON documents written by hand, so that a bad one is refused with the
field named (`profile.strategies[1].max_packages: ...`), through the domain's own
readers (`profile_from_document`, `rate_card_from_document`, ...).

Two steps. `conform` checks a document against its `Shape`: every key known (a
typo is refused, not ignored), the required keys there, an optional key of the
JSON type of its default (a string where a list belongs would otherwise be read as
a set of letters) and, when absent, set to that default; the API's defaults, so a
document may be as short as the API accepts it. `read` then runs a domain reader
over the document wrapped so that each key and list item it reads records its
path: a value the reader cannot take (a ValueError, TypeError or ArithmeticError,
which `Decimal` raises) is refused at the last path read, the one being converted;
a rule the domain checks once the whole object is built is refused at the
document's own path.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ordino.kernel.domain.errors import FieldError, InvalidInput

T = TypeVar("T")


@dataclass(frozen=True)
class Shape:
    """The keys of a JSON object: `required`, `optional` with their defaults (which
    also give their JSON type; None: any), `ignored` (read back from the API, such
    as `version`, and of no use here), the keys whose value must be a list
    (`lists`), and the shape of the objects under a key (`nested`: the object, or
    each item of the list)."""

    required: frozenset[str] = frozenset()
    optional: Mapping[str, Any] = field(default_factory=dict)
    ignored: frozenset[str] = frozenset()
    lists: frozenset[str] = frozenset()
    nested: Mapping[str, Shape] = field(default_factory=dict)


def refused(path: str, message: str) -> InvalidInput:
    return InvalidInput(f"{path}: {message}", errors=[FieldError(path, message)])


def join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def conform(document: Any, shape: Shape, path: str) -> dict[str, Any]:
    """A copy of `document` checked against `shape`, with its defaults filled in."""
    found = dict(_object(document, path))
    _keys_known(found, shape, path)
    for key, default in shape.optional.items():
        if key not in found:
            found[key] = copy.deepcopy(default)
        elif default is not None and not _same_type(found[key], default):
            raise refused(join(path, key), f"must be {_type_name(default)}")
    for key in shape.lists:
        if key in found and not isinstance(found[key], list):
            raise refused(join(path, key), "must be a list")
    for key, inner in shape.nested.items():
        found[key] = _conform_nested(found.get(key), inner, join(path, key))
    return found


def _keys_known(found: dict[str, Any], shape: Shape, path: str) -> None:
    known = shape.required | shape.ignored | set(shape.optional)
    for key in sorted(found):
        if key not in known:
            raise refused(join(path, key), "unknown field")
    for key in sorted(shape.required):
        if key not in found:
            raise refused(join(path, key), "missing")


def _conform_nested(value: Any, shape: Shape, path: str) -> Any:
    if isinstance(value, list):
        return [conform(item, shape, join(path, n)) for n, item in enumerate(value)]
    return None if value is None else conform(value, shape, path)


def read(document: dict[str, Any], path: str, reader: Callable[[dict[str, Any]], T]) -> T:
    """`reader(document)`, its failures refused with the field they came from."""
    trail = _Trail(path)
    try:
        return reader(_Object(document, path, trail))
    except _Missing:
        raise
    except InvalidInput as error:  # a rule of the object being built
        if error.errors:
            first = error.errors[0]
            raise refused(join(trail.parent, first.field), first.message) from None
        raise refused(trail.parent, str(error)) from None
    except (ValueError, TypeError, ArithmeticError, LookupError) as error:
        raise refused(trail.last, f"not a valid value ({error})") from None


def _object(document: Any, path: str) -> dict[str, Any]:
    if not isinstance(document, dict):
        raise refused(path or "document", "must be an object")
    return document


def _same_type(value: Any, default: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, int | float):
        return isinstance(value, int | float)
    return isinstance(value, type(default))


def _type_name(default: Any) -> str:
    names = {bool: "true or false", int: "a number", float: "a number", str: "a string"}
    names |= {list: "a list", dict: "an object"}
    return names.get(type(default), type(default).__name__)


class _Missing(InvalidInput):
    pass


class _Trail:
    """The path of the last value read, and of the object that holds it."""

    def __init__(self, path: str) -> None:
        self.last = self.parent = path or "document"

    def at(self, parent: str, path: str) -> None:
        self.parent, self.last = parent, path


class _Object(dict[str, Any]):
    """A JSON object that records, in its trail, the path of each key read."""

    def __init__(self, data: dict[str, Any], path: str, trail: _Trail) -> None:
        super().__init__(data)
        self._path, self._trail = path, trail

    def __getitem__(self, key: str) -> Any:
        path = join(self._path, key)
        self._trail.at(self._path, path)
        if not super().__contains__(key):
            raise _Missing(f"{path}: missing", errors=[FieldError(path, "missing")])
        return _wrapped(super().__getitem__(key), path, self._trail)

    def get(self, key: str, default: Any = None) -> Any:
        if key not in self:
            return default
        return self[key]

    def items(self) -> Iterator[tuple[str, Any]]:  # type: ignore[override]
        for key in list(self.keys()):
            yield key, self[key]


class _List(list[Any]):
    def __init__(self, data: list[Any], path: str, trail: _Trail) -> None:
        super().__init__(data)
        self._path, self._trail = path, trail

    def __iter__(self) -> Iterator[Any]:
        for n, item in enumerate(super().__iter__()):
            path = join(self._path, n)
            self._trail.at(path, path)
            yield _wrapped(item, path, self._trail)


def _wrapped(value: Any, path: str, trail: _Trail) -> Any:
    if isinstance(value, dict):
        return _Object(value, path, trail)
    if isinstance(value, list):
        return _List(value, path, trail)
    return value
