"""``titlesim init DIR``: make a bureau's working folder from the installed package."""
from __future__ import annotations

from pathlib import Path

import click

from titlesim.cli import cli


@cli.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(("zh", "en")), default=None,
              help="Language of the messages (default: TITLESIM_LANG, else zh).")
def init(folder, lang):
    """Make a working folder FOLDER: scenarios/, notebooks/, examples/ from the installed
    package and an empty reports/. Files already there are kept as they are."""
    from titlesim import i18n
    from titlesim.i18n import msg
    from titlesim.workfolder import init_folder

    i18n.set_language(lang)
    copied, kept = init_folder(folder)
    click.echo(msg("init_done" if copied else "init_nothing_to_copy", folder=folder,
                   copied=len(copied)))
    if kept:
        click.echo(msg("init_kept", kept=len(kept)))
    click.echo(msg("init_next", folder=folder))
