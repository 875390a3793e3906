"""The ``titlesim`` command line.

Every command takes the same options for the same things (``--replicates``, ``--seed``,
``--set KEY.PATH=VALUE``, ``--out``, ``--quiet``, ``--lang``). Bad input prints what is
wrong, where, and what was expected, and exits with status 2; ``--debug`` shows the
traceback. Each command lives in its own module in this package and registers itself on
:data:`cli`.

Everything the command line says is Chinese unless ``--lang en`` (accepted by every
command, and by ``titlesim`` itself) or ``TITLESIM_LANG=en``: help texts come from the
message catalogue (``help.<command>`` and ``help.<command>.<option>`` rows, or
``help.option.<option>`` for an option every command shares; an empty ``en`` means the
English text written in the code), click's own words through :mod:`titlesim.cli.words`.
"""
from __future__ import annotations

import contextlib
import re
import sys
import warnings

import click

from titlesim import __version__, interrupt
from titlesim.errors import InputError
from titlesim.cli.words import VersionMessage
from titlesim.i18n import LANGUAGES, current_language, msg, set_language

EXIT_BAD_INPUT = 2


def _choose_language(ctx, param, value):
    if value is not None:
        set_language(value)
    return current_language()


def _lang_parameter(expose: bool) -> click.Option:
    return click.Option(["--lang"], type=click.Choice(LANGUAGES), default=None, is_eager=True,
                        expose_value=expose, callback=_choose_language,
                        help="Language of everything printed and written "
                             "(default: TITLESIM_LANG, else zh).")


def lang_option(fn):
    """``--lang zh|en``; the command receives the language in use as ``lang``."""
    fn.__dict__.setdefault("__click_params__", []).append(_lang_parameter(expose=True))
    return fn


def _help_text(key: str, written: str | None) -> str | None:
    from titlesim.i18n import catalogue
    row = catalogue().get(key)
    if row is None:
        return None
    return row[current_language()] or written


def _localize_metavar(param: click.Parameter) -> None:
    """An option's value named after its type (INTEGER RANGE, PATH ...) in the language in
    use; a metavar written in the code (KEY.PATH=VALUE), a choice and an argument stay."""
    if not isinstance(param, click.Option) or param.is_flag or isinstance(param.type, click.Choice):
        return
    if not hasattr(param, "_written_metavar"):
        param._written_metavar = param.metavar
    if param._written_metavar is None:
        from titlesim.cli.words import type_word
        word = type_word(param.type.name)
        param.metavar = None if word == param.type.name else word


SUMMARY_WIDTH = 64  # terminal columns of a command's line in `titlesim --help`


def _chinese_summary(help_text: str) -> str:
    """The first sentence of a Chinese help, cut after a comma or colon when it is long
    (click cuts at spaces, which Chinese has none of)."""
    from titlesim.cli.words import display_width
    first = " ".join(help_text.split("\f")[0].split("\n\n")[0].split())
    first = re.split(r"(?<=。)", first)[0]
    if display_width(first) <= SUMMARY_WIDTH:
        return first
    cuts = [m.start() for m in re.finditer(r"[，：；（]", first)
            if display_width(first[:m.start()]) <= SUMMARY_WIDTH - 2]
    end = cuts[-1] if cuts else SUMMARY_WIDTH // 2
    return first[:end] + "……"


