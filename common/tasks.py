"""Large imports run in a Celery worker (issue 17); the task only calls the flow (state lives on the job row)."""

from celery import shared_task

from .imports import run_job


@shared_task(name="common.run_import", ignore_result=True, soft_time_limit=20 * 60, time_limit=25 * 60)
def run_import(job_id: int) -> None:
    run_job(job_id)
