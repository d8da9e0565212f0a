from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from litestar.connection import ASGIConnection
from sqlalchemy.ext.asyncio import AsyncSession

ALCHEMY_STATE_KEY = "alchemy_config"


def request_session(connection: ASGIConnection) -> AsyncSession:
    """The request's database session: the same one the ``db_session`` dependency provides."""
    config: SQLAlchemyAsyncConfig = connection.app.state[ALCHEMY_STATE_KEY]
    return config.provide_session(connection.app.state, connection.scope)
