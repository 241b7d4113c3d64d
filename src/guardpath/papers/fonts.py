"""The fonts the papers are set in, found at run time: nothing third-party lives in this repo.

DejaVu Sans sets the papers: Latin, Greek, Cyrillic, Armenian, Georgian, Hebrew and Arabic.
Debian ships it in `fonts-dejavu-core`. A character it lacks (a Chinese, Japanese or Korean
name, say) is set in the first fallback font that has it: Droid Sans Fallback
(`fonts-droid-fallback`) for Han, kana and Hangul, else any Noto Sans of `fonts-noto-core`
that is installed. Text is shaped by HarfBuzz (fpdf2's text shaping, with uharfbuzz), which
joins Arabic letters and sets Arabic and Hebrew right to left.

A character no installed font has is refused before anything is drawn (`ScriptUnsupported`,
naming the script, never the text), so nothing is dropped silently, and no font warning can
carry a name into a log.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from fontTools import unicodedata as scripts  # type: ignore[import-untyped]
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

FONT_DIRS: tuple[Path, ...] = (Path("/usr/share/fonts/truetype/dejavu"),)
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
FONT_PACKAGE = "fonts-dejavu-core"
FALLBACK_FILES: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
)
"""Fallback fonts, in order of preference; then the Noto Sans fonts of NOTO_DIRS."""
NOTO_DIRS: tuple[Path, ...] = (Path("/usr/share/fonts/truetype/noto"),)
EAST_ASIAN = {"Hani", "Hira", "Kana", "Hang", "Bopo"}
IGNORED = {"Cc", "Cf", "Zs", "Zl", "Zp"}
"""Controls, format marks (e.g. direction marks) and spaces: shaped, never looked up."""


class FontMissing(RuntimeError):
    """The fonts are not installed; the message names the package that brings them."""


class ScriptUnsupported(FontMissing):
    """No installed font has a character of the text; the message names its script."""

    def __init__(self, script: str) -> None:
        package = "fonts-droid-fallback" if script in EAST_ASIAN else "fonts-noto-core"
        name = scripts.script_name(script, default=script)
        super().__init__(
            f"the PDF papers cannot set the {name} script: no installed font has it; "
            f"install Debian's {package} (apt-get install {package}) and try again"
        )
        self.script = name
        self.package = package


def font_files(dirs: tuple[Path, ...] | None = None) -> dict[str, Path]:
    """Style ("" or "B") to the font file, from the first folder that has them all."""
    for folder in FONT_DIRS if dirs is None else dirs:
        found = {style: folder / name for style, name in FONT_FILES.items()}
        if all(path.is_file() for path in found.values()):
            return found
    wanted = ", ".join(FONT_FILES.values())
    raise FontMissing(
        f"the PDF papers need the DejaVu Sans fonts ({wanted}); install Debian's "
        f"{FONT_PACKAGE} (apt-get install {FONT_PACKAGE})"
    )


@cache
def characters(path: Path) -> frozenset[int]:
    """The code points a font file has glyphs for."""
    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap() or ())


def _fallbacks() -> Iterator[Path]:
    yield from (path for path in FALLBACK_FILES if path.is_file())
    for folder in NOTO_DIRS:
        yield from sorted(folder.glob("NotoSans*-Regular.ttf"))


def needs_no_glyph(char: str) -> bool:
    return unicodedata.category(char) in IGNORED


def fallback_for(char: str) -> Path:
    """The first fallback font that has `char`, else ScriptUnsupported naming its script."""
    for path in _fallbacks():
        if ord(char) in characters(path):
            return path
    raise ScriptUnsupported(scripts.script(char))
