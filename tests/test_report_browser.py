"""The HTML report in a real headless browser (Debian's chromium, installed by .ci/run): the page
renders its plotly charts and tables, the screenshot is not blank, and the Chinese text renders
with an installed CJK font (the family the page names first is installed and covers every CJK
character of the page, so no missing-glyph boxes). Skipped only when chromium is absent outside
CI; under CI=true a missing chromium or CJK font fails."""

from __future__ import annotations

import html
import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from report_company import make_company

IN_CI = os.environ.get("CI") == "true"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def chromium():
    if CHROMIUM is None:
        if IN_CI:
            pytest.fail("CI=true but chromium is not installed: .ci/run installs it (apt-get install chromium fonts-noto-cjk)")
        pytest.skip("chromium not installed (apt-get install chromium fonts-noto-cjk); CI runs this test")
    return CHROMIUM


def _browser(binary: str, *args: str) -> subprocess.CompletedProcess:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--disable-dev-shm-usage",
             "--no-first-run", "--virtual-time-budget=8000"]
    return subprocess.run([binary, *flags, *args], capture_output=True, text=True, timeout=180)


@pytest.fixture(scope="module")
def page(tmp_path_factory, chromium):
    folder = tmp_path_factory.mktemp("report")
    zhidu = make_company(folder, "petrochem,realestate")
    zhidu("report", "2026", "-o", str(folder / "report.html"))
    path = folder / "report.html"
    dom = _browser(chromium, "--dump-dom", path.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    shot = folder / "report.png"
    taken = _browser(chromium, "--window-size=1100,1400", f"--screenshot={shot}", path.as_uri())
    assert taken.returncode == 0 and shot.exists(), taken.stderr[-2000:]
    keep = os.environ.get("ZHIDU_REPORT_SCREENSHOT")  # to look at it: ZHIDU_REPORT_SCREENSHOT=/tmp/report.png
    if keep:
        shutil.copy(shot, keep)
    return path, dom.stdout, shot


def test_the_browser_renders_every_chart_and_table(page):
    path, dom, _shot = page
    source = path.read_text(encoding="utf-8")
    assert "<script src=" not in source and "cdn" not in re.sub(r"<script.*?</script>", "", source, flags=re.S)  # self-contained
    sections = re.findall(r'<section id="section-\d+" class="report-section" data-plugin="(\w+)">', dom)
    assert sections.count("petrochem") == 3 and sections.count("realestate") == 2
    charts = re.findall(r'data-chart-kind="(\w+)"', dom)
    assert sorted(charts) == ["bar", "bar", "bar", "pie", "pie"]
    # plotly ran in the browser: each chart div holds the SVG it drew, with its bars or pie slices.
    assert dom.count('class="main-svg"') >= 2 * len(charts)
    assert dom.count('class="plotly-graph-div js-plotly-plot"') == len(charts)
    assert len(re.findall(r'class="slice"', dom)) >= 5 and len(re.findall(r'class="point"', dom)) >= 5
    assert dom.count('class="report-table"') == len(sections)
    for title in ("客户级别分布", "客户级别变动", "投诉处理时效", "接待与客户归属(按置业顾问)", "佣金分配(按分配对象)"):
        assert f"<h2>{title}</h2>" in dom
    # Every figure's decision ids link to the page's own decision list.
    targets = set(re.findall(r'href="#d(\d+)"', dom))
    rows = set(re.findall(r'<tr id="d(\d+)">', dom))
    assert targets and targets <= rows


def _png_pixels(path: Path) -> tuple[int, int, int, bytes]:
    """Decode an 8-bit RGB(A) non-interlaced PNG (what chromium writes): width, height, bytes per pixel, pixels."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, bytearray(), b""
    while pos < len(data):
        length = struct.unpack(">I", data[pos:pos + 4])[0]
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
    width, height, depth, colour, _c, _f, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
    bpp = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(bytes(idat)), width * bpp
    out, prev = bytearray(), bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif kind == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, prev))
        elif kind == 3:
            for i in range(stride):
                line[i] = (line[i] + ((line[i - bpp] if i >= bpp else 0) + prev[i]) // 2) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a, b, c = (line[i - bpp] if i >= bpp else 0), prev[i], (prev[i - bpp] if i >= bpp else 0)
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        out += line
        prev = line
    return width, height, bpp, bytes(out)


def test_the_screenshot_is_not_blank(page):
    _path, _dom, shot = page
    width, height, bpp, pixels = _png_pixels(shot)
    assert (width, height) == (1100, 1400)
    colours = {pixels[i:i + 3] for i in range(0, len(pixels), bpp * 7)}
    ink = sum(1 for i in range(0, len(pixels), bpp * 7) if sum(pixels[i:i + 3]) < 600)
    assert len(colours) > 50, "a blank or single-colour screenshot"
    assert ink > len(pixels) / (bpp * 7) * 0.01, "almost nothing drawn"


def _visible_text(dom: str) -> str:
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", dom, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def test_chinese_renders_with_an_installed_cjk_font(page):
    path, dom, _shot = page
    from zhidu.core.report_html import CJK_FONT

    fc_list = shutil.which("fc-list")
    if fc_list is None:
        pytest.fail("fontconfig's fc-list is missing although chromium is installed")
    families = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True).stdout
    installed = {name.strip() for line in families.splitlines() for name in line.split(",")}
    assert CJK_FONT in installed, f"no {CJK_FONT}: apt-get install fonts-noto-cjk (fc-list :lang=zh gives {sorted(installed)[:5]})"
    source = path.read_text(encoding="utf-8")
    body_font = re.search(r"body \{ font-family: ([^;]+);", source)
    assert body_font and body_font.group(1).startswith(f'"{CJK_FONT}"')
    assert f'"family":"\\"{CJK_FONT}\\"' in source  # the charts' text too
    # Every CJK character the page shows is in that font: no glyph falls back to a missing-glyph box.
    chars = sorted({ch for ch in _visible_text(dom) if ord(ch) >= 0x2E80})
    assert len(chars) > 100
    pattern = f":family={CJK_FONT}:charset=" + " ".join(f"{ord(ch):x}" for ch in chars)
    covering = subprocess.run([fc_list, pattern, "file"], capture_output=True, text=True).stdout
    assert covering.strip(), f"{CJK_FONT} lacks some of: {''.join(chars)}"
    assert "客户级别分布" in _visible_text(dom)
