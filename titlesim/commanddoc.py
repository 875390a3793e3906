"""The command reference: every ``titlesim`` command with its usage and options, read
from the click commands themselves, as Markdown for ``docs/commands.md``.

``python -m titlesim.commanddoc`` prints it in the current language (``--lang zh|en``);
``--update docs/commands.md`` replaces the text between the file's ``commands:start`` and
``commands:end`` markers, so the hand-written parts of the page stay.
"""
from __future__ import annotations

import argparse
import inspect
import sys
from pathlib import Path

import click

from titlesim.i18n import current_language

HEADER = {"zh": "| 选项 | 说明 |", "en": "| option | meaning |"}
START, END = "<!-- commands:start -->\n", "<!-- commands:end -->"


def _commands(group: click.Group, ctx: click.Context, prefix: str):
    """(full name, command, context) for every command under ``group``, depth first, by name."""
    for name in sorted(group.list_commands(ctx)):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        sub = click.Context(command, info_name=name, parent=ctx)
        yield f"{prefix} {name}", command, sub
        if isinstance(command, click.Group):
            yield from _commands(command, sub, f"{prefix} {name}")


def _cell(text: str) -> str:
    return " ".join((text or "").split()).replace("|", "\\|")


def _section(name: str, command: click.Command, ctx: click.Context) -> list[str]:
    lines = [f"### `{name}`", ""]
    if hasattr(command, "localize"):  # help read from the message catalogue in the language in use
        command.localize()
    help_text = inspect.cleandoc((command.help or command.short_help or "").split("\f")[0])
    if help_text:
        lines += [help_text, ""]
    usage = " ".join(command.collect_usage_pieces(ctx))
    lines += ["```", f"{name} {usage}".rstrip(), "```", ""]
    rows = []
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx)
        if record and record[1]:
            rows.append(f"| `{_cell(record[0])}` | {_cell(record[1])} |")
    if rows:
        lines += [HEADER[current_language()], "|---|---|", *rows, ""]
    return lines


def reference() -> str:
    """The reference as Markdown: the main options, then one section per command."""
    from titlesim.cli import _register, cli, words
    _register()
    words.install()  # click's own words ([required], default: ...) in the language in use
    root = click.Context(cli, info_name="titlesim", **cli.context_settings)
    lines = _section("titlesim", cli, root)
    for name, command, ctx in _commands(cli, root, "titlesim"):
        lines += _section(name, command, ctx)
    return "\n".join(lines).rstrip() + "\n"


def replace_between_markers(path: Path, text: str) -> None:
    page = path.read_text(encoding="utf-8")
    head, rest = page.split(START)
    _, tail = rest.split(END)
    path.write_text(head + START + text + END + tail, encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m titlesim.commanddoc",
                                     description="Print the command reference as Markdown.")
    parser.add_argument("--lang", choices=("zh", "en"), default=None)
    parser.add_argument("--update", metavar="MARKDOWN",
                        help="Replace the text between the commands markers of this file.")
    args = parser.parse_args(argv)
    from titlesim import i18n
    i18n.set_language(args.lang)
    text = reference()
    if args.update:
        replace_between_markers(Path(args.update), text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
