"""Documents people keep — a CPD record, a workshop summary, a cohort report — typeset for real.

Each document is one Jinja2 template (``course_model/templates/``), autoescaped so whatever a
person typed shows as text, rendered to HTML for the screen and typeset to PDF by WeasyPrint for
keeping: real text flow (long words and long titles wrap inside the margins), fonts embedded,
and the PDF tagged so a screen reader can follow its headings and paragraphs. WeasyPrint needs
Debian's pango, which `make` installs; it is imported only when a PDF is made.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("course_model", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def html(template: str, **context: Any) -> str:
    """The document ``template`` (a file in ``course_model/templates/``) as an HTML page."""
    return TEMPLATES.get_template(template).render(**context)


def pdf(page: str, base: Path | None = None) -> bytes:
    """An HTML page (from :func:`html`, or any self-contained page such as the cohort report)
    as a tagged A4 PDF with its fonts embedded; the page's ``<title>`` becomes the PDF's.
    ``base`` is the folder its relative links (a chart beside it) are found in."""
    from weasyprint import HTML

    return HTML(string=page, base_url=str(base) if base else None).write_pdf(pdf_tags=True)
