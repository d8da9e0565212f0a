"""City targets: the policy's numbers by default, set by the bureau per year and district, refused whole when wrong."""

import re

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from incubator.audit.models import AuditEntry
from incubator.city.models import CityTarget, TargetKey
from tests.conftest import bearer, csrf_token, page_login

DEFAULTS = {
    "national_parks": "1",
    "provincial_or_municipal_parks": "13",
    "demonstration_points": "100",
    "incubated_firms": "1000",
    "people_trained": "10000",
    "guaranteed_loans_yuan": "800000000.00",
}


def _values(targets) -> dict[tuple[str | None, str], tuple[str, bool]]:
    return {(t["district"], t["key"]): (t["value"], t["default"]) for t in targets}


async def _stored(db) -> int:
    return await db.scalar(sa.select(sa.func.count()).select_from(CityTarget))


async def test_a_year_with_no_targets_has_the_policys(client, db, world):
    response = await client.get("/api/city/targets?year=2018", headers=await bearer(db, world, "bureau"))
    assert response.status_code == 200
    assert _values(response.json()) == {(None, key): (value, True) for key, value in DEFAULTS.items()}


async def test_the_bureau_sets_changes_and_removes_targets(client, db, world):
    headers = await bearer(db, world, "bureau")
    body = {
        "targets": [
            {"key": "people_trained", "value": "12000"},
            {"key": "incubated_firms", "district": "华龙区", "value": "300"},
            {"key": "guaranteed_loans_yuan", "district": "华龙区", "value": "150000000.50"},
        ]
    }
    response = await client.put("/api/city/targets/2018", json=body, headers=headers)
    assert response.status_code == 200, response.text
    values = _values(response.json())
    assert values[(None, "people_trained")] == ("12000", False)
    assert values[(None, "national_parks")] == ("1", True)
    assert values[("华龙区", "incubated_firms")] == ("300", False)
    assert values[("华龙区", "guaranteed_loans_yuan")] == ("150000000.50", False)
    assert ("清丰县", "incubated_firms") not in values
    assert (await client.get("/api/city/targets?year=2019", headers=headers)).json()[0]["default"]  # other years

    change = {
        "targets": [
            {"key": "people_trained", "value": "11000"},
            {"key": "incubated_firms", "district": "华龙区", "value": None},
        ]
    }
    again = _values((await client.put("/api/city/targets/2018", json=change, headers=headers)).json())
    assert again[(None, "people_trained")] == ("11000", False)
    assert ("华龙区", "incubated_firms") not in again
    assert again[("华龙区", "guaranteed_loans_yuan")] == ("150000000.50", False)  # not named: unchanged
    assert await _stored(db) == 2
    actions = (
        await db.execute(
            sa.select(AuditEntry.action, sa.func.count())
            .where(AuditEntry.entity_type == "city_targets")
            .group_by(AuditEntry.action)
        )
    ).all()
    assert dict(actions) == {"create": 3, "update": 1, "delete": 1}


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"key": "people_trained", "value": "-1"}, "targets[1].value"),
        ({"key": "people_trained", "value": "10.5"}, "targets[1].value"),
        ({"key": "guaranteed_loans_yuan", "value": "1.005"}, "targets[1].value"),
        ({"key": "parks_on_the_moon", "value": "1"}, "targets[1].key"),
        ({"key": "people_trained", "district": "", "value": "1"}, "targets[1].district"),
        ({"key": "incubated_firms", "value": "5"}, "targets[1].key"),  # given twice
    ],
)
async def test_a_bad_item_is_named_and_nothing_is_written(client, db, world, bad, field):
    body = {"targets": [{"key": "incubated_firms", "value": "900"}, bad]}
    response = await client.put("/api/city/targets/2018", json=body, headers=await bearer(db, world, "bureau"))
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field
    assert await _stored(db) == 0


async def test_a_year_out_of_range_is_refused(client, db, world):
    headers = await bearer(db, world, "admin")
    response = await client.put("/api/city/targets/1990", json={"targets": []}, headers=headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "year"
    response = await client.get("/api/city/targets?year=3000", headers=headers)
    assert (response.status_code, response.json()["errors"][0]["field"]) == (422, "year")


async def test_one_row_per_year_district_and_key_even_for_the_whole_city(db, world):
    db.add(CityTarget(year=2018, district=None, key=TargetKey.PEOPLE_TRAINED, value=100))
    db.add(CityTarget(year=2018, district="华龙区", key=TargetKey.PEOPLE_TRAINED, value=40))
    db.add(CityTarget(year=2019, district=None, key=TargetKey.PEOPLE_TRAINED, value=100))
    await db.commit()
    for district in (None, "华龙区"):
        db.add(CityTarget(year=2018, district=district, key=TargetKey.PEOPLE_TRAINED, value=1))
        with pytest.raises(IntegrityError):
            await db.commit()
        await db.rollback()
    db.add(CityTarget(year=2018, district=None, key=TargetKey.INCUBATED_FIRMS, value=-1))
    with pytest.raises(IntegrityError):
        await db.commit()


async def test_the_targets_page_edits_a_row_at_a_time(client, db, world):
    await page_login(client, db, world.user("bureau"))
    page = await client.get("/city/targets?year=2018")
    assert page.status_code == 200
    assert "全市" in page.text
    assert {"华龙区", "清丰县"} <= set(re.findall(r"<strong>(.+?)</strong>", page.text))  # the parks' districts
    assert 'value="10000"' in page.text
    form = {
        "district": "清丰县",
        "people_trained": "2500",
        "incubated_firms": "",
        "guaranteed_loans_yuan": "50000000",
        "_csrf_token": await csrf_token(client),
    }
    saved = await client.post("/city/targets/2018", data=form, follow_redirects=False)
    assert saved.status_code == 303
    assert saved.headers["location"] == "/city/targets?year=2018"
    rows = {(t.district, t.key.value): t.value for t in await db.scalars(sa.select(CityTarget))}
    assert rows == {("清丰县", "people_trained"): 2500, ("清丰县", "guaranteed_loans_yuan"): 50_000_000}

    wrong = await client.post("/city/targets/2018", data={**form, "people_trained": "2500.5"})
    assert wrong.status_code == 400
    assert "必须是整数" in wrong.text
    assert 'value="2500.5"' in wrong.text  # what was typed stays
    db.expire_all()
    assert await db.scalar(sa.select(CityTarget.value).where(CityTarget.key == "people_trained")) == 2500


async def test_district_targets_come_in_pinyin_order(client, db, world):
    body = {
        "targets": [
            {"key": "incubated_firms", "district": "华龙区", "value": "300"},
            {"key": "incubated_firms", "district": "范县", "value": "100"},
        ]
    }
    headers = await bearer(db, world, "bureau")
    targets = (await client.put("/api/city/targets/2018", json=body, headers=headers)).json()
    # the whole city first, then 范 (fàn) before 华 (huá), though 华 comes first by code point
    assert [t["district"] for t in targets if t["district"]] == ["范县", "华龙区"]
