"""The scale data set, written with PostgreSQL's COPY (not through the services: seconds, not
hours): about 200 congresses, 100,000 open tasks, 2,000 users, 5,000 documents, and one large
congress (a provincial one: 600 members in 12 bodies, 20,000 tasks, 500 documents).

Realistic shape: a small congress has its standing committee, steering board, four
subcommittees (personnel confidential) and an editorial team, 20 people who sit in one or more
of them; people belong to one or two congresses. Task deadlines run from 20 days ago to
150 days ahead (so about one task in eight is overdue), a quarter of the tasks depend on an
earlier one, a tenth have a parent. Every task has its `task.created` event, dispatched.

Ids are chosen here, so rows can point at each other without reading anything back; the
sequences are moved past them at the end. Random choices use a fixed seed: every run seeds
the same data (relative to the time it runs).
"""

import hashlib
import json
import random
import secrets
from dataclasses import asdict, dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

PASSWORD = "bench-password-2025"  # a local benchmark database
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Quang", "Hữu", "Ngọc", "Thanh", "Xuân"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Hà", "Hải", "Hùng", "Lan", "Long", "Mai", "Nam", "Phương"]
TASK_TITLES = [
    "Tổng hợp báo cáo kết quả thực hiện Nghị quyết",
    "Xây dựng đề cương Báo cáo chính trị",
    "Lấy ý kiến các chi bộ vào dự thảo văn kiện",
    "Chuẩn bị hội trường và khánh tiết",
    "Rà soát nhân sự tham gia Ban Chấp hành",
    "Biên tập dự thảo Nghị quyết",
    "Tổng hợp ý kiến đóng góp của Mặt trận Tổ quốc",
    "Xây dựng kế hoạch tuyên truyền trước Đại hội",
    "Báo cáo chỉ tiêu kinh tế - xã hội 6 tháng",
    "In ấn tài liệu phục vụ Đại hội",
]
DOC_KINDS = [
    "outline",
    "political_report",
    "review_report",
    "resolution",
    "action_programme",
    "working_rules",
    "election_rules",
    "comment_summary",
    "other",
]
OPEN_STATUSES = (["todo"] * 45) + (["in_progress"] * 35) + (["in_review"] * 12) + (["blocked"] * 8)
DOC_STATUSES = (
    ["drafting"] * 40
    + ["subcommittee_review"] * 20
    + ["steering_review"] * 15
    + ["standing_committee_review"] * 10
    + ["consultation"] * 5
    + ["approved"] * 10
)
PRIORITIES = ["low"] * 2 + ["normal"] * 6 + ["high"] * 2 + ["urgent"]

# (kind, name, parent index, confidential, members) of the large congress's bodies: 600 people.
LARGE_BODIES = [
    ("standing_committee", "Ban Thường vụ Tỉnh ủy", None, False, 15),
    ("steering_board", "Ban Chỉ đạo Đại hội", None, False, 21),
    ("documents", "Tiểu ban Văn kiện", None, False, 40),
    ("personnel", "Tiểu ban Nhân sự", None, True, 15),
    ("organization", "Tiểu ban Tổ chức phục vụ Đại hội", None, False, 40),
    ("propaganda", "Tiểu ban Tuyên truyền", None, False, 30),
    ("socioeconomic", "Tiểu ban Kinh tế - xã hội", None, False, 30),
    ("team", "Tổ biên tập", 2, False, 60),
    ("team", "Tổ giúp việc Tiểu ban Tổ chức", 4, False, 120),
    ("team", "Tổ tuyên truyền cơ sở", 5, False, 120),
    ("team", "Tổ giúp việc Tiểu ban Nhân sự", 3, True, 20),
    ("team", "Tổ thư ký Đại hội", 1, False, 89),
]
SMALL_BODIES = [
    ("standing_committee", "Ban Thường vụ", None, False, 5),
    ("steering_board", "Ban Chỉ đạo Đại hội", None, False, 6),
    ("documents", "Tiểu ban Văn kiện", None, False, 6),
    ("personnel", "Tiểu ban Nhân sự", None, True, 4),
    ("organization", "Tiểu ban Tổ chức phục vụ", None, False, 5),
    ("propaganda", "Tiểu ban Tuyên truyền", None, False, 4),
    ("team", "Tổ biên tập", 2, False, 4),
]
SUBCOMMITTEES = {"documents", "personnel", "organization", "propaganda", "socioeconomic"}
EDITORIAL_TEAM = 7  # index of "Tổ biên tập" in LARGE_BODIES


