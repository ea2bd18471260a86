"""The house rules about where code lives, checked over the source with ast: reader/ is a set of packages whose
imports go one way (each package's allowed imports are stated below), Qt only in reader/ui, SQL only in
reader/library/db, no import circles, no module over 600 lines, a docstring opening every module, and README's
map of the packages true to the tree."""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "reader"
UI = PACKAGE / "ui"


def _name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES: dict[str, Path] = {_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


@lru_cache(maxsize=None)
def _tree(name: str) -> ast.Module:
    return ast.parse(MODULES[name].read_text(encoding="utf-8"), str(MODULES[name]))


def _is_ui(name: str) -> bool:
    return name == "reader.ui" or name.startswith("reader.ui.")


def _imported(node: ast.AST, module: str) -> list[str]:
    """The absolute names an import statement names (relative ones resolved from `module`)."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    if not node.level:
        base = node.module or ""
    else:
        package = module if MODULES.get(module, Path()).name == "__init__.py" else module.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{node.module}" if node.module else package
    return [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]


def _all_imports(name: str) -> list[tuple[int, str]]:
    """Every import in a module, at any depth (a function's own imports count too), with its line."""
    return [(node.lineno, target) for node in ast.walk(_tree(name)) for target in _imported(node, name)]


def _module_level_imports(name: str) -> set[str]:
    """The reader modules a module imports when it is itself imported: its top-level statements, including
    those under a top-level if/try, but not `if TYPE_CHECKING:` (never run)."""
    found: set[str] = set()

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.If):
                if "TYPE_CHECKING" not in ast.unparse(node.test):
                    visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                for block in (node.body, node.orelse, node.finalbody, *(h.body for h in node.handlers)):
                    visit(block)
            else:
                found.update(t for t in _imported(node, name) if t in MODULES and t != name)

    visit(_tree(name).body)
    return found


# -- Qt lives in reader/ui -------------------------------------------------------------------------

@pytest.mark.parametrize("name", [n for n in MODULES if not _is_ui(n)])
def test_no_qt_outside_the_ui(name):
    qt = [f"line {line}: {target}" for line, target in _all_imports(name) if target.split(".")[0] in ("PySide6", "shiboken6")]
    assert not qt, f"{name} imports Qt; only reader/ui may"


CONTROLLER_MODULES = [n for n in MODULES if n.startswith("reader.ui.controllers.")]


def test_the_controllers_are_found():
    assert len(CONTROLLER_MODULES) >= 6, CONTROLLER_MODULES  # reading, notes, streaming, studying, importing, file jobs


@pytest.mark.parametrize("name", CONTROLLER_MODULES)
def test_controllers_use_no_widgets(name):
    widgets = [f"line {line}: {target}" for line, target in _all_imports(name) if target.startswith("PySide6.QtWidgets")]
    assert not widgets, f"{name} imports QtWidgets; a controller holds behaviour, widgets live in reader/ui/widgets"


# -- SQL lives in the Store ------------------------------------------------------------------------

SQL = re.compile(r"""^\s*(?:
      select\s+(?:distinct\s+)?(?:\*|count\(|[\w.]+(?:\s*,\s*[\w.]+)*\s+from\s)
    | with\s+\w+\s+as\s*\(
    | insert\s+(?:or\s+\w+\s+)?into\s
    | replace\s+into\s
    | update\s+\w+\s+set\s
    | delete\s+from\s
    | create\s+(?:unique\s+|virtual\s+|temp\w*\s+)?(?:table|index|view|trigger)\s
    | drop\s+(?:table|index|view|trigger)\s
    | alter\s+table\s
    | pragma\s+\w+
    | begin(?:\s+(?:immediate|exclusive|deferred))?(?:\s+transaction)?\s*;?\s*$
    | vacuum\b | attach\s+database\s
)""", re.I | re.X | re.S)


@pytest.mark.parametrize("text, is_sql", [
    ("select * from videos", True),
    ("SELECT count(*) FROM answers", True),
    ("select h.id, h.text from highlights h", True),
    ("insert into highlights values (?)", True),
    ("INSERT OR REPLACE INTO x VALUES (1)", True),
    ("update answers set status = 'incomplete'", True),
    ("delete from cues where video_id = ?", True),
    ("create table t (x)", True),
    ("CREATE VIRTUAL TABLE f USING fts5(x)", True),
    ("PRAGMA journal_mode=WAL", True),
    ("pragma integrity_check", True),
    ("BEGIN IMMEDIATE", True),
    ("Select some words in the transcript first (drag across them).", False),
    ("Delete the entry, and the files Reader keeps for it.", False),
    ("Create the folder if need be.", False),
    ("Update the library", False),
    ("Begin here", False),
    ("select", False),
])
def test_the_sql_detector_tells_sql_from_prose(text, is_sql):
    assert bool(SQL.match(text)) is is_sql


def _docstrings(tree: ast.Module) -> set[int]:
    """ids of the string constants that stand alone as statements (docstrings, notes)."""
    return {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}


# genanki writes its own deck database (an Anki file, not the library): export hands it a connection.
SQLITE_EXEMPT = {("reader.exchange.anki", "_write_package"): "genanki's deck database inside an .apkg file, not the library"}


def _enclosing_functions(tree: ast.Module) -> dict[int, str]:
    """id of each node -> the innermost function it is in (ast.walk meets outer functions first)."""
    owner: dict[int, str] = {}
    for fn in ast.walk(tree):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(fn):
                owner[id(node)] = fn.name
    return owner


STORE_MODULES = tuple(n for n in MODULES if n.startswith("reader.library.db."))  # the Store and the queries composed into it


@pytest.mark.parametrize("name", [n for n in MODULES if n not in STORE_MODULES])
def test_no_sql_outside_the_store(name):
    tree = _tree(name)
    skip = _docstrings(tree)
    sql = [f"line {node.lineno}: {node.value[:60]!r}" for node in ast.walk(tree)
           if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip and SQL.match(node.value)]
    assert not sql, f"{name} holds SQL; the library's SQL belongs in reader/library/db/"
    owner = _enclosing_functions(tree)
    database_calls = [
        f"line {node.lineno}: {ast.unparse(node.func)}" for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        and (node.func.attr in ("execute", "executemany", "executescript")
             or ast.unparse(node.func) in ("sqlite3.connect", "sqlite_utils.Database"))
        and (name, owner.get(id(node), "")) not in SQLITE_EXEMPT
    ]
    assert not database_calls, f"{name} opens or queries a database; only the Store does"


def test_the_exemptions_are_still_needed():
    """An exemption whose code has gone is removed too."""
    for (name, function), reason in SQLITE_EXEMPT.items():
        tree = _tree(name)
        fn = next((n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == function), None)
        assert fn is not None and "sqlite3.connect" in ast.unparse(fn), f"{name}.{function}: {reason} — no longer there"


# -- no import circles -----------------------------------------------------------------------------

def _deferred_imports(name: str) -> set[str]:
    """The reader modules a module imports anywhere, a function's own imports included (they run when it
    is called), but not under `if TYPE_CHECKING:`."""
    tree = _tree(name)
    typing_only = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
                   for n in ast.walk(node)}
    return {t for node in ast.walk(tree) if id(node) not in typing_only for t in _imported(node, name) if t in MODULES and t != name}


