"""`make bench`: the SDK's cost next to the HTTP it sends (issue 6).

Run as ``python -m bench`` (see ``python -m bench --help``). The parts:

- ``payloads``: the canned task, the create arguments and the event stream;
- ``responder``: the fixed-answer HTTP server, run in a process of its own;
- ``cases``: the contenders (the SDK, the generated client, plain httpx);
- ``footprint``: import time and runtime packages;
- ``report``: the table, the targets and the machine.
"""
