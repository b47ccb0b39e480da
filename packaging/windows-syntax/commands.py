#!/usr/bin/env python3
"""Turns the Linux build's compile_commands.json into mingw-w64 -fsyntax-only commands, one line
per translation unit ("<log name>\t<shell command>"), for packaging/check-windows-syntax.sh.

usage: commands.py <build dir> <mingw g++> <dependency include dir>"""
import json
import os
import shlex
import sys

build, cxx, deps = sys.argv[1:4]
root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
folders = [os.path.join(root, "src", f) + os.sep for f in ("core", "app", "cli", "keychain")]

# Linux file -> the Windows files that replace it (every Linux file of a row maps to the row's
# Windows files; a row's Windows files are compiled once, with the flags of its first Linux file).
replaced = {}
for line in open(os.path.join(build, "platform-sources.tsv"), encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    linux, _, win = line.rstrip("\n").partition("\t")
    row = tuple(f for f in win.split(",") if f)
    for f in linux.split(","):
        replaced[f] = row


def windows_flags(args):
    """The Linux flags minus what only means something there, pointed at Windows headers."""
    out = []
    skip = False
    for i, a in enumerate(args[1:], start=1):
        if skip:
            skip = False
            continue
        if a in ("-o", "-c"):
            skip = a == "-o"
            continue
        if a == "-fPIC" or a.startswith("-fsanitize") or a.startswith("-fno-sanitize"):
            continue
        if a.endswith("/mkspecs/linux-g++"):
            a = a[: -len("linux-g++")] + "win32-g++"
        out.append(a)
    return out


entries = json.load(open(os.path.join(build, "compile_commands.json"), encoding="utf-8"))
done_rows = set()
for e in entries:
    src = os.path.normpath(os.path.join(e["directory"], e["file"]))
    if not any(src.startswith(f) for f in folders):
        continue
    args = shlex.split(e["command"]) if "command" in e else e["arguments"]
    flags = [f for f in windows_flags(args) if f != e["file"] and os.path.normpath(os.path.join(e["directory"], f)) != src]
    sources = [src]
    if src in replaced:
        row = replaced[src]
        if row in done_rows:
            continue
        done_rows.add(row)
        sources = list(row)
    for s in sources:
        cmd = [cxx, "-fsyntax-only", "-isystem", deps] + flags + [s]
        name = os.path.relpath(s, root).replace(os.sep, "_")
        print(name + "\t" + "cd " + shlex.quote(e["directory"]) + " && " + shlex.join(cmd))
