"""Architecture rules, checked on the source with ast (nothing is imported or executed):

- checker/rules and checker/report never reach ifcopenshell or the IFC side of checker.model, directly or through
  another checker module (facts, config and ids_outcomes are plain pydantic data and allowed);
- only the CLI layer (checker/cli.py and its `ids` commands, checker/cli_ids.py) imports click;
- nothing in checker/ evaluates code (eval, exec, compile, __import__, importlib.import_module).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "checker"
PURE_PACKAGES = ("checker.rules", "checker.report")
FORBIDDEN_FOR_PURE = ("ifcopenshell", "checker.model.extract", "checker.model.loader", "checker.model.index")
ALLOWED_MODEL_MODULES = {"checker.model", "checker.model.facts", "checker.model.config", "checker.model.ids_outcomes"}
CODE_RUNNERS = {"eval", "exec", "compile", "__import__"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    is_package = MODULES.get(module, Path()).name == "__init__.py"
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


@cache
def imports(module: str) -> frozenset[str]:
    """Every module name `module` imports (absolute), with `from x import y` giving both x and x.y."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            source = _resolve(module, node)
            found.add(source)
            found.update(f"{source}.{alias.name}" for alias in node.names)
    return frozenset(found)


def _parents(name: str) -> list[str]:
    """Importing a.b.c runs a/__init__ and a/b/__init__ first."""
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def reachable(module: str) -> dict[str, str]:
    """Every module reachable from `module` -> the checker module that imports it (for the failure message)."""
    seen: dict[str, str] = {}
    stack = [module]
    while stack:
        current = stack.pop()
        for target in imports(current):
            for name in _parents(target):
                if name in seen:
                    continue
                seen[name] = current
                if name in MODULES:
                    stack.append(name)
    return seen


PURE_MODULES = [m for m in MODULES if m.startswith(PURE_PACKAGES)]


def test_the_package_is_found() -> None:
    assert "checker.rules.engine" in MODULES and "checker.report.html" in MODULES and "checker.cli" in MODULES


@pytest.mark.parametrize("module", PURE_MODULES)
def test_rules_and_report_never_import_ifc_code(module: str) -> None:
    direct = imports(module)
    for forbidden in FORBIDDEN_FOR_PURE:
        assert not any(name == forbidden or name.startswith(f"{forbidden}.") for name in direct), (
            f"{module} imports {forbidden}"
        )
    model_modules = {".".join(n.split(".")[:3]) for n in direct if n.startswith("checker.model.")}
    assert model_modules <= ALLOWED_MODEL_MODULES, f"{module} imports {sorted(model_modules - ALLOWED_MODEL_MODULES)}"
    for name, via in reachable(module).items():
        for forbidden in FORBIDDEN_FOR_PURE:
            assert not (name == forbidden or name.startswith(f"{forbidden}.")), f"{module} reaches {name} through {via}"


@pytest.mark.parametrize("module", list(MODULES))
def test_only_the_cli_imports_click(module: str) -> None:
    uses_click = any(name == "click" or name.startswith("click.") for name in imports(module))
    is_cli = module == "checker.cli" or module.startswith("checker.cli_")  # the command and its split-out parts
    assert uses_click == is_cli, module


@pytest.mark.parametrize("module", list(MODULES))
def test_no_code_is_evaluated(module: str) -> None:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name):
            assert func.id not in CODE_RUNNERS, f"{module}:{node.lineno} calls {func.id}()"
        elif isinstance(func, ast.Attribute):  # re.compile is fine; builtins.eval and importlib.import_module are not
            assert func.attr not in {"eval", "exec", "import_module"}, f"{module}:{node.lineno} calls .{func.attr}()"
            owner = func.value.id if isinstance(func.value, ast.Name) else ""
            assert not (owner == "builtins" and func.attr in CODE_RUNNERS), (
                f"{module}:{node.lineno} calls builtins.{func.attr}()"
            )


def test_the_model_side_is_the_only_ifcopenshell_user() -> None:
    users = {m for m in MODULES if any(n == "ifcopenshell" or n.startswith("ifcopenshell.") for n in imports(m))}
    assert users, "nothing imports ifcopenshell?"
    assert all(m.startswith("checker.model.") for m in users), sorted(users)


@pytest.mark.parametrize(
    ("argv", "absent"),
    [
        (["--help"], ("ifcopenshell", "pydantic", "jinja2", "lxml", "checker.api", "checker.report")),
        (["check", "--help"], ("ifcopenshell", "pydantic", "jinja2", "checker.api")),
        (["batch", "--help"], ("ifcopenshell", "pydantic", "checker.batch.engine")),
        (["rulesets", "list"], ("ifcopenshell", "jinja2", "lxml", "checker.model.loader", "checker.report.html")),
    ],
)
def test_help_and_listing_import_no_checking_machinery(argv: list[str], absent: tuple[str, ...]) -> None:
    """Issue 13, item 4: `greencheck --help` and `rulesets list` start fast because the CLI imports the checking
    machinery (ifcopenshell, pydantic models, report templates) only inside the commands that check. Measured in
    benchmarks/bench_startup.py; here the import graph is asserted, not a time."""
    script = (
        "import sys, contextlib, io\n"
        "from checker.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    try: main({argv!r})\n"
        "    except SystemExit: pass\n"
        f"print(sorted(m for m in {list(absent)!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout + done.stderr
