"""A congress handed over to a congress of its organization's successor (the 2025
reorganization dissolved district organizations and gave their work to the new wards).

The open tasks and documents move, with their history (audit entries, comments and versions
stay attached to the same rows), into the matching bodies of the successor congress; each gets
a `transfer` audit entry, the successor a `transfer_in` one, and visibility follows the new
bodies from then on. Everyone in the handed-over congress is told once.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from congress.errors import Forbidden, Invalid
from congress.models import Body, Congress
from congress.roles import leads_congress, may_lead_congress
from congress.selectors import congresses_visible_to, users_seeing_work_of
from notifications.recipients import SUMMARIZED
from notifications.services import event_record
from notifications.summaries import CONGRESS_TRANSFERRED, Summary, SummaryLine, summaries_send
from workflows import events
from workflows.models import Document, Task
from workflows.selectors.congresses import open_documents, open_tasks
from workflows.services.congresses import congress_locked, member_ids, record_transition
from workflows.services.plans import heads_by_body, require_open
from workflows.services.transitions import audit_record, perform_transition


@dataclass(frozen=True)
class Moved:
    """A task or document handed over: where it was, who held it, who holds it now."""

    obj: Task | Document
    old_body: Body
    old_holder: int | None
    holder: int | None

    @property
    def kind(self) -> str:
        return "task" if isinstance(self.obj, Task) else "document"


@dataclass
class Transfer:
    congress: Congress
    successor: Congress
    bodies: dict[int, Body]  # body of the congress -> body of the successor, for moved work
    moved: list[Moved] = field(default_factory=list)

    @property
    def tasks(self) -> list[Task]:
        return [m.obj for m in self.moved if isinstance(m.obj, Task)]

    @property
    def documents(self) -> list[Document]:
        return [m.obj for m in self.moved if isinstance(m.obj, Document)]


def _successor(actor, congress: Congress, successor_id: int) -> Congress:
    successor = congresses_visible_to(actor).filter(pk=successor_id).first()
    if successor is None or successor.pk == congress.pk:
        raise Invalid({"successor_congress": [_("Choose another congress that you can see.")]})
    return successor


def _check_successor(actor, congress: Congress, successor: Congress) -> None:
    if successor.organization_id != congress.organization.successor_id:
        # The transition's condition (has_successor_organization) has been checked.
        assert congress.organization.successor is not None
        raise Invalid(
            {
                "successor_congress": [
                    _(
                        "The work goes to a congress of %(organization)s, the successor "
                        "organization."
                    )
                    % {"organization": congress.organization.successor.name}
                ]
            },
            code="not_successor_organization",
        )
    require_open(successor)
    if not leads_congress(actor, successor.pk):
        raise Forbidden(
            _("You hand work over only to a congress you lead too. %(who)s")
            % {"who": may_lead_congress.description},
            code="transfer_forbidden",
        )


def _match(body: Body, candidates: list[Body], mapped: dict[int, Body]) -> Body | None:
    """The successor's body for `body`: the only one of its kind (or the one of its kind with
    the same name, or the top-level one); else the body its parent goes to (a team follows its
    subcommittee)."""
    same_kind = [b for b in candidates if b.kind == body.kind]
    named = [b for b in same_kind if b.name.casefold() == body.name.casefold()]
    top = [b for b in same_kind if b.parent_id is None]
    for choice in (same_kind, named, top):
        if len(choice) == 1:
            return choice[0]
    return mapped.get(body.parent_id) if body.parent_id else None


def transfer_mapping(
    congress: Congress, successor: Congress, explicit: dict[int, int], needed: set[int]
) -> dict[int, Body]:
    """Body of `congress` -> body of `successor` for the bodies with open work: `explicit`
    first, then by kind. Confidential work goes only to a confidential body."""
    bodies = {b.pk: b for b in congress.bodies.all()}
    candidates = {b.pk: b for b in successor.bodies.all()}
    errors = []
    for old_id, new_id in explicit.items():
        if old_id not in bodies:
            errors.append(_("Body %(id)s is not a body of this congress.") % {"id": old_id})
        if new_id not in candidates:
            errors.append(
                _("Body %(id)s is not a body of the successor congress.") % {"id": new_id}
            )
    if errors:
        raise Invalid({"body_mapping": errors})
    mapped: dict[int, Body] = {}
    # Parents before their sub-bodies, so that a team can follow its subcommittee.
    for body in sorted(bodies.values(), key=lambda b: (b.parent_id is not None, b.pk)):
        chosen = explicit.get(body.pk)
        target = (candidates.get(chosen) if chosen else None) or _match(
            body, list(candidates.values()), mapped
        )
        if target is not None:
            mapped[body.pk] = target
    for body_id in sorted(needed):
        body, target = bodies[body_id], mapped.get(body_id)
        if target is None:
            errors.append(
                _("No body of the successor congress matches %(body)s: map it explicitly.")
                % {"body": body.name}
            )
        elif body.confidential and not target.confidential:
            errors.append(
                _("The work of %(body)s is confidential: it goes only to a confidential body.")
                % {"body": body.name}
            )
    if errors:
        raise Invalid({"body_mapping": errors})
    return {body_id: mapped[body_id] for body_id in needed}


def _keeper(person_id, body: Body, seeing: dict[int, set[int]], heads: dict):
    """The person keeps the work if they may see the new body's work; else its head takes it."""
    if person_id and person_id in seeing.get(body.pk, set()):
        return person_id
    head = heads.get(body.pk)
    return head.pk if head is not None else None


