"""The mentor pool, assignments and the mentors' sessions, through the API."""

import datetime

import sqlalchemy as sa

from incubator.mentors.models import Mentor, MentorSession, SessionStatus
from tests.conftest import bearer, make_assignment, make_incubatee, make_session


def _park(world, suffix: str) -> str:
    return f"/api/parks/{world.park_a.id}{suffix}"


def _log(assignment_id, **values):
    return {
        "assignment_id": str(assignment_id),
        "held_on": "2017-03-06",
        "minutes": 60,
        "mode": "in_person",
        "topics": "融资方案",
        "follow_ups": "下周提交担保贷款申请材料",
        **values,
    }


async def test_journey_assign_log_submit_confirm_return_and_hours(client, db, world):
    operator = await bearer(db, world, "operator_a")
    mentor = await bearer(db, world, "mentor")
    found = (await client.get("/api/mentors?q=电子商务", headers=operator)).json()
    assert [m["name"] for m in found["items"]] == ["王导师"]

    assigned = await client.post(
        _park(world, "/mentor-assignments"),
        json={
            "mentor_id": found["items"][0]["id"],
            "incubatee_id": str(world.incubatee_a.id),
            "starts_on": "2017-03-01",
        },
        headers=operator,
    )
    assert assigned.status_code == 201, assigned.text
    [mentee] = (await client.get("/api/my/mentees", headers=mentor)).json()
    assert (mentee["incubatee"], mentee["park"]) == ("濮阳巧手编织坊", "甲园区")

    first = await client.post("/api/my/sessions", json=_log(mentee["assignment_id"]), headers=mentor)
    second = await client.post(
        "/api/my/sessions", json=_log(mentee["assignment_id"], held_on="2017-03-13", minutes=30), headers=mentor
    )
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["status"] == "draft"
    drafts_hidden = (await client.get(_park(world, "/mentor-sessions"), headers=operator)).json()
    assert drafts_hidden["total"] == 0
    for logged in (first, second):
        submitted = await client.post(f"/api/my/sessions/{logged.json()['id']}/submit", headers=mentor)
        assert submitted.json()["status"] == "submitted"

    waiting = (await client.get(_park(world, "/mentor-sessions?status=submitted"), headers=operator)).json()
    assert waiting["total"] == 2
    confirmed = await client.post(_park(world, f"/mentor-sessions/{first.json()['id']}/confirm"), headers=operator)
    assert confirmed.json()["status"] == "confirmed"
    returned = await client.post(
        _park(world, f"/mentor-sessions/{second.json()['id']}/return"),
        json={"reason": "请补充辅导内容"},
        headers=operator,
    )
    assert returned.json()["status"] == "returned"
    assert returned.json()["return_reason"] == "请补充辅导内容"

    locked = await client.patch(f"/api/my/sessions/{first.json()['id']}", json={"minutes": 5}, headers=mentor)
    assert locked.status_code == 409
    fixed = await client.patch(
        f"/api/my/sessions/{second.json()['id']}", json={"notes": "讨论了担保贷款和贴息政策"}, headers=mentor
    )
    assert fixed.status_code == 200
    assert (await client.post(f"/api/my/sessions/{second.json()['id']}/submit", headers=mentor)).status_code == 201

    hours = (await client.get("/api/my/hours?year=2017", headers=mentor)).json()
    assert hours["sessions"] == 2
    assert hours["minutes"] == 90
    assert hours["hours"] == 1.5
    assert [p["park"] for p in hours["by_park"]] == ["甲园区"]


async def test_a_mentor_logs_only_for_incubatees_assigned_to_them(client, db, world):
    mentor = await bearer(db, world, "mentor")
    other = Mentor(name="李导师")
    db.add(other)
    await db.flush()
    theirs = await make_assignment(db, world, world.incubatee_a, mentor_id=other.id)
    refused = await client.post("/api/my/sessions", json=_log(theirs.id), headers=mentor)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "assignment_id"

    mine = await make_assignment(
        db, world, world.incubatee_a, starts_on=datetime.date(2017, 3, 1), ends_on=datetime.date(2017, 6, 30)
    )
    before = await client.post("/api/my/sessions", json=_log(mine.id, held_on="2017-02-28"), headers=mentor)
    after = await client.post("/api/my/sessions", json=_log(mine.id, held_on="2017-07-01"), headers=mentor)
    future = await client.post("/api/my/sessions", json=_log(mine.id, held_on="2099-01-01"), headers=mentor)
    for response in (before, after):
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "held_on"
    assert future.status_code == 422
    bad = await client.post("/api/my/sessions", json=_log(mine.id, minutes=0, mode="telepathy"), headers=mentor)
    assert bad.status_code == 422
    assert await db.scalar(sa.select(sa.func.count()).select_from(MentorSession)) == 0


