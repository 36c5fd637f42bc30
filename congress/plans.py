"""Plan templates: their items in dependency order, the deadlines they give a congress in
working days, and the writes on templates (staff only: templates serve every congress).

Applying a template to a congress and re-dating its plan touch tasks, so they live in
workflows.services.plans; this module only computes dates, which both apply and re-date use.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import ProtectedError, QuerySet
from django.utils.translation import gettext as _

from congress import plan_builtin
from congress.errors import Conflict, Forbidden, Invalid, NotFound
from congress.models import Body, PlanItem, PlanTemplate
from congress.workdays import WorkingCalendar

Anchor = PlanItem.Anchor
ITEM_FIELDS = (
    "title",
    "description",
    "body_kind",
    "anchor",
    "offset_days",
    "requires_review",
    "priority",
    "duration_days",
)


# Dates -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduledItem:
    """An item of a template with the dates it gets for one congress."""

    item: PlanItem
    due_on: date
    starts_on: date
    depends_on: tuple[int, ...]  # item ids: the explicit dependencies and the `after` item


def dependencies_of(item: PlanItem, depends_on: dict[int, list[int]]) -> tuple[int, ...]:
    """An item due after another item also waits for it to be done."""
    ids = list(depends_on.get(item.pk, []))
    if item.after_id is not None and item.after_id not in ids:
        ids.append(item.after_id)
    return tuple(sorted(ids))


def items_in_order(items: Sequence[PlanItem], depends_on: dict[int, list[int]]) -> list[PlanItem]:
    """The items with every item after the items it depends on or is dated after, otherwise
    in their own order. Raises Invalid on a cycle."""
    by_id = {item.pk: item for item in items}
    done: set[int] = set()
    ordered: list[PlanItem] = []
    remaining = list(items)
    while remaining:
        ready = [
            item
            for item in remaining
            if all(d in done or d not in by_id for d in dependencies_of(item, depends_on))
        ]
        if not ready:
            keys = ", ".join(sorted(item.key for item in remaining))
            raise Invalid(
                {"items": [_("These items wait for each other: %(keys)s.") % {"keys": keys}]}
            )
        for item in ready:
            done.add(item.pk)
            ordered.append(item)
        remaining = [item for item in remaining if item.pk not in done]
    return ordered


def template_items(template: PlanTemplate) -> tuple[list[PlanItem], dict[int, list[int]]]:
    """The template's items (one query) and their dependencies by item id (one query)."""
    items = list(template.items.order_by("position", "id"))
    depends_on: dict[int, list[int]] = {}
    rows = PlanItem.depends_on.through.objects.filter(from_planitem__template=template)
    for from_id, to_id in rows.values_list("from_planitem_id", "to_planitem_id"):
        depends_on.setdefault(from_id, []).append(to_id)
    return items, depends_on


def plan_schedule(
    template: PlanTemplate,
    *,
    opens_on: date,
    superior_review_due: date,
    calendar: WorkingCalendar,
) -> list[ScheduledItem]:
    """Every item of the template with its deadline and start day for a congress opening on
    `opens_on`, in dependency order (working days: weekends, holidays and Tết do not count)."""
    items, depends_on = template_items(template)
    anchors = {Anchor.OPENING: opens_on, Anchor.SUPERIOR_REVIEW: superior_review_due}
    due: dict[int, date] = {}
    schedule = []
    for item in items_in_order(items, depends_on):
        if item.anchor == Anchor.ITEM:
            day = calendar.shift(due[item.after_id], item.offset_days)
        else:
            day = calendar.shift(anchors[item.anchor], -item.offset_days)
        due[item.pk] = day
        starts_on = calendar.shift(day, -item.duration_days)
        schedule.append(ScheduledItem(item, day, starts_on, dependencies_of(item, depends_on)))
    return schedule


def _working_day_on_or_before(day: date, calendar: WorkingCalendar) -> date:
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day


def working_day_offset(day: date, opening: date, calendar: WorkingCalendar) -> int:
    """How many working days `day` lies before `opening` (negative when after it). A day off
    counts as the working day before it: a deadline on a holiday stays before the holiday."""
    day = _working_day_on_or_before(day, calendar)
    opening = _working_day_on_or_before(opening, calendar)
    if day <= opening:
        return calendar.count_between(day, opening)
    return -calendar.count_between(opening, day)


def moved_day(day: date, *, old_opening: date, new_opening: date, calendar) -> date:
    """`day` moved with the opening, keeping its offset in working days."""
    if old_opening == new_opening:
        return day
    offset = working_day_offset(day, old_opening, calendar)
    return calendar.shift(_working_day_on_or_before(new_opening, calendar), -offset)


