import datetime
import hashlib
import secrets
from collections.abc import Sequence
from uuid import UUID

import sqlalchemy as sa
from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.mixins.uuid import uuid7
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService
from msgspec import UNSET
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from incubator.audit.trail import bind_actor, record
from incubator.auth.models import AuthToken, LoginThrottle, Membership, ParkRole, TokenKind, User
from incubator.auth.passwords import check_password_policy, hash_password, verify_password
from incubator.auth.schemas import CurrentUser, MembershipCreate, PortalAccountCreate, UserCreate, UserUpdate
from incubator.config import DEMO_PASSWORD
from incubator.db.portable import upsert
from incubator.db.tenancy import ALL_PARKS
from incubator.errors import Conflict, DomainError, InvalidInput, NotFound, TooManyAttempts
from incubator.i18n import _, local_time
from incubator.incubatees.models import Incubatee
from incubator.parks.models import Park


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class UserService(SQLAlchemyAsyncRepositoryService[User]):
    """Accounts: city roles and park memberships. Admin work; crosses parks by nature."""

    class Repo(SQLAlchemyAsyncRepository[User]):
        model_type = User

    repository_type = Repo

    def __init__(self, session: AsyncSession, *, demo_mode: bool = False) -> None:
        super().__init__(
            session,
            statement=sa.select(User).options(selectinload(User.memberships)).execution_options(**ALL_PARKS),
            load=[selectinload(User.memberships)],
            execution_options=ALL_PARKS,
        )
        self.demo_mode = demo_mode

    async def get_user(self, user_id: UUID) -> User:
        user = await self.get_one_or_none(id=user_id)
        if user is None:
            raise NotFound(_("No such account."), field="user_id")
        return user

    async def list_users(self, q: str, *, limit: int, offset: int) -> tuple[Sequence[User], int]:
        conditions = []
        if q.strip():
            pattern = f"%{q.strip()}%"
            conditions.append(sa.or_(User.email.ilike(pattern), User.display_name.ilike(pattern)))
        return await self.get_many_and_count(
            *conditions, LimitOffset(limit=limit, offset=offset), order_by=[(User.email, False)]
        )

    async def create_user(self, data: UserCreate) -> User:
        email = data.email.strip().lower()
        if await self.repository.exists(email=email):
            raise Conflict(_("An account with this e-mail already exists."), field="email")
        check_password_policy(data.password, demo_mode=self.demo_mode)
        user = User(
            email=email,
            display_name=data.display_name.strip(),
            password_hash=await hash_password(data.password),
            city_role=data.city_role,
            memberships=[],
        )
        for index, membership in enumerate(data.memberships):
            user.memberships.append(await self._membership(membership, field=f"memberships[{index}]."))
        self._check_unique_memberships(user.memberships)
        return await self.create(user, auto_refresh=False)

    async def create_portal_account(self, park_id: UUID, incubatee_id: UUID, data: PortalAccountCreate) -> User:
        """A founder's account, tied to their firm: the park gives it, and it reaches that firm only."""
        await self._firm(park_id, incubatee_id, field="incubatee_id", missing=NotFound)
        membership = MembershipCreate(park_id=park_id, role=ParkRole.FOUNDER, incubatee_id=incubatee_id)
        return await self.create_user(
            UserCreate(
                email=data.email, display_name=data.display_name, password=data.password, memberships=[membership]
            )
        )

    async def portal_accounts(self, park_id: UUID, incubatee_id: UUID) -> Sequence[User]:
        await self._firm(park_id, incubatee_id, field="incubatee_id", missing=NotFound)
        rows = await self.repository.session.scalars(
            sa.select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.park_id == park_id, Membership.incubatee_id == incubatee_id)
            .order_by(User.email)
            .execution_options(**ALL_PARKS)
        )
        return rows.all()

    async def update_user(self, user_id: UUID, data: UserUpdate) -> User:
        user = await self.get_user(user_id)
        if data.display_name is not UNSET:
            user.display_name = data.display_name.strip()
        if data.password is not UNSET:
            check_password_policy(data.password, demo_mode=self.demo_mode)
            user.password_hash = await hash_password(data.password)
            if await unlock(self.repository.session, user.email):  # the administrator's new password unlocks it
                record(self.repository.session, "login_unlocked", "users", user.id)
        if data.is_active is not UNSET:
            user.is_active = data.is_active
        if data.city_role is not UNSET:
            user.city_role = data.city_role
        if data.password is not UNSET or data.is_active is False:
            await TokenService(self.repository.session).revoke_all(user.id)
        return await self.update(user)

    async def add_membership(self, user_id: UUID, data: MembershipCreate) -> Membership:
        user = await self.get_user(user_id)
        membership = await self._membership(data)
        if any(m.park_id == data.park_id and m.role == data.role for m in user.memberships):
            raise Conflict(_("This user already holds this role in this park."), field="role")
        membership.user_id = user.id
        self.repository.session.add(membership)
        await self.repository.session.flush()
        return membership

    async def remove_membership(self, user_id: UUID, membership_id: UUID) -> None:
        user = await self.get_user(user_id)
        membership = next((m for m in user.memberships if m.id == membership_id), None)
        if membership is None:
            raise NotFound(_("No such membership."), field="membership_id")
        await self.repository.session.delete(membership)
        await self.repository.session.flush()

    async def _membership(self, data: MembershipCreate, *, field: str = "") -> Membership:
        """A checked membership: the park exists, and a founder (only a founder) names a firm of that park."""
        if await self.repository.session.get(Park, data.park_id) is None:
            raise InvalidInput(_("No such park."), field=f"{field}park_id")
        if data.role == ParkRole.FOUNDER:
            if data.incubatee_id is None:
                raise InvalidInput(_("A founder's account belongs to one incubatee."), field=f"{field}incubatee_id")
            await self._firm(data.park_id, data.incubatee_id, field=f"{field}incubatee_id")
        elif data.incubatee_id is not None:
            raise InvalidInput(_("Only a founder's account belongs to an incubatee."), field=f"{field}incubatee_id")
        return Membership(park_id=data.park_id, role=data.role, incubatee_id=data.incubatee_id)

    async def _firm(
        self, park_id: UUID, incubatee_id: UUID, *, field: str, missing: type[DomainError] = InvalidInput
    ) -> None:
        found = await self.repository.session.scalar(
            sa.select(Incubatee.id)
            .where(Incubatee.park_id == park_id, Incubatee.id == incubatee_id)
            .execution_options(**ALL_PARKS)
        )
        if found is None:
            raise missing(_("No such incubatee in this park."), field=field)

    @staticmethod
    def _check_unique_memberships(memberships: list[Membership]) -> None:
        seen: set[tuple[UUID, ParkRole]] = set()
        for index, membership in enumerate(memberships):
            key = (membership.park_id, membership.role)
            if key in seen:
                raise InvalidInput(_("The same role is given twice in one park."), field=f"memberships[{index}]")
            seen.add(key)


