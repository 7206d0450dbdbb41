"""The annual report (HTML + PDF): ``build_report(year, out)`` in :mod:`.builder`."""
