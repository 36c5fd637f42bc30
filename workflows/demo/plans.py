"""Demo data for plans and targets: the Lê Chân congress's existing plan linked to the built-in
template, and the targets of Resolution 10-NQ/QU with their results for the first six months
of 2024.

The demo congress already has its dated plan of 44 tasks (congress/demo.py), walked through
their states; applying the built-in template on top would duplicate most of them. Instead the
demo tasks that correspond to a template item are linked to it (`Task.plan_item`), so that
they move with the opening date like an applied plan, and the few tasks the template does not
have (the monthly report, the 2025 data update, the cancelled event company) stay unlinked.

The targets: the article of 11/7/2024 on the 18th conference of the district committee reports
8 of the 20 targets of Resolution 10-NQ/QU (21/12/2023, the term XXIV committee's resolution on
2024) met or exceeded at six months; budget revenue of 1,005.6 billion dong, 95% of the city's
plan; four revenue items above their estimates (non-state tax +16%, state enterprises +144%,
land rent +284%, other revenue +37%); party admissions and new grassroots organizations as
planned. The other targets' names and figures are illustrative (their note says so), chosen so
that the count is the reported 8/20.
"""

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction

from congress.models import Congress, PlanTemplate, Resolution, TargetResult
from congress.plan_builtin import KEY as BUILTIN_KEY
from congress.plans import builtin_template_install
from congress.targets import resolution_create, target_create, target_result_record
from workflows.demo.plan_data import PLAN
from workflows.models import Task
from workflows.services.transitions import audit_record

# demo task key (congress/demo.py PLAN) -> built-in template item key
DEMO_LINKS = {
    "plan_issue": "plan_issue",
    "bodies_decision": "bodies_decision",
    "assignment": "assignment",
    "targets_data": "targets_data",
    "outline_political": "detailed_outline",
    "outline_review_report": "outline_review_report",
    "draft1_political": "draft1",
    "sc_opinion_draft1": "draft1_opinion",
    "draft2_political": "draft2",
    "consult_grassroots": "consultation",
    "consult_front": "consultation",
    "comment_summary": "comment_summary",
    "draft3_political": "draft3",
    "review_report_draft": "review_report_draft",
    "resolution_draft": "resolution_draft",
    "superior_drafts": "superior_drafts",
    "superior_submit": "superior_submit",
    "superior_review": "superior_review",
    "action_programme": "action_programme",
    "working_rules": "working_rules",
    "cadre_review": "cadre_review",
    "delegate_allocation": "delegate_allocation",
    "personnel_direction": "personnel_direction",
    "personnel_introduction": "personnel_introduction",
    "personnel_plan": "personnel_plan",
    "background_check": "background_check",
    "personnel_submit": "personnel_submit",
    "city_delegates": "superior_delegates",
    "credentials": "credentials",
    "budget": "budget",
    "venue_prep": "venue",
    "security": "security",
    "decor": "decor",
    "print_docs": "printing",
    "logistics": "logistics",
    "propaganda_plan": "propaganda_plan",
    "portal_column": "public_comment",
    "emulation": "emulation",
    "documentary": "press",
    "banners": "banners",
    "rehearsal": "rehearsal",
}

RESOLUTION = {
    "code": "10-NQ/QU",
    "title": "Nghị quyết số 10-NQ/QU ngày 21/12/2023 của Ban Chấp hành Đảng bộ quận khóa XXIV "
    "về mục tiêu, nhiệm vụ, giải pháp năm 2024",
    "term": "2020-2025",
    "adopted_on": date(2023, 12, 21),
}
SOURCE = "Hội nghị Quận ủy lần thứ 18 (10/7/2024)."
ILLUSTRATIVE = "Số liệu minh họa."
AT_LEAST, AT_MOST = "at_least", "at_most"

