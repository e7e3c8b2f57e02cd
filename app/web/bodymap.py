"""SVG body maps: a front and back outline with every region as a shape,
referral zones shaded (essential darker than spillover) and trigger points
marked. Pure string building over the geometry in ``data/bodymap.yaml``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Literal

from app.data.dataset import Dataset, load_bodymap
from app.data.files import BodyMapFile

View = Literal["front", "back"]
Side = Literal["left", "right"]

PANEL_WIDTH = 200
PANEL_HEIGHT = 505
HEADER = 26
GAP = 16

STYLE = """
.outline{fill:#fbf8f4;stroke:#8a7f73;stroke-width:1.2}
.r{fill:#efe8df;stroke:#cdbfb0;stroke-width:.5}
.r:hover{stroke:#222;stroke-width:1.2}
.r.selected{fill:#7fb3d5;stroke:#2e6f9e}
.r.spillover{fill:url(#spillover-hatch);stroke:#a93226}
.r.essential{fill:#c0392b;stroke:#922b21}
.tp{fill:#fff;stroke:#111;stroke-width:1.4}
.tp-x{stroke:#111;stroke-width:1.2}
text{font:11px system-ui,sans-serif;fill:#333}
.view-label{font-weight:600;font-size:12px}
.side-label{font-size:9px;fill:#555}
""".strip()
# Spillover zones are hatched as well as lighter, so that they differ from
# essential zones by more than colour.
DEFS = (
    '<defs><pattern id="spillover-hatch" width="4" height="4" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="4" height="4" fill="#f5b7b1"/>'
    '<path d="M0 0V4" stroke="#a93226" stroke-width="1.3"/></pattern></defs>'
)


@dataclass(frozen=True)
class Marker:
    label: str
    view: View
    x: float
    y: float


@dataclass(frozen=True)
class Highlight:
    """What to shade: region slugs (any level; parents cover their leaves)."""

    essential: frozenset[str] = frozenset()
    spillover: frozenset[str] = frozenset()
    selected: frozenset[str] = frozenset()
    markers: tuple[Marker, ...] = ()
    side: Side | None = None
    title: str = "Body map"
    description: str = "Front and back views of the body regions."


@dataclass(frozen=True)
class _Shape:
    region: str
    side: Side | None
    d: str


@dataclass
class BodyMap:
    geometry: BodyMapFile
    dataset: Dataset
    _shapes: dict[View, list[_Shape]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for view in ("front", "back"):
            shapes: list[_Shape] = []
            for region in sorted(self.dataset.regions.values(), key=lambda r: r.position):
                drawn = self.geometry.regions.get(region.slug)
                if drawn is None or region.children:
                    continue
                polygons = drawn.front if view == "front" else drawn.back
                sides: Sequence[Side | None] = ("right", "left") if region.sided else (None,)
                for side in sides:
                    for polygon in polygons:
                        points = [(_screen_x(x, view, side), y + HEADER) for x, y in polygon]
                        shapes.append(_Shape(region.slug, side, _path(points)))
            self._shapes[view] = shapes

    def missing_shapes(self) -> list[str]:
        """Leaf regions with no shape for one of their views."""
        missing = []
        for region in self.dataset.regions.values():
            if region.children:
                continue
            drawn = self.geometry.regions.get(region.slug)
            for view in region.views:
                if drawn is None or not getattr(drawn, view):
                    missing.append(f"{region.slug} ({view})")
        return missing

    def regions_at(self, view: View, x: float, y: float) -> list[str]:
        """Leaf regions whose shape on ``view`` contains the point (x measured
        from the midline, as in the data files)."""
        return [
            slug
            for slug, drawn in self.geometry.regions.items()
            for polygon in (drawn.front if view == "front" else drawn.back)
            if _contains((x, y), polygon)
        ]

    def leaves(self, slugs: Iterable[str]) -> set[str]:
        return {leaf for slug in slugs for leaf in self.dataset.descendants(slug)}

    def render(self, highlight: Highlight, view: Literal["front", "back", "both"] = "both") -> str:
        views: list[View] = ["front", "back"] if view == "both" else [view]
        width = len(views) * PANEL_WIDTH + (len(views) - 1) * GAP
        legend, legend_height = _legend(width, HEADER + PANEL_HEIGHT + 8, highlight)
        height = HEADER + PANEL_HEIGHT + 8 + legend_height
        essential = self.leaves(highlight.essential)
        spillover = self.leaves(highlight.spillover) - essential
        selected = self.leaves(highlight.selected)
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" aria-labelledby="map-title map-desc">',
            f'<title id="map-title">{escape(highlight.title)}</title>',
            f'<desc id="map-desc">{escape(highlight.description)}</desc>',
            f"<style>{STYLE}</style>",
            DEFS,
        ]
        for index, current in enumerate(views):
            offset = index * (PANEL_WIDTH + GAP)
            parts.append(
                f'<g class="view" data-view="{current}" transform="translate({offset} 0)">'
            )
            label = "Front" if current == "front" else "Back"
            parts.append(
                f'<text class="view-label" x="{PANEL_WIDTH / 2}" y="16" text-anchor="middle">{label}</text>'
            )
            parts.append(_side_labels(current))
            outline = self.geometry.outline.get(current)  # type: ignore[call-overload]
            if outline:
                parts.append(f'<path class="outline" d="{escape(_shift_path(outline, HEADER))}"/>')
            for shape in self._shapes[current]:
                state = self._state(shape, highlight.side, essential, spillover, selected)
                name = self.dataset.regions[shape.region].name
                hover = f"{name} ({shape.side})" if shape.side else name
                side_attr = f' data-side="{shape.side}"' if shape.side else ""
                parts.append(
                    f'<path class="r{" " + state if state else ""}" data-region="{shape.region}"'
                    f'{side_attr} d="{shape.d}"><title>{escape(hover)}</title></path>'
                )
            for marker in highlight.markers:
                if marker.view != current:
                    continue
                for side in _sides(highlight.side):
                    x, y = _screen_x(marker.x, current, side), marker.y + HEADER
                    parts.append(
                        f'<g class="trigger-point" data-side="{side}"><title>{escape(marker.label)}</title>'
                        f'<circle class="tp" cx="{x:.1f}" cy="{y:.1f}" r="3.6"/>'
                        f'<path class="tp-x" d="M{x - 2:.1f} {y - 2:.1f}L{x + 2:.1f} {y + 2:.1f}'
                        f'M{x + 2:.1f} {y - 2:.1f}L{x - 2:.1f} {y + 2:.1f}"/></g>'
                    )
            parts.append("</g>")
        parts.append(legend)
        parts.append("</svg>")
        return "".join(parts)

    @staticmethod
    def _state(
        shape: _Shape,
        side: Side | None,
        essential: set[str],
        spillover: set[str],
        selected: set[str],
    ) -> str:
        if side is not None and shape.side is not None and shape.side != side:
            return ""
        if shape.region in essential:
            return "essential"
        if shape.region in spillover:
            return "spillover"
        if shape.region in selected:
            return "selected"
        return ""


def _contains(point: tuple[float, float], polygon: Sequence[Sequence[float]]) -> bool:
    """Even-odd ray casting."""
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(polygon, [*polygon[1:], polygon[0]], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def _side_labels(view: View) -> str:
    """The person's own right and left, where they fall on this view: seen
    from the front, their right is on the viewer's left."""
    left_hand, right_hand = ("Right", "Left") if view == "front" else ("Left", "Right")
    return (
        f'<text class="side-label" x="6" y="16">{left_hand}</text>'
        f'<text class="side-label" x="{PANEL_WIDTH - 6}" y="16" text-anchor="end">{right_hand}</text>'
    )


def _sides(side: Side | None) -> Sequence[Side]:
    return (side,) if side else ("right", "left")


def _screen_x(x: float, view: View, side: Side | None) -> float:
    """x measured from the midline towards the region's side → SVG x.
    Seen from the front, the person's right is on the viewer's left."""
    if side is None:
        return PANEL_WIDTH / 2 + x
    towards_viewer_left = (side == "right") == (view == "front")
    return PANEL_WIDTH / 2 - x if towards_viewer_left else PANEL_WIDTH / 2 + x


def _path(points: Sequence[tuple[float, float]]) -> str:
    head, *rest = points
    return f"M{head[0]:.1f} {head[1]:.1f}" + "".join(f"L{x:.1f} {y:.1f}" for x, y in rest) + "Z"


def _shift_path(d: str, dy: float) -> str:
    """Move an outline path given relative to the midline into the panel:
    x += 100, y += dy. Outline paths use absolute commands with x y pairs."""
    out: list[str] = []
    numbers: list[float] = []
    tokens = d.replace(",", " ").split()
    for token in tokens:
        if token[0].isalpha():
            out.append(token)
        else:
            numbers.append(float(token))
            if len(numbers) == 2:
                out.append(f"{numbers[0] + PANEL_WIDTH / 2:.1f} {numbers[1] + dy:.1f}")
                numbers = []
    return " ".join(out)


LEGEND_ROW = 15
CHARACTER_WIDTH = 6.2  # of the 11 px legend font, for laying out rows


def _legend(width: float, top: float, highlight: Highlight) -> tuple[str, float]:
    """The legend, wrapped into rows that fit ``width``; returns it with its height."""
    items = [
        (css, label)
        for css, label, shown in (
            ("r essential", "Essential zone", highlight.essential),
            ("r spillover", "Spillover zone", highlight.spillover),
            ("r selected", "Asked area", highlight.selected),
            ("tp", "Trigger point", highlight.markers),
        )
        if shown
    ]
    parts = [f'<g class="legend" transform="translate(8 {top})">']
    x = y = 0.0
    for css, label in items:
        item_width = 24 + CHARACTER_WIDTH * len(label)
        if x and x + item_width > width - 16:
            x, y = 0.0, y + LEGEND_ROW
        if css == "tp":
            parts.append(f'<circle class="tp" cx="{x + 6}" cy="{y + 5}" r="3.6"/>')
        else:
            parts.append(f'<rect class="{css}" x="{x}" y="{y}" width="14" height="10"/>')
        parts.append(f'<text x="{x + 18}" y="{y + 9}">{label}</text>')
        x += item_width
    lines = (
        [DISCLAIMER_LINE]
        if CHARACTER_WIDTH * len(DISCLAIMER_LINE) < width - 16
        else [
            "Reference information,",
            "not a diagnosis.",
        ]
    )
    y += LEGEND_ROW if items else 0
    for line in lines:
        y += LEGEND_ROW
        parts.append(f'<text x="0" y="{y}">{line}</text>')
    parts.append("</g>")
    return "".join(parts), y + 8


DISCLAIMER_LINE = "Reference information, not a diagnosis."


def load_geometry(data_dir: Path, dataset: Dataset | None = None) -> BodyMapFile:
    """``data/bodymap.yaml``, validated like every data file (and against the
    dataset's regions when given)."""
    return load_bodymap(data_dir, dataset.regions if dataset is not None else None)
