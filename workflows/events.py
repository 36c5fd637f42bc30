"""The event kinds workflows records, declared once (notifications.registry): who hears of
each, under which category, with which title, and the page it leads to. Imported by
WorkflowsConfig.ready(), so every kind is declared before the first event is recorded.

A new kind: declare it here and record it with its constant; nothing else changes.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notifications.models import Category
from notifications.registry import (
    ASSIGNEE,
    AUDIENCE,
    HEADS,
    NEW_ASSIGNEE,
    RAPPORTEUR,
    REVIEWERS,
    EventKind,
    Told,
    register,
)

# The page of each kind of object (URL names of workflows.web.urls).
PAGES = {"task": "web-task", "document": "web-document", "congress": "web-dashboard"}


def page_link(kind: str, object_id: int) -> str:
    """Where a task, a document or a congress is read ("/" for anything else)."""
    url_name = PAGES.get(kind)
    return reverse(url_name, args=[object_id]) if url_name else "/"


TO_TASK = ((PAGES["task"], "id"),)
TO_DOCUMENT = ((PAGES["document"], "id"),)
TO_CONGRESS = ((PAGES["congress"], "id"),)
# A comment leads to its task, or else to its document.
TO_COMMENTED = ((PAGES["task"], "task"), (PAGES["document"], "document"))

ASSIGNED = _("New task assigned to you: %(title)s")
WAITING = _("Waiting for your review: %(title)s")
UPDATED = _("Updated: %(title)s")
# What a status change tells, by transition.
CHANGED = {
    "approve": _("Approved: %(title)s"),
    "return": _("Returned for more work: %(title)s"),
    "cancel": _("Cancelled: %(title)s"),
    "reopen": _("Reopened: %(title)s"),
    "block": _("Blocked: %(title)s"),
    "unblock": _("Unblocked: %(title)s"),
}
TO_REVIEW = Told(REVIEWERS, Category.REVIEW, WAITING)


def _assignee_told(transition: str) -> tuple[Told, ...]:
    return (Told(ASSIGNEE, Category.STATUS, CHANGED[transition]),)


# Tasks ------------------------------------------------------------------------------------

TASK_CREATED = register(
    EventKind("task.created", told=(Told(ASSIGNEE, Category.ASSIGNMENT, ASSIGNED),), links=TO_TASK)
)
TASK_UPDATED = register(
    EventKind(
        "task.updated", told=(Told(NEW_ASSIGNEE, Category.ASSIGNMENT, ASSIGNED),), links=TO_TASK
    )
)
TASK_TRANSITIONED = register(
    EventKind(
        "task.transitioned",
        by="transition",
        told_by={
            "submit": (TO_REVIEW,),
            **{name: _assignee_told(name) for name in ("approve", "return", "cancel", "reopen")},
            "block": (Told(HEADS, Category.STATUS, CHANGED["block"]),),
            "unblock": _assignee_told("unblock"),
        },
        links=TO_TASK,
    )
)
TASK_TRANSFERRED = register(EventKind("task.transferred", links=TO_TASK))

# Documents and comments -------------------------------------------------------------------

DOCUMENT_CREATED = register(EventKind("document.created", links=TO_DOCUMENT))
DOCUMENT_UPDATED = register(EventKind("document.updated", links=TO_DOCUMENT))
DOCUMENT_VERSION_ADDED = register(
    EventKind(
        "document.version_added",
        told=(Told(AUDIENCE, Category.COMMENT, _("New comment on: %(title)s")),),
        links=TO_DOCUMENT,
    )
)
DOCUMENT_TRANSITIONED = register(
    EventKind(
        "document.transitioned",
        # The reviewers are asked; the rapporteur hears what became of the document.
        told=(TO_REVIEW, Told(RAPPORTEUR, Category.STATUS, UPDATED)),
        by="transition",
        told_by={
            name: (TO_REVIEW, Told(RAPPORTEUR, Category.STATUS, title))
            for name, title in CHANGED.items()
        },
        links=TO_DOCUMENT,
    )
)
DOCUMENT_TRANSFERRED = register(EventKind("document.transferred", links=TO_DOCUMENT))
COMMENT_ADDED = register(
    EventKind(
        "comment.added",
        told=(Told(AUDIENCE, Category.COMMENT, _("New comment on: %(title)s")),),
        links=TO_COMMENTED,
    )
)
COMMENT_UPDATED = register(EventKind("comment.updated", links=TO_COMMENTED))
# What moved, by the kind of object a hand-over moves.
TRANSFERRED = {"task": TASK_TRANSFERRED, "document": DOCUMENT_TRANSFERRED}

# Consultations of outside organizations (the document's drafters follow them on its page) --

CONSULTATION_INVITED = register(EventKind("consultation.invited", links=TO_DOCUMENT))
CONSULTATION_INVITATION_REVOKED = register(
    EventKind("consultation.invitation_revoked", links=TO_DOCUMENT)
)
CONSULTATION_INVITATION_RESENT = register(
    EventKind("consultation.invitation_resent", links=TO_DOCUMENT)
)
CONSULTATION_OPENED = register(EventKind("consultation.opened", links=TO_DOCUMENT))
CONSULTATION_ANSWERED = register(EventKind("consultation.answered", links=TO_DOCUMENT))

# Congresses (their people are told by summaries, notifications.summaries) ----------------

CONGRESS_TRANSITIONED = register(EventKind("congress.transitioned", links=TO_CONGRESS))
CONGRESS_PLAN_APPLIED = register(EventKind("congress.plan_applied", links=TO_CONGRESS))
CONGRESS_WORK_RECEIVED = register(EventKind("congress.work_received", links=TO_CONGRESS))
# The superior's office pushed a plan template: the congress's leaders (the audience) are told.
PLAN_PUSHED = register(
    EventKind(
        "congress.plan_pushed",
        told=(Told(AUDIENCE, Category.STATUS, _("Plan from the superior level: %(title)s")),),
        links=(("web-plan", "id"),),
    )
)

# Proposals of rights changes --------------------------------------------------------------

TO_PROPOSALS = (("web-proposals", ""),)
PROPOSAL_MADE = register(
    EventKind(
        "body.proposal_made",
        told=(Told(AUDIENCE, Category.REVIEW, _("To confirm: %(title)s")),),
        links=TO_PROPOSALS,
    )
)
PROPOSAL_DECIDED = register(
    EventKind(
        "body.proposal_decided",
        told=(Told(AUDIENCE, Category.STATUS, UPDATED),),
        by="status",
        told_by={
            "confirmed": (Told(AUDIENCE, Category.STATUS, _("Confirmed: %(title)s")),),
            "rejected": (Told(AUDIENCE, Category.STATUS, _("Rejected: %(title)s")),),
        },
        links=TO_PROPOSALS,
    )
)
