"""Small HTML building blocks for the report. Every piece of text goes through :func:`esc`."""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Iterable, Sequence
from typing import Any

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Arial, sans-serif; margin: 2rem auto;
       max-width: 1150px; padding: 0 1rem; color: #1b1b1b; line-height: 1.45; }
h1 { font-size: 1.8rem; margin-bottom: 0.2rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ccc; }
h3 { margin-bottom: 0.3rem; }
table { border-collapse: collapse; margin: 0.6rem 0 1rem; font-size: 0.9rem; }
th, td { border: 1px solid #d0d0d0; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f1f3f5; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 0.5rem 0 1.5rem; } figure img { max-width: 100%; height: auto; }
figcaption { font-size: 0.85rem; color: #444; } .note { font-size: 0.9rem; color: #333; }
details { margin: 0.5rem 0 1rem; } summary { cursor: pointer; font-weight: 600; }
nav a { margin-right: 0.8rem; } code { background: #f4f4f4; padding: 0 0.2rem; }
p.question { font-size: 1.15rem; font-weight: 600; }
ul.answer li { margin-bottom: 0.5rem; } p.warning { background: #fff4e5; border-left: 4px solid #e8a33d;
       padding: 0.4rem 0.6rem; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  nav { display: none; }
  h2 { break-after: avoid; } figure, tr, li { break-inside: avoid; }
  table { font-size: 8pt; } a { color: inherit; text-decoration: none; }
  /* collapsed blocks print in full (Chromium 131+, Firefox 143+ support ::details-content) */
  details::details-content { content-visibility: visible; display: contents; }
  summary { list-style: none; }
}
"""


DASH = "–"


def esc(value: Any) -> str:
    """HTML-escape any value's text (quotes included)."""
    return html.escape(str(value), quote=True)


def number(value: Any, unit: str = "", whole: bool = True) -> str:
    """A readable number: thousands separators, a few significant digits, ``–`` for missing.

    A whole number is shown without decimals when ``whole`` (counts); estimates (means, bounds)
    pass ``whole=False``, so that a mean of exactly 2 reads ``2.00`` beside ``1.37 to 2.63``.
    """
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value) if value not in (None, "") else DASH
    if math.isnan(x):
        return DASH
    if unit == "GBP":
        from sim.analysis.formats import money

        return money(x)
    if x != 0 and abs(x) < 0.01:
        return f"{x:.2e}"
    if (whole and float(x).is_integer()) or abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:.1f}" if abs(x) >= 10 else f"{x:.2f}" if abs(x) >= 1 else f"{x:.3f}"


def estimate(value: Any, unit: str = "") -> str:
    """:func:`number` of an estimate (a mean, a bound): the same digits whether or not it is whole."""
    return number(value, unit, whole=False)


def interval(low: Any, high: Any, unit: str = "") -> str:
    """``low to high`` (estimates), or ``–`` when undefined."""
    if any(isinstance(v, float) and math.isnan(v) for v in (low, high)):
        return DASH
    return f"{estimate(low, unit)} to {estimate(high, unit)}"


def table(
    columns: Sequence[str], rows: Iterable[Sequence[Any]], numeric: Sequence[bool] | None = None
) -> str:
    """A table with escaped header and cells; ``numeric`` right-aligns columns."""
    align = list(numeric) if numeric is not None else [False] * len(columns)
    head = "".join(f"<th>{esc(c)}</th>" for c in columns)
    body = []
    for row in rows:
        cells = "".join(
            f'<td class="num">{esc(v)}</td>' if align[i] else f"<td>{esc(v)}</td>"
            for i, v in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def png_image(data: bytes, alt: str) -> str:
    """An ``<img>`` embedding PNG bytes as a base64 data URI (the report is one file)."""
    encoded = base64.b64encode(data).decode("ascii")
    return f'<img src="data:image/png;base64,{encoded}" alt="{esc(alt)}">'


def figure(image_html: str, caption: str) -> str:
    """A figure with an escaped caption."""
    return f"<figure>{image_html}<figcaption>{esc(caption)}</figcaption></figure>"


def details(summary: str, body_html: str) -> str:
    """A collapsible block."""
    return f"<details><summary>{esc(summary)}</summary>{body_html}</details>"


def paragraph(text: str, css: str = "") -> str:
    """An escaped paragraph."""
    attr = f' class="{esc(css)}"' if css else ""
    return f"<p{attr}>{esc(text)}</p>"


def section(anchor: str, title: str, body_html: str) -> str:
    """A titled section with an anchor for the table of contents."""
    return f'<section id="{esc(anchor)}"><h2>{esc(title)}</h2>{body_html}</section>'


def page(title: str, body_html: str, contents: Sequence[tuple[str, str]] = ()) -> str:
    """A complete HTML5 document with inline CSS and an optional table of contents."""
    nav = " ".join(f'<a href="#{esc(a)}">{esc(t)}</a>' for a, t in contents)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"{'<nav>' + nav + '</nav>' if nav else ''}\n{body_html}\n</body>\n</html>\n"
    )
