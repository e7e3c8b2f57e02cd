"""SVG body maps: the front and back of the body, the soles of both feet and
the head and neck from each side, with every region as a shape, referral zones
shaded (essential darker than spillover) and trigger points marked. Pure
string building over the geometry in ``data/bodymap.yaml``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Literal, get_args

from app.data.dataset import load_bodymap
from app.data.files import VIEW_BOXES, BodyMapFile
from app.data.files import View as FigureView
from app.domain import Dataset, Side, View

# What ``view=`` may ask for: one view ("side" is the head's side view), front
# and back ("both"), every view ("all"), or "auto": front and back, plus the
# sole and head views when something to draw lies there (every view for a
# plain map).
ViewChoice = Literal["front", "back", "sole", "head", "side", "both", "all", "auto"]
VIEWS: tuple[View, ...] = get_args(View)
CHOICES: dict[str, tuple[View, ...]] = {
    **{view: (view,) for view in VIEWS},
    "side": ("head",),
    "both": ("front", "back"),
    "all": VIEWS,
}
# The close-ups show each side in its own half, mirrored: the outline and the
# unsided regions (nose, chin, throat) are drawn once for each side.
PAIRED: frozenset[View] = frozenset({"sole", "head"})

TITLES: dict[View, str] = {
    "front": "Front",
    "back": "Back",
    "sole": "Soles",
    "head": "Head and neck, from each side",
}
# Which of the person's own sides is on the viewer's left and right. From the
# front their right is on the viewer's left; the back, the soles (seen like
# footprints, toes up) and the two profiles put it on the viewer's right.
SIDE_LABELS: dict[View, tuple[str, str]] = {
    "front": ("Right", "Left"),
    "back": ("Left", "Right"),
    "sole": ("Left foot", "Right foot"),
    "head": ("Left side", "Right side"),
}
DESCRIBED: dict[View, str] = {
    "front": "the front (the person's right on the viewer's left)",
    "back": "the back (the person's right on the viewer's right)",
    "sole": "the soles of both feet, seen like footprints (left foot on the left)",
    "head": "the head and neck from the left and from the right side",
}

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
    description: str = "The body regions."


@dataclass(frozen=True)
class _Shape:
    region: str
    side: Side | None
    d: str


@dataclass(frozen=True)
class _Panel:
    view: View
    x: float
    y: float

    @property
    def width(self) -> float:
        return 2 * VIEW_BOXES[self.view].half_width

    @property
    def height(self) -> float:
        return HEADER + VIEW_BOXES[self.view].height


Polygon = Sequence[Sequence[float]]


@dataclass
class BodyMap:
    geometry: BodyMapFile
    dataset: Dataset
    _shapes: dict[View, list[_Shape]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        ordered = sorted(self.dataset.regions.values(), key=lambda r: r.position)
        for view in VIEWS:
            shapes: list[_Shape] = []
            for region in ordered:
                drawn = self.geometry.regions.get(region.slug)
                if drawn is None or region.children:
                    continue
                for side in _drawn_sides(view, region.sided):
                    for polygon in drawn.on(view):
                        points = [(_screen_x(x, view, side), y + HEADER) for x, y in polygon]
                        shown: Side | None = side if region.sided else None
                        shapes.append(_Shape(region.slug, shown, _path(points)))
            self._shapes[view] = shapes

    def missing_shapes(self) -> list[str]:
        """Leaf regions with no shape for one of their views."""
        missing = []
        for region in self.dataset.regions.values():
            if region.children:
                continue
            drawn = self.geometry.regions.get(region.slug)
            for view in region.views:
                if drawn is None or not drawn.on(view):
                    missing.append(f"{region.slug} ({view})")
        return missing

    def drawn_on(self, view: View) -> set[str]:
        """The leaf regions with a shape on ``view``."""
        return {slug for slug, drawn in self.geometry.regions.items() if drawn.on(view)}

    def regions_at(self, view: View, x: float, y: float) -> list[str]:
        """Leaf regions whose shape on ``view`` contains the point (x measured
        from the midline, as in the data files)."""
        return [
            slug
            for slug, drawn in self.geometry.regions.items()
            for polygon in drawn.on(view)
            if _contains((x, y), polygon)
        ]

    def leaves(self, slugs: Iterable[str]) -> set[str]:
        return {leaf for slug in slugs for leaf in self.dataset.descendants(slug)}

    def views_for(self, highlight: Highlight, choice: ViewChoice = "auto") -> tuple[View, ...]:
        """The views a picture shows: the chosen ones, or for "auto" front and
        back plus each close-up where a shaded or asked region is drawn."""
        if choice != "auto":
            return CHOICES[choice]
        asked = self.leaves(highlight.essential | highlight.spillover | highlight.selected)
        if not asked and not highlight.markers:
            return VIEWS
        return tuple(
            view for view in VIEWS if view in ("front", "back") or asked & self.drawn_on(view)
        )

    def render(self, highlight: Highlight, view: ViewChoice = "auto") -> str:
        views = self.views_for(highlight, view)
        panels, width, figure_height = _layout(views)
        legend, legend_height = _legend(width, figure_height + 8, highlight)
        height = figure_height + 8 + legend_height
        essential = self.leaves(highlight.essential)
        spillover = self.leaves(highlight.spillover) - essential
        selected = self.leaves(highlight.selected)
        shown = ", ".join(DESCRIBED[v] for v in views)
        description = f"{highlight.description} Views: {shown}."
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}" '
            f'width="{width:g}" height="{height:g}" role="img" aria-labelledby="map-title map-desc">',
            f'<title id="map-title">{escape(highlight.title)}</title>',
            f'<desc id="map-desc">{escape(description)}</desc>',
            f"<style>{STYLE}</style>",
            DEFS,
        ]
        for panel in panels:
            current = panel.view
            parts.append(
                f'<g class="view" data-view="{current}" transform="translate({panel.x:g} {panel.y:g})">'
            )
            parts.append(
                f'<text class="view-label" x="{panel.width / 2:g}" y="16" '
                f'text-anchor="middle">{TITLES[current]}</text>'
            )
            parts.append(_side_labels(current))
            outline = self.geometry.outline.get(FigureView(current))
            if outline:
                for side in ("right", "left") if current in PAIRED else (None,):
                    moved = _place_path(outline, current, side)
                    parts.append(f'<path class="outline" d="{escape(moved)}"/>')
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
                point = self._marker_point(marker, current)
                if point is None:
                    continue
                for side in _sides(highlight.side):
                    x, y = _screen_x(point[0], current, side), point[1] + HEADER
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

    def _marker_point(self, marker: Marker, view: View) -> tuple[float, float] | None:
        """Where a trigger point goes on ``view``: its own place on its own
        view; on a close-up, the matching place in the close-up's shape of the
        region it lies in on the whole figure (none when that region is not
        drawn there)."""
        if marker.view == view:
            return marker.x, marker.y
        if view not in PAIRED or marker.view not in ("front", "back"):
            return None
        for slug in self.regions_at(marker.view, marker.x, marker.y):
            targets = self.geometry.regions[slug].on(view)
            if not targets:
                continue
            source = next(
                p
                for p in self.geometry.regions[slug].on(marker.view)
                if _contains((marker.x, marker.y), p)
            )
            return _carry((marker.x, marker.y), source, targets[0])
        return None

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


def _layout(views: Sequence[View]) -> tuple[list[_Panel], float, float]:
    """Front and back side by side; the close-ups stacked in one more column.
    Returns the panels, the width and the height of the figures."""
    columns: list[list[View]] = [[v] for v in views if v not in PAIRED]
    close_ups = [v for v in views if v in PAIRED]
    if close_ups:
        columns.append(close_ups)
    panels: list[_Panel] = []
    x = height = 0.0
    for column in columns:
        column_width = max(2 * VIEW_BOXES[v].half_width for v in column)
        y = 0.0
        for view in column:
            panel_width = 2 * VIEW_BOXES[view].half_width
            panels.append(_Panel(view, x + (column_width - panel_width) / 2, y))
            y += panels[-1].height + GAP
        height = max(height, y - GAP)
        x += column_width + GAP
    return panels, x - GAP, height


def _carry(point: tuple[float, float], source: Polygon, target: Polygon) -> tuple[float, float]:
    """The point at the same relative place in ``target``'s bounding box as
    ``point`` in ``source``'s, or the middle of ``target`` if that falls outside it."""
    (sx0, sy0, sx1, sy1), (tx0, ty0, tx1, ty1) = _bounds(source), _bounds(target)
    fx = (point[0] - sx0) / (sx1 - sx0) if sx1 > sx0 else 0.5
    fy = (point[1] - sy0) / (sy1 - sy0) if sy1 > sy0 else 0.5
    candidates = [
        (tx0 + fx * (tx1 - tx0), ty0 + fy * (ty1 - ty0)),
        ((tx0 + tx1) / 2, (ty0 + ty1) / 2),
        (sum(p[0] for p in target) / len(target), sum(p[1] for p in target) / len(target)),
    ]
    return next((c for c in candidates if _contains(c, target)), candidates[-1])


