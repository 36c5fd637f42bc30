from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter, SearchFilter

MAX_SEARCH_LENGTH = 200


class BoundedSearchFilter(SearchFilter):
    """DRF's search, refusing terms no person types (and that some databases choke on)."""

    def get_search_terms(self, request):
        value = request.query_params.get(self.search_param, "")
        if len(value) > MAX_SEARCH_LENGTH:
            raise ValidationError(
                {
                    self.search_param: [
                        _("Search for at most %(n)s characters.") % {"n": MAX_SEARCH_LENGTH}
                    ]
                }
            )
        return super().get_search_terms(request)


class StableOrderingFilter(OrderingFilter):
    """DRF's ordering with `id` appended as the tie-breaker, so that rows with equal sort keys
    (tasks due at the same time) never appear on two pages or on none."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if ordering and not {"id", "-id", "pk", "-pk"} & set(ordering):
            ordering = [*ordering, "id"]
        return ordering
