"""What the task and document endpoints share: create and PATCH (validate, refuse status
writes, call the service, which refuses congress moves), the transitions action, and the
fresh representation each of them answers with."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from congress.api.serializers import reject_status_writes


class ServiceWritesMixin:
    """Set `getter` (a selector: user, id -> the object, or 404), `create_service`,
    `update_service` and `transition_service` (keyword-only services taking `actor`) and their
    id keyword `id_field`; `service_writes` sets the representation and the transition input."""

    getter = None
    create_service = None
    update_service = None
    transition_service = None
    id_field = "id"
    representation = None
    transition_input = None

    def get_object(self):
        return self.getter(self.request.user, self.kwargs["pk"])

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

    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<name>[a-z_]{1,40})")
    def transition(self, request, pk=None, name=None):
        serializer = self.transition_input(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.transition_service(
            actor=request.user, **{self.id_field: pk}, name=name, **serializer.validated_data
        )
        return self._respond(pk)

    def _respond(self, pk, code=status.HTTP_200_OK):
        found = self.getter(self.request.user, pk)
        return Response(
            self.representation(found, context=self.get_serializer_context()).data, code
        )

    @staticmethod
    def _validated(serializer) -> dict:
        serializer.is_valid(raise_exception=True)
        reject_status_writes(serializer)
        return serializer.validated_data


def service_writes(*, representation, transition_input):
    """Class decorator for a `ServiceWritesMixin` viewset: what its writes answer with and what
    a transition takes, for the views and for the OpenAPI schema alike."""

    def decorate(viewset):
        viewset.representation = representation
        viewset.transition_input = transition_input
        return extend_schema_view(
            create=extend_schema(responses=representation),
            partial_update=extend_schema(responses=representation),
            transition=extend_schema(
                request=transition_input,
                responses=representation,
                parameters=[OpenApiParameter("name", str, OpenApiParameter.PATH)],
            ),
        )(viewset)

    return decorate
