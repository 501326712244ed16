"""dicom-desktop: the organisation-chart editor of the DICOM of the French ministères sociaux.

The package root is the pure core: it never imports PySide6 (see tests/test_core_is_qt_free.py).
The Qt editor lives in :mod:`dicom_desktop.ui` and is imported only when a window is opened.
"""

__version__ = "0.1.0"
