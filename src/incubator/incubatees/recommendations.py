"""Recommendations to graduate or exit, from the rubric's incubatee rules, and the operator's decisions."""

from collections.abc import Sequence
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from incubator.clock import today
from incubator.errors import Conflict
from incubator.i18n import _
from incubator.incubatees.models import Decision, DecisionOutcome, ExitReason, RecommendationKind
from incubator.incubatees.rules import Figures, recommendations
from incubator.incubatees.schemas import DecisionCreate, Departure, RecommendationRead
from incubator.incubatees.services import IncubateeService
from incubator.periodic_reports.services import FirmReports, ReportService, missed_in_a_row
from incubator.ratings.rubric import incubatee_rules

DEPARTURES = {
    RecommendationKind.GRADUATE: ExitReason.GRADUATION_CRITERIA,
    RecommendationKind.TERM_OVERDUE: ExitReason.TERM_EXPIRED,
}
"""Accepting these records the firm's departure today; accepting a missed-reports warning records the warning."""


class RecommendationService:
    def __init__(self, session: AsyncSession, park_id: UUID) -> None:
        self.session = session
        self.park_id = park_id

    async def standing(
        self, incubatee_id: UUID | None = None, *, firms: Sequence[FirmReports] | None = None
    ) -> list[RecommendationRead]:
        """Recommendations not yet answered, for every firm in incubation (or one): three queries a park, one
        when the caller already holds the firms and their reports (``firms``)."""
        day = today()
        answered = {
            (incubatee, kind, basis)
            for incubatee, kind, basis in await self.session.execute(
                sa.select(Decision.incubatee_id, Decision.kind, Decision.basis).where(Decision.park_id == self.park_id)
            )
        }
        found = []
        rules = incubatee_rules()
        if firms is None:
            firms = await ReportService(self.session, self.park_id).in_incubation(incubatee_id)
        for each in firms:
            figures = [
                Figures(r.period_start, r.period_end, r.employees, r.revenue, r.funding_raised, r.high_tech_certified)
                for r in each.reports
            ]
            for recommendation in recommendations(
                incubating=True,
                term_ends_on=each.firm.term_ends_on,
                reports=figures,
                missed_in_a_row=missed_in_a_row(each.entries),
                day=day,
                rules=rules,
            ):
                if (each.firm.id, recommendation.kind, recommendation.basis) not in answered:
                    found.append(RecommendationRead(each.firm.id, each.firm.name, *recommendation))
        return found

    async def decisions(self, incubatee_id: UUID) -> Sequence[Decision]:
        await IncubateeService(self.session, self.park_id).get_in_park(incubatee_id, field="incubatee_id")
        rows = await self.session.scalars(
            sa.select(Decision)
            .where(Decision.park_id == self.park_id, Decision.incubatee_id == incubatee_id)
            .order_by(Decision.created_at.desc())
        )
        return rows.all()

    async def decide(self, incubatee_id: UUID, data: DecisionCreate, *, user_id: UUID) -> Decision:
        """Answer the recommendation standing now; the decision row (and any departure) goes to the audit trail."""
        await IncubateeService(self.session, self.park_id).get_in_park(incubatee_id, field="incubatee_id")
        standing = next((r for r in await self.standing(incubatee_id) if r.kind == data.kind), None)
        if standing is None:
            raise Conflict(_("No such recommendation stands for this firm (any more)."), field="kind")
        decision = Decision(
            park_id=self.park_id,
            incubatee_id=incubatee_id,
            kind=data.kind,
            basis=standing.basis,
            outcome=data.outcome,
            reason=data.reason,
            decided_on=today(),
            decided_by=user_id,
        )
        self.session.add(decision)
        if data.outcome == DecisionOutcome.ACCEPTED and data.kind in DEPARTURES:
            departure = Departure(left_on=today(), reason=DEPARTURES[data.kind], note=data.reason[:500])
            await IncubateeService(self.session, self.park_id).depart(incubatee_id, departure)
        await self.session.flush()
        return decision
