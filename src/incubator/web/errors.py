"""One exception handler for the whole app: RFC 9457 problem details for the API, friendly pages
for people, a redirect to the login page when a page needs a login. No stack trace reaches a client."""

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from advanced_alchemy.exceptions import IntegrityError as RepositoryIntegrityError
from advanced_alchemy.exceptions import NotFoundError as RepositoryNotFound
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.response import Redirect, Template
from litestar.types import ExceptionHandlersMap
from sqlalchemy.exc import IntegrityError

from incubator.auth.middleware import is_api
from incubator.errors import DomainError, RowsRefused, TooLarge
from incubator.i18n import _
from incubator.web.render import shell_context
from incubator.web.validation import explain

log = logging.getLogger("incubator.errors")
PROBLEM_JSON = "application/problem+json"


def _title(status: int) -> str:
    titles = {
        400: _("Bad request"),
        401: _("Login required"),
        403: _("Not allowed"),
        404: _("Not found"),
        405: _("Method not allowed"),
        409: _("Conflict"),
        413: _("Too large"),
        422: _("Invalid input"),
        429: _("Too many requests"),
        503: _("Service unavailable"),
    }
    return titles.get(status, _("Something went wrong"))


def describe(exc: Exception) -> tuple[int, str, list[dict[str, Any]], dict[str, str]]:
    """(status, detail, errors naming fields — or rows and columns of a file —, headers) for any exception."""
    if isinstance(exc, RowsRefused):
        return exc.status_code, exc.message, exc.problems, {}
    if isinstance(exc, DomainError):
        errors = [{"field": exc.field, "message": exc.message}] if exc.field else []
        return exc.status_code, exc.message, errors, exc.headers
    if isinstance(exc, ValidationException):
        errors = []
        for item in exc.extra if isinstance(exc.extra, list) else []:
            field, message = explain(str(item.get("message", "")))
            key = item.get("key")
            errors.append({"field": field or str(key or ""), "message": message})
        if errors:
            return 422, _("Some fields are not valid."), errors, {}
        return 400, _("The request could not be read."), [], {}
    if isinstance(exc, HTTPException):
        detail = exc.detail if exc.detail and exc.detail != _title(exc.status_code) else _title(exc.status_code)
        if exc.status_code == 404 and detail == "Not Found":
            detail = _("The page or record does not exist.")
        if exc.status_code == 405:
            detail = _title(405)
        return exc.status_code, detail, [], dict(exc.headers or {})
    if isinstance(exc, RepositoryNotFound):
        return 404, _("The record does not exist."), [], {}
    if isinstance(exc, IntegrityError | RepositoryIntegrityError):
        return 409, _("The change conflicts with an existing record."), [], {}
    log.exception("unhandled error", exc_info=exc)
    return 500, _("An unexpected error occurred. It has been logged."), [], {}


def handle_exception(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    status, detail, errors, headers = describe(exc)
    if is_api(request.url.path):
        body: dict[str, Any] = {"type": "about:blank", "title": _title(status), "status": status, "detail": detail}
        if errors:
            body["errors"] = errors
        body["instance"] = request.url.path
        return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)
    if status == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return Redirect(f"/login?next={quote(target)}", status_code=303)
    return Template(
        "errors/error.html",
        context={
            **shell_context(request),
            "status": status,
            "title": _title(status),
            "detail": detail,
            "errors": errors,
        },
        status_code=status,
        headers=headers,
        media_type=MediaType.HTML,
    )


def upload_refusals(message: Callable[[], str]) -> ExceptionHandlersMap:
    """Exception handlers for an upload route with ``request_max_body_size``: a body over the limit is
    refused before it is read whole, said as for a file too large (``message``), naming the field ``file``."""

    def refuse(request: Request[Any, Any, Any], _exc: RequestEntityTooLarge) -> Response[Any]:
        return handle_exception(request, TooLarge(message(), field="file"))

    return {RequestEntityTooLarge: refuse}
