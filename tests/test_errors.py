from litestar import get

from incubator.auth.guards import ANY_USER, allow
from tests.conftest import bearer, page_login


async def test_unknown_api_route_is_a_problem_document(client, db, world):
    response = await client.get("/api/nothing-here", headers=await bearer(db, world, "admin"))
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["status"] == 404


async def test_unknown_page_is_a_friendly_page(client, db, world):
    await page_login(client, db, world.user("admin"))
    response = await client.get("/no/such/page")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "<html" in response.text
    assert 'href="/"' in response.text


async def test_unexpected_errors_show_no_stack_trace(app, client, db, world):
    @get("/api/explode", opt=allow(ANY_USER))
    async def explode() -> None:
        raise ZeroDivisionError("secret internals")

    @get("/explode", opt=allow(ANY_USER))
    async def explode_page() -> None:
        raise ZeroDivisionError("secret internals")

    app.register(explode)
    app.register(explode_page)
    api = await client.get("/api/explode", headers=await bearer(db, world, "admin"))
    assert api.status_code == 500
    assert api.json()["title"]
    await page_login(client, db, world.user("admin"))
    page = await client.get("/explode")
    assert page.status_code == 500
    for response in (api, page):
        assert "secret internals" not in response.text
        assert "Traceback" not in response.text
        assert "ZeroDivisionError" not in response.text


async def test_forbidden_page_explains_itself(client, db, world):
    await page_login(client, db, world.user("operator_a"))
    response = await client.get(f"/parks/{world.park_a.id}/edit")
    assert response.status_code == 403
    assert "<html" in response.text


async def test_database_errors_go_through_our_handler(app, client, db, world):
    from advanced_alchemy.exceptions import RepositoryError

    @get("/api/broken-query", opt=allow(ANY_USER))
    async def broken() -> None:
        raise RepositoryError("There was an issue processing the statement.")

    app.register(broken)
    response = await client.get("/api/broken-query", headers=await bearer(db, world, "admin"))
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "statement" not in response.text
