"""A test client that behaves as a browser on the server's own pages: it carries the CSRF token.

Every POST gets the ``X-CSRF-Token`` header of this client's CSRF cookie (fetched from the
login page once), as a script of the server's pages would send it; ``csrf=False`` leaves it
out, as a forged request from another site would.
"""

from __future__ import annotations

import re
import threading

from fastapi.testclient import TestClient


class BrowserClient(TestClient):
    _token: str | None = None
    _lock = threading.Lock()  # posts from several threads share one cookie, fetched once

    def csrf(self) -> str:
        with self._lock:
            return self._fetch()

    def _fetch(self) -> str:
        if self._token is None:
            page = self.get("/login")
            found = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
            assert found, f"no CSRF token on /login ({page.status_code})"
            self._token = found.group(1)
        return self._token

    def post(self, url, *args, csrf: bool = True, **kwargs):
        if csrf:
            kwargs["headers"] = {"X-CSRF-Token": self.csrf(), **(kwargs.get("headers") or {})}
        return super().post(url, *args, **kwargs)
