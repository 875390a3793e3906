"""``titlesim serve``: the what-if and compare pages for many visitors (Voilà)."""
from __future__ import annotations

from pathlib import Path

import click

from titlesim.cli import cli
from titlesim.errors import InputError, Problem
from titlesim.i18n import current_language, msg


@cli.command()
@click.option("--port", type=click.IntRange(1, 65535), default=8866, show_default=True,
              help="Port to listen on.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0: every network interface of this machine).")
@click.option("--idle-minutes", type=click.FloatRange(min=0.1), default=30, show_default=True,
              help="Shut down a page's model after this many minutes without use (0.5: 30 seconds).")
@click.option("--closed-seconds", type=click.IntRange(min=1), default=30, show_default=True,
              help="Shut down a closed page's model after this many seconds without a connection.")
@click.option("--max-visitors", type=click.IntRange(min=1), default=20, show_default=True,
              help="Pages open at once at most; beyond it a visitor is asked to come back later.")
@click.option("--scenarios", type=click.Path(path_type=Path), default=Path("scenarios"),
              show_default=True, help="Folder of scenario files (revisions are saved here).")
@click.option("--workspace", type=click.Path(path_type=Path), default=Path("."), show_default=True,
              help="Folder whose reports/ the pages' reports go to.")
def serve(port, host, idle_minutes, closed_seconds, max_visitors, scenarios, workspace):
    """Serve the what-if and compare pages, with an index page, to many visitors."""
    if not (scenarios / "baseline-2022.yaml").is_file():
        raise InputError(Problem(msg("serve.no_baseline"), file=str(scenarios), key="--scenarios"))
    from titlesim.ui.serve import ServeOptions, serve as run
    run(ServeOptions(port=port, host=host, idle_minutes=idle_minutes, closed_seconds=closed_seconds,
                     max_visitors=max_visitors,
                     workspace=workspace, scenarios=scenarios, lang=current_language()))
