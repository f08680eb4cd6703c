"""The cut-down fonts nginx sends in place of Streamlit's (cpb_dash.font_subsets, deploy/nginx): what they keep,
read back from the written files with fontTools directly, and where nginx finds them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from cpb_dash import cli, font_subsets
from tests.conftest import ROOT

# Icons Streamlit's own page draws around ours (the sidebar's collapse arrows, an expander's arrow, the running
# indicator's stop, alerts), seen in Chromium on our pages.
STREAMLIT_CHROME = {"keyboard_double_arrow_left", "keyboard_double_arrow_right", "keyboard_arrow_right", "expand_more"}
# Names a councillor may see in commentary or an action's lead, in the Latin scripts the subset keeps.
NAMES = "Łukasz Dvořák, Nguyễn Thị Minh, Zoë Brontë, Şükrü Öztürk, Ærøskøbing: £1,250 – 50% ≥ 10 “quoted” → done"


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, Path]:
    """What the deploy step writes (the README's `python -m cpb_dash web-assets DIR`), by file name."""
    out = tmp_path_factory.mktemp("web")
    assert cli.main(["web-assets", str(out)]) == 0
    return {p.name: p for p in (out / "static" / "media").glob("*.woff2")}


def _path(written: dict[str, Path], prefix: str) -> Path:
    return next(path for name, path in written.items() if name.startswith(prefix))


def _font(written: dict[str, Path], prefix: str) -> TTFont:
    return TTFont(_path(written, prefix))


def _ligature_names(font: TTFont) -> set[str]:
    """The icon names the font draws, spelled out from its ligature table (read here independently)."""
    letters = {glyph: chr(code) for code, glyph in font.getBestCmap().items()}
    names = set()
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for table in lookup.SubTable:
            table = getattr(table, "ExtSubTable", table)
            for first, ligatures in getattr(table, "ligatures", {}).items():
                names |= {letters[first] + "".join(letters[g] for g in lig.Component) for lig in ligatures}
    return names


def test_the_icon_font_keeps_every_icon_the_app_names_and_streamlit_s_own_and_is_a_fifth_of_the_size(written):
    icon = _font(written, "MaterialSymbols-Rounded")
    kept = _ligature_names(icon)
    in_code = set()
    for path in [ROOT / "app.py", *ROOT.glob("pages/*.py"), *(ROOT / "src" / "cpb_dash").rglob("*.py")]:
        in_code |= set(re.findall(r":material/([a-z0-9_]+):", path.read_text()))
    assert {"dashboard", "upload_file", "info", "checklist"} <= in_code  # the sidebar's icons (ui/layout.py)
    assert in_code | STREAMLIT_CHROME <= kept
    assert "android_cell_dual_4_bar_alert" not in kept  # one of the thousands no page shows
    original = next(p for p in font_subsets.fonts_to_subset(font_subsets.streamlit_static()) if "Material" in p.name)
    assert _path(written, "MaterialSymbols-Rounded").stat().st_size < original.stat().st_size / 4


def test_the_text_fonts_keep_latin_names_and_signs_with_their_weights(written):
    for prefix in ("SourceSansVF-Upright", "SourceSansVF-Italic", "SourceCodeVF-Upright"):
        font = _font(written, prefix)
        cmap = font.getBestCmap()
        missing = {ch for ch in NAMES if ord(ch) not in cmap}
        assert missing == set(), (prefix, missing)
        assert all(ord(ch) in cmap for ch in map(chr, range(0x20, 0x7F)))
        assert ord("Ж") not in cmap  # Cyrillic falls back to the browser's own font, letter by letter
        assert "fvar" in font and {a.axisTag for a in font["fvar"].axes} == {"wght"}  # every weight still drawn


def test_nginx_s_font_location_matches_every_font_written_and_nothing_else(written):
    snippet = (ROOT / "deploy" / "nginx" / "snippets" / "cpb-dash-proxy.conf").read_text()
    pattern = re.search(r'location ~ "(\^/static/media/\(MaterialSymbols[^"]+)"', snippet).group(1)
    for name in written:
        assert re.fullmatch(pattern, f"/static/media/{name}"), name
    for other in ("KaTeX_Main-Regular.B22Nviop.woff2", "SourceSerifVariable-Roman.ttf.mdpVL9bi.woff2"):
        assert not re.fullmatch(pattern, f"/static/media/{other}")
    assert "root /opt/cpb-dash/build/web;" in snippet  # where the README's deploy steps write them


def test_writing_again_replaces_the_copies_and_removes_a_stale_one(tmp_path):
    media = tmp_path / "static" / "media"
    media.mkdir(parents=True)
    (media / "MaterialSymbols-Rounded.OLDHASH1.woff2").write_bytes(b"from an earlier Streamlit")
    written = font_subsets.write(tmp_path, {"MaterialSymbols-Rounded.NEWHASH2.woff2": b"font"})
    assert [p.name for p in written] == ["MaterialSymbols-Rounded.NEWHASH2.woff2"]
    assert sorted(p.name for p in media.iterdir()) == ["MaterialSymbols-Rounded.NEWHASH2.woff2"]
