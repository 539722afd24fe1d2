"""One read of the rule table per request (issue 23)."""

from . import selectors


class RuleTableMiddleware:
    """Opens the request's rule-table scope: the first ``selectors.rule_table()`` of a request reads the table, the
    dashboard's other panels reuse it. Outside a request (Celery tasks, commands) every call reads the table."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = selectors.open_rule_scope()
        try:
            return self.get_response(request)
        finally:
            selectors.close_rule_scope(token)
