"""Line counts of a source text, shared by the parser and the degraded-mode extractor."""

from __future__ import annotations


def count_lines(text: str) -> tuple[int, int]:
    """(total lines, lines holding code): not blank and not only a comment."""
    if not text:
        return 0, 0
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    code = 0
    for line in lines:
        stripped = line.strip()
        if stripped and stripped[0] != "#":
            code += 1
    return len(lines), code
