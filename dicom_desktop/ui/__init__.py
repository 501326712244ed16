"""The PySide6 editor: the only package allowed to import Qt (the core stays headless)."""

from .none_guard import install as _install_none_guard

_install_none_guard()