# code, name, unit, baseline, target value, direction, six-month 2024 value, note
TARGETS = (
    (
        "1",
        "Thu ngân sách nhà nước trên địa bàn so với kế hoạch thành phố giao",
        "% kế hoạch",
        None,
        "100",
        AT_LEAST,
        "95",
        f"1.005,6 tỷ đồng, bằng 95% kế hoạch thành phố giao. {SOURCE}",
    ),
    (
        "2",
        "Thu thuế công thương nghiệp ngoài quốc doanh",
        "% dự toán",
        None,
        "100",
        AT_LEAST,
        "116",
        f"Vượt 16% dự toán. {SOURCE}",
    ),
    (
        "3",
        "Thu từ doanh nghiệp nhà nước",
        "% dự toán",
        None,
        "100",
        AT_LEAST,
        "244",
        f"Vượt 144% dự toán. {SOURCE}",
    ),
    ("4", "Thu tiền thuê đất", "% dự toán", None, "100", AT_LEAST, "384", f"Vượt 284%. {SOURCE}"),
    ("5", "Thu khác ngân sách", "% dự toán", None, "100", AT_LEAST, "137", f"Vượt 37%. {SOURCE}"),
    (
        "6",
        "Kết nạp đảng viên mới",
        "% kế hoạch",
        None,
        "100",
        AT_LEAST,
        "100",
        f"Đạt kế hoạch đề ra. {SOURCE}",
    ),
    (
        "7",
        "Thành lập tổ chức cơ sở đảng theo Nghị quyết 28-NQ/TU của Thành ủy",
        "% kế hoạch",
        None,
        "100",
        AT_LEAST,
        "100",
        f"Đạt kế hoạch đề ra. {SOURCE}",
    ),
    (
        "8",
        "Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn",
        "%",
        "97.5",
        "98",
        AT_LEAST,
        "99.2",
        ILLUSTRATIVE,
    ),
    (
        "9",
        "Giải ngân vốn đầu tư công so với kế hoạch năm",
        "% kế hoạch",
        None,
        "100",
        AT_LEAST,
        "41.5",
        ILLUSTRATIVE,
    ),
    (
        "10",
        "Tốc độ tăng giá trị sản xuất thương mại - dịch vụ",
        "%",
        "10.2",
        "12",
        AT_LEAST,
        "9.6",
        ILLUSTRATIVE,
    ),
    ("11", "Tỷ lệ hộ cận nghèo", "%", "1.1", "0.8", AT_MOST, "0.95", ILLUSTRATIVE),
    (
        "12",
        "Tỷ lệ dân số tham gia bảo hiểm y tế",
        "%",
        "93.4",
        "95",
        AT_LEAST,
        "93.8",
        ILLUSTRATIVE,
    ),
    (
        "13",
        "Tỷ lệ hộ gia đình đạt danh hiệu “Gia đình văn hóa”",
        "%",
        "91",
        "92",
        AT_LEAST,
        "90.5",
        ILLUSTRATIVE,
    ),
    (
        "14",
        "Tỷ lệ tổ dân phố đạt danh hiệu “Tổ dân phố văn hóa”",
        "%",
        "88",
        "90",
        AT_LEAST,
        "86",
        ILLUSTRATIVE,
    ),
    (
        "15",
        "Tỷ lệ thu gom, xử lý chất thải rắn sinh hoạt",
        "%",
        "99",
        "100",
        AT_LEAST,
        "99.5",
        ILLUSTRATIVE,
    ),
    (
        "16",
        "Số ca mắc sốt xuất huyết trên địa bàn",
        "ca",
        "130",
        "100",
        AT_MOST,
        "118",
        ILLUSTRATIVE,
    ),
    (
        "17",
        "Tỷ lệ trường học đạt chuẩn quốc gia",
        "%",
        "80",
        "85",
        AT_LEAST,
        "82",
        ILLUSTRATIVE,
    ),
    (
        "18",
        "Tỷ lệ đường hè được chỉnh trang, lập lại trật tự",
        "%",
        "60",
        "75",
        AT_LEAST,
        "66",
        f"Ra quân xử lý trật tự đường hè tại 96 điểm. {ILLUSTRATIVE}",
    ),
    (
        "19",
        "Tỷ lệ tổ chức cơ sở đảng được kiểm tra, giám sát theo kế hoạch",
        "% kế hoạch",
        None,
        "100",
        AT_LEAST,
        "62",
        ILLUSTRATIVE,
    ),
    (
        "20",
        "Giảm số vụ phạm pháp hình sự so với cùng kỳ",
        "%",
        None,
        "5",
        AT_LEAST,
        "5",
        ILLUSTRATIVE,
    ),
)
RESULT_PERIOD = (TargetResult.Period.SIX_MONTHS, 2024)


@transaction.atomic
def load_demo_plans(*, congress: Congress, users_by_username: dict, now: datetime) -> dict:
    """Link the demo congress's plan to the built-in template and record the 10-NQ/QU targets
    with their six-month 2024 results (8/20 met or exceeded). Call it after the demo tasks
    exist. `now` is the demo's clock (kept for symmetry with the other demo loaders)."""
    leader = users_by_username["huong.tt"]
    template = _builtin_template()
    linked = _link_plan(congress, template, leader)
    resolution = _resolution(congress, leader)
    return {
        "template": template,
        "linked_tasks": linked,
        "resolution": resolution,
        "targets": list(resolution.targets.order_by("position")),
        "generated_at": now,
    }


def _builtin_template() -> PlanTemplate:
    template = PlanTemplate.objects.filter(key=BUILTIN_KEY).first()
    return template or builtin_template_install()


def _link_plan(congress: Congress, template: PlanTemplate, leader) -> int:
    items = {item.key: item for item in template.items.all()}
    titles = {entry.key: entry.title for entry in PLAN}
    linked = 0
    for demo_key, item_key in DEMO_LINKS.items():
        linked += Task.objects.filter(
            congress=congress, title=titles[demo_key], plan_item__isnull=True
        ).update(plan_item=items[item_key])
    congress.plan_opens_on = congress.opens_on
    congress.save(update_fields=["plan_opens_on"])
    audit_record(
        congress,
        transition="plan_link",
        actor=leader,
        note=f"{template.name}: {linked}",
    )
    return linked


def _resolution(congress: Congress, leader) -> Resolution:
    resolution = resolution_create(actor=leader, organization=congress.organization, **RESOLUTION)
    period, year = RESULT_PERIOD
    for position, row in enumerate(TARGETS, start=1):
        code, name, unit, baseline, target_value, direction, value, note = row
        target = target_create(
            actor=leader,
            resolution=resolution,
            code=code,
            position=position,
            name=name,
            unit=unit,
            baseline=Decimal(baseline) if baseline else None,
            target_value=Decimal(target_value),
            direction=direction,
        )
        target_result_record(
            actor=leader,
            target_id=target.pk,
            period=period,
            year=year,
            value=Decimal(value),
            note=note,
        )
    return resolution
