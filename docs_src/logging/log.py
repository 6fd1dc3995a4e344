import contextlib
import logging
import sys

from xpander_sdk import Tasks

# The SDK logs under "xpander_sdk": each attempt of each request at DEBUG,
# retries, stream resumes and requests that fail for good at INFO.
handler = logging.StreamHandler(sys.stdout)
handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
logger = logging.getLogger("xpander_sdk")
logger.addHandler(handler)
logger.setLevel(logging.DEBUG)

with Tasks() as tasks:
    task = tasks.create(agent_id="agent123", prompt="Summarize Q3")
    # > DEBUG POST /agent-execution/agent123 -> 200 (attempt 1, ... ms, request id ...)
    with contextlib.suppress(Exception):
        tasks.get("no-such-task")
    # > INFO GET /agent-execution/no-such-task/status -> 404 (attempt 1, ... ms, request id ...)
