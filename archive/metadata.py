"""``archive/metadata.yaml`` read once: the Datasette metadata and the canned queries that
``gongkai stats``, the charts and the Datasette plugin all run (archive layer, no Datasette import).

Its own module so that ``archive/datasette.py`` (which registers the plugin) and the plugin
(which runs the canned queries) both import it instead of each other.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

METADATA_FILE = Path(__file__).with_name("metadata.yaml")
TEMPLATE_DATABASE = "archive"  # the key metadata.yaml files the database section under


@lru_cache(maxsize=1)
def metadata_template() -> dict[str, Any]:
    """``archive/metadata.yaml`` as a dict (read once)."""
    return yaml.safe_load(METADATA_FILE.read_text(encoding="utf-8"))


def canned_query_sql(name: str) -> str:
    """The SQL of a canned query in ``metadata.yaml`` (``gongkai stats`` and the charts run these too)."""
    return metadata_template()["databases"][TEMPLATE_DATABASE]["queries"][name]["sql"]
