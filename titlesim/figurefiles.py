"""A figure's two files, written the same way by the report, the comparison and the sweep:
``stem.png`` (150 dpi, for pages, Word and slides) and ``stem.svg`` (for print); the same
figure gives the same bytes (no date in the SVG; :func:`titlesim.fonts.use_cjk_font` fixes
the SVG's hash salt)."""
from __future__ import annotations

from pathlib import Path

DPI = 150


def save(fig, folder: Path, stem: str) -> tuple[Path, Path]:
    """Write ``stem.png`` and ``stem.svg`` into ``folder`` (made if missing)."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    png, svg = folder / f"{stem}.png", folder / f"{stem}.svg"
    # The figure is laid out once, at the PNG's resolution, and both files are drawn where
    # that put everything: saving a figure that has a layout engine would draw it once more
    # before each file, unpainted, to lay it out (the SVG's too, although it keeps the
    # PNG's layout). The layout measures its texts with the renderer the PNG is then drawn
    # with (an Agg canvas keeps it), so the PNG finds them measured. The same bytes as
    # saving each file the usual way, in three quarters of the time.
    canvas, engine, dpi = fig.canvas, fig.get_layout_engine(), fig.get_dpi()
    if not isinstance(canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)  # the figure's canvas until the files are written
    try:
        if engine is not None:
            fig.set_dpi(DPI)
            try:
                engine.execute(fig)
            finally:
                fig.set_dpi(dpi)
            with matplotlib.rc_context({"figure.autolayout": False,
                                        "figure.constrained_layout.use": False}):
                fig.set_layout_engine(None)  # none at all: "none" leaves one that draws twice
        fig.savefig(png, format="png", dpi=DPI)
        fig.savefig(svg, format="svg", metadata={"Date": None})
    finally:
        if engine is not None:
            fig.set_layout_engine(engine)
        fig.set_canvas(canvas)
    return png, svg
