"""A park's rating pages: the breakdown with its radar chart, the adjustments, and the review's actions."""

import datetime
import enum
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath
from litestar.response import Redirect, Stream, Template
from sqlalchemy.ext.asyncio import AsyncSession

from incubator import charts
from incubator.auth.guards import allow
from incubator.clock import today
from incubator.errors import DomainError
from incubator.exchange.exports import Export, ExportFormat, download
from incubator.exchange.layouts import RATINGS
from incubator.i18n import _, current_locale, enum_label
from incubator.ratings.controllers import (
    BUREAU,
    PARK,
    RATING_SERVICES,
    READERS,
    UPLOAD_REFUSALS,
    PeriodParameter,
    StatusParameter,
    attach_upload,
    evidence_file,
    queue_export,
)
from incubator.ratings.drilldown import HELPER_NAMES, metric_name
from incubator.ratings.evidence import ACCEPTED, MAX_EVIDENCE_FILES, MAX_EVIDENCE_MB, UPLOAD_BODY_LIMIT
from incubator.ratings.metrics import HUNDREDTH
from incubator.ratings.models import SET_ASIDE, Rating, RatingStatus, correctable, withdrawable
from incubator.ratings.schemas import (
    AdjustmentCreate,
    CommentCreate,
    EvidenceUpload,
    PeriodOpening,
    Returning,
    Revision,
    Submission,
    Transition,
    Withdrawal,
)
from incubator.ratings.services import OPEN_TO_THE_PARK, RatingComments, RatingEvidenceFiles, RatingReview, RatingRounds
from incubator.rubrics import services as rubrics
from incubator.rubrics.services import RubricLibrary
from incubator.web.forms import form_errors, submit_form
from incubator.web.params import PageParams
from incubator.web.render import render

RATING = "/{rating_id:uuid}"
EVIDENCE = RATING + "/evidence/{evidence_id:uuid}"


def _transition(path: str, roles: tuple[str, ...], schema: type[msgspec.Struct], method: str) -> HTTPRouteHandler:
    """A form of the review that moves the rating on (submit, review, return, approve, publish, revise,
    withdraw): the same handler but for its path, who may use it, its form and the service method it calls."""

    @post(RATING + path, opt=allow(*roles))
    async def move(
        self: Controller,
        request: Request,
        review: NamedDependency[RatingReview],
        park_id: FromPath[UUID],
        rating_id: FromPath[UUID],
    ) -> Template | Redirect:
        return await _act(request, review, park_id, rating_id, schema, getattr(review, method))

    return move


