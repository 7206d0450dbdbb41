"""The store: the only code that opens DuckDB.

``schema`` (every table's columns), ``build`` (the atomic build, its id, ``connect``,
``verify``), ``steps/`` (one module per build step), the readers (``reader``, ``explore``,
``facts_reader``) and ``corpus`` (the user's corpus file). Import the module you need
(``from tipwatch.store import build as store``); this package imports nothing at start-up.
"""
