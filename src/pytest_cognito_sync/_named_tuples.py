"""The named tuples the layers hand each other (the request, its line and
caller, the handler's context, the answer): how they are built and read.

They are read by unpacking, in one C-speed step where they arrive, not
field by field: CPython 3.11 does not specialize a read of a named tuple's
field by name, which goes through the type, a few cache lines per read when
botocore has just pushed them out.
"""

from __future__ import annotations

#: ``build(Point, (x, y))`` is ``Point(x, y)``: what the named tuple's
#: generated ``__new__`` calls, minus that function's frame, a fifth of the
#: cost of building one. The fake builds several per request (the request,
#: its line and caller, the handler's context, the journal entry, the
#: answer), and a bulk publish one per dataset. Read once, here: CPython
#: 3.11 looks ``tuple.__new__`` up through the type at every read.
build = tuple.__new__