class RatingPages(Controller):
    path = "/parks/{park_id:uuid}/ratings"
    include_in_schema = False
    dependencies = RATING_SERVICES

    @get("", opt=allow(*READERS), name="park_ratings")
    async def list_ratings(
        self, request: Request, review: NamedDependency[RatingReview], park_id: FromPath[UUID]
    ) -> Template:
        periods = {r.id: r.label for r in await RatingRounds(review.repository.session).rounds()}
        context = {"park_id": park_id, "ratings": await review.list_ratings(), "periods": periods}
        return await render(request, "ratings/list.html", context)

    @get("/export", opt=allow(*READERS))
    async def export_ratings(
        self,
        request: Request,
        review: NamedDependency[RatingReview],
        export_format: NamedDependency[ExportFormat],
        park_id: FromPath[UUID],
    ) -> Stream:
        return await download(request, Export(RATINGS, review.with_periods(), park_id=park_id), export_format)

    @get(RATING, opt=allow(*READERS), name="park_rating")
    async def show(
        self,
        request: Request,
        review: NamedDependency[RatingReview],
        park_id: FromPath[UUID],
        rating_id: FromPath[UUID],
    ) -> Template:
        return await _detail(request, review, park_id, rating_id, {}, {})

    @get(RATING + "/metrics/{metric:str}", opt=allow(*READERS), name="rating_metric")
    async def metric(
        self,
        request: Request,
        review: NamedDependency[RatingReview],
        page: NamedDependency[PageParams],
        park_id: FromPath[UUID],
        rating_id: FromPath[UUID],
        metric: FromPath[str],
    ) -> Template:
        """The rows behind one value of the rating, with the value as frozen and a note if the data changed."""
        drill = await review.drill_down(rating_id, metric, limit=page.limit, offset=page.offset)
        context = {"park_id": park_id, "rating_id": rating_id, "drill": drill, "shown": shown, "added": added}
        return await render(request, "ratings/metric.html", context)

    submit = _transition("/submit", PARK, Submission, "submit")

    review_it = _transition("/review", BUREAU, Transition, "start_review")

    @post(RATING + "/adjustments", opt=allow(*BUREAU))
    async def adjust(
        self,
        request: Request,
        review: NamedDependency[RatingReview],
        park_id: FromPath[UUID],
        rating_id: FromPath[UUID],
    ) -> Template | Redirect:
        async def adjust(rating_id: UUID, data: AdjustmentCreate) -> Rating:
            return await review.adjust(rating_id, data, user_id=request.user.id)

        return await _act(request, review, park_id, rating_id, AdjustmentCreate, adjust)

    return_it = _transition("/return", BUREAU, Returning, "return_to_park")
    approve = _transition("/approve", BUREAU, Transition, "approve")
    publish = _transition("/publish", BUREAU, Transition, "publish")
    revise = _transition("/revise", BUREAU, Revision, "revise")
    withdraw = _transition("/withdraw", BUREAU, Withdrawal, "withdraw")

    @post(RATING + "/comments", opt=allow(*READERS))
    async def comment(
        self,
        request: Request,
        review: NamedDependency[RatingReview],
        comments: NamedDependency[RatingComments],
        park_id: FromPath[UUID],
        rating_id: FromPath[UUID],
    ) -> Template | Redirect:
        async def add(rating_id: UUID, data: CommentCreate) -> object:
            return await comments.add(rating_id, data, user_id=request.user.id)

        return await _act(request, review, park_id, rating_id, CommentCreate, add)

    @post(
        RATING + "/evidence",
        opt=allow(*PARK),
        request_max_body_size=UPLOAD_BODY_LIMIT,
        exception_handlers=UPLOAD_REFUSALS,
    )
    async def attach(
        self,
        request: Request,
        review: NamedDependency[RatingReview],
        evidence: NamedDependency[RatingEvidenceFiles],
        park_id: FromPath[UUID],
        rating_id: FromPath[UUID],
    ) -> Template | Redirect:
        async def upload(rating_id: UUID, data: EvidenceUpload) -> object:
            return await attach_upload(evidence, rating_id, data, request.user.id)

        return await _act(request, review, park_id, rating_id, EvidenceUpload, upload)

    @get(EVIDENCE, opt=allow(*READERS))
    async def download(
        self, evidence: NamedDependency[RatingEvidenceFiles], rating_id: FromPath[UUID], evidence_id: FromPath[UUID]
    ) -> Response[bytes]:
        return evidence_file(await evidence.download(rating_id, evidence_id))

    @post(EVIDENCE + "/delete", opt=allow(*PARK))
    async def remove(
        self,
        request: Request,
        review: NamedDependency[RatingReview],
        evidence: NamedDependency[RatingEvidenceFiles],
        park_id: FromPath[UUID],
        rating_id: FromPath[UUID],
        evidence_id: FromPath[UUID],
    ) -> Template | Redirect:
        async def remove(rating_id: UUID, _data: msgspec.Struct) -> object:
            await evidence.remove(rating_id, evidence_id)
            return None

        return await _act(request, review, park_id, rating_id, _Nothing, remove)


class _Nothing(msgspec.Struct):
    """The form of a button that sends nothing but its CSRF token."""


