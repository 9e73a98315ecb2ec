"""A local MongoDB-compatible server for development, tests and small deployments.

`EmbeddedServer` runs `mongod` when it is on PATH, else FerretDB 1.24 with its SQLite engine
(`bin/ferretdb`, built by `make setup`), on a loopback port, with its data in one directory::

    with EmbeddedServer("var/ferretdb") as server:
        store = ArticleStore(server.uri, "newscrawl", "articles", server_timeout_ms=5000)

From the checkout (it is not in the installed package), the local server that stays::

    python -m tools.mongo_server start    # detached on 127.0.0.1:27017, data var/ferretdb/  (make db)
    python -m tools.mongo_server status   # exit 0 running, 3 not running                   (make db-status)
    python -m tools.mongo_server stop     #                                                    (make db-stop)
    python -m tools.mongo_server run      # in the foreground, Ctrl-C stops it

`start` writes var/mongo-server.pid (the server's pid) and the server's output to
var/mongo-server.log (FerretDB at WARN: no line per connection); `--port`, `--data`, `--pid-file`
and `--log-file` change them.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import errno
import fcntl
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


# ---- the local server that stays: start / stop / status ----------------------------------------

DEFAULT_PORT = 27017
DEFAULT_DATA = ROOT / "var" / "ferretdb"
DEFAULT_PID_FILE = ROOT / "var" / "mongo-server.pid"
DEFAULT_LOG_FILE = ROOT / "var" / "mongo-server.log"
NOT_RUNNING = 3          # `status` exit code, as LSB init scripts say "not running"
LABEL = "MongoDB-compatible server"


def ping(uri: str, timeout_ms: int = 500) -> bool:
    """Whether a MongoDB-compatible server answers `ping` at `uri`."""
    from pymongo import MongoClient
    from pymongo.errors import PyMongoError

    client = MongoClient(uri, serverSelectionTimeoutMS=timeout_ms, connectTimeoutMS=timeout_ms,
                         socketTimeoutMS=2000, directConnection=True)
    try:
        client.admin.command("ping")
        return True
    except PyMongoError:
        return False
    finally:
        client.close()


def server_version(uri: str) -> str:
    """"FerretDB 1.24.2" or "MongoDB 7.0.14", from the server's buildInfo ("" when it does not answer)."""
    from pymongo import MongoClient
    from pymongo.errors import PyMongoError

    client = MongoClient(uri, serverSelectionTimeoutMS=2000, directConnection=True)
    try:
        info = client.admin.command("buildInfo")
    except PyMongoError:
        return ""
    finally:
        client.close()
    if info.get("ferretdbVersion") or info.get("ferretdb"):
        version = info.get("ferretdbVersion") or info["ferretdb"].get("version", "")
        return f"FerretDB {str(version).lstrip('v')}"
    return f"MongoDB {info.get('version', '')}".strip()