@dataclass
class Sizes:
    congresses: int = 200
    tasks: int = 100_000
    users: int = 2_000
    documents: int = 5_000
    large_tasks: int = 20_000
    large_documents: int = 500
    bench_user_tasks: int = 300
    small_congress_people: int = 20

    @classmethod
    def scaled(cls, scale: float) -> "Sizes":
        if scale >= 1:
            return cls()
        return cls(
            congresses=max(5, round(200 * scale)),
            tasks=max(2_000, round(100_000 * scale)),
            users=max(700, round(2_000 * scale)),
            documents=max(300, round(5_000 * scale)),
            large_tasks=max(1_000, round(20_000 * scale)),
            large_documents=max(150, round(500 * scale)),
            bench_user_tasks=300,
        )


@dataclass
class Facts:
    """What the benchmarks need to know about the seeded data."""

    sizes: dict = field(default_factory=dict)
    large_congress: int = 0
    large_members: list[int] = field(default_factory=list)  # users of non-confidential bodies
    bench_user: int = 0  # the task-list user: a member of the large congress's editorial team
    bodies: dict[str, int] = field(default_factory=dict)  # large congress: name -> id
    leaders: dict[str, list[int]] = field(default_factory=dict)  # body id -> heads/deputies
    members: dict[str, list[int]] = field(default_factory=dict)  # body id -> plain members
    tokens: dict[str, str] = field(default_factory=dict)  # user id -> API token
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> "Facts":
        return cls(**json.loads(text))


class Ids:
    def __init__(self):
        self.next: dict[str, int] = {}

    def take(self, table: str) -> int:
        value = self.next.get(table, 0) + 1
        self.next[table] = value
        return value


def copy(table: str, columns: list[str], rows: list[tuple]) -> None:
    """COPY the rows into the table (psycopg 3's COPY FROM STDIN)."""
    quoted = ", ".join(f'"{c}"' for c in columns)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as stream,
    ):
        for row in rows:
            stream.write_row(row)


def _reset_sequences(tables: list[str]) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f'COALESCE((SELECT max(id) FROM "{table}"), 0) + 1, false)'
            )


def _name(rng: random.Random) -> tuple[str, str]:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)}", rng.choice(GIVEN)


def _due(rng: random.Random, now: datetime, low: int = -20, high: int = 150) -> datetime:
    day = (now.astimezone(LOCAL) + timedelta(days=rng.randint(low, high))).date()
    hour = rng.choice([8, 11, 14, 17, 17, 17])
    return datetime.combine(day, time(hour), tzinfo=LOCAL)


