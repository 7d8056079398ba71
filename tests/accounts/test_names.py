"""accounts.names: the one set of moderator marks covers every diamond Unicode names."""

import sys
import unicodedata

from accounts.names import MODERATOR_MARKS, name_error


def test_the_marks_cover_every_character_named_diamond_or_lozenge():
    named = {
        char
        for char in map(chr, range(sys.maxunicode + 1))
        if any(word in unicodedata.name(char, "") for word in ("DIAMOND", "LOZENGE"))
    }

    assert named - MODERATOR_MARKS == set()
    assert all(name_error(f"Ada {char}") for char in MODERATOR_MARKS)
