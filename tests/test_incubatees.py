"""Incubatees and their founders, through the API."""

import pytest
import sqlalchemy as sa

from incubator.audit.models import AuditEntry
from incubator.incubatees.models import Founder, Incubatee
from tests.conftest import ID_NUMBER, bearer, make_incubatee

VALID_CODE = "91410900MA44L7XN26"


def _url(world, suffix: str = "") -> str:
    return f"/api/parks/{world.park_a.id}/incubatees{suffix}"


async def _count(db, model) -> int:
    return await db.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_fixture_credit_code_is_valid():
    from stdnum.cn import uscc

    assert uscc.is_valid(VALID_CODE)


async def test_operator_admits_an_unregistered_returning_workers_workshop(client, db, world):
    headers = await bearer(db, world, "operator_a")
    created = await client.post(
        _url(world), json={"name": "清丰柳编手工坊", "kind": "handicraft", "applied_on": "2017-03-01"}, headers=headers
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["status"] == "applicant"
    assert body["credit_code"] is None
    admitted = await client.post(
        _url(world, f"/{body['id']}/admission"), json={"admitted_on": "2017-03-15"}, headers=headers
    )
    assert admitted.status_code == 201
    assert admitted.json()["status"] == "incubating"
    assert admitted.json()["term_ends_on"] == "2020-03-14"

    founder = await client.post(
        _url(world, f"/{body['id']}/founders"),
        json={
            "name": "张桂兰",
            "target_group": "returning_migrant_worker",
            "id_number": "410928198503120046",
            "gender": "female",
            "birth_year": 1985,
        },
        headers=headers,
    )
    assert founder.status_code == 201, founder.text
    assert founder.json()["id_number_masked"] == "410***********0046"


async def test_technology_firms_get_a_four_year_term(client, db, world):
    body = {"name": "濮阳智造科技", "kind": "technology", "applied_on": "2017-01-01", "admitted_on": "2017-01-10"}
    response = await client.post(_url(world), json=body, headers=await bearer(db, world, "operator_a"))
    assert response.json()["term_ends_on"] == "2021-01-09"


async def test_a_credit_code_added_later_is_checked(client, db, world):
    headers = await bearer(db, world, "operator_a")
    url = _url(world, f"/{world.incubatee_a.id}")
    mistyped = VALID_CODE[:-1] + ("A" if VALID_CODE[-1] != "A" else "B")
    refused = await client.patch(url, json={"credit_code": mistyped}, headers=headers)
    assert refused.status_code == 422
    assert refused.json()["errors"][0] == {"field": "credit_code", "message": "校验位不符：号码有误，请核对。"}
    accepted = await client.patch(url, json={"credit_code": VALID_CODE}, headers=headers)
    assert accepted.status_code == 200
    assert accepted.json()["credit_code"] == VALID_CODE


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "", "kind": "services"}, "name"),
        ({"name": "x" * 201, "kind": "services"}, "name"),
        ({"name": "甲", "kind": "mining"}, "kind"),
        ({"name": "甲", "kind": "services", "credit_code": "91410900MA44L7XN2"}, "credit_code"),
        ({"name": "甲", "kind": "services", "registered_on": "2017-02-30"}, "registered_on"),
        ({"name": "甲", "kind": "services", "applied_on": "2017-05-01", "admitted_on": "2017-04-01"}, "admitted_on"),
        (
            {
                "name": "甲",
                "kind": "services",
                "registered_on": "2013-01-01",
                "applied_on": "2017-01-01",
                "admitted_on": "2017-02-01",
            },
            "admitted_on",
        ),
        ({"name": "濮阳巧手编织坊", "kind": "services"}, "name"),
        ({"name": "甲", "kind": "services", "park_id": "x"}, "park_id"),
    ],
)
async def test_bad_incubatee_input_is_refused_and_writes_nothing(client, db, world, body, field):
    headers = await bearer(db, world, "operator_a")
    before = (await _count(db, Incubatee), await _count(db, AuditEntry))
    response = await client.post(_url(world), json=body, headers=headers)
    assert response.status_code in (409, 422), response.text
    assert response.json()["errors"][0]["field"] == field
    assert (await _count(db, Incubatee), await _count(db, AuditEntry)) == before


async def test_departure_rules(client, db, world):
    headers = await bearer(db, world, "operator_a")
    url = _url(world, f"/{world.incubatee_a.id}/departure")
    early = await client.post(url, json={"left_on": "2015-01-01", "reason": "voluntary"}, headers=headers)
    assert early.status_code == 422
    assert early.json()["errors"][0]["field"] == "left_on"
    graduated = await client.post(url, json={"left_on": "2017-12-01", "reason": "graduation_criteria"}, headers=headers)
    assert graduated.json()["status"] == "graduated"
    again = await client.post(url, json={"left_on": "2017-12-02", "reason": "closed"}, headers=headers)
    assert again.status_code == 409


async def test_other_parks_incubatee_is_not_found(client, db, world):
    other = await make_incubatee(db, world.park_b, "乙园区企业")
    await db.commit()
    headers = await bearer(db, world, "operator_a")
    assert (await client.get(_url(world, f"/{other.id}"), headers=headers)).status_code == 404
    patch = await client.patch(_url(world, f"/{other.id}"), json={"industry": "x"}, headers=headers)
    assert patch.status_code == 404
    founder = await client.post(
        _url(world, f"/{other.id}/founders"), json={"name": "x", "target_group": "other"}, headers=headers
    )
    assert founder.status_code == 404
    assert await _count(db, Founder) == 1


