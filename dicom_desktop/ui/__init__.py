"""The PySide6 editor: the only package allowed to import Qt (the core stays headless)."""
