"""The editor's dialogs: common message boxes, properties, PDF and image export options, spreadsheet import, « À propos »."""
