"""Trainings, trainees and enrolments, through the API."""

import asyncio
import datetime

import pytest
import sqlalchemy as sa

from incubator.clock import today
from incubator.db.portable import day_number
from incubator.incubatees.models import Incubatee
from incubator.trainings.models import Attendance, Enrolment, Trainee, Trainer, Training
from tests.conftest import bearer, concurrent_client, make_enrolment, make_incubatee, make_trainee, make_training

FOREIGN_ID = "01234567-89ab-7def-8123-456789abcdef"


def _park(world, suffix: str, park=None) -> str:
    return f"/api/parks/{(park or world.park_a).id}{suffix}"


def _training(**values):
    return {
        "title": "网店创业培训第三期",
        "kind": "online_business",
        "starts_on": "2017-05-08",
        "ends_on": "2017-05-19",
        "hours": "80",
        "capacity": 30,
        "provider": "濮阳市职业培训中心",
        "location": "园区二楼培训室",
        **values,
    }


def _person(phone="13800138000", **values):
    return {"name": "张伟", "phone": phone, "target_group": "returning_migrant_worker", **values}


async def _count(db, model) -> int:
    return await db.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
async def trainer(db):
    trainer = Trainer(name="刘讲师", organisation="濮阳市就业训练中心", specialties=["网店运营", "SYB"])
    db.add(trainer)
    await db.commit()
    return trainer


@pytest.fixture
async def retired(db):
    trainer = Trainer(name="退休讲师", active=False)
    db.add(trainer)
    await db.commit()
    return trainer


async def test_journey_a_course_from_enrolment_to_a_trainee_who_registers_a_firm(client, db, world, trainer):
    operator = await bearer(db, world, "operator_a")
    created = await client.post(
        _park(world, "/trainings"), json=_training(trainer_id=str(trainer.id)), headers=operator
    )
    assert created.status_code == 201, created.text
    training = created.json()
    assert (training["hours"], training["enrolled"], training["trainer_id"]) == ("80.0", 0, str(trainer.id))
    enrolments = _park(world, f"/trainings/{training['id']}/enrolments")

    new = await client.post(enrolments, json=_person("138 0013 8000", gender="male"), headers=operator)
    assert new.status_code == 201, new.text
    assert (new.json()["phone"], new.json()["attendance"], new.json()["enrolled_on"]) == (
        "13800138000",
        "enrolled",
        "2017-05-08",
    )
    known = await make_trainee(db, world.park_a, "13900139000", "王芳", target_group="college_graduate")
    by_id = await client.post(enrolments, json={"trainee_id": str(known.id)}, headers=operator)
    assert by_id.status_code == 201, by_id.text
    again = await client.post(
        _park(world, "/trainings"), json=_training(title="创业培训第四期", kind="startup_training"), headers=operator
    )
    same_phone = await client.post(
        _park(world, f"/trainings/{again.json()['id']}/enrolments"),
        json=_person("+86 138-0013-8000", name="张伟伟"),
        headers=operator,
    )
    assert same_phone.json()["trainee_id"] == new.json()["trainee_id"]
    assert await _count(db, Trainee) == 2

    roll = await client.get(enrolments, headers=operator)
    assert [e["name"] for e in roll.json()["items"]] == ["王芳", "张伟"]
    called = await client.post(
        _park(world, f"/trainings/{training['id']}/roll"), json={"attended": [new.json()["id"]]}, headers=operator
    )
    assert called.status_code == 200, called.text
    assert {e["name"]: e["attendance"] for e in called.json()} == {"张伟": "attended", "王芳": "absent"}
    came_late = await client.patch(
        f"{enrolments}/{by_id.json()['id']}", json={"attendance": "attended"}, headers=operator
    )
    assert came_late.json()["attendance"] == "attended"
    shown = (await client.get(_park(world, f"/trainings/{training['id']}"), headers=operator)).json()
    assert shown["enrolled"] == 2

    firm = await make_incubatee(db, world.park_a, "张伟网店", registered_on=datetime.date(2017, 9, 1))
    await db.commit()
    linked = await client.patch(
        _park(world, f"/trainees/{new.json()['trainee_id']}"), json={"incubatee_id": str(firm.id)}, headers=operator
    )
    assert linked.status_code == 200, linked.text
    detail = (await client.get(_park(world, f"/trainees/{new.json()['trainee_id']}"), headers=operator)).json()
    assert detail["trainee"]["incubatee_id"] == str(firm.id)
    assert [(t["title"], t["attendance"]) for t in detail["trainings"]] == [
        ("网店创业培训第三期", "attended"),
        ("创业培训第四期", "enrolled"),
    ]
    trainees = _park(world, "/trainees")
    assert [t["name"] for t in (await client.get(f"{trainees}?linked=true", headers=operator)).json()["items"]] == [
        "张伟"
    ]
    assert [t["name"] for t in (await client.get(f"{trainees}?linked=false", headers=operator)).json()["items"]] == [
        "王芳"
    ]
    assert (await client.get(f"{trainees}?q=139-0013", headers=operator)).json()["total"] == 1
    assert (await client.get(f"{trainees}?incubatee_id={firm.id}", headers=operator)).json()["total"] == 1
    bureau = await bearer(db, world, "bureau")
    assert (await client.get(trainees, headers=bureau)).json()["total"] == 2


