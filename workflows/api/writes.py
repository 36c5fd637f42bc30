"""The create and PATCH flow that tasks and documents share: validate, refuse status writes,
call the service (which refuses congress moves), answer with the fresh representation."""

from rest_framework import status

from congress.api.serializers import reject_status_writes


class ServiceWritesMixin:
    """Set `create_service`, `update_service` (keyword-only services taking `actor`), the
    update service's id keyword `id_field` and `_respond(pk, code)`."""

    create_service = None
    update_service = None
    id_field = "id"

    def create(self, request, *args, **kwargs):
        data = self._validated(self.get_serializer(data=request.data))
        data.pop("version", None)
        created = self.create_service(actor=request.user, **data)
        return self._respond(created.pk, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        data = self._validated(self.get_serializer(instance, data=request.data, partial=True))
        self.update_service(actor=request.user, **{self.id_field: instance.pk}, **data)
        return self._respond(instance.pk)

    @staticmethod
    def _validated(serializer) -> dict:
        serializer.is_valid(raise_exception=True)
        reject_status_writes(serializer)
        return serializer.validated_data
