"""A congress's lifecycle through the one transition engine, and what a cancellation does
to the congress's open work.

Cancelling (with a reason) cancels every open task through the task transition engine and
withdraws every open document through the document one, with that reason; everyone in the
congress is told once. Handing a congress over to a successor is workflows.services.transfers.
"""

from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext as _

from congress.errors import Forbidden, Invalid, NotFound
from congress.models import Congress, Membership, User
from congress.selectors import congresses_visible_to
from notifications.services import event_record
from notifications.summaries import (
    CONGRESS_CANCELLED,
    Summary,
    events_summarize,
    summaries_send,
)
from workflows import events, rules
from workflows.selectors.congresses import open_documents, open_tasks
from workflows.services.documents import document_transition
from workflows.services.plans import summary_line
from workflows.services.tasks import task_transition
from workflows.services.transitions import perform_transition


def congress_locked(actor: User, congress_id: int) -> Congress:
    congress = (
        congresses_visible_to(actor).select_for_update(of=("self",)).filter(pk=congress_id).first()
    )
    if congress is None:
        raise NotFound(_("Not found."))
    return congress


def record_transition(
    congress: Congress, actor: User, name: str, from_state: str, note: str, **extra: object
) -> None:
    event_record(
        congress_id=congress.pk,
        type=events.CONGRESS_TRANSITIONED,
        object_kind="congress",
        object_id=congress.pk,
        actor=actor,
        data={
            "status": congress.status,
            "version": congress.version,
            "transition": name,
            "from_status": from_state,
            "note": note,
            **extra,
        },
    )


@transaction.atomic
def congress_transition(
    *,
    actor: User,
    congress_id: int,
    name: str,
    note: str = "",
    reason: str = "",
    version: int | None = None,
) -> Congress:
    """Move a congress through its lifecycle (planning, preparing, in session, closed;
    cancelled with a reason), through the same engine as tasks and documents. A `transfer`
    needs its successor congress: `congress_transfer` does it."""
    congress = congress_locked(actor, congress_id)
    entry = perform_transition(
        congress, name=name, actor=actor, note=note or "", reason=reason or "", version=version
    )
    if name == "transfer":
        # After the engine's checks, so that who may act and when come first.
        raise Invalid(
            {
                "successor_congress": [
                    _("A hand-over needs the successor congress: use the transfer endpoint.")
                ]
            },
            code="transfer_needs_successor",
        )
    record_transition(congress, actor, name, entry.from_state, entry.note)
    if name == "cancel":
        _cancel_open_work(actor, congress, entry.note)
    return congress


# Cancel ------------------------------------------------------------------------------------


def _cancel_open_work(actor: User, congress: Congress, reason: str) -> None:
    tasks = list(open_tasks(congress).select_related("body", "assignee").order_by("id"))
    refused = sorted({t.body.name for t in tasks if not rules.may_manage_task(t, actor)})
    if refused:
        raise Forbidden(
            _(
                "Open tasks of %(bodies)s would be cancelled, and you may not cancel them: "
                "the steering board's head or a deputy cancels the congress."
            )
            % {"bodies": ", ".join(refused)},
            code="cancel_forbidden",
        )
    for task in tasks:
        task_transition(actor=actor, task_id=task.pk, name="cancel", reason=reason)
    events_summarize(
        object_kind="task", object_ids=[t.pk for t in tasks], type=events.TASK_TRANSITIONED
    )
    documents = list(open_documents(congress).values_list("pk", flat=True).order_by("id"))
    for document_id in documents:
        document_transition(actor=actor, document_id=document_id, name="withdraw", reason=reason)
    events_summarize(
        object_kind="document", object_ids=documents, type=events.DOCUMENT_TRANSITIONED
    )
    lines = defaultdict(list)
    for task in tasks:
        if task.assignee_id:
            lines[task.assignee_id].append(summary_line(task))
    summaries_send(
        summary=Summary(kind=CONGRESS_CANCELLED, congress=congress, facts={"reason": reason}),
        lines_by_user=lines,
        everyone=member_ids(congress),
        actor=actor,
    )


def member_ids(congress: Congress) -> set[int]:
    return set(Membership.objects.filter(body__congress=congress).values_list("user_id", flat=True))
