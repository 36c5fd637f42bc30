"""8. The superior level following its subordinates (issue 22, flow 3): a city with 300
congresses under it (20 districts and 280 wards), 200 tasks each (60,000), in-process
(Django's test client, queries counted with CaptureQueriesContext): the oversight page
(`/oversight/`) and its API (`/api/v1/organizations/{id}/oversight/`) as the city's office
and as a member of its standing committee (neither sees the personnel subcommittees' work),
cold (the forecasts' cache empty: a schedule per congress) and warm (the forecasts cached
under the schedule's inputs key); and the same reader's queries for one district (its 14
wards) against the whole city: the number of congresses must not change them.

The city is seeded here, with COPY, beside the main data set (its own organizations, people,
bodies and work), once: `--reuse` finds it again."""

import random
import statistics
import time
from datetime import datetime, timedelta
from datetime import time as clock

from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from benchmarks.report import Section
from benchmarks.seed import LOCAL, PASSWORD, TASK_TITLES, Facts, copy

CITY = "Thành phố (benchmark theo dõi cấp dưới)"
DISTRICTS, WARDS_PER_DISTRICT = 20, 14  # 20 + 280 = 300 congresses under the city
TASKS_PER_CONGRESS = 200
DOCUMENTS_PER_CONGRESS = 8
ROUNDS = 5
GOAL_MS = 500
OFFICE = "the city's office"
# (kind, name, confidential, members) of every subordinate congress's bodies.
BODIES = [
    ("standing_committee", "Ban Thường vụ", False, 3),
    ("steering_board", "Ban Chỉ đạo Đại hội", False, 3),
    ("documents", "Tiểu ban Văn kiện", False, 4),
    ("personnel", "Tiểu ban Nhân sự", True, 3),
    ("organization", "Tiểu ban Tổ chức phục vụ", False, 3),
]
TASK_BODIES = [2] * 40 + [4] * 25 + [3] * 15 + [1] * 10 + [0] * 10  # indexes into BODIES
STATUSES = ["done"] * 30 + ["todo"] * 45 + ["in_progress"] * 15 + ["in_review"] * 5
STATUSES += ["cancelled"] * 5
DOC_KINDS = ["outline", "political_report", "review_report", "resolution", "action_programme"]
DOC_STATES = ["drafting", "subcommittee_review", "standing_committee_review", "approved"]


class Ids:
    """The next free id of each table, read from the database (the main data set is there)."""

    def __init__(self, tables: list[str]):
        self.next = {}
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')
                self.next[table] = cursor.fetchone()[0]

    def take(self, table: str) -> int:
        self.next[table] += 1
        return self.next[table]


TABLES = {
    "congress_user": [
        "id",
        "password",
        "username",
        "first_name",
        "last_name",
        "email",
        "is_staff",
        "is_active",
        "is_superuser",
        "date_joined",
        "language",
        "phone",
    ],
    "congress_organization": ["id", "name", "level", "parent_id", "successor_id"],
    "congress_congress": [
        "id",
        "organization_id",
        "number",
        "term_start",
        "term_end",
        "opens_on",
        "closes_on",
        "venue",
        "superior_review_working_days",
        "reminder_days",
        "status",
        "status_reason",
        "version",
        "created_at",
    ],
    "congress_body": ["id", "congress_id", "kind", "name", "parent_id", "confidential"],
    "congress_membership": ["id", "body_id", "user_id", "role"],
    "workflows_task": [
        "id",
        "congress_id",
        "body_id",
        "title",
        "description",
        "assignee_id",
        "created_by_id",
        "priority",
        "starts_on",
        "due_at",
        "status",
        "requires_review",
        "parent_id",
        "completed_at",
        "plan_item_id",
        "version",
        "created_at",
        "updated_at",
        "duration_days",
    ],
    "workflows_task_depends_on": ["id", "from_task_id", "to_task_id"],
    "workflows_document": [
        "id",
        "congress_id",
        "body_id",
        "kind",
        "title",
        "rapporteur_id",
        "created_by_id",
        "status",
        "round",
        "due_at",
        "consultation_closes_at",
        "consultations_held",
        "status_reason",
        "approved_at",
        "version",
        "created_at",
        "updated_at",
    ],
    "workflows_auditentry": [
        "id",
        "content_type_id",
        "object_id",
        "congress_id",
        "body_id",
        "transition",
        "from_state",
        "to_state",
        "actor_id",
        "at",
        "note",
    ],
}


