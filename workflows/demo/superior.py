"""Demo data: the level above Lê Chân. The Hải Phòng City Party Committee (its standing
committee, its office, two reviewers of its Propaganda and Organization committees) follows
Lê Chân and three more districts preparing their congresses, so the oversight page and the
superior's review queue have something to show:

- Ngô Quyền: on time, its plan well ahead of the superior-review deadline;
- Hồng Bàng: late on the forecast, a chain of work longer than the time left;
- Kiến An: its review report waits for the city's decision (superior review).

Everything goes through the services, as in workflows/demo/congress.py; the districts' own
people do their own steps.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from congress import plan_builtin
from congress.models import (
    Body,
    Congress,
    Membership,
    Organization,
    PlanTemplate,
    SuperiorReviewer,
)
from congress.offices import office_grant
from congress.plans import builtin_template_install
from congress.services import (
    body_insert,
    congress_create,
    membership_put,
    organization_create,
)
from workflows.demo.people import Person, accounts_create
from workflows.models import Document
from workflows.services.congresses import congress_transition
from workflows.services.documents import (
    document_create,
    document_transition,
    document_version_add,
)
from workflows.services.plans import plan_apply

HEAD, DEPUTY, MEMBER = Membership.Role.HEAD, Membership.Role.DEPUTY, Membership.Role.MEMBER
DUE_HOUR = time(17, 0)


CITY_PEOPLE = (
    Person("thanh.lv", "Lê Văn", "Thành", "Bí thư Thành ủy Hải Phòng"),
    Person("hien.dm", "Đỗ Mạnh", "Hiến", "Phó Bí thư Thường trực Thành ủy"),
    Person("hoa.vptu", "Nguyễn Thị", "Hoa", "Chuyên viên Văn phòng Thành ủy"),
    Person("vinh.tg", "Trần Quang", "Vinh", "Chuyên viên Ban Tuyên giáo Thành ủy"),
    Person("yen.tc", "Phạm Thị", "Yến", "Chuyên viên Ban Tổ chức Thành ủy"),
)
CITY_OFFICE, DOCUMENTS_REVIEWER, PERSONNEL_REVIEWER = "hoa.vptu", "vinh.tg", "yen.tc"
DOMAIN = "haiphong.example"  # reserved TLD: demo mail can never reach a real mailbox

# code, district, its secretary (family and middle, given), days after Lê Chân's opening.
# Each applies the built-in plan today: Ngô Quyền, opening months later, is on time; Hồng
# Bàng, opening sooner, is late from the start (as a plan applied late is).
DISTRICTS = (
    ("nq", "Đảng bộ quận Ngô Quyền", ("Vũ Đức", "Long"), 200),
    ("hb", "Đảng bộ quận Hồng Bàng", ("Mai Thị", "Phương"), -14),
    ("ka", "Đảng bộ quận Kiến An", ("Tô Minh", "Khôi"), 7),
)

REVIEW_REPORT = """BÁO CÁO KIỂM ĐIỂM SỰ LÃNH ĐẠO, CHỈ ĐẠO CỦA BAN CHẤP HÀNH ĐẢNG BỘ QUẬN KIẾN AN
NHIỆM KỲ 2020-2025

I. Ưu điểm
Ban Chấp hành đã lãnh đạo thực hiện đạt và vượt 18/21 chỉ tiêu Nghị quyết Đại hội.

II. Hạn chế, khuyết điểm
Công tác cải cách hành chính, chuyển đổi số còn chậm; một số chỉ tiêu không đạt.

III. Nguyên nhân và bài học kinh nghiệm
Nguyên nhân chủ quan là chủ yếu; bài học về nêu gương của người đứng đầu.
"""


def load_demo_superior(
    *, admin, city: Organization, lechan: Congress, password: str, now: datetime
) -> dict:
    """The city's congress, its standing committee, office and reviewers, and three more
    districts' congresses under it; the reviewers named for Lê Chân too."""
    people = accounts_create(admin, CITY_PEOPLE, password=password, domain=DOMAIN)
    office_grant(user=people[CITY_OFFICE], organization=city, granted_by=admin)
    city_congress = congress_create(
        actor=admin,
        organization=city,
        number=17,
        term_start=2025,
        term_end=2030,
        opens_on=lechan.opens_on + timedelta(days=70),
        closes_on=lechan.opens_on + timedelta(days=72),
        venue="Nhà hát Thành phố Hải Phòng",
    )
    committee = body_insert(
        actor=admin,
        congress=city_congress,
        kind=Body.Kind.STANDING_COMMITTEE,
        name="Ban Thường vụ Thành ủy",
    )
    membership_put(actor=admin, body=committee, user=people["thanh.lv"], role=HEAD)
    membership_put(actor=admin, body=committee, user=people["hien.dm"], role=DEPUTY)
    congresses = [lechan]
    for code, name, secretary, offset in DISTRICTS:
        congress, district_people = _district(
            admin, city, code, name, secretary, offset, lechan, password
        )
        people.update(district_people)
        _plan(congress, district_people[f"bithu.{code}"])
        congresses.append(congress)
    _report_for_superior(congresses[-1], people["bithu.ka"], people["tgiao.ka"], now)
    for congress in congresses:
        SuperiorReviewer.objects.create(
            congress=congress, user=people[DOCUMENTS_REVIEWER], named_by=people[CITY_OFFICE]
        )
        SuperiorReviewer.objects.create(
            congress=congress,
            user=people[PERSONNEL_REVIEWER],
            document_kind=Document.Kind.PERSONNEL_PLAN,
            named_by=people[CITY_OFFICE],
        )
    return {"congress": city_congress, "users": people, "districts": congresses[1:]}


