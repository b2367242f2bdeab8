"""A private ``redis-server`` for ``gongkai crawl --workers N`` without ``--redis`` (and for tests).

Debian's ``redis-server`` from PATH, listening only on a unix socket in a temporary folder,
with the append-only file on (a restart loses no queued request), stopped at the end.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import redis

INSTALL_HINT = ("redis-server is not installed: `sudo apt-get install redis-server` (Debian/Ubuntu), "
                "or give --redis URL of a running Redis")


class RedisServerMissing(RuntimeError):
    pass


class PrivateRedis:
    """``with PrivateRedis() as server: server.url`` → ``unix:///tmp/…/redis.sock``.

    :param folder: where the socket and the AOF live (a new temporary folder by default);
        :meth:`restart` reuses it, so the data survives as it would on a real server.
    :param port: also listen on 127.0.0.1:port (0 = socket only).
    """

    def __init__(self, folder: str | Path | None = None, port: int = 0, password: str | None = None) -> None:
        self.executable = shutil.which("redis-server")
        if self.executable is None:
            raise RedisServerMissing(INSTALL_HINT)
        self._tmp = None if folder else tempfile.TemporaryDirectory(prefix="gongkai-redis-")
        self.folder = Path(folder or self._tmp.name)  # type: ignore[union-attr]
        self.folder.mkdir(parents=True, exist_ok=True)
        # a unix socket path must stay under ~107 bytes: its own short folder in /tmp
        self._socket_dir = tempfile.mkdtemp(prefix="gk-redis-")
        self.port = port
        self.password = password
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def socket(self) -> Path:
        return Path(self._socket_dir) / "redis.sock"

    @property
    def url(self) -> str:
        auth = f":{self.password}@" if self.password else ""
        if self.port:
            return f"redis://{auth}127.0.0.1:{self.port}/0"
        return f"unix://{auth}{self.socket}?db=0"

    def start(self, timeout: float = 10.0) -> PrivateRedis:
        args = [self.executable, "--port", str(self.port), "--bind", "127.0.0.1",
                "--unixsocket", str(self.socket), "--unixsocketperm", "700", "--dir", str(self.folder),
                "--appendonly", "yes", "--appendfsync", "everysec", "--save", "", "--daemonize", "no",
                "--logfile", str(self.folder / "redis.log")]
        if self.password:
            args += ["--requirepass", self.password]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while True:
            try:
                redis.Redis.from_url(self.url, socket_connect_timeout=1).ping()
                return self
            except redis.RedisError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    log = (self.folder / "redis.log")
                    detail = log.read_text()[-500:] if log.exists() else ""
                    raise RuntimeError(f"redis-server did not start: {detail}") from None
                time.sleep(0.05)

    def stop(self, kill: bool = False) -> None:
        if self.process is None:
            return
        if kill:
            self.process.kill()
        else:
            self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def __enter__(self) -> PrivateRedis:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
        shutil.rmtree(self._socket_dir, ignore_errors=True)
        if self._tmp is not None:
            self._tmp.cleanup()
