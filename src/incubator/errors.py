"""Errors the services raise; the web layer turns them into problem details or form messages."""

from typing import Any


class DomainError(Exception):
    """A request that the rules refuse. ``field`` names the offending input, when there is one."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    @property
    def headers(self) -> dict[str, str]:
        return {}


class InvalidInput(DomainError):
    status_code = 422


class Conflict(DomainError):
    status_code = 409


class NotFound(DomainError):
    status_code = 404


class Forbidden(DomainError):
    status_code = 403


class TooLarge(DomainError):
    status_code = 413


class TooManyAttempts(DomainError):
    status_code = 429

    def __init__(self, message: str, *, field: str | None = None, retry_after: int) -> None:
        super().__init__(message, field=field)
        self.retry_after = retry_after

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class RowsRefused(InvalidInput):
    """A file refused whole: ``problems`` says what is wrong in it, each as ``{row, column, message}``."""

    def __init__(self, message: str, problems: list[dict[str, Any]]) -> None:
        super().__init__(message, field="file")
        self.problems = problems