async def test_assignment_rules(client, db, world):
    operator = await bearer(db, world, "operator_a")
    world.mentor.max_mentees = 1
    db.add(world.mentor)
    applicant = await make_incubatee(db, world.park_a, "申请中企业", status="applicant")
    second = await make_incubatee(db, world.park_a, "第二家企业")
    foreign = await make_incubatee(db, world.park_b, "乙园区企业")
    await db.commit()
    body = {"mentor_id": str(world.mentor.id), "starts_on": "2017-01-01"}
    url = _park(world, "/mentor-assignments")
    to_applicant = await client.post(url, json={**body, "incubatee_id": str(applicant.id)}, headers=operator)
    assert to_applicant.status_code == 422
    to_foreign = await client.post(url, json={**body, "incubatee_id": str(foreign.id)}, headers=operator)
    assert to_foreign.status_code == 422
    assert to_foreign.json()["errors"][0]["field"] == "incubatee_id"
    assert (
        await client.post(url, json={**body, "incubatee_id": str(world.incubatee_a.id)}, headers=operator)
    ).status_code == 201
    full = await client.post(url, json={**body, "incubatee_id": str(second.id)}, headers=operator)
    assert full.status_code == 409
    assert full.json()["errors"][0]["field"] == "mentor_id"


async def test_operators_decide_only_on_submitted_sessions_of_their_park(client, db, world):
    operator_a = await bearer(db, world, "operator_a")
    operator_b = await bearer(db, world, "operator_b")
    draft = await make_session(db, await make_assignment(db, world, world.incubatee_a), SessionStatus.DRAFT)
    early = await client.post(_park(world, f"/mentor-sessions/{draft.id}/confirm"), headers=operator_a)
    assert early.status_code == 409
    foreign = await client.post(f"/api/parks/{world.park_b.id}/mentor-sessions/{draft.id}/confirm", headers=operator_b)
    assert foreign.status_code == 404
    no_reason = await client.post(
        _park(world, f"/mentor-sessions/{draft.id}/return"), json={"reason": " "}, headers=operator_a
    )
    assert no_reason.status_code == 422


async def test_an_account_without_a_mentor_profile_has_no_desk(client, db, world):
    await db.execute(sa.update(Mentor).values(user_id=None))
    await db.commit()
    response = await client.get("/api/my/mentees", headers=await bearer(db, world, "mentor"))
    assert response.status_code == 403


async def test_the_bureau_keeps_the_pool(client, db, world):
    bureau = await bearer(db, world, "bureau")
    created = await client.post(
        "/api/mentors", json={"name": "赵导师", "expertise": ["知识产权", "专利"], "max_mentees": 8}, headers=bureau
    )
    assert created.status_code == 201
    too_many = await client.post("/api/mentors", json={"name": "x", "max_mentees": 0}, headers=bureau)
    assert too_many.status_code == 422
    assert too_many.json()["errors"][0]["field"] == "max_mentees"
    taken = await client.post(
        "/api/mentors", json={"name": "x", "user_id": str(world.user("mentor").id)}, headers=bureau
    )
    assert taken.status_code == 409
    not_a_mentor = await client.post(
        "/api/mentors", json={"name": "x", "user_id": str(world.user("operator_a").id)}, headers=bureau
    )
    assert not_a_mentor.status_code == 422
    retired = await client.patch(f"/api/mentors/{created.json()['id']}", json={"active": False}, headers=bureau)
    assert retired.json()["active"] is False
    assert (await client.get("/api/mentors?q=专利", headers=bureau)).json()["total"] == 0


async def test_a_mentors_hours_list_the_parks_by_pinyin(client, db, world):
    for incubatee in (world.incubatee_b, world.incubatee_a):
        assignment = await make_assignment(db, world, incubatee)
        await make_session(db, assignment, SessionStatus.CONFIRMED)
    hours = (await client.get("/api/my/hours?year=2017", headers=await bearer(db, world, "mentor"))).json()
    # 甲 (jiǎ) before 乙 (yǐ), though 乙 comes first by code point
    assert [p["park"] for p in hours["by_park"]] == ["甲园区", "乙园区"]
