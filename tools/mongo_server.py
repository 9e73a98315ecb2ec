"""A local MongoDB-compatible server for development, tests and small deployments.

`EmbeddedServer` runs `mongod` when it is on PATH, else FerretDB 1.24 with its SQLite engine
(`bin/ferretdb`, built by `make setup`), on a loopback port, with its data in one directory::

    with EmbeddedServer("var/ferretdb") as server:
        store = ArticleStore(server.uri, "newscrawl", "articles", server_timeout_ms=5000)

Operators run it in the foreground from the checkout (it is not in the installed package) with
``python -m tools.mongo_server --data var/ferretdb --port 27017`` (Ctrl-C stops it).
"""

from __future__ import annotations

import argparse
import atexit
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import weakref
from pathlib import Path

from tools.paths import ROOT

logger = logging.getLogger(__name__)

FERRETDB_ENV = "NEWSCRAWL_FERRETDB"
_LOG_NAME = "server.log"


class ServerError(RuntimeError):
    """The server binary is missing, or the server did not start (the message says why)."""


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def find_server(kind: str | None = None) -> tuple[str, str]:
    """(kind, binary path) of the server to run: `mongod` on PATH, else FerretDB.

    `NEWSCRAWL_FERRETDB` (a path) forces FerretDB from that path; otherwise FerretDB is
    `bin/ferretdb` under the repository root, else `ferretdb` on PATH. `kind` ("mongod" or
    "ferretdb") restricts the choice. Raises ServerError naming the fix when nothing is found."""
    if kind not in (None, "mongod", "ferretdb"):
        raise ValueError(f"kind must be 'mongod' or 'ferretdb', not {kind!r}")
    override = os.environ.get(FERRETDB_ENV)
    if override and kind != "mongod":
        path = Path(override).expanduser()
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise ServerError(f"{FERRETDB_ENV}={override} is not an executable file")
        return "ferretdb", str(path)
    if kind in (None, "mongod"):
        mongod = shutil.which("mongod")
        if mongod:
            return "mongod", mongod
    if kind in (None, "ferretdb"):
        local = ROOT / "bin" / "ferretdb"
        if local.is_file() and os.access(local, os.X_OK):
            return "ferretdb", str(local)
        on_path = shutil.which("ferretdb")
        if on_path:
            return "ferretdb", on_path
    wanted = {"mongod": "`mongod` on PATH", "ferretdb": f"FerretDB ({local_hint()})"}
    looked = [wanted[k] for k in (["mongod", "ferretdb"] if kind is None else [kind])]
    raise ServerError(
        "No MongoDB-compatible server binary found (looked for " + " and ".join(looked) + "). "
        f"Run `make setup` (it builds bin/ferretdb), install mongod, or set {FERRETDB_ENV} to a FerretDB binary.")


def local_hint() -> str:
    return f"{ROOT / 'bin' / 'ferretdb'}, `ferretdb` on PATH or ${FERRETDB_ENV}"


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: SIGTERM the server when the process that started it dies (no orphans after a crash)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:
        pass


_RUNNING: "weakref.WeakSet[EmbeddedServer]" = weakref.WeakSet()


@atexit.register
def _stop_all() -> None:
    for server in list(_RUNNING):
        server.stop()