def _shown(path: Path) -> str:
    """A path as the operator typed it: relative to the checkout when inside it."""
    path = Path(path).resolve()
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def _cmdline(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    return [part.decode("utf-8", "replace") for part in raw.split(b"\0") if part]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:   # a zombie (exited, not yet reaped by its parent) is not a server
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _server_of(pid: int) -> dict | None:
    """{"port", "data"} of the server process `pid` (from its command line), or None when `pid` is
    not a running mongod / FerretDB (a stale pid file: the pid is gone or reused by another program)."""
    if pid <= 0 or not _alive(pid):
        return None
    argv = _cmdline(pid)
    if argv is None:   # no /proc: trust the pid file
        return {"port": None, "data": None}
    if not argv or not any(name in Path(argv[0]).name for name in ("ferretdb", "mongod")):
        return None
    found: dict = {"port": None, "data": None}
    for n, arg in enumerate(argv):
        value = argv[n + 1] if n + 1 < len(argv) else ""
        if arg.startswith("--listen-addr="):
            found["port"] = int(arg.rsplit(":", 1)[1])
        elif arg == "--port":
            found["port"] = int(value)
        elif arg.startswith("--sqlite-url=file:"):
            found["data"] = arg[len("--sqlite-url=file:"):].rstrip("/") or None
        elif arg == "--dbpath":
            found["data"] = value
    return found


class LocalServer:
    """The detached server `start` leaves running: its pid file, log and data directory."""

    def __init__(self, data: Path = DEFAULT_DATA, port: int = DEFAULT_PORT, *, pid_file: Path = DEFAULT_PID_FILE,
                 log_file: Path = DEFAULT_LOG_FILE, kind: str | None = None, start_timeout: float = 30.0):
        self.data = Path(data).resolve()
        self.port = port
        self.pid_file = Path(pid_file).resolve()
        self.log_file = Path(log_file).resolve()
        self.kind = kind
        self.start_timeout = start_timeout

    def uri(self, port: int | None = None) -> str:
        return f"mongodb://127.0.0.1:{port or self.port}"

    def running(self) -> tuple[int, dict] | None:
        """(pid, {"port", "data"}) of the server of the pid file; a stale pid file is removed."""
        try:
            pid = int(self.pid_file.read_text().split()[0])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, IndexError):
            pid = -1
        found = _server_of(pid)
        if found is None:
            self.pid_file.unlink(missing_ok=True)
            return None
        found["port"] = found["port"] or self.port
        found["data"] = Path(found["data"]) if found["data"] else self.data
        return pid, found

    def describe(self, pid: int, found: dict, version: str | None = None) -> str:
        uri = self.uri(found["port"])
        version = server_version(uri) if version is None else version
        return (f"{LABEL}{f' ({version})' if version else ''} running at {uri} (data {_shown(found['data'])}, "
                f"log {_shown(self.log_file)}, pid {pid})")

    @contextlib.contextmanager
    def _locked(self):
        """One `start` or `stop` at a time (two `make demo` at once start one server, not two)."""
        self.pid_file.parent.mkdir(parents=True, exist_ok=True)
        with open(self.pid_file.with_name(self.pid_file.name + ".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    def start(self) -> tuple[int, str]:
        """(exit code, message): 0 started or already running, 1 it could not start."""
        with self._locked():
            return self._start()

    def _start(self) -> tuple[int, str]:
        current = self.running()
        if current:
            return 0, self.describe(*current).replace(" running at ", " already running at ", 1)
        if port_in_use(self.port):
            answers = " (it answers MongoDB pings)" if ping(self.uri(), 300) else ""
            return 1, (f"error: 127.0.0.1:{self.port} is in use by another process{answers}, not by a server "
                       f"started here ({_shown(self.pid_file)}): stop it or choose another --port")
        try:
            server = EmbeddedServer(self.data, port=self.port, kind=self.kind)
        except ServerError as exc:
            return 1, f"error: {exc}"
        self.data.mkdir(parents=True, exist_ok=True)
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        self.pid_file.parent.mkdir(parents=True, exist_ok=True)
        command = server.command()
        if server.kind == "ferretdb":   # a server that stays: not a log line per client connection
            command.append("--log-level=WARN")
        with open(self.log_file, "ab") as log:
            # Its own session: Ctrl-C in this terminal and the end of this process leave it running.
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log,
                                       stderr=subprocess.STDOUT, cwd=self.data, start_new_session=True)
        self.pid_file.write_text(f"{process.pid}\n")
        deadline = time.monotonic() + self.start_timeout
        while not ping(self.uri(), 250):
            code = process.poll()
            if code is not None or time.monotonic() > deadline:
                if code is None:
                    process.kill()
                    process.wait()
                self.pid_file.unlink(missing_ok=True)
                why = f"exited with code {code}" if code is not None else \
                    f"did not answer within {self.start_timeout:.0f} s"
                return 1, (f"error: {server.kind} {why} on {self.uri()}; see {_shown(self.log_file)}:\n"
                           + _tail(self.log_file))
            time.sleep(0.1)
        return 0, self.describe(process.pid, {"port": self.port, "data": self.data})

    def stop(self, timeout: float = 15.0) -> tuple[int, str]:
        with self._locked():
            return self._stop(timeout)

    def _stop(self, timeout: float) -> tuple[int, str]:
        current = self.running()
        if not current:
            return 0, f"{LABEL} not running ({_shown(self.pid_file)})"
        pid, found = current
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)
        return 0, f"{LABEL} at {self.uri(found['port'])} stopped (pid {pid})"

    def status(self) -> tuple[int, str]:
        current = self.running()
        if not current:
            return NOT_RUNNING, f"{LABEL} not running (start it with `make db`)"
        pid, found = current
        version = server_version(self.uri(found["port"]))
        if not version:
            return 1, (f"{LABEL} pid {pid} is alive but does not answer at {self.uri(found['port'])} "
                       f"(starting, or stuck: see {_shown(self.log_file)})")
        return 0, self.describe(pid, found, version)


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            return exc.errno == errno.EADDRINUSE   # EACCES (a privileged port): the server says it
    return False


def _tail(path: Path, lines: int = 15) -> str:
    try:
        text = path.read_bytes()[-16384:].decode("utf-8", "replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def run_foreground(args) -> int:
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


COMMANDS = ("start", "stop", "status", "run")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in COMMANDS and argv[0] not in ("-h", "--help"):
        argv.insert(0, "run")   # the flags-only form of before: the foreground server
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data", default=str(DEFAULT_DATA), help="data directory (default: var/ferretdb)")
    common.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help=f"port on 127.0.0.1 (default: {DEFAULT_PORT}; `run` only: 0 = any free port)")
    common.add_argument("--kind", choices=["mongod", "ferretdb"], help="force a server (default: mongod if on PATH)")
    common.add_argument("--pid-file", default=str(DEFAULT_PID_FILE), help="(default: var/mongo-server.pid)")
    common.add_argument("--log-file", default=str(DEFAULT_LOG_FILE), help="(default: var/mongo-server.log)")
    parser = argparse.ArgumentParser(
        prog="python -m tools.mongo_server",
        description="The local MongoDB-compatible server (mongod if on PATH, else FerretDB/SQLite) on 127.0.0.1.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("start", parents=[common], help="start it detached (it stays after this command); `make db`")
    sub.add_parser("stop", parents=[common], help="stop the server `start` started; `make db-stop`")
    sub.add_parser("status", parents=[common], help="exit 0 running, 3 not running; `make db-status`")
    sub.add_parser("run", parents=[common], help="run it in the foreground until Ctrl-C")
    args = parser.parse_args(argv)
    if args.command == "run":
        return run_foreground(args)
    if not 0 < args.port < 65536:
        parser.error("--port must be between 1 and 65535 for start, stop and status")
    local = LocalServer(args.data, args.port, pid_file=args.pid_file, log_file=args.log_file, kind=args.kind)
    code, message = getattr(local, args.command)()
    print(message, file=sys.stderr if code not in (0, NOT_RUNNING) else sys.stdout, flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
