"""gongkai's Datasette plugin and its chart builders (archive layer: browsing the archive, never writing it)."""
