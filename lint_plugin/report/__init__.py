"""``aml-migrate report``: the migration at a glance for the person planning it.

``data.py`` turns one check run into plain data (totals per rule and per folder, what ``fix`` would do
with each site, the most common reasons a site stays manual, every finding); ``--format json`` prints
exactly that. ``chart.py`` lays the per-folder chart out as SVG shapes and ``html.py`` renders one
self-contained HTML page (inline CSS, SVG and script; no network, no external assets) with jinja2.
"""
