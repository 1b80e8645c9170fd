"""Business entities of the demo: valid unified social credit codes and Chinese names.

A code (GB 32100-2015) is: registration authority (9 = market regulation, 5 = civil
affairs), entity category (1 company, 2 个体工商户, 3 farmers' cooperative; 2 民办非企业单位
under civil affairs), the 6-digit division code (440704 = 江海区), the 9-character
organisation code (GB 11714, its own check digit last) and the check character.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from data.demo.catalog import ENTITY_GROUPS, OUTSIDE_REGIONS, STREET_SHORT, TRADE_NAMES

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = np.array([pow(3, i, 31) for i in range(17)], dtype=np.int64)
_ORG_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_LUT = np.full(128, -1, dtype=np.int64)
for _i, _ch in enumerate(USCC_CHARSET):
    _LUT[ord(_ch)] = _i


def uscc_check_char(first17: str) -> str:
    """Check character of a unified social credit code from its first 17 characters."""
    total = sum(USCC_CHARSET.index(ch) * int(w) for ch, w in zip(first17, _USCC_WEIGHTS, strict=True))
    check = 31 - total % 31
    return USCC_CHARSET[0 if check == 31 else check]


def is_valid_uscc(code: str) -> bool:
    if not isinstance(code, str) or len(code) != 18 or any(ch not in USCC_CHARSET for ch in code):
        return False
    return uscc_check_char(code[:17]) == code[17]


def _org_check(body: np.ndarray) -> np.ndarray:
    """GB 11714 check characters for an (n, 8) array of organisation-code character values."""
    check = 11 - (body * _ORG_WEIGHTS).sum(axis=1) % 11
    chars = np.array(list("0123456789X0"))
    return chars[np.where(check == 11, 0, check)]  # 10 -> X, 11 -> 0


def make_usccs(rng: np.random.Generator, prefixes: np.ndarray) -> np.ndarray:
    """Valid, distinct codes for the given 8-character prefixes (e.g. ``91440704``).

    Newer entities get an organisation code of the ``MA`` series (e.g. ``MA4W...``), older
    ones a numeric code, as real codes issued since 2015 and before look.
    """
    n = len(prefixes)
    letters = np.array([ch for ch in USCC_CHARSET if ch.isalpha()])
    digits = np.array(list("0123456789"))
    new_series = rng.random(n) < 0.78
    series_third = rng.choice(np.array(list("45")), n)
    body = np.empty((n, 8), dtype="<U1")
    body[:, 0] = np.where(new_series, "M", rng.choice(np.array(list("5678")), n))
    body[:, 1] = np.where(new_series, "A", rng.choice(digits, n))
    body[:, 2] = np.where(new_series, series_third, rng.choice(digits, n))
    alnum = np.concatenate([digits, letters])
    for j in range(3, 8):
        body[:, j] = np.where(new_series, rng.choice(alnum, n), rng.choice(digits, n))
    values = np.vectorize(lambda c: int(c, 36))(body).astype(np.int64)
    org = np.array(["".join(row) for row in body]) + _org_check(values)
    first17 = np.char.add(prefixes.astype("<U8"), org)
    codes = np.array([f + uscc_check_char(f) for f in first17])
    # Codes must be distinct; redraw the (astronomically rare) duplicates deterministically.
    _, first = np.unique(codes, return_index=True)
    if len(first) < n:
        dup = np.setdiff1d(np.arange(n), first)
        codes[dup] = make_usccs(rng, prefixes[dup])
    return codes


@dataclass(frozen=True)
class EntityPool:
    """The district's business entities the demo applications and ratings refer to."""

    uscc: np.ndarray
    name: np.ndarray
    group: np.ndarray  # ENTITY_GROUPS key
    individual: np.ndarray  # 个体工商户
    weight: np.ndarray  # relative activity (a few entities apply often)

    def __len__(self) -> int:
        return len(self.uscc)


