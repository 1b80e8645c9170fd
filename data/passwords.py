"""The password policy (OWASP ASVS level 1, section 2.1): what a new password must not be.

A password is refused, with a Chinese reason, when it is
- shorter than MIN_LENGTH characters;
- of a single character class (only lower-case letters, only upper-case letters, only
  digits or only symbols);
- equal to, or containing, the user name (case-insensitive), or the user name contains it;
- a common password: in ``common_passwords.txt`` (lower case), also once trailing digits
  and symbols are dropped (``password2026!`` is ``password``) or with the obvious letter
  substitutions undone (``p@ssw0rd``).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

MIN_LENGTH = 10
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


def _is_common(password: str) -> bool:
    common = common_passwords()
    lowered = password.lower()
    stem = re.sub(r"[\W\d_]+$", "", lowered)
    candidates = {lowered, stem, lowered.translate(_LEET), stem.translate(_LEET)}
    return any(len(c) >= 4 and c in common for c in candidates) or lowered in common


def check(password: str, username: str = "") -> None:
    """Raise :class:`PasswordRefused` when ``password`` breaks the policy for ``username``."""
    if len(password) < MIN_LENGTH:
        raise PasswordRefused(f"密码至少 {MIN_LENGTH} 位。")
    if _classes(password) < 2:
        raise PasswordRefused("密码须包含至少两类字符（大写字母、小写字母、数字、符号）。")
    name = username.strip().lower()
    lowered = password.lower()
    if name and (name in lowered or (len(lowered) >= 4 and lowered in name)):
        raise PasswordRefused("密码不能与用户名相同或包含用户名。")
    if _is_common(password):
        raise PasswordRefused("该密码过于常见，容易被猜中，请换一个。")
