"""The demo's plan: about forty dated tasks of the Lê Chân XXV preparation, in dependency
order, with the state each one has reached."""

from dataclasses import dataclass

from workflows.models import Task


@dataclass(frozen=True)
class PlanItem:
    key: str
    body: str
    title: str
    assignee: str
    # (anchor, days): anchor is "today", "review" (the superior review deadline) or "opening"
    due: tuple[str, int]
    state: str
    description: str
    priority: str = Task.Priority.NORMAL
    depends_on: tuple[str, ...] = ()
    requires_review: bool = True
    note: str = ""  # the assignee's report when submitting
    reason: str = ""  # why it was returned, blocked or cancelled
    span: int = 10  # days of work before the due date


LOW, NORMAL, HIGH, URGENT = (
    Task.Priority.LOW,
    Task.Priority.NORMAL,
    Task.Priority.HIGH,
    Task.Priority.URGENT,
)

# In dependency order: every task comes after the tasks it depends on, so walking the list
# finishes dependencies before their dependents start.
PLAN = (
    # Ban Chỉ đạo, Ban Thường vụ: the plan and the bodies
    PlanItem(
        "plan_issue",
        "steering",
        "Ban hành Kế hoạch tổ chức Đại hội đại biểu Đảng bộ quận lần thứ XXV",
        "thao.vp",
        ("today", -62),
        "done",
        "Cụ thể hóa Chỉ thị số 35-CT/TW ngày 14/6/2024 của Bộ Chính trị và kế hoạch của Ban "
        "Thường vụ Thành ủy: nội dung, lộ trình, phân công chuẩn bị Đại hội; trình Ban Thường "
        "vụ Quận ủy ký ban hành.",
        priority=HIGH,
        note="Ban Thường vụ đã ký ban hành Kế hoạch; đã gửi các tổ chức cơ sở đảng trực thuộc.",
        span=14,
    ),
    PlanItem(
        "bodies_decision",
        "standing",
        "Quyết định thành lập Ban Chỉ đạo và các tiểu ban phục vụ Đại hội",
        "hai.lm",
        ("today", -58),
        "done",
        "Dự thảo quyết định thành lập Ban Chỉ đạo Đại hội, Tiểu ban Văn kiện, Tiểu ban Nhân sự, "
        "Tiểu ban Tổ chức phục vụ Đại hội, Tiểu ban Tuyên truyền; đề xuất trưởng, phó và thành "
        "viên từng tiểu ban.",
        priority=HIGH,
        depends_on=("plan_issue",),
        note="Đã trình dự thảo quyết định kèm danh sách thành viên các tiểu ban.",
    ),
    PlanItem(
        "assignment",
        "steering",
        "Phân công nhiệm vụ thành viên Ban Chỉ đạo và các tiểu ban",
        "thao.vp",
        ("today", -52),
        "done",
        "Ban hành quy chế làm việc của Ban Chỉ đạo; phân công thành viên phụ trách từng tiểu "
        "ban; lịch giao ban hằng tháng.",
        depends_on=("bodies_decision",),
        requires_review=False,
    ),
    PlanItem(
        "progress_report",
        "steering",
        "Báo cáo Ban Tổ chức Thành ủy tiến độ chuẩn bị Đại hội (định kỳ tháng)",
        "thao.vp",
        ("today", -2),
        "todo",
        "Tổng hợp tiến độ của các tiểu ban theo mẫu của Ban Tổ chức Thành ủy; nêu khó khăn, "
        "vướng mắc và kiến nghị.",
        span=5,
    ),
    # Tiểu ban Văn kiện and its editorial team: the documents, round after round
    PlanItem(
        "targets_data",
        "documents",
        "Tổng hợp số liệu kết quả thực hiện các chỉ tiêu nhiệm kỳ 2020-2025",
        "anh.ln",
        ("today", -48),
        "done",
        "Tổng hợp số liệu các chỉ tiêu Nghị quyết Đại hội XXIV và các nghị quyết năm, phân loại "
        "đạt và vượt / đạt / không đạt. Năm 2024: 6 tháng đầu năm có 8/20 chỉ tiêu đạt và vượt "
        "so với Nghị quyết số 10-NQ/QU ngày 21/12/2023 của Ban Chấp hành Đảng bộ quận khóa "
        "XXIV; thu ngân sách 6 tháng đạt 1.005,6 tỷ đồng, bằng 95% kế hoạch thành phố giao.",
        priority=HIGH,
        depends_on=("assignment",),
        note="Đã tổng hợp đủ số liệu; gửi kèm bảng đối chiếu từng chỉ tiêu với nghị quyết.",
    ),
    PlanItem(
        "outline_political",
        "documents",
        "Xây dựng đề cương Báo cáo chính trị trình Đại hội",
        "lan.dt",
        ("today", -42),
        "done",
        "Đề cương gồm: đánh giá kết quả thực hiện Nghị quyết Đại hội XXIV, nhiệm kỳ 2020-2025; "
        "bài học kinh nghiệm; mục tiêu, chỉ tiêu, nhiệm vụ, giải pháp nhiệm kỳ 2025-2030. Xin ý "
        "kiến Ban Thường vụ về đề cương chi tiết.",
        priority=HIGH,
        depends_on=("targets_data",),
        note="Gửi đề cương chi tiết Báo cáo chính trị để Trưởng Tiểu ban cho ý kiến.",
    ),
    PlanItem(
        "outline_review_report",
        "documents",
        "Xây dựng đề cương Báo cáo kiểm điểm của Ban Chấp hành Đảng bộ quận khóa XXIV",
        "thao.vp",
        ("today", -40),
        "done",
        "Kiểm điểm sự lãnh đạo, chỉ đạo của Ban Chấp hành, Ban Thường vụ nhiệm kỳ 2020-2025: "
        "ưu điểm, hạn chế, nguyên nhân, việc khắc phục hạn chế đã chỉ ra ở nhiệm kỳ trước.",
        depends_on=("assignment",),
        note="Đã hoàn thành đề cương theo hướng dẫn của Thành ủy.",
    ),
    PlanItem(
        "draft1_political",
        "editorial",
        "Dự thảo lần 1 Báo cáo chính trị",
        "duc.nm",
        ("today", -28),
        "done_after_return",
        "Tổ biên tập xây dựng dự thảo lần 1 theo đề cương đã được Ban Thường vụ cho ý kiến; "
        "lấy số liệu từ bảng tổng hợp chỉ tiêu.",
        priority=HIGH,
        depends_on=("outline_political",),
        note="Gửi dự thảo lần 1 (bản .docx) để Tiểu ban cho ý kiến.",
        reason="Bổ sung phân tích nguyên nhân các chỉ tiêu chưa đạt, nhất là thu ngân sách và "
        "giải ngân vốn đầu tư công.",
        span=14,
    ),
    PlanItem(
        "sc_opinion_draft1",
        "standing",
        "Hội nghị Ban Thường vụ Quận ủy cho ý kiến dự thảo lần 1 Báo cáo chính trị",
        "thao.vp",
        ("today", -21),
        "done",
        "Chuẩn bị tài liệu, giấy mời; ghi biên bản và tổng hợp ý kiến của các đồng chí Ủy viên "
        "Ban Thường vụ gửi Tổ biên tập.",
        depends_on=("draft1_political",),
        requires_review=False,
        span=5,
    ),
    PlanItem(
        "draft2_political",
        "editorial",
        "Tiếp thu ý kiến Ban Thường vụ, hoàn thiện dự thảo lần 2 Báo cáo chính trị",
        "duc.nm",
        ("today", -12),
        "done",
        "Tiếp thu đầy đủ ý kiến Ban Thường vụ; bảng giải trình những ý kiến chưa tiếp thu.",
        priority=HIGH,
        depends_on=("sc_opinion_draft1",),
        note="Dự thảo lần 2 kèm bảng tiếp thu, giải trình ý kiến Ban Thường vụ.",
    ),
    PlanItem(
        "consult_grassroots",
        "documents",
        "Gửi dự thảo lần 2 lấy ý kiến góp ý của các chi bộ, đảng bộ cơ sở",
        "mai.ht",
        ("today", -9),
        "done",
        "Gửi văn bản kèm dự thảo tới các đảng bộ phường, đảng bộ, chi bộ cơ sở trực thuộc; "
        "thời hạn gửi ý kiến về Tiểu ban Văn kiện là 15 ngày.",
        depends_on=("draft2_political",),
        requires_review=False,
        span=3,
    ),
    PlanItem(
        "consult_front",
        "documents",
        "Lấy ý kiến góp ý của Ủy ban MTTQ Việt Nam quận, các đoàn thể, cán bộ lão thành "
        "cách mạng và Nhân dân",
        "binh.cx",
        ("today", 7),
        "in_progress",
        "Tổ chức hội nghị lấy ý kiến Mặt trận Tổ quốc, các đoàn thể chính trị - xã hội, cán bộ "
        "lão thành cách mạng; đăng toàn văn dự thảo trên Cổng thông tin điện tử quận để Nhân "
        "dân góp ý.",
        depends_on=("draft2_political",),
    ),
    PlanItem(
        "comment_summary",
        "documents",
        "Tổng hợp, tiếp thu, giải trình ý kiến góp ý vào dự thảo lần 2",
        "mai.ht",
        ("review", -20),
        "todo",
        "Lập bảng tổng hợp theo từng phần, mục của dự thảo: tiếp thu, tiếp thu một phần, không "
        "tiếp thu (có giải trình); báo cáo Tiểu ban.",
        priority=HIGH,
        depends_on=("consult_grassroots", "consult_front"),
        span=7,
    ),
    PlanItem(
        "draft3_political",
        "editorial",
        "Hoàn thiện dự thảo lần 3 Báo cáo chính trị",
        "duc.nm",
        ("review", -14),
        "todo",
        "Hoàn thiện dự thảo trên cơ sở ý kiến góp ý của cơ sở, Mặt trận và Nhân dân; trình "
        "Ban Thường vụ, Ban Chấp hành Đảng bộ quận cho ý kiến trước khi trình Thành ủy.",
        priority=URGENT,
        depends_on=("comment_summary",),
        span=7,
    ),
    PlanItem(
        "review_report_draft",
        "documents",
        "Dự thảo Báo cáo kiểm điểm sự lãnh đạo, chỉ đạo của Ban Chấp hành Đảng bộ quận khóa XXIV",
        "thao.vp",
        ("today", 4),
        "in_review",
        "Dự thảo theo đề cương đã duyệt; gắn với kết quả kiểm điểm hằng năm của tập thể Ban "
        "Thường vụ.",
        priority=HIGH,
        depends_on=("outline_review_report",),
        note="Đã hoàn thành dự thảo, đề nghị Trưởng Tiểu ban cho ý kiến trước khi trình Ban "
        "Thường vụ.",
        span=21,
    ),
    PlanItem(
        "resolution_draft",
        "documents",
        "Xây dựng dự thảo Nghị quyết Đại hội đại biểu Đảng bộ quận lần thứ XXV",
        "lan.dt",
        ("review", -10),
        "todo",
        "Dự thảo Nghị quyết thể hiện mục tiêu, chỉ tiêu, nhiệm vụ trọng tâm, đột phá nhiệm kỳ "
        "2025-2030, thống nhất với dự thảo Báo cáo chính trị.",
        priority=HIGH,
        depends_on=("draft2_political",),
    ),
    PlanItem(
        "superior_drafts",
        "documents",
        "Tổng hợp ý kiến góp ý vào dự thảo văn kiện Đại hội XIV của Đảng và Đại hội Đảng bộ "
        "thành phố lần thứ XVII",
        "anh.ln",
        ("today", -3),
        "in_progress",
        "Một trong bốn nội dung của Đại hội. Tổng hợp ý kiến của các tổ chức cơ sở đảng, gửi "
        "Ban Tuyên giáo Thành ủy theo mẫu hướng dẫn.",
        priority=HIGH,
        span=14,
    ),
    PlanItem(
        "data_update_2025",
        "documents",
        "Cập nhật số liệu ước thực hiện năm 2025 các chỉ tiêu kinh tế - xã hội",
        "anh.ln",
        ("today", 10),
        "blocked",
        "Cập nhật số liệu ước thực hiện cả năm 2025 để hoàn chỉnh phần đánh giá nhiệm kỳ trong "
        "Báo cáo chính trị.",
        depends_on=("targets_data",),
        reason="Chờ Chi cục Thống kê khu vực cung cấp số liệu ước thực hiện cả năm; Văn phòng "
        "đã có văn bản đề nghị.",
    ),
    PlanItem(
        "superior_submit",
        "standing",
        "Trình Ban Thường vụ Thành ủy hồ sơ văn kiện Đại hội",
        "thao.vp",
        ("review", -5),
        "todo",
        "Hồ sơ gồm: dự thảo Báo cáo chính trị, Báo cáo kiểm điểm của Ban Chấp hành, dự thảo "
        "Nghị quyết Đại hội, tờ trình. Theo Chỉ thị 35-CT/TW, Ban Thường vụ Thành ủy cho ý kiến "
        "chậm nhất 45 ngày làm việc trước ngày khai mạc (hạn: {review_due}).",
        priority=URGENT,
        depends_on=("draft3_political", "review_report_draft", "resolution_draft"),
        span=5,
    ),
    PlanItem(
        "superior_review",
        "standing",
        "Ban Thường vụ Thành ủy cho ý kiến về nội dung Đại hội",
        "huong.tt",
        ("review", 0),
        "todo",
        "Báo cáo, tiếp thu ý kiến của Ban Thường vụ Thành ủy về văn kiện và phương án nhân sự; "
        "mốc 45 ngày làm việc trước khai mạc Đại hội ({review_due}).",
        priority=URGENT,
        depends_on=("superior_submit",),
        requires_review=False,
        span=3,
    ),
    PlanItem(
        "action_programme",
        "documents",
        "Xây dựng Chương trình hành động thực hiện Nghị quyết Đại hội",
        "anh.ln",
        ("opening", -20),
        "todo",
        "Cụ thể hóa các nhiệm vụ, giải pháp của Nghị quyết thành đề án, chương trình, phân "
        "công cơ quan chủ trì và lộ trình thực hiện.",
        priority=LOW,
        depends_on=("resolution_draft",),
    ),
    PlanItem(
        "working_rules",
        "documents",
        "Dự thảo Quy chế làm việc và Quy chế bầu cử tại Đại hội",
        "thao.vp",
        ("opening", -15),
        "todo",
        "Theo Quy chế bầu cử trong Đảng và hướng dẫn của Ban Tổ chức Thành ủy; trình Đoàn Chủ "
        "tịch Đại hội.",
    ),
    # Tiểu ban Nhân sự (confidential)
    PlanItem(
        "cadre_review",
        "personnel",
        "Rà soát, đánh giá đội ngũ cán bộ thuộc diện Ban Thường vụ Quận ủy quản lý",
        "hai.lm",
        ("today", -50),
        "done",
        "Đánh giá theo tiêu chuẩn chức danh, kết quả đánh giá, xếp loại hằng năm và quy hoạch "
        "nhiệm kỳ 2025-2030.",
        priority=HIGH,
        note="Đã hoàn thành rà soát; danh sách kèm theo (tài liệu mật).",
        span=21,
    ),
    PlanItem(
        "delegate_allocation",
        "personnel",
        "Phân bổ số lượng đại biểu dự Đại hội cho các đảng bộ, chi bộ cơ sở",
        "khanh.bq",
        ("today", -35),
        "done",
        "Phân bổ theo số lượng đảng viên và tính chất, vị trí của từng tổ chức cơ sở đảng.",
        note="Dự thảo phân bổ đại biểu kèm tờ trình.",
    ),
    PlanItem(
        "personnel_direction",
        "personnel",
        "Xây dựng phương hướng nhân sự Ban Chấp hành khóa XXV (tiêu chuẩn, cơ cấu, số lượng)",
        "khanh.bq",
        ("today", -32),
        "done",
        "Theo hướng dẫn của Trung ương và Thành ủy về tiêu chuẩn, cơ cấu, số lượng cấp ủy; tỷ "
        "lệ cán bộ nữ, cán bộ trẻ.",
        priority=HIGH,
        depends_on=("cadre_review",),
        note="Gửi dự thảo phương hướng nhân sự để Tiểu ban cho ý kiến.",
    ),
    PlanItem(
        "personnel_introduction",
        "personnel",
        "Tổ chức giới thiệu nhân sự tại hội nghị cán bộ chủ chốt và hội nghị Ban Chấp hành",
        "ha.nt",
        ("today", -16),
        "done",
        "Chuẩn bị phiếu giới thiệu, biên bản kiểm phiếu theo quy trình; niêm phong, lưu trữ "
        "theo chế độ mật.",
        depends_on=("personnel_direction",),
        requires_review=False,
        span=7,
    ),
    PlanItem(
        "personnel_plan",
        "personnel",
        "Xây dựng dự thảo Đề án nhân sự Ban Chấp hành Đảng bộ quận khóa XXV",
        "hai.lm",
        ("today", 10),
        "returned",
        "Đề án nhân sự cấp ủy, Ban Thường vụ, Bí thư, Phó Bí thư, Ủy ban Kiểm tra; tài liệu "
        "mật, chỉ thành viên Tiểu ban Nhân sự và Ban Thường vụ được tiếp cận.",
        priority=URGENT,
        depends_on=("personnel_introduction",),
        note="Gửi dự thảo Đề án lần 1 để Trưởng Tiểu ban cho ý kiến.",
        reason="Bổ sung phương án bảo đảm tỷ lệ cán bộ nữ, cán bộ trẻ và cơ cấu theo lĩnh vực "
        "theo hướng dẫn của Trung ương.",
        span=21,
    ),
    PlanItem(
        "background_check",
        "personnel",
        "Thẩm tra, xác minh lý lịch, kê khai tài sản, thu nhập của nhân sự dự kiến",
        "khanh.bq",
        ("today", -2),
        "blocked",
        "Phối hợp Ủy ban Kiểm tra, cơ quan bảo vệ chính trị nội bộ thẩm tra, xác minh; kết "
        "luận tiêu chuẩn chính trị của từng nhân sự.",
        priority=HIGH,
        reason="Chờ Ủy ban Kiểm tra Thành ủy trả lời kết quả xác minh đơn thư liên quan đến 01 "
        "nhân sự dự kiến.",
        span=21,
    ),
    PlanItem(
        "personnel_submit",
        "personnel",
        "Hoàn thiện hồ sơ nhân sự trình Ban Thường vụ Thành ủy",
        "hai.lm",
        ("review", -5),
        "todo",
        "Tờ trình, Đề án nhân sự, kết quả giới thiệu, kết luận tiêu chuẩn chính trị; trình "
        "trước hạn Ban Thường vụ Thành ủy cho ý kiến ({review_due}).",
        priority=URGENT,
        depends_on=("personnel_plan", "background_check"),
        span=5,
    ),
    PlanItem(
        "city_delegates",
        "personnel",
        "Dự kiến nhân sự đoàn đại biểu dự Đại hội Đảng bộ thành phố",
        "ha.nt",
        ("opening", -30),
        "todo",
        "Dự kiến danh sách đại biểu chính thức và dự khuyết theo số lượng Thành ủy phân bổ.",
        depends_on=("personnel_plan",),
    ),
    PlanItem(
        "credentials",
        "personnel",
        "Chuẩn bị Báo cáo thẩm tra tư cách đại biểu",
        "ha.nt",
        ("opening", -4),
        "todo",
        "Tổng hợp kết quả bầu đại biểu ở các tổ chức cơ sở đảng; rà soát tư cách từng đại "
        "biểu để Ban Thẩm tra tư cách báo cáo Đại hội.",
        depends_on=("delegate_allocation",),
    ),
    # Tiểu ban Tổ chức phục vụ Đại hội
    PlanItem(
        "budget",
        "organization",
        "Lập dự toán kinh phí tổ chức Đại hội",
        "son.tv",
        ("today", -30),
        "done_after_return",
        "Dự toán các khoản: hội trường, khánh tiết, in ấn tài liệu, hậu cần, tuyên truyền; trình "
        "Thường trực Quận ủy phê duyệt.",
        note="Gửi dự toán kinh phí (bảng tính kèm theo).",
        reason="Tách riêng chi phí in ấn tài liệu và khánh tiết; đối chiếu định mức chi theo quy "
        "định của thành phố.",
    ),
    PlanItem(
        "event_company",
        "organization",
        "Thuê đơn vị tổ chức sự kiện",
        "son.tv",
        ("today", -20),
        "cancelled",
        "Lựa chọn đơn vị cung cấp dịch vụ tổ chức sự kiện cho phiên khai mạc.",
        priority=LOW,
        reason="Văn phòng Quận ủy tự đảm nhiệm, không thuê đơn vị bên ngoài để tiết kiệm kinh phí.",
    ),
    PlanItem(
        "venue_prep",
        "organization",
        "Khảo sát, chuẩn bị hội trường tại Trung tâm Hội nghị quận Lê Chân",
        "son.tv",
        ("today", -5),
        "in_progress",
        "Kiểm tra sức chứa, hệ thống âm thanh, ánh sáng, màn hình LED, phòng họp các đoàn, khu "
        "vực báo chí; lập danh mục cần sửa chữa, bổ sung.",
        priority=HIGH,
    ),
    PlanItem(
        "security",
        "organization",
        "Phương án bảo đảm an ninh, trật tự, phòng cháy chữa cháy phục vụ Đại hội",
        "quang.dv",
        ("opening", -21),
        "in_review",
        "Bảo vệ khu vực hội trường, phân luồng giao thông, phòng cháy chữa cháy; bảo vệ tài "
        "liệu mật của Đại hội.",
        priority=HIGH,
        note="Đã xây dựng phương án, phối hợp Công an các phường; trình Trưởng Tiểu ban phê duyệt.",
    ),
    PlanItem(
        "decor",
        "organization",
        "Thiết kế, thi công khánh tiết, sân khấu, trang trí hội trường",
        "linh.pt",
        ("opening", -7),
        "todo",
        "Phông sân khấu, khẩu hiệu, cờ, hoa, tượng Bác; trình Tiểu ban duyệt ma-két trước khi "
        "thi công.",
        depends_on=("venue_prep",),
    ),
    PlanItem(
        "print_docs",
        "organization",
        "In ấn văn kiện, tài liệu phát cho đại biểu",
        "son.tv",
        ("opening", -5),
        "todo",
        "In sau khi đã tiếp thu ý kiến của Ban Thường vụ Thành ủy; đóng túi tài liệu theo đoàn. "
        "Tài liệu nhân sự in riêng, đánh số, giao nhận có ký sổ.",
        priority=HIGH,
        depends_on=("superior_review",),
        span=7,
    ),
    PlanItem(
        "logistics",
        "organization",
        "Hậu cần: đón tiếp, ăn nghỉ, y tế, phương tiện đưa đón đại biểu",
        "son.tv",
        ("opening", -3),
        "todo",
        "Bố trí lễ tân, thẻ đại biểu, sơ đồ chỗ ngồi, tổ y tế trực, xe đưa đón các đoàn.",
        requires_review=False,
    ),
    # Tiểu ban Tuyên truyền
    PlanItem(
        "propaganda_plan",
        "propaganda",
        "Xây dựng Kế hoạch tuyên truyền Đại hội đại biểu Đảng bộ quận lần thứ XXV",
        "duc.nm",
        ("today", -45),
        "done",
        "Nội dung, hình thức, lộ trình tuyên truyền trước, trong và sau Đại hội; phân công cơ "
        "quan, đơn vị thực hiện.",
        note="Gửi dự thảo Kế hoạch tuyên truyền để Trưởng Tiểu ban duyệt.",
    ),
    PlanItem(
        "portal_column",
        "propaganda",
        "Mở chuyên mục “Hướng tới Đại hội Đảng bộ quận lần thứ XXV” trên Cổng thông tin "
        "điện tử quận",
        "linh.pt",
        ("today", -25),
        "done_after_block",
        "Đăng tin, bài về thành tựu nhiệm kỳ, các công trình chào mừng và toàn văn dự thảo văn "
        "kiện để Nhân dân góp ý.",
        depends_on=("propaganda_plan",),
        requires_review=False,
        reason="Chờ đơn vị quản trị Cổng thông tin cấp quyền tạo chuyên mục mới.",
    ),
    PlanItem(
        "emulation",
        "propaganda",
        "Phát động thi đua lập thành tích chào mừng Đại hội; tổng hợp công trình, phần việc "
        "chào mừng",
        "binh.cx",
        ("today", 3),
        "in_review",
        "Phối hợp Mặt trận và các đoàn thể phát động thi đua; tổng hợp công trình, phần việc "
        "chào mừng của các phường, cơ quan, đơn vị.",
        depends_on=("propaganda_plan",),
        note="Đã tổng hợp danh sách công trình, phần việc đăng ký chào mừng; gửi đề nghị biểu "
        "dương.",
        span=21,
    ),
    PlanItem(
        "documentary",
        "propaganda",
        "Xây dựng phóng sự tư liệu về thành tựu nhiệm kỳ 2020-2025 của quận",
        "linh.pt",
        ("opening", -8),
        "in_progress",
        "Phóng sự khoảng 15 phút chiếu tại phiên khai mạc; kịch bản trình Tiểu ban duyệt.",
        span=30,
    ),
    PlanItem(
        "banners",
        "propaganda",
        "Treo băng rôn, khẩu hiệu, pa-nô, áp phích chào mừng Đại hội trên các tuyến phố chính",
        "linh.pt",
        ("opening", -14),
        "todo",
        "Nội dung khẩu hiệu theo hướng dẫn của Ban Tuyên giáo Thành ủy; phối hợp Ủy ban nhân "
        "dân các phường thực hiện.",
        depends_on=("propaganda_plan",),
    ),
    PlanItem(
        "rehearsal",
        "steering",
        "Tổng duyệt chương trình, kịch bản điều hành Đại hội",
        "thao.vp",
        ("opening", -1),
        "todo",
        "Tổng duyệt kịch bản các phiên, âm thanh, trình chiếu, lễ tân, vị trí đoàn đại biểu.",
        priority=HIGH,
        depends_on=("decor", "print_docs", "logistics"),
        span=3,
    ),
)