async def test_a_full_training_refuses_one_more_and_writes_nothing(client, db, world):
    training = await make_training(db, world.park_a, capacity=2)
    for phone in ("13700000001", "13700000002"):
        await make_enrolment(db, training, await make_trainee(db, world.park_a, phone))
    operator = await bearer(db, world, "operator_a")
    full = await client.post(
        _park(world, f"/trainings/{training.id}/enrolments"), json=_person("13700000003"), headers=operator
    )
    assert full.status_code == 409
    assert full.json()["errors"][0]["field"] == "capacity"
    assert "2" in full.json()["detail"]
    walk_in = await client.post(
        _park(world, f"/trainings/{training.id}/enrolments"),
        json=_person("13700000004", attendance="attended"),
        headers=operator,
    )
    assert walk_in.status_code == 409
    assert (await _count(db, Enrolment), await _count(db, Trainee)) == (2, 2)
    lower = await client.patch(_park(world, f"/trainings/{training.id}"), json={"capacity": 1}, headers=operator)
    assert lower.status_code == 409
    assert lower.json()["errors"][0]["field"] == "capacity"
    assert await db.scalar(sa.select(Training.capacity).execution_options(populate_existing=True)) == 2


async def test_requests_at_once_cannot_take_more_places_than_there_are(app, db, world):
    training = await make_training(db, world.park_a, capacity=3)
    known = [await make_trainee(db, world.park_a, f"1350000000{i}") for i in range(4)]
    operator = await bearer(db, world, "operator_a")
    url = _park(world, f"/trainings/{training.id}/enrolments")
    bodies = [{"trainee_id": str(t.id)} for t in known] + [_person(f"1360000000{i}") for i in range(4)]
    async with concurrent_client(app) as client:
        responses = await asyncio.gather(*(client.post(url, json=body, headers=operator) for body in bodies))
    assert sorted(r.status_code for r in responses) == [201] * 3 + [409] * 5
    assert await _count(db, Enrolment) == 3


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"starts_on": "2017-05-20"}, "ends_on"),
        ({"hours": "-4"}, "hours"),
        ({"hours": "0"}, "hours"),
        ({"hours": "2.25"}, "hours"),
        ({"capacity": 0}, "capacity"),
        ({"kind": "yoga"}, "kind"),
        ({"title": "课" * 201}, "title"),
        ({"provider": "中" * 201}, "provider"),
        ({"location": "楼" * 201}, "location"),
        ({"title": "  "}, "title"),
        ({"starts_on": "2017-02-30"}, "starts_on"),
        ({"trainer_id": FOREIGN_ID}, "trainer_id"),
        ({"park_id": FOREIGN_ID}, "park_id"),
    ],
)
async def test_bad_training_input_writes_nothing(client, db, world, change, field):
    response = await client.post(
        _park(world, "/trainings"), json=_training(**change), headers=await bearer(db, world, "operator_a")
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field
    assert await _count(db, Training) == 0


async def test_a_retired_trainer_is_refused_but_stays_on_older_trainings(client, db, world, trainer, retired):
    operator = await bearer(db, world, "operator_a")
    refused = await client.post(
        _park(world, "/trainings"), json=_training(trainer_id=str(retired.id)), headers=operator
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "trainer_id"
    older = await make_training(db, world.park_a, trainer_id=retired.id)
    kept = await client.patch(
        _park(world, f"/trainings/{older.id}"), json={"title": "创业培训（改）"}, headers=operator
    )
    assert kept.status_code == 200
    assert kept.json()["trainer_id"] == str(retired.id)
    swapped = await client.patch(
        _park(world, f"/trainings/{older.id}"), json={"trainer_id": str(trainer.id)}, headers=operator
    )
    assert swapped.json()["trainer_id"] == str(trainer.id)
    back = await client.patch(
        _park(world, f"/trainings/{older.id}"), json={"trainer_id": str(retired.id)}, headers=operator
    )
    assert back.status_code == 422


async def test_editing_a_training_keeps_its_dates_in_order(client, db, world):
    operator = await bearer(db, world, "operator_a")
    training = await make_training(db, world.park_a)
    backwards = await client.patch(
        _park(world, f"/trainings/{training.id}"), json={"ends_on": "2017-03-01"}, headers=operator
    )
    assert backwards.status_code == 422
    assert backwards.json()["errors"][0]["field"] == "ends_on"
    await make_enrolment(db, training, await make_trainee(db, world.park_a, "13500000000"), attendance="attended")
    future = (today() + datetime.timedelta(days=30)).isoformat()
    postponed = await client.patch(
        _park(world, f"/trainings/{training.id}"), json={"starts_on": future, "ends_on": future}, headers=operator
    )
    assert postponed.status_code == 422
    assert postponed.json()["errors"][0]["field"] == "starts_on"
    stored = await db.scalar(sa.select(Training).execution_options(populate_existing=True))
    assert (stored.starts_on, stored.ends_on) == (datetime.date(2017, 3, 6), datetime.date(2017, 3, 15))


async def test_attendance_waits_for_the_training_to_start(client, db, world):
    operator = await bearer(db, world, "operator_a")
    soon = today() + datetime.timedelta(days=7)
    training = await make_training(db, world.park_a, starts_on=soon, ends_on=soon)
    enrolment = await make_enrolment(db, training, await make_trainee(db, world.park_a, "13500000000"))
    base = _park(world, f"/trainings/{training.id}")
    marked = await client.patch(f"{base}/enrolments/{enrolment.id}", json={"attendance": "attended"}, headers=operator)
    walk_in = await client.post(f"{base}/enrolments", json=_person(attendance="absent"), headers=operator)
    roll = await client.post(f"{base}/roll", json={"attended": [str(enrolment.id)]}, headers=operator)
    for response in (marked, walk_in, roll):
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == "attendance"
    assert await db.scalar(sa.select(Enrolment.attendance).execution_options(populate_existing=True)) == "enrolled"
    assert await _count(db, Trainee) == 1
    today_only = await make_training(db, world.park_a, title="公开课", starts_on=today(), ends_on=today())
    assert (
        await client.post(
            _park(world, f"/trainings/{today_only.id}/enrolments"),
            json=_person("13600000000", attendance="attended"),
            headers=operator,
        )
    ).status_code == 201


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"name": "张伟", "target_group": "veteran"}, 422, "phone"),
        ({"phone": "13800138000", "target_group": "veteran"}, 422, "name"),
        ({"name": "张伟", "phone": "13800138000"}, 422, "target_group"),
        (_person(target_group="astronaut"), 422, "target_group"),
        (_person(gender="x"), 422, "gender"),
        (_person(name="张" * 51), 422, "name"),
        (_person(phone="not a phone"), 422, "phone"),
        (_person(phone="1" * 21), 422, "phone"),
        (_person(attendance="asleep"), 422, "attendance"),
        (_person(enrolled_on="2017-03-16"), 422, "enrolled_on"),
        ({"trainee_id": FOREIGN_ID}, 422, "trainee_id"),
        ({"trainee_id": "not-an-id"}, 422, "trainee_id"),
        ({**_person(), "training_id": FOREIGN_ID}, 422, "training_id"),
    ],
)
async def test_bad_enrolment_input_writes_nothing(client, db, world, body, status, field):
    training = await make_training(db, world.park_a)
    response = await client.post(
        _park(world, f"/trainings/{training.id}/enrolments"), json=body, headers=await bearer(db, world, "operator_a")
    )
    assert response.status_code == status, response.text
    assert response.json()["errors"][0]["field"] == field
    assert (await _count(db, Enrolment), await _count(db, Trainee)) == (0, 0)


