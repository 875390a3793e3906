"""The ``titlesim`` command line.

Every command takes the same options for the same things (``--replicates``, ``--seed``,
``--set KEY.PATH=VALUE``, ``--out``, ``--quiet``). Bad input prints what is wrong, where,
and what was expected, and exits with status 2; ``--debug`` shows the traceback.
Each command lives in its own module in this package and registers itself on :data:`cli`.
"""
from __future__ import annotations

import re
import sys

import click

from titlesim import __version__, interrupt
from titlesim.errors import InputError

EXIT_BAD_INPUT = 2


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except InputError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            for problem in exc.problems:
                click.echo(f"titlesim: error: {printable(str(problem))}", err=True)
            ctx.exit(EXIT_BAD_INPUT)
        except ModuleNotFoundError as exc:  # an optional feature that is not installed
            from titlesim.extras import extra_for
            from titlesim.i18n import msg
            extra = extra_for(exc)
            if extra is None or (ctx.obj and ctx.obj.get("debug")):
                raise
            click.echo(msg("extra_missing", module=exc.name, extra=extra), err=True)
            ctx.exit(EXIT_BAD_INPUT)
        except KeyboardInterrupt:  # the with blocks have removed their temporary folders
            _stop(ctx, interrupt.EXIT_INTERRUPTED, "interrupted")
        except interrupt.Terminated:
            _stop(ctx, interrupt.EXIT_TERMINATED, "terminated")


_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """A message quoting a hostile file shows its control characters (a terminal escape
    sequence, a carriage return that hides the line) as ``\\x1b``, never sends them."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _stop(ctx, code: int, key: str):
    from titlesim.i18n import msg
    if ctx.obj and ctx.obj.get("debug"):
        raise
    interrupt.stop(code, f"titlesim: {msg(key)}")


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="titlesim")
@click.option("--debug", is_flag=True, help="Show the full traceback on errors.")
@click.pass_context
def cli(ctx, debug):
    """titlesim: simulate professional-title (职称) evaluation under criteria revisions."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


set_option = click.option(
    "--set", "overrides", multiple=True, metavar="KEY.PATH=VALUE",
    help="Override one scenario parameter (repeatable), e.g. passline.ratio=0.6.")


def scenario_options(fn):
    """The options every simulating command shares: --set, --seed, --replicates."""
    fn = set_option(fn)
    fn = click.option("--seed", type=click.IntRange(min=0, max=2**63 - 1), default=None,
                      help="Random seed (default: the scenario's).")(fn)
    fn = click.option("--replicates", type=click.IntRange(min=1), default=None,
                      help="Monte Carlo replicates (default: the scenario's).")(fn)
    return fn


def allow_large_option(fn):
    """``--allow-large``: simulate even when the estimate exceeds this machine."""
    from titlesim.i18n import msg
    return click.option("--allow-large", is_flag=True, help=msg("allow_large_help"))(fn)


def check_work(scenarios, replicates, out, allow_large: bool, disk: bool = True) -> None:
    """Estimate the simulations of ``scenarios`` (LoadedScenario; the same one several
    times for parallel workers) before any starts; refuse (exit 2) work beyond this
    machine unless ``allow_large``. ``disk``: whether their metrics are written."""
    from titlesim import resources
    if out is not None:  # a file, a symlink or an unwritable place: refused before the work
        from titlesim.runfolder import check_parent
        check_parent(out)
    first = scenarios[0].params
    work = resources.estimate(first, replicates, tables=len(scenarios))
    if not disk:
        work = resources.replace(work, disk=0)
    resources.check(work, out, allow_large, echo=lambda text: click.echo(text, err=True))


def command_line() -> str:
    import shlex
    return " ".join(shlex.quote(a) for a in ["titlesim", *sys.argv[1:]])


def _register() -> None:
    import importlib
    import pkgutil
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")


def main(argv=None):
    _register()
    interrupt.install()
    # click reports its own usage errors with exit status 2 already
    cli.main(args=argv, prog_name="titlesim")
