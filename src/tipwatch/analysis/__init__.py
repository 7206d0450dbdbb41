"""Foresight and risk over the store: forecast of the next report (``forecast``), placements the
narrative's own evidence does not explain (``consistency``) and the due-diligence lookup
(``risk``). Heavy libraries (numpy, scikit-learn) are imported inside the functions that fit.
"""
