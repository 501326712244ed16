"""The chart room: text metrics, boxes, layout, link routing and the one geometry pipeline.

Qt- and ReportLab-free: the editor's scene, the PDF and the web page all draw
:func:`dicom_desktop.chart.geometry.chart_geometry`'s output, so they show the same chart.
"""
