from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from incubator.auth.services import TokenService, UserService
from incubator.config import Settings


async def provide_user_service(
    db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings]
) -> UserService:
    return UserService(db_session, demo_mode=settings.demo_mode)


async def provide_token_service(
    db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings]
) -> TokenService:
    return TokenService(
        db_session,
        demo_mode=settings.demo_mode,
        lock_after=settings.login_failures_before_lock,
        lock_minutes=settings.login_lock_minutes,
    )
