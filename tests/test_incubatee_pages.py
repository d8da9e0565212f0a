"""The operator's incubatee pages."""

import datetime

import sqlalchemy as sa

from incubator.audit.models import AuditEntry
from incubator.incubatees.models import Founder, Incubatee
from tests.conftest import ID_NUMBER, csrf_token, page_login


def _base(world) -> str:
    return f"/parks/{world.park_a.id}/incubatees"


async def _form(client, **values):
    return {**values, "_csrf_token": await csrf_token(client)}


async def test_operator_registers_a_workshop_and_fixes_a_mistyped_credit_code(client, db, world):
    await page_login(client, db, world.user("operator_a"))
    mistyped = await client.post(
        f"{_base(world)}/new",
        data=await _form(client, name="南乐柳编合作社", kind="handicraft", credit_code="91410900MA44L7XN27"),
    )
    assert mistyped.status_code == 400
    assert 'id="credit_code-error"' in mistyped.text
    assert "校验位不符" in mistyped.text
    assert "南乐柳编合作社" in mistyped.text
    assert await db.scalar(sa.select(sa.func.count()).where(Incubatee.park_id == world.park_a.id)) == 1

    created = await client.post(
        f"{_base(world)}/new",
        data=await _form(
            client,
            name="南乐柳编合作社",
            kind="handicraft",
            credit_code="",
            admitted_on="2017-04-01",
            applied_on="2017-03-20",
        ),
        follow_redirects=False,
    )
    assert created.status_code == 303
    detail = await client.get(created.headers["location"])
    assert "南乐柳编合作社" in detail.text
    assert "在孵" in detail.text
    assert "2020-03-31" in detail.text


async def test_list_has_search_and_an_empty_state(client, db, world):
    await page_login(client, db, world.user("bureau"))
    found = await client.get(f"{_base(world)}?q=编织")
    assert "濮阳巧手编织坊" in found.text
    empty = await client.get(f"{_base(world)}?q=不存在")
    assert 'class="empty"' in empty.text
    assert "登记在孵企业" not in empty.text


async def test_founder_id_number_is_masked_on_the_page_and_shown_on_request(client, db, world):
    await page_login(client, db, world.user("operator_a"))
    url = f"{_base(world)}/{world.incubatee_a.id}"
    page = await client.get(url)
    assert "110***********002X" in page.text
    assert ID_NUMBER not in page.text
    revealed = await client.post(
        f"{url}/founders/{world.founder_a.id}/id-number",
        data=await _form(client),
        headers={"HX-Request": "true"},
    )
    assert revealed.status_code == 200
    assert ID_NUMBER in revealed.text
    assert "<html" not in revealed.text
    assert await db.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.action == "reveal")) == 1


async def test_bureau_reads_but_sees_no_forms(client, db, world):
    await page_login(client, db, world.user("bureau"))
    page = await client.get(f"{_base(world)}/{world.incubatee_a.id}")
    assert page.status_code == 200
    assert "110***********002X" in page.text
    assert "/departure" not in page.text
    assert "/id-number" not in page.text


async def test_detail_forms_show_their_own_messages(client, db, world):
    await page_login(client, db, world.user("operator_a"))
    url = f"{_base(world)}/{world.incubatee_a.id}"
    departure = await client.post(
        f"{url}/departure", data=await _form(client, left_on="2015-01-01", reason="voluntary")
    )
    assert departure.status_code == 400
    assert 'id="left_on-error"' in departure.text
    founder = await client.post(
        f"{url}/founders", data=await _form(client, name="李", target_group="veteran", id_number="110105194912310021")
    )
    assert founder.status_code == 400
    assert 'id="id_number-error"' in founder.text
    assert await db.scalar(sa.select(sa.func.count()).select_from(Founder)) == 1


async def test_operator_adds_and_removes_a_founder(client, db, world):
    await page_login(client, db, world.user("operator_a"))
    url = f"{_base(world)}/{world.incubatee_a.id}"
    added = await client.post(
        f"{url}/founders",
        data=await _form(client, name="赵强", target_group="veteran", phone="13700000000", birth_year="1990"),
        follow_redirects=False,
    )
    assert added.status_code == 303
    founder_id = await db.scalar(sa.select(Founder.id).where(Founder.name == "赵强"))
    removed = await client.post(f"{url}/founders/{founder_id}/delete", data=await _form(client), follow_redirects=False)
    assert removed.status_code == 303
    assert await db.scalar(sa.select(Founder.id).where(Founder.name == "赵强")) is None


async def test_operator_assigns_a_mentor_found_by_expertise(client, db, world):
    from incubator.mentors.models import Assignment, Mentor

    db.add(Mentor(name="刘导师", expertise=["知识产权"]))
    await db.commit()
    await page_login(client, db, world.user("operator_a"))
    url = f"{_base(world)}/{world.incubatee_a.id}"
    filtered = await client.get(f"{url}?mentor_q=电子商务")
    assert "王导师 · 电子商务、融资" in filtered.text
    assert "刘导师" not in filtered.text
    no_mentor = await client.post(f"{url}/mentors", data=await _form(client, mentor_id="", starts_on="2017-03-01"))
    assert no_mentor.status_code == 400
    assert 'id="mentor_id-error"' in no_mentor.text
    assigned = await client.post(
        f"{url}/mentors",
        data=await _form(client, mentor_id=str(world.mentor.id), starts_on="2017-03-01"),
        follow_redirects=False,
    )
    assert assigned.status_code == 303
    page = await client.get(url)
    assert "王导师" in page.text
    [assignment] = (await db.scalars(sa.select(Assignment))).all()
    ended = await client.post(f"{url}/mentors/{assignment.id}/end", data=await _form(client), follow_redirects=False)
    assert ended.status_code == 303
    await db.refresh(assignment)
    assert assignment.ends_on is not None


async def test_operator_records_a_follow_up_on_the_page(client, db, world):
    from incubator.incubatees.models import FollowUp

    world.incubatee_a.status = "graduated"
    world.incubatee_a.left_on = datetime.date(2017, 6, 30)
    db.add(world.incubatee_a)
    await db.commit()
    await page_login(client, db, world.user("operator_a"))
    url = f"{_base(world)}/{world.incubatee_a.id}"
    page = await client.get(url)
    assert "离园后跟踪回访" in page.text
    closed = await client.post(
        f"{url}/follow-ups",
        data=await _form(client, year_after="1", followed_on="2018-07-01", employees="0", operating__present="1"),
        follow_redirects=False,
    )
    assert closed.status_code == 303
    follow_up = await db.scalar(sa.select(FollowUp))
    assert follow_up.operating is False