async def test_one_person_one_place_and_an_attended_place_stays(client, db, world):
    operator = await bearer(db, world, "operator_a")
    training = await make_training(db, world.park_a)
    trainee = await make_trainee(db, world.park_a, "13800138000")
    base = _park(world, f"/trainings/{training.id}/enrolments")
    both = await client.post(base, json={"trainee_id": str(trainee.id), "name": "张伟"}, headers=operator)
    assert both.status_code == 422
    assert both.json()["errors"][0]["field"] == "trainee_id"
    first = await client.post(base, json={"trainee_id": str(trainee.id)}, headers=operator)
    twice = await client.post(base, json=_person("138-0013-8000"), headers=operator)
    assert (first.status_code, twice.status_code) == (201, 409)
    assert twice.json()["errors"][0]["field"] == "trainee_id"
    await client.patch(f"{base}/{first.json()['id']}", json={"attendance": "attended"}, headers=operator)
    kept = await client.delete(f"{base}/{first.json()['id']}", headers=operator)
    assert kept.status_code == 409
    await client.patch(f"{base}/{first.json()['id']}", json={"attendance": "enrolled"}, headers=operator)
    assert (await client.delete(f"{base}/{first.json()['id']}", headers=operator)).status_code == 204
    assert await _count(db, Enrolment) == 0


