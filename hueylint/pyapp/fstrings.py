"""PEP 701 f-strings that re-use their own quote, rewritten in place so an older :func:`ast.parse` reads them.

Python 3.12 (PEP 701) lets a replacement field hold a string in the f-string's own quote
(``f'({x.get('delay', 0)})'``); Python 3.11's tokenizer ends the f-string at the inner quote and refuses
the file.  :func:`swap_inner_quotes` finds such inner literals by reading the text with 3.12's grammar
(strings, comments, f-string fields, format specs, conversions) and writes each one with the other quote
(``x.get("delay", 0)``): both quotes are one ASCII character, so every line, column and byte offset stays
where it was, and a literal holding neither quote nor a backslash has the same value either way, so the
module's tree, and every fact read from it, is the one Python 3.12 builds.

Anything else PEP 701 allows (a nested f-string in a field, a backslash or a comment in a field, a field
spanning lines of a one-line f-string, an inner literal that holds the other quote) is left to the caller's
fallback: the function returns None, never a text it could not prove equivalent.
"""

from __future__ import annotations

_PREFIXES = {"", "r", "u", "b", "br", "rb", "f", "fr", "rf"}
_IDENT = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


class _GiveUp(Exception):
    """The text holds something the rewrite does not handle (or is not valid Python 3.12)."""


def swap_inner_quotes(text: str) -> str | None:
    """``text`` with each string literal that sits in a replacement field of an f-string written in the same
    single quote character given the other quote; None when there is none or the text holds PEP 701
    syntax this rewrite does not prove equivalent (see the module docstring).  Same length as ``text``."""
    try:
        swaps = _Scanner(text).run()
    except _GiveUp:
        return None
    if not swaps:
        return None
    chars = list(text)
    for start, end in swaps:
        other = '"' if chars[start] == "'" else "'"
        chars[start] = chars[end] = other
    return "".join(chars)


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.swaps: list[tuple[int, int]] = []  # (index of the opening quote, index of the closing quote)

    def run(self) -> list[tuple[int, int]]:
        text, index = self.text, 0
        while index < len(text):
            char = text[index]
            if char == "#":
                newline = text.find("\n", index)
                index = len(text) if newline < 0 else newline
            elif char in "'\"":
                index = self.string(index, None)
            else:
                index += 1
        return self.swaps

    def prefix(self, quote_at: int) -> str:
        """The string prefix written before the quote at ``quote_at`` (``""`` when the word there is none)."""
        start = quote_at
        while start > 0 and self.text[start - 1] in _IDENT:
            start -= 1
        word = self.text[start:quote_at].lower()
        return word if word in _PREFIXES else ""

    def string(self, index: int, outer: str | None) -> int:
        """Read the literal whose quote opens at ``index``; ``outer``: the quote of the f-string whose
        replacement field holds it (None at module level).  Returns the index after the literal."""
        text = self.text
        prefix = self.prefix(index)
        quote = text[index] * 3 if text.startswith(text[index] * 3, index) else text[index]
        if "f" in prefix:
            if outer is not None:
                raise _GiveUp  # a nested f-string
            return self.fstring(index + len(quote), quote)
        end = self.plain_end(index + len(quote), quote)
        if outer is not None and len(outer) == 1 and quote[0] == outer:
            body = text[index + 1:end - 1]
            if len(quote) != 1 or "'" in body or '"' in body or "\\" in body:
                raise _GiveUp
            self.swaps.append((index, end - 1))
        elif outer is not None and quote == outer:
            raise _GiveUp  # a triple-quoted literal in a triple-quoted f-string of the same quote
        return end

    def plain_end(self, index: int, quote: str) -> int:
        text = self.text
        while index < len(text):
            if text.startswith(quote, index):
                return index + len(quote)
            char = text[index]
            if char == "\\":
                index += 2  # raw strings too: a backslash keeps the quote after it inside the literal
                continue
            if char == "\n" and len(quote) == 1:
                raise _GiveUp
            index += 1
        raise _GiveUp

    def fstring(self, index: int, quote: str) -> int:
        """Read an f-string's body from ``index`` to after its closing quote."""
        text = self.text
        while index < len(text):
            if text.startswith(quote, index):
                return index + len(quote)
            char = text[index]
            if char == "\\":
                index += 2
            elif char == "\n" and len(quote) == 1:
                raise _GiveUp
            elif text.startswith("{{", index) or text.startswith("}}", index):
                index += 2
            elif char == "{":
                index = self.field(index + 1, quote)
            else:
                index += 1
        raise _GiveUp

    def field(self, index: int, quote: str) -> int:
        """Read a replacement field from after its ``{`` to after its ``}``."""
        text, depth = self.text, 0
        while index < len(text):
            char = text[index]
            if char in "#\\" or (char == "\n" and len(quote) == 1):
                raise _GiveUp
            if char in "'\"":
                if text.startswith(quote, index) and len(quote) == 3:
                    raise _GiveUp
                index = self.string(index, quote)
                continue
            if char in "([{":
                depth += 1
            elif char in ")]" or (char == "}" and depth > 0):
                depth -= 1
            elif char == "}":
                return index + 1
            elif depth == 0 and char == "!" and not text.startswith("!=", index):
                index += 1  # a conversion: its letter, then ``:`` or ``}``
                continue
            elif depth == 0 and char == ":":
                return self.spec(index + 1, quote)
            index += 1
        raise _GiveUp

    def spec(self, index: int, quote: str) -> int:
        """Read a format spec from after its ``:`` to after the field's ``}`` (nested fields included)."""
        text = self.text
        while index < len(text):
            char = text[index]
            if char in "\\'\"" or char == "\n":
                raise _GiveUp
            if char == "{":
                index = self.field(index + 1, quote)
                continue
            if char == "}":
                return index + 1
            index += 1
        raise _GiveUp
