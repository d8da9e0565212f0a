"""The mentor's phone pages and the operator's review queue."""

import sqlalchemy as sa

from incubator.clock import today
from incubator.mentors.models import MentorSession, SessionStatus
from tests.conftest import csrf_token, make_assignment, make_session, page_login


async def _form(client, **values):
    return {**values, "_csrf_token": await csrf_token(client)}


async def test_mentor_logs_and_submits_a_session_from_the_phone_pages(client, db, world):
    assignment = await make_assignment(db, world, world.incubatee_a)
    await page_login(client, db, world.user("mentor"))
    home = await client.get("/", follow_redirects=True)
    assert "濮阳巧手编织坊" in home.text
    assert f"assignment_id={assignment.id}" in home.text

    form_page = await client.get(f"/my/sessions/new?assignment_id={assignment.id}")
    assert today().isoformat() in form_page.text
    missing = await client.post(
        "/my/sessions/new",
        data=await _form(
            client,
            assignment_id=str(assignment.id),
            held_on=today().isoformat(),
            minutes="60",
            mode="in_person",
            topics="",
        ),
    )
    assert missing.status_code == 400
    assert 'id="topics-error"' in missing.text
    logged = await client.post(
        "/my/sessions/new",
        data=await _form(
            client,
            assignment_id=str(assignment.id),
            held_on=today().isoformat(),
            minutes="60",
            mode="in_person",
            topics="融资方案",
            follow_ups="准备担保贷款材料",
            action="submit",
        ),
        follow_redirects=False,
    )
    assert logged.status_code == 303
    assert await db.scalar(sa.select(MentorSession.status)) == SessionStatus.SUBMITTED
    hours = await client.get("/my/hours")
    assert ">1.0<" in hours.text


async def test_operator_confirms_one_and_returns_another_with_a_reason(client, db, world):
    assignment = await make_assignment(db, world, world.incubatee_a)
    first = await make_session(db, assignment, SessionStatus.SUBMITTED)
    second = await make_session(db, assignment, SessionStatus.SUBMITTED)
    await page_login(client, db, world.user("operator_a"))
    queue = await client.get(f"/parks/{world.park_a.id}/mentor-sessions")
    assert queue.text.count("融资方案") == 2
    assert "王导师" in queue.text
    base = f"/parks/{world.park_a.id}/mentor-sessions"
    assert (
        await client.post(f"{base}/{first.id}/confirm", data=await _form(client), follow_redirects=False)
    ).status_code == 303
    blank = await client.post(f"{base}/{second.id}/return", data=await _form(client, reason=""))
    assert blank.status_code == 400
    assert 'id="reason-error"' in blank.text
    returned = await client.post(
        f"{base}/{second.id}/return", data=await _form(client, reason="请补充辅导内容"), follow_redirects=False
    )
    assert returned.status_code == 303
    statuses = dict((await db.execute(sa.select(MentorSession.id, MentorSession.status))).all())
    assert statuses == {first.id: SessionStatus.CONFIRMED, second.id: SessionStatus.RETURNED}

    await page_login(client, db, world.user("mentor"))
    mine = await client.get("/my/sessions")
    assert "请补充辅导内容" in mine.text


async def test_bureau_adds_a_mentor_with_expertise_and_retires_one(client, db, world):
    from incubator.mentors.models import Mentor

    await page_login(client, db, world.user("bureau"))
    bad = await client.post("/mentors/new", data=await _form(client, name="赵导师", max_mentees="0"))
    assert bad.status_code == 400
    assert 'id="max_mentees-error"' in bad.text
    added = await client.post(
        "/mentors/new",
        data=await _form(
            client, name="赵导师", organisation="濮阳市知识产权局", expertise="知识产权， 专利、商标", max_mentees="4"
        ),
        follow_redirects=False,
    )
    assert added.status_code == 303
    zhao = await db.scalar(sa.select(Mentor).where(Mentor.name == "赵导师"))
    assert zhao.expertise == ["知识产权", "专利", "商标"]
    found = await client.get("/mentors?q=商标")
    assert "赵导师" in found.text
    assert "王导师" not in found.text
    retired = await client.post(
        f"/mentors/{zhao.id}/edit",
        data=await _form(client, name="赵导师", expertise="知识产权", max_mentees="4", active__present="1"),
        follow_redirects=False,
    )
    assert retired.status_code == 303
    assert "赵导师" not in (await client.get("/mentors")).text


async def test_operators_browse_the_pool_but_cannot_edit_it(client, db, world):
    await page_login(client, db, world.user("operator_a"))
    pool = await client.get("/mentors")
    assert "王导师" in pool.text
    assert "/mentors/new" not in pool.text
    assert (await client.get("/mentors/new")).status_code == 403
