"""gunicorn, the production server of Lotse (docs/betrieb.md, section 3; decision 0037).

Started from the project directory (``gunicorn`` reads this file from there):

    .venv/bin/gunicorn lotse.wsgi

Every value can be changed by the environment (``LOTSE_WEB_*``, below) or on the command line
(``gunicorn -w 3 …``, which wins). The server sits behind a reverse proxy (nginx, Apache,
a load balancer) that terminates TLS, buffers slow clients and limits the upload size; it
answers only on the address in ``LOTSE_WEB_BIND``.
"""

from __future__ import annotations

import os

wsgi_app = "lotse.wsgi:application"

# Address: loopback by default; on several app servers the private address the proxy reaches.
bind = [address.strip() for address in os.environ.get("LOTSE_WEB_BIND", "127.0.0.1:8000").split(",")]


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use (containers, taskset)
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# Workers: separate processes with synchronous requests (Django's and gunicorn's default, and
# the right one behind a buffering proxy). Two per core plus one keeps the cores busy while some
# wait for PostgreSQL; each takes about 150 MB (more while a PDF is rendered), so on small
# machines memory, not cores, is the limit: then LOTSE_WEB_WORKERS.
workers = int(os.environ.get("LOTSE_WEB_WORKERS", "0")) or 2 * _cores() + 1
worker_class = "sync"

# A request may take this long before its worker is restarted (the council report as PDF
# takes a few seconds; a register import runs in the background worker, not here).
timeout = int(os.environ.get("LOTSE_WEB_TIMEOUT", "60"))
# On reload or stop: running requests get this long to finish.
graceful_timeout = 30
# Behind the proxy: connections from it are kept open briefly.
keepalive = 5
# A worker is replaced after this many requests (with jitter, not all at once): a slow leak
# in a library cannot grow for weeks.
max_requests = 2000
max_requests_jitter = 200
# The heartbeat files in memory, not on a disk that may stall (and read-only containers).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 (gunicorn's advice)

# The application is loaded in each worker, not once before forking: database connections
# and the start-up key check (lotse/wsgi.py) belong to the worker that uses them.
preload_app = False

# gunicorn 25+ opens a control socket under ~/.gunicorn/ by default; two servers on one
# machine would share it. Lotse is steered by signals (systemd: reload = HUP, stop = TERM).
control_socket_disable = True

# --- Proxy -------------------------------------------------------------------------------------
# Only the proxy's addresses may set X-Forwarded-Proto/-For (comma-separated; "*" only when
# nothing else reaches this port). Django reads the scheme through SECURE_PROXY_SSL_HEADER and
# django-axes the client address through X-Forwarded-For (LOTSE_BEHIND_PROXY=1, lotse/settings.py).
forwarded_allow_ips = os.environ.get("LOTSE_WEB_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# --- Logs ---------------------------------------------------------------------------------------
# To stderr (journald under systemd). The access log names the path WITHOUT the query string
# (%(U)s, not %(r)s): search terms (names, birth dates) travel in query strings and are
# personal data that does not belong in a log. Neither referrer nor user agent. The request id
# is the one in Lotse's audit trail, so an entry can be followed there.
accesslog = os.environ.get("LOTSE_WEB_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("LOTSE_WEB_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms id=%({x-request-id}o)s'

# --- Limits (a first line of defence; the proxy has its own) -------------------------------------
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
