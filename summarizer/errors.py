"""The project's exceptions: one base class, subclasses that carry context.

Every failure a user can meet surfaces as a ``SummarizerError``. The CLI maps
the classes to exit codes in one place (``cli_common.fail``), and the service
to HTTP statuses in one place (``service.problems``), so call sites never pick
either themselves.

    SummarizerError                      exit 1
    ├── ConfigError                      exit 2  missing key, bad setting,
    │   └── ProviderConfigError          exit 2  401/403/404 from the provider
    ├── InputError                       exit 3  unreadable / unusable article
    │   └── InputTooLarge                exit 3  over the size limit (HTTP 413)
    ├── ProviderError                    exit 4  the call failed after retries
    │   ├── BadRequestError              exit 4  400/422: never retried
    │   ├── TransportError               exit 4  429/5xx/timeout/connection,
    │   │                                        after the retry budget
    │   └── DeadlineExceeded             exit 4  per-article deadline reached
    ├── OutputInvalidError               exit 5  model output still invalid
    │                                            (e.g. ungrounded quotes)
    │                                            after the re-ask budget
    ├── RunAborted                       exit 1  a batch run stopped before
    │                                            this request was sent
    ├── StoreError                       exit 1  the SQLite store failed (locked
    │                                            too long, disk full, I/O error)
    └── RequestRefused                   exit 2  the service refuses a request
                                                 (``status``: 401, 403, 404, 503)
"""

from __future__ import annotations

from summarizer.attempts import AttemptLog


class SummarizerError(Exception):
    """Base of every error this project raises on purpose.

    ``attempts`` is what the model layer had spent for the article when the
    error was raised (nothing, for errors outside it), so every failure can
    be accounted for.
    """

    exit_code = 1

    def __init__(
        self, message: str, *, source: str | None = None, attempts: AttemptLog | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.attempts = attempts or AttemptLog()

    def __str__(self) -> str:
        if self.source:
            return f"{self.source}: {self.message}"
        return self.message


class ConfigError(SummarizerError):
    """The configuration cannot work (no key, unknown mode, bad URL …)."""

    exit_code = 2


class ProviderConfigError(ConfigError):
    """The provider refused the configuration: bad key, no access, unknown model."""

    def __init__(
        self, message: str, *, status: int, source: str | None = None, attempts: AttemptLog | None = None
    ) -> None:
        super().__init__(message, source=source, attempts=attempts)
        self.status = status


class InputError(SummarizerError):
    """The input cannot be summarized: missing, empty, binary, undecodable, too large."""

    exit_code = 3


class InputTooLarge(InputError):
    """The input is larger than the configured limit (``--max-bytes``)."""


class ProviderError(SummarizerError):
    """The model endpoint could not give an answer."""

    exit_code = 4

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        attempts: AttemptLog | None = None,
        source: str | None = None,
    ) -> None:
        super().__init__(message, source=source, attempts=attempts)
        self.status = status


class BadRequestError(ProviderError):
    """The endpoint rejected the request as malformed (400/422); retrying cannot help."""


class TransportError(ProviderError):
    """Rate limits, server errors, timeouts or connection failures outlasted the retries."""


class DeadlineExceeded(ProviderError):
    """The per-article deadline passed before an answer arrived."""


class OutputInvalidError(SummarizerError):
    """The model kept returning output that fails validation (e.g. invented quotes)."""

    exit_code = 5


class RunAborted(SummarizerError):
    """A batch run was aborted (e.g. by a 401) while this article's next request waited to be sent.

    ``attempts`` holds what the article had already spent (an answer before a
    refused re-ask or retry); usually nothing.
    """


class StoreError(SummarizerError):
    """The store failed at run time: locked by another process too long, disk full, I/O error."""


class RequestRefused(SummarizerError):
    """The service will not do what a request asks: no token, a folder outside the allowed roots,
    an unknown job, a full queue. ``status`` is the HTTP status it answers with."""

    exit_code = 2

    def __init__(self, message: str, *, status: int, source: str | None = None) -> None:
        super().__init__(message, source=source)
        self.status = status
