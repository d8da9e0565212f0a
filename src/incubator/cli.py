"""The ``incubator`` command: the Litestar CLI with our commands added.

``incubator database ...`` (migrations) comes from advanced-alchemy and ``incubator run`` from
litestar-granian; this module adds ``users`` and ``demo``.
"""

import asyncio
import json
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click
from litestar.cli._utils import LitestarGroup
from litestar.plugins import CLIPluginProtocol

if TYPE_CHECKING:
    from litestar import Litestar
    from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")


def _run_in_session(app: "Litestar", work: Callable[["AsyncSession"], Awaitable[T]]) -> T:
    from incubator.db.session import ALCHEMY_STATE_KEY

    alchemy = app.state[ALCHEMY_STATE_KEY]

    async def runner() -> T:
        try:
            async with alchemy.get_session() as session:
                result = await work(session)
                await session.commit()
                return result
        finally:
            await alchemy.get_engine().dispose()

    return asyncio.run(runner())


class CLIPlugin(CLIPluginProtocol):
    def on_cli_init(self, cli: click.Group) -> None:
        cli.add_command(users_group)
        cli.add_command(demo_group)
        cli.add_command(ratings_group)
        cli.add_command(reports_group)


@click.group(cls=LitestarGroup, name="users")
def users_group() -> None:
    """Manage accounts."""


@users_group.command(name="create")
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True, help="Display name")
@click.option(
    "--role",
    required=True,
    type=click.Choice(["admin", "bureau", "mentor", "operator"]),
    help="Founders get their accounts from their firm's page, which ties the account to the firm",
)
@click.option("--park", "park_code", default=None, help="Park code, for the operator role")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    envvar="INCUBATOR_NEW_PASSWORD",
    help="Read from INCUBATOR_NEW_PASSWORD or asked for when not given",
)
def create_user(
    app: "Litestar", email: str, display_name: str, role: str, park_code: str | None, password: str
) -> None:
    """Create an account with a city role, or an operator of one park."""
    import msgspec
    import sqlalchemy as sa

    from incubator.auth.models import CityRole
    from incubator.auth.schemas import MembershipCreate, UserCreate
    from incubator.auth.services import UserService
    from incubator.errors import DomainError
    from incubator.parks.models import Park

    settings = app.state["settings"]
    is_park_role = role == "operator"
    if is_park_role != bool(park_code):
        raise click.UsageError("--park is required for operator, and only for it")

    async def work(session: "AsyncSession") -> str:
        memberships = []
        if park_code:
            park_id = await session.scalar(sa.select(Park.id).where(Park.code == park_code.upper()))
            if park_id is None:
                raise click.BadParameter(f"no park with code {park_code}", param_hint="--park")
            memberships.append(MembershipCreate(park_id=park_id, role=role))  # type: ignore[arg-type]
        try:
            data = msgspec.convert(
                {
                    "email": email,
                    "display_name": display_name,
                    "password": password,
                    "city_role": None if is_park_role else CityRole(role),
                    "memberships": [msgspec.to_builtins(m) for m in memberships],
                },
                UserCreate,
            )
            user = await UserService(session, demo_mode=settings.demo_mode).create_user(data)
        except msgspec.ValidationError as exc:
            raise click.UsageError(str(exc)) from exc
        except DomainError as exc:
            raise click.UsageError(f"{exc.field}: {exc.message}") from exc
        return user.email

    click.echo(f"created {_run_in_session(app, work)}")


@click.group(cls=LitestarGroup, name="demo")
def demo_group() -> None:
    """The demo city."""


@demo_group.command(name="load")
@click.option(
    "--scale",
    default=1,
    show_default=True,
    type=click.IntRange(1, 1000),
    help="1: fifteen parks, ~500 firms; 100: the benchmark city (100 parks, 50,000 firms, ~1,000,000 sessions)",
)
@click.option("--seed", default=2017, show_default=True, type=int, help="The same seed builds the same city")
def load_demo(app: "Litestar", scale: int, seed: int) -> None:
    """Load the demo city of Puyang (2015–2017) into an empty database (does nothing when parks exist)."""
    import time

    from incubator.demo import load_demo_city

    if not app.state["settings"].demo_mode:
        raise click.UsageError("the demo city (with its published password) loads only in demo mode")
    settings = app.state["settings"]
    started = time.perf_counter()
    counts = _run_in_session(app, lambda session: load_demo_city(session, settings, scale=scale, seed=seed))
    if counts is None:
        click.echo("the database already has parks; demo data not loaded")
        return
    summary = ", ".join(f"{table} {n:,}" for table, n in counts.items())
    click.echo(f"demo city loaded in {time.perf_counter() - started:.1f} s (scale {scale}, seed {seed}): {summary}")