def _cycles(imports=_module_level_imports) -> list[list[str]]:
    """The import circles among reader's modules (Tarjan's strongly connected components of two or more)."""
    graph = {name: imports(name) for name in MODULES}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return found


def test_the_import_graph_sees_imports():
    """The graph the circle test walks is the real one (an empty graph would have no circles)."""
    assert {"reader.library.db.store", "reader.asking.llm"} <= _module_level_imports("reader.asking.questions")
    assert "reader.transcript.model" in _module_level_imports("reader.transcript")
    assert "reader.asking.study" not in _module_level_imports("reader.asking.questions")  # under TYPE_CHECKING only


def test_no_import_circle():
    """Importing any module never needs one that is still being imported (module-level imports only)."""
    cycles = _cycles()
    assert not cycles, "import circles: " + "; ".join(" ↔ ".join(c) for c in cycles)


def test_no_circle_even_through_imports_inside_functions():
    """A circle closed only by an import inside a function (deferred to dodge it) is a circle too."""
    cycles = _cycles(_deferred_imports)
    assert not cycles, "import circles through deferred imports: " + "; ".join(" ↔ ".join(c) for c in cycles)


# -- every module opens with its docstring ----------------------------------------------------------

@pytest.mark.parametrize("name", list(MODULES))
def test_every_module_opens_with_a_docstring_line(name):
    first = MODULES[name].read_text(encoding="utf-8").split("\n", 1)[0]
    assert first.startswith('"""') and first.strip('"').strip(), f"{name} does not open with a docstring line"
    assert ast.get_docstring(_tree(name)), f"{name}: the opening string is not the module's docstring"


def test_the_sql_detector_finds_the_store_s_own_sql():
    """The rule bites: it finds the Store's statements (a detector that found nothing would pass everything)."""
    found = [n.value for name in STORE_MODULES for n in ast.walk(_tree(name))
             if isinstance(n, ast.Constant) and isinstance(n.value, str) and SQL.match(n.value)]
    assert len(found) >= 20 and any(f.lower().startswith("select") for f in found)


TESTS = Path(__file__).resolve().parent


@pytest.mark.parametrize("path", sorted(TESTS.glob("test_*.py")), ids=lambda p: p.name)
def test_test_files_take_shared_helpers_from_conftest_only(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    borrowed = [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("test_")]
    borrowed += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
                 if alias.name.startswith("test_")]
    assert not borrowed, f"{path.name} imports from another test file ({', '.join(borrowed)}); shared helpers belong in conftest.py"


