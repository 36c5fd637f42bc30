"""What reading an upload and diffing two versions cost: time and peak memory of
`uploads.check_upload` on a realistic 60-page political report and on zip bombs, and the time of
`diff.diff_texts` on 8,000-paragraph versions. No database, no server.

    .venv/bin/python -m benchmarks.bench_upload_diff

Each upload is read in a fresh process, so that its peak resident memory is its own.
"""

import io
import os
import random
import resource
import subprocess
import sys
import time
import zipfile

_VOCABULARY = (
    "Đảng bộ quận Lê Chân lãnh đạo thực hiện thắng lợi nghị quyết đại hội tăng trưởng kinh tế "
    "bình quân đạt vượt chỉ tiêu xây dựng chỉnh đốn hệ thống chính trị trong sạch vững mạnh "
    "phát triển đô thị văn minh hiện đại chuyển đổi số cải cách hành chính an sinh xã hội "
    "quốc phòng an ninh được giữ vững nhân dân tin tưởng thu ngân sách vượt dự toán"
)
WORDS = _VOCABULARY.split()


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def political_report(pages: int = 60, seed: int = 1) -> bytes:
    """A report the way Word writes one: a run every few words (edits, spell-check marks),
    each with its own fonts and language, rsids, justified paragraphs, tables of targets."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    rng = random.Random(seed)
    word = Document()
    word.sections[0].header.paragraphs[0].text = "Dự thảo Báo cáo chính trị - Đại hội XXV"
    word.add_heading("BÁO CÁO CHÍNH TRỊ CỦA BAN CHẤP HÀNH ĐẢNG BỘ QUẬN KHÓA XXIV", 0)

    def rsid(element):
        for name in ("w:rsidR", "w:rsidRPr", "w:rsidRDefault", "w:rsidP"):
            element.set(qn(name), f"{rng.getrandbits(32):08X}")

    def run(paragraph, text, bold=False):
        r = paragraph.add_run(text)
        r.bold, r.font.size, r.font.name = bold, Pt(14), "Times New Roman"
        properties = r._r.get_or_add_rPr()
        properties.find(qn("w:rFonts")).set(qn("w:cs"), "Times New Roman")
        for tag, value in (("w:szCs", "28"), ("w:lang", "vi-VN")):
            extra = OxmlElement(tag)
            extra.set(qn("w:val"), value)
            properties.append(extra)
        rsid(r._r)

    for page in range(pages):
        if page % 6 == 0:
            word.add_heading(f"Phần {page // 6 + 1}. Đánh giá kết quả", 1)
        word.add_heading(f"{page + 1}. Về lĩnh vực {rng.choice(WORDS)}", 2)
        for _ in range(5):
            paragraph = word.add_paragraph()
            rsid(paragraph._p)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            paragraph.paragraph_format.first_line_indent = Cm(1.27)
            words, i = _sentence(rng, 72).split(), 0
            while i < len(words):
                n = rng.randint(2, 8)
                run(paragraph, " ".join(words[i : i + n]) + " ", bold=i == 0)
                i += n
        if page % 5 == 0:
            table = word.add_table(rows=8, cols=5)
            for r in range(8):
                for c in range(5):
                    cell = table.cell(r, c).paragraphs[0]
                    run(cell, f"{rng.randint(1, 999)},{rng.randint(0, 9)}%" if c else "Chỉ tiêu")
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def bomb(paragraphs: int = 300_000, varied: bool = False) -> bytes:
    """A small .docx holding `paragraphs` one-word paragraphs (the same word: 66 KB; a
    different word each: 0.6 MB, which no compression ratio check notices)."""
    rng = random.Random(2)
    source = zipfile.ZipFile(io.BytesIO(political_report(1)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in source.namelist():
            data = source.read(name)
            if name == "word/document.xml":
                head = data.partition(b"<w:body>")[0]
                body = b"".join(
                    b"<w:p><w:r><w:t>%s</w:t></w:r></w:p>"
                    % (rng.choice(WORDS).encode() if varied else b"a")
                    for _ in range(paragraphs)
                )
                data = head + b"<w:body>" + body + b"</w:body></w:document>"
            archive.writestr(name, data)
    return buffer.getvalue()


def _read_one(path: str) -> None:
    """In the child process: read one file as an upload, print time and memory."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from workflows import uploads

    with open(path, "rb") as handle:
        data = handle.read()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    try:
        checked = uploads.check_upload(SimpleUploadedFile("a.docx", data))
        outcome = f"accepted, {len(checked.text):,} characters"
    except Exception as error:  # the refusal is the outcome
        outcome = f"refused: {getattr(error, 'message', error)}"
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"{seconds:.2f} s, peak RSS {peak / 1024:.0f} MiB ({before / 1024:.0f} MiB before "
        f"reading), {outcome}"
    )


