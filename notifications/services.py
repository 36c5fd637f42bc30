"""The public service other apps use to record what happened (the outbox)."""

from collections.abc import Iterable

from notifications.models import Event


def event_record(
    *,
    congress_id: int,
    type: str,
    object_kind: str,
    object_id: int,
    data: dict,
    body=None,
    actor=None,
    audience: Iterable[int] = (),
) -> Event:
    """Write an outbox event. Call it inside the transaction of the change it describes,
    so that the change and its event are committed together or not at all."""
    return Event.objects.create(
        congress_id=congress_id,
        type=type,
        object_kind=object_kind,
        object_id=object_id,
        body=body,
        confidential=bool(body and body.confidential),
        actor=actor if actor is not None and actor.is_authenticated else None,
        audience=sorted({u for u in audience if u}),
        payload={"kind": object_kind, "id": object_id, **data},
    )
