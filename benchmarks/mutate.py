"""Mutation testing (`nox -s mutate`): mutmut over the modules where a bug leaks or corrupts, each run
against only the fast, in-process tests that cover it, and the score printed per module.

mutmut 3 mutates the whole source tree in a `mutants/` folder and runs every test against it; council's
tests also read the sample content beside the package. So each module gets a workspace, mutants/<target>/ (git ignores mutants/), with
the package copied in as council/, the tests and sample content beside it, and a pyproject.toml that
holds only that module's mutmut settings; mutmut runs there.

    python benchmarks/mutate.py                 # every target
    python benchmarks/mutate.py gate figures    # some of them
    python benchmarks/mutate.py --list          # the targets, their modules and tests
    python benchmarks/mutate.py --again figures # only the last run's survivors, against the tests as they are now
    python benchmarks/mutate.py --resume figures  # go on with an interrupted run
    python benchmarks/mutate.py --table           # the table of the runs so far

Exit status 1 when a module scores under TARGET_SCORE. Survivors judged equivalent, with the reason,
are in benchmarks/mutation-survivors.md; the survivors of the latest run are in mutants/<target>/survivors.md.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "generator" / "council"
WORKSPACES = REPO / "mutants"
TARGET_SCORE = 90.0
# What the tests read besides tests/ (conftest's REPO is the workspace's mutants/ folder).
SAMPLE = ("briefings", "bibliography", "reports", "requests", "council.yml", "mkdocs.yml")

# mutmut's exit codes per mutant (mutmut/stats.py): caught means a test failed or the mutant hung.
CAUGHT = {"killed", "timeout", "caught by type check"}
STATUS = {
    1: "killed",
    3: "killed",
    0: "survived",
    5: "no tests",
    33: "no tests",
    34: "skipped",
    36: "timeout",
    37: "caught by type check",
    24: "timeout",
    -24: "timeout",
    152: "timeout",
    255: "timeout",
    -11: "segfault",
    -9: "segfault",
    None: "not checked",
}


@dataclass(frozen=True)
class Target:
    name: str
    modules: tuple[str, ...]  # paths inside the package
    tests: tuple[str, ...]  # the fast test files that cover them
    functions: tuple[str, ...] = ()  # mutant name patterns when only some functions matter (all if empty)
    note: str = ""


TARGETS = (
    Target("gate", ("publish/gate.py",), ("tests/test_report_rules.py", "tests/test_gate_rules.py")),
    Target("release", ("publish/release.py",), ("tests/test_release_rules.py",)),
    Target(
        "cache-key",
        ("base/cache.py", "base/keys.py"),
        ("tests/test_cache_key.py", "tests/test_render_keys.py"),
        note="keys.py (the derived render key) when the package has it; cache.py always",
    ),
    Target("figures", ("report/figures.py",), ("tests/test_report_rules.py", "tests/test_report_quoted_figures.py")),
    Target(
        "report-validation",
        ("sources/reports.py", "sources/report_data.py", "sources/report_sections.py"),
        (
            "tests/test_report_messages.py",
            "tests/test_report_rules.py",
            "tests/test_report_quoted_figures.py",
            "tests/test_report_validation.py",
        ),
    ),
    Target("sanitisers", ("sources/safety.py",), ("tests/test_safety_rules.py",)),
    # the readers of files council does not write (issue 29)
    Target(
        "bibtex",
        ("sources/bibtex.py", "base/bibtex_braces.py"),
        ("tests/test_bib_semantics.py", "tests/test_bib_differential.py", "tests/test_bibliography_loading.py"),
    ),
    Target(
        "public-fields",
        ("base/public_fields.py",),
        ("tests/test_private_fields.py", "tests/test_bib_semantics.py"),
        note="test_private_fields.py builds one site per run (its leak test); the rest are in-process",
    ),
    Target("mail", ("authoring/mail.py",), ("tests/test_request_mail.py", "tests/test_mail_hostile.py")),
    Target(
        "word-import",
        tuple(f"authoring/word_import/{name}.py" for name in ("docx_file", "fields", "convert", "write")),
        ("tests/test_docx_import.py", "tests/test_word_import_inputs.py", "tests/test_word_import_lying_zip.py"),
    ),
    Target(
        "house-style",
        ("sources/house_style.py",),
        ("tests/test_house_style_limits.py", "tests/test_house_style_cost.py", "tests/test_house_style.py"),
    ),
)


def module_name(path: str) -> str:
    return "council." + path.removesuffix(".py").replace("/", ".")


def prepare(target: Target, modules: list[str]) -> Path:
    """A fresh workspace for one target: council/, tests/, the sample content and mutmut's settings."""
    workspace = WORKSPACES / target.name
    shutil.rmtree(workspace, ignore_errors=True)
    workspace.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(PACKAGE, workspace / "council", ignore=ignore)
    shutil.copytree(REPO / "tests", workspace / "tests", ignore=ignore)
    for name in SAMPLE:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, workspace / name, ignore=ignore)
        elif source.is_file():
            shutil.copy2(source, workspace / name)
    settings = {
        "source_paths": ["council"],
        "only_mutate": [f"council/{m}" for m in modules],
        "also_copy": [name for name in SAMPLE if (REPO / name).exists()],
        "pytest_add_cli_args_test_selection": list(target.tests),
        "pytest_add_cli_args": [
            "-p",
            "no:cacheprovider",
            "-q",
            "--no-header",
            "-x",
        ],  # a mutant is caught at the first failure
        "use_git_change_detection": False,
    }
    (workspace / "pyproject.toml").write_text(
        "[tool.mutmut]\n"
        + "".join(f"{key} = {json.dumps(value)}\n" for key, value in settings.items())
        + '\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
        encoding="utf-8",
    )
    return workspace


