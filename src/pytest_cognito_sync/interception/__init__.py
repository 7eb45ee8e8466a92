"""How requests reach the fake: botocore event handlers and a requests route."""
