from collections.abc import Callable

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from litestar.connection import ASGIConnection
from sqlalchemy.ext.asyncio import AsyncSession

ALCHEMY_STATE_KEY = "alchemy_config"


def request_session(connection: ASGIConnection) -> AsyncSession:
    """The request's database session: the same one the ``db_session`` dependency provides."""
    config: SQLAlchemyAsyncConfig = connection.app.state[ALCHEMY_STATE_KEY]
    return config.provide_session(connection.app.state, connection.scope)


def session_maker(connection: ASGIConnection) -> Callable[[], AsyncSession]:
    """New sessions of their own, for work that outlives the request's session: a streamed response's body
    is sent after the request's session has been committed and closed (as the response starts)."""
    config: SQLAlchemyAsyncConfig = connection.app.state[ALCHEMY_STATE_KEY]
    return connection.app.state[config.session_maker_app_state_key]
