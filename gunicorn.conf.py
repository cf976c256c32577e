"""gunicorn settings for surveyapp: `make serve`, or `gunicorn -c gunicorn.conf.py wsgi:app`.

Environment: SURVEYAPP_BIND (127.0.0.1:8000), SURVEYAPP_WORKERS (2 x CPUs + 1),
SURVEYAPP_TIMEOUT (120 s), SURVEYAPP_GRACEFUL_TIMEOUT (30 s). Signals to the master:
HUP starts new workers with the code and settings on disk and retires the old ones after
their current request; TERM stops taking connections and lets every request in flight
(a submit, say) finish, up to the graceful timeout. See docs/deployment.md.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the CPUs this process may use (containers)
    except AttributeError:
        return os.cpu_count() or 1


def _positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        sys.exit(f"surveyapp will not start: {name} must be a whole number of at least 1.")
    return int(raw)


bind = os.environ.get("SURVEYAPP_BIND", "127.0.0.1:8000")
# Sync workers: a request spends its time in Python (argon2 at login, workbook building)
# or waiting on the database, and nginx in front buffers slow clients, so one request
# per process is enough; 2 x CPUs + 1 keeps the CPUs busy while some wait on the database.
workers = _positive_int("SURVEYAPP_WORKERS", 2 * _cpus() + 1)
worker_class = "sync"
# A worker silent this long is killed; big HR workbooks need more than gunicorn's 30 s.
# Keep nginx's proxy_read_timeout at least this long.
timeout = _positive_int("SURVEYAPP_TIMEOUT", 120)
# On TERM/HUP a worker finishes the request it holds for up to this long.
graceful_timeout = _positive_int("SURVEYAPP_GRACEFUL_TIMEOUT", 30)
keepalive = 5  # nginx keeps upstream connections open (keepalive in the upstream block)
# Recycle a worker now and then, after a request completes, so slow memory growth in any
# library cannot accumulate; the jitter keeps workers from restarting together.
max_requests = 10000
max_requests_jitter = 1000
# Off, because: with preload the master holds the imported app, so a HUP reload would
# start workers with the old code (only a full restart would pick up new code), and
# database connections opened while loading would be shared by forked workers. The cost
# is each worker importing the app itself (about a second at start, no shared memory).
preload_app = False
# The heartbeat file is touched on every request; on /dev/shm that never waits on a disk.
# (gunicorn creates it with mkstemp and unlinks it at once, so a shared folder is safe.)
SHM = "/dev/shm"  # noqa: S108
worker_tmp_dir = SHM if os.path.isdir(SHM) else None
# No access log: the app writes one JSON line per request with the request id, user and
# duration (surveyapp/obs.py). gunicorn's own messages go to stderr.
accesslog = None
errorlog = "-"
loglevel = "info"
proc_name = "surveyapp"
# Signals (and systemd's ExecReload=kill -HUP) are the control interface; gunicorn's control
# socket would sit at one path per user, shared by every instance on the host.
control_socket_disable = True
# X-Forwarded-Proto is trusted from these addresses only (gunicorn's default is the
# loopback nginx); set FORWARDED_ALLOW_IPS for an nginx on another host.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")


def on_starting(server):
    """Refuse an unsafe configuration before any worker starts (see surveyapp/preflight.py)."""
    checked = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "surveyapp.preflight", "--workers", str(server.cfg.workers)],
        cwd=ROOT,
        check=False,
    )
    if checked.returncode != 0:
        sys.exit(checked.returncode)
