"""The pages of a city-wide pool (mentors, trainers): every logged-in user browses and searches it,
admin and the bureau add, edit and retire its members. A subclass names its path, provides the
``pool`` dependency (a :class:`~incubator.db.pool.PoolService`) and says which schemas, tag field
and templates it uses."""

import re
from typing import Annotated, Any, ClassVar
from uuid import UUID

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Stream, Template

from incubator.auth.guards import ANY_USER, allow
from incubator.db.pool import PoolService
from incubator.exchange.exports import Export, ExportFormat, download
from incubator.exchange.layouts import Layout
from incubator.web.forms import submit_form
from incubator.web.params import PageParams
from incubator.web.render import render

POOL_KEEPERS = ("admin", "bureau")


class PoolPages(Controller):
    include_in_schema = False
    create_schema: ClassVar[type[msgspec.Struct]]
    update_schema: ClassVar[type[msgspec.Struct]]
    tags_field: ClassVar[str]
    list_template: ClassVar[str]
    rows_template: ClassVar[str]
    form_template: ClassVar[str]
    layout: ClassVar[Layout]

    @get("", opt=allow(ANY_USER))
    async def browse(
        self,
        request: Request,
        pool: NamedDependency[PoolService[Any]],
        page: NamedDependency[PageParams],
        q: Annotated[str, QueryParameter(max_length=100)] = "",
    ) -> Template:
        items, total = await pool.search(q, limit=page.limit, offset=page.offset)
        context = {
            "members": items,
            "total": total,
            "page": page,
            "q": q,
            "keeps_pool": _keeps_pool(request),
            "pool_path": self.path,
            "export_path": f"{self.path}/export",
            "rows_template": self.rows_template,
        }
        return await render(request, self.list_template, context, partial=self.rows_template)

    @get("/export", opt=allow(ANY_USER))
    async def export(
        self,
        request: Request,
        pool: NamedDependency[PoolService[Any]],
        export_format: NamedDependency[ExportFormat],
        q: Annotated[str, QueryParameter(max_length=100)] = "",
    ) -> Stream:
        return await download(request, Export(self.layout, pool.matching(q)), export_format)

    @get("/new", opt=allow(*POOL_KEEPERS))
    async def new_member(self, request: Request) -> Template:
        return await self._form(request, None, {}, {})

    @post("/new", opt=allow(*POOL_KEEPERS))
    async def add_member(self, request: Request, pool: NamedDependency[PoolService[Any]]) -> Template | Redirect:
        submitted = self._with_tags(dict(await request.form()))

        async def save(data: Any) -> str:
            await pool.add_member(data)
            return self.path

        redirect, errors = await submit_form(submitted, self.create_schema, save)
        return redirect or await self._form(request, None, submitted, errors, 400)

    @get("/{member_id:uuid}/edit", opt=allow(*POOL_KEEPERS))
    async def edit_member(
        self, request: Request, pool: NamedDependency[PoolService[Any]], member_id: FromPath[UUID]
    ) -> Template:
        member = await pool.get_member(member_id)
        return await self._form(
            request, member, {f: getattr(member, f) for f in self.update_schema.__struct_fields__}, {}
        )

    @post("/{member_id:uuid}/edit", opt=allow(*POOL_KEEPERS))
    async def update_member(
        self, request: Request, pool: NamedDependency[PoolService[Any]], member_id: FromPath[UUID]
    ) -> Template | Redirect:
        submitted = self._with_tags(dict(await request.form()))

        async def save(data: Any) -> str:
            await pool.update_member(member_id, data)
            return self.path

        redirect, errors = await submit_form(submitted, self.update_schema, save)
        if redirect:
            return redirect
        return await self._form(request, await pool.get_member(member_id), submitted, errors, 400)

    def _with_tags(self, form: dict[str, Any]) -> dict[str, Any]:
        if isinstance(form.get(self.tags_field), str):
            form[self.tags_field] = split_tags(form[self.tags_field])
        return form

    async def _form(
        self, request: Request, member: Any, form: dict[str, Any], errors: dict[str, str], status_code: int = 200
    ) -> Template:
        if isinstance(form.get(self.tags_field), list):
            form = {**form, self.tags_field: "、".join(form[self.tags_field])}
        context = {"member": member, "form": form, "errors": errors}
        return await render(request, self.form_template, context, status_code=status_code)


def split_tags(text: str) -> list[str]:
    """Tags are typed (or kept in a spreadsheet cell) as one line, separated by 、 , ， or ;."""
    return [t.strip() for t in re.split(r"[、,，;；]", text) if t.strip()]


def _keeps_pool(request: Request) -> bool:
    return request.user.city_role in POOL_KEEPERS
