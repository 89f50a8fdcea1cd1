"""SVG images a note shows are copied to the site as files of their own; opened directly, a script in one
would run on the site's origin (no meta CSP covers it). Each is held to an allowlist of what drawings
need (sources/svg.py), and `council check` and `council build` refuse the rest at the image's line."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from conftest import TinyProject

from council.sources.svg import svg_problem

SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">'

HOSTILE = {
    "onload": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.domain)"><rect width="5"/></svg>',
    "script": SVG_OPEN + "<script>alert(1)</script></svg>",
    "foreignObject": SVG_OPEN + '<foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml"/></foreignObject></svg>',
    "link": SVG_OPEN + '<a href="javascript:alert(1)"><text>x</text></a></svg>',
    "animate": SVG_OPEN + '<rect><set attributeName="onclick" to="alert(1)"/></rect></svg>',
    "animateTransform": SVG_OPEN + '<rect><animateTransform attributeName="transform"/></rect></svg>',
    "external use": SVG_OPEN + '<use xlink:href="https://evil.example/x.svg#a"/></svg>',
    "external style url": SVG_OPEN + "<style>rect { fill: url(https://evil.example/track) }</style></svg>",
    "style import": SVG_OPEN + "<style>@import 'https://evil.example/x.css';</style></svg>",
    "attribute url": SVG_OPEN + '<rect fill="url(https://evil.example/x)"/></svg>',
    "xhtml script in metadata": SVG_OPEN
    + '<metadata><script xmlns="http://www.w3.org/1999/xhtml">alert(1)</script></metadata></svg>',
    "entity bomb": '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
    "not xml": "<svg><rect></svg",
}


REASONS = {
    "onload": "attribute 'onload'",
    "script": "<script> element",
    "foreignObject": "<foreignObject> element",
    "link": "<a> element",
    "animate": "<set> element",
    "animateTransform": "<animateTransform> element",
    "external use": "links to 'https://evil.example/x.svg#a'",
    "external style url": "url(https://evil.example/track)",
    "style import": "@import",
    "attribute url": "url(https://evil.example/x)",
    "xhtml script in metadata": "<script> element",
    "entity bomb": "DOCTYPE declares entities",
    "not xml": "not well-formed XML",
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_svg_is_refused_for_what_it_holds(tmp_path: Path, case: str) -> None:
    path = tmp_path / "evil.svg"
    path.write_text(HOSTILE[case])
    assert REASONS[case] in (svg_problem(path) or ""), svg_problem(path)


def test_plain_drawing_with_local_references_passes(tmp_path: Path) -> None:
    path = tmp_path / "ok.svg"
    path.write_text(
        SVG_OPEN + "<defs><linearGradient id='g'><stop offset='0' stop-color='#000'/></linearGradient>"
        "<symbol id='s'><circle r='2'/></symbol><clipPath id='c'><rect width='4'/></clipPath></defs>"
        "<style>rect { fill: url(#g) }</style><title>A chart</title><desc>Bars</desc>"
        "<g clip-path='url(#c)'><rect width='3' fill='url(#g)'/><use xlink:href='#s'/><use href='#s'/>"
        "<text x='1'><tspan>label</tspan></text></g></svg>"
    )
    assert svg_problem(path) is None


def test_matplotlib_svg_passes(tmp_path: Path) -> None:
    """The report's charts are matplotlib's SVG, metadata, clip paths, styles and all."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, axes = pyplot.subplots()
    axes.bar(["A", "B"], [3, 5], hatch="//")
    axes.plot([0, 1], [1, 4], marker="o")
    axes.set_title("Cases by region")
    axes.legend(["line"])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg")
    pyplot.close(figure)
    path = tmp_path / "chart.svg"
    path.write_bytes(buffer.getvalue())
    assert svg_problem(path) is None


def test_check_and_build_refuse_a_note_showing_a_scripted_svg(project: TinyProject) -> None:
    (project.root / "briefings" / "media").mkdir()
    (project.root / "briefings" / "media" / "evil.svg").write_text(HOSTILE["onload"])
    body = 'Opening paragraph.\n\n![Cap](media/evil.svg){#fig-evil fig-alt="An image"}\n'
    path = project.note("pictured.md", body=body)
    line = path.read_text().split("\n").index(body.split("\n")[2]) + 1
    for result in (project.council("check"), project.build()):
        assert result.returncode == 1
        assert re.search(
            rf"briefings/pictured\.md:{line}(:\d+)?: error: the SVG image 'media/evil.svg' cannot be published: "
            r".*'onload'",
            result.stderr,
        ), result.stderr
        assert "Traceback" not in result.stderr
    assert not (project.site / "briefings/pictured").exists()


def test_an_undeclared_entity_from_an_external_dtd_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "skipped.svg"
    path.write_text(
        '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">'
        '<svg xmlns="http://www.w3.org/2000/svg"><text>&secret;</text></svg>'
    )
    assert svg_problem(path) == "it uses the entity &secret; which it never declares"


def test_the_reports_own_chart_passes(tmp_path: Path) -> None:
    """The report's bar chart, drawn by its own code and style (text kept as text, a target line)."""
    from council.report.charts import _bar_chart
    from council.report.figures import count

    chart = _bar_chart(
        "days",
        "Chart of days",
        [("Early warning", 12), ("Mediation & dialogue", 30)],
        count,
        "Bars",
        "t",
        "Days",
        target=20,
    )
    path = tmp_path / "chart.svg"
    path.write_bytes(chart.svg)
    assert svg_problem(path) is None


def test_a_drawing_nested_deeper_than_the_stack_is_judged_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "deep.svg"
    path.write_text(SVG_OPEN + "<g>" * 50_000 + "<script>alert(1)</script>" + "</g>" * 50_000 + "</svg>")
    assert "<script> element" in (svg_problem(path) or "")
