"""Reading a PDF back as people's applications do: poppler's command-line tools (Debian's
poppler-utils, which `make test` installs), and its words in order for comparing with what was
written."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path


def poppler(tool: str, *args: str | Path) -> str:
    """What a poppler command (``pdftotext``, ``pdfinfo``, ``pdffonts``, …) prints."""
    return subprocess.run(
        [tool, *map(str, args)], capture_output=True, text=True, check=True, encoding="utf-8"
    ).stdout


def words(text: str) -> list[str]:
    """``text``'s words in order, without the pages' footers ("Page 2 of 5")."""
    return re.sub(r"Page \d+ of \d+", " ", text).split()


def contains(haystack: list[str], needle: list[str]) -> bool:
    """Whether the words ``needle`` occur in ``haystack``, in order and unbroken, every
    character kept: compared without the spaces, because a word too long for its line (a
    pasted address) is broken across lines, where ``pdftotext`` sees two words."""
    return "".join(needle) in "".join(haystack)


def pdf_words(pdf: Path) -> list[str]:
    """The words of ``pdf`` in reading order, as ``pdftotext`` extracts them."""
    return words(poppler("pdftotext", pdf, "-"))


def is_tagged(pdf: Path) -> bool:
    """Whether ``pdfinfo`` reports ``pdf`` tagged (structure a screen reader can follow)."""
    return re.search(r"^Tagged:\s+yes$", poppler("pdfinfo", pdf), re.M) is not None