def _unpacked(data: bytes) -> int:
    return sum(m.file_size for m in zipfile.ZipFile(io.BytesIO(data)).infolist())


def uploads_section(folder: str) -> None:
    files = {
        "60-page report": political_report(60),
        "120-page report": political_report(120),
        "bomb, 300,000 paragraphs": bomb(),
        "bomb, 300,000 varied paragraphs": bomb(varied=True),
    }
    for label, data in files.items():
        path = os.path.join(folder, label.replace(" ", "_").replace(",", "") + ".docx")
        with open(path, "wb") as handle:
            handle.write(data)
        result = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_upload_diff", "--read", path],
            capture_output=True,
            text=True,
        )
        size = f"{len(data) / 1024:,.0f} KB, unpacks to {_unpacked(data) / 2**20:.1f} MB"
        print(f"{label} ({size}): {result.stdout.strip() or result.stderr[-300:]}")


def _versions(rng: random.Random, n: int, words: tuple[int, int], change: float):
    old = [_sentence(rng, rng.randint(*words)) for _ in range(n)]
    new = []
    for line in old:
        r = rng.random()
        if r < change / 3:
            continue
        new.append(line.replace("đạt", "vượt", 1) if r < 2 * change / 3 else line)
        if 2 * change / 3 <= r < change:
            new.append(_sentence(rng, 20))
    return old, new


def _shuffled_blocks(rng: random.Random, old: list[str]) -> list[str]:
    new = []
    for start in range(0, len(old), 200):
        block = [line.replace(" ", " mới ", 1) for line in old[start : start + 199]]
        rng.shuffle(block)
        new += [*block, *old[start + 199 : start + 200]]
    return new


def diff_section() -> None:
    from workflows import diff

    rng = random.Random(3)
    pool = [_sentence(rng, 6) for _ in range(20)] + [""]
    cases = {
        "5% of paragraphs edited": _versions(rng, 8000, (8, 40), 0.05),
        "every paragraph reworded": (
            old := [_sentence(rng, rng.randint(8, 16)) for _ in range(8000)],
            [line.replace(" ", " mới ", 1) for line in old],
        ),
        "reworded, one paragraph in 200 kept": (
            old := [_sentence(rng, rng.randint(8, 16)) for _ in range(8000)],
            [
                line if i % 200 == 199 else line.replace(" ", " mới ", 1)
                for i, line in enumerate(old)
            ],
        ),
        "the same, shuffled within each 200": (old, _shuffled_blocks(rng, old)),
        "nothing in common": (
            [_sentence(rng, 20) for _ in range(8000)],
            [_sentence(rng, 20) for _ in range(8000)],
        ),
        "20 lines repeated in any order": (
            [rng.choice(pool) for _ in range(8000)],
            [rng.choice(pool) for _ in range(8000)],
        ),
    }
    for label, (old, new) in cases.items():
        a, b = "\n".join(old), "\n".join(new)
        start, cpu = time.perf_counter(), time.process_time()
        result = diff.diff_texts(a, b)
        html = diff.diff_html(result)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        shown = "too large" if result.get("too_large") else result["stats"]
        print(
            f"{label} ({len(old):,} / {len(new):,} paragraphs, {len(a) + len(b):,} chars): "
            f"{seconds:.2f} s ({cpu:.2f} s CPU) with the HTML ({len(html) / 2**20:.1f} MB), {shown}"
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--read"]:
        _read_one(sys.argv[2])
    else:
        import tempfile

        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        django.setup()
        with tempfile.TemporaryDirectory() as folder:
            uploads_section(folder)
        diff_section()
