"""The transition buttons of a task or a document: what the user may do now
(`available_transitions`), the words on each button, and what the prompt asks for."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from congress.fsm import available_transitions, required_input, transitions_of

TASK_LABELS = {
    "start": _("Start"),
    "submit": _("Submit for review"),
    "approve": _("Approve"),
    "return": _("Return for more work"),
    "complete": _("Mark as done"),
    "block": _("Report a blocker"),
    "unblock": _("Unblock"),
    "cancel": _("Cancel the task"),
    "reopen": _("Reopen"),
}
DOCUMENT_LABELS = {
    "submit": _("Submit for review"),
    "approve": _("Approve"),
    "return": _("Return for revision"),
    "open_consultation": _("Open for comment"),
    "close_consultation": _("Close the consultation"),
    "withdraw": _("Withdraw"),
}
PROPOSAL_LABELS = {
    "confirm": _("Confirm"),
    "reject": _("Reject"),
    "withdraw": pgettext_lazy("proposal", "Withdraw"),
}
# Asked before the transition is sent (in the page's dialog): approving cannot be taken back by
# the person who approves.
TASK_CONFIRMS = {
    "approve": _("Approve this task? It is marked done and the assignee is told."),
}
DOCUMENT_CONFIRMS = {
    "approve": _(
        "Approve this draft? It goes on to the next step and the people concerned are told."
    ),
}
PROPOSAL_CONFIRMS = {
    "confirm": _("Confirm this change? It takes effect at once and the people concerned are told."),
}
PROMPTS = {
    "note": _("Report note"),
    "reason": _("Reason"),
    "consultation_closes_at": _("Comments close at"),
}
PRIMARY = {"start", "submit", "approve", "complete", "unblock", "confirm"}
DANGER = {"cancel", "withdraw", "return", "block", "reject"}


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    requires: str  # "note", "reason" or ""
    needs: str  # "consultation_closes_at" or ""
    style: str  # "primary", "danger" or ""
    confirm: str = ""  # the question asked before it is sent, if any

    @property
    def prompt_label(self) -> str:
        return str(PROMPTS.get(self.needs or self.requires, ""))


def needed_input(obj, name: str) -> str:
    transition = transitions_of(obj).get(name)
    return transition.custom.get("needs", "") if transition else ""


def actions_for(obj, user, labels: dict, confirms: dict | None = None) -> list[Action]:
    actions = []
    for name in available_transitions(obj, user):
        actions.append(
            Action(
                name=name,
                label=str(labels.get(name, name)),
                requires=required_input(obj, name) or "",
                needs=needed_input(obj, name),
                style="primary" if name in PRIMARY else "danger" if name in DANGER else "",
                confirm=str((confirms or {}).get(name, "")),
            )
        )
    return actions


def task_actions(task, user) -> list[Action]:
    return actions_for(task, user, TASK_LABELS, TASK_CONFIRMS)


def document_actions(document, user) -> list[Action]:
    return actions_for(document, user, DOCUMENT_LABELS, DOCUMENT_CONFIRMS)


def proposal_actions(proposal, user) -> list[Action]:
    return actions_for(proposal, user, PROPOSAL_LABELS, PROPOSAL_CONFIRMS)


def action_named(obj, name: str, labels: dict) -> Action | None:
    """The action for a prompt page, whether or not it is available now (the service says
    why not when it is tried)."""
    if name not in transitions_of(obj):
        return None
    return Action(
        name=name,
        label=str(labels.get(name, name)),
        requires=required_input(obj, name) or "",
        needs=needed_input(obj, name),
        style="",
    )


# How the history tells each change, after the actor's name.
HISTORY_VERBS = {
    "create": _("created it"),
    "update": _("changed"),
    "version_add": _("added a version"),
    "start": _("started"),
    "submit": _("submitted it for review"),
    "approve": _("approved"),
    "return": _("returned it"),
    "complete": _("marked it done"),
    "block": _("reported a blocker"),
    "unblock": _("unblocked it"),
    "cancel": _("cancelled it"),
    "reopen": _("reopened it"),
    "open_consultation": _("opened it for comment"),
    "close_consultation": _("closed the consultation"),
    "withdraw": _("withdrew it"),
    "propose": _("proposed"),
    "confirm": _("confirmed"),
    "reject": _("rejected"),
    "member_set": _("changed the members"),
    "member_remove": _("removed a member"),
}
