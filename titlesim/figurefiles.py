"""A figure's two files, written the same way by the report, the comparison and the sweep:
``stem.png`` (150 dpi, for pages, Word and slides) and ``stem.svg`` (for print); the same
figure gives the same bytes (no date in the SVG; :func:`titlesim.fonts.use_cjk_font` fixes
the SVG's hash salt)."""
from __future__ import annotations

from pathlib import Path

DPI = 150


def save(fig, folder: Path, stem: str) -> tuple[Path, Path]:
    """Write ``stem.png`` and ``stem.svg`` into ``folder`` (made if missing)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    png, svg = folder / f"{stem}.png", folder / f"{stem}.svg"
    fig.savefig(png, format="png", dpi=DPI)
    # the SVG is drawn where the PNG's layout put everything, without laying the figure
    # out again (a third of the SVG's time)
    engine = fig.get_layout_engine()
    fig.set_layout_engine("none")
    try:
        fig.savefig(svg, format="svg", metadata={"Date": None})
    finally:
        fig.set_layout_engine(engine)
    return png, svg
