"""Documents people keep — a CPD record, a workshop summary, a cohort report — typeset for real.

Each document is one Jinja2 template (``course_model/templates/``), autoescaped so whatever a
person typed shows as text, rendered to HTML for the screen and typeset to PDF by WeasyPrint for
keeping: real text flow (long words and long titles wrap inside the margins), fonts embedded,
and the PDF tagged so a screen reader can follow its headings and paragraphs. WeasyPrint needs
Debian's pango, which `make` installs; it is imported only when a PDF is made.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import Any

import jinja2
import markupsafe

DESIGN = Path(__file__).resolve().parent / "templates" / "govuk-documents.css"


def environment(package: str) -> jinja2.Environment:
    """Templates for documents: ``package``'s own ``templates/`` folder, then this one (the shared
    page rules, ``page.css.j2``), autoescaped. ``design`` in a template is GOV.UK Frontend's CSS
    for documents (:data:`DESIGN`, compiled by `make design-system`), for a ``<style>`` element so
    a document stays one self-contained file; it is read when a template first asks for it."""
    loaders = [jinja2.PackageLoader(p, "templates") for p in dict.fromkeys([package, __package__])]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["design"] = _design
    return env


@functools.cache
def _design() -> markupsafe.Markup:
    # Our own compiled stylesheet, never anything a person typed.
    return markupsafe.Markup(DESIGN.read_text(encoding="utf-8"))  # noqa: S704


TEMPLATES = environment(__package__)


def html(template: str, **context: Any) -> str:
    """The document ``template`` (a file in ``course_model/templates/``) as an HTML page."""
    return TEMPLATES.get_template(template).render(**context)


def pdf(page: str, base: Path | None = None) -> bytes:
    """An HTML page (from :func:`html`, or any self-contained page such as the cohort report)
    as a tagged A4 PDF with its fonts embedded; the page's ``<title>`` becomes the PDF's.
    ``base`` is the folder its relative links (a chart beside it) are found in."""
    from weasyprint import HTML

    # GOV.UK Frontend's screen rules (width media queries, user-select…) are ours and expected to
    # be skipped in print; WeasyPrint says so per rule, which in a kernel reaches the page as red
    # text. Errors (a file it could not read) still show.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    return HTML(string=page, base_url=str(base) if base else None).write_pdf(pdf_tags=True)