async def test_list_searches_filters_sorts_by_pinyin_and_pages(client, db, world):
    headers = await bearer(db, world, "bureau")
    for name in ["张家酿酒坊", "阿里电商服务", "白庄养殖场"]:
        await make_incubatee(db, world.park_a, name)
    await make_incubatee(db, world.park_b, "不应出现")
    await db.commit()
    names = [i["name"] for i in (await client.get(_url(world, "?limit=10"), headers=headers)).json()["items"]]
    assert names == ["阿里电商服务", "白庄养殖场", "濮阳巧手编织坊", "张家酿酒坊"]
    page = (await client.get(_url(world, "?limit=2&offset=2"), headers=headers)).json()
    assert [i["name"] for i in page["items"]] == ["濮阳巧手编织坊", "张家酿酒坊"]
    assert page["total"] == 4
    assert (await client.get(_url(world, "?q=养殖"), headers=headers)).json()["total"] == 1
    assert (await client.get(_url(world, "?status=applicant"), headers=headers)).json()["total"] == 0
    bad = await client.get(_url(world, "?status=sleeping"), headers=headers)
    assert bad.status_code in (400, 422)
    assert "status" in bad.text


async def test_founder_id_number_is_masked_and_revealed_only_with_an_audit_row(client, db, world):
    founder_url = _url(world, f"/{world.incubatee_a.id}/founders/{world.founder_a.id}")
    bureau = await client.get(_url(world, f"/{world.incubatee_a.id}"), headers=await bearer(db, world, "bureau"))
    [shown] = bureau.json()["founders"]
    assert shown["id_number_masked"] == "110***********002X"
    assert ID_NUMBER not in bureau.text
    assert (await client.post(f"{founder_url}/id-number", headers=await bearer(db, world, "bureau"))).status_code == 403
    revealed = await client.post(f"{founder_url}/id-number", headers=await bearer(db, world, "operator_a"))
    assert revealed.status_code == 200
    assert revealed.json()["id_number"] == ID_NUMBER
    reveals = (await db.scalars(sa.select(AuditEntry).where(AuditEntry.action == "reveal"))).all()
    assert [(r.entity_id, r.actor_email) for r in reveals] == [(str(world.founder_a.id), "operator.a@test.cn")]


async def test_id_numbers_are_stored_encrypted(db, world):
    raw = (await db.execute(sa.text("select id_number_ciphertext, id_number_digest from founders"))).one()
    assert ID_NUMBER not in raw[0]
    assert ID_NUMBER not in raw[1]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "李", "target_group": "veteran", "id_number": "110105194912310021"}, "id_number"),
        ({"name": "李", "target_group": "veteran", "id_number": "11010519491231002"}, "id_number"),
        ({"name": "李", "target_group": "veteran", "id_number": "110105194913310021"}, "id_number"),
        ({"name": "李", "target_group": "veteran", "id_number": ID_NUMBER}, "id_number"),
        ({"name": "李", "target_group": "astronaut"}, "target_group"),
        ({"name": "李", "target_group": "veteran", "birth_year": 1800}, "birth_year"),
        ({"name": "李", "target_group": "veteran", "phone": "call me"}, "phone"),
        ({"name": "", "target_group": "veteran"}, "name"),
    ],
)
async def test_bad_founder_input_is_refused(client, db, world, body, field):
    headers = await bearer(db, world, "operator_a")
    response = await client.post(_url(world, f"/{world.incubatee_a.id}/founders"), json=body, headers=headers)
    assert response.status_code in (409, 422), response.text
    assert response.json()["errors"][0]["field"] == field
    assert await _count(db, Founder) == 1


async def test_founder_is_edited_and_removed(client, db, world):
    headers = await bearer(db, world, "operator_a")
    url = _url(world, f"/{world.incubatee_a.id}/founders/{world.founder_a.id}")
    edited = await client.patch(url, json={"phone": "13912345678", "id_number": None}, headers=headers)
    assert edited.status_code == 200
    assert edited.json()["phone"] == "13912345678"
    assert edited.json()["id_number_masked"] == ""
    assert (await client.delete(url, headers=headers)).status_code == 204
    assert await _count(db, Founder) == 0


async def test_yearly_follow_ups_after_a_firm_left(client, db, world):
    headers = await bearer(db, world, "operator_a")
    url = _url(world, f"/{world.incubatee_a.id}/follow-ups")
    follow_up = {"year_after": 1, "followed_on": "2018-06-30", "operating": True, "employees": 9}
    still_here = await client.post(url, json=follow_up, headers=headers)
    assert still_here.status_code == 409
    assert still_here.json()["errors"][0]["field"] == "status"

    left = await client.post(
        _url(world, f"/{world.incubatee_a.id}/departure"),
        json={"left_on": "2017-06-30", "reason": "graduation_criteria"},
        headers=headers,
    )
    assert left.status_code == 201
    assert (await client.post(url, json=follow_up, headers=headers)).status_code == 201
    again = await client.post(url, json=follow_up, headers=headers)
    assert again.status_code == 409
    assert again.json()["errors"][0]["field"] == "year_after"
    for change, field in [
        ({"year_after": 6}, "year_after"),
        ({"year_after": 2, "followed_on": "2017-01-01"}, "followed_on"),
        ({"year_after": 2, "operating": False, "employees": 3}, "employees"),
        ({"year_after": 2, "employees": -1}, "employees"),
    ]:
        refused = await client.post(url, json={**follow_up, **change}, headers=headers)
        assert refused.status_code == 422, (change, refused.text)
        assert refused.json()["errors"][0]["field"] == field
    listed = (await client.get(url, headers=await bearer(db, world, "bureau"))).json()
    assert [(f["year_after"], f["operating"], f["employees"]) for f in listed] == [(1, True, 9)]
