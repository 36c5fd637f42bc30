"""Demo documents for the Lê Chân XXV demo congress (congress/demo.py calls this).

The political report is in its second round: its first Word draft went through the documents
subcommittee, was put out for comment by the steering board, four organizations were invited
through their own links (two answered there, on sections, the Fatherland Front with its signed
written opinion; the others' comments came on paper and were typed in), the consultation
closed and some comments are already taken in or explained; the second draft is uploaded. The
personnel plan waits for the (confidential) personnel subcommittee's review, and the working
rules are approved. Everything goes through the services, by users allowed to do it.
"""

import io
from datetime import datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from workflows.models import Document
from workflows.services.consultation_page import consultation_answer, consultation_get
from workflows.services.documents import (
    document_comment_add,
    document_comment_answer,
    document_create,
    document_transition,
    document_version_add,
)
from workflows.services.invitations import invitation_create
from workflows.services.outside_bodies import outside_body_create

INTRODUCTION = (
    "BÁO CÁO CHÍNH TRỊ CỦA BAN CHẤP HÀNH ĐẢNG BỘ QUẬN KHÓA XXIV TRÌNH ĐẠI HỘI ĐẠI BIỂU "
    "ĐẢNG BỘ QUẬN LẦN THỨ XXV, NHIỆM KỲ 2025-2030"
)
ROUND_ONE = [
    INTRODUCTION,
    "Phần thứ nhất. Kết quả thực hiện Nghị quyết Đại hội lần thứ XXIV, nhiệm kỳ 2020-2025",
    "I. Về phát triển kinh tế",
    "Tốc độ tăng trưởng giá trị sản xuất bình quân đạt 10,5%/năm; thu ngân sách trên địa bàn "
    "vượt dự toán hằng năm.",
    "Hoàn thành 15/18 chỉ tiêu chủ yếu, trong đó 12 chỉ tiêu đạt và vượt.",
    "II. Về văn hóa - xã hội",
    "Công tác giảm nghèo bền vững đạt kết quả tích cực; tỷ lệ hộ nghèo còn 0,3%.",
    "III. Về xây dựng Đảng và hệ thống chính trị",
    "Công tác xây dựng, chỉnh đốn Đảng được chú trọng; kết nạp 1.250 đảng viên mới.",
    "Phần thứ hai. Phương hướng, mục tiêu, nhiệm vụ nhiệm kỳ 2025-2030",
    "Mục tiêu tổng quát: xây dựng quận Lê Chân phát triển nhanh, bền vững, văn minh, hiện đại.",
    "Ba khâu đột phá: chỉnh trang đô thị; chuyển đổi số; cải cách hành chính.",
]
# Round two takes in what the consultation asked for.
ROUND_TWO = [
    *ROUND_ONE[:3],
    "Tốc độ tăng trưởng giá trị sản xuất bình quân đạt 11,2%/năm, vượt chỉ tiêu Đại hội đề "
    "ra; thu ngân sách trên địa bàn vượt dự toán hằng năm.",
    "Hoàn thành 16/18 chỉ tiêu chủ yếu, trong đó 13 chỉ tiêu đạt và vượt.",
    *ROUND_ONE[5:7],
    "Phát huy vai trò của Mặt trận Tổ quốc và các đoàn thể trong giám sát, phản biện xã hội.",
    *ROUND_ONE[7:],
    "Phát huy truyền thống cách mạng, vai trò của Hội Cựu chiến binh trong giáo dục thế hệ trẻ.",
]

# source, section, text, (disposition, response) or None while the drafters have not answered
CONSULTATION = (
    (
        "Hội Cựu chiến binh quận",
        "Phần thứ hai",
        "Đề nghị bổ sung nội dung phát huy truyền thống cách mạng trong giáo dục thế hệ trẻ.",
        ("accepted", "Đã bổ sung vào Phần thứ hai."),
    ),
    (
        "Đảng ủy phường Trần Nguyên Hãn",
        "Phần thứ hai",
        "Đề nghị thêm khâu đột phá về phát triển kinh tế đêm.",
        (
            "not_accepted",
            "Ba khâu đột phá đã được Ban Chấp hành thống nhất; nội dung này đưa "
            "vào chương trình hành động.",
        ),
    ),
    (
        "Chi bộ Khu dân cư số 5, phường Dư Hàng Kênh",
        "Phần thứ nhất, III",
        "Làm rõ tỷ lệ đảng viên trẻ trong số đảng viên mới kết nạp.",
        None,
    ),
)

