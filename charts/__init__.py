"""Plotly figure builders: pure functions from DataFrames to figures (no Streamlit, no
metrics): the dashboard's pages draw them and the meeting deck exports them as images, so a
chart looks the same on screen and on a slide.

``style`` is the one look; ``common`` holds the charts of several pages and the deck
(departments against the district, monthly trends, dimension scores), ``tiles`` the clickable
tile heatmap and ``mix`` the category mix per unit that several pages draw; each other module
is named for the page whose charts it builds; ``delta`` writes a figure's change against the
previous period, for the screen's cards and the deck's alike.
"""
