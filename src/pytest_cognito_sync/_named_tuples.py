"""Named tuples built without their constructor's Python frame."""

from __future__ import annotations

#: ``build(Point, (x, y))`` is ``Point(x, y)``: what the named tuple's
#: generated ``__new__`` calls, minus that function's frame, a fifth of the
#: cost of building one. The fake builds several per request (the request,
#: its line and caller, the handler's context, the journal entry, the
#: answer), and a bulk publish one per dataset. Read once, here: CPython
#: 3.11 looks ``tuple.__new__`` up through the type at every read.
build = tuple.__new__
