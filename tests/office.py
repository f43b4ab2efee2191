"""One LibreOffice for the whole test session, for the files the tests convert themselves.

Each ``soffice --convert-to`` starts LibreOffice anew, a second or more of the suite's
time, and several seconds more with a fresh profile.  :class:`Office` starts it once,
listening on a pipe, and converts through the UNO bridge (Debian: python3-uno); without
the bridge, each conversion still runs ``soffice --convert-to``, with one profile for the
session.  The library's own conversions (``loaders/formats/office_convert.py``) start LibreOffice
themselves: that is what their tests test.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

#: Seconds LibreOffice may take to start listening on a loaded machine.
START_TIMEOUT_S = 300


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _uno():
    """The ``uno`` module (see :func:`_find_uno`), without the import hook it installs.

    ``uno`` replaces ``builtins.__import__`` with one that raises ImportError where Python
    raises ModuleNotFoundError, which breaks every later ``except ModuleNotFoundError`` in
    the test session (uvicorn's optional a2wsgi import was one); the bridge itself does not
    need the hook, so Python's own import is put back."""
    import builtins

    own = builtins.__import__
    try:
        return _find_uno()
    finally:
        builtins.__import__ = own


def _find_uno():
    """The ``uno`` module, from this Python or else from the one the system's python3-uno
    serves (Debian installs the bridge for /usr/bin/python3 only); None without it, or
    when that Python's version differs from this one (the bridge is compiled for one)."""
    try:
        import uno
    except ImportError:
        pass
    else:
        return uno
    here = "{}.{}".format(*sys.version_info[:2])
    for python in dict.fromkeys([Path(sys.base_prefix) / "bin" / "python3", Path("/usr/bin/python3")]):
        if not python.exists():
            continue
        probe = subprocess.run(
            [
                str(python),
                "-c",
                "import os, sys, uno; print('%d.%d' % sys.version_info[:2]); print(os.path.dirname(uno.__file__))",
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        if probe.returncode == 0 and probe.stdout.split("\n")[0] == here:
            # Only for this import: the system's other packages stay out of the tests' way.
            folder = probe.stdout.split("\n")[1]
            sys.path.append(folder)
            try:
                import uno
            except ImportError:
                return None
            finally:
                sys.path.remove(folder)
            return uno
    return None


class Office:
    """A LibreOffice of the test session; :meth:`convert` as ``soffice --convert-to`` does."""

    def __init__(self, folder: Path):
        self.command, self.folder = None, folder
        self.profile = (folder / "profile").as_uri()
        self.process = self.desktop = self.uno = None

    def _start(self) -> None:
        """LibreOffice, at the first conversion: a test that finds no ``soffice`` fails or skips first."""
        self.command = soffice()
        if self.command is None:
            raise RuntimeError("LibreOffice's soffice is not on the PATH")
        self.uno = _uno()
        if self.uno is None:
            return
        pipe = f"respgraph-tests-{secrets.token_hex(6)}"
        # A session of its own, so that closing ends LibreOffice's helper processes too.
        self.process = subprocess.Popen(
            [
                self.command,
                "--headless",
                "--invisible",
                "--nologo",
                "--norestore",
                "--nolockcheck",
                f"-env:UserInstallation={self.profile}",
                f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        local = self.uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:  # noqa: BLE001  (UNO's NoConnectException: not listening yet)
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"LibreOffice did not start listening (exit code {self.process.poll()})"
                    ) from None
                time.sleep(0.2)
        self.desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)

    def _props(self, **values):
        out = []
        for name, value in values.items():
            prop = self.uno.createUnoStruct("com.sun.star.beans.PropertyValue")
            prop.Name, prop.Value = name, value
            out.append(prop)
        return tuple(out)

    def convert(
        self, sources, outdir: Path, *, suffix: str, filter_name: str, options: str = "", data: dict | None = None
    ) -> list[Path]:
        """Each of ``sources`` saved into ``outdir`` as ``NAME.suffix`` through the export filter
        ``filter_name``, with its options (``options``: a text filter's; ``data``: FilterData)."""
        if self.command is None:
            self._start()
        outdir.mkdir(parents=True, exist_ok=True)
        sources = [Path(s) for s in sources]
        if self.desktop is None:
            target = f"{suffix}:{filter_name}" + (f":{options}" if options else "")
            if data:
                target += ":" + json.dumps(
                    {
                        k: {
                            "type": "boolean" if isinstance(v, bool) else "string",
                            "value": str(v).lower() if isinstance(v, bool) else v,
                        }
                        for k, v in data.items()
                    }
                )
            subprocess.run(
                [
                    self.command,
                    "--headless",
                    "--norestore",
                    f"-env:UserInstallation={self.profile}",
                    "--convert-to",
                    target,
                    "--outdir",
                    str(outdir),
                    *map(str, sources),
                ],
                capture_output=True,
                timeout=300,
                check=True,
            )
        else:
            store = {"FilterName": filter_name, "Overwrite": True}
            if options:
                store["FilterOptions"] = options
            if data:
                store["FilterData"] = self.uno.Any("[]com.sun.star.beans.PropertyValue", self._props(**data))
            for source in sources:
                document = self.desktop.loadComponentFromURL(
                    source.resolve().as_uri(), "_blank", 0, self._props(Hidden=True)
                )
                if document is None:
                    raise RuntimeError(f"LibreOffice could not open {source}")
                try:
                    self.uno.invoke(
                        document,
                        "storeToURL",
                        ((outdir / f"{source.stem}.{suffix}").resolve().as_uri(), self._props(**store)),
                    )
                finally:
                    document.close(True)
        return [outdir / f"{source.stem}.{suffix}" for source in sources]

    def close(self) -> None:
        if self.desktop is not None:
            try:
                self.desktop.terminate()
            except Exception:  # noqa: BLE001  (the bridge is gone once LibreOffice quits)
                pass
        if self.process is not None:
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
