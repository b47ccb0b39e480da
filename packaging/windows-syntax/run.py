#!/usr/bin/env python3
"""Runs the mingw-w64 syntax-only commands of commands.py, one per core, and only those whose
translation unit changed since it last passed: each pass leaves <state>/<name>.ok (the command)
and <name>.d (every header it read, from -MD), as make would. Prints each failure's first errors;
the exit status is the number of failed translation units (capped at 100).

usage: run.py <commands file> <state dir>"""
import concurrent.futures
import os
import re
import subprocess
import sys

commands_file, state = sys.argv[1:3]
os.makedirs(state, exist_ok=True)


def deps_of(dep_file):
    text = open(dep_file, encoding="utf-8", errors="replace").read().replace("\\\n", " ")
    _, _, files = text.partition(":")
    return [f.replace("\\ ", " ") for f in re.split(r"(?<!\\)\s+", files.strip()) if f]


def up_to_date(name, command):
    ok, dep = os.path.join(state, name + ".ok"), os.path.join(state, name + ".d")
    try:
        if open(ok, encoding="utf-8").read() != command:
            return False
        stamp = os.path.getmtime(ok)
        return all(os.path.getmtime(f) <= stamp for f in deps_of(dep))
    except OSError:
        return False


def check(line):
    name, _, command = line.rstrip("\n").partition("\t")
    if up_to_date(name, command):
        return name, None, True
    ok = os.path.join(state, name + ".ok")
    if os.path.exists(ok):
        os.remove(ok)
    full = command + " -MD -MF " + os.path.join(state, name + ".d")
    run = subprocess.run(["bash", "-c", full], capture_output=True, text=True)
    if run.returncode != 0:
        return name, run.stdout + run.stderr, False
    with open(ok, "w", encoding="utf-8") as f:
        f.write(command)
    return name, None, False


lines = [l for l in open(commands_file, encoding="utf-8") if l.strip()]
failed, skipped = [], 0
with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
    for name, errors, cached in pool.map(check, lines):
        skipped += cached
        if errors is not None:
            failed.append(name)
            print("---- FAILED " + name)
            print("\n".join([l for l in errors.splitlines() if "error" in l][:8]))
print(f"check-windows-syntax: {len(lines)} translation units, {skipped} unchanged since they passed, "
      f"{len(failed)} failed")
sys.exit(min(len(failed), 100))
