"""Charts of the 负面清单落实 page: publication per department and channel, disclosure
elements per department (both clickable tile heatmaps: customdata = department code, column)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from charts.tiles import tile_heatmap

WD_SCALE = [[0.0, "#eef3f9"], [0.5, "#b7cde8"], [1.0, "#6f9bd1"]]


def channel_heatmap(pub: pd.DataFrame, channels: list[str], *, title: str) -> go.Figure:
    """Departments × channels: working days from the list's effective date to publication
    (label and colour); channels not published are marked 未公开."""
    codes = list(dict.fromkeys(pub["dept_code"]))
    names = dict(zip(pub["dept_code"], pub["dept_name"], strict=False))
    cell = pub.set_index(["dept_code", "nl_channel"])
    z = np.full((len(codes), len(channels)), np.nan)
    missing = np.zeros_like(z, dtype=bool)
    text, hover = [], []
    for i, c in enumerate(codes):
        trow, hrow = [], []
        for j, ch in enumerate(channels):
            row = cell.loc[(c, ch)] if (c, ch) in cell.index else None
            if row is None or not bool(row["nl_published"]):
                missing[i, j] = True
                trow.append("未公开")
                hrow.append(f"{names[c]} · {ch}<br>现行清单未在该渠道公开")
                continue
            days = row["nl_publish_wd"]
            z[i, j] = float(days) if pd.notna(days) else np.nan
            trow.append(f"{int(days)}个工作日" if pd.notna(days) else "已公开")
            hrow.append(f"{names[c]} · {ch}<br>{row['published_date']:%Y-%m-%d} 公开，生效后第 "
                        f"{int(days) if pd.notna(days) else '—'} 个工作日")
        text.append(trow)
        hover.append(hrow)
    zmax = float(np.nanmax(z)) if np.isfinite(z).any() else 1.0
    cd = [[(c, ch) for ch in channels] for c in codes]
    return tile_heatmap(z, rows=[names[c] for c in codes], cols=channels, text=text, customdata=cd, hover=hover,
                        title=title, colorscale=WD_SCALE, zmin=0.0, zmax=max(zmax, 1.0), flags=missing,
                        colorbar_title="工作日")


def element_heatmap(matrix: pd.DataFrame, elements: list[str], *, title: str) -> go.Figure:
    """Departments × the five disclosure elements: share of licensing items publishing each."""
    codes = list(dict.fromkeys(matrix["dept_code"]))
    names = dict(zip(matrix["dept_code"], matrix["dept_name"], strict=False))
    cell = matrix.set_index(["dept_code", "element"])
    z = np.full((len(codes), len(elements)), np.nan)
    text, hover = [], []
    for i, c in enumerate(codes):
        trow, hrow = [], []
        for j, e in enumerate(elements):
            row = cell.loc[(c, e)]
            z[i, j] = float(row["share"])
            trow.append(f"{int(row['published_items'])}/{int(row['items'])}")
            hrow.append(f"{names[c]} · {e}<br>{int(row['published_items'])} / {int(row['items'])} 个许可事项已公开"
                        f"（{float(row['share']) * 100:.0f}%）")
        text.append(trow)
        hover.append(hrow)
    cd = [[(c, e) for e in elements] for c in codes]
    return tile_heatmap(z, rows=[names[c] for c in codes], cols=elements, text=text, customdata=cd, hover=hover,
                        title=title, colorbar_title="公开比例", tickformat=".0%")
