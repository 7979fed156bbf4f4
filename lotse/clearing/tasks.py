"""Background tasks of the Clearingstelle (django-tasks; run by ``manage.py worker``)."""

from __future__ import annotations

from django_tasks import task

from lotse.clearing import services


@task()
def run_register_import(import_id: int, attempt: int) -> dict[str, int]:
    """Run or resume one register import. A stale attempt (the import was restarted) does nothing."""
    return services.register_import_process(import_id=import_id, attempt=attempt)
