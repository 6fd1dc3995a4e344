import os

from xpander_api_client import AuthenticatedClient
from xpander_api_client.api.tasks import create_task, get_task
from xpander_api_client.models import AgentExecutionInput, TaskCreate

client = AuthenticatedClient(
    base_url=os.environ["XPANDER_BASE_URL"],  # https://inbound.xpander.ai for the platform
    token=os.environ["XPANDER_API_KEY"],
    prefix="",  # the key goes bare ...
    auth_header_name="x-api-key",  # ... in the x-api-key header
)
with client:
    created = create_task.sync(
        "agent123",
        client=client,
        body=TaskCreate(input_=AgentExecutionInput(text="Analyze the sales data")),
    )
    task = get_task.sync(created.id, client=client)
    print(task.status)
    # > pending

    # The *_detailed forms give the whole answer
    answer = get_task.sync_detailed(created.id, client=client)
    print(answer.status_code, "x-request-id" in answer.headers)
    # > 200 True