class CitySeeder:
    """The city, its districts and wards, one congress each, their bodies, people and work."""

    def __init__(self, scale: float):
        self.rng = random.Random(22)
        self.now = timezone.now()
        self.today = self.now.astimezone(LOCAL).date()
        self.ids = Ids(list(TABLES))
        self.rows: dict[str, list[tuple]] = {table: [] for table in TABLES}
        self.districts = max(2, round(DISTRICTS * scale))
        self.password = make_password(PASSWORD)
        self.plan_item = 0
        self.document_type = 0

    def add(self, table: str, *row) -> None:
        self.rows[table].append(row)

    def user(self, name: str) -> int:
        pk = self.ids.take("congress_user")
        self.add(
            "congress_user",
            pk,
            self.password,
            f"ov{pk:06d}",
            name,
            "Nguyễn Văn",
            f"ov{pk:06d}@bench.example",
            False,
            True,
            False,
            self.now,
            "vi",
            "",
        )
        return pk

    def organization(self, name: str, level: str, parent: int | None) -> int:
        pk = self.ids.take("congress_organization")
        self.add("congress_organization", pk, name, level, parent, None)
        return pk

    def congress(self, organization: int, number: int) -> int:
        pk = self.ids.take("congress_congress")
        opens = self.today + timedelta(days=self.rng.randint(60, 240))
        status = "preparing" if self.rng.random() < 0.9 else "planning"
        self.add(
            "congress_congress",
            pk,
            organization,
            number,
            2025,
            2030,
            opens,
            opens + timedelta(days=2),
            "Hội trường",
            45,
            "[7, 3, 1]",
            status,
            "",
            1,
            self.now,
        )
        return pk

    def bodies(self, congress: int) -> list[tuple[int, list[int]]]:
        found = []
        for kind, name, confidential, size in BODIES:
            pk = self.ids.take("congress_body")
            self.add("congress_body", pk, congress, kind, name, None, confidential)
            people = [self.user(f"{name} {n}") for n in range(size)]
            for n, person in enumerate(people):
                role = "head" if n == 0 else "member"
                self.add(
                    "congress_membership", self.ids.take("congress_membership"), pk, person, role
                )
            found.append((pk, people))
        return found

    def tasks(self, congress: int, bodies) -> None:
        recent: list[int] = []
        for _n in range(TASKS_PER_CONGRESS):
            body, people = bodies[self.rng.choice(TASK_BODIES)]
            pk = self.ids.take("workflows_task")
            status = self.rng.choice(STATUSES)
            day = self.today + timedelta(days=self.rng.randint(-30, 120))
            due = datetime.combine(day, clock(17), LOCAL)
            tied = self.plan_item if self.rng.random() < 0.1 else None
            self.add(
                "workflows_task",
                pk,
                congress,
                body,
                f"{self.rng.choice(TASK_TITLES)} ({pk})",
                "Theo Kế hoạch chuẩn bị Đại hội.",
                self.rng.choice(people),
                people[0],
                "normal",
                day - timedelta(days=14),
                due,
                status,
                True,
                None,
                due - timedelta(days=2) if status == "done" else None,
                tied,
                self.rng.randint(1, 4),
                self.now,
                self.now,
                self.rng.randint(1, 8),
            )
            if recent and self.rng.random() < 0.3:
                dependency = self.rng.choice(recent[-20:])
                self.add(
                    "workflows_task_depends_on",
                    self.ids.take("workflows_task_depends_on"),
                    pk,
                    dependency,
                )
            recent.append(pk)

    def documents(self, congress: int, bodies) -> None:
        docs, people = bodies[2]
        for n in range(DOCUMENTS_PER_CONGRESS):
            body, rapporteur = docs, people[1]
            kind = DOC_KINDS[n % len(DOC_KINDS)]
            status = self.rng.choice(DOC_STATES)
            if n == 0:
                kind, status = "political_report", "superior_review"
            if n == 1:
                body, rapporteur = bodies[3][0], bodies[3][1][1]
                kind, status = "personnel_plan", "superior_review"
            pk = self.ids.take("workflows_document")
            self.add(
                "workflows_document",
                pk,
                congress,
                body,
                kind,
                f"Dự thảo {kind} số {pk}",
                rapporteur,
                people[0],
                status,
                1,
                self.now + timedelta(days=30),
                None,
                0,
                "",
                self.now if status == "approved" else None,
                1,
                self.now,
                self.now,
            )
            if status == "superior_review":
                self.add(
                    "workflows_auditentry",
                    self.ids.take("workflows_auditentry"),
                    self.document_type,
                    pk,
                    congress,
                    body,
                    "approve",
                    "standing_committee_review",
                    "superior_review",
                    people[0],
                    self.now - timedelta(days=self.rng.randint(1, 20)),
                    "",
                )

    def subordinate(self, name: str, level: str, parent: int) -> int:
        organization = self.organization(name, level, parent)
        congress = self.congress(organization, 1 if level == "ward" else 25)
        bodies = self.bodies(congress)
        self.tasks(congress, bodies)
        self.documents(congress, bodies)
        return organization

    def build(self) -> dict:
        from django.contrib.contenttypes.models import ContentType

        from congress.models import PlanItem, PlanTemplate
        from workflows.models import Document

        template = PlanTemplate.objects.create(name="Kế hoạch (benchmark theo dõi)")
        self.plan_item = PlanItem.objects.create(
            template=template,
            key="submit",
            title="Trình cấp trên cho ý kiến",
            body_kind="documents",
            anchor="superior_review",
        ).pk
        self.document_type = ContentType.objects.get_for_model(Document).pk
        city = self.organization(CITY, "province", None)
        city_congress = self.congress(city, 17)
        city_bodies = self.bodies(city_congress)
        district_ids = []
        for d in range(self.districts):
            district = self.subordinate(f"Đảng bộ quận {d + 1} (benchmark)", "district", city)
            district_ids.append(district)
            for w in range(WARDS_PER_DISTRICT):
                self.subordinate(f"Đảng bộ phường {d + 1}.{w + 1} (benchmark)", "ward", district)
        for table, columns in TABLES.items():
            copy(table, columns, self.rows[table])
        with connection.cursor() as cursor:
            for table in TABLES:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f'(SELECT max(id) FROM "{table}") + 1, false)'
                )
            cursor.execute("ANALYZE")
        office = self.user_row_create("Văn phòng Thành ủy")
        from congress.models import OrganizationOffice

        OrganizationOffice.objects.create(organization_id=city, user_id=office)
        return {
            "city": city,
            "district": district_ids[0],
            "office": office,
            "member": city_bodies[0][1][1],  # a member of the city's standing committee
            "congresses": len(self.rows["congress_congress"]) - 1,
            "tasks": len(self.rows["workflows_task"]),
        }

    def user_row_create(self, name: str) -> int:
        from congress.models import User

        return User.objects.create_user(username="ov-office", password=PASSWORD, first_name=name).pk


