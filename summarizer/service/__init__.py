"""``summarizer serve``: the HTTP API, the web UI and batch jobs over one store.

Modules: ``config`` (what the process may do, checked before it starts),
``state`` (the shared store, engine, rate limiter and jobs), ``api`` (the
``/v1`` routes) and ``models`` (their request and response shapes),
``jobs`` (the batch job queue), ``web`` (the pages) and ``views`` (what they show), ``security`` (token,
size limits, allowed folders), ``problems`` (RFC 9457 errors), ``app``
(``create_app``). Importing the package loads none of them.
"""
