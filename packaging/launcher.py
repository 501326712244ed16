"""Entry point of the standalone bundle: the same ``dicom-desktop`` command as the installed one."""

import sys

from dicom_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
