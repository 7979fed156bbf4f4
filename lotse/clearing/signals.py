"""The register import hears when its background task ends as FAILED (``lotse.core.worker``
sends ``task_finished`` on every such path, inside the transaction that records it)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django_tasks_db.compat import TaskResultStatus, task_finished

from lotse.clearing import services


@receiver(task_finished)
def _register_import_task_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    from lotse.clearing.tasks import run_register_import

    if task_result.status != TaskResultStatus.FAILED:
        return
    if task_result.task.module_path != run_register_import.module_path:
        return
    import_id, attempt = task_result.args[:2]
    error = task_result.errors[-1].exception_class_path if task_result.errors else ""
    services.register_import_task_failed(
        import_id=import_id, attempt=attempt, worker_lost=error == "lotse.core.worker.WorkerLost"
    )