def _bounds(polygon: Polygon) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in polygon], [p[1] for p in polygon]
    return min(xs), min(ys), max(xs), max(ys)


def _contains(point: tuple[float, float], polygon: Polygon) -> bool:
    """Even-odd ray casting."""
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(polygon, [*polygon[1:], polygon[0]], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def _side_labels(view: View) -> str:
    """The person's own right and left, where they fall on this view."""
    left_hand, right_hand = SIDE_LABELS[view]
    width = 2 * VIEW_BOXES[view].half_width
    return (
        f'<text class="side-label" x="6" y="16">{left_hand}</text>'
        f'<text class="side-label" x="{width - 6:g}" y="16" text-anchor="end">{right_hand}</text>'
    )


def _sides(side: Side | None) -> Sequence[Side]:
    return (side,) if side else ("right", "left")


def _drawn_sides(view: View, sided: bool) -> Sequence[Side | None]:
    """Sided regions are drawn on both sides; unsided ones once, straddling
    the midline, except on the close-ups, where each side has its own copy."""
    return ("right", "left") if sided or view in PAIRED else (None,)


def _screen_x(x: float, view: View, side: Side | None) -> float:
    """x measured from the midline towards the region's side → SVG x in the
    panel. Seen from the front, the person's right is on the viewer's left;
    every other view puts it on the viewer's right."""
    middle = VIEW_BOXES[view].half_width
    if side is None:
        return middle + x
    towards_viewer_left = (side == "right") == (view == "front")
    return middle - x if towards_viewer_left else middle + x


def _path(points: Sequence[tuple[float, float]]) -> str:
    head, *rest = points
    return f"M{head[0]:.1f} {head[1]:.1f}" + "".join(f"L{x:.1f} {y:.1f}" for x, y in rest) + "Z"


def _place_path(d: str, view: View, side: Side | None) -> str:
    """Move an outline path given about the midline into the panel (for a
    side of a close-up: that side's copy). Outline paths use absolute
    commands with x y pairs."""
    out: list[str] = []
    numbers: list[float] = []
    for token in d.replace(",", " ").split():
        if token[0].isalpha():
            out.append(token)
            continue
        numbers.append(float(token))
        if len(numbers) == 2:
            out.append(f"{_screen_x(numbers[0], view, side):.1f} {numbers[1] + HEADER:.1f}")
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
