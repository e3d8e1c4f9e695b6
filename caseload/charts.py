"""Server-rendered SVG charts, so the page and the PDF show the same picture without scripts."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from caseload.models import Rating

WIDTH, HEIGHT, PAD = 320, 140, 28
# Colour and dash pattern both differ, so the lines stay apart without colour vision.
SERIES = [
    ("knowledge", "Knowledge", "#1d70b8", ""),
    ("behaviour", "Behaviour", "#00703c", "6 3"),
    ("status", "Status", "#d4351c", "2 3"),
]


def kbs_chart(ratings: Sequence[Rating], *, title: str) -> SafeString:
    """Draw each KBS concept's history as a line on the 1–5 scale."""
    if not ratings:
        return mark_safe("")  # noqa: S308 - constant
    n = len(ratings)
    plot_w, plot_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD

    def x(i: int) -> float:
        return PAD + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(score: int) -> float:
        return PAD + plot_h * (5 - score) / 4

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT + 20}" '
        f'class="patch-chart" font-family="system-ui, sans-serif" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for score in range(1, 6):
        parts.append(
            f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{y(score)}" y2="{y(score)}" stroke="#b1b4b6" '
            f'stroke-width="1"/><text x="{PAD - 8}" y="{y(score) + 4}" font-size="11" '
            f'text-anchor="end" fill="#0b0c0c">{score}</text>'
        )
    for field, _label, colour, dash in SERIES:
        points = " ".join(f"{x(i):.1f},{y(getattr(r, field)):.1f}" for i, r in enumerate(ratings))
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" '
            f'stroke-width="3"{dash_attr}/>'
        )
        for i, r in enumerate(ratings):
            parts.append(
                f'<circle cx="{x(i):.1f}" cy="{y(getattr(r, field)):.1f}" r="3" fill="{colour}"/>'
            )
    for i, (_field, label, colour, dash) in enumerate(SERIES):
        lx = PAD + i * 95
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{lx}" x2="{lx + 20}" y1="{HEIGHT + 8}" y2="{HEIGHT + 8}" stroke="{colour}" '
            f'stroke-width="3"{dash_attr}/><text x="{lx + 25}" y="{HEIGHT + 12}" font-size="11" '
            f'fill="#0b0c0c">{label}</text>'
        )
    first, last = ratings[0].rated_at, ratings[-1].rated_at
    parts.append(
        format_html(
            '<text x="{}" y="{}" font-size="10" fill="#505a5f">{}</text>'
            '<text x="{}" y="{}" font-size="10" fill="#505a5f" text-anchor="end">{}</text>',
            PAD,
            HEIGHT - 8,
            f"{first:%d %b}",
            WIDTH - PAD,
            HEIGHT - 8,
            f"{last:%d %b}",
        )
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is a number or escaped
