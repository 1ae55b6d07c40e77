"""Teaching figures drawn with matplotlib. Imported only on pages that draw one (it costs ~0.5 s)."""

from __future__ import annotations

import matplotlib.pyplot as plt

PLANET_COLOURS = ["#1d4f91", "#7a0019", "#2f6b2f"]  # dark enough for white text at 4.5:1


def three_planets(planets: dict[str, list[str]], centre: str, title: str):
    """Three planets around one family: each circle names a system and what it expects of her.

    ``planets`` maps a planet's name to two or three short lines; ``centre`` names who sits
    between them. Returns the figure (Jupyter shows it once).
    """
    fig, ax = plt.subplots(figsize=(9, 7.2), dpi=100)
    ax.set_xlim(-1.25, 1.25)
    ax.set_ylim(-1.05, 1.3)
    ax.set_aspect("equal")
    ax.axis("off")
    positions = [(-0.62, 0.62), (0.62, 0.62), (0.0, -0.5)]
    for (name, lines), (x, y), colour in zip(
        planets.items(), positions, PLANET_COLOURS, strict=True
    ):
        ax.add_patch(plt.Circle((x, y), 0.5, color=colour, alpha=0.95))
        ax.text(
            x,
            y + 0.2,
            name,
            ha="center",
            va="center",
            color="white",
            fontsize=12,
            weight="bold",
            wrap=True,
        )
        ax.text(
            x, y - 0.08, "\n".join(lines), ha="center", va="center", color="white", fontsize=9.5
        )
        ax.annotate(
            "",
            xy=(0.0, 0.22),
            xytext=(x * 0.45, y * 0.45 + 0.12),
            arrowprops={"arrowstyle": "<->", "color": "#3d3d3d", "lw": 1.5},
        )
    ax.text(
        0.0,
        0.22,
        centre,
        ha="center",
        va="center",
        fontsize=10.5,
        weight="bold",
        bbox={"boxstyle": "round,pad=0.4", "fc": "#fff8e1", "ec": "#3d3d3d"},
    )
    ax.set_title(title, fontsize=13, weight="bold")
    fig.tight_layout()
    plt.close(fig)  # shown once, as the cell's value, not again by the inline backend
    return fig