@demo_group.command(name="accounts")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON")
def demo_accounts(as_json: bool) -> None:
    """The demo accounts: e-mail, role and park code. Their password is ``incubator-demo``."""
    from incubator.config import DEMO_PASSWORD
    from incubator.demo import DEMO_ACCOUNTS

    rows = [{"email": a.email, "role": a.role, "park": a.park_code} for a in DEMO_ACCOUNTS]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    click.echo(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    for row in rows:
        click.echo(f"  {row['email']:<32} {row['role']:<9} {row['park'] or ''}")


def main() -> None:
    os.environ.setdefault("LITESTAR_APP", "incubator.app:create_app")
    # `incubator run` (litestar-granian) binds where our settings say.
    for ours, theirs in (("INCUBATOR_HOST", "LITESTAR_HOST"), ("INCUBATOR_PORT", "LITESTAR_PORT")):
        if ours in os.environ:
            os.environ.setdefault(theirs, os.environ[ours])
    from litestar.cli.main import litestar_group

    litestar_group()


@click.group(cls=LitestarGroup, name="ratings")
def ratings_group() -> None:
    """Star ratings."""


@ratings_group.command(name="compute")
@click.option("--period", "year", required=True, type=click.IntRange(2000, 2100), help="The calendar year rated")
@click.option("--park", "park_code", default=None, help="One park's code (default: every park)")
def compute_ratings(app: "Litestar", year: int, park_code: str | None) -> None:
    """Compute the drafts of a period (opening it under the active rubric if need be); submitted and later
    ratings are left as they are."""
    import time

    import sqlalchemy as sa

    from incubator.errors import NotFound
    from incubator.parks.models import Park
    from incubator.ratings.services import RatingRounds

    async def work(session: "AsyncSession") -> list[tuple[str, str, int, str]]:
        rounds = RatingRounds(session)
        try:
            rating_round = await rounds.get_round(str(year))
        except NotFound:
            rating_round = await rounds.open_round(year)
        codes = {park_id: code for park_id, code in await session.execute(sa.select(Park.id, Park.code))}
        park_ids = None
        if park_code:
            park_ids = {pid for pid, code in codes.items() if code == park_code.upper()}
            if not park_ids:
                raise click.BadParameter(f"no park with code {park_code}", param_hint="--park")
        drafts = await rounds.compute_drafts_across_parks(rating_round, park_ids)
        return [(codes[d.park_id], str(d.total), d.stars, d.exit_decision) for d in drafts]

    started = time.perf_counter()
    drafts = _run_in_session(app, work)
    for code, total, stars, decision in sorted(drafts):
        click.echo(f"{code:12} {total:>6}  {'★' * stars or '—':5}  {decision}")
    click.echo(f"{len(drafts)} drafts for {year} in {time.perf_counter() - started:.2f} s")


@click.group(cls=LitestarGroup, name="reports")
def reports_group() -> None:
    """PDF reports."""


@reports_group.command(name="render")
@click.option("--period", required=True, help="The rating period, e.g. 2017")
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder for the PDFs")
@click.option("--park", "park_codes", multiple=True, help="Only this park (repeatable; then without the bulletin)")
@click.option("--public-url", default=None, help="Where the certificates' QR codes point (default: setting)")
def render_reports(
    app: "Litestar", period: str, out: Path, park_codes: tuple[str, ...], public_url: str | None
) -> None:
    """Every park's rating report of the period, a certificate for each published rating with stars, and the
    city bulletin, rendered together in the PDF worker pool."""
    import time

    from incubator.errors import DomainError
    from incubator.reports.pages import RENDERER_KEY
    from incubator.reports.pdf import html_of
    from incubator.reports.services import Batch, period_documents_across_parks

    url = public_url or app.state["settings"].public_url or "http://127.0.0.1:8000"

    async def gather(session: "AsyncSession") -> Batch:
        return await period_documents_across_parks(session, period, url, park_codes)

    started = time.perf_counter()
    try:
        batch = _run_in_session(app, gather)
    except DomainError as exc:
        raise click.UsageError(f"{exc.field}: {exc.message}") from exc
    htmls = [html_of(app.template_engine, d.template, d.context) for d in batch.documents]
    gathered = time.perf_counter()
    renderer = app.state[RENDERER_KEY]
    try:
        pdfs = asyncio.run(renderer.render_many(htmls))
    finally:
        renderer.close()
    out.mkdir(parents=True, exist_ok=True)
    for document, pdf in zip(batch.documents, pdfs, strict=True):
        (out / document.file_name).write_bytes(pdf)
    finished = time.perf_counter()
    click.echo(
        f"{batch.reports} rating reports, {batch.certificates} certificates, "
        f"{len(batch.documents) - batch.reports - batch.certificates} bulletin in {out}: "
        f"{finished - started:.1f} s ({gathered - started:.1f} s data and HTML, "
        f"{finished - gathered:.1f} s PDF on {renderer.processes} workers)"
    )