@transaction.atomic
def congress_transfer(
    *,
    actor,
    congress_id: int,
    successor_congress_id: int,
    body_mapping: dict[int, int] | None = None,
    note: str = "",
    version: int | None = None,
) -> Transfer:
    """Hand the congress over to a congress of its organization's successor: the status
    becomes `transferred`, and the open tasks and documents move into the successor's bodies
    (matched by kind unless `body_mapping` says otherwise), kept by their assignee or
    rapporteur when that person may see the new body's work, else by the new body's head."""
    congress = congress_locked(actor, congress_id)
    if not may_lead_congress(congress, actor):  # before anything is said of the successor
        raise Forbidden(may_lead_congress.description, code="transition_forbidden")
    successor = _successor(actor, congress, successor_congress_id)
    congress.successor = successor
    congress.status_reason = note
    summary_note = _("Handed over to %(successor)s") % {"successor": successor.title}
    entry = perform_transition(
        congress,
        name="transfer",
        actor=actor,
        note=f"{summary_note}. {note}".strip() if note else summary_note,
        version=version,
    )
    successor = Congress.objects.select_for_update().get(pk=successor.pk)
    _check_successor(actor, congress, successor)
    tasks, documents = _open_work(congress)
    needed = {t.body_id for t in tasks} | {d.body_id for d in documents}
    mapping = transfer_mapping(congress, successor, body_mapping or {}, needed)
    result = Transfer(congress=congress, successor=successor, bodies=mapping)
    _move_work(actor, result, tasks, documents)
    record_transition(
        congress, actor, "transfer", entry.from_state, entry.note, successor=successor.pk
    )
    _record_received(actor, result)
    _notify_transfer(actor, result)
    return result


def _open_work(congress: Congress) -> tuple[list[Task], list[Document]]:
    """The congress's open tasks and documents, locked, in id order."""
    tasks = list(
        open_tasks(congress).select_for_update(of=("self",)).select_related("body").order_by("id")
    )
    documents = list(
        open_documents(congress)
        .select_for_update(of=("self",))
        .select_related("body")
        .order_by("id")
    )
    return tasks, documents


def _record_received(actor, result: Transfer) -> None:
    """The successor's side of the hand-over: an audit entry and an event in its stream."""
    successor, tasks, documents = result.successor, result.tasks, result.documents
    audit_record(
        successor,
        transition="transfer_in",
        actor=actor,
        note=_("From %(congress)s: %(tasks)s tasks, %(documents)s documents")
        % {"congress": result.congress.title, "tasks": len(tasks), "documents": len(documents)},
    )
    event_record(
        congress_id=successor.pk,
        type=events.CONGRESS_WORK_RECEIVED,
        object_kind="congress",
        object_id=successor.pk,
        actor=actor,
        data={
            "status": successor.status,
            "version": successor.version,
            "from_congress": result.congress.pk,
            "tasks": [t.pk for t in tasks],
            "documents": [d.pk for d in documents],
            SUMMARIZED: True,
        },
    )