class Command(click.Command):
    """A command whose help is read in the language in use, with ``--lang`` added if the
    command does not take one itself."""

    parent_group: "Group | None" = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not any(p.name == "lang" for p in self.params):
            self.params.append(_lang_parameter(expose=False))
        self._written = {"": self.help, **{p.name: getattr(p, "help", None) for p in self.params}}

    @property
    def help_key(self) -> str:
        parent = self.parent_group
        if parent is None:
            return "titlesim"
        prefix = parent.help_key
        return self.name if prefix == "titlesim" else f"{prefix}.{self.name}"

    def localize(self) -> None:
        """Put the help of this command and its options in the language in use."""
        key = f"help.{self.help_key}"
        self.help = _help_text(key, self._written[""]) or self._written[""]
        self.options_metavar = msg("cli.options_metavar")
        if self._help_option is not None:
            self._help_option.help = msg("click.help")
        if isinstance(self, click.Group):
            self.subcommand_metavar = msg("cli.subcommand_metavar")
        for param in self.params:
            _localize_metavar(param)
            if isinstance(param, click.Option):
                written = self._written.get(param.name, param.help)
                param.help = (_help_text(f"{key}.{param.name}", written)
                              or _help_text(f"help.option.{param.name}", written) or written)

    def get_help_option(self, ctx):
        # click makes the --help option on first use, possibly after localize()
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = msg("click.help")
        return option

    def get_help(self, ctx):
        self.localize()
        return super().get_help(ctx)

    def get_short_help_str(self, limit: int = 45) -> str:
        self.localize()
        summary = _help_text(f"help.summary.{self.help_key}", None)
        if summary:
            return summary
        if current_language() == "zh" and not self.short_help and self.help:
            return _chinese_summary(self.help)
        return super().get_short_help_str(limit)

    def get_usage(self, ctx):
        self.localize()
        return super().get_usage(ctx)


class Group(Command, click.Group):
    """The ``titlesim`` group: its commands are :class:`Command` (groups :class:`Group`),
    input errors are printed in the user's language without a traceback."""

    command_class = Command
    group_class = type

    def add_command(self, cmd, name=None):
        super().add_command(cmd, name)
        cmd.parent_group = self

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except InputError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            for problem in exc.problems:
                click.echo(msg("cli.error", problem=printable(problem.text())), err=True)
            ctx.exit(EXIT_BAD_INPUT)
        except ModuleNotFoundError as exc:  # an optional feature that is not installed
            from titlesim.extras import extra_for
            extra = extra_for(exc)
            if extra is None or (ctx.obj and ctx.obj.get("debug")):
                raise
            click.echo(msg("extra_missing", module=exc.name, extra=extra), err=True)
            ctx.exit(EXIT_BAD_INPUT)
        except KeyboardInterrupt:  # the with blocks have removed their temporary folders
            _stop(ctx, interrupt.EXIT_INTERRUPTED, "interrupted")
        except interrupt.Terminated:
            _stop(ctx, interrupt.EXIT_TERMINATED, "terminated")
        except SystemError as exc:  # a signal that landed while compiled code called back
            signal_error = _signal_behind(exc)  # into Python comes back wrapped in this
            if signal_error is None or (ctx.obj and ctx.obj.get("debug")):
                raise
            if isinstance(signal_error, KeyboardInterrupt):
                _stop(ctx, interrupt.EXIT_INTERRUPTED, "interrupted")
            _stop(ctx, interrupt.EXIT_TERMINATED, "terminated")

    def main(self, args=None, **kwargs):
        """Choose the language from ``--lang`` before click reads the command line, so
        that help and usage errors are in it; forget it afterwards."""
        from titlesim.cli import words
        words.install()
        args = list(sys.argv[1:] if args is None else args)
        set_language(_language_in(args))
        shown_before = warnings.showwarning
        warnings.showwarning = _show_warning
        _WARNED.clear()
        try:
            return super().main(args=args, **kwargs)
        finally:
            set_language(None)
            warnings.showwarning = shown_before


def _signal_behind(exc: BaseException) -> BaseException | None:
    """The Ctrl-C or SIGTERM behind ``exc`` ("... returned a result with an exception
    set"), following its causes; None when there is none."""
    seen = exc.__cause__ or exc.__context__
    while seen is not None:
        if isinstance(seen, (KeyboardInterrupt, interrupt.Terminated)):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


_PYTHON_SHOWWARNING = warnings.showwarning
_WARNED: set[str] = set()  # titlesim's warnings already shown by this command


def _show_warning(message, category, filename, lineno, file=None, line=None):
    """titlesim's own warnings (posts that can never be filled ...) as one line in the
    user's language, without the file and line of the code that raised them, and each
    once per command (a comparison prepares the same posts for every scenario and for
    the warm-up history, which would repeat the same line several times)."""
    if category.__module__.split(".")[0] == "titlesim":
        text = str(message)
        if text not in _WARNED:
            _WARNED.add(text)
            click.echo(msg("warning_line", message=text), err=True)
    else:
        _PYTHON_SHOWWARNING(message, category, filename, lineno, file, line)


