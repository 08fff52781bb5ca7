"""Bylines and photo credits as printed by Báo Hà Giang (Vietnamese and English editions).

Pure functions, no Scrapy. ``parse_byline`` is run on the last short lines of an article body,
so it must say None to ordinary sentences and page furniture as readily as it reads a byline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bhgcrawl.text import clean
from bhgcrawl.vocab import (
    BYLINE_FURNITURE,
    IGNORED_NOTES,
    KNOWN_OUTLETS,
    NO_CREDIT,
    NOT_PERSONS,
    OUTLET_PREFIXES,
    ROLE_WORDS,
)

__all__ = ["Byline", "ROLE_ORDER", "agrees", "caption_and_credit", "caption_credit", "merge", "parse_byline",
           "person_name"]

ROLE_ORDER: tuple[str, ...] = ("text", "photo", "video", "graphics", "production", "translation")

MAX_LINE = 120


@dataclass(frozen=True)
class Byline:
    """One byline line: who did what, and the outlet it was taken from."""

    text: str
    authors: list[str] = field(default_factory=list)
    credits: list[dict] = field(default_factory=list)
    source: str | None = None


def _alt(words: list[str]) -> str:
    # Longest first so "bài viết" wins over "bài"; spaces may be any run of whitespace.
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_ROLE = rf"(?:{_alt(list(ROLE_WORDS))})"
_ROLE_JOIN = r"(?:\s*[,&/+]\s*|\s+(?:và|and)\s+|\s*[-–]\s*)"
_ROLES = rf"{_ROLE}(?:{_ROLE_JOIN}{_ROLE})*"
# Labels open a chunk of the line. "Theo" is an ordinary word, so it only counts at the start
# of the line or after a separator; role labels need their colon (or English "by"). A source in
# brackets after a name ("LÊ HẢI (Theo TTXVN)") is read with the name's part (_INNER_SOURCE_RE).
_LABEL_RE = re.compile(
    r"(?:^|(?<=[-–—|;,/] )|(?<=[-–—|;,/]))\s*(?P<src>nguồn|source|theo|according\s+to)\b\s*[:：]?\s*"
    rf"|(?<![\w'’])(?P<roles>{_ROLES})\s*[:：]\s*"
    rf"|(?<![\w'’])(?:(?P<byroles>{_ROLES})\s+)?by\s+",
    re.IGNORECASE,
)
_INNER_SOURCE_RE = re.compile(r"^(?:nguồn|source|theo|according\s+to)\b\s*[:：]?\s*", re.IGNORECASE)
_NAME_SPLIT_RE = re.compile(r"\s+[-–—]\s+|\s*[,;/|]\s*|\s+(?:và|and|&)\s+|\s*&\s*", re.IGNORECASE)
_PAREN_RE = re.compile(r"\(([^()]*)\)")
_NAME_WORD_RE = re.compile(r"[^\W\d_](?:[^\W\d_]|['’.\-])*")
_UNKNOWN_LABEL_RE = re.compile(r"^[^\W\d_][\w\s]{0,24}[:：]")
_TERMINAL_RE = re.compile(r"\s*(?:\./\.|\.{1,3}|…|[?!])\s*$")
_EDGE_CHARS = " -–—*•·|"


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


def person_name(raw: str) -> str:
    """A person's name in Vietnamese capitalisation; already mixed-case words are kept."""
    words = []
    for word in clean(raw).split(" "):
        if word.isupper() or word.islower():
            # Each part after a hyphen or apostrophe starts a syllable: "H'HEN" -> "H'Hen".
            word = re.sub(r"[^\W\d_]+", lambda m: _cap(m.group(0)), word)
        words.append(word)
    return " ".join(words)


def _roles_of(label: str) -> list[str]:
    found = []
    for piece in re.split(_ROLE_JOIN, label.strip(), flags=re.IGNORECASE):
        role = ROLE_WORDS.get(" ".join(piece.casefold().split()))
        if role and role not in found:
            found.append(role)
    return found


def _is_outlet(part: str) -> bool:
    folded = part.casefold()
    if folded in KNOWN_OUTLETS or folded.startswith(OUTLET_PREFIXES):
        return True
    # A lone all-capitals token is an agency acronym ("TTXVN", "VNA"), not a name.
    return " " not in part and part.isupper() and 2 <= len(part) <= 12


# "Đài" and "Trang" open offices ("Đài Truyền Hình …", "Trang Thông Tin …") and are given names too:
# two words with them ("ĐÀI TRANG", "TRANG ANH") are a person's name.
_NAME_LIKE_PREFIXES = ("đài ", "trang ")


def _is_office(name: str) -> bool:
    """Whether a part that looks like a person's name names an outlet or office ("Báo Nhân Dân", "SỞ Y TẾ")."""
    folded = name.casefold()
    if not folded.startswith(OUTLET_PREFIXES):
        return False
    return not folded.startswith(_NAME_LIKE_PREFIXES) or len(name.split()) > 2


