#!/usr/bin/env python3
"""What a first visit to each lazy route downloads: the main WASM module plus
every chunk of the route's split (route-chunks.json, written by `make build`),
each compressed on its own with brotli -q 11, as the server sends them."""
import json
import pathlib
import subprocess
import sys

pkg = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target/site/pkg")
sizes = {}


def brotli(path):
    if path not in sizes:
        data = (pkg / path).read_bytes()
        sizes[path] = len(subprocess.run(["brotli", "-c", "-q", "11"], input=data,
                                         capture_output=True, check=True).stdout)
    return sizes[path]


manifest = pkg / "route-chunks.json"
if not manifest.exists():
    sys.exit(f"{manifest} is missing: run make build")
main = brotli("consort.wasm")
routes = []
for split, chunks in json.loads(manifest.read_text()).items():
    if "_route_view_" not in split:
        continue
    name = split.strip("_").split("_route_view_")[0]
    routes.append((main + sum(brotli(f"{c}.wasm") for c in chunks), len(chunks), name))
routes.sort()
for label, (total, count, name) in (("lightest", routes[0]), ("heaviest", routes[-1])):
    print(f"First load of a lazy route, {label}: {name}, main + {count} chunks = {total} brotli")
