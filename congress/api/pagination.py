from django.core.paginator import Page, Paginator
from django.db.models import IntegerField, QuerySet, Subquery
from django.db.models.query import ModelIterable
from rest_framework import pagination

MAX_PAGE = 10**9


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


class _CountOf(Subquery):
    """`(SELECT COUNT(*) FROM (<query>))`: uncorrelated, so PostgreSQL runs it once for the
    whole statement (an InitPlan), and the page query keeps its ORDER BY ... LIMIT."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()


def counted_page(queryset, number: int, page_size: int, paginator_class=Paginator) -> Page | None:
    """Page `number` (from 1) of `queryset` with the count of the whole list folded into the
    page query: one query instead of a COUNT and a SELECT. The page's rows carry the count;
    an empty first page means an empty list. None past the end and for querysets it cannot
    annotate (values, unions, slices): the paginator's own way answers those."""
    if not _annotatable(queryset):
        return None
    offset = (number - 1) * page_size
    counted = queryset.annotate(_page_total=_CountOf(queryset.order_by().values("pk")))
    rows = list(counted[offset : offset + page_size])
    if not rows and number > 1:
        return None
    paginator = paginator_class(queryset, page_size)
    paginator.count = rows[0]._page_total if rows else 0  # what Paginator.count would say
    return Page(rows, number, paginator)


def _annotatable(queryset) -> bool:
    return (
        isinstance(queryset, QuerySet)
        and queryset._iterable_class is ModelIterable
        and not queryset.query.combinator
        and not queryset.query.is_sliced
    )


class CountInPagePagination(PageNumberPagination):
    """The same pages, links and errors as PageNumberPagination, with the count folded into the
    page query (`counted_page`). A page past the end, `page=last` and querysets it cannot
    annotate take DRF's way, so every answer, 404 included, is the one PageNumberPagination
    gives.
    """

    def paginate_queryset(self, queryset, request, view=None):
        page_size = self.get_page_size(request)
        number = self._page_number(request)
        page = None
        if page_size and number is not None:
            page = counted_page(queryset, number, page_size, self.django_paginator_class)
        if page is None:
            return super().paginate_queryset(queryset, request, view)
        self.page = page
        if page.paginator.num_pages > 1 and self.template is not None:
            self.display_page_controls = True
        self.request = request
        return list(page)

    def _page_number(self, request) -> int | None:
        raw = request.query_params.get(self.page_query_param) or 1
        try:
            number = int(raw)
        except (TypeError, ValueError):
            return None
        # Past MAX_PAGE the offset could overflow the database's integers: DRF's 404.
        return number if 1 <= number <= MAX_PAGE else None