# The built-in template ---------------------------------------------------------------------


def builtin_template_install(*, template_model=PlanTemplate, item_model=PlanItem):
    """Create the built-in template and whichever of its items are missing (by key); leave
    what exists untouched. The migration passes its historical models."""
    template, _created = template_model.objects.get_or_create(
        key=plan_builtin.KEY,
        defaults={
            "name": plan_builtin.NAME,
            "description": plan_builtin.DESCRIPTION,
            "level": plan_builtin.LEVEL,
            "builtin": True,
        },
    )
    existing = {item.key: item for item in item_model.objects.filter(template=template)}
    created = {}
    for position, spec in enumerate(plan_builtin.ITEMS, start=1):
        if spec.key in existing:
            continue
        anchor, offset = spec.due
        after = None
        if anchor == Anchor.ITEM:
            after_key, offset = offset
            after = existing.get(after_key) or created[after_key]
        created[spec.key] = item_model.objects.create(
            template=template,
            key=spec.key,
            position=position,
            title=spec.title,
            description=spec.description,
            body_kind=spec.body_kind,
            anchor=anchor,
            offset_days=offset,
            after=after,
            requires_review=spec.requires_review,
            priority=spec.priority,
            duration_days=spec.duration_days,
        )
    every = {**existing, **created}
    for spec in plan_builtin.ITEMS:
        if spec.key in created and spec.depends_on:
            created[spec.key].depends_on.add(*(every[key] for key in spec.depends_on))
    return template


# Reads -------------------------------------------------------------------------------------


def plan_templates() -> QuerySet[PlanTemplate]:
    """Templates are not secret: every signed-in user may read them."""
    return PlanTemplate.objects.prefetch_related("items__after", "items__depends_on")


def plan_template_get(template_id) -> PlanTemplate:
    template = plan_templates().filter(pk=template_id).first()
    if template is None:
        raise NotFound(_("Not found."))
    return template


# Writes ------------------------------------------------------------------------------------


def _require_staff(actor) -> None:
    if not actor.is_staff:
        raise Forbidden(
            _("Plan templates serve every congress: only staff may change them."),
            code="staff_only",
        )


def _check_items(specs: Sequence[dict]) -> None:
    """Keys unique, `after` and dependencies naming items of the same template, an `after`
    exactly when the item is dated after another one."""
    errors = []
    keys = [spec["key"] for spec in specs]
    for key in sorted({k for k in keys if keys.count(k) > 1}):
        errors.append(_("The key “%(key)s” is used twice.") % {"key": key})
    known = set(keys)
    for spec in specs:
        key, after = spec["key"], spec.get("after")
        if spec.get("anchor", Anchor.OPENING) == Anchor.ITEM and not after:
            errors.append(_("Item “%(key)s” is dated after another item: name it.") % {"key": key})
        if after and spec.get("anchor") != Anchor.ITEM:
            errors.append(
                _("Item “%(key)s” names an item to follow but is not dated after one.")
                % {"key": key}
            )
        for other in [after, *spec.get("depends_on", [])]:
            if other and other not in known:
                errors.append(
                    _("Item “%(key)s” refers to “%(other)s”, which is not in the template.")
                    % {"key": key, "other": other}
                )
            if other and other == key:
                errors.append(_("Item “%(key)s” refers to itself.") % {"key": key})
    if errors:
        raise Invalid({"items": errors})


def _after_first(specs: Sequence[dict]) -> list[dict]:
    """The specs with every item after the item it is dated after (Invalid on a loop)."""
    placed: set[str] = set()
    ordered: list[dict] = []
    remaining = list(specs)
    while remaining:
        ready = [s for s in remaining if not s.get("after") or s["after"] in placed]
        if not ready:
            keys = ", ".join(sorted(s["key"] for s in remaining))
            raise Invalid(
                {"items": [_("These items are dated after each other: %(keys)s.") % {"keys": keys}]}
            )
        ordered += ready
        placed |= {s["key"] for s in ready}
        remaining = [s for s in remaining if s["key"] not in placed]
    return ordered