async def test_another_parks_ids_are_refused_in_bodies_queries_and_paths(client, db, world):
    operator = await bearer(db, world, "operator_a")
    mine = await make_training(db, world.park_a)
    theirs = await make_training(db, world.park_b)
    their_trainee = await make_trainee(db, world.park_b, "13800138000")
    their_enrolment = await make_enrolment(db, theirs, their_trainee)
    my_trainee = await make_trainee(db, world.park_a, "13900139000")
    my_enrolment = await make_enrolment(db, mine, my_trainee)

    body = await client.post(
        _park(world, f"/trainings/{mine.id}/enrolments"), json={"trainee_id": str(their_trainee.id)}, headers=operator
    )
    assert (body.status_code, body.json()["errors"][0]["field"]) == (422, "trainee_id")
    roll = await client.post(
        _park(world, f"/trainings/{mine.id}/roll"),
        json={"attended": [str(my_enrolment.id), str(their_enrolment.id)]},
        headers=operator,
    )
    assert (roll.status_code, roll.json()["errors"][0]["field"]) == (422, "attended")
    link = await client.patch(
        _park(world, f"/trainees/{my_trainee.id}"), json={"incubatee_id": str(world.incubatee_b.id)}, headers=operator
    )
    assert (link.status_code, link.json()["errors"][0]["field"]) == (422, "incubatee_id")
    query = await client.get(_park(world, f"/trainees?incubatee_id={world.incubatee_b.id}"), headers=operator)
    assert (query.status_code, query.json()["errors"][0]["field"]) == (422, "incubatee_id")

    for method, path, json in [
        ("GET", f"/trainings/{theirs.id}", None),
        ("PATCH", f"/trainings/{theirs.id}", {"title": "越界"}),
        ("GET", f"/trainings/{theirs.id}/enrolments", None),
        ("POST", f"/trainings/{theirs.id}/enrolments", _person("13000000000")),
        ("PATCH", f"/trainings/{mine.id}/enrolments/{their_enrolment.id}", {"attendance": "absent"}),
        ("DELETE", f"/trainings/{theirs.id}/enrolments/{their_enrolment.id}", None),
        ("GET", f"/trainees/{their_trainee.id}", None),
        ("PATCH", f"/trainees/{their_trainee.id}", {"name": "越界"}),
    ]:
        response = await client.request(method, _park(world, path), json=json, headers=operator)
        assert response.status_code == 404, f"{method} {path}: {response.status_code}"
    assert await db.scalar(sa.select(Trainee.incubatee_id).where(Trainee.id == my_trainee.id)) is None
    assert await db.scalar(sa.select(Enrolment.attendance).where(Enrolment.id == my_enrolment.id)) == "enrolled"
    assert await _count(db, Enrolment) == 2


async def test_a_trainees_phone_is_their_key_in_the_park(client, db, world):
    operator = await bearer(db, world, "operator_a")
    first = await make_trainee(db, world.park_a, "13800138000")
    second = await make_trainee(db, world.park_a, "13900139000", "王芳")
    await make_trainee(db, world.park_b, "13700137000", "另一园区学员")
    taken = await client.patch(
        _park(world, f"/trainees/{second.id}"), json={"phone": "+86 13800138000"}, headers=operator
    )
    assert (taken.status_code, taken.json()["errors"][0]["field"]) == (409, "phone")
    other_park = await client.patch(
        _park(world, f"/trainees/{second.id}"), json={"phone": "137 0013 7000"}, headers=operator
    )
    assert other_park.json()["phone"] == "13700137000"
    unknown = await client.patch(
        _park(world, f"/trainees/{first.id}"), json={"target_group": "alien"}, headers=operator
    )
    assert (unknown.status_code, unknown.json()["errors"][0]["field"]) == (422, "target_group")
    unlinked = await client.patch(_park(world, f"/trainees/{first.id}"), json={"incubatee_id": None}, headers=operator)
    assert unlinked.json()["incubatee_id"] is None