@contextlib.contextmanager
def warnings_shown_after(quiet: bool = False):
    """The warnings of the block, each shown once the block is done as one line in the
    user's language (``quiet``: none is shown)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    if not quiet:
        for w in caught:
            click.echo(msg("warning_line", message=w.message), err=True)


_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """A message quoting a hostile file shows its control characters (a terminal escape
    sequence, a carriage return that hides the line) as ``\\x1b``, never sends them."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _stop(ctx, code: int, key: str):
    if ctx.obj and ctx.obj.get("debug"):
        raise
    interrupt.stop(code, interrupt.stop_line(key))


def _language_in(args: list[str]) -> str | None:
    for i, arg in enumerate(args):
        if arg == "--":
            break
        value = arg.split("=", 1)[1] if arg.startswith("--lang=") else (
            args[i + 1] if arg == "--lang" and i + 1 < len(args) else None)
        if value in LANGUAGES:
            return value
    return None


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="titlesim", message=VersionMessage())
@click.option("--debug", is_flag=True, help="Show the full traceback on errors.")
@click.pass_context
def cli(ctx, debug):
    """titlesim: simulate professional-title (职称) evaluation under criteria revisions."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


set_option = click.option(
    "--set", "overrides", multiple=True, metavar="KEY.PATH=VALUE",
    help="Override one scenario parameter (repeatable), e.g. passline.ratio=0.6.")


class SeedRange(click.IntRange):
    """A seed: 0 to 2**63 - 1 (the scenario's ``seed:`` bound), said in words in help and
    errors ("0 至 2 的 63 次方减 1") rather than as 9223372036854775807."""

    def __init__(self):
        super().__init__(min=0, max=2**63 - 1)

    def _describe_range(self) -> str:
        return msg("cli.seed_range")


def scenario_options(fn):
    """The options every simulating command shares: --set, --seed, --replicates."""
    fn = set_option(fn)
    fn = click.option("--seed", type=SeedRange(), default=None,
                      help="Random seed (default: the scenario's).")(fn)
    fn = click.option("--replicates", type=click.IntRange(min=1), default=None,
                      help="Monte Carlo replicates (default: the scenario's).")(fn)
    return fn


def allow_large_option(fn):
    """``--allow-large``: simulate even when the estimate exceeds this machine."""
    from titlesim.i18n import msg
    return click.option("--allow-large", is_flag=True, help=msg("allow_large_help"))(fn)


def check_work(scenarios, replicates, out, allow_large: bool, disk: bool = True):
    """Estimate the simulations of ``scenarios`` (LoadedScenario; the same one several
    times for parallel workers) before any starts; refuse (exit 2) work beyond this
    machine unless ``allow_large``. ``disk``: whether their metrics are written. Returns
    the estimate (:class:`titlesim.resources.Estimate`, its ``people`` the first
    scenario's starting establishment)."""
    from titlesim import resources
    if out is not None:  # a file, a symlink or an unwritable place: refused before the work
        from titlesim.runfolder import check_parent
        check_parent(out)
    first = scenarios[0].params
    work = resources.estimate(first, replicates, tables=len(scenarios))
    if not disk:
        work = resources.replace(work, disk=0)
    resources.check(work, out, allow_large, echo=lambda text: click.echo(text, err=True))
    return work


def command_line() -> str:
    import shlex
    return " ".join(shlex.quote(a) for a in ["titlesim", *sys.argv[1:]])


def _without_iri_parsers() -> None:
    """jsonschema (imported by nbformat: report, notebooks, serve) builds some 35 Lark
    parsers for the "iri" string formats as it is imported, 1.2-1.8 s of CPU for each
    command; no notebook schema uses those formats, so the command does without them."""
    sys.modules.setdefault("rfc3987_syntax", None)


def _register() -> None:
    import importlib
    import pkgutil
    for info in pkgutil.iter_modules(__path__):
        if info.name != "words":
            importlib.import_module(f"{__name__}.{info.name}")


def main(argv=None):
    _without_iri_parsers()
    _register()
    interrupt.install()
    # click reports its own usage errors with exit status 2 already
    cli.main(args=argv, prog_name="titlesim")
