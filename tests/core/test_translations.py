"""The Vietnamese and Chinese catalogues are complete, compiled, and actually used.

A string left untranslated or fuzzy shows English to a Lhasa or Gia Lai user, and a .po
edited without recompiling its .mo changes nothing on screen: both are caught here, with
no database. The .po files are read by a small reader below (polib is not a project
dependency); the .mo files by the standard library's gettext, as Django reads them.
"""

import datetime
import gettext as gettext_module
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext, ngettext

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"
# Django language code -> gettext locale directory.
CATALOGUES = {"vi": "vi", "zh-hans": "zh_Hans"}
PLURAL_FORMS = "nplurals=1; plural=0;"
# A fresh git checkout writes django.mo and django.po a moment apart in either order.
MTIME_TOLERANCE_SECONDS = 5

_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    '"': '"',
    "\\": "\\",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
}


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), f"not a PO string: {text!r}"
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text[1:-1])


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> str:
        """The key GNUTranslations uses in its catalogue (context joined by EOT)."""
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"

    @property
    def translations(self) -> list[str]:
        if self.msgid_plural is not None:
            return [self.msgstr_plural[n] for n in sorted(self.msgstr_plural)]
        return [self.msgstr]

    @property
    def label(self) -> str:
        context = f" (context {self.msgctxt!r})" if self.msgctxt is not None else ""
        return f"line {self.line}: {self.msgid!r}{context}"


def read_po(path: Path) -> list[Entry]:
    """Entries of a .po file, header included, obsolete (#~) entries left out."""
    entries: list[Entry] = []
    current = Entry()
    started = False  # the current entry has its msgid
    target = None  # (attribute, plural index) that continuation lines extend
    flags: set[str] = set()

    def finish():
        nonlocal current, started, target
        if started:
            entries.append(current)
        current, started, target = Entry(), False, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            if started:
                finish()
            continue
        if line.startswith("#"):
            if started:
                finish()
            if line.startswith("#,"):
                flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            assert target is not None, f"{path}:{number}: string outside an entry"
            name, index = target
            if index is None:
                setattr(current, name, getattr(current, name) + _unquote(line))
            else:
                current.msgstr_plural[index] += _unquote(line)
        elif keyword in ("msgctxt", "msgid") and target and target[0].startswith("msgstr"):
            finish()
            current.flags, flags = flags, set()
            current.line = number
            setattr(current, keyword, _unquote(rest))
            target = (keyword, None)
            started = keyword == "msgid"
        elif keyword in ("msgctxt", "msgid"):
            if not current.line:
                current.flags, flags = flags, set()
                current.line = number
            setattr(current, keyword, _unquote(rest))
            target = (keyword, None)
            started = started or keyword == "msgid"
        elif keyword == "msgid_plural":
            current.msgid_plural = _unquote(rest)
            target = ("msgid_plural", None)
        elif keyword == "msgstr":
            current.msgstr = _unquote(rest)
            target = ("msgstr", None)
        elif (match := re.fullmatch(r"msgstr\[(\d+)\]", keyword)) is not None:
            index = int(match.group(1))
            current.msgstr_plural[index] = _unquote(rest)
            target = ("msgstr_plural", index)
        else:
            raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
    finish()
    return entries


def po_path(directory: str) -> Path:
    return LOCALE_DIR / directory / "LC_MESSAGES" / "django.po"


def mo_path(directory: str) -> Path:
    return LOCALE_DIR / directory / "LC_MESSAGES" / "django.mo"


def header_fields(entries: list[Entry]) -> dict[str, str]:
    header = next(entry for entry in entries if entry.msgid == "" and entry.msgctxt is None)
    pairs = (line.partition(":") for line in header.msgstr.splitlines() if line.strip())
    return {name.strip(): value.strip() for name, _, value in pairs}


def messages(entries: list[Entry]) -> list[Entry]:
    return [entry for entry in entries if not (entry.msgid == "" and entry.msgctxt is None)]


catalogue = pytest.mark.parametrize("directory", sorted(CATALOGUES.values()))


def test_every_non_english_language_has_a_catalogue():
    languages = {code for code, _name in settings.LANGUAGES} - {"en"}
    assert languages == set(CATALOGUES)
    for directory in CATALOGUES.values():
        assert po_path(directory).is_file(), po_path(directory)
        assert mo_path(directory).is_file(), f"{mo_path(directory)}: run compilemessages"


def test_the_reader_understands_contexts_plurals_flags_and_continuations(tmp_path):
    sample = tmp_path / "django.po"
    sample.write_text(
        'msgid ""\nmsgstr ""\n"Language: vi\\n"\n"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
        '#: a.py:1\n#, fuzzy, python-format\nmsgctxt "month"\nmsgid "May"\nmsgstr "Tháng "\n'
        '"Năm"\n\n#, python-format\nmsgid "%(n)s star"\nmsgid_plural "%(n)s stars"\n'
        'msgstr[0] ""\n\nmsgid "Say \\"hi\\"\\n"\nmsgstr ""\n\n#~ msgid "Gone"\n#~ msgstr "X"\n',
        encoding="utf-8",
    )
    header, may, stars, quoted = read_po(sample)
    assert header_fields([header])["Plural-Forms"] == PLURAL_FORMS
    assert (may.msgctxt, may.msgid, may.msgstr, may.flags) == (
        "month",
        "May",
        "Tháng Năm",
        {"fuzzy", "python-format"},
    )
    assert may.key == "month\x04May"
    assert (stars.msgid_plural, stars.msgstr_plural, stars.flags) == (
        "%(n)s stars",
        {0: ""},
        {"python-format"},
    )
    assert quoted.msgid == 'Say "hi"\n' and quoted.flags == set()