async def test_trainings_are_listed_by_kind_period_and_search(client, db, world):
    operator = await bearer(db, world, "operator_a")
    await make_training(db, world.park_a)
    await make_training(
        db,
        world.park_a,
        title="返乡创业论坛",
        kind="forum",
        starts_on=datetime.date(2018, 1, 10),
        ends_on=datetime.date(2018, 1, 10),
        hours=3,
        provider="市人社局",
    )
    await make_training(db, world.park_b, title="乙园区公开课", kind="public_class")
    url = _park(world, "/trainings")

    async def titles(query: str) -> list[str]:
        return [t["title"] for t in (await client.get(f"{url}?{query}", headers=operator)).json()["items"]]

    assert await titles("") == ["返乡创业论坛", "创业培训（SYB）第一期"]
    assert await titles("kind=forum") == ["返乡创业论坛"]
    assert await titles("from=2017-01-01&to=2017-12-31") == ["创业培训（SYB）第一期"]
    assert await titles("from=2017-03-10&to=2017-03-10") == ["创业培训（SYB）第一期"]
    assert await titles("q=人社局") == ["返乡创业论坛"]
    page = (await client.get(f"{url}?limit=1&offset=1", headers=operator)).json()
    assert (page["total"], len(page["items"])) == (2, 1)
    backwards = await client.get(f"{url}?from=2017-12-31&to=2017-01-01", headers=operator)
    assert (backwards.status_code, backwards.json()["errors"][0]["field"]) == (422, "to")
    unknown_kind = await client.get(f"{url}?kind=yoga", headers=operator)
    assert (unknown_kind.status_code, unknown_kind.json()["errors"][0]["field"]) == (422, "kind")


async def test_training_success_is_one_grouped_query_over_these_tables(db, world):
    """What the rating will count: trainees who attended a training ending in the period, and of them
    those whose linked firm registered within 12 months of that training's end; per park, in one query."""
    spring = await make_training(db, world.park_a)
    other = await make_training(db, world.park_b, title="乙园区培训")
    quick = await make_incubatee(db, world.park_a, "半年后注册", registered_on=datetime.date(2017, 9, 15))
    late = await make_incubatee(db, world.park_a, "两年后注册", registered_on=datetime.date(2019, 3, 1))
    people = [
        (spring, "13000000001", quick, "attended"),
        (spring, "13000000002", late, "attended"),
        (spring, "13000000003", None, "attended"),
        (spring, "13000000004", None, "absent"),
        (other, "13000000005", None, "attended"),
    ]
    for training, phone, firm, attendance in people:
        park = world.park_a if training is spring else world.park_b
        trainee = await make_trainee(db, park, phone, incubatee_id=firm.id if firm else None)
        await make_enrolment(db, training, trainee, attendance=attendance)

    registered = sa.and_(
        Incubatee.registered_on >= Training.starts_on,
        day_number(Incubatee.registered_on) - day_number(Training.ends_on) <= 365,
    )
    rows = await db.execute(
        sa.select(
            Enrolment.park_id,
            sa.func.count(sa.distinct(Enrolment.trainee_id)),
            sa.func.count(sa.distinct(sa.case((registered, Enrolment.trainee_id)))),
        )
        .join(Training, sa.and_(Training.park_id == Enrolment.park_id, Training.id == Enrolment.training_id))
        .join(Trainee, sa.and_(Trainee.park_id == Enrolment.park_id, Trainee.id == Enrolment.trainee_id))
        .outerjoin(Incubatee, sa.and_(Incubatee.park_id == Trainee.park_id, Incubatee.id == Trainee.incubatee_id))
        .where(
            Enrolment.attendance == Attendance.ATTENDED,
            Training.ends_on.between(datetime.date(2017, 1, 1), datetime.date(2017, 12, 31)),
        )
        .group_by(Enrolment.park_id)
    )
    assert {park_id: (trained, success) for park_id, trained, success in rows} == {
        world.park_a.id: (3, 1),
        world.park_b.id: (1, 0),
    }
