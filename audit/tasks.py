"""The packet build runs in a Celery worker; the task only calls the service (state lives on the packet row)."""

from celery import shared_task

from .services import build_packet


@shared_task(name="audit.build_audit_packet", ignore_result=True, soft_time_limit=20 * 60, time_limit=25 * 60)
def build_audit_packet(packet_id: int) -> None:
    build_packet(packet_id=packet_id)


@shared_task(name="audit.build_waiting_packets", ignore_result=True, soft_time_limit=20 * 60, time_limit=25 * 60)
def build_waiting_packets() -> int:
    from .services import build_waiting_packets as build  # services import this module to dispatch: no cycle at load

    return build()
