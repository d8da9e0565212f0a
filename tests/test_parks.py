import pytest
import sqlalchemy as sa

from incubator.audit.models import AuditEntry
from incubator.parks.models import Park
from tests.conftest import bearer, csrf_token, page_login

VALID = {
    "name": "台前县创业孵化基地",
    "code": "PY-TQ-01",
    "kind": "park",
    "level": "municipal",
    "district": "台前县",
    "incubation_area_m2": "5200.50",
    "recognised_on": "2016-05-01",
}


async def _count(db, model) -> int:
    return await db.scalar(sa.select(sa.func.count()).select_from(model))


async def test_admin_creates_a_park_through_the_api(client, db, world):
    response = await client.post("/api/parks", json=VALID, headers=await bearer(db, world, "admin"))
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "台前县创业孵化基地"
    assert body["incubation_area_m2"] == "5200.50"
    fetched = await client.get(f"/api/parks/{body['id']}", headers=await bearer(db, world, "bureau"))
    assert fetched.json() == body


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"code": "no spaces allowed"}, "code"),
        ({"code": "X"}, "code"),
        ({"name": ""}, "name"),
        ({"name": "园" * 201}, "name"),
        ({"kind": "castle"}, "kind"),
        ({"level": "galactic"}, "level"),
        ({"incubation_area_m2": "-1"}, "incubation_area_m2"),
        ({"incubation_area_m2": "1.234"}, "incubation_area_m2"),
        ({"incubation_area_m2": "lots"}, "incubation_area_m2"),
        ({"recognised_on": "2016-13-45"}, "recognised_on"),
        ({"district": None}, "district"),
        ({"surprise": 1}, "surprise"),
    ],
)
async def test_bad_park_input_names_the_field_and_writes_nothing(client, db, world, change, field):
    headers = await bearer(db, world, "admin")
    audit_before = await _count(db, AuditEntry)
    response = await client.post("/api/parks", json={**VALID, **change}, headers=headers)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["status"] == 422
    assert [e["field"] for e in problem["errors"]] == [field]
    assert await _count(db, Park) == 2
    assert await _count(db, AuditEntry) == audit_before


