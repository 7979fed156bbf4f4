"""``manage.py worker``: the background worker Lotse runs (lotse/core/worker.py, decision 0015).

Takes the options of django-tasks' ``db_worker`` and runs a worker that beats a heartbeat,
takes up the tasks of dead workers and outlives a locked or lost database. Never reloads on
code changes (``--reload`` is ignored): a reload would stop a task half-way.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError
from django_tasks_db.management.commands import db_worker

from lotse.core.crypto import verify_keys
from lotse.core.worker import Worker


class Command(db_worker.Command):
    help = "Hintergrunddienst: führt Aufgaben aus der Datenbank aus und übersteht Sperren und Abbrüche."

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        verify_keys()  # tasks read encrypted notes: refuse to start without the keys they need
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues geht nur zusammen mit --queue-name=*")
        worker = Worker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        worker.configure_signals()
        worker.run()
