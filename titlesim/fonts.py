"""Chinese text in figures: find a CJK font through a fallback list and tell matplotlib.

Figures carry Chinese labels (zh-CN by default). A missing font would draw empty boxes
and warn "Glyph ... missing from font"; :func:`use_cjk_font` picks the first installed
font of :data:`CJK_FONTS` (the set-up installs Debian's ``fonts-noto-cjk`` on Linux).
"""
from __future__ import annotations

from functools import lru_cache

CJK_FONTS = (
    "Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans SC", "Source Han Sans SC",
    "Source Han Sans CN", "Microsoft YaHei", "SimHei", "PingFang SC", "Hiragino Sans GB",
    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Droid Sans Fallback", "AR PL UMing CN",
)


@lru_cache(maxsize=1)
def find_cjk_font() -> str | None:
    """The name of the first installed font of the fallback list, or None."""
    from matplotlib import font_manager
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in installed:
            return name
    return None


def use_cjk_font() -> str:
    """Configure matplotlib to draw Chinese with a real font; return the font's name.

    Raises RuntimeError (with what to install) when no CJK font is found.
    """
    import matplotlib
    name = find_cjk_font()
    if name is None:
        raise RuntimeError("no Chinese font found for figures; install one of "
                           f"{', '.join(CJK_FONTS[:6])} (Debian: apt-get install fonts-noto-cjk)")
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [name, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False
    matplotlib.rcParams["svg.fonttype"] = "none"  # keep text as text in SVG
    matplotlib.rcParams["svg.hashsalt"] = "titlesim"  # same figure, same SVG bytes
    return name
