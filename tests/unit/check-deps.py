#!/usr/bin/env python3
"""check-deps: no circular dependency between bench/'s objects.

The driver is layered: the dispatcher calls the commands, the commands call
the readers and writers, everything reports through diag.c at the bottom.
An object that calls back up makes a circle, and then no part of the circle
can be linked, tested or understood without the rest.  Usage:

    check-deps.py OBJECT.o...

Object A depends on object B when A has an undefined symbol that B defines
(`nm -P -g`).  Each circle is reported once, with the symbol behind each
step:

    check-deps: cycle: cli.o -> dispatch.o (vb_err) -> cli.o (vb_cli_parse)

Exit 0 when there is none, 1 when there is one, 2 when nm fails.
"""
import os
import subprocess
import sys


def symbols(path):
    """(defined, undefined) global symbol names of one object."""
    out = subprocess.run(['nm', '-P', '-g', path], check=True,
                         capture_output=True, text=True).stdout
    defined, undefined = set(), set()
    for line in out.splitlines():
        fields = line.split()
        if len(fields) < 2:
            continue
        name, kind = fields[0], fields[1]
        if kind == 'U':
            undefined.add(name)
        elif kind.isupper():
            defined.add(name)
    return defined, undefined


def graph(paths):
    """{object: {object it depends on: a symbol behind it}}."""
    names = [os.path.basename(p) for p in paths]
    syms = {n: symbols(p) for n, p in zip(names, paths)}
    owner = {}
    for n in names:
        for s in sorted(syms[n][0]):
            owner.setdefault(s, n)
    deps = {n: {} for n in names}
    for n in names:
        for s in sorted(syms[n][1]):
            o = owner.get(s)
            if o and o != n:
                deps[n].setdefault(o, s)
    return deps


def components(deps):
    """The strongly connected components (Tarjan), each a sorted list."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(deps[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(deps):
        if v not in index:
            visit(v)
    return out


def shortest_cycle(deps, comp):
    """A shortest circle through comp's first object, inside comp."""
    start, members = comp[0], set(comp)
    prev, queue = {start: None}, [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(deps[v]):
            if w == start:
                path = [v]
                while prev[path[-1]] is not None:
                    path.append(prev[path[-1]])
                return list(reversed(path)) + [start]
            if w in members and w not in prev:
                prev[w] = v
                queue.append(w)
    return [start, start]


def main(argv):
    if not argv:
        print('usage: check-deps.py OBJECT.o...', file=sys.stderr)
        return 2
    try:
        deps = graph(argv)
    except (OSError, subprocess.CalledProcessError) as e:
        print(f'check-deps: nm failed: {e}', file=sys.stderr)
        return 2
    cycles = [c for c in components(deps) if len(c) > 1]
    for comp in cycles:
        path = shortest_cycle(deps, comp)
        steps = path[0] + ''.join(f' -> {b} ({deps[a][b]})'
                                  for a, b in zip(path, path[1:]))
        print(f'check-deps: cycle: {steps}')
        if len(comp) > len(path) - 1:
            print(f'check-deps:   all in one circle: {" ".join(comp)}')
    edges = sum(len(d) for d in deps.values())
    if cycles:
        print(f'check-deps: FAILED: {len(cycles)} circle(s) among '
              f'{len(deps)} objects: an object low in the graph calls one '
              f'above it; move what both need below both')
        return 1
    print(f'check-deps: {len(deps)} objects, {edges} dependencies, no cycle')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
