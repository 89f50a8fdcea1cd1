"""The derived render key (generator/council/base/keys.py, issue 12) in this process: every input it covers
changes the key, a moved checkout does not. Fast, so these are the tests `nox -s mutate` runs against
the cache key; test_cache.py proves the same end to end with real builds."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import REPO

from council.base import keys
from council.base.config import load_config


@dataclasses.dataclass(frozen=True)
class Note:
    path: Path
    title: str
    when: dt.datetime | None = None
    amount: Decimal = Decimal(0)
    extra: dict = dataclasses.field(default_factory=dict)
    hidden: str = dataclasses.field(default="", repr=False)


def project(root: Path) -> Path:
    root.mkdir(parents=True)
    for name in ("council.yml", "mkdocs.yml"):
        shutil.copy(REPO / name, root / name)
    return root


@pytest.fixture(autouse=True)
def fresh_field_table() -> None:
    """The key remembers each type's field split; every test works it out anew, so that what it checks
    is the rule itself, not a table left by an earlier test."""
    keys._FIELDS.clear()


@pytest.fixture  # per test: mutmut links a function only to the tests that call it
def package() -> str:
    return keys.package_digest()


@pytest.fixture
def shared(tmp_path: Path, package: str):  # type: ignore[no-untyped-def]
    root = project(tmp_path / "a")
    return keys.shared_inputs(load_config(root), package)


# --- portable: a stable text of a source ---------------------------------------------------------


def test_paths_inside_the_project_are_relative_so_a_moved_checkout_keeps_its_text(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "elsewhere" / "two"
    assert keys.portable(Note(one / "briefings/x.md", "T"), one) == keys.portable(
        Note(two / "briefings/x.md", "T"), two
    )
    assert "briefings/x.md" in keys.portable(Note(one / "briefings/x.md", "T"), one)
    assert str(one) not in keys.portable(Note(one / "briefings/x.md", "T"), one)
    outside = Path("/usr/share/csl/oscola.csl")
    assert str(outside) in keys.portable(Note(outside, "T"), one)


@pytest.mark.parametrize(
    "change",
    [
        {"title": "U"},
        {"path": Path("/p/briefings/y.md")},
        {"hidden": "a field repr() leaves out"},
        {"when": dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.timezone.utc)},
        {"amount": Decimal("0.5")},
        {"extra": {"k": [1, 2]}},
    ],
)
def test_every_field_counts(change: dict) -> None:
    root = Path("/p")
    base = Note(root / "briefings/x.md", "T")
    assert keys.portable(base, root) != keys.portable(dataclasses.replace(base, **change), root)


def test_times_keep_their_hour_and_zone_and_containers_their_shape() -> None:
    root = Path("/p")
    nine = dt.datetime(2026, 1, 1, 9, tzinfo=dt.timezone.utc)
    ten = dt.datetime(2026, 1, 1, 10, tzinfo=dt.timezone.utc)
    assert keys.portable(nine, root) != keys.portable(ten, root)
    assert keys.portable(nine, root) != keys.portable(nine.replace(tzinfo=None), root)
    assert keys.portable({"b": 1, "a": 2}, root) == keys.portable({"a": 2, "b": 1}, root)
    assert keys.portable({"a": 1}, root) != keys.portable({"a": 2}, root)
    assert keys.portable([1, [2, 3]], root) != keys.portable([[1, 2], 3], root)
    assert keys.portable(("ab", "c"), root) != keys.portable(("a", "bc"), root)
    assert keys.portable(1, root) != keys.portable("1", root)


# --- render_key: one output's key -----------------------------------------------------------------


def test_the_key_changes_with_every_part_of_an_output(shared, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = shared.root
    (root / "images").mkdir()
    image = root / "images" / "chart.png"
    image.write_bytes(b"one")
    note = Note(root / "briefings" / "x.md", "T")
    base = keys.render_key("briefing", shared, note, entries="[]", images=[image], derived=["d"])
    assert base == keys.render_key("briefing", shared, note, entries="[]", images=[image], derived=["d"])
    others = [
        keys.render_key("report", shared, note, entries="[]", images=[image], derived=["d"]),
        keys.render_key(
            "briefing", shared, dataclasses.replace(note, title="U"), entries="[]", images=[image], derived=["d"]
        ),
        keys.render_key("briefing", shared, note, entries="[{}]", images=[image], derived=["d"]),
        keys.render_key("briefing", shared, note, entries="[]", images=[], derived=["d"]),
        keys.render_key("briefing", shared, note, entries="[]", images=[image], derived=["e"]),
        keys.render_key(
            "briefing", dataclasses.replace(shared, digest="other"), note, entries="[]", images=[image], derived=["d"]
        ),
    ]
    image.write_bytes(b"two")
    others.append(keys.render_key("briefing", shared, note, entries="[]", images=[image], derived=["d"]))
    renamed = image.rename(root / "images" / "renamed.png")
    others.append(keys.render_key("briefing", shared, note, entries="[]", images=[renamed], derived=["d"]))
    assert len({base, *others}) == len(others) + 1


# --- shared_inputs: what every output of a build depends on --------------------------------------


@pytest.mark.parametrize("edit", ["council.yml", "mkdocs.yml", "glossary.yml", "fonts/House.ttf"])
def test_each_project_file_the_outputs_depend_on_changes_the_shared_key(
    tmp_path: Path, package: str, edit: str
) -> None:
    root = project(tmp_path / "p")
    before = keys.shared_inputs(load_config(root), package).digest
    path = root / edit
    path.parent.mkdir(exist_ok=True)
    path.write_text(path.read_text() + "\n# edited\n" if path.exists() else "new file\n")
    assert keys.shared_inputs(load_config(root), package).digest != before


def test_other_project_files_and_the_checkouts_place_do_not(tmp_path: Path, package: str) -> None:
    one = project(tmp_path / "one")
    two = project(tmp_path / "moved" / "two")
    digest = keys.shared_inputs(load_config(one), package).digest
    (one / "notes.txt").write_text("not an input")
    (one / "briefings").mkdir()
    assert keys.shared_inputs(load_config(one), package).digest == digest
    assert keys.shared_inputs(load_config(two), package).digest == digest
    assert keys.shared_inputs(load_config(one), package + "x").digest != digest


def test_the_style_changes_the_shared_key(tmp_path: Path, package: str) -> None:
    root = project(tmp_path / "p")
    oscola = keys.shared_inputs(load_config(root), package).digest
    (root / "council.yml").write_text("citation_style: apa\n")
    assert keys.shared_inputs(load_config(root), package).digest != oscola


def test_the_package_digest_covers_every_file_of_the_package() -> None:
    names = [name for name, _ in keys.package_files()]
    assert names == sorted(names)
    for expected in (
        "pipeline/site.py",
        "render/worker.lua",
        "render/common.lua",
        "templates/report.typ.j2",
        "vocabularies.yml",
        "report/document.py",
    ):
        assert expected in names
    assert not any("__pycache__" in name for name in names)


# --- which fields are written at once (one repr) and which are taken apart -------------------------
# A field whose type can hold no path is written with one repr() of all such fields (fast for a
# briefing's whole text); any field that could hold a path, directly or nested, must be taken apart,
# or an absolute path would reach the key and a moved checkout would render everything again.


@dataclasses.dataclass(frozen=True)
class Inner:
    name: str
    size: int


@dataclasses.dataclass(frozen=True)
class WithPath:
    where: Path


@dataclasses.dataclass(frozen=True)
class Hidden:
    shown: str
    secret: str = dataclasses.field(default="", repr=False)


@dataclasses.dataclass(frozen=True)
class Loop:
    name: str
    next: Loop | None = None


@dataclasses.dataclass(frozen=True)
class Everything:
    text: str
    count: int
    ratio: float
    flag: bool
    day: dt.date
    moment: dt.datetime
    money: Decimal
    maybe: str | None
    words: tuple[str, ...]
    table: dict[str, int]
    items: list[Inner]
    inner: Inner
    where: Path
    places: tuple[Path, ...]
    maybe_place: Path | None
    nested: WithPath
    deep: tuple[WithPath, ...]
    hidden: Hidden
    loop: Loop
    anything: object


PLAIN = {"text", "count", "ratio", "flag", "day", "moment", "money", "maybe", "words", "table", "items", "inner"}


def test_only_fields_that_cannot_hold_a_path_are_written_at_once() -> None:
    plain, others = keys._fields(Everything)
    assert set(plain.names) == PLAIN
    assert list(others) == [f.name for f in dataclasses.fields(Everything) if f.name not in PLAIN]
    assert list(plain.names) == [f.name for f in dataclasses.fields(Everything) if f.name in PLAIN]


def test_a_single_plain_field_is_still_read_as_a_tuple() -> None:
    plain, _ = keys._fields(Inner)
    assert plain.values(Inner("a", 1)) == ("a", 1)
    one, rest = keys._fields(Loop)
    assert one.names == ("name",) and rest == ("next",)
    assert one.values(Loop("x")) == ("x",)
    none, taken = keys._fields(WithPath)
    assert none.names == () and none.values(WithPath(Path("/p"))) == () and taken == ("where",)


def test_a_type_that_cannot_be_resolved_is_taken_apart_field_by_field() -> None:
    @dataclasses.dataclass(frozen=True)
    class Unresolved:
        name: NotDefinedAnywhere  # type: ignore[name-defined]  # noqa: F821

    plain, others = keys._fields(Unresolved)
    assert plain.names == () and others == ("name",)
    assert "Unresolved(()=()" in keys.portable(Unresolved("x"), Path("/p"))
    assert "'x'" in keys.portable(Unresolved("x"), Path("/p"))


def test_every_value_of_a_full_source_reaches_its_text_and_no_absolute_path_does(tmp_path: Path) -> None:
    root = tmp_path / "project"
    value = Everything(
        "body",
        7,
        0.25,
        True,
        dt.date(2026, 2, 3),
        dt.datetime(2026, 2, 3, 4, 5),
        Decimal("1.5"),
        None,
        ("w1", "w2"),
        {"k": 9},
        [Inner("i", 3)],
        Inner("n", 4),
        root / "a.md",
        (root / "b.md", Path("/etc/c")),
        None,
        WithPath(root / "d.md"),
        (WithPath(root / "e.md"),),
        Hidden("s", "z-secret"),
        Loop("l1", Loop("l2")),
        frozenset({"f"}),
    )
    text = keys.portable(value, root)
    for part in (
        "'body'",
        "7",
        "0.25",
        "True",
        "2026, 2, 3",
        "Decimal('1.5')",
        "'w2'",
        "'k': 9",
        "'i'",
        "'n'",
        "'a.md'",
        "'b.md'",
        "'/etc/c'",
        "'d.md'",
        "'e.md'",
        "z-secret",
        "'l2'",
        "frozenset:",
    ):
        assert part in text, part
    assert str(root) not in text
    assert keys.portable(dataclasses.replace(value, loop=Loop("l1", Loop("l3"))), root) != text


def test_dict_keys_count_and_any_mix_of_key_types_is_ordered() -> None:
    root = Path("/p")
    assert keys.portable({"a": 1}, root) != keys.portable({"b": 1}, root)
    assert keys.portable({1: "x", "b": 2}, root) == keys.portable({"b": 2, 1: "x"}, root)
    inside = keys.portable({root / "k.md": root / "v.md"}, root)  # paths as keys and values: relative too
    assert "'k.md'" in inside and "'v.md'" in inside and "/p/" not in inside


def test_relative_names_only_for_paths_inside_the_root() -> None:
    assert keys._relative(Path("/p/q/r.md"), Path("/p")) == "q/r.md"
    assert keys._relative(Path("/p/q/r.md"), Path("/p/")) == "q/r.md"
    assert keys._relative(Path("/pq/r.md"), Path("/p")) == "/pq/r.md"  # a neighbour, not inside
    assert keys._relative(Path("/other/r.md"), Path("/p")) == "/other/r.md"
    assert keys._relative(Path("/home/MAX/r.md"), Path("/home/MAX")) == "r.md"  # a root whatever its last letter


def test_compiled_bytecode_is_not_part_of_the_package_digest() -> None:
    """Python writes __pycache__ on first import: counting it would change every key after one run."""
    import council.base.keys  # noqa: F401  (imported, so the package has compiled files if Python writes them)

    names = [name for name, _ in keys.package_files()]
    assert names and not any("__pycache__" in name or name.endswith(".pyc") for name in names)