@dataclass
class Score:
    target: str
    module: str
    counts: dict[str, int]
    survivors: list[str]
    seconds: float

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def tested(self) -> int:
        return self.total - self.counts.get("not checked", 0)

    @property
    def caught(self) -> int:
        return sum(n for status, n in self.counts.items() if status in CAUGHT)

    @property
    def percent(self) -> float:
        return 100.0 * self.caught / self.tested if self.tested else 100.0


def results(workspace: Path, target: Target, modules: list[str], seconds: float) -> list[Score]:
    scores = []
    for module in modules:
        meta = workspace / "mutants" / "council" / f"{module}.meta"
        codes: dict[str, int | None] = json.loads(meta.read_text())["exit_code_by_key"] if meta.is_file() else {}
        counts: dict[str, int] = {}
        survivors = []
        for name, code in sorted(codes.items()):
            status = STATUS.get(code, "suspicious")
            counts[status] = counts.get(status, 0) + 1
            if status not in CAUGHT and status != "not checked":
                survivors.append(f"{name} ({status})")
        scores.append(Score(target.name, module, counts, survivors, seconds))
    return scores


def refresh_tests(target: Target, modules: list[str]) -> tuple[Path, list[str]]:
    """The workspace of the last run with today's tests, and the names of the mutants that survived it."""
    workspace = WORKSPACES / target.name
    survivors = [name.split(" ")[0] for score in results(workspace, target, modules, 0.0) for name in score.survivors]
    for copy in (workspace / "tests", workspace / "mutants" / "tests"):
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(REPO / "tests", copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    (workspace / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)  # which tests call what, again
    return workspace, survivors


def sampled(workspace: Path, modules: list[str], every: int) -> list[str]:
    """The untested mutants numbered 0 modulo `every` (mutmut numbers each function's mutants 1, 2, ...)."""
    names = []
    for module in modules:
        meta = workspace / "mutants" / "council" / f"{module}.meta"
        codes = json.loads(meta.read_text())["exit_code_by_key"] if meta.is_file() else {}
        names += [
            name for name, code in codes.items() if code is None and int(name.rpartition("__mutmut_")[2]) % every == 0
        ]
    return names


def run(target: Target, max_children: int, again: bool = False, resume: bool = False, every: int = 1) -> list[Score]:
    modules = [m for m in target.modules if (PACKAGE / m).is_file()]
    started = time.monotonic()
    if every > 1 and not (WORKSPACES / target.name / "mutants").is_dir():
        prepare(target, modules)  # mutants are generated (and numbered) by a first, empty run
        subprocess.run(
            [sys.executable, "-m", "mutmut", "run", "--max-children", str(max_children), "nothing.x_*"],
            cwd=WORKSPACES / target.name,
            capture_output=True,
        )
    if (again or resume or every > 1) and (WORKSPACES / target.name / "mutants").is_dir():
        workspace, patterns = refresh_tests(target, modules)
        if every > 1:
            patterns = sampled(workspace, modules, every)
            if not patterns:
                return results(workspace, target, modules, 0.0)
        elif resume:  # mutmut goes on with the mutants it has no result for
            patterns = [f"{module_name(m)}.{p}" for m in modules for p in target.functions]
        elif not patterns:
            return results(workspace, target, modules, 0.0)
    else:
        workspace = prepare(target, modules)
        patterns = [f"{module_name(m)}.{p}" for m in modules for p in target.functions]
    command = [sys.executable, "-m", "mutmut", "run", "--max-children", str(max_children), *patterns]
    print(f"\n=== {target.name}: {', '.join(modules)} against {', '.join(target.tests)}", flush=True)
    finished = subprocess.run(command, cwd=workspace)
    if finished.returncode != 0:
        print(f"mutmut failed for {target.name} (exit {finished.returncode}); see the output above", flush=True)
    return results(workspace, target, modules, time.monotonic() - started)


def diffs(score: Score) -> str:
    """Each survivor's diff, for deciding whether a test is missing or the mutant is equivalent."""
    out = []
    for survivor in score.survivors:
        name = survivor.split(" ")[0]
        shown = subprocess.run(
            [sys.executable, "-m", "mutmut", "show", name],
            cwd=WORKSPACES / score.target,
            capture_output=True,
            text=True,
        )
        out.append(f"## {survivor}\n\n```diff\n{shown.stdout.strip()}\n```\n")
    return "\n".join(out)


def table(scores: list[Score]) -> str:
    lines = [
        "| target | module | mutants | tested | killed | timeout | survived | no tests | caught |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in scores:
        c = s.counts
        lines.append(
            f"| {s.target} | {s.module} | {s.total} | {s.tested} | {c.get('killed', 0)} | "
            f"{c.get('timeout', 0)} | {c.get('survived', 0)} | {c.get('no tests', 0)} | {s.percent:.1f}% |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("targets", nargs="*", help="targets to run (default: all)")
    parser.add_argument("--list", action="store_true", help="list the targets and exit")
    parser.add_argument("--table", action="store_true", help="print the table of the runs so far and exit")
    parser.add_argument("--max-children", type=int, default=2, help="mutants tested at once (default 2)")
    parser.add_argument(
        "--again",
        action="store_true",
        help="re-test only the survivors of the last run, against the tests as they are now",
    )
    parser.add_argument(
        "--sample",
        type=int,
        default=1,
        metavar="N",
        help="test only every Nth mutant not tested yet (for a first look at a large module)",
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="go on with an interrupted run's untested mutants, against the tests as they are now",
    )
    options = parser.parse_args()
    known = {t.name: t for t in TARGETS}
    if options.list:
        for t in TARGETS:
            print(f"{t.name}: {', '.join(t.modules)} <- {', '.join(t.tests)}" + (f" ({t.note})" if t.note else ""))
        return 0
    unknown = [name for name in options.targets if name not in known]
    if unknown:
        print(f"unknown target(s): {', '.join(unknown)}; known: {', '.join(known)}", file=sys.stderr)
        return 2
    chosen = [known[name] for name in options.targets] if options.targets else list(TARGETS)
    if options.table:
        print(
            table(
                [
                    score
                    for target in chosen
                    if (WORKSPACES / target.name).is_dir()
                    for score in results(
                        WORKSPACES / target.name, target, [m for m in target.modules if (PACKAGE / m).is_file()], 0.0
                    )
                ]
            )
        )
        return 0
    scores = []
    for target in chosen:
        found = run(target, options.max_children, options.again, options.resume, options.sample)
        (WORKSPACES / target.name / "survivors.md").write_text(
            f"# Survivors: {target.name}\n\n" + "\n".join(diffs(score) for score in found), encoding="utf-8"
        )
        scores.extend(found)
    print("\n" + table(scores))
    print(
        "\nEach target's surviving mutants, as diffs: mutants/<target>/survivors.md; the ones judged "
        "equivalent are explained in benchmarks/mutation-survivors.md"
    )
    below = [s for s in scores if s.percent < TARGET_SCORE]
    for s in below:
        print(f"{s.module}: {s.percent:.1f}% of mutants caught, under the {TARGET_SCORE:.0f}% target", file=sys.stderr)
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