def throttle_key(email: str) -> str:
    """An address as logins look it up (trimmed, lower case), cut to the column's 254 characters: lower-casing
    may lengthen it (İ → i̇)."""
    return email.strip().lower()[:254]


async def locks_of(session: AsyncSession, emails: Sequence[str]) -> dict[str, datetime.datetime]:
    """E-mail → until when it is locked, of those of ``emails`` locked now."""
    keys = {throttle_key(email): email for email in emails}
    rows = await session.execute(
        sa.select(LoginThrottle.email, LoginThrottle.locked_until).where(
            LoginThrottle.email.in_(keys), LoginThrottle.locked_until > _now()
        )
    )
    return {keys[key]: until for key, until in rows if until is not None}


async def unlock(session: AsyncSession, email: str, *, only_unlocked: bool = False) -> bool:
    """Clear the address's count (and its lock, unless ``only_unlocked``); whether there was one."""
    cleared = sa.delete(LoginThrottle).where(LoginThrottle.email == throttle_key(email))
    if only_unlocked:
        cleared = cleared.where(sa.or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until <= _now()))
    return bool((await session.execute(cleared)).rowcount)  # type: ignore[attr-defined]


class TokenService:
    """Logins: API bearer tokens and page sessions, stored hashed, expiring, revocable."""

    def __init__(
        self, session: AsyncSession, *, demo_mode: bool = False, lock_after: int = 5, lock_minutes: int = 15
    ) -> None:
        self.session = session
        self.demo_mode = demo_mode
        self.lock_after = lock_after
        self.lock_minutes = lock_minutes

    async def authenticate(self, email: str, password: str) -> User | None:
        """The account, if the password is its own and it may log in. Each attempt at an address is counted
        before the password is looked at (committed, though a refused login's request is rolled back), so
        that attempts made at once count one by one: ``lock_after`` refused attempts in a row lock the address
        for ``lock_minutes`` (429, even for the right password), whether an account has it or not."""
        address, key = email.strip().lower(), throttle_key(email)
        attempts, locked_until = await self._count_attempt(key)
        if locked_until is None and attempts > self.lock_after:  # more at once than the limit: this one is over
            locked_until = await self._lock(key, None)
        if locked_until is not None:
            raise TooManyAttempts(
                _("Too many wrong passwords: this account is locked until %(time)s.", time=local_time(locked_until)),
                field="password",
                retry_after=int((locked_until - _now()).total_seconds()) + 1,
            )
        user = await self.session.scalar(sa.select(User).where(User.email == address))
        right = await verify_password(user.password_hash if user else None, password)
        if user is not None and right and user.is_active and (password != DEMO_PASSWORD or self.demo_mode):
            await unlock(self.session, key, only_unlocked=True)  # a lock set meanwhile by others stays
            return user
        if user is not None:
            record(self.session, "login_refused", "users", user.id, changes={"attempt": attempts})
        if attempts >= self.lock_after:
            await self._lock(key, user)
        await self.session.commit()
        return None

    async def _count_attempt(self, address: str) -> tuple[int, datetime.datetime | None]:
        """This attempt counted: (attempts in a row, the lock if one holds now). While a lock holds, attempts
        are not counted (they are refused unread); the first after it counts from 1 again."""
        now = _now()
        row = LoginThrottle
        lock_over = sa.and_(row.locked_until.is_not(None), row.locked_until <= now)
        counted = (
            upsert(self.session, row)
            .values(id=uuid7(), email=address, attempts=1, updated_at=now)
            .on_conflict_do_update(
                index_elements=[row.email],
                set_={
                    "attempts": sa.case((row.locked_until > now, row.attempts), (lock_over, 1), else_=row.attempts + 1),
                    "locked_until": sa.case((lock_over, None), else_=row.locked_until),
                    "updated_at": now,
                },
            )
            .returning(row.attempts, row.locked_until)
        )
        attempts, locked_until = (await self.session.execute(counted)).one()
        await self.session.commit()
        await self._clear_untried(now)
        return attempts, locked_until

    async def _clear_untried(self, now: datetime.datetime) -> None:
        """Rows of addresses not tried for a day and not locked, a hundred at a time, skipping rows another
        request holds (two requests clearing each other's rows would wait on each other)."""
        stale = (
            sa.select(LoginThrottle.id)
            .where(
                LoginThrottle.updated_at < now - datetime.timedelta(days=1),
                sa.or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until < now),
            )
            .limit(100)
            .with_for_update(skip_locked=True)
        )
        await self.session.execute(sa.delete(LoginThrottle).where(LoginThrottle.id.in_(stale.scalar_subquery())))
        await self.session.commit()

    async def _lock(self, address: str, user: User | None) -> datetime.datetime:
        """Lock the address from now, the count cleared; the account's audit trail says so."""
        until = _now() + datetime.timedelta(minutes=self.lock_minutes)
        await self.session.execute(
            sa.update(LoginThrottle).where(LoginThrottle.email == address).values(attempts=0, locked_until=until)
        )
        if user is not None:
            record(self.session, "login_locked", "users", user.id, changes={"locked_until": until.isoformat()})
        await self.session.commit()
        return until

    async def issue(self, user: User, kind: TokenKind, max_age_seconds: int) -> tuple[str, AuthToken]:
        bind_actor(self.session, user.id, user.email)
        secret = secrets.token_urlsafe(32)
        token = AuthToken(
            user_id=user.id,
            kind=kind,
            token_hash=_digest(secret),
            expires_at=_now() + datetime.timedelta(seconds=max_age_seconds),
        )
        self.session.add(token)
        await self.session.flush()
        return secret, token

    async def resolve(self, secret: str, kind: TokenKind) -> CurrentUser | None:
        row = (
            await self.session.execute(
                sa.select(AuthToken.id, User)
                .join(User, User.id == AuthToken.user_id)
                .where(
                    AuthToken.token_hash == _digest(secret),
                    AuthToken.kind == kind,
                    AuthToken.revoked_at.is_(None),
                    AuthToken.expires_at > _now(),
                    User.is_active.is_(True),
                )
            )
        ).one_or_none()
        if row is None:
            return None
        token_id, user = row
        memberships = await self.session.execute(
            sa.select(Membership.park_id, Membership.role, Membership.incubatee_id)
            .where(Membership.user_id == user.id)
            .execution_options(**ALL_PARKS)
        )
        park_roles: dict[UUID, set[str]] = {}
        founder_of: dict[UUID, UUID] = {}
        for park_id, role, incubatee_id in memberships:
            park_roles.setdefault(park_id, set()).add(role.value)
            if incubatee_id is not None:
                founder_of[park_id] = incubatee_id
        return CurrentUser(
            id=user.id,
            email=user.email,
            display_name=user.display_name,
            city_role=user.city_role,
            park_roles={park_id: frozenset(roles) for park_id, roles in park_roles.items()},
            token_id=token_id,
            founder_of=founder_of,
        )

    async def revoke_all(self, user_id: UUID) -> None:
        """End every login of a user: after a new password, or when the account is disabled."""
        tokens = await self.session.scalars(
            sa.select(AuthToken).where(AuthToken.user_id == user_id, AuthToken.revoked_at.is_(None))
        )
        for token in tokens:
            token.revoked_at = _now()
        await self.session.flush()

    async def revoke(self, token_id: UUID) -> None:
        token = await self.session.get(AuthToken, token_id)
        if token is not None and token.revoked_at is None:
            token.revoked_at = _now()
            await self.session.flush()