def _write_items(template: PlanTemplate, specs: Sequence[dict]) -> None:
    """Make the template's items exactly `specs` (matched by key): update, create, and delete
    those no longer listed, unless tasks came from them."""
    _check_items(specs)
    existing = {item.key: item for item in template.items.all()}
    positions = {spec["key"]: spec.get("position") or n for n, spec in enumerate(specs, start=1)}
    items = {}
    for spec in _after_first(specs):
        item = existing.get(spec["key"]) or PlanItem(template=template, key=spec["key"])
        for name in ITEM_FIELDS:
            if name in spec:
                setattr(item, name, spec[name])
        item.position = positions[spec["key"]]
        # Written whole: no anchor given means before the opening, as for a new item.
        item.anchor = spec.get("anchor", Anchor.OPENING)
        item.after = items[spec["after"]] if spec.get("after") else None
        item.save()
        items[spec["key"]] = item
    for spec in specs:
        items[spec["key"]].depends_on.set([items[key] for key in spec.get("depends_on", [])])
    stale = PlanItem.objects.filter(template=template).exclude(key__in=list(items))
    # Unhook the items to remove from each other first (`after` protects the item followed).
    stale.update(after=None, anchor=Anchor.OPENING)
    try:
        stale.delete()
    except ProtectedError as error:
        raise Conflict(
            _("Tasks came from some of the items to remove; they stay in the template."),
            code="plan_item_in_use",
        ) from error
    fresh, depends_on = template_items(template)
    items_in_order(fresh, depends_on)  # raises on a cycle, rolling everything back


@transaction.atomic
def plan_template_create(
    *, actor, name: str, description: str = "", level: str = "", items: Iterable[dict] = ()
) -> PlanTemplate:
    _require_staff(actor)
    template = PlanTemplate.objects.create(name=name, description=description, level=level)
    _write_items(template, list(items))
    return template


@transaction.atomic
def plan_template_update(*, actor, template_id: int, items=None, **changes) -> PlanTemplate:
    """Change a template's name, description or level, and with `items` its whole list of
    items (matched by key)."""
    _require_staff(actor)
    template = PlanTemplate.objects.select_for_update().filter(pk=template_id).first()
    if template is None:
        raise NotFound(_("Not found."))
    for name in ("name", "description", "level"):
        if name in changes:
            setattr(template, name, changes[name])
    template.save()
    if items is not None:
        _write_items(template, list(items))
    return template


def item_specs(template: PlanTemplate) -> list[dict]:
    """The template's items as the dicts `plan_template_create` takes."""
    items, depends_on = template_items(template)
    keys = {item.pk: item.key for item in items}
    return [
        {
            "key": item.key,
            "position": item.position,
            **{name: getattr(item, name) for name in ITEM_FIELDS},
            "after": keys.get(item.after_id),
            "depends_on": sorted(keys[d] for d in depends_on.get(item.pk, [])),
        }
        for item in items
    ]


@transaction.atomic
def plan_template_copy(*, actor, template_id: int, name: str = "") -> PlanTemplate:
    """A copy to adapt: the built-in template stays as installed."""
    _require_staff(actor)
    source = PlanTemplate.objects.filter(pk=template_id).first()
    if source is None:
        raise NotFound(_("Not found."))
    return plan_template_create(
        actor=actor,
        name=name or _("%(name)s (copy)") % {"name": source.name},
        description=source.description,
        level=source.level,
        items=item_specs(source),
    )


# Bodies ------------------------------------------------------------------------------------


def body_for_kind(bodies: Sequence[Body], kind: str) -> Body | None:
    """The body of a congress that does a kind of work: its top-level body of that kind (the
    first created), else any body of that kind."""
    of_kind = [b for b in bodies if b.kind == kind]
    top = [b for b in of_kind if b.parent_id is None]
    return (top or of_kind or [None])[0]


FALLBACK_KINDS = (Body.Kind.STEERING_BOARD, Body.Kind.STANDING_COMMITTEE)


def plan_placement(bodies: Sequence[Body], kinds: Iterable[str]) -> dict[str, tuple[Body, bool]]:
    """kind -> (body, whether it is a fallback). Work of a kind the congress has no body for
    goes to the steering board (else the standing committee), which coordinates every
    subcommittee; never confidential work, which needs a confidential body of its own."""
    placement, missing = {}, []
    for kind in sorted(set(kinds)):
        body = body_for_kind(bodies, kind)
        if body is None and kind not in Body.CONFIDENTIAL_BY_DEFAULT:
            body = next(filter(None, (body_for_kind(bodies, k) for k in FALLBACK_KINDS)), None)
            if body is not None:
                placement[kind] = (body, True)
                continue
        if body is None:
            missing.append(str(Body.Kind(kind).label))
            continue
        placement[kind] = (body, False)
    if missing:
        raise Invalid(
            {
                "template": [
                    _("The congress has no body for: %(kinds)s. Create it first.")
                    % {"kinds": ", ".join(missing)}
                ]
            },
            code="plan_body_missing",
        )
    return placement
