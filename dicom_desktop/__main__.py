"""``python -m dicom_desktop`` is the same as ``dicom-desktop``."""

import sys

from .cli import main

sys.exit(main())