@catalogue
def test_header_is_final_and_has_one_plural_form(directory):
    entries = read_po(po_path(directory))
    header = entries[0]
    assert header.msgid == "" and "fuzzy" not in header.flags, (
        f"{directory}: the header is fuzzy, so msgfmt would drop it (charset, plural forms)"
    )
    fields = header_fields(entries)
    assert fields["Plural-Forms"] == PLURAL_FORMS
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    assert fields["Language"] == directory


@catalogue
def test_every_entry_is_translated_and_none_is_fuzzy(directory):
    entries = messages(read_po(po_path(directory)))
    assert len(entries) > 100, "the catalogue looks empty: run makemessages"
    fuzzy = [entry.label for entry in entries if "fuzzy" in entry.flags]
    untranslated = [
        entry.label for entry in entries if not all(text for text in entry.translations)
    ]
    wrong_plurals = [
        entry.label
        for entry in entries
        if entry.msgid_plural is not None and sorted(entry.msgstr_plural) != [0]
    ]
    assert not fuzzy, f"{directory}: {len(fuzzy)} fuzzy entries:\n" + "\n".join(fuzzy)
    assert not untranslated, (
        f"{directory}: {len(untranslated)} untranslated entries:\n" + "\n".join(untranslated)
    )
    assert not wrong_plurals, f"{directory}: plural forms other than msgstr[0]:\n" + "\n".join(
        wrong_plurals
    )


PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}|</?[a-zA-Z][^>]*>")


@catalogue
def test_translations_keep_placeholders_tags_and_edge_whitespace(directory):
    problems = []
    for entry in messages(read_po(po_path(directory))):
        # With one plural form, msgstr[0] serves every count: it follows msgid_plural.
        source = entry.msgid if entry.msgid_plural is None else entry.msgid_plural
        for text in entry.translations:
            if text and sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
                problems.append(f"{entry.label}: placeholders differ in {text!r}")
            for edge in (str.startswith, str.endswith):
                for space in (" ", "\n"):
                    if text and edge(source, space) != edge(text, space):
                        problems.append(f"{entry.label}: leading/trailing {space!r} in {text!r}")
    assert not problems, "\n".join(problems)


@catalogue
def test_mo_is_compiled_from_the_current_po(directory):
    po, mo = po_path(directory), mo_path(directory)
    assert mo.stat().st_mtime >= po.stat().st_mtime - MTIME_TOLERANCE_SECONDS, (
        f"{mo} is older than {po}: run `manage.py compilemessages`"
    )
    with mo.open("rb") as handle:
        compiled = gettext_module.GNUTranslations(handle)._catalog
    expected = {}
    for entry in messages(read_po(po)):
        if "fuzzy" in entry.flags or not all(entry.translations):
            continue  # msgfmt leaves these out; the test above reports them
        if entry.msgid_plural is None:
            expected[entry.key] = entry.msgstr
        else:
            for index, text in entry.msgstr_plural.items():
                expected[(entry.key, index)] = text
    compiled = {key: value for key, value in compiled.items() if key != ""}
    missing = sorted(map(str, expected.keys() - compiled.keys()))
    stale = sorted(map(str, compiled.keys() - expected.keys()))
    changed = sorted(
        str(key) for key in expected.keys() & compiled.keys() if expected[key] != compiled[key]
    )
    assert not (missing or stale or changed), (
        f"{mo} is out of sync with {po}; run `manage.py compilemessages`.\n"
        f"not compiled: {missing[:20]}\nno longer translated in the .po: {stale[:20]}\n"
        f"different text: {changed[:20]}"
    )


SIGN_IN = {"vi": "Đăng nhập", "zh-hans": "登录"}
SESSION = {"vi": "phiên livestream", "zh-hans": "直播场次"}
LINEUP = {"vi": "Danh sách sản phẩm", "zh-hans": "选品清单"}
PRODUCTS = {"vi": "16 sản phẩm", "zh-hans": "16 件商品"}
REMINDER = {
    "vi": ("Bắt đầu sau một giờ: Đặc sản Gia Lai", "Xin chào Minh,", "Kịch bản phiên"),
    "zh-hans": ("一小时后开始：Đặc sản Gia Lai", "Minh，您好：", "流程单"),
}


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_real_page_strings_come_out_translated(language):
    from livestreams.models import Session

    with translation.override(language):
        assert gettext("Sign in") == SIGN_IN[language]
        assert gettext("Line-up") == LINEUP[language]
        assert str(Session._meta.verbose_name) == SESSION[language]
        assert (
            ngettext("%(counter)s product", "%(counter)s products", 16) % {"counter": 16}
            == PRODUCTS[language]
        )
        for english in ("Sign out", "Order imports", "Unmatched SKUs", "Showcase"):
            assert gettext(english) != english, f"{english!r} is not translated in {language}"


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_a_session_reminder_email_renders_in_the_language(language):
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    start = datetime.datetime(2026, 11, 24, 19, 0, tzinfo=zone)
    context = {
        "kind": "1h",
        "host": SimpleNamespace(display_name="Minh"),
        "session": SimpleNamespace(
            pk=7, title="Đặc sản Gia Lai", room="Live room 1", channel="TikTok Shop"
        ),
        "local_start": start,
        "local_end": start + datetime.timedelta(hours=2),
        "run_sheet_url": "https://base.example.org/sessions/7/run-sheet/",
    }
    subject_line, greeting, run_sheet = REMINDER[language]
    with translation.override(language):
        subject = render_to_string("livestreams/email/reminder_subject.txt", context)
        body = render_to_string("livestreams/email/reminder_body.txt", context)
    assert subject.strip() == subject_line
    assert body.startswith(greeting)
    assert f"{run_sheet}: https://base.example.org/sessions/7/run-sheet/" in body
    assert "If the session is moved" not in body