def logins() -> list[tuple[str, str]]:
    """(username, position) of the city's people and of the districts' secretaries."""
    found = [(p.username, p.position) for p in CITY_PEOPLE]
    for code, name, _secretary, _offset in DISTRICTS:
        short = name.removeprefix("Đảng bộ ")
        found.append((f"bithu.{code}", "Bí thư " + short.replace("quận", "Quận ủy")))
    return found


def _district(admin, city, code, name, secretary, offset, lechan, password):
    organization = organization_create(
        actor=admin, name=name, level=Organization.Level.DISTRICT, parent=city
    )
    family, given = secretary
    short = name.removeprefix("Đảng bộ ")
    people = (
        Person(f"bithu.{code}", family, given, "Bí thư " + short.replace("quận", "Quận ủy")),
        Person(f"tgiao.{code}", "Nguyễn Hữu", "Toàn", f"Trưởng Ban Tuyên giáo {short}"),
        Person(f"tchuc.{code}", "Lương Thị", "Hạnh", f"Trưởng Ban Tổ chức {short}"),
    )
    users = accounts_create(admin, people, password=password, domain=DOMAIN)
    opens_on = lechan.opens_on + timedelta(days=offset)
    while opens_on.weekday() > 2:
        opens_on += timedelta(days=1)
    congress = congress_create(
        actor=admin,
        organization=organization,
        number=25,
        term_start=2025,
        term_end=2030,
        opens_on=opens_on,
        closes_on=opens_on + timedelta(days=2),
        venue=f"Hội trường {short}",
    )
    head, documents_head, personnel_head = users.values()
    bodies = {}
    for key, kind, body_name in (
        (
            "standing",
            Body.Kind.STANDING_COMMITTEE,
            f"Ban Thường vụ {short.replace('quận', 'Quận ủy')}",
        ),
        ("steering", Body.Kind.STEERING_BOARD, "Ban Chỉ đạo Đại hội"),
        ("documents", Body.Kind.DOCUMENTS, "Tiểu ban Văn kiện"),
        ("personnel", Body.Kind.PERSONNEL, "Tiểu ban Nhân sự"),
    ):
        bodies[key] = body_insert(actor=admin, congress=congress, kind=kind, name=body_name)
    for key in ("standing", "steering"):
        membership_put(actor=admin, body=bodies[key], user=head, role=HEAD)
    membership_put(actor=admin, body=bodies["standing"], user=documents_head, role=MEMBER)
    membership_put(actor=admin, body=bodies["standing"], user=personnel_head, role=MEMBER)
    membership_put(actor=admin, body=bodies["documents"], user=documents_head, role=HEAD)
    membership_put(actor=admin, body=bodies["documents"], user=head, role=MEMBER)
    membership_put(actor=admin, body=bodies["personnel"], user=personnel_head, role=HEAD)
    congress = congress_transition(actor=head, congress_id=congress.pk, name="start_preparation")
    return congress, users


def _plan(congress: Congress, head) -> None:
    """The built-in plan, applied by the district's secretary (its steering board's head)."""
    template = PlanTemplate.objects.filter(key=plan_builtin.KEY).first()
    plan_apply(
        actor=head,
        congress_id=congress.pk,
        template_id=(template or builtin_template_install()).pk,
    )


def _report_for_superior(congress: Congress, head, rapporteur, now: datetime) -> Document:
    """Kiến An's review report, up its chain to the city's review."""
    documents = congress.bodies.get(kind=Body.Kind.DOCUMENTS)
    report = document_create(
        actor=rapporteur,
        body=documents,
        kind=Document.Kind.REVIEW_REPORT,
        title="Báo cáo kiểm điểm của Ban Chấp hành Đảng bộ quận Kiến An nhiệm kỳ 2020-2025",
        rapporteur=rapporteur,
        due_at=now + timedelta(days=10),
    )
    document_version_add(
        actor=rapporteur, document_id=report.pk, text=REVIEW_REPORT, note="Dự thảo lần 1"
    )
    document_transition(actor=rapporteur, document_id=report.pk, name="submit")
    for actor in (rapporteur, head, head):  # subcommittee, steering board, standing committee
        document_transition(actor=actor, document_id=report.pk, name="approve")
    return report


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)
