import datetime
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest
from advanced_alchemy.utils.serialization import encode_json
from argon2 import PasswordHasher
from click.testing import CliRunner
from litestar import Litestar
from litestar.cli.main import litestar_group
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from incubator import clock
from incubator.app import create_app
from incubator.auth.models import AuthToken, CityRole, Membership, ParkRole, TokenKind, User
from incubator.auth.services import TokenService
from incubator.config import Settings
from incubator.db.session import ALCHEMY_STATE_KEY
from incubator.incubatees.models import Founder, Incubatee, IncubateeStatus, IncubateeType, TargetGroup
from incubator.mentors.models import Assignment, Mentor, MentorSession, SessionStatus
from incubator.parks.models import Park, ParkKind, ParkLevel
from incubator.protection import PersonalData, mask_id_number
from incubator.trainings.models import Enrolment, Trainee, Training, TrainingKind
from tests.db import database_url_named, fresh_database, migrate, new_database_name, settings_for

PASSWORD = "correct-horse-battery"
_PASSWORD_HASH = PasswordHasher().hash(PASSWORD)


@pytest.fixture(scope="session")
def template_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database migrated to head once per run; each test gets a copy."""
    with fresh_database(tmp_path_factory.mktemp("db")) as url:
        migrate(url)
        yield url


@pytest.fixture(scope="session")
def database_place(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Where every test's database lives (folder, name): one place, so that one app serves every test."""
    return tmp_path_factory.mktemp("test_db"), new_database_name()


@pytest.fixture(scope="session")
def shared_settings(database_place: tuple[Path, str]) -> Settings:
    return settings_for(database_url_named(database_place[1], database_place[0]))


@pytest.fixture(scope="session")
def shared_app(shared_settings: Settings) -> Litestar:
    """Built once: building the app (parsing ~530 handlers) costs more than most tests."""
    return create_app(shared_settings)


@pytest.fixture
def database_url(template_database: str, database_place: tuple[Path, str]) -> Iterator[str]:
    """The test's own copy of the template, dropped after the test."""
    folder, name = database_place
    with fresh_database(folder, template=template_database, name=name) as url:
        yield url


@pytest.fixture
def settings(database_url: str, shared_settings: Settings) -> Settings:
    assert database_url == shared_settings.database_url, "the shared app serves the test's own database only"
    return shared_settings


@pytest.fixture
async def app(shared_app: Litestar, settings: Settings) -> AsyncIterator[Litestar]:
    """The shared app, as new: nothing a test leaves in it (login attempts counted, the demo day, pooled
    connections to the test's database, which the next test replaces) reaches the next test."""
    clock.set_demo_today(settings.demo_today)
    await shared_app.stores.get("rate_limit").delete_all()
    yield shared_app
    await shared_app.state[ALCHEMY_STATE_KEY].get_engine().dispose()
    clock.set_demo_today(settings.demo_today)


