"""Running the async core from synchronous code.

The library has one code path, async: the CLI, batch runs and the service
share it. A synchronous caller (``Summarizer.summarize``, the Python API's
``summarizer.summarize``) hands its coroutine to a ``Portal``, which runs it
on an event loop of its own, in a thread of its own. So it works whether or
not the caller's thread already runs a loop (a notebook, a sync web handler),
and what the coroutines create on that loop (the SDK's connection pool) is
reused from one call to the next.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class Portal:
    """One private event loop in a daemon thread, started on first use."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run ``coro`` on the portal's loop and wait for its result (or its exception)."""
        future = asyncio.run_coroutine_threadsafe(coro, self._started())
        try:
            return future.result()
        except BaseException:
            future.cancel()  # Ctrl-C in the caller's thread: stop the work too
            raise

    def close(self) -> None:
        with self._lock:
            loop, thread = self._loop, self._thread
            self._loop = self._thread = None
        if loop is None or thread is None:
            return
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()

    def _started(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                thread = threading.Thread(target=loop.run_forever, name="summarizer-portal", daemon=True)
                thread.start()
                self._loop, self._thread = loop, thread
            return self._loop
