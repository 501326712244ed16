"""The notice as an accessible web page (RGAA 4.1 / WCAG 2.1 AA) and, from that page, a tagged PDF.

``page.render_notice_html`` renders the Jinja2 template (autoescaped) with the chart as inline
SVG (``svg.chart_svg``, drawn from the shared chart geometry); ``tagged_pdf`` prints that page
with WeasyPrint as PDF/UA-1 and completes what WeasyPrint leaves out.
"""
