"""The Streamlit dashboard: presentation only."""
