"""Results as printed and as written to benchmarks/RESULTS.md: a section per benchmark, each
with its tables, its goals (met or not, and why) and notes."""

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Goal:
    text: str
    met: bool
    figure: str
    why: str = ""


@dataclass
class Section:
    title: str
    tables: list[tuple[list[str], list[list[str]]]] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    load: str = ""

    def table(self, headers: list[str], rows: list[list]) -> None:
        self.tables.append((headers, [[_cell(c) for c in row] for row in rows]))

    def goal(self, text: str, met: bool, figure: str, why: str = "") -> None:
        self.goals.append(Goal(text, met, figure, why))

    def markdown(self) -> str:
        lines = [f"## {self.title}", ""]
        if self.load:
            lines += [f"Load average when it started: {self.load}.", ""]
        for headers, rows in self.tables:
            lines.append("| " + " | ".join(headers) + " |")
            lines.append("|" + "---|" * len(headers))
            lines += ["| " + " | ".join(row) + " |" for row in rows]
            lines.append("")
        if self.goals:
            lines += ["| goal | measured | met |", "|---|---|---|"]
            for goal in self.goals:
                met = "yes" if goal.met else "**no**"
                lines.append(f"| {goal.text} | {goal.figure} | {met} |")
            lines.append("")
            for goal in self.goals:
                if goal.why:
                    lines.append(f"- *{goal.text}*: {goal.why}")
            if any(goal.why for goal in self.goals):
                lines.append("")
        lines += [f"- {note}" for note in self.notes]
        return "\n".join(lines).rstrip() + "\n"


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:.1f}" if value >= 10 else f"{value:.2f}"
    return str(value).replace("|", "\\|")


def write(path: Path, header: str, sections: list[Section], closing: str = "") -> None:
    """Write the results; a partial run (`--only`) keeps the sections of the benchmarks it
    did not run from the file as it was, each under its number, with the date it was measured."""
    kept = _numbered_sections(path.read_text()) if path.exists() else {}
    for section in sections:
        kept[_number(section.title)] = section.markdown()
    body = "\n".join(kept[n] for n in sorted(kept, key=_order))
    path.write_text(header.rstrip() + "\n\n" + body + closing.rstrip("\n").rstrip() + "\n")


def _number(title: str) -> str:
    return title.split(".", 1)[0].strip()


def _order(number: str) -> tuple[int, str]:
    return (int(number), "") if number.isdecimal() else (10**6, number)


def _numbered_sections(text: str) -> dict[str, str]:
    """The "## N. ..." sections of a results file (not the closing notes)."""
    found: dict[str, str] = {}
    current = None
    for line in text.splitlines(keepends=True):
        if line.startswith("## "):
            number = _number(line[3:])
            current = number if number.isdecimal() else None
            if current:
                found[current] = ""
        if current:
            found[current] += line
    return {n: body.rstrip("\n") + "\n" for n, body in found.items()}