def _valid_source(src: str, strict: bool) -> bool:
    """Whether ``src`` can be an outlet name; ``strict`` for a bare "Theo ..." (a common word)."""
    if not src or len(src) > 80 or not src[0].isalnum():
        return False
    if strict and not src[0].isupper():
        return False  # "Theo đó, ..." opens a sentence
    tokens = src.split()
    # "Theo Quyết định số 123/QĐ-UBND" is a sentence; outlets carry digits only inside a name (VTV1).
    if any(t.isdigit() or ("/" in t and any(c.isdigit() for c in t)) for t in tokens):
        return False
    if strict:
        return len(tokens) <= 8 and "," not in src and ":" not in src
    return True


_VOWEL_RE = re.compile(r"[aeiouyăâêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.I)


def _looks_person(part: str, strict: bool) -> bool:
    words = part.split()
    if not 2 <= len(words) <= 6:
        return False
    if not all(_NAME_WORD_RE.fullmatch(w) and w[0].isupper() for w in words):
        return False
    # Every Vietnamese syllable has a vowel; "BHG TV" or "VTV" are the paper's units, not people.
    if not all(_VOWEL_RE.search(w) for w in words):
        return False
    if not strict:
        return True
    # Bare lines: capitals are a byline's own style; Title case could be any short heading.
    if not any(c.islower() for c in part):
        return True
    return len(words) <= 4 and len(part) <= 30


class _NotByline(Exception):
    pass


class _Collector:
    def __init__(self) -> None:
        self.people: dict[str, tuple[str, list[str]]] = {}
        self.source: str | None = None
        self.found = False

    def person(self, name: str, roles: list[str]) -> None:
        name = person_name(name)
        key = name.casefold()
        _, have = self.people.setdefault(key, (name, []))
        have.extend(r for r in roles if r not in have)
        self.found = True

    def add_source(self, src: str) -> None:
        if self.source is None:
            self.source = src
        self.found = True

    def part(self, part: str, roles: list[str], strict: bool) -> None:
        """Classify one name slot of a chunk; raise _NotByline if it cannot be in a byline."""
        for inner in _PAREN_RE.findall(part):
            inner = _INNER_SOURCE_RE.sub("", inner.strip())
            if inner.casefold() in IGNORED_NOTES or not inner:
                continue
            if not _valid_source(inner, strict=False):
                raise _NotByline
            self.add_source(inner)
        part = _PAREN_RE.sub(" ", part).strip(_EDGE_CHARS + " ")
        if not part:
            return
        folded = part.casefold()
        if folded.startswith("theo "):
            if not _valid_source(part[5:].strip(), strict=True):
                raise _NotByline
            self.add_source(part[5:].strip())
        elif folded in NOT_PERSONS:
            self.found = True
        elif any(c.isdigit() for c in part):
            raise _NotByline
        elif _looks_person(part, strict):
            # An outlet or office named where a person would be is the source, never an author.
            if _is_office(part):
                self.add_source(part)
            else:
                self.person(part, roles)
        elif (not strict or folded in KNOWN_OUTLETS) and _is_outlet(part):
            self.add_source(part)
        elif not strict and _UNKNOWN_LABEL_RE.match(part):
            # Another credit we keep no role for ("Biên tập: ..."): not a person of ours.
            self.found = True
        else:
            raise _NotByline


def parse_byline(line: str) -> Byline | None:
    """Read a byline line, or return None when the line is not one."""
    text = clean(line)
    if not text or len(text) > MAX_LINE or text.casefold() in BYLINE_FURNITURE:
        return None
    core = text.strip(_EDGE_CHARS)
    if core.startswith("(") and core.endswith(")") and core.count("(") == 1:
        core = core[1:-1].strip()
    terminal = _TERMINAL_RE.search(core)
    if terminal:
        core = core[: terminal.start()].strip(_EDGE_CHARS)
    if not core:
        return None

    labels = list(_LABEL_RE.finditer(core))
    # (source label or None, roles or None, body) for each stretch between labels.
    chunks: list[tuple[str | None, list[str] | None, str]] = []
    if not labels or labels[0].start() > 0:
        chunks.append((None, None, core[: labels[0].start() if labels else len(core)]))
    for i, m in enumerate(labels):
        end = labels[i + 1].start() if i + 1 < len(labels) else len(core)
        body = core[m.end() : end]
        if m["src"]:
            chunks.append((" ".join(m["src"].casefold().split()), None, body))
        elif m["roles"]:
            chunks.append((None, _roles_of(m["roles"]), body))
        else:
            chunks.append((None, _roles_of(m["byroles"]) if m["byroles"] else ["text"], body))

    # A full stop ends sentences, not names; only a source line ("Theo TTXVN.") may carry one.
    if terminal and chunks[-1][0] is None:
        return None

    labelled = bool(labels)
    got = _Collector()
    try:
        for src_label, roles, body in chunks:
            body = body.strip(_EDGE_CHARS + ",;")
            if src_label:
                src = body.strip(_EDGE_CHARS + ".")
                # Without a colon "Theo" is an everyday word: hold its object to an outlet's shape.
                strict = src_label in ("theo", "according to")
                if _PAREN_RE.search(src) or not _valid_source(src, strict=strict):
                    raise _NotByline
                got.add_source(src)
                continue
            if not body:
                continue
            for part in _NAME_SPLIT_RE.split(body):
                got.part(part, roles or ["text"], strict=not labelled)
    except _NotByline:
        return None
    if not got.found:
        return None

    credits = [
        {"name": name, "roles": sorted(roles, key=ROLE_ORDER.index)}
        for name, roles in got.people.values()
    ]
    return Byline(
        text=text,
        authors=[c["name"] for c in credits],
        credits=credits,
        source=got.source,
    )


def merge(first: Byline, second: Byline) -> Byline:
    """Two bylines of one article as one (`Tin, ảnh: LÊ HẢI` then `Nguồn: …` on its own line; the
    header's author and the closing byline): its persons, roles and source, each once."""
    authors, seen = [], set()
    for name in [*first.authors, *second.authors]:
        if name.casefold() not in seen:
            seen.add(name.casefold())
            authors.append(name)
    named = {c["name"].casefold() for c in first.credits}
    return Byline(
        text=f"{first.text} - {second.text}",
        authors=authors,
        credits=list(first.credits) + [c for c in second.credits if c["name"].casefold() not in named],
        source=first.source or second.source,
    )


def agrees(byline: Byline, other: Byline) -> bool:
    """Whether `other` names no person and no source that `byline` does not."""
    known = {a.casefold() for a in byline.authors}
    return all(a.casefold() in known for a in other.authors) and other.source in (None, byline.source)


_CAPTION_PAREN_RE = re.compile(
    r"^(?:ảnh|hình|hình\s+ảnh|photo|photos)(?:\s*[:：.]\s*|\s+do\s+|\s+)(?P<c>.+?)(?:\s+cung\s+cấp)?$",
    re.IGNORECASE,
)
_CAPTION_TAIL_RE = re.compile(
    r"(?:^|(?<=[\s.|\-–—]))(?:ảnh|hình|photo|photos)\s*[:：]\s*(?P<c>[^:()|]{1,60}?)\s*$",
    re.IGNORECASE,
)


def _credit(raw: str) -> str | None:
    credit = raw.strip(_EDGE_CHARS + ".,;")
    if not credit or not credit[0].isupper() or len(credit) > 60 or len(credit.split()) > 8:
        return None
    if credit.casefold() in NO_CREDIT:
        return None
    # "Ảnh: Đồng chí X phát biểu" opens a description; a credit is names, outlets or markers.
    for part in re.split(r"\s+[-–]\s+|\s*/\s*", credit):
        if not (
            _looks_person(part, strict=False)
            or _is_outlet(part)
            or part.casefold() in NOT_PERSONS
        ):
            return None
    # Names in capitals get Vietnamese capitalisation; acronyms ("CTV") and offices ("SỞ Y TẾ") stay as printed.
    return person_name(credit) if _looks_person(credit, strict=False) and not _is_office(credit) else credit


def caption_credit(caption: str) -> str | None:
    """The photo credit inside an image caption ("(Ảnh CTV)", "... Ảnh: Nguyễn Hùng"), or None."""
    return caption_and_credit(caption)[1]


def caption_and_credit(caption: str) -> tuple[str | None, str | None]:
    """An image caption without the photo credit it ends with, and that credit:
    `Mùa hoa (Ảnh CTV)` → (`Mùa hoa`, `CTV`), `Đại biểu dự hội nghị. Ảnh: Nguyễn Hùng` →
    (`Đại biểu dự hội nghị.`, `Nguyễn Hùng`), `Ảnh: Văn Long` → (None, `Văn Long`). A credit in brackets
    before more text is read and left where it is: the caption goes on after it."""
    text = clean(caption).rstrip(" |")
    for m in reversed(list(_PAREN_RE.finditer(text))):
        found = _CAPTION_PAREN_RE.match(m.group(1).strip())
        if found:
            credit = _credit(found["c"])
            after = text[m.end():].strip()
            if credit is not None and not after.strip(".|"):
                text = text[:m.start()].rstrip(_EDGE_CHARS + ",;:") + after.strip("|")
            return text or None, credit
    m = _CAPTION_TAIL_RE.search(text)
    credit = _credit(m["c"]) if m else None
    if credit is not None:
        text = text[:m.start()].rstrip(_EDGE_CHARS + ",;:")
    return text or None, credit
