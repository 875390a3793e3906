"""A figure's two files, written the same way by the report, the comparison and the sweep:
``stem.png`` (150 dpi, for pages, Word and slides) and ``stem.svg`` (for print); the same
figure gives the same bytes (no date in the SVG; :func:`titlesim.fonts.use_cjk_font` fixes
the SVG's hash salt)."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

DPI = 150


def save(fig, folder: Path, stem: str) -> tuple[Path, Path]:
    """Write ``stem.png`` and ``stem.svg`` into ``folder`` (made if missing)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    png, svg = folder / f"{stem}.png", folder / f"{stem}.svg"
    with laid_out(fig, DPI):
        fig.savefig(png, format="png", dpi=DPI)
        fig.savefig(svg, format="svg", metadata={"Date": None})
    return png, svg


def png(fig, target, dpi: int = DPI) -> None:
    """Write the figure as PNG to ``target`` (a path or a binary file)."""
    with laid_out(fig, dpi):
        fig.savefig(target, format="png", dpi=dpi)


@contextmanager
def laid_out(fig, dpi: int):
    """The figure laid out once, at ``dpi``, and saved inside this block from that layout.

    Saving a figure that has a layout engine draws it once more before each file, unpainted,
    to lay it out (an SVG's too, when it would keep a PNG's layout). Here the layout is done
    once and the figure has no layout engine until the block ends. The layout measures its
    texts with the renderer a PNG at ``dpi`` is then drawn with (an Agg canvas keeps it), so
    the PNG finds them measured. The same bytes as saving the usual way, in three quarters
    of the time of a PNG and an SVG."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas, engine, own_dpi = fig.canvas, fig.get_layout_engine(), fig.get_dpi()
    if not isinstance(canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)  # the figure's canvas until the block ends
    try:
        if engine is not None:
            fig.set_dpi(dpi)
            try:
                engine.execute(fig)
            finally:
                fig.set_dpi(own_dpi)
            with matplotlib.rc_context({"figure.autolayout": False,
                                        "figure.constrained_layout.use": False}):
                fig.set_layout_engine(None)  # none at all: "none" leaves one that draws twice
        yield fig
    finally:
        if engine is not None:
            fig.set_layout_engine(engine)
        fig.set_canvas(canvas)
