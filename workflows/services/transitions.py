"""The one transition engine every state change goes through (tasks, congresses, later
documents): known name, fresh version, allowed from the current state, the actor's permission,
the input the transition needs, its conditions; then the state change and the audit entry.

Callers wrap it in `transaction.atomic` with the row locked, save the object and record the
outbox event in the same transaction.
"""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from congress.errors import Conflict, Forbidden, Invalid, NotFound
from congress.fsm import sources_of, transition_from_state, transitions_of
from workflows.models import AuditEntry

# Templates kept on the error (`wording`), so a page can put a button's label for the name.
NOT_ALLOWED = gettext_noop("“%(name)s” is not allowed from the state “%(state)s”.")
FORBIDDEN = gettext_noop("You may not do “%(name)s” here. %(who)s")
NEEDS = gettext_noop("“%(name)s” needs a %(field)s.")
NOT_NOW = gettext_noop("“%(name)s” cannot be done now: %(why)s")


def _worded(template: str, **words) -> dict:
    return {"message": _(template) % words, "wording": (template, words)}


def _check_allowed(obj, name: str, actor, version: int | None):
    transitions = transitions_of(obj)
    if name not in transitions:
        raise NotFound(
            _("Unknown transition “%(name)s”.") % {"name": name[:40]},
            code="unknown_transition",
            known=sorted(transitions),
        )
    if version is not None and version != obj.version:
        raise Conflict(
            _(
                "This item was changed by someone else (version %(current)s, you sent "
                "%(sent)s). Reload it and try again."
            )
            % {"current": obj.version, "sent": version},
            code="stale_version",
            current_version=obj.version,
        )
    state = obj.status
    transition = transition_from_state(obj, name)
    if transition is None:
        raise Conflict(
            **_worded(NOT_ALLOWED, name=name, state=state),
            code="transition_not_allowed",
            transition=name,
            status=state,
            allowed_from=sources_of(obj, name),
        )
    if not transition.has_perm(obj, actor):
        who = getattr(transition.permission, "description", "")
        raise Forbidden(
            **_worded(FORBIDDEN, name=name, who=who),
            code="transition_forbidden",
            transition=name,
            who_may=str(who),
        )
    return transition


def _check_input(transition, name: str, note: str, reason: str) -> None:
    requires = transition.custom.get("requires")
    given = {"note": note, "reason": reason}
    if requires and not given[requires].strip():
        worded = _worded(NEEDS, name=name, field=requires)
        raise Invalid({requires: [worded["message"]]}, wording=worded["wording"])


def _check_conditions(obj, transition, name: str, actor) -> None:
    """A failed condition says why; one with an `explain(obj, actor)` says it in the terms
    the actor may read (an open dependency they cannot see is not named)."""
    for condition in transition.conditions:
        if not condition(obj):
            explain = getattr(condition, "explain", None)
            if explain is not None:
                why, details = explain(obj, actor)
            else:
                why, details = getattr(condition, "description", condition.__name__), {}
            raise Conflict(
                **_worded(NOT_NOW, name=name, why=why),
                code=getattr(condition, "code", "condition_failed"),
                transition=name,
                **details,
            )


def perform_transition(
    obj, *, name: str, actor, note: str = "", reason: str = "", version: int | None = None
) -> AuditEntry:
    """Check everything, change the state, bump the version, save, and write the audit entry.

    `obj` must already be locked by the caller's transaction. Raises a DomainError and changes
    nothing when any check fails.
    """
    transition = _check_allowed(obj, name, actor, version)
    _check_input(transition, name, note, reason)
    _check_conditions(obj, transition, name, actor)
    from_state = obj.status
    requires = transition.custom.get("requires")
    text = reason if requires == "reason" else note
    getattr(obj, transition.name)(**({requires: text} if requires else {}))
    obj.version += 1
    obj.save()
    return audit_record(
        obj, transition=name, from_state=from_state, to_state=obj.status, actor=actor, note=text
    )


def audit_record(obj, *, transition: str, actor, from_state="", to_state="", note="") -> AuditEntry:
    congress_id = getattr(obj, "congress_id", None) or obj.pk
    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        congress_id=congress_id,
        body_id=getattr(obj, "body_id", None),
        transition=transition,
        from_state=from_state,
        to_state=to_state,
        actor=actor if actor is not None and actor.is_authenticated else None,
        note=note,
    )
