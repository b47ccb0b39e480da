#!/usr/bin/env python3
"""Lists every C++ function in src/ and lambda/ longer than the limit (100 lines by default).

    python3 tests/style/function-length.py [--max N] [--root DIR] [PATH ...]

Prints "file:line name length" per offender, longest first, and exits 1 if there is any.
A function's length counts the lines from its name to its closing brace, both included, so
lambdas and local classes inside a function count towards it.

Why a brace scan and not clang's AST: the AST needs each file's exact compile flags (Qt's
include paths, moc output) and minutes of CPU; comments, strings, character and raw string
literals and preprocessor lines are blanked first, so the braces left are the code's own.
"""

import argparse
import os
import re
import sys

SOURCE_SUFFIXES = ('.cpp', '.cc', '.cxx', '.h', '.hpp', '.mm')
QUALIFIERS = {'const', 'noexcept', 'override', 'final', 'mutable', 'volatile', '&', '&&', 'try'}


def blank_non_code(text):
    """Returns text of the same length and line structure with comments, literals and
    preprocessor directives replaced by spaces (string quotes kept so headers stay readable)."""
    out = []
    i, n = 0, len(text)
    at_line_start = True
    while i < n:
        c = text[i]
        if at_line_start and c == '#':
            # A directive, with its backslash continuations.
            j = i
            while j < n and not (text[j] == '\n' and text[j - 1] != '\\'):
                j += 1
            out.append(re.sub(r'[^\n]', ' ', text[i:j]))
            i = j
            continue
        if c == '\n':
            at_line_start = True
            out.append(c)
            i += 1
            continue
        if not c.isspace():
            at_line_start = False
        if text.startswith('//', i):
            j = text.find('\n', i)
            j = n if j < 0 else j
            out.append(' ' * (j - i))
            i = j
        elif text.startswith('/*', i):
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r'[^\n]', ' ', text[i:j]))
            i = j
        elif c == 'R' and re.match(r'R"([^ ()\\\t\n]{0,16})\(', text[i:i + 20]) and not _ident_char(text, i - 1):
            m = re.match(r'R"([^ ()\\\t\n]{0,16})\(', text[i:i + 20])
            end = text.find(')' + m.group(1) + '"', i)
            j = n if end < 0 else end + len(m.group(1)) + 2
            out.append('""' + re.sub(r'[^\n]', ' ', text[i + 2:j]))
            i = j
        elif c == '"' or (c == "'" and not _digit_separator(text, i)):
            j = i + 1
            while j < n and text[j] != c and text[j] != '\n':
                j += 2 if text[j] == '\\' else 1
            j = min(j + 1, n)
            out.append(c + re.sub(r'[^\n]', ' ', text[i + 1:j - 1]) + c if j - i >= 2 else text[i:j])
            i = j
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def _ident_char(text, i):
    return i >= 0 and (text[i].isalnum() or text[i] == '_')


def _digit_separator(text, i):
    # 1'000'000: a quote between digits is not a character literal.
    return i > 0 and text[i - 1].isalnum() and i + 1 < len(text) and text[i + 1].isalnum()


TOKEN = re.compile(r'[A-Za-z_~][A-Za-z_0-9]*|::|->|&&|\d[\w.\']*|\S')


def tokens(code):
    line = 1
    pos = 0
    for m in TOKEN.finditer(code):
        line += code.count('\n', pos, m.start())
        pos = m.start()
        yield m.group(0), line


