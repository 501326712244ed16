"""``python -m dicom_desktop`` is the same as ``dicom-desktop``."""

import sys

from dicom_desktop.cli import main

sys.exit(main())
