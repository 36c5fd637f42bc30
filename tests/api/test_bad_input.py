"""Whatever a client sends, the answer is a 4xx with a JSON body that says what is wrong,
never a server error and never an HTML page."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workflows.models import Task

HUGE = 99999999999999999999  # more than a bigint holds
LONG = "x" * 100_000
TASK_FIELDS = [
    "congress",
    "body",
    "title",
    "description",
    "assignee",
    "priority",
    "starts_on",
    "due_at",
    "requires_review",
    "parent",
    "depends_on",
    "version",
    "status",
]


def assert_client_error(response, status=None):
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:500])
    if status is not None:
        assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    assert isinstance(response.json(), dict)
    assert response.json().get("detail") or len(response.json()) > 0


@pytest.fixture
def task(make_task):
    return make_task(status=Task.Status.IN_REVIEW)


@pytest.fixture
def head(world, api):
    return api(world.docs_head)


def valid_task(world, **changes):
    return {"body": world.docs.pk, "title": "Dự thảo", **changes}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ["a", "b"]}, "title"),
        ({"title": {"vi": "Dự thảo"}}, "title"),
        ({"title": None}, "title"),
        ({"title": LONG}, "title"),
        ({"title": "Dự\x00thảo"}, "title"),
        ({"description": LONG}, "description"),
        ({"description": "a\x00b"}, "description"),
        ({"body": "abc"}, "body"),
        ({"body": True}, "body"),
        ({"body": [1]}, "body"),
        ({"body": HUGE}, "body"),
        ({"body": -1}, "body"),
        ({"congress": HUGE}, "congress"),
        ({"congress": "abc"}, "congress"),
        ({"assignee": HUGE}, "assignee"),
        ({"assignee": "me"}, "assignee"),
        ({"parent": HUGE}, "parent"),
        ({"depends_on": "abc"}, "depends_on"),
        ({"depends_on": ["abc"]}, "depends_on"),
        ({"depends_on": [HUGE]}, "depends_on"),
        ({"depends_on": {"id": 1}}, "depends_on"),
        ({"priority": 5}, "priority"),
        ({"priority": "critical"}, "priority"),
        ({"requires_review": "maybe"}, "requires_review"),
        ({"requires_review": [True]}, "requires_review"),
        ({"due_at": "tomorrow"}, "due_at"),
        ({"due_at": "2025-02-30T10:00:00+07:00"}, "due_at"),
        ({"due_at": 1735689600}, "due_at"),
        ({"due_at": "99999-01-01T00:00:00Z"}, "due_at"),
        ({"starts_on": "30/02/2025"}, "starts_on"),
        ({"starts_on": "2025-13-01"}, "starts_on"),
        ({"version": "x"}, "version"),
        ({"version": HUGE}, "version"),
        ({"status": "done"}, "status"),
    ],
)
def test_task_create_with_bad_field_is_bad_request(world, head, changes, field):
    response = head.post("/api/v1/tasks/", valid_task(world, **changes))

    assert_client_error(response, 400)
    assert field in response.json()
    assert Task.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"due_at": "notadate"}, "due_at"),
        ({"assignee": "abc"}, "assignee"),
        ({"title": LONG}, "title"),
        ({"title": ""}, "title"),
        ({"depends_on": [HUGE]}, "depends_on"),
        ({"version": 0}, "version"),
        ({"body": HUGE}, "body"),
    ],
)
def test_task_patch_with_bad_field_is_bad_request(world, head, task, changes, field):
    response = head.patch(f"/api/v1/tasks/{task.pk}/", changes)

    assert_client_error(response, 400)
    assert field in response.json()
    task.refresh_from_db()
    assert task.version == 1


@pytest.mark.parametrize(
    "payload",
    [
        {"version": "x"},
        {"version": 0},
        {"version": -5},
        {"version": HUGE},
        {"version": 1.5},
        {"note": ["x"]},
        {"note": LONG},
        {"note": "a\x00b"},
        {"reason": {"a": 1}},
        {"reason": LONG},
    ],
)
def test_transition_with_bad_input_is_bad_request(world, head, task, trail, payload):
    before = trail()

    response = head.post(f"/api/v1/tasks/{task.pk}/transitions/approve/", payload)

    assert_client_error(response, 400)
    task.refresh_from_db()
    assert (task.status, task.version) == (Task.Status.IN_REVIEW, 1)
    assert trail() == before


@pytest.mark.parametrize("name", ["fly", "approve_", "__init__", "save", "delete", "_check"])
def test_unknown_transition_name_is_json_not_found(world, head, task, name):
    response = head.post(f"/api/v1/tasks/{task.pk}/transitions/{name}/", {})

    assert_client_error(response, 404)
    task.refresh_from_db()
    assert task.status == Task.Status.IN_REVIEW


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/api/v1/tasks/", "not json{"),
        ("/api/v1/tasks/", '{"title": "unterminated'),
        ("/api/v1/tasks/", "[]"),
        ("/api/v1/tasks/", '["body", "title"]'),
        ("/api/v1/tasks/", '"a string"'),
        ("/api/v1/tasks/", "null"),
        ("/api/v1/tasks/", "42"),
        ("/api/v1/tasks/", ""),
        ("/api/v1/tasks/{task}/transitions/approve/", "not json{"),
        ("/api/v1/tasks/{task}/transitions/approve/", "[]"),
        ("/api/v1/tasks/{task}/transitions/approve/", "[1, 2]"),
        ("/api/v1/tasks/{task}/comments/", "[]"),
        ("/api/v1/tasks/{task}/comments/", '{"text": NaN}'),
        ("/api/v1/congresses/", "[]"),
        ("/api/v1/congresses/{congress}/transitions/cancel/", "[]"),
        ("/api/v1/bodies/", "[]"),
        ("/api/v1/bodies/{body}/members/", "[]"),
        ("/api/v1/users/", "[]"),
        ("/api/v1/organizations/", "[]"),
        ("/api/v1/auth/token/", "[]"),
        ("/api/v1/auth/token/", "not json{"),
    ],
)
def test_body_that_is_not_a_json_object_is_bad_request(world, api, task, path, data):
    client = api(world.staff)
    url = path.format(task=task.pk, congress=world.congress.pk, body=world.docs.pk)

    response = client.post(url, data, content_type="application/json")

    assert_client_error(response)


def test_patch_with_json_list_is_bad_request(world, head, task):
    response = head.patch(f"/api/v1/tasks/{task.pk}/", "[]", content_type="application/json")

    assert_client_error(response, 400)


def test_unsupported_media_type(world, head):
    response = head.post("/api/v1/tasks/", "title=x", content_type="text/plain")

    assert_client_error(response, 415)


def test_invalid_utf8_body_is_bad_request(world, head):
    response = head.post(
        "/api/v1/tasks/", b'{"title": "\xff\xfe"}', content_type="application/json"
    )

    assert_client_error(response, 400)


@pytest.mark.parametrize(
    "query",
    [
        "status=bogus",
        "status=todo&status=bogus",
        "priority=critical",
        "assignee=abc",
        "assignee=-1",
        "assignee=1.5",
        f"assignee={HUGE}",
        "congress=abc",
        f"congress={HUGE}",
        "congress=-1",
        "body=abc",
        f"body={HUGE}",
        "due_before=notadate",
        "due_after=2025-13-45",
        "due_before=2025-02-30T10:00:00",
        "overdue=maybe",
        "page=999",
        "page=abc",
        "page=0",
        "page=-1",
        f"page={HUGE}",
    ],
)
def test_malformed_task_filter_is_a_json_client_error(world, head, task, query):
    response = head.get(f"/api/v1/tasks/?{query}")

    assert_client_error(response)


@pytest.mark.parametrize(
    "query",
    ["page_size=abc", "page_size=-1", f"page_size={HUGE}", "ordering=bogus", "ordering=-password"],
)
def test_lenient_list_parameters_fall_back_to_defaults(world, head, task, query):
    response = head.get(f"/api/v1/tasks/?{query}")

    assert response.status_code == 200
    assert [t["id"] for t in response.json()["results"]] == [task.pk]


@pytest.mark.parametrize(
    "query",
    [
        "search=a%00b",
        "search=%00",
        pytest.param(
            f"search={'x' * 100_000}",
            id="search-100000-chars",
        ),
        "search=%25%25%25_%5C",
        "assignee=%00",
        "due_before=2025%00",
    ],
)
def test_odd_search_and_filter_strings_never_break_the_list(world, head, task, query):
    response = head.get(f"/api/v1/tasks/?{query}")

    assert response.status_code < 500
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/events/?after=abc",
        "/api/v1/events/?congress=abc",
        f"/api/v1/events/?after={HUGE}",
        "/api/v1/events/?after=-1",
        "/api/v1/events/?type=%00",
        "/api/v1/bodies/?congress=abc",
        f"/api/v1/bodies/?congress={HUGE}",
        "/api/v1/bodies/?kind=bogus",
        "/api/v1/congresses/?status=bogus",
        "/api/v1/congresses/?organization=abc",
        "/api/v1/organizations/?level=bogus",
        "/api/v1/users/?search=%00",
        "/api/v1/organizations/?search=%00",
        "/api/v1/bodies/?search=%00",
    ],
)
def test_malformed_filters_elsewhere_are_json_client_errors(world, head, path):
    response = head.get(path)

    assert response.status_code < 500
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", f"/api/v1/tasks/{HUGE}/"),
        ("get", "/api/v1/tasks/999999999999999999/"),
        ("get", "/api/v1/tasks/9223372036854775807/"),
        ("get", "/api/v1/tasks/-1/"),
        ("get", "/api/v1/tasks/abc/"),
        ("get", "/api/v1/tasks/1e3/"),
        ("get", f"/api/v1/tasks/{HUGE}/history/"),
        ("get", "/api/v1/tasks/999999999999999999/history/"),
        ("get", "/api/v1/tasks/999999999999999999/comments/"),
        ("post", "/api/v1/tasks/999999999999999999/comments/"),
        ("patch", "/api/v1/tasks/999999999999999999/"),
        ("post", "/api/v1/tasks/999999999999999999/transitions/approve/"),
        ("post", f"/api/v1/tasks/{HUGE}/transitions/approve/"),
        ("get", f"/api/v1/congresses/{HUGE}/"),
        ("get", "/api/v1/congresses/999999999999999999/"),
        ("get", "/api/v1/congresses/999999999999999999/dashboard/"),
        ("get", f"/api/v1/congresses/{HUGE}/dashboard/"),
        ("patch", "/api/v1/congresses/999999999999999999/"),
        ("post", "/api/v1/congresses/999999999999999999/transitions/cancel/"),
        ("post", f"/api/v1/congresses/{HUGE}/transitions/cancel/"),
        ("get", "/api/v1/bodies/999999999999999999/"),
        ("get", "/api/v1/bodies/999999999999999999/members/"),
        ("delete", "/api/v1/bodies/{body}/members/999999999999999999/"),
        ("delete", f"/api/v1/bodies/{{body}}/members/{HUGE}/"),
        ("get", "/api/v1/users/999999999999999999/"),
        ("get", "/api/v1/organizations/999999999999999999/"),
        ("get", "/api/v1/nothing-here/"),
    ],
)
def test_huge_or_malformed_ids_in_url_are_json_not_found(world, api, method, path):
    client = api(world.staff)

    response = getattr(client, method)(path.format(body=world.docs.pk), {"reason": "x"})

    assert_client_error(response, 404)


@pytest.mark.parametrize(
    ("path", "payload"),
    [
        ("/api/v1/bodies/{body}/members/", {"user": HUGE, "role": "member"}),
        ("/api/v1/bodies/{body}/members/", {"user": "abc", "role": "member"}),
        ("/api/v1/bodies/{body}/members/", {"user": "{user}", "role": "chairman"}),
        ("/api/v1/bodies/", {"congress": HUGE, "kind": "team", "name": "x"}),
        ("/api/v1/bodies/", {"congress": "{congress}", "kind": "bogus", "name": "x"}),
        ("/api/v1/bodies/", {"congress": "{congress}", "kind": "team", "name": LONG}),
        (
            "/api/v1/bodies/",
            {"congress": "{congress}", "kind": "team", "name": "x", "parent": HUGE},
        ),
        ("/api/v1/congresses/", {"organization": HUGE, "number": 1}),
        ("/api/v1/organizations/", {"name": "x", "level": "ward", "parent": HUGE}),
        ("/api/v1/organizations/", {"name": "x\x00", "level": "ward"}),
        ("/api/v1/organizations/", {"name": LONG, "level": "ward"}),
        ("/api/v1/users/", {"username": "a\x00b", "password": "Van-kien-XXV-2025"}),
        ("/api/v1/users/", {"username": "ok.user", "password": LONG}),
        (
            "/api/v1/users/",
            {"username": "ok.user", "password": "Van-kien-XXV-2025", "language": "xx"},
        ),
        ("/api/v1/users/", {"username": LONG, "password": "Van-kien-XXV-2025"}),
        ("/api/v1/auth/token/", {"username": "a\x00", "password": "x"}),
        ("/api/v1/auth/token/", {"username": ["docs_head"], "password": "x"}),
        ("/api/v1/auth/token/", {"username": "docs_head", "password": LONG}),
        ("/api/v1/congresses/{congress}/transitions/cancel/", {"reason": "x", "version": HUGE}),
        ("/api/v1/congresses/{congress}/transitions/cancel/", {"reason": LONG}),
    ],
)
def test_bad_bodies_elsewhere_are_bad_requests(world, api, path, payload):
    replace = {"{user}": world.docs_member.pk, "{congress}": world.congress.pk}
    payload = {k: replace.get(v, v) if isinstance(v, str) else v for k, v in payload.items()}

    response = api(world.staff).post(
        path.format(body=world.docs.pk, congress=world.congress.pk), payload
    )

    assert_client_error(response, 400)


@pytest.mark.parametrize(
    "changes",
    [
        {"opens_on": "2025-02-30"},
        {"opens_on": "notadate"},
        {"opens_on": None},
        {"closes_on": 20250918},
        {"number": "abc"},
        {"number": HUGE},
        {"number": 0},
        {"term_start": -1},
        {"superior_review_working_days": -1},
        {"superior_review_working_days": HUGE},
        {"venue": LONG},
        {"venue": "a\x00b"},
        {"organization": HUGE},
    ],
)
def test_congress_patch_with_bad_values_is_bad_request(world, api, changes):
    response = api(world.sc_head).patch(f"/api/v1/congresses/{world.congress.pk}/", changes)

    assert response.status_code in (400, 200)
    assert response["Content-Type"].startswith("application/json")
    world.congress.refresh_from_db()
    assert world.congress.opens_on.isoformat() == "2025-09-18"
    assert world.congress.number == 25


@pytest.mark.parametrize(
    "payload",
    [{"text": LONG}, {"text": "a\x00b"}, {"text": ["x"]}, {"text": "ok", "section": LONG}, {}],
)
def test_bad_comment_is_bad_request(world, head, task, payload):
    response = head.post(f"/api/v1/tasks/{task.pk}/comments/", payload)

    assert_client_error(response, 400)
    assert task.comments.count() == 0


def test_wrong_http_method_is_json_405(world, head, task):
    responses = [
        head.put(f"/api/v1/tasks/{task.pk}/", {}),
        head.delete(f"/api/v1/tasks/{task.pk}/"),
        head.get(f"/api/v1/tasks/{task.pk}/transitions/approve/"),
        head.delete(f"/api/v1/congresses/{task.congress_id}/"),
    ]

    for response in responses:
        assert_client_error(response, 405)


# --- random input -------------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=10,
)
task_payloads = st.dictionaries(
    st.sampled_from(TASK_FIELDS) | st.text(max_size=10), json_values, max_size=8
)
transition_payloads = st.dictionaries(
    st.sampled_from(["note", "reason", "version"]) | st.text(max_size=8), json_values, max_size=4
)
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(payload=task_payloads | json_values)
def test_random_json_to_task_create_never_errors(world, api, payload):
    response = api(world.docs_head).post(
        "/api/v1/tasks/", json.dumps(payload), content_type="application/json"
    )

    assert response.status_code < 500
    assert response["Content-Type"].startswith("application/json")


@FUZZ
@given(
    name=st.sampled_from(["start", "submit", "approve", "return", "cancel", "reopen"])
    | st.from_regex(r"[a-z_]{1,40}", fullmatch=True),
    payload=transition_payloads | json_values,
)
def test_random_json_to_task_transition_never_errors(world, api, make_task, name, payload):
    task = make_task(status=Task.Status.IN_REVIEW)

    response = api(world.docs_head).post(
        f"/api/v1/tasks/{task.pk}/transitions/{name}/",
        json.dumps(payload),
        content_type="application/json",
    )

    assert response.status_code < 500
    assert response["Content-Type"].startswith("application/json")


@FUZZ
@given(payload=task_payloads)
def test_random_json_to_task_patch_never_errors(world, api, make_task, payload):
    task = make_task()

    response = api(world.docs_head).patch(
        f"/api/v1/tasks/{task.pk}/", json.dumps(payload), content_type="application/json"
    )

    assert response.status_code < 500
    assert response["Content-Type"].startswith("application/json")


@FUZZ
@given(raw=st.binary(max_size=200))
def test_random_bytes_to_task_create_never_error(world, api, raw):
    response = api(world.docs_head).post("/api/v1/tasks/", raw, content_type="application/json")

    assert response.status_code < 500


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(
            [
                "congress",
                "body",
                "assignee",
                "status",
                "due_before",
                "due_after",
                "overdue",
                "search",
                "ordering",
                "page",
                "page_size",
                "priority",
            ]
        ),
        st.text(max_size=25),
        max_size=5,
    )
)
def test_random_task_filters_never_error(world, api, params):
    response = api(world.docs_member).get("/api/v1/tasks/", params)

    assert response.status_code < 500
    assert response["Content-Type"].startswith("application/json")
