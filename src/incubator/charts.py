"""Charts drawn on the server as SVG (pygal), the same picture on the pages and in the PDFs.

No script is embedded (``js=[]``): the SVG is static, needs nothing from the network and passes the
page's content policy; WeasyPrint draws it as is."""

from collections.abc import Mapping, Sequence
from xml.etree import ElementTree

import pygal
from markupsafe import Markup
from pygal.style import Style

STYLE = Style(
    font_family='"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif',
    background="transparent",
    plot_background="transparent",
    foreground="#373c44",
    foreground_strong="#1b1f24",
    foreground_subtle="#8891a0",
    colors=("#1971c2", "#2f9e44", "#f08c00", "#c2255c", "#6741d9", "#0c8599", "#868e96"),
    title_font_size=18,
    label_font_size=14,
    major_label_font_size=14,
    legend_font_size=14,
    value_font_size=13,
)
COMMON = {
    "style": STYLE,
    "js": [],
    "disable_xml_declaration": True,
    "width": 640,
    "height": 320,
    "margin": 12,
    "print_values": True,
    "legend_at_bottom": True,
}

Number = int | float


def _render(chart: pygal.graph.graph.Graph) -> Markup:
    """The SVG without pygal's inline configuration script (its tooltips need the script files we leave out)."""
    tree = chart.render_tree()
    for parent in list(tree.iter()):
        for child in [c for c in parent if str(c.tag).endswith("script")]:
            parent.remove(child)
    return Markup(ElementTree.tostring(tree, encoding="unicode"))  # noqa: S704  (pygal escapes the labels it draws)


def bar(title: str, labels: Sequence[str], series: Mapping[str, Sequence[Number]], *, percent: bool = False) -> Markup:
    """Vertical bars, one group per label and one colour per series."""
    chart = pygal.Bar(title=title, show_legend=len(series) > 1, **COMMON)
    chart.x_labels = list(labels)
    if percent:
        chart.range = (0, 100)
        chart.value_formatter = lambda value: f"{value:.0f}%"
    for name, values in series.items():
        chart.add(name, list(values))
    return _render(chart)


def horizontal_bar(title: str, values: Mapping[str, Number], *, percent: bool = False) -> Markup:
    """One bar per label: shares (per building, per kind) read best side by side."""
    chart = pygal.HorizontalBar(title=title, show_legend=False, **COMMON)
    chart.x_labels = list(values)
    if percent:
        chart.range = (0, 100)
        chart.value_formatter = lambda value: f"{value:.0f}%"
    chart.add(title, list(values.values()))
    return _render(chart)


def line(title: str, labels: Sequence[str], series: Mapping[str, Sequence[Number | None]]) -> Markup:
    # room on the right for the last point's printed value
    chart = pygal.Line(title=title, show_legend=len(series) > 1, x_label_rotation=0, **COMMON, margin_right=40)
    chart.x_labels = list(labels)
    for name, values in series.items():
        chart.add(name, list(values))
    return _render(chart)


def radar(title: str, axes: Sequence[str], series: Mapping[str, Sequence[Number]]) -> Markup:
    """One polygon per series over the axes (the five dimensions of a rating, as a share of their weight)."""
    chart = pygal.Radar(title=title, show_legend=len(series) > 1, fill=True, **{**COMMON, "height": 420})
    chart.x_labels = list(axes)
    chart.range = (0, 100)
    for name, values in series.items():
        chart.add(name, list(values))
    return _render(chart)
