"""The command line: one entry point, ``dicom-desktop`` (:func:`main`), one module per headless subcommand.

``entry`` holds the parser and the dispatch; each ``*_command`` module registers one subcommand
and is imported only when that subcommand runs; ``arguments`` holds what several of them read.
"""

from dicom_desktop.cli.entry import main

__all__ = ["main"]