def _city(scale: float) -> dict:
    """The seeded city's facts, seeding it first when the database has none."""
    from congress.models import Congress, Membership, Organization, User
    from workflows.models import Task

    city = Organization.objects.filter(name=CITY).first()
    if city is None:
        started = time.perf_counter()
        found = CitySeeder(scale).build()
        found["seconds"] = time.perf_counter() - started
        return found
    under = Congress.objects.filter(organization__parent=city) | Congress.objects.filter(
        organization__parent__parent=city
    )
    member = Membership.objects.filter(
        body__congress__organization=city, body__kind="standing_committee", role="member"
    ).first()
    return {
        "city": city.pk,
        "district": Organization.objects.filter(parent=city).order_by("id").first().pk,
        "office": User.objects.get(username="ov-office").pk,
        "member": member.user_id,
        "congresses": under.count(),
        "tasks": Task.objects.filter(congress__in=under).count(),
        "seconds": 0.0,
    }


def _signed_in(user_id: int) -> Client:
    from congress.models import User

    client = Client()
    client.force_login(User.objects.get(pk=user_id))
    return client


def _view(client: Client, path: str) -> tuple[float, int, int]:
    """Milliseconds, queries and bytes of one view."""
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(path)
        ms = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (path, response.status_code, response.content[:300])
    return ms, len(queries), len(response.content)


