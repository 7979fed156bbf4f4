"""A background task that leaves a trace each time it runs, for the test that several workers
run every task exactly once (tests/core/test_two_servers.py). Appends one line – its number
and the worker's process id – to ``probe.log`` in ``LOTSE_VAR_DIR`` (O_APPEND: lines from two
processes never mix)."""

from __future__ import annotations

import os
import time

from django.conf import settings
from django_tasks import task


@task()
def probe(number: int) -> int:
    time.sleep(0.02)  # long enough that both workers find work while the other is busy
    line = f"{number} {os.getpid()}\n".encode()
    descriptor = os.open(settings.VAR_DIR / "probe.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(descriptor, line)
    finally:
        os.close(descriptor)
    return number
