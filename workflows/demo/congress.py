"""Demo data: the preparation of the 25th congress of the Lê Chân district party committee
(Hải Phòng), as it would look a few months before the opening.

Everything is created through the services (users, congress, bodies, memberships, tasks,
transitions, comments) by users allowed to do it, so the audit log and the event outbox hold
what real use would have left there. The dated plan follows Directive 35-CT/TW: documents
drafted round after round and sent out for comment, the personnel plan (confidential), the
venue, logistics and propaganda, and the superior standing committee's review at least
45 working days before the congress opens.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from congress.models import Body, Congress, Membership, Organization
from congress.offices import office_grant
from congress.services import (
    body_insert,
    congress_create,
    membership_put,
    organization_create,
)
from congress.workdays import WorkingCalendar, superior_review_due
from workflows.demo.documents import load_demo_documents
from workflows.demo.people import Person, accounts_create
from workflows.demo.plan_data import PLAN, PlanItem
from workflows.demo.plans import load_demo_plans
from workflows.demo.superior import load_demo_superior
from workflows.models import Task
from workflows.services.congresses import congress_transition
from workflows.services.tasks import task_comment_add, task_create, task_transition

DEMO_PASSWORD = "Daihoi@2025"
ADMIN_USERNAME = "admin"
EMAIL_DOMAIN = "lechan.example"  # reserved TLD: demo mail can never reach a real mailbox
DAYS_TO_OPENING = 100
DUE_HOUR = time(17, 0)


class DemoDataExists(Exception):
    """Some demo usernames are taken: loading again would clash with what is there."""


PEOPLE = (
    Person("huong.tt", "Trần Thu", "Hương", "Bí thư Quận ủy"),
    Person("nam.nv", "Nguyễn Văn", "Nam", "Phó Bí thư Thường trực Quận ủy"),
    Person("tuan.pa", "Phạm Anh", "Tuấn", "Phó Bí thư Quận ủy, Chủ tịch UBND quận"),
    Person("hai.lm", "Lê Minh", "Hải", "Trưởng Ban Tổ chức Quận ủy"),
    Person("lan.dt", "Đỗ Thị", "Lan", "Trưởng Ban Tuyên giáo Quận ủy"),
    Person("quang.dv", "Đặng Văn", "Quang", "Trưởng Công an quận"),
    Person("binh.cx", "Cao Xuân", "Bình", "Chủ tịch Ủy ban MTTQ Việt Nam quận"),
    Person("thao.vp", "Vũ Phương", "Thảo", "Chánh Văn phòng Quận ủy"),
    Person("duc.nm", "Nguyễn Minh", "Đức", "Phó Trưởng Ban Tuyên giáo Quận ủy"),
    Person("khanh.bq", "Bùi Quốc", "Khánh", "Phó Trưởng Ban Tổ chức Quận ủy"),
    Person("son.tv", "Trịnh Văn", "Sơn", "Phó Chánh Văn phòng Quận ủy"),
    Person("anh.ln", "Lý Ngọc", "Anh", "Trưởng phòng Tài chính - Kế hoạch quận"),
    Person("mai.ht", "Hoàng Thị", "Mai", "Chuyên viên Ban Tuyên giáo Quận ủy"),
    Person("ha.nt", "Ngô Thu", "Hà", "Chuyên viên Ban Tổ chức Quận ủy"),
    Person("linh.pt", "Phan Thùy", "Linh", "Giám đốc Trung tâm Văn hóa - Thông tin quận"),
    # The district's office (not staff, no body of its own): sets congresses up for Lê Chân
    # and the organizations under it, such as the ward below that has no congress yet.
    Person("vanphong", "Đinh Thị", "Nga", "Chuyên viên Văn phòng Quận ủy"),
    # The ward's party secretary: no congress yet; the office names her head of its steering
    # board when it sets the ward's congress up (she then applies and re-dates its plan).
    Person("trang.pt", "Phạm Thu", "Trang", "Bí thư Đảng ủy phường Dư Hàng Kênh"),
)
OFFICE_USERNAME = "vanphong"

# key, kind, name, parent key
BODIES = (
    ("standing", Body.Kind.STANDING_COMMITTEE, "Ban Thường vụ Quận ủy", None),
    ("steering", Body.Kind.STEERING_BOARD, "Ban Chỉ đạo Đại hội", None),
    ("documents", Body.Kind.DOCUMENTS, "Tiểu ban Văn kiện", None),
    ("personnel", Body.Kind.PERSONNEL, "Tiểu ban Nhân sự", None),
    ("organization", Body.Kind.ORGANIZATION, "Tiểu ban Tổ chức phục vụ Đại hội", None),
    ("propaganda", Body.Kind.PROPAGANDA, "Tiểu ban Tuyên truyền", None),
    ("editorial", Body.Kind.TEAM, "Tổ biên tập Văn kiện", "documents"),
)

HEAD, DEPUTY, MEMBER, SECRETARY = (
    Membership.Role.HEAD,
    Membership.Role.DEPUTY,
    Membership.Role.MEMBER,
    Membership.Role.SECRETARY,
)

# body key -> (username, role); mai.ht is a plain member of the documents subcommittee who
# is not in personnel, so she shows what confidentiality hides.
MEMBERSHIPS = {
    "standing": (
        ("huong.tt", HEAD),
        ("nam.nv", DEPUTY),
        ("tuan.pa", DEPUTY),
        ("hai.lm", MEMBER),
        ("lan.dt", MEMBER),
        ("quang.dv", MEMBER),
    ),
    "steering": (
        ("huong.tt", HEAD),
        ("nam.nv", DEPUTY),
        ("tuan.pa", DEPUTY),
        ("hai.lm", MEMBER),
        ("lan.dt", MEMBER),
        ("binh.cx", MEMBER),
        ("thao.vp", SECRETARY),
    ),
    "documents": (
        ("huong.tt", HEAD),
        ("lan.dt", DEPUTY),
        ("thao.vp", SECRETARY),
        ("duc.nm", MEMBER),
        ("anh.ln", MEMBER),
        ("mai.ht", MEMBER),
    ),
    "personnel": (
        ("nam.nv", HEAD),
        ("hai.lm", DEPUTY),
        ("khanh.bq", SECRETARY),
        ("ha.nt", MEMBER),
    ),
    "organization": (
        ("tuan.pa", HEAD),
        ("thao.vp", DEPUTY),
        ("son.tv", MEMBER),
        ("quang.dv", MEMBER),
        ("linh.pt", MEMBER),
    ),
    "propaganda": (
        ("lan.dt", HEAD),
        ("binh.cx", DEPUTY),
        ("duc.nm", MEMBER),
        ("linh.pt", MEMBER),
    ),
    "editorial": (
        ("duc.nm", HEAD),
        ("mai.ht", MEMBER),
        ("anh.ln", MEMBER),
    ),
}


# task key, username, text, section
COMMENTS = (
    (
        "draft2_political",
        "huong.tt",
        "Dự thảo lần 2 cơ bản đạt yêu cầu; đề nghị Tổ biên tập làm rõ hơn các chỉ tiêu nhiệm "
        "kỳ 2025-2030 và giải pháp đột phá.",
        "Phần thứ hai",
    ),
    (
        "superior_drafts",
        "huong.tt",
        "Đề nghị đồng chí Anh khẩn trương hoàn thành, gửi Ban Tuyên giáo Thành ủy đúng hạn.",
        "",
    ),
    (
        "superior_drafts",
        "anh.ln",
        "Còn 3 đảng bộ cơ sở chưa gửi ý kiến; Tiểu ban đã đôn đốc, dự kiến hoàn thành trong "
        "tuần này.",
        "",
    ),
    (
        "venue_prep",
        "tuan.pa",
        "Phối hợp Trung tâm Hội nghị kiểm tra lại hệ thống âm thanh trước ngày tổng duyệt.",
        "",
    ),
    (
        "personnel_plan",
        "nam.nv",
        "Lưu ý bảo đảm tỷ lệ cán bộ nữ, cán bộ trẻ theo hướng dẫn của Ban Tổ chức Trung ương.",
        "",
    ),
)

RESUBMIT_NOTE = "Đã tiếp thu, chỉnh sửa theo ý kiến chỉ đạo."
APPROVE_NOTE = "Đồng ý. Hoàn thành."
DEFAULT_SUBMIT_NOTE = "Đã hoàn thành, gửi kèm báo cáo kết quả."
UNBLOCK_NOTE = "Vướng mắc đã được tháo gỡ, tiếp tục thực hiện."

# state -> the transitions that lead there from todo ("finish" is submit and approve, or
# complete when the task needs no review)
WALKS = {
    "todo": (),
    "in_progress": ("start",),
    "in_review": ("start", "submit"),
    "blocked": ("start", "block"),
    "returned": ("start", "submit", "return"),
    "done": ("start", "finish"),
    "done_after_return": ("start", "submit", "return", "finish"),
    "done_after_block": ("start", "block", "unblock", "finish"),
    "cancelled": ("cancel",),
}
REVIEWER_STEPS = ("approve", "return", "cancel")


@transaction.atomic
def load_demo(*, now: datetime | None = None) -> dict:
    """Create the Lê Chân XXV demo congress, its people, bodies and dated plan.

    Dates are relative to `now` (default: the current time), so tests can pin them. Returns
    the congress, the organizations, and the users, bodies and tasks by key.
    """
    now = now or timezone.now()
    today = timezone.localtime(now, _zone()).date()
    calendar = WorkingCalendar()
    admin = _admin()
    users = {ADMIN_USERNAME: admin, **_people(admin)}
    city, district = _organizations(admin)
    ward = organization_create(
        actor=admin,
        name="Đảng bộ phường Dư Hàng Kênh",
        level=Organization.Level.WARD,
        parent=district,
    )
    office_grant(user=users[OFFICE_USERNAME], organization=district, granted_by=admin)
    opens_on = _opening_day(today, calendar)
    congress = congress_create(
        actor=admin,
        organization=district,
        number=25,
        term_start=2025,
        term_end=2030,
        opens_on=opens_on,
        closes_on=opens_on + timedelta(days=2),
        venue="Trung tâm Hội nghị quận Lê Chân",
    )
    bodies = _bodies(admin, congress, users)
    congress = congress_transition(
        actor=users["huong.tt"], congress_id=congress.pk, name="start_preparation"
    )
    anchors = {
        "today": today,
        "review": superior_review_due(congress, calendar),
        "opening": opens_on,
    }
    tasks = _plan(congress, bodies, users, anchors, calendar)
    for key, username, text, section in COMMENTS:
        task_comment_add(actor=users[username], task_id=tasks[key].pk, text=text, section=section)
    documents = load_demo_documents(congress=congress, users_by_username=users, now=now)
    load_demo_plans(congress=congress, users_by_username=users, now=now)
    superior = load_demo_superior(
        admin=admin, city=city, lechan=congress, password=DEMO_PASSWORD, now=now
    )
    return {
        "congress": congress,
        "organization": district,
        "parent_organization": city,
        "ward_organization": ward,
        "users": users,
        "bodies": bodies,
        "tasks": tasks,
        "documents": documents,
        "password": DEMO_PASSWORD,
        "positions": {p.username: p.position for p in PEOPLE},
        "superior": superior,
    }


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _admin():
    """The staff superuser who sets everything up; an existing superuser `admin` (from
    `createsuperuser`) is used as it is, its password untouched."""
    User = get_user_model()
    taken = set(
        User.objects.filter(username__in=[p.username for p in PEOPLE]).values_list(
            "username", flat=True
        )
    )
    admin = User.objects.filter(username=ADMIN_USERNAME).first()
    if admin is not None and not admin.is_superuser:
        taken.add(ADMIN_USERNAME)
    if taken:
        raise DemoDataExists(", ".join(sorted(taken)))
    if admin is not None:
        return admin
    return User.objects.create_superuser(
        username=ADMIN_USERNAME,
        email=f"{ADMIN_USERNAME}@{EMAIL_DOMAIN}",
        password=DEMO_PASSWORD,
        first_name="Quản trị",
        last_name="hệ thống",
    )


def _people(admin) -> dict:
    return accounts_create(admin, PEOPLE, password=DEMO_PASSWORD, domain=EMAIL_DOMAIN)


def _organizations(admin) -> tuple[Organization, Organization]:
    city = organization_create(
        actor=admin, name="Đảng bộ thành phố Hải Phòng", level=Organization.Level.PROVINCE
    )
    district = organization_create(
        actor=admin,
        name="Đảng bộ quận Lê Chân",
        level=Organization.Level.DISTRICT,
        parent=city,
    )
    return city, district


def _opening_day(today: date, calendar: WorkingCalendar) -> date:
    """About DAYS_TO_OPENING days ahead, on a working Monday to Wednesday, so that the three
    days of the congress fall within one working week."""
    day = today + timedelta(days=DAYS_TO_OPENING)
    while day.weekday() > 2 or not calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


def _bodies(admin, congress: Congress, users: dict) -> dict:
    bodies = {}
    for key, kind, name, parent in BODIES:
        bodies[key] = body_insert(
            actor=admin,
            congress=congress,
            kind=kind,
            name=name,
            parent=bodies[parent] if parent else None,
        )
        for username, role in MEMBERSHIPS[key]:
            membership_put(actor=admin, body=bodies[key], user=users[username], role=role)
    return bodies


def _due(anchors: dict, due: tuple[str, int], calendar: WorkingCalendar) -> datetime:
    """17:00 local time on a working day: moved back from a weekend or holiday, so that work
    stays before the milestone it serves, except that days ahead of today move forward, so
    that what is planned as upcoming never lands in the past."""
    anchor, days = due
    day = anchors[anchor] + timedelta(days=days)
    step = timedelta(days=1 if anchor == "today" and days > 0 else -1)
    while not calendar.is_working_day(day):
        day += step
    return datetime.combine(day, DUE_HOUR, tzinfo=_zone())


def _plan(congress, bodies: dict, users: dict, anchors: dict, calendar) -> dict:
    context = {"review_due": date_format(anchors["review"])}
    tasks = {}
    for item in PLAN:
        due_at = _due(anchors, item.due, calendar)
        tasks[item.key] = task_create(
            actor=users[_planner(item.body)],
            body=bodies[item.body],
            title=item.title,
            description=item.description.format(**context),
            assignee=users[item.assignee],
            priority=item.priority,
            starts_on=due_at.date() - timedelta(days=item.span),
            due_at=due_at,
            requires_review=item.requires_review,
            depends_on=[tasks[key] for key in item.depends_on],
        )
    for item in PLAN:
        tasks[item.key] = _walk(item, tasks[item.key], users)
    return tasks


def _members(body_key: str, roles: tuple[str, ...]) -> list[str]:
    return [username for username, role in MEMBERSHIPS[body_key] if role in roles]


def _planner(body_key: str) -> str:
    return _members(body_key, (HEAD,))[0]


def _reviewer(item: PlanItem) -> str:
    """The first leader who may review the task and is not its assignee: the body's head or
    deputies, then its parent body's, then the steering board's."""
    parents = {key: parent for key, _kind, _name, parent in BODIES}
    chain = [item.body, parents[item.body], "steering"]
    for body_key in filter(None, chain):
        for username in _members(body_key, (HEAD, DEPUTY)):
            if username != item.assignee:
                return username
    raise ValueError(f"No reviewer for {item.key}")


def _steps(item: PlanItem) -> list[str]:
    finish = ("submit", "approve") if item.requires_review else ("complete",)
    steps = []
    for step in WALKS[item.state]:
        steps.extend(finish if step == "finish" else (step,))
    return steps


def _texts(item: PlanItem, step: str, resubmitting: bool) -> dict:
    """The note or reason a person would write at this step."""
    if step == "submit":
        return {"note": RESUBMIT_NOTE if resubmitting else item.note or DEFAULT_SUBMIT_NOTE}
    if step in ("block", "return", "cancel"):
        return {"reason": item.reason}
    if step == "approve":
        return {"note": APPROVE_NOTE}
    if step == "unblock":
        return {"note": UNBLOCK_NOTE}
    if step == "complete":
        return {"note": item.note}
    return {}


def _walk(item: PlanItem, task: Task, users: dict) -> Task:
    """Take the task from todo to its planned state through the real transitions: the
    assignee works and reports, a leader of its body reviews, returns or cancels."""
    assignee, reviewer = users[item.assignee], users[_reviewer(item)]
    submitted = False
    for step in _steps(item):
        actor = reviewer if step in REVIEWER_STEPS else assignee
        task = task_transition(
            actor=actor, task_id=task.pk, name=step, **_texts(item, step, submitted)
        )
        submitted = submitted or step == "submit"
    return task
