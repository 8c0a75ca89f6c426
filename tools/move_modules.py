"""Move modules of the `ordino` package and rewrite every reference to them: the
tool of the rebuild by capability (docs/layout.md), deleted when it is done.

    python tools/move_modules.py MOVES.json      # {"ordino.kernel.domain.money": "ordino.kernel.domain.money", ...}

For each move: `git mv` of the file (packages on the way get an `__init__.py` with
a docstring to be written), then, in every Python, Markdown and TOML file of the
repository, the references rewritten:
- `from old import names` and `import old`: the new dotted path;
- `from package import module, ...` where a module moved: one line per new package,
  the module imported under its old name (`from new.package import new_name as
  module`) unless the name did not change;
- any other dotted mention (`"ordino.app.worker"` in a logger or a monkeypatch,
  ``ordino.orchestration.services.payments`` in the docs): the new dotted path.
`ruff check --fix` and `ruff format` sort and format the imports afterwards.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SKIP = {".git", ".venv", "mutants", "node_modules"}


def path_of(module: str) -> Path:
    return ROOT / "src" / (module.replace(".", "/") + ".py")


def move_files(moves: dict[str, str]) -> None:
    for old, new in moves.items():
        target = path_of(new)
        for package in target.parents:
            if package == ROOT / "src":
                break
            init = package / "__init__.py"
            if not init.exists():
                package.mkdir(parents=True, exist_ok=True)
                init.write_text('"""TODO: what this package holds."""\n')
                subprocess.run(["git", "add", str(init)], check=True, cwd=ROOT)
        subprocess.run(["git", "mv", str(path_of(old)), str(target)], check=True, cwd=ROOT)


def _split_from_package(node: ast.ImportFrom, moves: dict[str, str]) -> list[str] | None:
    """`from pkg import a, b` where `pkg.a` moved: the lines that replace it."""
    moved = [alias for alias in node.names if f"{node.module}.{alias.name}" in moves]
    if not moved:
        return None
    lines, kept = [], [alias for alias in node.names if alias not in moved]
    if kept:
        names = ", ".join(_alias(a.name, a.asname) for a in kept)
        lines.append(f"from {node.module} import {names}")
    for alias in moved:
        new = moves[f"{node.module}.{alias.name}"]
        package, name = new.rsplit(".", 1)
        local = alias.asname or alias.name
        lines.append(f"from {package} import {_alias(name, None if local == name else local)}")
    return lines


def _alias(name: str, asname: str | None) -> str:
    return name if asname is None else f"{name} as {asname}"


def rewrite_python(text: str, moves: dict[str, str]) -> str:
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return text
    lines = text.splitlines(keepends=True)
    edits: list[tuple[int, int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            replacement = _split_from_package(node, moves)
            if replacement is None:
                continue
            indent = re.match(r"\s*", lines[node.lineno - 1]).group(0)  # type: ignore[union-attr]
            body = "".join(f"{indent}{line}\n" for line in replacement)
            edits.append((node.lineno - 1, node.end_lineno or node.lineno, body))
    for start, end, body in sorted(edits, reverse=True):
        # a trailing comment (noqa) on the first line is kept on each new line
        comment = re.search(r"#.*$", lines[start].rstrip("\n"))
        if comment and "(" not in lines[start].split("#")[0]:
            body = "".join(
                f"{line}  {comment.group(0)}\n" for line in body.rstrip("\n").split("\n")
            )
        lines[start:end] = [body]
    return rewrite_dotted("".join(lines), moves)


def rewrite_dotted(text: str, moves: dict[str, str]) -> str:
    if not moves:
        return text
    olds = sorted(moves, key=len, reverse=True)
    pattern = re.compile(
        r"(?<![A-Za-z0-9_.])(" + "|".join(re.escape(o) for o in olds) + r")(?![A-Za-z0-9_])"
    )
    return pattern.sub(lambda m: moves[m.group(1)], text)


def files() -> list[Path]:
    found = []
    for path in ROOT.rglob("*"):
        if any(part in SKIP for part in path.relative_to(ROOT).parts):
            continue
        if path.is_file() and path.suffix in {".py", ".md", ".toml", ".cfg", ".ini", ".txt"}:
            found.append(path)
    return found


def rewrite_names(text: str, names: dict[str, str]) -> str:
    """`from module import a, Name, b` with `module:Name` moved: Name imported from its
    new module on a line of its own."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return text
    lines = text.splitlines(keepends=True)
    edits: list[tuple[int, int, str]] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.ImportFrom) and node.module and node.level == 0):
            continue
        moved = [a for a in node.names if f"{node.module}:{a.name}" in names]
        if not moved:
            continue
        indent = re.match(r"\s*", lines[node.lineno - 1]).group(0)  # type: ignore[union-attr]
        kept = [a for a in node.names if a not in moved]
        out = []
        if kept:
            out.append(f"from {node.module} import {', '.join(_alias(a.name, a.asname) for a in kept)}")
        out += [
            f"from {names[f'{node.module}:{a.name}']} import {_alias(a.name, a.asname)}" for a in moved
        ]
        body = "".join(f"{indent}{line}\n" for line in out)
        edits.append((node.lineno - 1, node.end_lineno or node.lineno, body))
    for start, end, body in sorted(edits, reverse=True):
        lines[start:end] = [body]
    return "".join(lines)


def main() -> None:
    if sys.argv[1] == "--names":
        names: dict[str, str] = json.loads(Path(sys.argv[2]).read_text())
        for path in files():
            if path.suffix == ".py":
                text = path.read_text()
                new = rewrite_names(text, names)
                if new != text:
                    path.write_text(new)
    else:
        moves: dict[str, str] = json.loads(Path(sys.argv[1]).read_text())
        move_files(moves)
        for path in files():
            text = path.read_text()
            new = rewrite_python(text, moves) if path.suffix == ".py" else rewrite_dotted(text, moves)
            if new != text:
                path.write_text(new)
    subprocess.run([".venv/bin/ruff", "check", "--fix", "--select", "I,F401", "src", "tests"], cwd=ROOT)
    subprocess.run([".venv/bin/ruff", "format", "src", "tests"], cwd=ROOT)


if __name__ == "__main__":
    main()
