"""Fake government websites on 127.0.0.1 for testing the crawler against realistic pages."""

from demo.large_site import large_column_site
from demo.server import ExpectedDoc, Resource, Site, SiteServer, serve_many
from demo.sites import big5_site, demo_sites, encoding_traps_site, failures_site, generic_site, hanweb_site, trs_site

__all__ = [
    "ExpectedDoc",
    "Resource",
    "Site",
    "SiteServer",
    "big5_site",
    "demo_sites",
    "encoding_traps_site",
    "failures_site",
    "generic_site",
    "hanweb_site",
    "large_column_site",
    "serve_many",
    "trs_site",
]
