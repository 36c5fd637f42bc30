"""The superior directs (issue 22, flow 1): its office pushes a plan template to chosen
congresses under it (all of them, or a list) with a date to apply it by. Each congress's
leaders are told and see it as the proposed plan on their plan page (the existing preview and
apply, workflows.services.plans); `applied_at` records when they applied it, which the
superior reads in the list of what it pushed. Pushing the same template again moves the date.
"""

from datetime import date

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.errors import Forbidden, Invalid, NotFound
from congress.models import (
    Congress,
    Membership,
    Organization,
    PlanDirective,
    PlanTemplate,
    User,
)
from congress.roles import LEADING, STANDING_COMMITTEE, STEERING_BOARD
from congress.selectors import congresses_under, organizations_visible_to
from notifications.services import event_record
from workflows import events, rules
from workflows.services.transitions import audit_record

MOST_CONGRESSES = 1000


def organization_for_pushing(actor: User, organization_id: int) -> Organization:
    organization = organizations_visible_to(actor).filter(pk=organization_id).first()
    if organization is None:
        raise NotFound(_("Not found."))
    if not rules.may_push_plan(organization, actor):
        raise Forbidden(str(rules.may_push_plan.description), code="plan_push_forbidden")
    return organization


def pushable_congresses(organization: Organization) -> QuerySet[Congress]:
    """The open congresses under the organization, the ones a plan may be pushed to."""
    return (
        congresses_under(organization)
        .filter(status__in=Congress.OPEN_STATES)
        .select_related("organization")
        .order_by("organization__name", "id")
    )


def directives_of(organization: Organization) -> QuerySet[PlanDirective]:
    return organization.plan_directives.select_related(
        "congress__organization", "template", "pushed_by"
    ).order_by("deadline", "congress__organization__name", "id")


@transaction.atomic
def plan_push(
    *,
    actor: User,
    organization_id: int,
    template_id: int,
    deadline: date,
    congress_ids: list[int] | None = None,
) -> list[PlanDirective]:
    """Push the template to the congresses (every open one under the organization when
    `congress_ids` is None); returns the directives, new or moved."""
    organization = organization_for_pushing(actor, organization_id)
    template = PlanTemplate.objects.filter(pk=template_id).first()
    if template is None:
        raise Invalid({"template": [_("There is no such plan template.")]})
    if deadline < timezone.localdate():
        raise Invalid({"deadline": [_("The date to apply it by has passed already.")]})
    candidates = pushable_congresses(organization)
    if congress_ids is not None:
        wanted = set(congress_ids)
        candidates = candidates.filter(pk__in=wanted)
        if len(candidates) != len(wanted):
            raise Invalid(
                {"congresses": [_("Choose open congresses of organizations under yours.")]}
            )
    congresses = list(candidates[: MOST_CONGRESSES + 1])
    if not congresses:
        raise Invalid({"congresses": [_("No open congress to push the plan to.")]})
    if len(congresses) > MOST_CONGRESSES:
        raise Invalid({"congresses": [_("At most 1,000 congresses at once.")]})
    leaders = _leaders([c.pk for c in congresses])
    pushed = []
    for congress in congresses:
        directive, _created = PlanDirective.objects.update_or_create(
            congress=congress,
            template=template,
            defaults={"organization": organization, "deadline": deadline, "pushed_by": actor},
        )
        audit_record(
            congress,
            transition="plan_pushed",
            actor=actor,
            note=f"{template.name} · {deadline:%d/%m/%Y}",
        )
        event_record(
            congress_id=congress.pk,
            type=events.PLAN_PUSHED,
            object_kind="congress",
            object_id=congress.pk,
            actor=actor,
            audience=leaders.get(congress.pk, ()),
            data={
                "title": template.name,
                "template": template.pk,
                "deadline": deadline.isoformat(),
                "organization": organization.name,
            },
        )
        pushed.append(directive)
    return pushed


def _leaders(congress_ids: list[int]) -> dict[int, set[int]]:
    rows = Membership.objects.filter(
        body__congress_id__in=congress_ids,
        body__kind__in=[STANDING_COMMITTEE, STEERING_BOARD],
        role__in=LEADING,
    ).values_list("body__congress_id", "user_id")
    found: dict[int, set[int]] = {}
    for congress_id, user_id in rows:
        found.setdefault(congress_id, set()).add(user_id)
    return found


def directive_for(congress: Congress) -> PlanDirective | None:
    """The plan the superior asks this congress to apply, not applied yet (the latest date
    first): what its plan page proposes."""
    return (
        congress.plan_directives.filter(applied_at=None)
        .select_related("template", "organization")
        .order_by("deadline", "id")
        .first()
    )
