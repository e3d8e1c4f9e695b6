from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NURSE = "amara@riverside.example"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def _session_cookie(env: dict[str, str]) -> str:
    """Sign the demo nurse in on the scratch database; return the cookie header value.

    A CSRF cookie goes with the session, so the forms wapiti reads carry tokens that match it
    and its attacks reach the views instead of stopping at the CSRF check.
    """
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.utils.crypto import get_random_string

    from teams.models import User

    client = Client()
    client.force_login(User.objects.get(email=NURSE))
    name = settings.SESSION_COOKIE_NAME
    csrf = f"{settings.CSRF_COOKIE_NAME}={get_random_string(32)}"
    return f"{name}={client.cookies[name].value}; {csrf}"


def _wait(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if process.poll() is not None:
                raise SystemExit("daphne exited") from None
            time.sleep(0.2)
    raise SystemExit("daphne did not start")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.scan")
    parser.add_argument("--wapiti", default="wapiti", help="the wapiti executable")
    parser.add_argument("--minutes", type=float, default=8)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="patch-scan-"))
    env = {
        **os.environ,
        "SQLITE_PATH": str(work / "scan.sqlite3"),
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    _manage(env, "migrate", "--verbosity", "0")
    _manage(env, "seed_demo")
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    with (work / "daphne.log").open("wb") as log:
        daphne = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port)]
            + ["config.asgi:application"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait(port, daphne)
        report = work / "wapiti.json"
        seconds = str(int(args.minutes * 60))
        subprocess.run(
            [args.wapiti, "-u", base, "--scope", "folder", "-C", _session_cookie(env)]
            + ["-x", f"{base}logout/", "--max-scan-time", seconds]
            + ["--max-attack-time", str(int(args.minutes * 60 / 6)), "--flush-session"]
            + ["-f", "json", "-o", str(report), "-v", "0"],
            check=False,
        )
    finally:
        daphne.terminate()
        daphne.wait(timeout=10)
    findings = json.loads(report.read_text())
    counts = Counter(
        {
            kind: len(items)
            for part in ("vulnerabilities", "anomalies")
            for kind, items in findings.get(part, {}).items()
            if items
        }
    )
    print(f"report: {report}\ndaphne log: {work / 'daphne.log'}")
    for kind, count in sorted(counts.items()):
        print(f"{count:4d}  {kind}")
        for part in ("vulnerabilities", "anomalies"):
            for item in findings.get(part, {}).get(kind, [])[:5]:
                print(f"      {item.get('method')} {item.get('path')} {item.get('info', '')[:120]}")
    if not counts:
        print("no findings")


if __name__ == "__main__":
    main()