@pytest.fixture
def incubator(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The ``incubator`` command on the test's database, as a user would type it."""
    monkeypatch.setenv("INCUBATOR_DATABASE_URL", database_url)
    monkeypatch.setenv("INCUBATOR_DEMO_MODE", "true")
    runner = CliRunner()

    def run(*args: str, **kwargs: Any) -> Any:
        return runner.invoke(litestar_group, ["--app", "incubator.app:create_app", *args], **kwargs)

    return run


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as test_client:
        yield test_client


@asynccontextmanager
async def concurrent_client(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    """A client whose requests really run at the same time, on the test's event loop: AsyncTestClient
    hands each request to its portal and waits for it, so ``asyncio.gather`` over it runs them one by one."""
    transport = httpx.ASGITransport(app=app)
    async with app.lifespan(), httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as client:
        yield client


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[AsyncSession]:
    """A session of the test's own, for arranging data and checking what the app wrote."""
    engine = create_async_engine(database_url, json_serializer=encode_json)  # as the app's engine writes JSON
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as session:
            session.info["all_parks"] = True
            yield session
    finally:
        await engine.dispose()


@dataclass
class World:
    """Two parks and a user for every role, so that a leak between parks shows."""

    park_a: Park
    park_b: Park
    users: dict[str, User]
    incubatee_a: Incubatee
    incubatee_b: Incubatee
    founder_a: Founder
    mentor: Mentor
    tokens: dict[str, str] = field(default_factory=dict)

    def user(self, name: str) -> User:
        return self.users[name]


async def make_park(session: AsyncSession, code: str, name: str, **values: Any) -> Park:
    park = Park(
        code=code,
        name=name,
        kind=values.pop("kind", ParkKind.PARK),
        level=values.pop("level", ParkLevel.MUNICIPAL),
        district=values.pop("district", "华龙区"),
        **values,
    )
    session.add(park)
    await session.flush()
    return park


async def make_user(
    session: AsyncSession,
    email: str,
    *,
    city_role: CityRole | None = None,
    parks: dict[UUID, ParkRole] | None = None,
    is_active: bool = True,
    founder_of: Incubatee | None = None,
) -> User:
    user = User(
        email=email,
        display_name=email.split("@")[0],
        password_hash=_PASSWORD_HASH,
        city_role=city_role,
        is_active=is_active,
    )
    session.add(user)
    await session.flush()
    for park_id, role in (parks or {}).items():
        session.add(Membership(park_id=park_id, user_id=user.id, role=role))
    if founder_of is not None:
        session.add(
            Membership(park_id=founder_of.park_id, user_id=user.id, role=ParkRole.FOUNDER, incubatee_id=founder_of.id)
        )
    await session.flush()
    return user


async def issue_token(session: AsyncSession, user: User, kind: TokenKind = TokenKind.API) -> str:
    secret, _token = await TokenService(session).issue(user, kind, 3600)
    await session.commit()
    return secret


ID_NUMBER = "11010519491231002X"


async def make_incubatee(
    db: AsyncSession, park: Park, name: str, *, status: IncubateeStatus = IncubateeStatus.INCUBATING, **values: Any
) -> Incubatee:
    admitted = datetime.date(2016, 3, 1) if status != IncubateeStatus.APPLICANT else None
    incubatee = Incubatee(
        park_id=park.id,
        name=name,
        kind=values.pop("kind", IncubateeType.HANDICRAFT),
        status=status,
        applied_on=datetime.date(2016, 2, 1),
        admitted_on=admitted,
        term_ends_on=values.pop("term_ends_on", datetime.date(2019, 2, 28) if admitted else None),
        **values,
    )
    db.add(incubatee)
    await db.flush()
    return incubatee


async def make_founder(
    db: AsyncSession, settings: Settings, incubatee: Incubatee, name: str, id_number: str | None = None
) -> Founder:
    protect = PersonalData(settings.personal_data_key)
    founder = Founder(
        park_id=incubatee.park_id,
        incubatee_id=incubatee.id,
        name=name,
        target_group=TargetGroup.RETURNING_MIGRANT_WORKER,
        id_number_ciphertext=protect.seal(id_number) if id_number else None,
        id_number_digest=protect.digest(id_number) if id_number else None,
        id_number_masked=mask_id_number(id_number or ""),
    )
    db.add(founder)
    await db.flush()
    return founder


@pytest.fixture
async def world(db: AsyncSession, settings: Settings) -> World:
    park_a = await make_park(db, "PARK-A", "甲园区", district="华龙区")
    park_b = await make_park(db, "PARK-B", "乙园区", district="清丰县")
    incubatee_a = await make_incubatee(db, park_a, "濮阳巧手编织坊")
    incubatee_b = await make_incubatee(db, park_b, "清丰食用菌合作社")
    users = {
        "admin": await make_user(db, "admin@test.cn", city_role=CityRole.ADMIN),
        "bureau": await make_user(db, "bureau@test.cn", city_role=CityRole.BUREAU),
        "mentor": await make_user(db, "mentor@test.cn", city_role=CityRole.MENTOR),
        "operator_a": await make_user(db, "operator.a@test.cn", parks={park_a.id: ParkRole.OPERATOR}),
        "founder_a": await make_user(db, "founder.a@test.cn", founder_of=incubatee_a),
        "operator_b": await make_user(db, "operator.b@test.cn", parks={park_b.id: ParkRole.OPERATOR}),
        "founder_b": await make_user(db, "founder.b@test.cn", founder_of=incubatee_b),
    }
    founder_a = await make_founder(db, settings, incubatee_a, "王秀英", ID_NUMBER)
    mentor = Mentor(
        user_id=users["mentor"].id,
        name="王导师",
        organisation="濮阳职业技术学院",
        expertise=["电子商务", "融资"],
        max_mentees=50,  # the access matrix assigns this mentor many times; capacity is tested on its own
    )
    db.add(mentor)
    await db.commit()
    return World(park_a, park_b, users, incubatee_a, incubatee_b, founder_a, mentor)


async def make_assignment(db: AsyncSession, world: World, incubatee: Incubatee, **values: Any) -> Assignment:
    assignment = Assignment(
        park_id=incubatee.park_id,
        mentor_id=values.pop("mentor_id", world.mentor.id),
        incubatee_id=incubatee.id,
        starts_on=values.pop("starts_on", datetime.date(2017, 1, 1)),
        **values,
    )
    db.add(assignment)
    await db.commit()
    return assignment


async def make_session(db: AsyncSession, assignment: Assignment, status: SessionStatus, **values: Any) -> MentorSession:
    logged = MentorSession(
        park_id=assignment.park_id,
        assignment_id=assignment.id,
        mentor_id=assignment.mentor_id,
        incubatee_id=assignment.incubatee_id,
        mode="in_person",
        topics="融资方案",
        status=status,
        **{"held_on": datetime.date(2017, 3, 1), "minutes": 60, **values},
    )
    db.add(logged)
    await db.commit()
    return logged


async def bearer(db: AsyncSession, world: World, name: str) -> dict[str, str]:
    """API headers for one of the world's users."""
    if name not in world.tokens:
        world.tokens[name] = await issue_token(db, world.user(name))
    return {"Authorization": f"Bearer {world.tokens[name]}"}


async def page_login(client: AsyncTestClient[Litestar], db: AsyncSession, user: User) -> None:
    """Give the client a page session for ``user`` (without the cost of a password check)."""
    client.cookies.set("incubator_session", await issue_token(db, user, TokenKind.SESSION))


async def csrf_token(client: AsyncTestClient[Litestar]) -> str:
    """The CSRF token a form would carry; fetching a page sets the cookie."""
    if "csrftoken" not in client.cookies:
        await client.get("/login")
    return client.cookies["csrftoken"]


def days_ago(n: int) -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=n)


async def make_training(db: AsyncSession, park: Park, **values: Any) -> Training:
    """A training of 2017 (so attendance may be marked) unless the values say otherwise."""
    training = Training(
        park_id=park.id,
        title=values.pop("title", "创业培训（SYB）第一期"),
        kind=values.pop("kind", TrainingKind.STARTUP_TRAINING),
        starts_on=values.pop("starts_on", datetime.date(2017, 3, 6)),
        ends_on=values.pop("ends_on", datetime.date(2017, 3, 15)),
        hours=values.pop("hours", 56),
        capacity=values.pop("capacity", 30),
        **values,
    )
    db.add(training)
    await db.commit()
    return training


async def make_trainee(db: AsyncSession, park: Park, phone: str, name: str = "李娟", **values: Any) -> Trainee:
    trainee = Trainee(
        park_id=park.id,
        name=name,
        phone=phone,
        target_group=values.pop("target_group", TargetGroup.RETURNING_MIGRANT_WORKER),
        **values,
    )
    db.add(trainee)
    await db.commit()
    return trainee


async def make_enrolment(db: AsyncSession, training: Training, trainee: Trainee, **values: Any) -> Enrolment:
    enrolment = Enrolment(
        park_id=training.park_id,
        training_id=training.id,
        trainee_id=trainee.id,
        enrolled_on=values.pop("enrolled_on", training.starts_on),
        **values,
    )
    db.add(enrolment)
    await db.commit()
    return enrolment


__all__ = ["AuthToken", "World", "bearer", "csrf_token", "days_ago", "page_login"]
