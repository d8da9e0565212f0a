"""The bureau's city pages: the dashboard, and the targets with a form per row (the whole city, each district)."""

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from incubator import charts
from incubator.auth.guards import allow
from incubator.city.controllers import BUREAU, District, Period, Year, provide_targets
from incubator.city.models import TargetKey
from incubator.city.schemas import CityDashboard, TargetRow
from incubator.city.services import CityTargetService, by_pinyin, city_dashboard_across_parks
from incubator.clock import today
from incubator.i18n import _
from incubator.parks.services import ParkService
from incubator.web.forms import submit_form
from incubator.web.render import render


class CityPages(Controller):
    path = "/city"
    include_in_schema = False
    dependencies = {"targets": Provide(provide_targets)}

    @get("", opt=allow(*BUREAU), name="city_dashboard")
    async def dashboard(
        self,
        request: Request,
        db_session: NamedDependency[AsyncSession],
        period: Period = None,
        district: District = None,
    ) -> Template:
        figures = await city_dashboard_across_parks(db_session, period, district)
        return await render(request, "city/dashboard.html", {"figures": figures, "chart": stars_chart(figures)})

    @get("/targets", opt=allow(*BUREAU), name="city_targets")
    async def targets_page(
        self, request: Request, targets: NamedDependency[CityTargetService], year: Year = None
    ) -> Template:
        return await _targets(request, targets, year or today().year, {}, {})

    @post("/targets/{year:int}", opt=allow(*BUREAU))
    async def set_targets(
        self, request: Request, targets: NamedDependency[CityTargetService], year: FromPath[int]
    ) -> Template | Redirect:
        submitted = dict(await request.form())

        async def save(data: TargetRow) -> str:
            await targets.set_targets(year, data.update())
            return f"/city/targets?year={year}"

        redirect, errors = await submit_form(submitted, TargetRow, save)
        return redirect or await _targets(request, targets, year, submitted, errors, 400)


def stars_chart(figures: CityDashboard) -> Any:
    total = figures.stars[-1]
    labels = [_("Failed"), *("★" * n for n in range(1, 6)), _("Not rated")]
    return charts.bar(_("Parks by stars"), labels, {_("Parks"): [total.failed, *total.stars, total.not_rated]})


async def _targets(
    request: Request,
    targets: CityTargetService,
    year: int,
    form: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
) -> Template:
    """A row per scope: the whole city, then each district with a park or a target; the submitted row keeps
    what was typed."""
    found = await targets.targets_of(year)
    districts = set(await ParkService(session=targets.repository.session).counts_by_district_across_parks())
    values: dict[str | None, dict[str, Any]] = {None: {}}
    for district in by_pinyin(list(districts | {t.district for t in found if t.district})):
        values[district] = {}
    for target in found:
        values[target.district][target.key.value] = target.value
    defaults = {t.key.value for t in found if t.default}
    submitted = form.get("district") or None
    if form:
        values[submitted] = form
    context = {
        "year": year,
        "rows": values,
        "defaults": defaults,
        "submitted": submitted if form else "",
        "keys": TargetKey,
        "errors": errors,
    }
    return await render(request, "city/targets.html", context, status_code=status_code)
