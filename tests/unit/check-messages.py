#!/usr/bin/env python3
"""check-messages: no user-visible message split across string literals.

A message whole on one source line can be grepped back from what the user
saw (checkpatch's SPLIT_STRING).  Usage:

    check-messages.py [--known FILE] SOURCE.c...

Flagged, as checkpatch flags it: a line whose last token is a string literal,
followed by a line whose first token is a string literal (adjacent literals
concatenated across the line break).  The <inttypes.h> macros PRI*/SCN* count
as part of the literal, so "%" PRIu64 at a line end is a split too.
Allowed, as checkpatch allows: the earlier literal ends in \\n (each source
line is then a whole output line: help, usage and exit-code tables), \\t, \\r,
or an octal or hex escape (binary data).  A long source line is fine.

--known FILE lists splits not yet joined, one per line: the file, a tab, and
the earlier literal's text as in the source (# starts a comment); files
are named from the top of the repository, as in the reports.  They are
reported as known and do not fail; a listed one that is gone is reported so
the list can shrink.  Exit 0 when no other split is found, 1 otherwise; each
one is reported as FILE:LINE.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

ALLOWED_END = re.compile(r'\\(?:[ntr]|[0-7]{1,3}|x[0-9a-fA-F]{1,2})$')
FORMAT_MACRO = re.compile(r'(?:PRI|SCN)[diouxX]\w*$')
WORD = re.compile(r'[A-Za-z_]\w*|\d[\w.]*|.')


def tokens(text):
    """(kind, text, first line, last line) of each token; comments skipped."""
    i, line, n = 0, 1, len(text)
    while i < n:
        c = text[i]
        if c == '\n':
            line += 1
            i += 1
        elif c in ' \t\r\f\v' or text.startswith('\\\n', i):
            i += 1
        elif text.startswith('//', i):
            while i < n and text[i] != '\n':
                i += 2 if text[i] == '\\' else 1
        elif text.startswith('/*', i):
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
            line += text.count('\n', i, j)
            i = j
        elif c in '"\'':
            j, start = i + 1, line
            while j < n and text[j] != c:
                j += 2 if text[j] == '\\' else 1
            body = text[i + 1:j]
            line += body.count('\n')
            yield ('str' if c == '"' else 'chr'), body, start, line
            i = j + 1
        else:
            m = WORD.match(text, i)
            yield 'tok', m.group(0), line, line
            i = m.end()


def in_literal(tok):
    return tok[0] == 'str' or (tok[0] == 'tok' and FORMAT_MACRO.match(tok[1]))


def splits(path):
    """(line, earlier literal's text) of each split in one file."""
    with open(path, encoding='utf-8') as f:
        toks = list(tokens(f.read()))
    last_str = None
    for prev, cur in zip(toks, toks[1:]):
        if prev[0] == 'str':
            last_str = prev[1]
        if cur[2] == prev[3] or not (in_literal(prev) and in_literal(cur)):
            continue
        if prev[0] == 'tok' and cur[0] == 'tok':
            continue
        if prev[0] == 'str' and ALLOWED_END.search(prev[1]):
            continue
        yield prev[3], last_str if prev[0] == 'tok' else prev[1]


def read_known(path):
    known = {}
    with open(path, encoding='utf-8') as f:
        for raw in f:
            raw = raw.rstrip('\n')
            if not raw or raw.startswith('#'):
                continue
            name, _, text = raw.partition('\t')
            known[(name, text)] = known.get((name, text), 0) + 1
    return known


def main(argv):
    known = {}
    if len(argv) >= 2 and argv[0] == '--known':
        known = read_known(argv[1])
        argv = argv[2:]
    bad = listed = 0
    for path in argv:
        name = os.path.relpath(os.path.abspath(path), ROOT)
        for line, text in splits(path):
            if known.get((name, text), 0) > 0:
                known[(name, text)] -= 1
                listed += 1
                continue
            print(f'{name}:{line}: message split across lines: join the '
                  f'string literals so the message is whole on one line')
            bad += 1
    for (path, text), left in sorted(known.items()):
        if left > 0:
            print(f'check-messages: note: a known split in {path} is gone '
                  f'("{text[:40]}..."): remove it from the list')
    if bad:
        print(f'check-messages: FAILED: {bad} split message(s)')
        return 1
    print(f'check-messages: {len(argv)} files, no new split message'
          + (f' ({listed} known, listed)' if listed else ''))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
