"""The password policy (OWASP ASVS level 1, section 2.1): what a new password must not be.

A password is refused, with a Chinese reason, when it is
- shorter than MIN_LENGTH characters;
- of a single character class (only lower-case letters, only upper-case letters, only
  digits or only symbols);
- equal to the user name, containing it (user names of MIN_NAME_MATCH or more characters)
  or contained in it (case-insensitive);
- a common password: in ``common_passwords.txt`` (lower case), also followed only by digits
  and symbols (``password2026!`` is ``password``, ``woaini1314520`` is ``woaini1314``) and
  with the obvious letter substitutions undone (``p@ssw0rd``).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

MIN_LENGTH = 10
MIN_COMMON_STEM = 4  # shorter common words are not matched as a stem
MIN_NAME_MATCH = 3  # a shorter user name ("d1") is refused only as the whole password
COMMON_FILE = Path(__file__).resolve().parent / "common_passwords.txt"
_LEET = str.maketrans({"@": "a", "4": "a", "0": "o", "1": "i", "!": "i", "3": "e", "$": "s", "5": "s", "7": "t"})


class PasswordRefused(ValueError):
    """A password the policy refuses; ``str(err)`` is the Chinese reason."""


@cache
def common_passwords() -> frozenset[str]:
    """The refused common passwords (lower case)."""
    lines = COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))


def _classes(password: str) -> int:
    kinds = set()
    for ch in password:
        if ch.isdigit():
            kinds.add("digit")
        elif ch.isalpha():
            kinds.add("upper" if ch.isupper() else "lower" if ch.islower() else "letter")
        else:
            kinds.add("symbol")
    return len(kinds)


_TAIL = re.compile(r"[\W\d_]*")


def _is_common(password: str) -> bool:
    """A common password, or one followed only by digits and symbols, as typed or de-leeted."""
    common = common_passwords()
    lowered = password.lower()
    for form in (lowered, lowered.translate(_LEET)):
        if form in common:
            return True
        for end in range(len(form) - 1, MIN_COMMON_STEM - 1, -1):
            if _TAIL.fullmatch(lowered, end) and form[:end] in common:
                return True
    return False


def check(password: str, username: str = "") -> None:
    """Raise :class:`PasswordRefused` when ``password`` breaks the policy for ``username``."""
    if len(password) < MIN_LENGTH:
        raise PasswordRefused(f"密码至少 {MIN_LENGTH} 位。")
    if _classes(password) < 2:
        raise PasswordRefused("密码须包含至少两类字符（大写字母、小写字母、数字、符号）。")
    name = username.strip().lower()
    lowered = password.lower()
    if name and (lowered == name or lowered in name or (len(name) >= MIN_NAME_MATCH and name in lowered)):
        raise PasswordRefused("密码不能与用户名相同或包含用户名。")
    if _is_common(password):
        raise PasswordRefused("该密码过于常见，容易被猜中，请换一个。")
