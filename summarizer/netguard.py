"""Which addresses a fetch of a user-supplied URL may connect to (SSRF protection for the service).

A server that fetches URLs its users send must not become their way into
its own network: loopback, private, link-local (cloud metadata at
169.254.169.254), carrier-grade NAT, multicast and reserved ranges are
refused, for IPv4 and IPv6 (IPv4-mapped addresses included). The check is
made on the address a connection actually goes to, at connect time, for
every connection of the fetch (redirects included), and the connection is
made to the checked address, so a name that resolves to a public address
for the check and to a private one for the connection (DNS rebinding) gains
nothing. Proxies from the environment are not used by guarded fetches.

The command line does not guard its fetches: a user fetching an intranet
page on purpose is not an attack.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import urllib.request
from collections.abc import Callable
from typing import Any

_DEFAULT_TIMEOUT: object = getattr(socket, "_GLOBAL_DEFAULT_TIMEOUT")  # noqa: B009 - private in typeshed
"""What http.client passes when no timeout was set."""

Allow = Callable[[str, int], bool]
"""``allow(ip, port)``: whether a connection to this address may be made."""


def is_public(ip: str) -> bool:
    """Whether ``ip`` is a globally routable unicast address."""
    address = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def public_only(ip: str, port: int) -> bool:
    return is_public(ip)


class RefusedAddress(OSError):
    """A guarded fetch tried to reach an address it may not."""


def _guarded_connect(allow: Allow) -> Callable[..., socket.socket]:
    def create_connection(
        address: tuple[str, int], timeout: Any = _DEFAULT_TIMEOUT, source_address: Any = None
    ) -> socket.socket:
        host, port = address
        last: OSError | None = None
        for family, kind, proto, _, sockaddr in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
            ip = str(sockaddr[0])
            if not allow(ip, port):
                last = RefusedAddress(f"refusing to connect to {host} ({ip}): not a public address")
                continue
            sock = socket.socket(family, kind, proto)
            try:
                if timeout is not _DEFAULT_TIMEOUT:
                    sock.settimeout(timeout)
                if source_address:
                    sock.bind(source_address)
                sock.connect(sockaddr)  # the checked address itself, not the name again
                return sock
            except OSError as exc:
                sock.close()
                last = exc
        raise last or OSError(f"cannot resolve {host}")

    return create_connection


def opener(allow: Allow = public_only) -> urllib.request.OpenerDirector:
    """A urllib opener whose every connection (redirects included) is checked by ``allow``."""
    connect = _guarded_connect(allow)

    class GuardedHTTP(http.client.HTTPConnection):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._create_connection = connect

    class GuardedHTTPS(http.client.HTTPSConnection):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._create_connection = connect

    class HTTPHandler(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(GuardedHTTP, req)

    class HTTPSHandler(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(GuardedHTTPS, req, context=ssl.create_default_context())

    return urllib.request.build_opener(urllib.request.ProxyHandler({}), HTTPHandler(), HTTPSHandler())
