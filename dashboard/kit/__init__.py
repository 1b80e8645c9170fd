"""What the pages share, each module named for what it is: the page preamble (``page``), the
cache boundary (``cache``), sign-in (``auth``), the sidebar and filter bar (``sidebar``,
``filters``), URL drill state (``url_state``), tables, headline figures (``kpi``), the 口径
popover (``definitions``), chart selections (``plots``), and the pieces several pages draw
(``compare``, ``records``, ``cases``, ``task_form``, ``escape``, ``scope``, ``indicator_text``)."""