async def _act(
    request: Request,
    review: RatingReview,
    park_id: UUID,
    rating_id: UUID,
    schema: type[msgspec.Struct],
    action: Callable[[UUID, Any], Awaitable[object]],
) -> Template | Redirect:
    """One of the rating page's forms: do it and come back, or show the page with its message."""
    submitted = dict(await request.form())

    async def save(data: Any) -> str:
        done = await action(rating_id, data)
        shown = done.id if isinstance(done, Rating) else rating_id  # a correction goes on at its new revision
        return f"/parks/{park_id}/ratings/{shown}"

    redirect, errors = await submit_form(submitted, schema, save)
    return redirect or await _detail(request, review, park_id, rating_id, submitted, errors, 400)


async def _detail(
    request: Request,
    review: RatingReview,
    park_id: UUID,
    rating_id: UUID,
    form: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
) -> Template:
    rating = await review.get_in_park(rating_id, field="rating_id")
    revisions = await review.revisions(rating)
    context = {
        "park_id": park_id,
        **await breakdown(review, rating),
        "revisions": revisions,
        "correctable": correctable(rating, revisions),
        "withdrawable": withdrawable(rating),
        "comments": await RatingComments(review.repository.session, park_id).thread(rating.id),
        "evidence": await RatingEvidenceFiles(review.repository.session, park_id).list_evidence(rating.id),
        "evidence_open": rating.status in OPEN_TO_THE_PARK,
        "evidence_limits": {
            "kinds": ", ".join(ACCEPTED.values()),
            "mb": MAX_EVIDENCE_MB,
            "files": MAX_EVIDENCE_FILES,
        },
        "improvements": [i for i in await review.what_if(rating.id) if i.target is not None],
        "roles_here": request.user.roles_in_park(park_id),
        "form": form,
        "errors": errors,
    }
    return await render(request, "ratings/detail.html", context, status_code=status_code)


async def breakdown(review: RatingReview, rating: Rating) -> dict[str, Any]:
    """The rating's numbers as its page and its printed report show them: each dimension's indicators with
    their scores and derivations, the radar chart, the adjustments, and the earlier periods with their trend."""
    rubric = await rubrics.rubric(review.repository.session, rating.rubric_version)
    chinese = current_locale() == "zh_CN"
    scored = {d["key"]: d for d in rating.breakdown.get("dimensions", [])}
    dimensions = []
    for dimension in rubric.dimensions:
        got = scored.get(dimension.key, {"points": "0", "indicators": []})
        indicators = {i["metric"]: i for i in got["indicators"]}
        dimensions.append(
            {
                "name": dimension.name_zh if chinese else dimension.name_en,
                "points": got["points"],
                "weight": dimension.weight,
                "indicators": [
                    {
                        "key": indicator.key,
                        "name": indicator.name_zh if chinese else indicator.name_en,
                        "unit": indicator.unit,
                        "scored": indicators.get(indicator.key, {}),
                        "collected": rating.metrics.get(indicator.key, {}),
                    }
                    for indicator in dimension.indicators
                ],
            }
        )
    shares = [round(float(d["points"]) * 100 / float(d["weight"]), 1) for d in dimensions]
    radar = charts.radar(
        _("Points by dimension (% of the weight)"), [d["name"] for d in dimensions], {_("This rating"): shares}
    )
    history = await review.history(rating)
    trend = (
        charts.line(
            _("Total score by period"),
            [label for label, _r in history],
            {_("Total score"): [float(r.total) for _l, r in history]},
        )
        if len(history) > 1
        else None
    )
    return {
        "rating": rating,
        "rubric": rubric,
        "dimensions": dimensions,
        "radar": radar,
        "earlier": history[:-1],
        "trend": trend,
        "helper_metrics": {key: metric_name(rubric, key) for key in HELPER_NAMES},
        "adjustments": await review.adjustments(rating.id),
        "metric_names": {m.key: (m.name_zh if chinese else m.name_en) for m in rubric.metrics().values()},
        "veto_names": {v.key: (v.name_zh if chinese else v.name_en) for v in rubric.vetoes},
    }


