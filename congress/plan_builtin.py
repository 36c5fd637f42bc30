"""The built-in plan template: the preparation of a district-level party congress, following
Directive 35-CT/TW (14/6/2024) and Directive 45-CT/TW (14/4/2025) of the Politburo.

Deadlines are in working days: before the opening, before the superior standing committee's
review (which the congress itself dates, at least 45 working days before the opening), or
after another item. An item due after another item also depends on it. The texts are in
Vietnamese because they become the tasks that Vietnamese users work on.

Plain data, read by the data migration that installs the template
(congress/migrations/0004_builtin_plan_template.py) and by `plans.builtin_template_install`.
"""

from typing import NamedTuple

KEY = "district-congress-35-45"
NAME = "Kế hoạch chuẩn bị Đại hội đảng bộ cấp huyện (Chỉ thị 35-CT/TW, 45-CT/TW)"
DESCRIPTION = (
    "Khung kế hoạch chuẩn bị Đại hội đại biểu đảng bộ cấp huyện theo Chỉ thị số 35-CT/TW ngày "
    "14/6/2024 và Chỉ thị số 45-CT/TW ngày 14/4/2025 của Bộ Chính trị: văn kiện (đề cương, đề "
    "cương chi tiết, dự thảo lần 1-3, lấy ý kiến góp ý), đại hội điểm và đại hội cấp cơ sở, "
    "nhân sự, Ban Thường vụ cấp trên cho ý kiến chậm nhất 45 ngày làm việc trước khai mạc, "
    "hội trường và hậu cần, tuyên truyền, in ấn tài liệu, bảo đảm an ninh. Hạn của từng việc "
    "tính theo ngày làm việc; điều chỉnh cho phù hợp hướng dẫn của cấp ủy cấp trên."
)
LEVEL = "district"

SC, STEERING, DOCS, PERSONNEL, ORG, PROPAGANDA = (
    "standing_committee",
    "steering_board",
    "documents",
    "personnel",
    "organization",
    "propaganda",
)
OPENING, REVIEW, ITEM = "opening", "superior_review", "item"


class Item(NamedTuple):
    key: str
    body_kind: str
    title: str
    # (anchor, working days): ("opening", 30) is 30 working days before the opening;
    # ("superior_review", 5) is 5 before the superior review deadline; ("item", (key, 10)) is
    # 10 after that item's deadline.
    due: tuple
    description: str = ""
    depends_on: tuple[str, ...] = ()
    requires_review: bool = True
    priority: str = "normal"
    duration_days: int = 10