async def test_missing_field_is_named(client, db, world):
    body = {k: v for k, v in VALID.items() if k != "district"}
    response = await client.post("/api/parks", json=body, headers=await bearer(db, world, "admin"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "district"


async def test_malformed_json_is_a_bad_request(client, db, world):
    headers = {**await bearer(db, world, "admin"), "content-type": "application/json"}
    response = await client.post("/api/parks", content=b'{"name": ', headers=headers)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(("field", "value"), [("code", "park-a"), ("name", "乙园区")])
async def test_duplicate_code_or_name_is_a_conflict_naming_the_field(client, db, world, field, value):
    response = await client.post("/api/parks", json={**VALID, field: value}, headers=await bearer(db, world, "admin"))
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == field


async def test_patch_changes_only_what_is_given(client, db, world):
    headers = await bearer(db, world, "admin")
    response = await client.patch(f"/api/parks/{world.park_b.id}", json={"township": "马庄桥镇"}, headers=headers)
    assert response.status_code == 200
    assert response.json()["township"] == "马庄桥镇"
    assert response.json()["name"] == "乙园区"


async def test_patch_refuses_a_code_taken_by_another_park(client, db, world):
    headers = await bearer(db, world, "admin")
    response = await client.patch(f"/api/parks/{world.park_b.id}", json={"code": "PARK-A"}, headers=headers)
    assert response.status_code == 409
    own = await client.patch(f"/api/parks/{world.park_b.id}", json={"code": "park-b"}, headers=headers)
    assert own.status_code == 200


async def test_operator_lists_only_their_own_parks(client, db, world):
    body = (await client.get("/api/parks", headers=await bearer(db, world, "operator_a"))).json()
    assert [p["code"] for p in body["items"]] == ["PARK-A"]
    assert body["total"] == 1


async def test_operator_cannot_read_another_parks_record(client, db, world):
    response = await client.get(f"/api/parks/{world.park_b.id}", headers=await bearer(db, world, "operator_a"))
    assert response.status_code == 404


async def test_operator_cannot_edit_their_park_profile(client, db, world):
    headers = await bearer(db, world, "operator_a")
    response = await client.patch(f"/api/parks/{world.park_a.id}", json={"township": "x"}, headers=headers)
    assert response.status_code == 403


async def test_park_list_filters_and_pages(client, db, world):
    headers = await bearer(db, world, "bureau")
    for i in range(3):
        await client.post(
            "/api/parks",
            json={**VALID, "code": f"EXTRA-{i}", "name": f"示范点{i}", "kind": "demonstration_point"},
            headers=await bearer(db, world, "admin"),
        )
    points = (await client.get("/api/parks?kind=demonstration_point&limit=2", headers=headers)).json()
    assert points["total"] == 3
    assert len(points["items"]) == 2
    rest = (await client.get("/api/parks?kind=demonstration_point&limit=2&offset=2", headers=headers)).json()
    assert len(rest["items"]) == 1
    assert (await client.get("/api/parks?q=乙", headers=headers)).json()["total"] == 1
    assert (await client.get("/api/parks?district=清丰县", headers=headers)).json()["total"] == 1
    bad = await client.get("/api/parks?limit=1000", headers=headers)
    assert bad.status_code in (400, 422)
    assert "limit" in bad.text


async def test_park_form_shows_the_message_beside_the_field_and_keeps_input(client, db, world):
    await page_login(client, db, world.user("admin"))
    form = {**VALID, "incubation_area_m2": "-5", "_csrf_token": await csrf_token(client)}
    response = await client.post("/parks/new", data=form)
    assert response.status_code == 400
    assert 'id="incubation_area_m2-error"' in response.text
    assert "台前县创业孵化基地" in response.text
    assert await _count(db, Park) == 2


async def test_park_form_creates_and_redirects_to_the_park(client, db, world):
    await page_login(client, db, world.user("admin"))
    form = {**VALID, "recognised_on": "", "_csrf_token": await csrf_token(client)}
    response = await client.post("/parks/new", data=form, follow_redirects=False)
    assert response.status_code == 303
    home = await client.get(response.headers["location"])
    assert home.status_code == 200
    assert "台前县创业孵化基地" in home.text


async def test_park_edit_form_refuses_a_duplicate_code(client, db, world):
    await page_login(client, db, world.user("admin"))
    form = {**VALID, "code": "PARK-A", "_csrf_token": await csrf_token(client)}
    response = await client.post(f"/parks/{world.park_b.id}/edit", data=form)
    assert response.status_code == 400
    assert 'id="code-error"' in response.text


async def test_park_list_page_has_an_empty_state(client, db, world):
    await page_login(client, db, world.user("bureau"))
    response = await client.get("/parks?q=不存在的园区")
    assert response.status_code == 200
    assert 'class="empty"' in response.text


async def test_htmx_request_gets_only_the_rows(client, db, world):
    await page_login(client, db, world.user("bureau"))
    response = await client.get("/parks?q=甲", headers={"HX-Request": "true"})
    assert "<html" not in response.text
    assert "甲园区" in response.text
    assert "乙园区" not in response.text


async def test_api_text_is_trimmed_before_it_is_checked(client, db, world):
    headers = await bearer(db, world, "admin")
    padded = await client.post("/api/parks", json={**VALID, "name": " 乙园区 "}, headers=headers)
    assert padded.status_code == 409
    assert padded.json()["errors"][0]["field"] == "name"
    blank = await client.post("/api/parks", json={**VALID, "district": "   "}, headers=headers)
    assert blank.status_code == 422
    assert blank.json()["errors"][0]["field"] == "district"


async def test_list_fragments_vary_on_htmx_and_history_restore_gets_the_page(client, db, world):
    await page_login(client, db, world.user("bureau"))
    fragment = await client.get("/parks", headers={"HX-Request": "true"})
    assert fragment.headers["vary"] == "HX-Request"
    restored = await client.get("/parks", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restored.text
