from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from incubator.auth.models import TokenKind
from incubator.auth.services import TokenService
from incubator.db.session import request_session
from incubator.i18n import _

SESSION_COOKIE = "incubator_session"


def is_api(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


class AuthMiddleware(AbstractAuthenticationMiddleware):
    """API requests carry a bearer token; pages carry the session cookie. Never the other way round,
    so that a cookie cannot drive the API from another site."""

    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        if is_api(connection.scope["path"]):
            scheme, _sep, secret = connection.headers.get("authorization", "").partition(" ")
            kind = TokenKind.API
            if scheme.lower() != "bearer" or not secret.strip():
                raise NotAuthorizedException(_("A bearer token is required."))
        else:
            secret = connection.cookies.get(SESSION_COOKIE, "")
            kind = TokenKind.SESSION
            if not secret:
                raise NotAuthorizedException(_("Please log in."))
        user = await TokenService(request_session(connection)).resolve(secret.strip(), kind)
        if user is None:
            raise NotAuthorizedException(_("Your login has expired or was revoked. Please log in again."))
        return AuthenticationResult(user=user, auth=user.token_id)
