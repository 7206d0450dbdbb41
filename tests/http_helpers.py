"""GET helpers shared by the API and web tests: an in-process client or a real server's URL."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any


def get(base: Any, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
    """``GET path`` of ``base``: an in-process client, or the URL of a real server."""
    if not isinstance(base, str):
        res = base.get(path, headers=headers or {})
        return res.status_code, dict(res.headers), res.content
    req = urllib.request.Request(base + path, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as res:
            return res.status, dict(res.headers), res.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def get_json(base: Any, path: str) -> tuple[int, Any]:
    status, _, body = get(base, path)
    return status, json.loads(body)
