"""Who hears of an event, and under which category (ARCHITECTURE §§3 and 5).

Everything needed is on the event (type, transition, body, audience, mentions, and the
reviewers the recording service named by workflows.rules), so this module never looks into
workflows. Every list is filtered by the visibility rule: a confidential event never reaches
someone who may not see it.
"""

from congress.selectors import body_head_ids, users_seeing_work_of
from notifications.models import Category, Event

SUMMARIZED = "summarized"  # the key notifications.summaries sets on such events

# transition -> who hears of it ("assignee": the task's assignee, "reviewers": those the event
# names, "heads": its body's heads)
_TASK_TRANSITIONS = {
    "submit": ("reviewers", Category.REVIEW),
    "approve": ("assignee", Category.STATUS),
    "return": ("assignee", Category.STATUS),
    "cancel": ("assignee", Category.STATUS),
    "reopen": ("assignee", Category.STATUS),
    "block": ("heads", Category.STATUS),
    "unblock": ("assignee", Category.STATUS),
}


def recipients_for(event: Event) -> dict[int, str]:
    """user id -> category, without the actor, filtered by visibility. Nobody for an event of
    a bulk change whose people are told by one summary each (notifications.summaries)."""
    if event.payload.get(SUMMARIZED):
        return {}
    wanted: dict[int, str] = {}

    def add(user_ids, category):
        for user_id in user_ids:
            if user_id:
                # The first reason wins: an assignment outranks a plain status change.
                wanted.setdefault(user_id, category)

    data = event.payload
    for user_id in data.get("mentions", []):
        add([user_id], Category.MENTION)
    if event.type in ("task.created", "task.updated"):
        if event.type == "task.created" or "assignee" in data.get("changed", []):
            add([data.get("assignee")], Category.ASSIGNMENT)
    elif event.type == "task.transitioned":
        who, category = _TASK_TRANSITIONS.get(data.get("transition"), (None, None))
        if who == "assignee":
            add([data.get("assignee")], category)
        elif who == "reviewers":
            add(data.get("reviewers", []), category)
        elif who == "heads" and event.body is not None:
            add(sorted(body_head_ids(event.body)), category)
    elif event.type == "document.transitioned":
        add(data.get("reviewers", []), Category.REVIEW)
        add([data.get("rapporteur")], Category.STATUS)
    elif event.type in ("comment.added", "document.version_added"):
        add(event.audience, Category.COMMENT)
    elif event.type == "body.proposal_made":
        add(event.audience, Category.REVIEW)
    elif event.type == "body.proposal_decided":
        add(event.audience, Category.STATUS)
    wanted.pop(event.actor_id, None)
    visible = users_seeing_work_of(
        congress_id=event.congress_id, body=event.body, user_ids=wanted.keys()
    )
    return {user_id: category for user_id, category in wanted.items() if user_id in visible}
