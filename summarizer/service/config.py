"""What one ``summarizer serve`` process is allowed to do, checked before it starts.

Binding beyond loopback needs a bearer token (``SUMMARIZER_SERVICE_TOKEN``):
the service would otherwise let anyone who can reach the port spend the
operator's model budget and read the store. Server-side folders are readable
only under the roots the operator allows (``--allow-root``), and user-supplied
URLs are fetched only with ``--allow-urls``, then only from public addresses
(``summarizer.netguard``).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from pathlib import Path

from summarizer.errors import ConfigError
from summarizer.settings import Settings

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name: it may resolve to anything


@dataclass(frozen=True)
class ServiceConfig:
    settings: Settings
    db: Path
    host: str = "127.0.0.1"
    port: int = 8000
    allowed_roots: tuple[Path, ...] = ()
    """Folders whose contents batch jobs may read (resolved, symlinks followed)."""
    allow_urls: bool = False
    """Fetch URLs that requests name (public addresses only)."""
    files: Path | None = None
    """Where uploaded batch files and job outputs are kept; default: beside the store."""
    max_upload_bytes: int = 200_000_000
    """Largest batch upload (all files together); each file is also held to ``settings.max_bytes``."""
    max_files: int = 10_000
    """Most files in one batch upload."""
    queue_size: int = 16
    """Batch jobs waiting to run; beyond it a new job is refused with 503."""
    concurrency: int = 8
    """Model requests in flight, for the whole service (every job is capped at this too)."""
    rpm: int | None = None
    tpm: int | None = None
    roots: tuple[Path, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "roots", tuple(p.expanduser().resolve() for p in self.allowed_roots))

    @property
    def files_dir(self) -> Path:
        return self.files or self.db.with_name(self.db.stem + "-files")

    def check(self) -> None:
        """Refuse a configuration that would expose the service (see the module docstring)."""
        if not is_loopback(self.host) and self.settings.service_token is None:
            raise ConfigError(
                f"refusing to listen on {self.host} without a token: set SUMMARIZER_SERVICE_TOKEN "
                "(clients send 'Authorization: Bearer <token>'), or bind to 127.0.0.1"
            )
        token = self.settings.service_token
        if token is not None and len(token.get_secret_value()) < 16:
            raise ConfigError("SUMMARIZER_SERVICE_TOKEN must be at least 16 characters")
        for root, given in zip(self.roots, self.allowed_roots, strict=True):
            if not root.is_dir():
                raise ConfigError(f"--allow-root {given}: not a folder")
