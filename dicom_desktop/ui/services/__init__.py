"""The editor's services: autosave, document lock, open/save, recent files, printing, exports and publishing."""