# The organizations invited through their own links (issue 15): name, email, what each sent
# through its page (section heading -> comment, with the drafters' answer or None), and
# whether it attached its signed written opinion. The others above answered on paper.
INVITED = (
    (
        "Đảng ủy phường An Biên",
        "vanphong.anbien@lechan.example",
        {
            "I. Về phát triển kinh tế": (
                "Đề nghị cập nhật số liệu tăng trưởng năm 2025 theo ước thực hiện cả năm.",
                (
                    "accepted",
                    "Đã cập nhật theo số liệu ước thực hiện năm 2025 của Chi cục Thống kê.",
                ),
            ),
            "Phần thứ hai. Phương hướng, mục tiêu, nhiệm vụ nhiệm kỳ 2025-2030": (
                "Chỉ tiêu tỷ lệ đô thị hóa cần có lộ trình theo từng năm.",
                None,
            ),
        },
        False,
    ),
    (
        "Ủy ban MTTQ quận Lê Chân",
        "mttq@lechan.example",
        {
            "II. Về văn hóa - xã hội": (
                "Cần đánh giá rõ hơn vai trò của Mặt trận Tổ quốc trong giám sát, phản biện "
                "xã hội.",
                (
                    "partly_accepted",
                    "Bổ sung một đoạn ở mục II; phần đánh giá chi tiết đưa vào báo cáo kiểm điểm.",
                ),
            ),
        },
        True,
    ),
    ("Hội Cựu chiến binh quận", "cuuchienbinh@lechan.example", {}, False),
    ("Đảng ủy phường Trần Nguyên Hãn", "vanphong.tnh@lechan.example", {}, False),
)
# The outside bodies the congress keeps for its consultations.
OUTSIDE_BODIES = (
    ("Ủy ban MTTQ quận Lê Chân", "mttq@lechan.example", "Đồng chí Chủ tịch Ủy ban MTTQ quận"),
    ("Hội Cựu chiến binh quận", "cuuchienbinh@lechan.example", "Văn phòng Hội"),
    ("Liên đoàn Lao động quận", "ldld@lechan.example", ""),
)


def _opinion_pdf(name: str) -> SimpleUploadedFile:
    """A one-page PDF standing for a signed letter."""
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def _consultation(report: Document, rapporteur) -> list:
    """The invitations of round one, two organizations answering through their links (one
    with its written opinion); returns [(comment, answer)] for the drafters to answer."""
    for name, email, contact in OUTSIDE_BODIES:
        outside_body_create(
            actor=rapporteur,
            congress_id=report.congress_id,
            name=name,
            email=email,
            contact=contact,
        )
    answered = []
    for name, email, texts, with_opinion in INVITED:
        issued = invitation_create(actor=rapporteur, document_id=report.pk, name=name, email=email)
        if not texts:
            continue
        token = issued.url.rstrip("/").rsplit("/", 1)[-1]
        page = consultation_get(token)
        index = {section.heading: section.index for section in page.sections}
        wanted = {index[heading]: text for heading, (text, _answer) in texts.items()}
        opinion = _opinion_pdf("Van ban gop y - " + name + ".pdf") if with_opinion else None
        comments = consultation_answer(token=token, texts=wanted, opinion=opinion)
        by_text = {comment.text: comment for comment in comments}
        answered += [(by_text[text], answer) for text, answer in texts.values()]
    return answered


PERSONNEL_PLAN = (
    "# Đề án nhân sự Ban Chấp hành Đảng bộ quận khóa XXV, nhiệm kỳ 2025-2030\n\n"
    "## I. Số lượng, cơ cấu\n"
    "Dự kiến số lượng Ban Chấp hành: 39 đồng chí; Ban Thường vụ: 13 đồng chí.\n\n"
    "## II. Tiêu chuẩn, điều kiện\n"
    "Theo Quy định số 89-QĐ/TW và hướng dẫn của Ban Tổ chức Trung ương."
)
WORKING_RULES = (
    "Quy chế làm việc của Đại hội đại biểu Đảng bộ quận lần thứ XXV\n"
    "Điều 1. Đại hội làm việc theo nguyên tắc tập trung dân chủ.\n"
    "Điều 2. Đoàn Chủ tịch điều hành Đại hội."
)


def _word(paragraphs: list[str]) -> bytes:
    from docx import Document as WordDocument

    word = WordDocument()
    word.add_heading(paragraphs[0], level=0)
    for text in paragraphs[1:]:
        if text.startswith("Phần thứ"):
            word.add_heading(text, level=1)
        elif text.startswith(("I.", "II.", "III.")):
            word.add_heading(text, level=2)
        else:
            word.add_paragraph(text)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _docx(name: str, paragraphs: list[str]) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _word(paragraphs))