class Scanner:
    """Walks the tokens with a stack of open braces, each a namespace, class, function or
    other (initialiser, enum); a function is a brace opened at namespace or class scope whose
    header looks like a declarator with parameters."""

    def __init__(self, path, code):
        self.path = path
        self.toks = list(tokens(code))
        self.functions = []  # (line, name, length)

    def run(self):
        stack = []  # kinds
        header = []  # tokens since the last ; { } at the current scope
        init_list = False
        i = 0
        while i < len(self.toks):
            tok, line = self.toks[i]
            inside_function = any(k == 'function' for k, _, _ in stack)
            if tok == '{':
                if inside_function:
                    stack.append(('other', None, line))
                elif init_list and self._initialiser_brace(header):
                    i = self._skip_braces(i)
                    header.append(('{}', line))
                    continue
                else:
                    kind, name, start = self._classify(header)
                    stack.append((kind, name, start if start else line))
                header, init_list = [], False
            elif tok == '}':
                if stack:
                    kind, name, start = stack.pop()
                    if kind == 'function':
                        self.functions.append((start, name, line - start + 1))
                if not any(k == 'function' for k, _, _ in stack):
                    header, init_list = [], False
            elif not inside_function:
                if tok == ';':
                    header, init_list = [], False
                elif tok == ':' and header and header[-1][0] in ('public', 'private', 'protected', 'signals', 'slots', 'Q_SLOTS', 'Q_SIGNALS'):
                    header = []
                else:
                    header.append((tok, line))
                    if tok == ':' and self._after_parameters(header):
                        init_list = True
            i += 1
        return self.functions

    def _skip_braces(self, i):
        depth = 0
        while i < len(self.toks):
            if self.toks[i][0] == '{':
                depth += 1
            elif self.toks[i][0] == '}':
                depth -= 1
                if depth == 0:
                    return i + 1
            i += 1
        return i

    @staticmethod
    def _after_parameters(header):
        # "Foo::Foo(args) :" (a constructor's initialiser list), not "class A : B" nor "a ? b : c".
        toks = [t for t, _ in header[:-1]]
        if not toks or toks[-1] not in (')',) and toks[-1] not in QUALIFIERS:
            return False
        return '(' in toks and 'class' not in toks and 'struct' not in toks

    @staticmethod
    def _initialiser_brace(header):
        # In "Foo() : a{1}, b(c) {", the brace after a member name initialises it; the body's
        # brace follows ")" or "}".
        last = header[-1][0] if header else ''
        return bool(re.match(r'[A-Za-z_]', last)) or last == '>'

    def _classify(self, header):
        toks = [t for t, _ in header]
        if not toks:
            return 'other', None, None
        if 'namespace' in toks or (toks[0] == 'extern' and len(toks) <= 2):
            return 'namespace', None, None
        if 'enum' in toks:
            return 'other', None, None
        if '(' not in toks:
            if any(t in ('class', 'struct', 'union') for t in toks):
                return 'class', None, None
            return 'other', None, None
        depth = 0
        first_paren = None
        for k, t in enumerate(toks):
            if t in ('<',) and k > 0 and toks[k - 1] == 'template':
                continue
            if t == '(' and depth == 0 and first_paren is None:
                first_paren = k
            if t in ('(', '['):
                depth += 1
            elif t in (')', ']'):
                depth -= 1
            elif t == '=' and depth == 0 and first_paren is None and 'operator' not in toks[:k]:
                # "auto f = [..](..) {": a lambda held in a variable counts as a function.
                if ']' in toks[k:] and toks[k + 1:k + 2] == ['[']:
                    return 'function', toks[k - 1] + ' (lambda)', header[k - 1][1]
                return 'other', None, None
        if first_paren is None or first_paren == 0:
            return 'other', None, None
        last = toks[-1]
        if not (last in (')', '}') or last in QUALIFIERS or re.match(r'[A-Za-z_>*&]', last)):
            return 'other', None, None
        if any(t in ('class', 'struct', 'union') for t in toks[:first_paren]) and toks[0] != 'template':
            return 'class', None, None
        name_end = first_paren
        # operator(), operator==, operator<< ...
        if 'operator' in toks[:first_paren + 1]:
            op = toks.index('operator')
            if toks[op + 1:op + 3] == ['(', ')']:
                name_end = op + 3
            start = op
            while start >= 2 and toks[start - 1] == '::':
                start -= 2
            return 'function', ''.join(toks[start:name_end]), header[start][1]
        start = first_paren - 1
        if not re.match(r'[A-Za-z_~]', toks[start]):
            return 'other', None, None
        if toks[start] in ('if', 'for', 'while', 'switch', 'return', 'sizeof', 'decltype', 'alignas'):
            return 'other', None, None
        while start >= 2 and toks[start - 1] == '::':
            prev = start - 2
            if toks[prev] == '>':  # Foo<T>::bar
                depth = 0
                while prev >= 0:
                    depth += toks[prev] == '>'
                    depth -= toks[prev] == '<'
                    if depth == 0:
                        break
                    prev -= 1
                prev -= 1
            if prev < 0 or not re.match(r'[A-Za-z_]', toks[prev]):
                break
            start = prev
        return 'function', ''.join(toks[start:first_paren]), header[start][1]


def source_files(paths):
    for path in paths:
        if os.path.isfile(path):
            yield path
            continue
        for folder, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith('.') and d not in ('build', 'node_modules'))
            for name in sorted(files):
                if name.endswith(SOURCE_SUFFIXES):
                    yield os.path.join(folder, name)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--max', type=int, default=100, help='longest allowed function, in lines')
    parser.add_argument('--root', default=os.path.normpath(os.path.join(here, '..', '..')),
                        help='source tree (default: this checkout)')
    parser.add_argument('--all', action='store_true', help='list every function, not only offenders')
    parser.add_argument('paths', nargs='*', help='files or folders (default: src lambda)')
    args = parser.parse_args()
    paths = args.paths or [os.path.join(args.root, d) for d in ('src', 'lambda')]
    found = []
    for path in source_files(paths):
        with open(path, encoding='utf-8', errors='replace') as f:
            code = blank_non_code(f.read())
        rel = os.path.relpath(path, args.root)
        for line, name, length in Scanner(rel, code).run():
            found.append((rel, line, name, length))
    shown = found if args.all else [f for f in found if f[3] > args.max]
    for rel, line, name, length in sorted(shown, key=lambda f: (-f[3], f[0], f[1])):
        print(f'{rel}:{line} {name} {length}')
    offenders = [f for f in found if f[3] > args.max]
    if offenders:
        print(f'{len(offenders)} function(s) longer than {args.max} lines', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
