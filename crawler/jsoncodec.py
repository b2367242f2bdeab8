"""JSON for what crosses Redis between processes: requests to the frontier, items to the writer.

scrapy-redis pickles requests, so anyone who can write to Redis runs code on every worker.
Here everything is JSON: bytes are base64, and objects are rebuilt only from an allow-list of
plain data classes (:data:`TYPES`) and of functions a page method may name (:data:`FUNCTIONS`);
an unknown type name is an error, never an import.

>>> from spiders.links import ListEntry
>>> loads(dumps({"entry": ListEntry("http://x.gov.cn/a.html", "2019年报告", None), "body": b"\\xb9\\xab"}))
{'entry': ListEntry(url='http://x.gov.cn/a.html', title='2019年报告', date=None, group=''), 'body': b'\\xb9\\xab'}
"""

from __future__ import annotations

import base64
import dataclasses
import importlib
import json
from collections.abc import Callable
from typing import Any

# Data classes that travel in request meta (list-endpoint calls, an article's first page waiting
# for its later pages) and in items (the article, the attachment's text). Module, class name.
TYPES = (
    ("pipelines.items", "PageItem"),
    ("pipelines.extract", "Article"),
    ("pipelines.extract", "Link"),
    ("pipelines.classify", "Classification"),
    ("pipelines.attachments", "AttachmentText"),
    ("spiders.adapters", "AdapterCall"),
    ("spiders.links", "ListEntry"),
)
# Functions a scrapy-playwright PageMethod may call (spiders/browser.py's own page scripts).
FUNCTIONS = (
    ("spiders.browser", "pass_challenge"),
    ("spiders.browser", "settle"),
)


class CodecError(ValueError):
    """Data that is not ours to rebuild (an unknown type or function name, a malformed value)."""


def _load(pairs: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    return {f"{module}.{name}": getattr(importlib.import_module(module), name) for module, name in pairs}


_types: dict[str, type] = {}
_functions: dict[str, Callable[..., Any]] = {}


def _registry() -> tuple[dict[str, type], dict[str, Callable[..., Any]]]:
    if not _types:  # imported lazily: the extraction modules are heavy and import this one's users
        _types.update(_load(TYPES))
        _functions.update(_load(FUNCTIONS))
    return _types, _functions


def _name(obj: Any) -> str:
    return f"{type(obj).__module__}.{type(obj).__qualname__}"


def encode(value: Any) -> Any:
    """``value`` as JSON-ready data; raises :class:`CodecError` for what cannot travel."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (bytes, bytearray)):
        return {"$b": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, tuple):  # (url, text) pairs of an article's later pages stay pairs
        return {"$tu": [encode(v) for v in value]}
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("$") for k in value):
            return {k: encode(v) for k, v in value.items()}
        return {"$d": [[encode(k), encode(v)] for k, v in value.items()]}
    types, functions = _registry()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = _name(value)
        if name not in types:
            raise CodecError(f"{name} is not in crawler.jsoncodec.TYPES")
        return {"$t": name, "f": {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    from scrapy_playwright.page import PageMethod

    if isinstance(value, PageMethod):
        method = value.method
        if callable(method):
            name = f"{method.__module__}.{method.__qualname__}"
            if functions.get(name) is not method:
                raise CodecError(f"page method {name} is not in crawler.jsoncodec.FUNCTIONS")
            method = {"$fn": name}
        return {"$pm": [method, encode(list(value.args)), encode(value.kwargs)]}
    raise CodecError(f"cannot send a {_name(value)} through Redis")


def decode(value: Any) -> Any:
    """The inverse of :func:`encode`."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "$b" in value:
        return base64.b64decode(value["$b"])
    if "$tu" in value:
        return tuple(decode(v) for v in value["$tu"])
    if "$d" in value:
        return {decode(k): decode(v) for k, v in value["$d"]}
    types, functions = _registry()
    if "$t" in value:
        cls = types.get(value["$t"])
        if cls is None:
            raise CodecError(f"unknown type {value['$t']!r}")
        names = {f.name for f in dataclasses.fields(cls) if f.init}
        return cls(**{k: decode(v) for k, v in value["f"].items() if k in names})
    if "$pm" in value:
        from scrapy_playwright.page import PageMethod

        method, args, kwargs = value["$pm"]
        if isinstance(method, dict):
            if method.get("$fn") not in functions:
                raise CodecError(f"unknown page function {method.get('$fn')!r}")
            method = functions[method["$fn"]]
        return PageMethod(method, *decode(args), **decode(kwargs))
    return {k: decode(v) for k, v in value.items()}


def dumps(value: Any) -> str:
    """``value`` as a JSON string (see :func:`encode`)."""
    return json.dumps(encode(value), ensure_ascii=False, separators=(",", ":"))


def loads(text: str | bytes) -> Any:
    """A value written by :func:`dumps`; :class:`CodecError` for anything else."""
    try:
        return decode(json.loads(text))
    except (ValueError, TypeError, KeyError) as error:
        if isinstance(error, CodecError):
            raise
        raise CodecError(f"not a gongkai JSON value: {error}") from error
