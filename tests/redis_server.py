"""A real redis-server on a free loopback port, for the distributed tests (as mongo_server.py is for
MongoDB)."""

import shutil
import socket
import subprocess
import time

import pytest
import redis


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """A real redis-server on a free loopback port, in `workdir`; `persistent` turns on the
    append-only file (the queue then survives a restart), `password` sets requirepass."""

    def __init__(self, workdir, *, persistent: bool = False, password: str | None = None):
        self.workdir = workdir
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.persistent, self.password = persistent, password
        self.port = free_port()
        self.proc = None
        self.url = f"redis://{f':{password}@' if password else ''}127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        args = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.workdir), "--save", ""]
        args += ["--appendonly", "yes", "--appendfsync", "always"] if self.persistent else ["--appendonly", "no"]
        if self.password:
            args += ["--requirepass", self.password]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = self.client()
        try:
            for _ in range(200):
                try:
                    client.ping()
                    return self
                except redis.exceptions.BusyLoadingError:
                    time.sleep(0.05)
                except redis.ConnectionError:
                    if self.proc.poll() is not None:
                        pytest.fail("redis-server exited at start")
                    time.sleep(0.05)
            pytest.fail("redis-server did not answer")
        finally:
            client.close()

    def stop(self) -> None:
        """SIGTERM: a persistent server writes its append-only file before it exits."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)

    def client(self, **kwargs) -> redis.Redis:
        return redis.Redis.from_url(self.url, **kwargs)
