#!/usr/bin/env python3
"""check-size: no bench/ or analysis/ source file over 400 lines.

A file past 400 lines is doing more than one job (style.md: one file per
responsibility, named for it).  Usage:

    check-size.py [--known FILE] [--max N] SOURCE...

--known FILE lists files allowed over the limit for now, one per line: the
path from the top of the repository, then `#` and why (# at the start of a
line begins a comment line).  Each listed file over the limit is printed as
"known, to be split" with its reason and does not fail; an entry without a
reason fails; a listed file now within the limit, or gone, is reported so
the list can shrink.  Exit 0 when no other file is over the limit, 1
otherwise; each one is reported as FILE: N lines.
"""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def read_known(path):
    """({path: reason}, [entries without a reason])."""
    known, bad = {}, []
    with open(path, encoding='utf-8') as f:
        for number, raw in enumerate(f, 1):
            raw = raw.strip()
            if not raw or raw.startswith('#'):
                continue
            name, _, why = raw.partition('#')
            name, why = name.strip(), why.strip()
            if not why:
                bad.append(f'{path}:{number}: {name}: say why it is '
                           f'allowed over the limit (after #)')
            known[name] = why
    return known, bad


def lines(path):
    with open(path, encoding='utf-8') as f:
        return sum(1 for _ in f)


def main(argv):
    known, bad, limit = {}, [], 400
    while argv and argv[0] in ('--known', '--max'):
        if argv[0] == '--known':
            known, bad = read_known(argv[1])
        else:
            limit = int(argv[1])
        argv = argv[2:]
    seen, listed = set(), 0
    for msg in bad:
        print(f'check-size: {msg}')
    over = 0
    for path in argv:
        name = os.path.relpath(os.path.abspath(path), ROOT)
        n = lines(path)
        seen.add(name)
        if n <= limit:
            if name in known:
                print(f'check-size: note: {name} is {n} lines now, within '
                      f'{limit}: remove it from the list')
            continue
        if name in known:
            print(f'check-size: {name}: {n} lines, known, to be split '
                  f'({known[name] or "no reason given"})')
            listed += 1
            continue
        print(f'{name}: {n} lines, over {limit}: split it by '
              f'responsibility (one file per job, named for it)')
        over += 1
    for name in sorted(set(known) - seen):
        print(f'check-size: note: {name} is listed but was not checked '
              f'(gone?): remove it from the list')
    failed = bool(over or bad)
    if failed:
        summary = (f'FAILED: {over} file(s) over {limit} lines'
                   + (f', {len(bad)} listed without a reason' if bad else ''))
    else:
        summary = (f'{len(argv)} files, none over {limit} lines'
                   + (f' but the {listed} known' if listed else ''))
    print(f'check-size: {summary}')
    return int(failed)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
