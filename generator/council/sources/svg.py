"""An SVG a note shows is copied to the site as a file of its own, and opened directly it runs on the
site's origin, where no meta CSP reaches it. So every SVG is held to what charts and diagrams need: a
strict allowlist of elements and attributes, references only within the file, no entity declared or
expanded (a DOCTYPE may name the SVG DTD, as matplotlib's does, but not declare anything)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from xml.parsers import expat

SVG_MAX_BYTES = 2 * 1024 * 1024  # the same as any image (sources/images.IMAGE_MAX_BYTES)

_SVG = "http://www.w3.org/2000/svg"
_XLINK = "http://www.w3.org/1999/xlink"
_ACTIVE_NAMESPACES = frozenset((_SVG, "", "http://www.w3.org/1999/xhtml", "http://www.w3.org/1998/Math/MathML"))
_NAMESPACES = {_SVG: "", _XLINK: "xlink:", "http://www.w3.org/XML/1998/namespace": "xml:"}

ALLOWED_ELEMENTS = frozenset(
    "svg g path rect circle ellipse line polyline polygon text tspan defs clipPath mask pattern "
    "linearGradient radialGradient stop title desc use symbol style metadata marker".split()
)
# Presentation and geometry attributes; anything else (on*, href to elsewhere...) is refused.
ALLOWED_ATTRIBUTES = frozenset(
    """id class style version baseProfile width height x y x1 y1 x2 y2 cx cy r rx ry d points viewBox
    preserveAspectRatio transform fill fill-opacity fill-rule stroke stroke-width stroke-opacity
    stroke-linecap stroke-linejoin stroke-miterlimit stroke-dasharray stroke-dashoffset opacity
    clip-path clip-rule clipPathUnits mask maskUnits maskContentUnits patternUnits patternContentUnits
    patternTransform gradientUnits gradientTransform spreadMethod offset stop-color stop-opacity fx fy
    font-family font-size font-style font-weight font-variant text-anchor dominant-baseline
    alignment-baseline baseline-shift letter-spacing word-spacing text-decoration dx dy rotate
    textLength lengthAdjust color display visibility overflow vector-effect shape-rendering
    text-rendering image-rendering color-interpolation color-interpolation-filters
    marker-start marker-mid marker-end markerWidth markerHeight markerUnits refX refY orient
    type media xml:space xml:lang lang href xlink:href role aria-label aria-hidden focusable""".split()
)
_URL = re.compile(r"url\s*\(\s*(['\"]?)\s*([^)'\"]*)", re.I)
_IMPORT = re.compile(r"@import", re.I)
_ESCAPE = re.compile(r"\\[0-9a-f]", re.I)  # CSS escapes could spell url( or @import in disguise


def svg_problem(path: Path) -> str | None:
    """What in this SVG could run or fetch something, or None when it is a plain drawing."""
    try:
        size = path.stat().st_size
        if size > SVG_MAX_BYTES:
            return f"it is {size:,} bytes; at most {SVG_MAX_BYTES:,} are allowed for an SVG"
        root = _parse(path.read_bytes())
    except ValueError as refused:  # from the handlers in _parse
        return str(refused)
    except (ElementTree.ParseError, expat.ExpatError) as error:
        return f"it is not well-formed XML ({error})"
    except OSError as error:
        return f"it cannot be read ({error.strerror})"
    return _tree_problem(root)


def _tree_problem(root: ElementTree.Element) -> str | None:
    """Every element, walked without recursion (a drawing nested thousands deep must not overflow the
    stack). Inside <metadata>, data in other vocabularies (matplotlib's RDF) is inert and passes; SVG,
    XHTML and MathML there are judged like anywhere else, since their scripts would run."""
    pending = [(root, False)]
    while pending:
        element, in_metadata = pending.pop()
        inert = in_metadata and _namespace(element.tag) not in _ACTIVE_NAMESPACES
        if not inert and (problem := _element_problem(element)):
            return problem
        inside = in_metadata or _local_name(element.tag) == "metadata"
        pending.extend((child, inside) for child in reversed(element))
    return None


def _namespace(tag: str) -> str:
    return tag[1:].partition("}")[0] if tag.startswith("{") else ""


def _parse(data: bytes) -> ElementTree.Element:
    """Parse with expat itself, refusing any DOCTYPE before an entity could be declared or expanded."""
    builder = ElementTree.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator=" ")

    def declaration_refused(*_: object) -> None:
        raise ValueError("its DOCTYPE declares entities or other markup")

    def internal_subset_refused(name: str, system: str | None, public: str | None, internal: int) -> None:
        if internal:  # matplotlib writes the SVG 1.1 DOCTYPE line, which declares nothing
            declaration_refused()

    def entity_refused(name: str, *_: object) -> None:  # &name; from a DTD never read: nothing is expanded
        raise ValueError(f"it uses the entity &{name}; which it never declares")

    parser.StartDoctypeDeclHandler = internal_subset_refused
    parser.EntityDeclHandler = declaration_refused
    parser.SkippedEntityHandler = entity_refused
    parser.StartElementHandler = lambda name, attributes: builder.start(
        _clark(name), {_clark(key): value for key, value in attributes.items()}
    )
    parser.EndElementHandler = lambda name: builder.end(_clark(name))
    parser.CharacterDataHandler = builder.data
    parser.Parse(data, True)
    return builder.close()


def _clark(name: str) -> str:
    """expat's 'namespace local' as ElementTree's '{namespace}local'."""
    namespace, _, local = name.rpartition(" ")
    return "{" + namespace + "}" + local if namespace else local


def _local_name(name: str) -> str | None:
    """'{svg-namespace}rect' -> 'rect'; an attribute in a namespace we know gets its usual prefix; any
    other namespace (an HTML element inside the SVG, say) gives None."""
    if not name.startswith("{"):
        return name
    namespace, _, local = name[1:].partition("}")
    prefix = _NAMESPACES.get(namespace)
    return None if prefix is None else prefix + local


def _element_problem(element: ElementTree.Element) -> str | None:
    name = _local_name(element.tag) if _namespace(element.tag) in ("", _SVG) else None
    if name not in ALLOWED_ELEMENTS:
        return (
            f"it contains a <{name or element.tag.rpartition('}')[2]}> element, which SVG images in notes may not have"
        )
    if name == "style" and (problem := _css_problem(element.text or "")):
        return problem
    for raw_name, value in element.attrib.items():
        attribute = _local_name(raw_name)
        if attribute is None or attribute not in ALLOWED_ATTRIBUTES:
            return f"its <{name}> has the attribute '{attribute or raw_name}', which SVG images in notes may not have"
        if attribute in ("href", "xlink:href") and not value.strip().startswith("#"):
            return f"its <{name}> links to '{value[:60]}'; only references within the file (#id) are allowed"
        if problem := _css_problem(value):
            return problem
    return None


def _css_problem(text: str) -> str | None:
    if _IMPORT.search(text) or _ESCAPE.search(text):
        return "its style uses @import or CSS escapes"
    for match in _URL.finditer(text):
        if not match.group(2).strip().startswith("#"):
            return f"its style points to 'url({match.group(2)[:60]})'; only url(#id) within the file is allowed"
    return None
