"""A local cluster without containers: N replicas of the app behind HAProxy, on loopback only.

``make cluster`` runs ``python -m deploy.cluster start`` and ``make cluster-stop`` runs
``python -m deploy.cluster stop``; the failover browser test and the load benchmark use
:class:`Cluster` directly. The HAProxy configuration is rendered from
``deploy/haproxy.cfg.template`` (the same file a real host would start from).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "haproxy.cfg.template"
STATE_DIR = ROOT / ".cluster"
HEALTH = "/_stcore/health"
COOKIE = "ATLAS_REPLICA"  # the cookie HAProxy sets to pin a session to its replica
HAPROXY = os.environ.get("HAPROXY", shutil.which("haproxy") or "/usr/sbin/haproxy")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(url: str, timeout: float = 2) -> bool:
    try:
        with urllib.request.urlopen(url + HEALTH, timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


def render_config(replicas: dict[str, int], bind: str) -> str:
    """The HAProxy configuration for these replicas (name → loopback port)."""
    servers = "\n".join(f"    server {name} 127.0.0.1:{port} check cookie {name}" for name, port in replicas.items())
    return string.Template(TEMPLATE.read_text(encoding="utf-8")).substitute(bind=bind, servers=servers)


@dataclass
class Replica:
    name: str
    port: int
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Cluster:
    """``replicas`` app servers and one HAProxy; ``detach`` lets them outlive this process."""

    replicas: int = 3
    port: int = 0  # HAProxy's port; 0 picks a free one
    ports: list[int] = field(default_factory=list)  # the replicas' ports; empty picks free ones
    state_dir: Path = STATE_DIR
    detach: bool = False
    members: list[Replica] = field(default_factory=list)
    haproxy: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _spawn(self, args: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
        handle = log.open("ab")
        try:
            return subprocess.Popen(
                args,
                cwd=ROOT,
                env={**os.environ, **(env or {})},
                stdin=subprocess.DEVNULL,
                stdout=handle,
                stderr=subprocess.STDOUT,
                start_new_session=self.detach,
            )
        finally:
            handle.close()

    def start(self, timeout: float = 120) -> Cluster:
        if not Path(HAPROXY).exists():
            raise RuntimeError(f"haproxy not found at {HAPROXY} (make cluster installs Debian's haproxy)")
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.port = self.port or free_port()
        try:
            self._launch(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _launch(self, timeout: float) -> None:
        ports = self.ports or [free_port() for _ in range(self.replicas)]
        # One cookie secret for all replicas: the XSRF token a visitor got from one replica
        # must still be accepted by the next (file uploads after a failover).
        env = {
            "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32),
            "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        }
        for i, port in enumerate(ports[: self.replicas], start=1):
            replica = Replica(f"r{i}", port)
            replica.process = self._spawn(
                [
                    sys.executable,
                    "-m",
                    "streamlit",
                    "run",
                    "app.py",
                    "--server.headless=true",
                    "--server.address=127.0.0.1",
                    f"--server.port={port}",
                    # replicas serve, they do not watch the source tree (that costs CPU per replica)
                    "--server.fileWatcherType=none",
                    "--server.runOnSave=false",
                ],
                self.state_dir / f"{replica.name}.log",
                env,
            )
            self.members.append(replica)
        self._save()
        # HAProxy counts a server as up until its first check: start it once the replicas answer.
        self.wait([r.url for r in self.members], timeout)
        config = self.state_dir / "haproxy.cfg"
        config.write_text(
            render_config({r.name: r.port for r in self.members}, f"127.0.0.1:{self.port}"), encoding="utf-8"
        )
        subprocess.run([HAPROXY, "-c", "-q", "-f", str(config)], check=True, timeout=30)
        self.haproxy = self._spawn([HAPROXY, "-db", "-f", str(config)], self.state_dir / "haproxy.log")
        self._save()
        self.wait([self.url], timeout)

    def wait(self, urls: list[str], timeout: float) -> None:
        """Poll the health endpoints until every one answers."""
        deadline = time.monotonic() + timeout
        waiting = list(urls)
        while waiting:
            waiting = [u for u in waiting if not healthy(u)]
            dead = [r.name for r in self.members if r.process and r.process.poll() is not None]
            if self.haproxy and self.haproxy.poll() is not None:
                dead.append("haproxy")
            if dead:
                raise RuntimeError(f"exited during start: {', '.join(dead)} (logs in {self.state_dir})")
            if waiting and time.monotonic() > deadline:
                raise RuntimeError(f"not healthy within {timeout:.0f} s: {', '.join(waiting)}")
            if waiting:
                time.sleep(0.25)

    def events(self) -> list[str]:
        """HAProxy's notes on replicas going down or up, oldest first."""
        log = self.state_dir / "haproxy.log"
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines() if log.exists() else []
        events: list[str] = []
        for line in lines:  # HAProxy writes each note to its log and to stderr: keep one
            if "Server replicas/" in line and (" is DOWN" in line or " is UP" in line):
                note = line[line.index("Server replicas/") :]
                if not events or events[-1] != note:
                    events.append(note)
        return events

    def replica(self, name: str) -> Replica:
        return next(r for r in self.members if r.name == name)

    def stop_replica(self, name: str) -> None:
        """Stop one replica, as a crash or a scale-down would."""
        _stop(self.replica(name).process)

    def stop(self) -> None:
        _stop(self.haproxy)
        for replica in self.members:
            _stop(replica.process)
        (self.state_dir / "state.json").unlink(missing_ok=True)

    def _save(self) -> None:
        state = {
            "url": self.url,
            "haproxy": self.haproxy.pid if self.haproxy else None,
            "replicas": {r.name: {"port": r.port, "pid": r.process.pid} for r in self.members if r.process},
        }
        (self.state_dir / "state.json").write_text(json.dumps(state, indent=2), encoding="utf-8")


