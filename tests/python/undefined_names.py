"""Prints the global names each given Python program reads but never
defines (at module level, by import, or as a builtin), one line per file
with any; exits 1 if there are some. Used by tests/show_code_python.rs.

Names the exported race and sweep programs set at run time through
`use(data)` (globals().update) are listed in SET_AT_RUN_TIME.
"""
import builtins
import symtable
import sys

SET_AT_RUN_TIME = {"docs", "vocab", "index", "doc_ids", "validation", "init",
                   "max_tokens", "target", "validate_every"}


def undefined(path):
    with open(path, encoding="utf-8") as f:
        top = symtable.symtable(f.read(), path, "exec")
    defined = {s.get_name() for s in top.get_symbols() if s.is_assigned() or s.is_imported()}
    defined |= set(dir(builtins)) | SET_AT_RUN_TIME
    missing = set()

    def walk(table):
        for s in table.get_symbols():
            reads_global = s.is_global() if table is not top else s.is_referenced()
            if reads_global and s.get_name() not in defined:
                missing.add(s.get_name())
        for child in table.get_children():
            walk(child)

    walk(top)
    return sorted(missing)


bad = [(path, names) for path in sys.argv[1:] if (names := undefined(path))]
for path, names in bad:
    print(f"{path}: {', '.join(names)}")
sys.exit(1 if bad else 0)
