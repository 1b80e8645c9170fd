"""The 督办 loop beyond the screen: reminders that reach people (``notify``) and the joint
meeting's deck kept as presented.  Sits beside :mod:`report`: it reads :mod:`metrics`,
:mod:`data` and the report package's public exports, and is called by the CLI and pages."""
