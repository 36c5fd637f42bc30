"""Resolution targets (*chỉ tiêu*): their results per period, the status of each (exceeded,
met, not met), and the summary the political report quotes: "8/20 chỉ tiêu đạt và vượt".

A target's status compares the result with the target value: exactly at it is met; above it
exceeded for an "at least" target and not met for an "at most" one (and the other way round).
A successor organization's list holds its predecessors' targets too (the 2025 reorganization
handed dissolved district organizations' work to the new wards).

Who sees them: whoever sees a congress of the organization or of one of its successors.
Who writes them: staff, the leaders of such a congress, and the leaders and secretary of its
documents subcommittee, who compile the figures.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress.errors import Forbidden, Invalid, NotFound
from congress.models import Body, Congress, Organization, Resolution, Target, TargetResult
from congress.roles import leads_congress, roles_of

Period = TargetResult.Period
EXCEEDED, MET, NOT_MET, NOT_REPORTED = "exceeded", "met", "not_met", "not_reported"
STATUS_LABELS = {
    EXCEEDED: gettext_lazy("Exceeded"),
    MET: gettext_lazy("Met"),
    NOT_MET: gettext_lazy("Not met"),
    NOT_REPORTED: gettext_lazy("Not reported"),
}
# Within a year: the six months come first, then the mid-term review, then the full year.
PERIOD_RANK = {Period.SIX_MONTHS: 0, Period.MID_TERM: 1, Period.YEAR: 2}
_SEEN_ATTR = "_target_organization_ids"
RESOLUTION_EDITABLE = ("code", "title", "term", "adopted_on")
TARGET_EDITABLE = ("code", "position", "name", "unit", "baseline", "target_value", "direction")


def target_status(target: Target, value: Decimal | None) -> str:
    if value is None:
        return NOT_REPORTED
    if value == target.target_value:
        return MET
    above = value > target.target_value
    if target.direction == Target.Direction.AT_MOST:
        above = not above
    return EXCEEDED if above else NOT_MET


def result_for(target: Target, period: str, year: int) -> TargetResult | None:
    """From the prefetched results: no query per target."""
    return next((r for r in target.results.all() if r.period == period and r.year == year), None)


@dataclass
class PeriodSummary:
    period: str
    year: int
    total: int = 0
    exceeded: int = 0
    met: int = 0
    not_met: int = 0
    not_reported: int = 0
    rows: list[tuple[Target, TargetResult | None, str]] = field(default_factory=list)

    @property
    def met_or_exceeded(self) -> int:
        return self.exceeded + self.met

    @property
    def label(self) -> str:
        return _("%(period)s %(year)s") % {
            "period": Period(self.period).label,
            "year": self.year,
        }

    @property
    def text(self) -> str:
        """How the political report says it: "8/20 chỉ tiêu đạt và vượt"."""
        return _("%(done)s/%(total)s targets met or exceeded") % {
            "done": self.met_or_exceeded,
            "total": self.total,
        }


def period_summary(targets, period: str, year: int) -> PeriodSummary:
    """Count every target of the list: one without a result for the period is not reported
    (it is part of Y, not of X)."""
    summary = PeriodSummary(period=period, year=year)
    for target in targets:
        result = result_for(target, period, year)
        status = target_status(target, result.value if result else None)
        summary.total += 1
        setattr(summary, status, getattr(summary, status) + 1)
        summary.rows.append((target, result, status))
    return summary


def periods_of(targets) -> list[tuple[str, int]]:
    """The (period, year) pairs with at least one result, oldest first."""
    pairs = {(r.period, r.year) for t in targets for r in t.results.all()}
    return sorted(pairs, key=lambda p: (p[1], PERIOD_RANK.get(p[0], 9)))


def latest_period(targets) -> tuple[str, int] | None:
    periods = periods_of(targets)
    return periods[-1] if periods else None


# Reads -------------------------------------------------------------------------------------


def lineage(organization: Organization) -> list[int]:
    """The organization and all its predecessors, however far back (one query a level)."""
    ids, frontier = [organization.pk], [organization.pk]
    while frontier:
        frontier = [
            pk
            for pk in Organization.objects.filter(successor_id__in=frontier).values_list(
                "pk", flat=True
            )
            if pk not in ids
        ]
        ids += frontier
    return ids


def _seen_organization_ids(user) -> set[int] | None:
    """The organizations whose targets the user sees (None: all, for staff): those of the
    congresses they belong to, and their predecessors."""
    if user.is_staff:
        return None
    seen = getattr(user, _SEEN_ATTR, None)
    if seen is None:
        # Kept on the user object, as its roles are: read once per request.
        congress_ids = list(roles_of(user).kind_roles)
        seen = set()
        for organization in Organization.objects.filter(congresses__in=congress_ids).distinct():
            seen.update(lineage(organization))
        setattr(user, _SEEN_ATTR, seen)
    return seen


def resolutions_visible_to(user) -> QuerySet[Resolution]:
    qs = Resolution.objects.select_related("organization")
    seen = _seen_organization_ids(user)
    return qs if seen is None else qs.filter(organization_id__in=seen)


def targets_visible_to(user) -> QuerySet[Target]:
    qs = Target.objects.select_related("resolution", "resolution__organization").prefetch_related(
        Prefetch("results", queryset=TargetResult.objects.order_by("year", "period", "id"))
    )
    seen = _seen_organization_ids(user)
    return qs if seen is None else qs.filter(resolution__organization_id__in=seen)


def targets_of(
    user, organization: Organization, *, term: str = "", resolution_id: int | None = None
) -> QuerySet[Target]:
    """The organization's list: its targets and its predecessors', in the order of their
    resolutions and positions."""
    qs = targets_visible_to(user).filter(resolution__organization_id__in=lineage(organization))
    if term:
        qs = qs.filter(resolution__term=term)
    if resolution_id is not None:
        qs = qs.filter(resolution_id=resolution_id)
    return qs.order_by("resolution__organization_id", "resolution__code", "position", "id")


def organization_for_targets(user, organization_id) -> Organization:
    """An organization whose list the user may read (404 otherwise)."""
    organization = Organization.objects.filter(pk=organization_id).first()
    seen = _seen_organization_ids(user)
    if organization is None or (seen is not None and organization.pk not in seen):
        raise NotFound(_("Not found."))
    return organization


# Writes ------------------------------------------------------------------------------------


def may_record_targets(user, organization: Organization) -> bool:
    """Staff; the leaders of a congress of the organization or of a successor of it; the
    head, a deputy or the secretary of such a congress's documents subcommittee."""
    if user.is_staff:
        return True
    chain, current = set(), organization
    while current is not None and current.pk not in chain:
        chain.add(current.pk)
        current = current.successor
    roles = roles_of(user)
    congress_ids = Congress.objects.filter(organization_id__in=chain).values_list("pk", flat=True)
    return any(
        leads_congress(user, pk)
        or roles.has_kind_role(pk, Body.Kind.DOCUMENTS, {"head", "deputy", "secretary"})
        for pk in congress_ids
    )