def load_demo_documents(*, congress, users_by_username: dict, now: datetime) -> dict:
    """Create the demo documents of `congress`; returns them by key."""
    users = users_by_username
    bodies = {body.kind: body for body in congress.bodies.all()}
    return {
        "political_report": _political_report(bodies["documents"], users, now),
        "personnel_plan": _personnel_plan(bodies["personnel"], users, now),
        "working_rules": _working_rules(bodies["documents"], users, now),
    }


def _political_report(body, users: dict, now: datetime) -> Document:
    head, deputy, rapporteur = users["huong.tt"], users["lan.dt"], users["duc.nm"]
    steering = users["nam.nv"]
    report = document_create(
        actor=head,
        body=body,
        kind=Document.Kind.POLITICAL_REPORT,
        title="Báo cáo chính trị trình Đại hội đại biểu Đảng bộ quận lần thứ XXV",
        rapporteur=rapporteur,
        due_at=now + timedelta(days=20),
    )
    document_version_add(
        actor=rapporteur,
        document_id=report.pk,
        file=_docx("Bao cao chinh tri - Du thao lan 1.docx", ROUND_ONE),
        note="Dự thảo lần 1",
    )
    document_transition(actor=rapporteur, document_id=report.pk, name="submit")
    document_transition(
        actor=deputy, document_id=report.pk, name="approve", note="Trình Ban Chỉ đạo"
    )
    # The comment period is opened in the future as the service requires, then dated back:
    # in the demo it closed yesterday.
    document_transition(
        actor=steering,
        document_id=report.pk,
        name="open_consultation",
        note="Gửi các chi, đảng bộ cơ sở, Mặt trận Tổ quốc và các đoàn thể góp ý",
        consultation_closes_at=max(now, timezone.now()) + timedelta(days=1),
    )
    from_links = _consultation(report, rapporteur)
    comments = [
        document_comment_add(
            actor=rapporteur, document_id=report.pk, text=text, source=source, section=section
        )
        for source, section, text, _answer in CONSULTATION
    ]
    document_comment_add(
        actor=users["tuan.pa"],
        document_id=report.pk,
        text="Bổ sung đánh giá kết quả cải cách hành chính, chỉ số PAR Index của quận.",
        section="Phần thứ nhất, I",
    )
    Document.objects.filter(pk=report.pk).update(
        consultation_closes_at=min(now, timezone.now()) - timedelta(days=1)
    )
    document_transition(actor=steering, document_id=report.pk, name="close_consultation")
    for comment, (_source, _section, _text, answer) in zip(comments, CONSULTATION, strict=True):
        if answer is not None:
            disposition, response = answer
            document_comment_answer(
                actor=rapporteur,
                document_id=report.pk,
                comment_id=comment.pk,
                disposition=disposition,
                response=response,
            )
    for comment, (disposition, response) in ((c, a) for c, a in from_links if a is not None):
        document_comment_answer(
            actor=rapporteur,
            document_id=report.pk,
            comment_id=comment.pk,
            disposition=disposition,
            response=response,
        )
    document_version_add(
        actor=rapporteur,
        document_id=report.pk,
        file=_docx("Bao cao chinh tri - Du thao lan 2.docx", ROUND_TWO),
        note="Dự thảo lần 2, tiếp thu ý kiến góp ý của cơ sở",
    )
    return Document.objects.get(pk=report.pk)


def _personnel_plan(body, users: dict, now: datetime) -> Document:
    head, secretary = users["nam.nv"], users["khanh.bq"]
    plan = document_create(
        actor=head,
        body=body,
        kind=Document.Kind.PERSONNEL_PLAN,
        title="Đề án nhân sự Ban Chấp hành Đảng bộ quận khóa XXV, nhiệm kỳ 2025-2030",
        rapporteur=secretary,
        due_at=now + timedelta(days=30),
    )
    document_version_add(
        actor=secretary, document_id=plan.pk, text=PERSONNEL_PLAN, note="Dự thảo lần 1"
    )
    document_transition(actor=secretary, document_id=plan.pk, name="submit")
    return Document.objects.get(pk=plan.pk)


def _working_rules(body, users: dict, now: datetime) -> Document:
    rules = document_create(
        actor=users["huong.tt"],
        body=body,
        kind=Document.Kind.WORKING_RULES,
        title="Quy chế làm việc của Đại hội",
        rapporteur=users["thao.vp"],
        due_at=now + timedelta(days=10),
    )
    document_version_add(actor=users["thao.vp"], document_id=rules.pk, text=WORKING_RULES)
    steps = (("thao.vp", "submit"), ("lan.dt", "approve"), ("nam.nv", "approve"))
    for username, name in (*steps, ("huong.tt", "approve")):
        document_transition(actor=users[username], document_id=rules.pk, name=name)
    return Document.objects.get(pk=rules.pk)