def build_pool(rng: np.random.Generator, size: int = 12_000) -> EntityPool:
    groups = list(ENTITY_GROUPS)
    shares = np.array([ENTITY_GROUPS[g][0] for g in groups])
    group_idx = rng.choice(len(groups), size=size, p=shares / shares.sum())
    group = np.array(groups)[group_idx]
    ind_share = np.array([ENTITY_GROUPS[g][1] for g in groups])[group_idx]
    individual = rng.random(size) < ind_share
    # a few entities registered outside 江海区 (蓬江 440703, 新会 440705) that also operate here
    region = rng.choice(np.array(["440704", "440703", "440705"]), size=size, p=[0.9, 0.06, 0.04])
    kind = np.where(individual, "92", "91")
    kind = np.where((group == "agri") & ~individual & (rng.random(size) < 0.3), "93", kind)
    kind = np.where((group == "edu") & (rng.random(size) < 0.5), "52", kind)
    region = np.where(individual, "440704", region)
    prefixes = np.char.add(kind.astype("<U2"), region.astype("<U6"))
    uscc = make_usccs(rng, prefixes)

    names: list[str] = []
    seen: set[str] = set()
    streets = list(STREET_SHORT.values())
    for i in range(size):
        g = group[i]
        _, _, company_words, shop_words = ENTITY_GROUPS[g]
        for _attempt in range(50):
            trade = TRADE_NAMES[int(rng.integers(len(TRADE_NAMES)))]
            if individual[i] and shop_words:
                street = streets[int(rng.integers(len(streets)))]
                shop = shop_words[int(rng.integers(len(shop_words)))]
                name = f"江门市江海区{street}{trade}{shop}"
            elif kind[i] == "52":
                name = f"江门市江海区{trade}{'职业培训学校' if rng.random() < 0.5 else '幼儿园'}"
            elif kind[i] == "93":
                name = f"江门市江海区{trade}种养专业合作社"
            else:
                word = company_words[int(rng.integers(len(company_words)))]
                place = {"440704": "江门市江海区", "440703": "江门市蓬江区", "440705": "江门市新会区"}[region[i]]
                if region[i] == "440704" and rng.random() < 0.45:
                    place = "江门市"
                suffix = "有限公司" if rng.random() < 0.9 else "有限责任公司"
                name = f"{place}{trade}{word}{suffix}"
            if name not in seen:
                break
            # same name taken: add a second trade name, as firms do
            name = name.replace(trade, trade + TRADE_NAMES[int(rng.integers(len(TRADE_NAMES)))], 1)
            if name not in seen:
                break
        seen.add(name)
        names.append(name)
    weight = rng.pareto(1.6, size) + 1.0
    return EntityPool(uscc, np.array(names), group, individual, weight)


def build_outside_pool(rng: np.random.Generator, size: int = 3_000) -> EntityPool:
    """Companies registered outside 江门 (other Guangdong cities, other provinces) that apply
    here: valid codes with their own division codes, names led by their city, no 个体工商户."""
    groups = list(ENTITY_GROUPS)
    shares = np.array([ENTITY_GROUPS[g][0] for g in groups])
    group = np.array(groups)[rng.choice(len(groups), size=size, p=shares / shares.sum())]
    weights = np.array([w for _, _, w in OUTSIDE_REGIONS])
    region = rng.choice(len(OUTSIDE_REGIONS), size=size, p=weights / weights.sum())
    divisions = np.array([code for code, _, _ in OUTSIDE_REGIONS])[region]
    uscc = make_usccs(rng, np.char.add("91", divisions.astype("<U6")))
    names: list[str] = []
    seen: set[str] = set()
    for i in range(size):
        place = OUTSIDE_REGIONS[int(region[i])][1]
        words = ENTITY_GROUPS[str(group[i])][2]
        name = ""
        for _attempt in range(50):
            trade = TRADE_NAMES[int(rng.integers(len(TRADE_NAMES)))]
            name = f"{place}{trade}{words[int(rng.integers(len(words)))]}有限公司"
            if name not in seen:
                break
        seen.add(name)
        names.append(name)
    weight = rng.pareto(1.6, size) + 1.0
    return EntityPool(uscc, np.array(names), group, np.zeros(size, dtype=bool), weight)
