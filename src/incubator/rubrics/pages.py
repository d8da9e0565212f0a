"""The bureau's rubric pages: the list with the upload form and the activate buttons, and one rubric's tables."""

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect, Template

from incubator.auth.guards import allow
from incubator.i18n import current_locale
from incubator.ratings.controllers import BUREAU
from incubator.rubrics.controllers import UPLOAD_LIMIT, VERSION, provide_library, toml_download
from incubator.rubrics.schemas import MAX_BYTES, RubricUpload
from incubator.rubrics.services import RubricLibrary
from incubator.web.forms import submit_form
from incubator.web.render import render


class RubricPages(Controller):
    path = "/rubrics"
    include_in_schema = False
    opt = allow(*BUREAU)
    dependencies = {"library": Provide(provide_library)}

    @get("", name="rubrics")
    async def list_rubrics(self, request: Request, library: NamedDependency[RubricLibrary]) -> Template:
        return await _list(request, library, {}, {})

    @post("", request_max_body_size=UPLOAD_LIMIT)
    async def upload(self, request: Request, library: NamedDependency[RubricLibrary]) -> Template | Redirect:
        submitted = dict(await request.form())

        async def save(data: RubricUpload) -> str:
            stored = await library.upload(data, user_id=request.user.id)
            return f"/rubrics/{stored.version}"

        redirect, errors = await submit_form(submitted, RubricUpload, save)
        return redirect or await _list(request, library, {"version": submitted.get("version", "")}, errors, 400)

    @get(VERSION, name="rubric")
    async def show(self, request: Request, library: NamedDependency[RubricLibrary], version: FromPath[str]) -> Template:
        rubric = await library.get_rubric(version)
        chinese = current_locale() == "zh_CN"
        context = {
            "rubric": rubric,
            "summary": await library.summary(version),
            "chinese": chinese,
            "metric_names": {m.key: m.name_zh if chinese else m.name_en for m in rubric.metrics().values()},
        }
        return await render(request, "rubrics/detail.html", context)

    @get(VERSION + "/source")
    async def source(self, library: NamedDependency[RubricLibrary], version: FromPath[str]) -> Response[str]:
        return toml_download(version, await library.source(version))

    @post(VERSION + "/activate")
    async def activate(
        self, request: Request, library: NamedDependency[RubricLibrary], version: FromPath[str]
    ) -> Redirect:
        await library.activate(version, user_id=request.user.id)
        return Redirect("/rubrics", status_code=303)


async def _list(
    request: Request,
    library: RubricLibrary,
    form: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
) -> Template:
    summaries = await library.summaries()
    context = {
        "rubrics": summaries,
        "active": next((s for s in summaries if s.active), None),
        "max_kb": MAX_BYTES // 1024,
        "chinese": current_locale() == "zh_CN",
        "form": form,
        "errors": errors,
    }
    return await render(request, "rubrics/list.html", context, status_code=status_code)
