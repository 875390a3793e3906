"""The build step that makes the working-folder files package data.

The shipped scenarios, notebooks and examples live once, at the top of the repository
(so the checkout is itself a working folder). Building the wheel copies them into
``titlesim/shipped/`` inside the package, where :mod:`titlesim.workfolder` finds them
through :mod:`importlib.resources` in an installed titlesim. No links: a Windows checkout
or a zip tool sees plain folders. An editable install (``pip install -e .``) copies
nothing: the package is read from the checkout, and the checkout's folders are used.
Everything else about the package is in ``pyproject.toml``.
"""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SHIPPED = ("scenarios", "notebooks", "examples")
SKIPPED = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints", "*.pyc")


class BuildWithShippedFiles(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for part in SHIPPED:
            target = Path(self.build_lib) / "titlesim" / "shipped" / part
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(ROOT / part, target, ignore=SKIPPED)


setup(cmdclass={"build_py": BuildWithShippedFiles})
