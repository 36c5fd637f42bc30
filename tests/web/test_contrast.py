"""Every text colour of the stylesheet against the background it is shown on reaches WCAG AA
(4.5:1), the status pills included: the custom properties are resolved, a rule's own
background is used when it has one, the header's red for what sits in the header, and both
the page's grey and the cards' white otherwise. Print rules are left out (black on white)."""

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[2] / "workflows" / "static" / "web" / "css" / "app.css"
AA = 4.5
# Where a rule without a background of its own is shown: the header and its congress bar.
ON_HEADER = (
    ".site-header",
    ".brand",
    ".main-nav",
    ".bell",
    ".live-words",
    ".tools",
    ".header-search",
)
ON_CONGRESS_BAR = (".congress-bar", ".congress-dates")


def _without_print(css: str) -> str:
    out, i = [], 0
    for match in re.finditer(r"@media print\s*\{", css):
        if match.start() < i:
            continue
        out.append(css[i : match.start()])
        depth, j = 1, match.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(css[j], 0)
            j += 1
        i = j
    out.append(css[i:])
    return "".join(out)


def stylesheet() -> tuple[dict, list[tuple[str, dict]]]:
    css = re.sub(r"/\*.*?\*/", "", CSS.read_text(), flags=re.S)
    root = css[css.index(":root") :]
    variables = dict(re.findall(r"--([\w-]+):\s*([^;]+);", root[: root.index("}")]))
    rules = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", _without_print(css)):
        declarations = dict(re.findall(r"([\w-]+)\s*:\s*([^;]+)", body))
        rules.append((" ".join(selector.split()), {k: v.strip() for k, v in declarations.items()}))
    return variables, rules


def colour(value: str, variables: dict, under=(255, 255, 255)):
    """An sRGB triple (an rgba() blended over `under`), or None for what is not a colour."""
    value = value.replace("!important", "").strip()
    while (var := re.fullmatch(r"var\(--([\w-]+)\)", value)) is not None:
        value = variables[var.group(1)].strip()
    value = value.split()[0] if value.startswith("#") else value
    if re.fullmatch(r"#[0-9a-fA-F]{3}", value):
        value = "#" + "".join(ch * 2 for ch in value[1:])
    if re.fullmatch(r"#[0-9a-fA-F]{6}", value):
        return tuple(int(value[i : i + 2], 16) for i in (1, 3, 5))
    rgba = re.fullmatch(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)", value)
    if rgba:
        alpha = float(rgba.group(4) or 1)
        rgb = [float(x) for x in rgba.groups()[:3]]
        return tuple(round(c * alpha + u * (1 - alpha)) for c, u in zip(rgb, under, strict=True))
    return {"white": (255, 255, 255), "black": (0, 0, 0)}.get(value)


def luminance(rgb) -> float:
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = map(channel, rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def pairs():
    variables, rules = stylesheet()
    page = [colour(variables["bg"], variables), colour(variables["card"], variables)]
    header = colour(variables["red"], variables)
    congress_bar = colour(variables["red-dark"], variables)
    for selector, declarations in rules:
        text = declarations.get("color")
        if text is None or text in ("inherit", "currentColor", "transparent"):
            continue
        if any(s in selector for s in ON_CONGRESS_BAR):
            behind = [congress_bar]
        elif any(s in selector for s in ON_HEADER):
            behind = [header]
        else:
            behind = page
        background = declarations.get("background-color") or declarations.get("background")
        if background and colour(background, variables, behind[0]) is not None:
            behind = [colour(background, variables, under) for under in behind]
        for under in behind:
            yield selector, colour(text, variables, under), under


def test_the_stylesheet_is_read_whole():
    found = list(pairs())
    selectors = {selector for selector, *_ in found}
    assert len(found) > 60
    assert any("status-in_review" in s for s in selectors)
    assert any("status-cancelled" in s for s in selectors)
    assert ".congress-dates" in selectors and ".main-nav a" in selectors
    assert all(fg is not None for _, fg, _ in found), [s for s, fg, _ in found if fg is None]


@pytest.mark.parametrize("selector,text,background", list(pairs()), ids=lambda v: str(v))
def test_text_contrast_reaches_wcag_aa(selector, text, background):
    assert contrast(text, background) >= AA, (
        f"{selector}: {contrast(text, background):.2f}:1 for {text} on {background}"
    )


def test_the_contrast_formula():
    assert round(contrast((0, 0, 0), (255, 255, 255)), 1) == 21.0
    assert round(contrast((0x76, 0x76, 0x76), (255, 255, 255)), 2) == 4.54


@pytest.mark.parametrize("path", sorted(CSS.parent.glob("*.css")), ids=lambda p: p.name)
def test_every_block_of_the_stylesheets_is_closed(path):
    # A block left open (a merge that kept one of two identical closing lines) silently puts
    # every later rule inside the media query above it.
    css = re.sub(r"/\*.*?\*/", "", path.read_text(), flags=re.S)
    depth = 0
    for number, line in enumerate(css.splitlines(), 1):
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"{path.name}: a closing brace too many at line {number}"
    assert depth == 0, f"{path.name}: {depth} block(s) left open"
