"""How requests reach the fake in process: botocore event handlers and a
requests route. The third way in, the HTTP server for other processes, is
the ``server`` package; all three answer through ``dispatch.answer``."""
