#!/usr/bin/env python3
"""Checks that the simulator's folders depend on each other one way only.

A folder is the first path component under Sources/BranchTreeSim (files directly in it
form the folder "."). Folder A depends on folder B when a file of A names a type declared
at the top level of a file of B (comments are ignored; nested types and generic
parameters are not counted, as they are named through their outer type or are local).
The script prints every folder's dependencies and the folders bottom-up in layers
(each layer depends only on layers below it), and fails if the graph has a cycle,
naming the folders on it.

    .ci/layers.py [SOURCES]     # default Sources/BranchTreeSim
"""
import os
import re
import sys

DECLARATION = re.compile(
    r"^(?:(?:package|public|internal|private|fileprivate|final|indirect)\s+)*"
    r"(?:struct|enum|class|protocol|actor|typealias)\s+([A-Z]\w*)",
    re.M,
)
COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)


def folder_of(root, path):
    relative = os.path.relpath(path, root)
    return relative.split(os.sep)[0] if os.sep in relative else "."


def graph(root):
    texts = {}
    owner = {}
    for directory, _, names in sorted(os.walk(root)):
        for name in sorted(names):
            if not name.endswith(".swift"):
                continue
            path = os.path.join(directory, name)
            with open(path, encoding="utf-8") as file:
                text = COMMENT.sub("", file.read())
            folder = folder_of(root, path)
            texts.setdefault(folder, []).append(text)
            for match in DECLARATION.finditer(text):
                if match.group(1) in owner and owner[match.group(1)] != folder:
                    sys.exit(f"{match.group(1)} is declared in both {owner[match.group(1)]} and {folder}")
                owner[match.group(1)] = folder
    edges = {folder: set() for folder in texts}
    for folder, sources in texts.items():
        for identifier in set(re.findall(r"\b([A-Z]\w*)\b", "\n".join(sources))):
            target = owner.get(identifier)
            if target is not None and target != folder:
                edges[folder].add(target)
    return edges


def layers(edges):
    """Folders bottom-up, each layer depending only on earlier ones; what is left is cyclic."""
    placed = set()
    result = []
    while len(placed) < len(edges):
        layer = sorted(f for f in edges if f not in placed and edges[f] <= placed)
        if not layer:
            return result, sorted(f for f in edges if f not in placed)
        result.append(layer)
        placed.update(layer)
    return result, []


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "Sources/BranchTreeSim"
    edges = graph(root)
    for folder in sorted(edges):
        print(f"{folder} -> {', '.join(sorted(edges[folder])) or '(none)'}")
    ordered, stuck = layers(edges)
    print("layers, bottom-up: " + " < ".join(", ".join(layer) for layer in ordered))
    if stuck:
        # Every folder left depends on another one left: report the two-way pairs first.
        pairs = sorted({tuple(sorted((a, b))) for a in stuck for b in edges[a] if a in edges[b]})
        described = ", ".join(f"{a} <-> {b}" for a, b in pairs) or "a longer cycle"
        print(f"cycle among {', '.join(stuck)}: {described}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
