"""Smaller copies of the fonts Streamlit loads on every first visit, for the web server to send in their place.

Half of what a first visit transfers, even to Streamlit's own one-line page, is two fonts (docs/performance.md):
the Material Symbols icon font (375 kB, about 4,300 icons, of which a page shows a dozen) and Source Sans (170 kB,
every script it covers). They are already compressed (woff2), so the proxy cannot shrink them; a subset can. This
module writes, under the same file names, copies holding only:

- **Material Symbols**: the icons Streamlit's own front end can ask for (every icon name that appears as a word in
  its JavaScript bundles, a generous superset) and every `:material/<name>:` icon in the app's code. An icon font
  draws an icon by a ligature (the text "expand_more" becomes one glyph), so the ligature table is cut down to
  those icons before the glyphs are subset; an icon missing from the copy would show as its name in letters.
- **Source Sans and Source Code** (st.text): Latin, Latin-1, Latin Extended A and B and Additional (names such as
  Łukasz, Dvořák, Nguyễn), punctuation, currency, arrows and a few mathematical signs. A character outside that
  falls back to the browser's own sans-serif font, character by character, so nothing goes missing.

nginx serves these files in place of Streamlit's (deploy/nginx/snippets/cpb-dash-proxy.conf) and falls back to
Streamlit's own when a copy is absent, so a Streamlit upgrade without a rerun of `python -m cpb_dash web-assets`
costs bytes, never an icon. Run it after installing or upgrading (README, "Deploy").
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from pathlib import Path

ICON_FONT = "MaterialSymbols-Rounded"
TEXT_FONTS = ("SourceSansVF-", "SourceCodeVF-")  # the app draws no serif text (theme font "sans serif")
# Google Fonts' "latin" and "latin-ext" ranges, with Vietnamese's extra letters (U+1E00-1EFF).
TEXT_UNICODES = (
    "U+0000-024F,U+0259,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0300-0308,U+0329,U+1E00-1EFF,U+2000-206F,"
    "U+20A0-20CF,U+2100-215F,U+2190-21FF,U+2212,U+2215,U+2260-2265,U+FEFF,U+FFFD"
)
MATERIAL_IN_CODE = re.compile(r":material/([a-z0-9_]+):")
WORD = re.compile(r"[a-z0-9_]{2,60}")


def streamlit_static() -> Path:
    """Streamlit's built front end (the files its server sends under /static/)."""
    import streamlit

    return Path(streamlit.__file__).parent / "static" / "static"


def fonts_to_subset(static: Path) -> list[Path]:
    """The icon font and the Source fonts among Streamlit's media files (hashed names, e.g.
    MaterialSymbols-Rounded.nEdyypZU.woff2)."""
    media = sorted((static / "media").glob("*.woff2"))
    return [p for p in media if p.name.startswith(ICON_FONT + ".") or p.name.startswith(TEXT_FONTS)]


def icons_in_code(paths: Iterable[Path]) -> set[str]:
    """Every `:material/<name>:` icon named in these Python files."""
    found: set[str] = set()
    for path in paths:
        found |= set(MATERIAL_IN_CODE.findall(path.read_text(encoding="utf-8")))
    return found


def app_sources(root: Path | None = None) -> list[Path]:
    """The app's Python files: the installed package, and app.py and pages/ beside it when run from a checkout
    (or from `root`)."""
    package = Path(__file__).parent
    base = root or package.parent.parent
    return [*package.rglob("*.py"), *base.glob("app.py"), *base.glob("pages/*.py")]


def words_in_front_end(static: Path) -> set[str]:
    """Every lower-case word (letters, digits, underscores) in Streamlit's JavaScript: any icon name it uses."""
    found: set[str] = set()
    for path in (static / "js").glob("*.js"):
        found |= set(WORD.findall(path.read_text(encoding="utf-8", errors="ignore")))
    return found


def _ligature_subtables(font) -> list:
    """The icon font's ligature substitutions (GSUB lookup type 4, directly or inside extension lookups)."""
    out = []
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for table in lookup.SubTable:
            table = table.ExtSubTable if lookup.LookupType == 7 else table
            if table.LookupType == 4:
                out.append(table)
    return out


def icon_names(font) -> dict[str, str]:
    """Icon name -> glyph, read from the font's ligatures."""
    letters = {glyph: chr(code) for code, glyph in font.getBestCmap().items()}
    names: dict[str, str] = {}
    for table in _ligature_subtables(font):
        for first, ligatures in table.ligatures.items():
            for ligature in ligatures:
                name = "".join(letters.get(g, "\0") for g in (first, *ligature.Component))
                names[name] = ligature.LigGlyph
    return names


def subset_icon_font(data: bytes, wanted: set[str]) -> tuple[bytes, set[str]]:
    """The icon font keeping only the icons in `wanted` that it has; returns the font and the names kept."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data))
    names = icon_names(font)
    kept = {name for name in wanted if name in names}
    keep_glyphs = {names[name] for name in kept}
    # Without this the subsetter would keep every ligature whose letters survive: all of them.
    for table in _ligature_subtables(font):
        for first in list(table.ligatures):
            table.ligatures[first] = [lig for lig in table.ligatures[first] if lig.LigGlyph in keep_glyphs]
            if not table.ligatures[first]:
                del table.ligatures[first]
    letters = "".join(sorted({ch for name in kept for ch in name}))
    return _save(font, subset.Options(), glyphs=sorted(keep_glyphs), text=letters), kept


def subset_text_font(data: bytes) -> bytes:
    """A Source font keeping the Latin ranges (TEXT_UNICODES), all its features and its variation axes."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = ["*"]
    return _save(TTFont(io.BytesIO(data)), options, unicodes=subset.parse_unicodes(TEXT_UNICODES))


def _save(font, options, **populate) -> bytes:
    from fontTools import subset

    options.flavor = "woff2"
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(**populate)
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue()


def build(static: Path | None = None, sources: Iterable[Path] | None = None) -> dict[str, bytes]:
    """File name -> subset font, for every font fonts_to_subset finds."""
    static = static or streamlit_static()
    wanted = words_in_front_end(static) | icons_in_code(sources if sources is not None else app_sources())
    out: dict[str, bytes] = {}
    for path in fonts_to_subset(static):
        data = path.read_bytes()
        out[path.name] = (
            subset_icon_font(data, wanted)[0] if path.name.startswith(ICON_FONT) else subset_text_font(data)
        )
    return out


def write(out_dir: Path, fonts: dict[str, bytes]) -> list[Path]:
    """Write the subsets where nginx looks for them: <out_dir>/static/media/<Streamlit's file name>. Copies left
    from an earlier Streamlit version are removed (their hashed names are never asked for again)."""
    media = out_dir / "static" / "media"
    media.mkdir(parents=True, exist_ok=True)
    for old in media.glob("*.woff2"):
        if old.name not in fonts:
            old.unlink()
    written = []
    for name, data in sorted(fonts.items()):
        target = media / name
        partial = target.with_suffix(".part")
        partial.write_bytes(data)
        partial.replace(target)  # nginx never sends a half-written font
        written.append(target)
    return written
