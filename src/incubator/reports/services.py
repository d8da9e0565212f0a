"""What each PDF shows: a report's data gathered through the domains' own services, as a template with its
context. The pages render one at a time, the batch command a whole period at once."""

import datetime
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, NamedTuple
from uuid import UUID

import segno
import sqlalchemy as sa
from markupsafe import Markup
from sqlalchemy.ext.asyncio import AsyncSession

from incubator import charts
from incubator.city.pages import stars_chart
from incubator.city.services import city_dashboard_across_parks
from incubator.clock import today
from incubator.db.portable import pinyin_key, pinyin_order
from incubator.db.tenancy import release_park
from incubator.errors import InvalidInput
from incubator.i18n import _, enum_label
from incubator.incubatees.models import Incubatee
from incubator.mentors.models import MentorSession, SessionStatus
from incubator.parks.models import Park
from incubator.periodic_reports.periods import ReportState
from incubator.periodic_reports.services import ReportService
from incubator.ratings.metrics import in_incubation
from incubator.ratings.models import Rating, RatingRound, RatingStatus
from incubator.ratings.pages import breakdown, shown
from incubator.ratings.services import RatingReview, RatingRounds
from incubator.reports.certificates import certificate_of, grouped
from incubator.space.services import LeaseService
from incubator.support.models import ServiceDelivery
from incubator.trainings.models import Attendance, Enrolment, Training

EXITS = ("revoke", "rectify", "downgrade")
"""The exit decisions a bulletin lists: those that change a park's standing."""


class Document(NamedTuple):
    template: str
    context: dict[str, Any]
    file_name: str


async def rating_report(session: AsyncSession, park_id: UUID, rating_id: UUID) -> Document:
    """A park's rating, printed: cover, score and stars, radar, indicators with derivations, adjustments with
    their reasons, earlier periods, funding and the exit decision."""
    review = RatingReview(session, park_id)
    return await report_of(review, await review.get_in_park(rating_id, field="rating_id"))


async def report_of(review: RatingReview, rating: Rating) -> Document:
    session = review.repository.session
    figures = await breakdown(review, rating)
    park = await session.get_one(Park, rating.park_id)
    period = (await session.get_one(RatingRound, rating.round_id)).label
    award = figures["rubric"].funding.award(rating.stars)
    context = {
        **figures,
        "title": _("Star rating report"),
        "park": park,
        "period": period,
        "award": award,
        "other_funding": rating.funding - award,
        "eligible_incubatees": rating.breakdown.get("funding", {}).get("eligible_incubatees", 0),
        "printed_on": today(),
        "number": lambda value: shown(None if value is None else Decimal(str(value))),
    }
    return Document("reports/rating.html", context, f"{park.code}-{period}-report-r{rating.revision}.pdf")


async def certificate(session: AsyncSession, park_id: UUID, rating_id: UUID, public_url: str) -> Document:
    """The star certificate of a published rating with stars (409 otherwise), with its code and QR code."""
    rating = await RatingReview(session, park_id).get_in_park(rating_id, field="rating_id")
    return await certificate_for(session, rating, public_url)


async def certificate_for(session: AsyncSession, rating: Rating, public_url: str) -> Document:
    issued = await certificate_of(session, rating)
    park = await session.get_one(Park, rating.park_id)
    period = (await session.get_one(RatingRound, rating.round_id)).label
    url = f"{public_url.rstrip('/')}/verify/{issued.code}"
    qr = segno.make(url, error="m").svg_inline(scale=4, dark="#1b1f24")
    context = {
        "title": _("Star certificate"),
        "park": park,
        "rating": rating,
        "period": period,
        "code": grouped(issued.code),
        "url": url,
        "qr": Markup(qr),  # noqa: S704  (segno's drawing of our own URL)
        "issued_on": issued.issued_on,
    }
    return Document("reports/certificate.html", context, f"{park.code}-{period}-certificate.pdf")


async def city_bulletin(session: AsyncSession, period: str | None) -> Document:
    """The bureau's bulletin of a period (the latest by default): the parks ranked by score, by district and
    stars, funding, exit decisions and the year's targets, from the city dashboard's figures."""
    figures = await city_dashboard_across_parks(session, period)
    totals: dict[UUID, Decimal] = {}
    if figures.period:
        rounds = RatingRounds(session)
        totals = {r.park_id: r.total for r in await rounds.ratings_of(await rounds.get_round(figures.period))}
    rated = sorted(
        (s for s in figures.standings if s.park_id in totals), key=lambda s: (-totals[s.park_id], pinyin_key(s.park))
    )
    ranked = [(1 + sum(1 for t in totals.values() if t > totals[s.park_id]), s, totals[s.park_id]) for s in rated]
    city = figures.progress[0]
    progress = {enum_label(p.key): round(min(p.share, 1) * 100, 1) for p in city.targets if p.share is not None}
    context = {
        "title": _("City bulletin of the star rating"),
        "figures": figures,
        "ranked": ranked,
        "exits": [s for s in figures.standings if s.decision in EXITS],
        "stars_chart": stars_chart(figures),
        "progress_chart": charts.horizontal_bar(_("Targets met (%)"), progress, percent=True) if progress else None,
        "printed_on": today(),
    }
    return Document("reports/bulletin.html", context, f"bulletin-{figures.period or figures.year}.pdf")


