"""Run the report template with Papermill into a new run folder.

    reports/<scenario>/<timestamp>-<hash>/
        report.ipynb  report.html  tables.xlsx  tables/*.csv  figures/*.png|svg|csv
        provenance.json

Everything is written into a hidden temporary folder renamed when complete
(:func:`titlesim.runfolder.run_folder`), never over an earlier run. If a cell fails, the
partly executed notebook is kept in ``reports/<scenario>/failed/<timestamp>-<hash>/``
with ``error.txt`` for diagnosis, :class:`ReportFailed` says which cell and why, and the
index does not list it. The kernel is this Python's (the venv's ``python3`` kernel).
"""
from __future__ import annotations

import os
import shutil
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from titlesim import progress as shown
from titlesim.errors import InputError, Problem
from titlesim.report.request import Request
from titlesim.runfolder import run_folder, safe_component, write_json
from titlesim.workfolder import report_template

TEMPLATE = report_template()  # package data: works outside a checkout
KERNEL = "python3"
REPORTS = Path("reports")
# papermill gives a kernel 60 s to answer by default; on a busy machine (a test suite, a
# sweep on every core) a kernel can take longer to start, and the report then failed
KERNEL_START_S = 300
QUIET_KERNEL = ["--IPKernelApp.log_level=CRITICAL"]  # no notices nor, on Ctrl-C, the handler's traceback on the terminal


class ReportFailed(Exception):
    """A cell of the report failed; ``folder`` holds the partly executed notebook."""

    def __init__(self, message: str, folder: Path, bad_input: bool = False):
        super().__init__(message)
        self.folder = folder
        self.bad_input = bad_input  # the failing cell refused its input (InputError)


def run_parent(name: str, out: Path | None = None, root: Path = REPORTS) -> Path:
    """Where the run folder goes: ``root/<name>/`` or ``out``, which must lie inside
    ``root`` (no path that climbs out of the reports folder)."""
    parent = Path(out) if out is not None else Path(root) / safe_component(name)
    inside = Path(root).resolve()
    resolved = parent.resolve()
    if resolved != inside and inside not in resolved.parents:
        raise InputError(Problem(f"would write outside the reports folder {root}/",
                                 key="--out", file=str(out or parent),
                                 expected=f"a folder inside {root}/, e.g. {root}/{name}"))
    return parent


def make_report(request: Request, out: Path | None = None, root: Path = REPORTS,
                template: Path = TEMPLATE, progress: bool | None = None) -> Path:
    """Run the template for ``request``; return the new run folder. ``progress``: show the
    cells done and the steps on stderr (None: when stderr is a terminal)."""
    from titlesim.report.catalog import write_index
    from titlesim.report.export import export_html
    from titlesim.report.pdf import export_pdf
    from titlesim.report.provenance import report_provenance
    from titlesim.report.words import say
    from titlesim.runs import now

    parent = run_parent(request.name, out, root)
    started, clock = now(), time.perf_counter()
    with run_folder(parent, request.short_hash()) as folder:
        tmp = folder.tmp
        notebook = tmp / "report.ipynb"
        try:
            execute(template, notebook, request.notebook_parameters(tmp),
                    shown.bar_options("progress_report_running", "progress_unit_cell",
                                      name=request.title()) if shown.enabled(progress) else False)
        except Exception as exc:  # a failing cell, a dead kernel: keep what there is
            failed = keep_failure(tmp, parent / "failed", request.short_hash(), exc)
            raise ReportFailed(describe(exc, failed), failed,
                               getattr(exc, "ename", "") == "InputError") from None
        shown.step("progress_report_exporting", progress)
        title = say("report_title", request.lang, scenario=request.title())
        export_html(notebook, tmp / "report.html", title, request.lang)
        export_pdf(tmp / "report.html", tmp / "report.pdf")
        provenance = report_provenance(request, tmp, template, started, now(),
                                       time.perf_counter() - clock)
        write_json(tmp / "provenance.json", provenance)
    shown.step("progress_report_index", progress)
    write_index(Path(root), request.lang)
    return folder.path


def execute(template: Path, output: Path, parameters: dict,
            progress_bar: dict | bool = False) -> None:
    """Run the template; ``progress_bar``: False, or tqdm's options for a bar over its cells."""
    import papermill
    with venv_kernels():
        papermill.execute_notebook(str(template), str(output), parameters=parameters,
                                   kernel_name=KERNEL, progress_bar=progress_bar, log_output=False,
                                   cwd=os.getcwd(), extra_arguments=QUIET_KERNEL,
                                   start_timeout=KERNEL_START_S)


@contextmanager
def venv_kernels():
    """Look for kernels in this environment first, so ``python3`` is this Python even
    when the user has another ``python3`` kernelspec in ~/.local/share/jupyter."""
    old = os.environ.get("JUPYTER_PATH")
    own = str(Path(sys.prefix) / "share" / "jupyter")
    os.environ["JUPYTER_PATH"] = os.pathsep.join([own, old] if old else [own])
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("JUPYTER_PATH", None)
        else:
            os.environ["JUPYTER_PATH"] = old


def kernel_python() -> str:
    """The Python that the ``python3`` kernel runs (for provenance)."""
    from jupyter_client.kernelspec import KernelSpecManager
    with venv_kernels():
        argv = KernelSpecManager().get_kernel_spec(KERNEL).argv
    # jupyter_client runs a bare "python" as the Python that launches the kernel
    return sys.executable if argv[0] in ("python", "python3", f"python{sys.version_info[0]}."
                                         f"{sys.version_info[1]}") else argv[0]


def keep_failure(tmp: Path, failed: Path, short_hash: str, exc: Exception) -> Path:
    """Copy the partly executed run into a new folder under ``failed`` (atomically), with
    error.txt (the traceback)."""
    with run_folder(failed, short_hash) as folder:
        shutil.copytree(tmp, folder.tmp, dirs_exist_ok=True)
        (folder.tmp / "error.txt").write_text(_error_text(exc), encoding="utf-8")
    return folder.path


def describe(exc: Exception, folder: Path) -> str:
    """Which cell failed and why, in one paragraph for the terminal."""
    if hasattr(exc, "ename"):  # papermill.PapermillExecutionError
        code = [line.strip() for line in (exc.source or "").splitlines()
                if line.strip() and not line.lstrip().startswith(("#", "from ", "import "))]
        shown = code[0] if code else ""
        shown = shown if len(shown) <= 70 else shown[:67] + "..."
        where = f"cell {_cell_id(folder, exc.exec_count)}[{exc.exec_count}] ({shown})"
        why = f"{exc.ename}: {exc.evalue}"
    else:
        where, why = "the notebook", f"{type(exc).__name__}: {exc}"
    return (f"the report failed in {where}: {why}; the partly executed notebook is in "
            f"{folder / 'report.ipynb'}")


def _cell_id(folder: Path, exec_count) -> str:
    """The template's id of the failed cell ('open', 'show-flow' ...) followed by a space,
    or nothing when the kept notebook does not say."""
    try:
        import nbformat
        cells = nbformat.read(folder / "report.ipynb", as_version=4).cells
    except Exception:  # a notebook the kernel died writing: say what we know
        return ""
    ids = [c.get("id") for c in cells if c.get("execution_count") == exec_count and c.get("id")]
    return f"'{ids[0]}' " if ids else ""


def _error_text(exc: Exception) -> str:
    if hasattr(exc, "traceback"):
        from papermill.exceptions import strip_color
        return strip_color("\n".join(exc.traceback)) + "\n"
    import traceback
    return "".join(traceback.format_exception(exc))
