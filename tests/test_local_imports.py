"""Imports of our own code inside a function hide the direction of a dependency (issue 16): each one says why in
a comment (on its line or the line above), except in an AppConfig.ready(), where Django requires them. The number
without a reason may only go down."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = {"ledsadmin", "common", "accounts", "people", "notifications", "compliance", "certification", "background",
        "state_access", "training_events", "validations", "agreements", "paperwork", "statewide", "reminders", "audit",
        "demo"}
WITHOUT_A_REASON_AT_MOST = 0  # issue 16: every import of our code inside a function says why


def _unexplained(path: Path) -> list[str]:
    source = path.read_text()
    lines = source.splitlines()
    found = []
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if path.name == "apps.py" and function.name == "ready":
            continue
        for node in ast.walk(function):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            module = node.module or "" if isinstance(node, ast.ImportFrom) else node.names[0].name
            ours = (isinstance(node, ast.ImportFrom) and node.level) or module.split(".")[0] in APPS
            above = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
            if ours and "#" not in lines[node.lineno - 1] and not above.startswith("#"):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_imports_inside_functions_say_why():
    found = [hit for app in sorted(APPS) for path in sorted((ROOT / app).rglob("*.py"))
             if "migrations" not in path.parts for hit in _unexplained(path)]
    assert len(found) <= WITHOUT_A_REASON_AT_MOST, (
        f"{len(found)} imports of our code inside functions without a comment saying why (at most "
        f"{WITHOUT_A_REASON_AT_MOST}); move them to the top, or say why they must stay:\n" + "\n".join(found))