def _move_work(actor, result: Transfer, tasks: list[Task], documents: list[Document]) -> None:
    work: list[tuple[Task | Document, str, int | None]]
    work = [(t, "assignee", t.assignee_id) for t in tasks]
    work += [(d, "rapporteur", d.rapporteur_id) for d in documents]
    people = {holder for _obj, _field, holder in work if holder}
    targets = set(result.bodies.values())
    seeing = {
        body.pk: users_seeing_work_of(congress_id=result.successor.pk, body=body, user_ids=people)
        for body in targets
    }
    heads = heads_by_body(targets)
    names = _names(people | {h.pk for h in heads.values()})
    for obj, holder_field, holder in work:
        body = result.bodies[obj.body_id]
        moved = Moved(obj, obj.body, holder, _keeper(holder, body, seeing, heads))
        _move(actor, moved, holder_field, result, body, names)
        result.moved.append(moved)


def _names(user_ids) -> dict[int, str]:
    users = get_user_model().objects.in_bulk([u for u in user_ids if u])
    return {pk: user.get_full_name() or user.username for pk, user in users.items()}


def _move(actor, moved: Moved, holder_field: str, result: Transfer, body: Body, names) -> None:
    """Move one task or document into the successor congress, with its audit entry and its
    event there (its people are told by the summary)."""
    obj = moved.obj
    obj.congress_id, obj.body = result.successor.pk, body
    setattr(obj, f"{holder_field}_id", moved.holder)
    obj.version += 1
    obj.save(update_fields=["congress", "body", holder_field, "version", "updated_at"])
    note = (
        f"{result.congress.title} · {moved.old_body.name} → {result.successor.title} · {body.name}"
    )
    if moved.holder != moved.old_holder:
        note += " · " + _("%(old)s → %(new)s") % {
            "old": names.get(moved.old_holder, "-"),
            "new": names.get(moved.holder, "-"),
        }
    audit_record(obj, transition="transfer", actor=actor, note=note)
    event_record(
        congress_id=result.successor.pk,
        type=events.TRANSFERRED[moved.kind],
        object_kind=moved.kind,
        object_id=obj.pk,
        body=body,
        actor=actor,
        audience=[moved.holder, obj.created_by_id],
        data={
            "status": obj.status,
            "version": obj.version,
            "title": obj.title,
            "body": body.pk,
            "from_congress": result.congress.pk,
            "from_body": moved.old_body.pk,
            SUMMARIZED: True,
        },
    )


def _notify_transfer(actor, result: Transfer) -> None:
    """Everyone in the handed-over congress once; in the successor, the people who now hold
    the work and the heads of the bodies receiving it."""
    heads = heads_by_body(set(result.bodies.values()))
    lines: defaultdict[int, list[SummaryLine]] = defaultdict(list)
    for moved in result.moved:
        obj = moved.obj
        line = SummaryLine(
            title=obj.title,
            congress_id=obj.congress_id,
            body_id=obj.body_id,
            body_name=obj.body.name,
            confidential=obj.body.confidential,
            due_at=obj.due_at,
            detail=f"{moved.old_body.name} → {obj.body.name} ({result.successor.title})",
            object_kind=moved.kind,
        )
        head = heads.get(obj.body_id)
        for person in {moved.holder, moved.old_holder, head.pk if head else None}:
            if person is not None:
                lines[person].append(line)
    summary = Summary(
        kind=CONGRESS_TRANSFERRED,
        congress=result.congress,
        successor=result.successor,
        facts={"reason": result.congress.status_reason},
    )
    summaries_send(
        summary=summary, lines_by_user=lines, everyone=member_ids(result.congress), actor=actor
    )
