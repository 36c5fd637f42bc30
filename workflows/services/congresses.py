from django.db import transaction
from django.utils.translation import gettext as _

from congress.errors import NotFound
from congress.models import Congress
from congress.selectors import congresses_visible_to
from notifications.services import event_record
from workflows.services.transitions import perform_transition


@transaction.atomic
def congress_transition(
    *,
    actor,
    congress_id: int,
    name: str,
    note: str = "",
    reason: str = "",
    version: int | None = None,
) -> Congress:
    """Move a congress through its lifecycle (planning, preparing, in session, closed;
    cancelled with a reason), through the same engine as tasks and documents."""
    congress = (
        congresses_visible_to(actor).select_for_update(of=("self",)).filter(pk=congress_id).first()
    )
    if congress is None:
        raise NotFound(_("Not found."))
    entry = perform_transition(
        congress, name=name, actor=actor, note=note or "", reason=reason or "", version=version
    )
    event_record(
        congress_id=congress.pk,
        type="congress.transitioned",
        object_kind="congress",
        object_id=congress.pk,
        actor=actor,
        data={
            "status": congress.status,
            "version": congress.version,
            "transition": name,
            "from_status": entry.from_state,
            "note": entry.note,
        },
    )
    return congress