def _stop(process: subprocess.Popen | None, timeout: float = 10) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)


def _stop_pid(pid: int, timeout: float = 10) -> None:
    """Stop a process started by an earlier ``start`` (its id is in .cluster/state.json)."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.cluster", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    start = sub.add_parser("start", help="start the replicas and HAProxy in the background")
    start.add_argument("--replicas", type=int, default=3)
    start.add_argument("--port", type=int, default=8500, help="HAProxy's port on 127.0.0.1")
    start.add_argument("--first-replica-port", type=int, default=8511)
    sub.add_parser("stop", help="stop what `start` started")
    args = parser.parse_args(argv)
    if args.command == "start" and not 1 <= args.replicas <= 16:
        parser.error("--replicas must be 1-16")
    state_file = STATE_DIR / "state.json"
    if args.command == "stop":
        if not state_file.exists():
            print("no cluster running (no .cluster/state.json)")
            return 0
        state = json.loads(state_file.read_text(encoding="utf-8"))
        for pid in [state["haproxy"], *(r["pid"] for r in state["replicas"].values())]:
            if pid:
                _stop_pid(pid)
        state_file.unlink()
        print("cluster stopped")
        return 0
    if state_file.exists():
        print(f"a cluster is already running ({state_file}); `make cluster-stop` first", file=sys.stderr)
        return 2
    ports = [args.first_replica_port + i for i in range(args.replicas)]
    cluster = Cluster(args.replicas, args.port, ports, detach=True)
    try:
        cluster.start()
    except (RuntimeError, subprocess.SubprocessError, OSError) as exc:
        print(f"cluster did not start: {exc}", file=sys.stderr)
        return 1
    print(f"CPEC Atlas on {cluster.url} via HAProxy → " + ", ".join(f"{r.name} {r.url}" for r in cluster.members))
    print("logs in .cluster/; stop with `make cluster-stop`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
