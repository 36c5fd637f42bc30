"""The shape most of the API's viewsets share."""

from rest_framework import mixins, viewsets

from congress.api.common import ID


class ListCreatePatchViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    # List, read, create and PATCH (never PUT); ids in URLs of at most 18 digits. A comment,
    # not a docstring: drf-spectacular would make it the description of every operation.
    lookup_value_regex = ID
    http_method_names = ["get", "post", "patch", "head", "options"]
