"""The create and PATCH flow that tasks and documents share: validate, refuse status writes
and congress moves, call the service, answer with the fresh representation."""

from rest_framework import status

from congress.api.serializers import reject_status_writes
from congress.errors import Invalid


class ServiceWritesMixin:
    """Set `create_service`, `update_service` (keyword-only services taking `actor`), the
    update service's id keyword `id_field`, `moved_message()` and `_respond(pk, code)`."""

    create_service = None
    update_service = None
    id_field = "id"

    def create(self, request, *args, **kwargs):
        data = self._validated(self.get_serializer(data=request.data))
        data.pop("congress", None)
        data.pop("version", None)
        created = self.create_service(actor=request.user, **data)
        return self._respond(created.pk, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        data = self._validated(self.get_serializer(instance, data=request.data, partial=True))
        congress = data.pop("congress", None)
        if congress is not None and congress.pk != instance.congress_id:
            raise Invalid({"congress": [self.moved_message()]})
        self.update_service(actor=request.user, **{self.id_field: instance.pk}, **data)
        return self._respond(instance.pk)

    def moved_message(self) -> str:
        raise NotImplementedError("say what cannot move to another congress")

    @staticmethod
    def _validated(serializer) -> dict:
        serializer.is_valid(raise_exception=True)
        reject_status_writes(serializer)
        return serializer.validated_data
