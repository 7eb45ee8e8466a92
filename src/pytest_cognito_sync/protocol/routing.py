"""Which operation a request is: method + path matched against the model's
``requestUri`` templates, with the URI labels percent-decoded."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from typing import NamedTuple
from urllib.parse import unquote

from .._model import service_model

_LABEL = re.compile(r"\{([^}]+)\}")


@dataclass(frozen=True, slots=True)
class Route:
    operation: str
    pattern: re.Pattern[str]
    labels: tuple[str, ...]
    # More literal characters = more specific; tried first.
    specificity: int


def _compile(operation: str, request_uri: str) -> Route:
    path = request_uri.split("?", 1)[0]
    labels: list[str] = []
    regex = ""
    position = 0
    for match in _LABEL.finditer(path):
        regex += re.escape(path[position : match.start()])
        name = match.group(1)
        if name.endswith("+"):
            labels.append(name[:-1])
            regex += "(.*)"
        else:
            labels.append(name)
            # Empty labels still route, so that validation can answer
            # "length must be >= 1" rather than "unknown operation".
            regex += "([^/]*)"
        position = match.end()
    regex += re.escape(path[position:])
    literal = len(_LABEL.sub("", path))
    return Route(operation, re.compile(regex + "/?"), tuple(labels), literal)


@lru_cache(maxsize=1)
def _routes_by_method() -> dict[str, tuple[Route, ...]]:
    model = service_model()
    table: dict[str, list[Route]] = {}
    for name in model.operation_names:
        http = model.operation_model(name).http
        table.setdefault(http["method"], []).append(_compile(name, http["requestUri"]))
    return {
        method: tuple(sorted(routes, key=lambda r: -r.specificity))
        for method, routes in table.items()
    }


class _Alternatives(NamedTuple):
    """A method's routes as one pattern: ``(?P<r0>...)|(?P<r1>...)|...``,
    most specific first, so that one C-level match finds the route that
    trying each in turn would (a Python call per route, for a path met for
    the first time: every new pool's)."""

    pattern: re.Pattern[str]
    #: by the group that names a route: the route, and its labels' groups
    routes: dict[str, tuple[Route, tuple[int, ...]]]


@lru_cache(maxsize=1)
def _alternatives_by_method() -> dict[str, _Alternatives]:
    table = {}
    for method, routes in _routes_by_method().items():
        parts, by_group, group = [], {}, 0
        for number, route in enumerate(routes):
            name = f"r{number}"
            parts.append(f"(?P<{name}>{route.pattern.pattern})")
            labels = tuple(range(group + 2, group + 2 + len(route.labels)))
            by_group[name] = (route, labels)
            group += 1 + len(route.labels)
        table[method] = _Alternatives(re.compile("|".join(parts)), by_group)
    return table


class _Segments(NamedTuple):
    """The routes of one method and number of path segments, when each of
    their segments is a literal or one whole label, in the same places for
    all: then a path's literal segments name its route in one dict lookup,
    a third of the cost of the one-pattern match (which takes each route's
    alternative in turn over the same pool id)."""

    #: the path's segments where the routes have literals
    literals: Callable[[list[str]], tuple[str, ...]]
    #: by those literals: the operation, and its labels with where they are
    routes: dict[tuple[str, ...], tuple[str, tuple[tuple[str, int], ...]]]


#: where no route has a path's number of segments
_NONE = _Segments(lambda segments: (), {})


@lru_cache(maxsize=1)
def _segments_by_method() -> dict[tuple[str, int], _Segments | None]:
    """By method and number of segments; ``None`` where the routes do not
    fit (their templates are left to the one-pattern match)."""
    grouped: dict[tuple[str, int], list[tuple[Route, list[str]]]] = {}
    model = service_model()
    for method, routes in _routes_by_method().items():
        for route in routes:
            uri = model.operation_model(route.operation).http["requestUri"]
            segments = uri.split("?", 1)[0].split("/")
            grouped.setdefault((method, len(segments)), []).append((route, segments))
    return {key: _segments_of(routes) for key, routes in grouped.items()}


def _segments_of(routes: list[tuple[Route, list[str]]]) -> _Segments | None:
    def is_label(segment: str) -> bool:
        return _LABEL.fullmatch(segment) is not None and not segment.endswith("+}")

    shapes = set()
    for _, segments in routes:
        if any("{" in s and not is_label(s) for s in segments):
            return None  # a greedy label, or text and a label in one segment
        shapes.add(tuple(is_label(s) for s in segments))
    if len(shapes) != 1:
        return None
    (shape,) = shapes
    literal_at = tuple(i for i, label in enumerate(shape) if not label)
    label_at = tuple(i for i, label in enumerate(shape) if label)
    literals: Callable[[list[str]], tuple[str, ...]]
    if len(literal_at) == 1:
        (only,) = literal_at
        literals = lambda segments: (segments[only],)  # noqa: E731
    else:
        literals = itemgetter(*literal_at)
    return _Segments(
        literals,
        {
            tuple(segments[i] for i in literal_at): (
                route.operation,
                tuple(zip(route.labels, label_at, strict=True)),
            )
            for route, segments in routes
        },
    )


#: Every cognito-sync requestUri starts here. Whatever precedes it in a
#: URL's path is the path of the client's ``endpoint_url`` (a gateway or a
#: proxy).
URI_ROOT = "/identitypools"


def operation_path(path: str) -> str:
    """``path`` without the endpoint's own path in front of the requestUri."""
    if path.startswith(URI_ROOT):
        return path
    root = path.find(URI_ROOT)
    return path if root < 0 else path[root:]


def match_route(method: str, path: str) -> tuple[str, dict[str, str]] | None:
    """``(operation, {label: decoded value})`` or ``None`` when nothing matches.

    Not cached here: its one caller caches whole request lines.
    """
    method = method.upper()
    if not path.endswith("/"):
        # Without the trailing slash every template allows, the number of
        # segments is the template's.
        segments = path.split("/")
        by_segments = _segments_by_method().get((method, len(segments)), _NONE)
        if by_segments is not None:
            # Unpacked: see ``_named_tuples``.
            literals, routes = by_segments
            found = routes.get(literals(segments))
            if found is None:
                return None
            operation, labels_at = found
            # A loop rather than a comprehension over a zip: a function
            # built and called, and a zip parsing its keyword, less (a
            # fifth of routing a new path).
            labels = {}
            for label, at in labels_at:
                labels[label] = _decoded_label(segments[at])
            return operation, labels
    return _match_one_pattern(method, path)


def _match_one_pattern(method: str, path: str) -> tuple[str, dict[str, str]] | None:
    alternatives = _alternatives_by_method().get(method)
    found = alternatives.pattern.fullmatch(path) if alternatives else None
    if found is None:
        return None
    assert found.lastgroup is not None  # the route's group closes last
    route, groups = alternatives.routes[found.lastgroup]  # type: ignore[union-attr]
    values = {
        label: _decoded_label(found.group(group))
        for label, group in zip(route.labels, groups, strict=True)
    }
    return route.operation, values


def _decoded_label(raw: str) -> str:
    # The one escape of the labels clients send, the colon of every pool
    # and identity id, decoded by replacing it: a twentieth of ``unquote``.
    # (Every "%" of a label left without one after this began a "%3A".)
    plain = raw.replace("%3A", ":")
    if "%" not in plain:
        return plain
    # Bytes that are not UTF-8 kept as surrogates, for the string validation
    # to refuse by name, not turned into U+FFFD.
    return unquote(raw, errors="surrogateescape")