class EmbeddedServer:
    """A mongod or FerretDB (SQLite) process on 127.0.0.1 with its data in `data_dir`.

    `port=None` picks a free port (kept across stop()/start(), so a restart answers on the same
    URI). start() returns once the server answers `ping`; it raises ServerError with the tail of
    the server's log when the process exits or does not answer within `start_timeout` seconds.
    The server's output goes to `data_dir/server.log` (`log_path`), or to this process's
    stdout/stderr with `stream_log=True`."""

    def __init__(self, data_dir: str | os.PathLike, port: int | None = None, *, kind: str | None = None,
                 start_timeout: float = 30.0, stream_log: bool = False):
        self.data_dir = Path(data_dir).resolve()
        self.port = port
        self.kind, self.binary = find_server(kind)
        self.start_timeout = start_timeout
        self.stream_log = stream_log
        self.log_path = self.data_dir / _LOG_NAME
        self.process: subprocess.Popen | None = None
        self._log_file = None

    @property
    def uri(self) -> str:
        if self.port is None:
            raise ServerError("the server has no port until start()")
        return f"mongodb://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def command(self) -> list[str]:
        """The command line start() runs."""
        if self.kind == "mongod":
            return [self.binary, "--dbpath", str(self.data_dir), "--port", str(self.port),
                    "--bind_ip", "127.0.0.1"]
        return [self.binary, "--handler=sqlite", f"--sqlite-url=file:{self.data_dir}/",
                f"--listen-addr=127.0.0.1:{self.port}", "--telemetry=disable",
                f"--state-dir={self.data_dir}",
                # The debug HTTP listener defaults to 127.0.0.1:8088: a second server would fail.
                "--debug-addr=-"]

    def start(self) -> "EmbeddedServer":
        if self.running:
            return self
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self.port is None:
            self.port = free_port()
        if self.stream_log:
            out = None
        else:
            self._log_file = open(self.log_path, "ab")
            out = self._log_file
        cmd = self.command()
        logger.info("starting %s on %s (data %s)", self.kind, self.uri, self.data_dir)
        self.process = subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT if out else None,
            cwd=self.data_dir, preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)
        _RUNNING.add(self)
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        logger.info("%s ready on %s (pid %d)", self.kind, self.uri, self.process.pid)
        return self

    def _wait_ready(self) -> None:
        from pymongo import MongoClient
        from pymongo.errors import PyMongoError

        deadline = time.monotonic() + self.start_timeout
        last_error: Exception | None = None
        while True:
            code = self.process.poll()
            if code is not None:
                raise ServerError(f"{self.kind} exited with code {code} before answering on {self.uri}"
                                  f"{self._log_tail_text()}")
            client = MongoClient(self.uri, serverSelectionTimeoutMS=250, connectTimeoutMS=250,
                                 socketTimeoutMS=2000, directConnection=True)
            try:
                client.admin.command("ping")
                return
            except PyMongoError as exc:
                last_error = exc
            finally:
                client.close()
            if time.monotonic() > deadline:
                raise ServerError(f"{self.kind} did not answer ping on {self.uri} within {self.start_timeout:.0f} s "
                                  f"({last_error}){self._log_tail_text()}")
            time.sleep(0.05)

    def log_tail(self, lines: int = 20) -> str:
        """The last lines of the server log ('' when streaming to the terminal or absent)."""
        if self.stream_log or not self.log_path.exists():
            return ""
        with open(self.log_path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - 64 * 1024))
            text = fh.read().decode("utf-8", "replace")
        return "\n".join(text.splitlines()[-lines:])

    def _log_tail_text(self) -> str:
        tail = self.log_tail()
        return f"\n--- last lines of {self.log_path} ---\n{tail}" if tail else ""

    def stop(self, timeout: float = 10.0) -> None:
        """Terminate the server (SIGTERM, then SIGKILL after `timeout` s) and wait for it."""
        proc, self.process = self.process, None
        _RUNNING.discard(self)
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            logger.info("%s on port %s stopped", self.kind, self.port)
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def __enter__(self) -> "EmbeddedServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<EmbeddedServer {self.kind} port={self.port} data={self.data_dir} {state}>"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.mongo_server",
        description="Run the local MongoDB-compatible server (mongod if on PATH, else FerretDB/SQLite) "
                    "in the foreground; Ctrl-C stops it.")
    parser.add_argument("--data", default="var/ferretdb", help="data directory (default: var/ferretdb)")
    parser.add_argument("--port", type=int, default=27017, help="port on 127.0.0.1 (default: 27017; 0 = any free port)")
    parser.add_argument("--kind", choices=["mongod", "ferretdb"], help="force a server (default: mongod if on PATH)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    try:
        server = EmbeddedServer(args.data, port=args.port or None, kind=args.kind, stream_log=True)
        server.start()
    except ServerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{server.kind} listening on {server.uri} (data {server.data_dir}); Ctrl-C to stop", flush=True)
    stop = {"signal": None}

    def on_signal(signum, _frame):
        stop["signal"] = signum

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        while stop["signal"] is None and server.running:
            time.sleep(0.2)
    finally:
        code = server.process.returncode if server.process is not None and not server.running else None
        server.stop()
    if stop["signal"] is None:
        print(f"{server.kind} exited with code {code}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
