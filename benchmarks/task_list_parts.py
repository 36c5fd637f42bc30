"""Where one task-list request's milliseconds go: in this process, one request at a time,
each part timed by wrapping the function that does it for the length of the measurement (the
application's code is not changed), and the SQL of each part timed apart by a database
execute wrapper. Times are exclusive (a part nested in another is taken out of it) and means
over the requests, so that they add up to the mean request."""

import statistics
import time
from contextlib import ExitStack, contextmanager

from django.db import connection
from django.test import Client

REST = "the rest: middleware, URL routing, DRF's dispatch, the view, the response"


def _targets() -> list[tuple[str, object, str]]:
    from rest_framework import generics, renderers, serializers, views

    from congress.api.pagination import CountInPagePagination
    from workflows.selectors import tasks

    return [
        (
            "authentication: token, user and roles (from the cache)",
            views.APIView,
            "perform_authentication",
        ),
        ("permissions", views.APIView, "check_permissions"),
        ("throttling (the rate counters in Redis)", views.APIView, "check_throttles"),
        (
            "filters: django-filter's FilterSet and form, ordering",
            generics.GenericAPIView,
            "filter_queryset",
        ),
        (
            "page query with its count, and building the Task objects",
            CountInPagePagination,
            "paginate_queryset",
        ),
        ("dependency ids of the page", tasks, "visible_dependency_ids_attach"),
        ("serialization (TaskSerializer)", serializers.ListSerializer, "to_representation"),
        ("JSON rendering", renderers.JSONRenderer, "render"),
    ]


class _Clock:
    def __init__(self, names: list[str]):
        self.stack: list[list] = []  # [name, started, time of the parts nested in it]
        self.own = dict.fromkeys(names, 0.0)
        self.sql = dict.fromkeys([*names, REST], 0.0)

    def wrap(self, name: str, function):
        clock = self

        def timed(*args, **kwargs):
            clock.stack.append([name, time.perf_counter(), 0.0])
            try:
                return function(*args, **kwargs)
            finally:
                _name, started, nested = clock.stack.pop()
                spent = time.perf_counter() - started
                clock.own[name] += spent - nested
                if clock.stack:
                    clock.stack[-1][2] += spent

        return timed

    def sql_timer(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            part = self.stack[-1][0] if self.stack else REST
            self.sql[part] += time.perf_counter() - started


@contextmanager
def _patched(clock: _Clock, targets):
    originals = []
    try:
        for name, owner, attribute in targets:
            original = (
                owner.__dict__[attribute] if isinstance(owner, type) else getattr(owner, attribute)
            )
            originals.append((owner, attribute, original))
            setattr(owner, attribute, clock.wrap(name, original))
        with connection.execute_wrapper(clock.sql_timer):
            yield
    finally:
        for owner, attribute, original in reversed(originals):
            setattr(owner, attribute, original)


def parts(client: Client, path: str, requests: int = 200) -> tuple[list[list], float, float]:
    """Rows (part, mean ms, of which SQL ms, share), the mean request in ms and its median."""
    targets = _targets()
    names = [name for name, _owner, _attribute in targets]
    for _ in range(10):
        client.get(path)
    clock = _Clock(names)
    totals = []
    with ExitStack() as stack:
        stack.enter_context(_patched(clock, targets))
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(path)
            totals.append(time.perf_counter() - started)
            assert response.status_code == 200, response.content[:300]
    mean = sum(totals) / requests
    rest = mean - sum(clock.own.values()) / requests
    rows = [
        [name, clock.own[name] / requests * 1000, clock.sql[name] / requests * 1000]
        for name in names
    ]
    rows.append([REST, rest * 1000, clock.sql[REST] / requests * 1000])
    for row in rows:
        row.append(f"{100 * row[1] / (mean * 1000):.0f} %")
    return rows, mean * 1000, statistics.median(totals) * 1000