ITEMS = (
    # Lãnh đạo, chỉ đạo
    Item(
        "plan_issue",
        STEERING,
        "Ban hành Kế hoạch tổ chức Đại hội đại biểu Đảng bộ",
        (OPENING, 160),
        "Cụ thể hóa Chỉ thị 35-CT/TW, Chỉ thị 45-CT/TW và kế hoạch của cấp ủy cấp trên: nội "
        "dung, lộ trình, phân công chuẩn bị Đại hội; trình Ban Thường vụ ký ban hành.",
        priority="high",
    ),
    Item(
        "bodies_decision",
        SC,
        "Quyết định thành lập Ban Chỉ đạo và các tiểu ban phục vụ Đại hội",
        (ITEM, ("plan_issue", 5)),
        "Tiểu ban Văn kiện, Tiểu ban Nhân sự, Tiểu ban Tổ chức phục vụ Đại hội, Tiểu ban Tuyên "
        "truyền; trưởng, phó và thành viên từng tiểu ban, tổ biên tập, tổ giúp việc.",
        priority="high",
        duration_days=5,
    ),
    Item(
        "assignment",
        STEERING,
        "Phân công nhiệm vụ thành viên Ban Chỉ đạo, các tiểu ban; ban hành quy chế làm việc",
        (ITEM, ("bodies_decision", 5)),
        "Quy chế làm việc của Ban Chỉ đạo và các tiểu ban; lịch giao ban định kỳ.",
        requires_review=False,
        duration_days=5,
    ),
    Item(
        "pilot_congress",
        STEERING,
        "Chỉ đạo đại hội điểm cấp cơ sở; sơ kết, rút kinh nghiệm",
        (OPENING, 110),
        "Chọn đảng bộ, chi bộ cơ sở làm điểm; dự, chỉ đạo đại hội điểm; rút kinh nghiệm trước "
        "khi triển khai đại hội các tổ chức cơ sở đảng.",
        depends_on=("assignment",),
        duration_days=20,
    ),
    Item(
        "grassroots_congresses",
        STEERING,
        "Chỉ đạo đại hội các đảng bộ, chi bộ cơ sở",
        (OPENING, 65),
        "Đại hội cấp cơ sở hoàn thành trước đại hội cấp trên trực tiếp; theo dõi, hướng dẫn, "
        "giải quyết vướng mắc phát sinh.",
        depends_on=("pilot_congress",),
        priority="high",
        duration_days=40,
    ),
    # Tiểu ban Văn kiện
    Item(
        "targets_data",
        DOCS,
        "Tổng hợp số liệu, đánh giá kết quả thực hiện các chỉ tiêu Nghị quyết nhiệm kỳ",
        (ITEM, ("assignment", 10)),
        "Đối chiếu từng chỉ tiêu với Nghị quyết Đại hội và các nghị quyết năm; phân loại đạt "
        "và vượt, đạt, không đạt (“X/Y chỉ tiêu đạt và vượt”).",
        priority="high",
    ),
    Item(
        "outline",
        DOCS,
        "Xây dựng đề cương Báo cáo chính trị",
        (ITEM, ("assignment", 10)),
        "Đánh giá kết quả thực hiện Nghị quyết nhiệm kỳ; bài học kinh nghiệm; mục tiêu, chỉ "
        "tiêu, nhiệm vụ, giải pháp nhiệm kỳ mới.",
        priority="high",
    ),
    Item(
        "detailed_outline",
        DOCS,
        "Xây dựng đề cương chi tiết Báo cáo chính trị, xin ý kiến Ban Thường vụ",
        (ITEM, ("outline", 10)),
        "Đề cương chi tiết từng phần, mục; phân công thành viên Tổ biên tập chấp bút.",
        depends_on=("targets_data",),
        priority="high",
    ),
    Item(
        "outline_review_report",
        DOCS,
        "Xây dựng đề cương Báo cáo kiểm điểm của Ban Chấp hành",
        (ITEM, ("assignment", 15)),
        "Kiểm điểm sự lãnh đạo, chỉ đạo của Ban Chấp hành, Ban Thường vụ nhiệm kỳ qua; việc "
        "khắc phục hạn chế đã chỉ ra ở nhiệm kỳ trước.",
    ),
    Item(
        "draft1",
        DOCS,
        "Dự thảo lần 1 Báo cáo chính trị",
        (ITEM, ("detailed_outline", 20)),
        "Tổ biên tập xây dựng dự thảo lần 1 theo đề cương chi tiết đã được cho ý kiến.",
        priority="high",
        duration_days=20,
    ),
    Item(
        "draft1_opinion",
        SC,
        "Ban Thường vụ cho ý kiến dự thảo lần 1 Báo cáo chính trị",
        (ITEM, ("draft1", 5)),
        "Chuẩn bị tài liệu, giấy mời; tổng hợp ý kiến các đồng chí Ủy viên Ban Thường vụ gửi "
        "Tổ biên tập.",
        requires_review=False,
        duration_days=5,
    ),
    Item(
        "draft2",
        DOCS,
        "Tiếp thu ý kiến, hoàn thiện dự thảo lần 2 Báo cáo chính trị",
        (ITEM, ("draft1_opinion", 10)),
        "Tiếp thu ý kiến Ban Thường vụ; bảng giải trình những ý kiến chưa tiếp thu.",
        priority="high",
    ),
    Item(
        "review_report_draft",
        DOCS,
        "Dự thảo Báo cáo kiểm điểm sự lãnh đạo, chỉ đạo của Ban Chấp hành",
        (ITEM, ("outline_review_report", 20)),
        "Dự thảo theo đề cương đã duyệt; gắn với kết quả kiểm điểm hằng năm của tập thể.",
        duration_days=20,
    ),
    Item(
        "consultation",
        DOCS,
        "Lấy ý kiến góp ý dự thảo lần 2: tổ chức cơ sở đảng, Mặt trận Tổ quốc, các đoàn thể, "
        "cán bộ lão thành cách mạng và Nhân dân",
        (ITEM, ("draft2", 15)),
        "Gửi dự thảo kèm văn bản đề nghị góp ý, nêu thời hạn; hội nghị lấy ý kiến Mặt trận, "
        "các đoàn thể, cán bộ lão thành cách mạng.",
        requires_review=False,
        duration_days=15,
    ),
    Item(
        "comment_summary",
        DOCS,
        "Tổng hợp, tiếp thu, giải trình ý kiến góp ý vào dự thảo văn kiện",
        (ITEM, ("consultation", 5)),
        "Bảng tổng hợp theo từng phần, mục: tiếp thu, tiếp thu một phần, không tiếp thu (có "
        "giải trình).",
        priority="high",
        duration_days=5,
    ),
    Item(
        "superior_drafts",
        DOCS,
        "Tổng hợp ý kiến góp ý vào dự thảo văn kiện Đại hội cấp trên",
        (OPENING, 55),
        "Một trong bốn nội dung của Đại hội: tổng hợp ý kiến của các tổ chức cơ sở đảng, gửi "
        "cấp trên theo mẫu hướng dẫn.",
        depends_on=("assignment",),
        duration_days=15,
    ),
    Item(
        "draft3",
        DOCS,
        "Hoàn thiện dự thảo lần 3 Báo cáo chính trị",
        (REVIEW, 8),
        "Hoàn thiện trên cơ sở ý kiến góp ý; trình Ban Thường vụ, Ban Chấp hành cho ý kiến "
        "trước khi trình cấp trên.",
        depends_on=("comment_summary",),
        priority="urgent",
    ),
    Item(
        "resolution_draft",
        DOCS,
        "Dự thảo Nghị quyết Đại hội",
        (REVIEW, 8),
        "Mục tiêu, chỉ tiêu, nhiệm vụ trọng tâm, đột phá nhiệm kỳ mới, thống nhất với dự thảo "
        "Báo cáo chính trị.",
        depends_on=("draft2",),
        priority="high",
    ),
    # Tiểu ban Nhân sự (mật)
    Item(
        "cadre_review",
        PERSONNEL,
        "Rà soát, đánh giá đội ngũ cán bộ; rà soát quy hoạch cấp ủy nhiệm kỳ mới",
        (ITEM, ("assignment", 15)),
        "Theo tiêu chuẩn chức danh, kết quả đánh giá, xếp loại hằng năm và quy hoạch.",
        priority="high",
        duration_days=15,
    ),
    Item(
        "delegate_allocation",
        PERSONNEL,
        "Phân bổ số lượng đại biểu dự Đại hội cho các tổ chức cơ sở đảng",
        (ITEM, ("assignment", 15)),
        "Theo số lượng đảng viên và tính chất, vị trí của từng tổ chức cơ sở đảng.",
    ),
    Item(
        "personnel_direction",
        PERSONNEL,
        "Xây dựng phương hướng nhân sự cấp ủy khóa mới (tiêu chuẩn, cơ cấu, số lượng)",
        (ITEM, ("cadre_review", 10)),
        "Tỷ lệ cán bộ nữ, cán bộ trẻ; cơ cấu theo lĩnh vực theo hướng dẫn của cấp trên.",
        priority="high",
    ),
    Item(
        "personnel_introduction",
        PERSONNEL,
        "Thực hiện quy trình giới thiệu nhân sự cấp ủy",
        (ITEM, ("personnel_direction", 15)),
        "Hội nghị cán bộ chủ chốt, hội nghị Ban Chấp hành; phiếu giới thiệu, biên bản kiểm "
        "phiếu lưu trữ theo chế độ mật.",
        requires_review=False,
        duration_days=15,
    ),
    Item(
        "background_check",
        PERSONNEL,
        "Thẩm tra, xác minh lý lịch, kê khai tài sản, thu nhập; kết luận tiêu chuẩn chính trị",
        (ITEM, ("personnel_introduction", 10)),
        "Phối hợp Ủy ban Kiểm tra, cơ quan bảo vệ chính trị nội bộ; giải quyết đơn thư liên "
        "quan đến nhân sự trước đại hội.",
        priority="high",
        duration_days=15,
    ),
    Item(
        "personnel_plan",
        PERSONNEL,
        "Xây dựng Đề án nhân sự cấp ủy khóa mới",
        (REVIEW, 5),
        "Đề án nhân sự Ban Chấp hành, Ban Thường vụ, Bí thư, Phó Bí thư, Ủy ban Kiểm tra; tài "
        "liệu mật.",
        depends_on=("personnel_introduction", "background_check"),
        priority="urgent",
        duration_days=15,
    ),
    Item(
        "grassroots_delegates",
        PERSONNEL,
        "Tổng hợp kết quả bầu đại biểu dự Đại hội ở các tổ chức cơ sở đảng",
        (ITEM, ("grassroots_congresses", 5)),
        "Danh sách đại biểu chính thức, dự khuyết; đại biểu đương nhiệm.",
        depends_on=("delegate_allocation",),
        duration_days=5,
    ),
    Item(
        "personnel_submit",
        PERSONNEL,
        "Hoàn thiện hồ sơ nhân sự trình Ban Thường vụ cấp trên",
        (REVIEW, 3),
        "Tờ trình, Đề án nhân sự, kết quả giới thiệu, kết luận tiêu chuẩn chính trị.",
        depends_on=("personnel_plan",),
        priority="urgent",
        duration_days=3,
    ),
    # Ban Thường vụ: trình cấp trên (Chỉ thị 35-CT/TW: chậm nhất 45 ngày làm việc trước khai mạc)
    Item(
        "executive_opinion",
        SC,
        "Hội nghị Ban Chấp hành cho ý kiến dự thảo văn kiện và phương án nhân sự",
        (REVIEW, 5),
        "Dự thảo Báo cáo chính trị (lần 3), Báo cáo kiểm điểm, dự thảo Nghị quyết.",
        depends_on=("draft3", "review_report_draft", "resolution_draft"),
        requires_review=False,
        priority="urgent",
        duration_days=3,
    ),
    Item(
        "superior_submit",
        SC,
        "Trình Ban Thường vụ cấp trên hồ sơ văn kiện và nhân sự Đại hội",
        (REVIEW, 3),
        "Hồ sơ văn kiện, tờ trình và hồ sơ nhân sự, để cấp trên cho ý kiến đúng thời hạn.",
        depends_on=("executive_opinion", "personnel_submit"),
        priority="urgent",
        duration_days=2,
    ),
    Item(
        "superior_review",
        SC,
        "Ban Thường vụ cấp trên cho ý kiến về nội dung Đại hội",
        (REVIEW, 0),
        "Mốc chậm nhất 45 ngày làm việc trước ngày khai mạc (Chỉ thị 35-CT/TW): báo cáo, tiếp "
        "thu ý kiến của cấp trên về văn kiện và phương án nhân sự.",
        depends_on=("superior_submit",),
        requires_review=False,
        priority="urgent",
        duration_days=3,
    ),
    Item(
        "finalize_documents",
        DOCS,
        "Tiếp thu ý kiến cấp trên, hoàn chỉnh văn kiện trình Đại hội",
        (ITEM, ("superior_review", 10)),
        "Hoàn chỉnh Báo cáo chính trị, Báo cáo kiểm điểm, dự thảo Nghị quyết theo ý kiến của "
        "Ban Thường vụ cấp trên.",
        priority="high",
    ),
    Item(
        "action_programme",
        DOCS,
        "Xây dựng Chương trình hành động thực hiện Nghị quyết Đại hội",
        (OPENING, 20),
        "Cụ thể hóa nhiệm vụ, giải pháp thành đề án, chương trình; phân công chủ trì, lộ trình.",
        depends_on=("resolution_draft",),
        priority="low",
    ),
    Item(
        "working_rules",
        DOCS,
        "Dự thảo Quy chế làm việc, Quy chế bầu cử và chương trình Đại hội",
        (OPENING, 15),
        "Theo Quy chế bầu cử trong Đảng và hướng dẫn của cấp trên; trình Đoàn Chủ tịch.",
    ),
    Item(
        "superior_delegates",
        PERSONNEL,
        "Dự kiến nhân sự đoàn đại biểu dự Đại hội cấp trên",
        (OPENING, 20),
        "Danh sách đại biểu chính thức và dự khuyết theo số lượng cấp trên phân bổ.",
        depends_on=("personnel_plan",),
    ),
    Item(
        "credentials",
        PERSONNEL,
        "Chuẩn bị Báo cáo thẩm tra tư cách đại biểu",
        (OPENING, 3),
        "Rà soát tư cách từng đại biểu để Ban Thẩm tra tư cách báo cáo Đại hội.",
        depends_on=("grassroots_delegates",),
        duration_days=5,
    ),
    # Tiểu ban Tổ chức phục vụ Đại hội
    Item(
        "budget",
        ORG,
        "Lập dự toán kinh phí tổ chức Đại hội",
        (ITEM, ("assignment", 10)),
        "Hội trường, khánh tiết, in ấn tài liệu, hậu cần, tuyên truyền; trình Thường trực phê "
        "duyệt.",
    ),
    Item(
        "venue",
        ORG,
        "Khảo sát, chuẩn bị hội trường và trang thiết bị",
        (OPENING, 30),
        "Sức chứa, âm thanh, ánh sáng, màn hình, phòng họp các đoàn, khu vực báo chí.",
        depends_on=("budget",),
        priority="high",
    ),
    Item(
        "security",
        ORG,
        "Phương án bảo đảm an ninh, trật tự, phòng cháy chữa cháy và bảo vệ bí mật tài liệu",
        (OPENING, 15),
        "Bảo vệ khu vực hội trường, phân luồng giao thông, phòng cháy chữa cháy; bảo vệ tài "
        "liệu mật của Đại hội.",
        priority="high",
    ),
    Item(
        "decor",
        ORG,
        "Khánh tiết, sân khấu, trang trí hội trường",
        (OPENING, 5),
        "Phông sân khấu, khẩu hiệu, cờ, hoa, tượng Bác; duyệt ma-két trước khi thi công.",
        depends_on=("venue",),
    ),
    Item(
        "printing",
        ORG,
        "In ấn văn kiện, tài liệu Đại hội",
        (OPENING, 5),
        "In sau khi tiếp thu ý kiến cấp trên; tài liệu nhân sự in riêng, đánh số, giao nhận "
        "có ký sổ.",
        depends_on=("finalize_documents",),
        priority="high",
        duration_days=7,
    ),
    Item(
        "logistics",
        ORG,
        "Hậu cần: đón tiếp, thẻ đại biểu, ăn nghỉ, y tế, phương tiện đưa đón",
        (OPENING, 3),
        "Lễ tân, sơ đồ chỗ ngồi, tổ y tế trực, xe đưa đón các đoàn.",
        requires_review=False,
    ),
    # Tiểu ban Tuyên truyền
    Item(
        "propaganda_plan",
        PROPAGANDA,
        "Xây dựng Kế hoạch tuyên truyền Đại hội",
        (ITEM, ("plan_issue", 10)),
        "Nội dung, hình thức, lộ trình tuyên truyền trước, trong và sau Đại hội.",
    ),
    Item(
        "emulation",
        PROPAGANDA,
        "Phát động thi đua lập thành tích chào mừng Đại hội",
        (ITEM, ("propaganda_plan", 10)),
        "Phối hợp Mặt trận và các đoàn thể; tổng hợp công trình, phần việc chào mừng.",
    ),
    Item(
        "public_comment",
        PROPAGANDA,
        "Đăng tải dự thảo văn kiện để Nhân dân góp ý; tổng hợp dư luận xã hội",
        (ITEM, ("draft2", 3)),
        "Chuyên mục trên cổng thông tin điện tử, báo chí địa phương.",
        depends_on=("propaganda_plan",),
        requires_review=False,
        duration_days=5,
    ),
    Item(
        "banners",
        PROPAGANDA,
        "Băng rôn, khẩu hiệu, pa-nô, áp phích chào mừng Đại hội",
        (OPENING, 10),
        "Nội dung khẩu hiệu theo hướng dẫn của cấp trên.",
        depends_on=("propaganda_plan",),
    ),
    Item(
        "press",
        PROPAGANDA,
        "Thông tin báo chí, phóng sự tư liệu về Đại hội",
        (OPENING, 2),
        "Phóng sự thành tựu nhiệm kỳ chiếu tại phiên khai mạc; thông cáo báo chí.",
        depends_on=("propaganda_plan",),
        duration_days=20,
    ),
    # Tổng duyệt
    Item(
        "rehearsal",
        STEERING,
        "Tổng duyệt chương trình, kịch bản điều hành Đại hội",
        (OPENING, 1),
        "Kịch bản các phiên, âm thanh, trình chiếu, lễ tân, vị trí các đoàn đại biểu.",
        depends_on=("decor", "printing", "logistics", "security"),
        priority="high",
        duration_days=3,
    ),
)