def _measure(client: Client, path: str) -> dict:
    """A cold view (no forecast cached), then the median of ROUNDS warm ones."""
    cache.clear()
    cold_ms, cold_queries, _size = _view(client, path)
    warm = [_view(client, path) for _ in range(ROUNDS)]
    return {
        "cold_ms": cold_ms,
        "cold_queries": cold_queries,
        "ms": statistics.median(w[0] for w in warm),
        "queries": warm[-1][1],
        "bytes": warm[-1][2],
    }


def run(facts: Facts) -> Section:
    scale = min(1.0, facts.sizes.get("congresses", 200) / 200)
    city = _city(scale)
    section = Section(f"8. Oversight of {city['congresses']:,} congresses from above")
    api = reverse("organization-oversight", args=[city["city"]]) + "?page_size=50"
    page = reverse("web-oversight") + f"?organization={city['city']}"
    district_api = reverse("organization-oversight", args=[city["district"]]) + "?page_size=50"
    district_page = reverse("web-oversight") + f"?organization={city['district']}"
    readers = {OFFICE: city["office"], "a standing committee member": city["member"]}
    rows, measured = [], {}
    for reader, user in readers.items():
        client = _signed_in(user)
        client.get(page)  # the session's first request saves it
        for what, path in (("page", page), ("API", api)):
            found = measured[(reader, what)] = _measure(client, path)
            rows.append(
                [
                    f"{what}, {reader}",
                    f"`{path}`",
                    f"{found['cold_ms']:.0f}",
                    found["cold_queries"],
                    f"{found['ms']:.0f}",
                    found["queries"],
                    found["bytes"],
                ]
            )
    section.table(
        [
            "what",
            "path",
            "cold ms",
            "cold queries",
            "warm median ms",
            "warm queries",
            "bytes",
        ],
        rows,
    )
    client = _signed_in(city["office"])
    few = {
        what: _measure(client, path)
        for what, path in (("page", district_page), ("API", district_api))
    }
    section.table(
        [
            "warm queries, the city's office",
            "one district (14 wards)",
            f"the city ({city['congresses']})",
        ],
        [
            [what, few[what]["queries"], measured[(OFFICE, what)]["queries"]]
            for what in ("page", "API")
        ],
    )
    slowest = max(found["ms"] for found in measured.values())
    section.goal(
        f"page and API under {GOAL_MS} ms (warm)",
        slowest < GOAL_MS,
        f"{slowest:.0f} ms at most",
    )
    same = all(
        few[what]["queries"] == measured[(OFFICE, what)]["queries"] for what in ("page", "API")
    )
    section.goal(
        "queries independent of the number of congresses",
        same,
        ", ".join(
            f"{what}: {few[what]['queries']} for 14, {measured[(OFFICE, what)]['queries']} for "
            f"{city['congresses']}"
            for what in ("page", "API")
        ),
    )
    coldest = max(found["cold_ms"] for found in measured.values())
    section.notes += [
        f"{city['congresses']:,} congresses under the city ({city['tasks']:,} tasks, "
        f"{TASKS_PER_CONGRESS} each, a tenth tied to the superior-review deadline through a "
        f"plan item, {DOCUMENTS_PER_CONGRESS} documents each, the political report and the "
        "personnel plan waiting for the superior)"
        + (f", seeded with COPY in {city['seconds']:.1f} s." if city["seconds"] else "."),
        "Cold: the cache emptied before the view, so every congress's schedule is computed "
        f"(at most {coldest:.0f} ms); warm: the median of {ROUNDS} views after it, the "
        "forecasts read from the cache in one round trip under the keys of the schedule's "
        "inputs (3 aggregate queries for all the congresses). Queries include the session's.",
        "In-process (Django's test client) on the seeded PostgreSQL database, the Redis cache.",
    ]
    return section
