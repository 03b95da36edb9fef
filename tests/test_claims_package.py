"""The claim extractor's package (kb/nlp/claims): imports go one way, candidates -> model ->
assembly -> extract, with no cycle among its modules (at module level or inside functions)."""
import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "kb/nlp/claims"
LAYERS = ("candidates", "model", "assembly", "extract")    # each may import only those before it


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PKG.parent.parent.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports() -> dict[str, set[str]]:
    """Module -> the modules of kb.nlp.claims it imports (relative and absolute)."""
    mods = {module_name(p): p for p in PKG.rglob("*.py")}
    out: dict[str, set[str]] = {}
    for name, path in mods.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom):
                continue
            base = package.split(".")
            if node.level:
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:        # 'from . import model': the submodule
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in mods else target)
        out[name] = {m for m in found if m in mods and m != name}
    return out


def layer(mod: str) -> int | None:
    rest = mod.removeprefix("kb.nlp.claims").lstrip(".").split(".")[0]
    return LAYERS.index(rest) if rest in LAYERS else None


def test_no_cycles_in_the_claims_package():
    graph = imports()
    state: dict[str, int] = {}

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for n in sorted(graph[m]):
            assert state.get(n) != 1, "import cycle: " + " -> ".join(path + [n])
            if n not in state:
                visit(n, path + [n])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])


def test_layers_import_downwards_only():
    for mod, targets in imports().items():
        own = layer(mod)
        for t in targets:
            other = layer(t)
            assert own is None or other is None or other <= own, f"{mod} imports {t} (a later layer)"