class Seeder:
    def __init__(self, sizes: Sizes, seed: int = 2025):
        self.sizes = sizes
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.ids = Ids()
        self.facts = Facts(sizes=asdict(sizes))
        self.rows: dict[str, list[tuple]] = {}
        self.subcommittees = 0

    def add(self, table: str, row: tuple) -> None:
        self.rows.setdefault(table, []).append(row)

    # --- people --------------------------------------------------------------------------

    def users(self) -> list[int]:
        password = make_password(PASSWORD)  # one hash for everyone: hashing 2,000 takes minutes
        ids = []
        for n in range(1, self.sizes.users + 1):
            last, first = _name(self.rng)
            language = "en" if n % 10 == 0 else "vi"
            self.add(
                "congress_user",
                (
                    n,
                    password,
                    f"u{n:05d}",
                    first,
                    last,
                    f"u{n:05d}@bench.example",
                    False,
                    True,
                    False,
                    self.now,
                    language,
                    "",
                ),
            )
            key = secrets.token_hex(32)  # a django-rest-knox token, stored as its SHA-512
            digest = hashlib.sha512(key.encode()).hexdigest()
            expiry = self.now + timedelta(days=30)
            self.add("knox_authtoken", (digest, key[:15], n, self.now, expiry))
            self.facts.tokens[str(n)] = key
            ids.append(n)
        return ids

    # --- organizations, congresses, bodies, memberships -----------------------------------

    def congress(self, org_name: str, level: str, parent: int | None, status: str) -> int:
        org = self.ids.take("congress_organization")
        self.add("congress_organization", (org, org_name, level, parent, None))
        pk = self.ids.take("congress_congress")
        opens = (self.now + timedelta(days=self.rng.randint(60, 240))).astimezone(LOCAL).date()
        self.add(
            "congress_congress",
            (
                pk,
                org,
                1 if level == "province" else 25,
                2025,
                2030,
                opens,
                opens + timedelta(2),
                "Hội trường",
                45,
                "[7, 3, 1]",
                status,
                "",
                1,
                self.now,
            ),
        )
        return pk

    def bodies(self, congress: int, spec, people: list[int], partition: bool):
        """Bodies and memberships; returns [(body id, kind, confidential, leaders, members)]."""
        bodies = []
        standing: list[int] = []
        self.subcommittees = 0
        cursor = 0
        for kind, name, parent, confidential, size in spec:
            pk = self.ids.take("congress_body")
            parent_id = bodies[parent][0] if parent is not None else None
            self.add("congress_body", (pk, congress, kind, name, parent_id, confidential))
            if partition:
                chosen = people[cursor : cursor + size]
                cursor += size
            else:
                chosen = self.rng.sample(people, size)
            roles = self._roles(kind, chosen, standing)
            for user, role in roles.items():
                self.add(
                    "congress_membership", (self.ids.take("congress_membership"), pk, user, role)
                )
            if kind == "standing_committee":
                standing = chosen
            leaders = [u for u, r in roles.items() if r in ("head", "deputy")]
            members = [u for u, r in roles.items() if r == "member"]
            bodies.append((pk, kind, confidential, leaders, members, name))
        return bodies

    def _roles(self, kind: str, chosen: list[int], standing: list[int]) -> dict[int, str]:
        """Heads, deputies, a secretary and members. A subcommittee is headed by a standing
        committee member and the steering board by its head, as in real congresses."""
        roles: dict[int, str] = {}
        rest = list(chosen)
        if kind == "steering_board" and standing:
            roles[standing[0]] = "head"
        elif kind in SUBCOMMITTEES and len(standing) > 1:
            self.subcommittees += 1
            roles[standing[1 + self.subcommittees % (len(standing) - 1)]] = "head"
        else:
            roles[rest.pop(0)] = "head"
        deputies = 2 if kind in ("standing_committee", "steering_board") else 1
        for _ in range(deputies):
            if rest:
                roles.setdefault(rest.pop(0), "deputy")
        if rest and kind in ("standing_committee", "steering_board", "documents", "organization"):
            roles.setdefault(rest.pop(0), "secretary")
        for user in rest:
            roles.setdefault(user, "member")
        return roles

    # --- work ------------------------------------------------------------------------------

    def tasks(self, congress: int, bodies, count: int, assign_first: tuple[int, int] | None):
        """`count` open tasks in the congress; the first `assign_first[1]` go to user
        `assign_first[0]` in the editorial team."""
        workers = [b for b in bodies if b[3] or b[4]]
        weights = [len(b[3]) + len(b[4]) for b in workers]
        recent: list[tuple[int, int]] = []  # (task id, body id) of the last tasks, for links
        for n in range(count):
            if assign_first and n < assign_first[1]:
                body = bodies[EDITORIAL_TEAM]
                assignee = assign_first[0]
            else:
                body = self.rng.choices(workers, weights)[0]
                assignee = self.rng.choice(body[4] or body[3])
            creator = body[3][0] if body[3] else assignee
            pk = self.ids.take("workflows_task")
            status = self.rng.choice(OPEN_STATUSES)
            due = _due(self.rng, self.now)
            same_body = [t for t, b in recent[-40:] if b == body[0]]
            parent = self.rng.choice(same_body) if same_body and self.rng.random() < 0.1 else None
            self.add(
                "workflows_task",
                (
                    pk,
                    congress,
                    body[0],
                    f"{self.rng.choice(TASK_TITLES)} ({pk})",
                    "Theo Kế hoạch chuẩn bị Đại hội.",
                    assignee,
                    creator,
                    self.rng.choice(PRIORITIES),
                    (due - timedelta(days=14)).date(),
                    due,
                    status,
                    self.rng.random() < 0.8,
                    parent,
                    None,
                    self.rng.randint(1, 3),
                    self.now,
                    self.now,
                    self.rng.randint(1, 10),
                ),
            )
            if recent and self.rng.random() < 0.25:
                for dep in {t for t, _b in self.rng.sample(recent[-50:], min(2, len(recent)))}:
                    self.add(
                        "workflows_task_depends_on",
                        (self.ids.take("workflows_task_depends_on"), pk, dep),
                    )
            self.add(
                "notifications_event",
                (
                    self.ids.take("notifications_event"),
                    congress,
                    "task.created",
                    "task",
                    pk,
                    body[0],
                    body[2],
                    creator,
                    json.dumps([assignee, creator]),
                    json.dumps({"kind": "task", "id": pk, "status": "todo", "version": 1}),
                    self.now,
                    self.now,
                ),
            )
            recent.append((pk, body[0]))

    def documents(self, congress: int, bodies, count: int) -> None:
        owners = [b for b in bodies if b[1] in ("documents", "team") and not b[2]]
        personnel = next(b for b in bodies if b[1] == "personnel")
        for n in range(count):
            kind = DOC_KINDS[n % len(DOC_KINDS)]
            body = self.rng.choice(owners)
            if n % 25 == 24:
                kind, body = "personnel_plan", personnel
            status = self.rng.choice(DOC_STATUSES)
            if kind == "personnel_plan" and status == "consultation":
                status = "drafting"
            rapporteur = self.rng.choice(body[4] or body[3])
            pk = self.ids.take("workflows_document")
            round_ = self.rng.randint(1, 3)
            closes = self.now + timedelta(days=self.rng.randint(3, 20))
            self.add(
                "workflows_document",
                (
                    pk,
                    congress,
                    body[0],
                    kind,
                    f"Dự thảo {kind} số {pk}",
                    rapporteur,
                    body[3][0] if body[3] else rapporteur,
                    status,
                    round_,
                    _due(self.rng, self.now, -10, 120),
                    closes if status == "consultation" else None,
                    0,
                    "",
                    self.now if status == "approved" else None,
                    1,
                    self.now,
                    self.now,
                ),
            )
            if status != "drafting" or self.rng.random() < 0.5:
                text = f"Dự thảo lần {round_}: {kind} {pk}"
                self.add(
                    "workflows_documentversion",
                    (
                        self.ids.take("workflows_documentversion"),
                        pk,
                        round_,
                        round_,
                        f"documents/bench-{pk}.md",
                        f"du-thao-{pk}.md",
                        "md",
                        len(text.encode()),
                        hashlib.sha256(text.encode()).hexdigest(),
                        text,
                        rapporteur,
                        "",
                        self.now,
                    ),
                )

    # --- the whole data set ----------------------------------------------------------------

    def build(self) -> Facts:
        sizes = self.sizes
        users = self.users()
        province = self.congress(
            "Đảng bộ tỉnh Hải Phòng (benchmark)", "province", None, "preparing"
        )
        large_people = users[:600]
        large = self.bodies(province, LARGE_BODIES, large_people, partition=True)
        bench_user = large[EDITORIAL_TEAM][4][0]
        self.facts.large_congress = province
        self.facts.bench_user = bench_user
        self.facts.bodies = {b[5]: b[0] for b in large}
        self.facts.leaders = {str(b[0]): b[3] for b in large}
        self.facts.members = {str(b[0]): b[4] for b in large}
        self.facts.large_members = sorted({u for b in large if not b[2] for u in b[3] + b[4]})
        self.tasks(province, large, sizes.large_tasks, (bench_user, sizes.bench_user_tasks))
        self.documents(province, large, sizes.large_documents)

        small = sizes.congresses - 1
        tasks_left, docs_left = (
            sizes.tasks - sizes.large_tasks,
            sizes.documents - sizes.large_documents,
        )
        statuses = ["preparing"] * 17 + ["planning"] * 2 + ["in_session"]
        for n in range(small):
            congress = self.congress(f"Đảng bộ phường {n + 1}", "ward", 1, statuses[n % 20])
            people = self.rng.sample(users, sizes.small_congress_people)
            if n == 0:
                people[0] = bench_user  # the bench user also sits in a ward congress
            bodies = self.bodies(congress, SMALL_BODIES, people, partition=False)
            share = tasks_left // (small - n)
            doc_share = docs_left // (small - n)
            self.tasks(congress, bodies, share, None)
            self.documents(congress, bodies, doc_share)
            tasks_left -= share
            docs_left -= doc_share
        self.write()
        self.facts.counts = {table: len(rows) for table, rows in self.rows.items()}
        return self.facts

    def write(self) -> None:
        columns = {
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
            "knox_authtoken": ["digest", "token_key", "user_id", "created", "expiry"],
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
            "workflows_documentversion": [
                "id",
                "document_id",
                "number",
                "round",
                "file",
                "original_name",
                "file_type",
                "size",
                "sha256",
                "text",
                "author_id",
                "note",
                "created_at",
            ],
            "notifications_event": [
                "id",
                "congress_id",
                "type",
                "object_kind",
                "object_id",
                "body_id",
                "confidential",
                "actor_id",
                "audience",
                "payload",
                "created_at",
                "dispatched_at",
            ],
        }
        for table, cols in columns.items():
            copy(table, cols, self.rows.get(table, []))
        _reset_sequences([t for t in columns if t != "knox_authtoken"])
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def seed(sizes: Sizes) -> Facts:
    import time as _time

    started = _time.perf_counter()
    facts = Seeder(sizes).build()
    facts.seconds = _time.perf_counter() - started
    return facts
