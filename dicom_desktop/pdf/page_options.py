"""The printable PDF's page choices, shared by ``export-pdf`` and the editor's export dialog.

Kept in the PDF room (not in the command) so the dialog reads the same lists without importing
the command line.
"""

PAGE_SIZE_CHOICES = ("A4", "A3")
ORIENTATION_CHOICES = ("portrait", "landscape")
LARGE_CHART_CHOICES = ("book", "tile", "branches")