def month_of(text: str | None) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a month given as ``YYYY-MM`` (this month when none is given)."""
    if not text:
        first = today().replace(day=1)
    else:
        try:
            first = datetime.datetime.strptime(text, "%Y-%m").date()
        except ValueError as exc:
            raise InvalidInput(_("A month as YYYY-MM, e.g. 2018-01."), field="month") from exc
    following = (first + datetime.timedelta(days=31)).replace(day=1)
    return first, following - datetime.timedelta(days=1)


async def park_summary(session: AsyncSession, park_id: UUID, month: str | None) -> Document:
    """A park's month for its operators: firms admitted, left and in incubation, occupancy, mentor sessions,
    services delivered, trainings, and the periodic reports due in the month. A few grouped queries."""
    first, last = month_of(month)
    park = await session.get_one(Park, park_id)
    moved = await session.execute(
        sa.select(Incubatee.name, Incubatee.kind, Incubatee.status, Incubatee.admitted_on, Incubatee.left_on)
        .add_columns(Incubatee.exit_reason)
        .where(
            Incubatee.park_id == park_id,
            sa.or_(Incubatee.admitted_on.between(first, last), Incubatee.left_on.between(first, last)),
        )
        .order_by(Incubatee.admitted_on, pinyin_order(Incubatee.name))
    )
    rows = moved.all()
    active = await session.scalar(
        sa.select(sa.func.count()).where(Incubatee.park_id == park_id, in_incubation(first, last))
    )
    sessions = (
        await session.execute(
            sa.select(
                sa.func.count(),
                sa.func.coalesce(sa.func.sum(MentorSession.minutes), 0),
                sa.func.count(sa.distinct(MentorSession.incubatee_id)),
            ).where(
                MentorSession.park_id == park_id,
                MentorSession.held_on.between(first, last),
                MentorSession.status.in_([SessionStatus.SUBMITTED, SessionStatus.CONFIRMED]),
            )
        )
    ).one()
    services = (
        await session.execute(
            sa.select(
                ServiceDelivery.category, sa.func.count(), sa.func.coalesce(sa.func.sum(ServiceDelivery.hours), 0)
            )
            .where(ServiceDelivery.park_id == park_id, ServiceDelivery.delivered_on.between(first, last))
            .group_by(ServiceDelivery.category)
            .order_by(sa.func.count().desc())
        )
    ).all()
    attended = sa.func.sum(sa.case((Enrolment.attendance == Attendance.ATTENDED, 1), else_=0))
    trainings = (
        await session.execute(
            sa.select(Training.title, Training.kind, Training.starts_on, Training.ends_on, sa.func.count(Enrolment.id))
            .add_columns(sa.func.coalesce(attended, 0))
            .outerjoin(Enrolment, sa.and_(Enrolment.park_id == Training.park_id, Enrolment.training_id == Training.id))
            .where(Training.park_id == park_id, Training.starts_on <= last, Training.ends_on >= first)
            .group_by(Training.id, Training.title, Training.kind, Training.starts_on, Training.ends_on)
            .order_by(Training.starts_on)
        )
    ).all()
    occupancy = await LeaseService(session, park_id).occupancy(first, last)
    due = Counter(
        entry.state
        for firm in await ReportService(session, park_id).in_incubation()
        for entry in firm.entries
        if first <= entry.due_on <= last
    )
    buildings = {o.building: round(o.area_rate * 100, 1) for o in occupancy if o.building_id is not None}
    context = {
        "title": _("Monthly summary of the park"),
        "park": park,
        "month": f"{first:%Y-%m}",
        "admitted": [r for r in rows if r.admitted_on and first <= r.admitted_on <= last],
        "left": [r for r in rows if r.left_on and first <= r.left_on <= last],
        "active": active or 0,
        "occupancy": occupancy,
        "occupancy_chart": charts.horizontal_bar(_("Occupancy by area, per building"), buildings, percent=True)
        if buildings
        else None,
        "sessions": {"count": sessions[0], "hours": round(sessions[1] / 60, 1), "firms": sessions[2]},
        "services": services,
        "trainings": trainings,
        "reports": {state: due.get(state, 0) for state in ReportState},
        "reports_due": sum(due.values()),
        "printed_on": today(),
    }
    return Document("reports/summary.html", context, f"{park.code}-summary-{first:%Y-%m}.pdf")


class Batch(NamedTuple):
    documents: list[Document]
    reports: int
    certificates: int


async def period_documents_across_parks(
    session: AsyncSession, period: str, public_url: str, park_codes: Sequence[str] = (), *, certificates: bool = True
) -> Batch:
    """Every park's rating report of a period (each park's current revision), a certificate for each published
    rating with stars, and the city bulletin; or only the given parks' (then without the bulletin)."""
    rounds = RatingRounds(session)
    ratings = await rounds.ratings_of(await rounds.get_round(period))
    codes = {park_id: code for park_id, code in await session.execute(sa.select(Park.id, Park.code))}
    wanted = {code.upper() for code in park_codes}
    if wanted - set(codes.values()):
        raise InvalidInput(_("No park with this code."), field="park")
    chosen = sorted((r for r in ratings if not wanted or codes[r.park_id] in wanted), key=lambda r: codes[r.park_id])
    documents = []
    certified = 0
    for rating in chosen:
        review = RatingReview(session, rating.park_id)
        documents.append(await report_of(review, rating))
        if certificates and rating.status == RatingStatus.PUBLISHED and rating.stars:
            documents.append(await certificate_for(session, rating, public_url))
            certified += 1
        release_park(session)  # the next park's review binds the session to that park
    if not wanted:
        documents.append(await city_bulletin(session, period))
    return Batch(documents, len(chosen), certified)
