"""The unified social credit code (统一社会信用代码, GB 32100-2015): its charset, check
character, and a vectorised check of a whole column."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from data.arrow_text import arrow_strings, fixed_width_bytes

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The 31 characters a unified social credit code may contain (no I, O, S, V, Z)."""
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
"""Weights of the first 17 characters: 3**i mod 31."""

_USCC_VALUE = {ch: i for i, ch in enumerate(USCC_CHARSET)}
_USCC_LUT = np.full(128, -1, dtype=np.int8)
for _ch, _v in _USCC_VALUE.items():
    _USCC_LUT[ord(_ch)] = _v


def uscc_check_char(first17: str) -> str:
    """The check character (18th) of a unified social credit code from its first 17.

    Raises ``ValueError`` when ``first17`` is not 17 characters of the code's charset.
    """
    if len(first17) != 17:
        raise ValueError(f"expected 17 characters, got {len(first17)}")
    try:
        total = sum(_USCC_VALUE[ch] * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    except KeyError as err:
        raise ValueError(f"invalid character {err.args[0]!r} in {first17!r}") from None
    check = 31 - total % 31
    return USCC_CHARSET[0 if check == 31 else check]


def is_valid_uscc(code: str) -> bool:
    """Whether ``code`` is an 18-character unified social credit code with a correct check character."""
    if not isinstance(code, str) or len(code) != 18:
        return False
    try:
        return uscc_check_char(code[:17]) == code[17]
    except ValueError:
        return False


def uscc_problems(codes: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised check of trimmed, upper-cased codes (missing = NA).

    Returns three masks over ``codes``: wrong length, a character outside the charset, and a
    wrong check character; :func:`uscc_expected` gives the correct check characters.
    """
    arr = arrow_strings(codes)
    present = codes.notna().to_numpy()
    lengths = pc.utf8_length(arr).to_numpy(zero_copy_only=False)
    wrong_len = present & (np.nan_to_num(lengths.astype(np.float64)) != 18)
    idx, chars = fixed_width_bytes(arr, 18)
    values = _uscc_values(chars)
    invalid = (values < 0).any(axis=1)
    wrong = ~invalid & (_uscc_check_values(values) != values[:, 17])
    bad_char = present & ~wrong_len
    bad_char[idx[~invalid]] = False  # 18 ASCII bytes of the charset; other 18-character codes are not
    bad_check = np.zeros(len(codes), dtype=bool)
    bad_check[idx[wrong]] = True
    return wrong_len, bad_char, bad_check


def uscc_expected(codes: pd.Series) -> np.ndarray:
    """The correct check character of each 18-character code of valid charset (object array)."""
    _, chars = fixed_width_bytes(arrow_strings(codes), 18)
    table = np.array(list(USCC_CHARSET), dtype=object)
    return table[_uscc_check_values(_uscc_values(chars))]  # type: ignore[no-any-return]


def _uscc_values(chars: np.ndarray) -> np.ndarray:
    """(n, 18) charset values of 18-byte codes; -1 for bytes outside the charset."""
    return _USCC_LUT[np.minimum(chars, 127)]  # type: ignore[no-any-return]


def _uscc_check_values(values: np.ndarray) -> np.ndarray:
    """Check character values from the first 17 (meaningless where a value is -1)."""
    total = np.zeros(len(values), dtype=np.int64)
    for j, weight in enumerate(USCC_WEIGHTS):
        total += values[:, j].astype(np.int64) * weight
    check = 31 - total % 31
    return np.where(check == 31, 0, check)  # type: ignore[no-any-return]