def shown(value: Any) -> str:
    """A cell of a drill-down as text: labels for codes, whole numbers without decimals, money to the cent."""
    if value is None:
        return "—"
    if isinstance(value, enum.Enum | bool):
        return enum_label(value)
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal(1)) if value == value.to_integral_value() else value.quantize(HUNDREDTH))
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def added(value: Decimal | None) -> str:
    """What a row adds to the numerator or the denominator: a mark, with the amount where it is not one."""
    if value is None:
        return "—"
    return "✓" if value == 1 else f"✓ {shown(value)}"


class ReviewQueuePages(Controller):
    path = "/ratings"
    include_in_schema = False

    @get("", opt=allow(*BUREAU), name="review_queue")
    async def queue(
        self,
        request: Request,
        db_session: NamedDependency[AsyncSession],
        period: PeriodParameter = None,
        status: StatusParameter = None,
    ) -> Template:
        """The bureau's review queue: every park's rating of a period, the ones waiting first."""
        return await _queue(request, db_session, period, status)

    @get("/export", opt=allow(*BUREAU))
    async def export_queue(
        self,
        request: Request,
        db_session: NamedDependency[AsyncSession],
        export_format: NamedDependency[ExportFormat],
        period: PeriodParameter = None,
        status: StatusParameter = None,
    ) -> Stream:
        return await download(request, await queue_export(db_session, period, status), export_format)

    @post("/periods", opt=allow(*BUREAU))
    async def open_period(self, request: Request, db_session: NamedDependency[AsyncSession]) -> Template | Redirect:
        submitted = dict(await request.form())

        async def save(data: PeriodOpening) -> str:
            rating_round, _drafts = await RatingRounds(db_session).open_period(data)
            return f"/ratings?period={rating_round.label}"

        redirect, errors = await submit_form(submitted, PeriodOpening, save)
        return redirect or await _queue(request, db_session, None, None, submitted, errors, 400)

    @post("/periods/{period:str}/compute", opt=allow(*BUREAU))
    async def compute(
        self, request: Request, db_session: NamedDependency[AsyncSession], period: FromPath[str]
    ) -> Template | Redirect:
        async def recompute(rounds: RatingRounds) -> None:
            await rounds.recompute(period)

        return await _period_action(request, db_session, period, recompute)

    @post("/periods/{period:str}/close", opt=allow(*BUREAU))
    async def close(
        self, request: Request, db_session: NamedDependency[AsyncSession], period: FromPath[str]
    ) -> Template | Redirect:
        async def close(rounds: RatingRounds) -> None:
            await rounds.close_round(period)

        return await _period_action(request, db_session, period, close)


async def _period_action(
    request: Request,
    db_session: AsyncSession,
    period: str,
    action: Callable[[RatingRounds], Awaitable[None]],
) -> Template | Redirect:
    try:
        await action(RatingRounds(db_session))
    except DomainError as exc:
        return await _queue(request, db_session, period, None, {}, form_errors(exc), 409)
    return Redirect(f"/ratings?period={period}", status_code=303)


async def _queue(
    request: Request,
    db_session: AsyncSession,
    period: str | None,
    status: RatingStatus | None,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    rounds = RatingRounds(db_session)
    rating_round, entries = await rounds.queue(period, status)
    context = {
        "rating_round": rating_round,
        "periods": await rounds.rounds(),
        "rubric_versions": [(r.version, r.active) for r in await RubricLibrary(session=db_session).summaries()],
        "ratings": [entry.Rating for entry in entries],
        "parks": {entry.Rating.park_id: entry.park for entry in entries},
        "statuses": [s for s in RatingStatus if s not in SET_ASIDE],  # the queue shows the revisions in force
        "status": status,
        "next_year": today().year - 1,
        "form": form or {},
        "errors": errors or {},
    }
    return await render(request, "ratings/queue.html", context, status_code=status_code)
