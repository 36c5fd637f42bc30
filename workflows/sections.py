"""A draft's text cut into sections at its headings, for comments by section.

The extracted text of a version is one paragraph a line (workflows.uploads), without the Word
styles, so headings are recognised by how Vietnamese congress documents number them:

- level 1: "Phần thứ nhất", "PHẦN THỨ HAI", "Phần I", "Chương II" (always a heading);
- level 2: "I.", "II.", "IV." (Roman numerals);
- level 3: "1.", "2.", "12.";
- Markdown headings ("#", "##"...) of .md drafts, at their own level.

A numbered line is a heading only if it reads as one: short (at most HEADING_MAX characters)
and not ending like a sentence ("." or ";"), so the items of a numbered list of targets stay
in their section. The text before the first heading (the title of the report) is a section of
its own, named by its first line. One section per heading; a section's `reference` is what a
comment on it records: its heading, or, where the same heading comes twice (a "1. Về kinh tế"
under each part), the number of the part above it and its own ("Phần thứ hai, 1. Về kinh
tế").
"""

import re
from dataclasses import dataclass, field

HEADING_MAX = 200
REFERENCE_MAX = 255  # Comment.section

_PART = re.compile(r"^(phần|chương)\s+(thứ\s+\w+|[ivxlc]+|\d{1,2})\b", re.IGNORECASE | re.UNICODE)
_ROMAN = re.compile(r"^[IVXLC]{1,6}\.\s+\S")
_ARABIC = re.compile(r"^\d{1,2}\.\s+\S")
_MARKDOWN = re.compile(r"^(#{1,6})\s+(\S.*)$")


@dataclass
class Section:
    index: int
    heading: str
    level: int
    lines: list[str] = field(default_factory=list)
    parent: "Section | None" = None
    reference: str = ""

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def heading_level(line: str) -> tuple[int, str] | None:
    """(level, heading text) if the line is a heading, else None."""
    markdown = _MARKDOWN.match(line)
    if markdown:
        return len(markdown.group(1)), markdown.group(2).strip()
    if _PART.match(line) and len(line) <= REFERENCE_MAX:
        return 1, line
    reads_as_heading = len(line) <= HEADING_MAX and not line.endswith((".", ";"))
    if reads_as_heading and _ROMAN.match(line):
        return 2, line
    if reads_as_heading and _ARABIC.match(line):
        return 3, line
    return None


def label(heading: str) -> str:
    """How a heading is named from below: its number ("Phần thứ nhất", "I", "2")."""
    part = _PART.match(heading)
    if part:
        return part.group(0)
    number = re.match(r"^([IVXLC]{1,6}|\d{1,2})\.\s", heading)
    return number.group(1) if number else heading


def sections_of(text: str) -> list[Section]:
    """The sections of a draft's text, in document order."""
    sections: list[Section] = []
    open_by_level: list[Section] = []  # the current heading of each level above
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        found = heading_level(line)
        if found is None:
            if not sections:
                sections.append(Section(index=0, heading=line, level=0))
            else:
                sections[-1].lines.append(line)
            continue
        level, heading = found
        while open_by_level and open_by_level[-1].level >= level:
            open_by_level.pop()
        section = Section(
            index=len(sections),
            heading=heading,
            level=level,
            parent=open_by_level[-1] if open_by_level else None,
        )
        sections.append(section)
        open_by_level.append(section)
    _name(sections)
    return sections


def _name(sections: list[Section]) -> None:
    """Each section's reference: its heading, prefixed by the headings above it only as far
    as needed to tell it from another section with the same heading."""
    depth = {section.index: 0 for section in sections}
    for section in sections:
        section.reference = section.heading
    while True:
        seen: dict[str, list[Section]] = {}
        for section in sections:
            seen.setdefault(section.reference, []).append(section)
        clashes = [s for group in seen.values() if len(group) > 1 for s in group]
        if not clashes:
            break
        for section in clashes:
            depth[section.index] += 1
            section.reference = _reference(section, depth[section.index])
    for section in sections:
        section.reference = section.reference[:REFERENCE_MAX]


def _reference(section: Section, depth: int) -> str:
    above, current = [], section.parent
    while current is not None and len(above) < depth:
        above.append(label(current.heading))
        current = current.parent
    if len(above) < depth:
        # Nothing above tells them apart (one heading twice in one part): their order does.
        return f"{section.heading} ({section.index + 1})"
    return ", ".join([*reversed(above), section.heading])
