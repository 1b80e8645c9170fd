"""The public feedback site (市场准入意见反馈渠道): a small Starlette service of its own.

Businesses and the public report market-access problems here without signing in; the
submission becomes a case the 区发展改革局 transfers and handles in the dashboard.  It
shares nothing with the dashboard but database rows, and imports only :mod:`data`.
"""
