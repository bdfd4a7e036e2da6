"""Text from a model or a ruleset made safe for a terminal or a CI log before the CLI prints it.

A building named "A\\n::error::injected" or "B\\x1b]0;title\\x07" must not start a line of its own (a CI workflow
command, a forged "greencheck: COMPLIANT") nor drive the terminal. Every control character is shown visibly
instead: C0 (newline, carriage return, tab, BEL, ESC...), DEL, C1 (0x80-0x9f, incl. NEL and the 8-bit CSI), the
Unicode line and paragraph separators, and the bidirectional overrides that reorder what a reader sees.
"""

from __future__ import annotations

import re

_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# ... and lone surrogates (\udc80-\udcff is how Python keeps a byte that decoded as nothing): unprintable anywhere.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _visible(match: re.Match[str]) -> str:
    char = match.group(0)
    code = ord(char)
    return _SHORT.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def printable(text: object) -> str:
    """`text` as one line with every control character escaped.

    Example:
        >>> printable("B1\\n::error::x\\x1b[31m")
        'B1\\\\n::error::x\\\\x1b[31m'
    """
    return _UNSAFE.sub(_visible, str(text))
