"""Charts of the 数据质量 page: completeness and reported volume by department and month,
as clickable tile heatmaps (:mod:`charts.tiles`)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from charts.style import ACCENT
from charts.tiles import tile_heatmap

MISSING_TEXT = "—"
RATIO_SCALE = [[0.0, "#f4b183"], [0.5, "#fbfbf7"], [1.0, "#8fb3de"]]


def _pct(v: float | None) -> str:
    return MISSING_TEXT if v is None or pd.isna(v) else f"{float(v) * 100:.0f}%"


def _matrix(df: pd.DataFrame, value: str, rows: list[str], cols: list[str], row_col: str = "dept_code",
            col_col: str = "month") -> np.ndarray:
    wide = df.pivot_table(index=row_col, columns=col_col, values=value, aggfunc="first", dropna=False)
    wide = wide.reindex(index=rows, columns=cols)
    return wide.to_numpy(dtype=float, na_value=np.nan)


def completeness_heatmap(df: pd.DataFrame, *, title: str) -> go.Figure:
    """Departments × months, the share of completed applications with the field present."""
    codes = list(dict.fromkeys(df["dept_code"]))
    names = dict(zip(df["dept_code"], df["dept_name"], strict=False))
    months = list(dict.fromkeys(df["month"]))
    z = _matrix(df, "dq_share", codes, months)
    n = _matrix(df, "completed", codes, months)
    text = [[_pct(None if np.isnan(v) else v) for v in row] for row in z]
    hover = [[f"{names[c]} · {m}<br>完整率 {_pct(None if np.isnan(z[i, j]) else z[i, j])}"
              f"（办结 {int(n[i, j]) if not np.isnan(n[i, j]) else 0} 件）"
              for j, m in enumerate(months)] for i, c in enumerate(codes)]
    cd = [[(c, m) for m in months] for c in codes]
    return tile_heatmap(z, rows=[names[c] for c in codes], cols=months, text=text, customdata=cd, hover=hover,
                        title=title, colorbar_title="完整率", tickformat=".0%")


def volume_heatmap(df: pd.DataFrame, *, title: str, zero_baseline: float) -> go.Figure:
    """Departments × months: records (label) against the usual volume (colour: the ratio, 1 =
    usual, only where the usual volume reaches ``zero_baseline``); flagged months are marked."""
    codes = list(dict.fromkeys(df["dept_code"]))
    names = dict(zip(df["dept_code"], df["dept_name"], strict=False))
    months = list(dict.fromkeys(df["month"]))
    records = _matrix(df, "dq_records", codes, months)
    base = _matrix(df, "dq_baseline", codes, months)
    # colour only where the usual volume is large enough to judge a month by
    ratio = np.where(base >= zero_baseline, np.clip(_matrix(df, "dq_ratio", codes, months), 0.5, 1.5), np.nan)
    flagged = _matrix(df.assign(dq_flagged=df["dq_flagged"].astype(float)), "dq_flagged", codes, months) == 1.0
    text = [[str(int(v)) if not np.isnan(v) else MISSING_TEXT for v in row] for row in records]
    hover = [[f"{names[c]} · {m}<br>报送 {int(records[i, j]) if not np.isnan(records[i, j]) else 0} 件，"
              f"常态 {'无' if np.isnan(base[i, j]) else f'{base[i, j]:g}'} 件"
              + ("<br>低于常态一半，请核实是否漏报" if flagged[i, j] else "")
              for j, m in enumerate(months)] for i, c in enumerate(codes)]
    cd = [[(c, m) for m in months] for c in codes]
    return tile_heatmap(ratio, rows=[names[c] for c in codes], cols=months, text=text, customdata=cd, hover=hover,
                        title=title, colorscale=RATIO_SCALE, zmin=0.5, zmax=1.5, flags=flagged,
                        colorbar_title="与常态之比", tickformat=".0%", flag_color=ACCENT, flag_text="white")
