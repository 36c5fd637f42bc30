"""Writes on bodies that leave a trail in the audit log, which lives above the core: the
API changes bodies through here, never through congress.services directly."""

from django.db import transaction
from django.utils.translation import gettext as _

from congress import services as core
from congress.errors import NotFound
from congress.models import Body
from congress.selectors import bodies_visible_to
from workflows.services.transitions import audit_record


def _shown(name: str, value) -> str:
    if name == "parent":
        return value.name if value is not None else "—"
    return str(value).lower() if isinstance(value, bool) else str(value)


@transaction.atomic
def body_update(*, actor, body_id: int, **changes) -> Body:
    """Change a body (congress.services.body_update: who may, the `body.updated` event, the
    rights of everyone in the congress) and write the audit entry of what changed, old and
    new values, in the same transaction."""
    body = bodies_visible_to(actor).select_for_update(of=("self",)).filter(pk=body_id).first()
    if body is None:
        raise NotFound(_("Not found."))
    before = {name: getattr(body, name) for name in core.BODY_EDITABLE}
    body = core.body_update(actor=actor, body=body, **changes)
    changed = [name for name in core.BODY_EDITABLE if getattr(body, name) != before[name]]
    if changed:
        note = ", ".join(
            f"{name}: {_shown(name, before[name])} → {_shown(name, getattr(body, name))}"
            for name in changed
        )
        audit_record(body, transition="update", actor=actor, note=note)
    return body
