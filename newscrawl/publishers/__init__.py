"""The publishers: one module per source, ``<slug>.py``, holding the source's declaration
(``SOURCE = Source(...)``, collected by newscrawl/sources.py) and its layouts beside it, newest
first (``@source_page(SOURCE)``). Modules whose name starts with ``_`` are not sources.
"""
