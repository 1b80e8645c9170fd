"""Plotly figure builders: pure functions from DataFrames to figures (no Streamlit).

The dashboard renders them and the meeting deck exports them as images, so a chart looks
the same on screen and on a slide.
"""