# -- the packages and their one-way doors -----------------------------------------------------------

# What each package may import besides itself, nearest rule first (a longer prefix wins). reader.cli may start
# the window, so it may import reader.ui, but only inside a function (the window's imports never load for a
# command that does not open it).
ALLOWED = {
    "reader.base": set(),
    "reader.transcript": {"reader.base"},
    "reader.library.db": {"reader.transcript", "reader.base", "reader.library.anchors"},
    "reader.library": {"reader.transcript", "reader.base"},
    "reader.transcription": {"reader.library", "reader.transcript", "reader.base"},
    "reader.asking": {"reader.library", "reader.transcript", "reader.base"},
    "reader.cards": {"reader.asking", "reader.library", "reader.transcript", "reader.base"},
    "reader.exchange": {"reader.cards", "reader.asking", "reader.library", "reader.transcript", "reader.base"},
    "reader.cli": {"reader.exchange", "reader.cards", "reader.transcription", "reader.asking", "reader.library",
                   "reader.transcript", "reader.base"},
    "reader.ui": {"reader.exchange", "reader.cards", "reader.transcription", "reader.asking", "reader.library",
                  "reader.transcript", "reader.base"},
}
LAZY_ONLY = {("reader.cli", "reader.ui")}
ROOT_MODULES = {"reader", "reader.__main__"}  # the package's own door: the version, and `python -m reader`


def _rule(name: str) -> str:
    return max((p for p in ALLOWED if name == p or name.startswith(p + ".")), key=len)


def _within(target: str, prefix: str) -> bool:
    return target == prefix or target.startswith(prefix + ".")


def _top_level_import_lines(name: str) -> set[int]:
    return {node.lineno for node in _tree(name).body if isinstance(node, (ast.Import, ast.ImportFrom))}


@pytest.mark.parametrize("name", [n for n in MODULES if n not in ROOT_MODULES])
def test_each_package_imports_only_what_it_may(name):
    rule = _rule(name)
    own = rule
    top = {line for line, _ in _all_imports(name)} & _top_level_import_lines(name)
    wrong = []
    for line, target in _all_imports(name):
        if not _within(target, "reader") or target == "reader" or _within(target, own):  # `reader`: its __version__
            continue
        allowed = any(_within(target, p) for p in ALLOWED[rule])
        lazy = any(_within(name, a) and _within(target, b) for a, b in LAZY_ONLY)
        if allowed or (lazy and line not in top):
            continue
        wrong.append(f"line {line}: {target}")
    assert not wrong, f"{name} ({rule}) may import only {sorted(ALLOWED[rule]) or 'nothing of Reader'}: " + ", ".join(wrong)


def test_the_package_rules_bite():
    """The rule sees a wrong import (a rule that let everything through would pass every module)."""
    assert not any(_within("reader.ui.app", p) for p in ALLOWED["reader.library"])
    assert _rule("reader.library.db.store") == "reader.library.db" and _rule("reader.library.importing") == "reader.library"
    assert any(t.startswith("reader.base.") for _, t in _all_imports("reader.library.db.store"))


def test_reader_holds_packages_only():
    loose = sorted(p.name for p in PACKAGE.glob("*.py") if p.name not in ("__init__.py", "__main__.py"))
    assert not loose, f"loose modules in reader/: {loose}; each belongs in the package of its domain"
    packages = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages == {n.split(".")[1] for n in ALLOWED}, "a package with no rule in ALLOWED, or a rule for none"


@pytest.mark.parametrize("name", [n for n in MODULES if MODULES[n].name == "__init__.py" and n.count(".") == 1])
def test_each_package_says_what_lives_there_and_what_it_may_import(name):
    doc = ast.get_docstring(_tree(name)) or ""
    assert "May import" in doc, f"{name}'s docstring does not say what it may import"


@pytest.mark.parametrize("name", list(MODULES))
def test_no_module_over_600_lines(name):
    lines = len(MODULES[name].read_text(encoding="utf-8").splitlines())
    assert lines <= 600, f"{name} has {lines} lines: a module that size holds more than one idea"


def _readme_map() -> str:
    text = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    start = text.index("### The packages")
    end = text.find("\n#", start + 5)
    return text[start:end if end != -1 else None]


@pytest.mark.parametrize("folder", sorted(str(p.parent.relative_to(PACKAGE.parent)) for p in PACKAGE.rglob("__init__.py")))
def test_readme_maps_every_package(folder):
    assert f"`{folder}/`" in _readme_map(), f"README's map of the packages does not name {folder}/"


def test_readme_map_names_only_what_is_there():
    named = set(re.findall(r"`(reader/[\w/]+)/`", _readme_map()))
    gone = sorted(n for n in named if not (PACKAGE.parent / n / "__init__.py").exists())
    assert not gone, f"README's map names packages that are not there: {gone}"
