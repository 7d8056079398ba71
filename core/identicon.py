"""Identicons: the picture of a member who uploaded none, drawn on the server from the
member's id alone (no external service; docs/rules.md, "Profiles and avatars").

A 5×5 grid, mirrored left to right, on a light background: the first bytes of a keyed
SHA-256 of the id choose the colour, the next fifteen bits which cells of the three left
columns are filled. The same id always gives the same picture; nothing is stored.
"""

import hashlib

GRID = 5
CELL = 10
MARGIN = 5


def identicon_svg(seed: int | str) -> str:
    """The SVG document of ``seed``'s identicon (no script, no style, no external
    reference)."""
    digest = hashlib.sha256(f"qasite-identicon:{seed}".encode()).digest()
    hue = int.from_bytes(digest[:2], "big") % 360
    colour = f"hsl({hue} 55% 45%)"
    bits = int.from_bytes(digest[2:6], "big")
    half = (GRID + 1) // 2
    cells = []
    for column in range(half):
        for row in range(GRID):
            if bits >> (column * GRID + row) & 1:
                for x in {column, GRID - 1 - column}:
                    cells.append(
                        f'<rect x="{MARGIN + x * CELL}" y="{MARGIN + row * CELL}" '
                        f'width="{CELL}" height="{CELL}"/>'
                    )
    side = GRID * CELL + 2 * MARGIN
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" '
        f'width="{side}" height="{side}">'
        f'<rect width="{side}" height="{side}" fill="#f0f0f0"/>'
        f'<g fill="{colour}">{"".join(cells)}</g></svg>'
    )
