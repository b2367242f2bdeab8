"""Which network addresses a crawl may connect to (pure; used by the downloader and the browser).

A government page can link, redirect or script-load anything: ``http://10.0.0.5/oa/`` (an
intranet OA system left in a template), ``http://169.254.169.254/`` (a cloud's metadata
service), ``http://127.0.0.1:6379/``. A crawler running inside a data centre must not be
turned into a probe of its own network, so requests to loopback, private, link-local,
multicast, reserved and other non-global addresses are refused, except to the hosts of the
start URLs (an archivist may crawl an intranet portal on purpose) or when ``--allow-private``
(``GONGKAI_ALLOW_PRIVATE``) says so. The address checked is the one the host resolves to, not
the URL's spelling: ``http://intranet.example/`` naming 10.1.2.3 is refused like ``http://10.1.2.3/``.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Any

# ipaddress's properties, most specific first: the first that holds names the refusal.
ADDRESS_KINDS: tuple[tuple[str, str], ...] = (
    ("is_unspecified", "unspecified"),
    ("is_loopback", "loopback"),
    ("is_link_local", "link-local"),
    ("is_multicast", "multicast"),
    ("is_private", "private"),
    ("is_reserved", "reserved"),
)


def address_kind(address: str) -> str | None:
    """Why ``address`` is no place for a crawler to go, or None for a public address.

    >>> address_kind("10.1.2.3"), address_kind("169.254.169.254"), address_kind("::ffff:127.0.0.2")
    ('private', 'link-local', 'loopback')
    >>> address_kind("202.108.22.5") is None, address_kind("100.64.0.1")
    (True, 'non-global')
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "unparsable"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:10.0.0.1 reaches 10.0.0.1
    for attribute, kind in ADDRESS_KINDS:
        if getattr(ip, attribute):
            return kind
    return None if ip.is_global else "non-global"  # 100.64/10 carrier NAT, 192.0.0/24 …


def is_ip_literal(host: str) -> bool:
    """Whether ``host`` (a URL's hostname) is an address, needing no name resolution."""
    try:
        ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class AddressPolicy:
    """The crawl's rule: ``allowed_hosts`` (the start URLs' hosts) go anywhere, others only public.

    >>> policy = AddressPolicy(frozenset({"127.0.0.1"}))
    >>> policy.refusal("127.0.0.1", ["127.0.0.1"]) is None
    True
    >>> policy.refusal("intranet.example", ["10.1.2.3"])
    'refused: private address 10.1.2.3 (intranet.example)'
    """

    allowed_hosts: frozenset[str] = field(default_factory=frozenset)
    allow_private: bool = False

    def exempt(self, host: str | None) -> bool:
        """True when ``host`` needs no check at all (a start URL's host, or the rule is off)."""
        return self.allow_private or (host or "").lower() in self.allowed_hosts

    def refusal(self, host: str, addresses: list[str]) -> str | None:
        """The recorded reason for refusing ``host`` resolving to ``addresses``, or None to go.

        Every address must be public: a name answering one public and one private address
        could be connected through either.
        """
        if self.exempt(host):
            return None
        for address in addresses:
            kind = address_kind(address)
            if kind is not None:
                return f"refused: {kind} address {address}" + ("" if host == address else f" ({host})")
        return None


def start_hosts(spider: Any) -> set[str]:
    """The hosts the user named: ``spider.start_hosts`` where a spider keeps them apart from the
    hosts it may visit (discovery walks sibling portals too, but only its homepages were named),
    else ``spider.allowed_hosts`` (the column spider's start URLs' hosts)."""
    hosts = getattr(spider, "start_hosts", None) or getattr(spider, "allowed_hosts", None) or ()
    return {h.lower() for h in hosts if h}


def crawl_policy(spider: Any, settings: Any) -> AddressPolicy:
    """The crawl's policy: the :func:`start_hosts` of ``spider``, and ``GONGKAI_ALLOW_PRIVATE``
    from ``settings`` (Scrapy settings, or anything with ``getbool``)."""
    return AddressPolicy(frozenset(start_hosts(spider)), settings.getbool("GONGKAI_ALLOW_PRIVATE"))
