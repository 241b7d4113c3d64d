"""The fonts the papers are set in, found at run time: nothing third-party lives in this repo.

DejaVu Sans covers Latin and Cyrillic. Debian ships it in `fonts-dejavu-core`.
"""

from __future__ import annotations

from pathlib import Path

FONT_DIRS: tuple[Path, ...] = (Path("/usr/share/fonts/truetype/dejavu"),)
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
FONT_PACKAGE = "fonts-dejavu-core"


class FontMissing(RuntimeError):
    """The fonts are not installed; the message names the package that brings them."""


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