def _require_recorder(actor, organization: Organization) -> None:
    if not may_record_targets(actor, organization):
        raise Forbidden(
            _(
                "Only the congress's leaders and the leaders or secretary of its documents "
                "subcommittee record the resolution's targets."
            ),
            code="targets_forbidden",
        )


def _visible_resolution(actor, resolution_id: int) -> Resolution:
    resolution = resolutions_visible_to(actor).filter(pk=resolution_id).first()
    if resolution is None:
        raise NotFound(_("Not found."))
    return resolution


def _unique(save, field_name: str, message) -> None:
    try:
        with transaction.atomic():
            save()
    except IntegrityError as error:
        raise Invalid({field_name: [message]}) from error


@transaction.atomic
def resolution_create(
    *, actor, organization: Organization, code: str, title: str, term: str, adopted_on=None
) -> Resolution:
    _require_recorder(actor, organization)
    resolution = Resolution(
        organization=organization, code=code, title=title, term=term, adopted_on=adopted_on
    )
    _unique(
        resolution.save, "code", _("This organization already has a resolution with this code.")
    )
    return resolution


@transaction.atomic
def resolution_update(*, actor, resolution_id: int, **changes) -> Resolution:
    resolution = _visible_resolution(actor, resolution_id)
    _require_recorder(actor, resolution.organization)
    for name in RESOLUTION_EDITABLE:
        if name in changes:
            setattr(resolution, name, changes[name])
    _unique(
        resolution.save, "code", _("This organization already has a resolution with this code.")
    )
    return resolution


@transaction.atomic
def target_create(*, actor, resolution: Resolution, **fields) -> Target:
    resolution = _visible_resolution(actor, resolution.pk)
    _require_recorder(actor, resolution.organization)
    target = Target(
        resolution=resolution, **{k: v for k, v in fields.items() if k in TARGET_EDITABLE}
    )
    _unique(target.save, "code", _("This resolution already has a target with this code."))
    return target


@transaction.atomic
def target_update(*, actor, target_id: int, **changes) -> Target:
    target = targets_visible_to(actor).filter(pk=target_id).first()
    if target is None:
        raise NotFound(_("Not found."))
    _require_recorder(actor, target.resolution.organization)
    for name in TARGET_EDITABLE:
        if name in changes:
            setattr(target, name, changes[name])
    _unique(target.save, "code", _("This resolution already has a target with this code."))
    return target


@transaction.atomic
def target_result_record(
    *, actor, target_id: int, period: str, year: int, value: Decimal, note: str = ""
) -> tuple[TargetResult, bool]:
    """Record (or correct) what a target reached in a period; returns (result, created)."""
    target = targets_visible_to(actor).filter(pk=target_id).first()
    if target is None:
        raise NotFound(_("Not found."))
    _require_recorder(actor, target.resolution.organization)
    # Lock the target so that two people recording the same period do not both insert.
    Target.objects.select_for_update().filter(pk=target.pk).first()
    result, created = TargetResult.objects.update_or_create(
        target=target,
        period=period,
        year=year,
        defaults={"value": value, "note": note, "recorded_by": actor},
    )
    return result, created
