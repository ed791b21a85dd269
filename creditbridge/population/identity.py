"""Synthetic identities: GB 11643 resident IDs, pinyin names, mobiles and addresses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from creditbridge.population.regions import COUNTIES, COUNTY_WEIGHTS, STREET_KINDS, STREETS

# GB 11643-1999 / ISO 7064 MOD 11-2: the weight of position i (0-based) is 2^(17-i) mod 11.
_ID_WEIGHTS = np.array([pow(2, 17 - i, 11) for i in range(17)], dtype=np.int64)
_ID_CHECK = "10X98765432"  # indexed by (weighted sum mod 11)
_ID_POWERS = 10 ** np.arange(16, -1, -1, dtype=np.int64)
_MIN_AGE_YEARS, _MAX_AGE_YEARS = 20, 70
_STAYED_IN_BIRTH_COUNTY = 0.7

_SURNAMES = (
    "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma",
    "Zhu", "Hu", "Guo", "He", "Lin", "Gao", "Luo", "Zheng", "Liang", "Xie", "Song", "Tang", "Han",
    "Feng", "Deng", "Cao", "Peng", "Zeng", "Xiao", "Tian", "Dong", "Pan", "Yuan", "Cai", "Jiang",
)  # fmt: skip
_MALE_SYLLABLES = (
    "wei", "qiang", "lei", "jun", "yong", "jie", "tao", "ming", "chao", "gang", "hao", "peng", "bo",
    "hui", "jian", "long", "feng", "bin", "yu", "xin", "zhi", "guo", "hua", "dong", "kai", "rui",
)  # fmt: skip
_FEMALE_SYLLABLES = (
    "fang", "na", "min", "jing", "li", "yan", "juan", "xiu", "ying", "ping", "lan", "hong", "mei",
    "xia", "ting", "qian", "yun", "lin", "jia", "hui", "yu", "xin", "wen", "qing", "yi", "shu",
)  # fmt: skip
_MOBILE_PREFIXES = (
    130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 150, 151, 152, 153, 155, 156, 157, 158,
    159, 166, 170, 173, 175, 176, 177, 178, 180, 181, 182, 183, 185, 186, 187, 188, 189, 198, 199,
)  # fmt: skip


@dataclass(frozen=True, slots=True, eq=False)
class Identities:
    """Column arrays of the subjects' identifying data, one entry per subject."""

    id_numbers: list[str]
    names: list[str]
    mobiles: list[str]
    addresses: list[str]
    birth_dates: np.ndarray  # datetime64[D]
    is_male: np.ndarray  # bool
    residence_province_codes: list[str]

    @property
    def birth_years(self) -> np.ndarray:
        return self.birth_dates.astype("datetime64[Y]").astype(np.int64) + 1970


def resident_id_check_char(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of 17 leading digits (GB 11643-1999)."""
    total = sum(int(digit) * int(weight) for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def draw_identities(rng: np.random.Generator, count: int, *, as_of: date) -> Identities:
    """Identities of `count` subjects aged 20-70 on `as_of`, with unique resident IDs."""
    weights = np.asarray(COUNTY_WEIGHTS) / sum(COUNTY_WEIGHTS)
    birth_county = rng.choice(len(COUNTIES), size=count, p=weights)
    age_days = rng.uniform(_MIN_AGE_YEARS * 365.25, (_MAX_AGE_YEARS + 1) * 365.25, size=count)
    birth_dates = np.datetime64(as_of, "D") - age_days.astype(np.int64)
    is_male = rng.random(count) < 0.5
    id_numbers = _resident_ids(rng, birth_county, birth_dates, is_male)
    moved = rng.random(count) >= _STAYED_IN_BIRTH_COUNTY
    residence = np.where(moved, rng.choice(len(COUNTIES), size=count, p=weights), birth_county)
    return Identities(
        id_numbers=id_numbers,
        names=_names(rng, is_male),
        mobiles=_mobiles(rng, count),
        addresses=_addresses(rng, residence),
        birth_dates=birth_dates,
        is_male=is_male,
        residence_province_codes=[COUNTIES[i].province_code for i in residence.tolist()],
    )


def _resident_ids(
    rng: np.random.Generator, county: np.ndarray, birth_dates: np.ndarray, is_male: np.ndarray
) -> list[str]:
    """Region + YYYYMMDD + sequence (odd for men) + check digit; redraws colliding sequences."""
    region = np.array([int(c.code) for c in COUNTIES], dtype=np.int64)[county]
    months = birth_dates.astype("datetime64[M]")
    years = birth_dates.astype("datetime64[Y]").astype(np.int64) + 1970
    month_of_year = months.astype(np.int64) % 12 + 1
    day = (birth_dates - months.astype("datetime64[D]")).astype(np.int64) + 1
    stem = region * 10**11 + (years * 10_000 + month_of_year * 100 + day) * 1_000
    parity = is_male.astype(np.int64)
    first17 = stem + _sequence(rng, parity)
    for _ in range(100):
        _, first_seen = np.unique(first17, return_index=True)
        clash = np.ones(len(first17), dtype=bool)
        clash[first_seen] = False
        if not clash.any():
            break
        first17[clash] = stem[clash] + _sequence(rng, parity[clash])
    else:  # pragma: no cover - needs ~10^8 subjects in one county and day
        raise RuntimeError("could not draw unique resident id sequences")
    digits = (first17[:, None] // _ID_POWERS) % 10
    check = (digits @ _ID_WEIGHTS) % 11
    pairs = zip(first17.tolist(), check.tolist(), strict=True)
    return [f"{number:017d}{_ID_CHECK[c]}" for number, c in pairs]


def _sequence(rng: np.random.Generator, parity: np.ndarray) -> np.ndarray:
    """Three-digit order code 010-999 whose last digit is odd for men, even for women."""
    return rng.integers(1, 100, size=len(parity)) * 10 + rng.integers(0, 5, size=len(parity)) * 2 + parity


def _names(rng: np.random.Generator, is_male: np.ndarray) -> list[str]:
    count = len(is_male)
    surname = rng.integers(0, len(_SURNAMES), size=count).tolist()
    first = rng.integers(0, len(_MALE_SYLLABLES), size=count).tolist()
    second = rng.integers(-len(_MALE_SYLLABLES) // 2, len(_MALE_SYLLABLES), size=count).tolist()
    names = []
    for s, a, b, male in zip(surname, first, second, is_male.tolist(), strict=True):
        syllables = _MALE_SYLLABLES if male else _FEMALE_SYLLABLES
        given = syllables[a] + (syllables[b] if b >= 0 else "")  # a third have one syllable
        names.append(f"{_SURNAMES[s]} {given.capitalize()}")
    return names


def _mobiles(rng: np.random.Generator, count: int) -> list[str]:
    prefixes = np.asarray(_MOBILE_PREFIXES, dtype=np.int64)[rng.integers(0, len(_MOBILE_PREFIXES), count)]
    numbers = prefixes * 10**8 + rng.integers(0, 10**8, size=count)
    return [str(number) for number in numbers.tolist()]


def _addresses(rng: np.random.Generator, county: np.ndarray) -> list[str]:
    count = len(county)
    house = rng.integers(1, 400, size=count).tolist()
    street = rng.integers(0, len(STREETS), size=count).tolist()
    kind = rng.integers(0, len(STREET_KINDS), size=count).tolist()
    return [
        f"No. {h} {STREETS[s]} {STREET_KINDS[k]}, {COUNTIES[c].district} District, "
        f"{COUNTIES[c].city}, {COUNTIES[c].province}"
        for h, s, k, c in zip(house, street, kind, county.tolist(), strict=True)
    ]
