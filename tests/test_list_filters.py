"""Filter forms submitted without JavaScript send every field; an empty one means "no filter"."""

import pytest

from tests.conftest import bearer, page_login

LISTS = [
    "/parks?q=&district=&kind=&level=",
    "/parks/{a}/incubatees?q=&status=&kind=&sort=name",
    "/parks/{a}/trainings?q=&kind=&year=",
    "/parks/{a}/support/deliveries?q=&category=&group=&incubatee_id=&from=&to=",
    "/parks/{a}/support/requests?status=",
    "/parks/{a}/trainees?q=&linked=",
    "/parks/{a}/reports?overdue=",
    "/mentors?q=",
    "/audit?entity_type=&action=&q=",
]


@pytest.mark.parametrize("url", LISTS)
async def test_empty_filters_list_everything(client, db, world, url):
    await page_login(client, db, world.user("admin"))
    response = await client.get(url.format(a=world.park_a.id))
    assert response.status_code == 200


async def test_a_chosen_filter_still_applies_and_a_bad_one_is_refused(client, db, world):
    await page_login(client, db, world.user("admin"))
    kept = await client.get(f"/parks/{world.park_a.id}/incubatees?q=%E5%B7%A7%E6%89%8B&status=&kind=handicraft")
    assert "濮阳巧手编织坊" in kept.text
    assert (await client.get(f"/parks/{world.park_a.id}/incubatees?status=sleeping")).status_code == 422


async def test_the_api_keeps_strict_parameters(client, db, world):
    response = await client.get(
        f"/api/parks/{world.park_a.id}/incubatees?status=", headers=await bearer(db, world, "admin")
    )
    assert response.status_code in (400, 422)
