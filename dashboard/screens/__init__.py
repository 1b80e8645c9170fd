"""The pages, one folder each: ``<page>/page.py`` is the script ``st.navigation`` runs (see
:mod:`dashboard.navigation`), beside the sections and tables only that page uses.  Shared
pieces are in :mod:`dashboard.kit`, charts in :mod:`charts`, the numbers in
``metrics/views/<page>.py``."""
