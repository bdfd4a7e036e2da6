"""Names as a report shows them, through one function per file: \\X2\\ escapes that lost their backslashes are
decoded, and every distinct repaired name is counted once, so the report can say how many names it repaired."""

from __future__ import annotations

import re

import ifcopenshell

# "\X2\6807\X0\" with its backslashes lost by a broken exporter: "X268079AD8X0" (real files carry this).
_MANGLED_X2 = re.compile(r"X2((?:[0-9A-F]{4})+)X0")
SHOWN_EXAMPLE_LENGTH = 40


def repair_text(text: str | None) -> tuple[str | None, bool]:
    """Decode ISO 10303-21 \\X2\\ escapes whose backslashes were stripped; (text, whether anything was repaired)."""
    if not text or "X2" not in text:
        return text, False

    def decode(match: re.Match[str]) -> str:
        hexdigits = match.group(1)
        return "".join(chr(int(hexdigits[i : i + 4], 16)) for i in range(0, len(hexdigits), 4))

    repaired = _MANGLED_X2.sub(decode, text)
    return repaired, repaired != text


class NameRepairs:
    """The one way names and labels of a file are read for a report; remembers each distinct name it repaired."""

    def __init__(self) -> None:
        self._repaired: dict[str, str] = {}  # name as written -> decoded
        self._names: dict[int, str | None] = {}  # entity id -> its repaired Name

    def text(self, raw: object) -> str | None:
        """A text attribute (Name, LongName, ObjectType) as the report shows it, None when absent."""
        if raw is None:
            return None
        written = str(raw)
        repaired, changed = repair_text(written)
        if changed and repaired is not None:
            self._repaired.setdefault(written, repaired)
        return repaired

    def name(self, entity: ifcopenshell.entity_instance | None) -> str | None:
        """An entity's Name, repaired; read once per entity (records, evidence and tables ask for the same names)."""
        if entity is None:
            return None
        key = entity.id()
        if key not in self._names:
            self._names[key] = self.text(getattr(entity, "Name", None))
        return self._names[key]

    def label(self, entity: ifcopenshell.entity_instance) -> str:
        """Its repaired Name, or its GlobalId when it has none (how notes and warnings name a storey)."""
        return self.name(entity) or str(getattr(entity, "GlobalId", None) or f"#{entity.id()}")

    @property
    def count(self) -> int:
        return len(self._repaired)

    def warning(self) -> str | None:
        """One model warning saying how many distinct names were repaired, with an example; None if none was."""
        if not self._repaired:
            return None
        written, decoded = next(iter(self._repaired.items()))
        return (
            f"{self.count} distinct names carried \\X2\\ escapes without their backslashes (a broken exporter) "
            f"and were decoded, e.g. '{written[:SHOWN_EXAMPLE_LENGTH]}' as '{decoded[:SHOWN_EXAMPLE_LENGTH]}'"
        )
