"""Dock panels of the editor: outline, attributions, search, legend."""
