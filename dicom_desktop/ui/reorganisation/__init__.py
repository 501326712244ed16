"""Reorganisation gestures: drag and drop on the chart and the outline, reorganisation actions and dialogs, scenarios, the comparison view."""
