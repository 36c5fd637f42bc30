from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.filters import SearchFilter

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
