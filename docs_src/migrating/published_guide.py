# The published SDK's Tasks guide, run unchanged but for the configuration
# (a Configuration from the environment) and the task it looks up (one that exists).
import asyncio

from xpander_sdk import AgentExecutionStatus, Configuration, Tasks

config = Configuration()


async def main() -> None:
    # Initialize the Tasks module
    tasks = Tasks(configuration=config)

    # Create a new task for an agent
    new_task = await tasks.acreate(
        agent_id="agent123",
        prompt="Analyze the sales data",
        file_urls=["https://example.com/data.csv"],
        events_streaming=True,  # Enable event streaming
    )

    # List all tasks for a specific agent
    task_list = await tasks.alist(agent_id="agent123")
    for task in task_list:
        print(f"Task ID: {task.id}, Status: {task.status}")
    # > Task ID: ..., Status: ...

    # Stream task events asynchronously
    async for event in new_task.aevents():
        print(f"Event Type: {event.type}")
    # > Event Type: task_created
    # > Event Type: task_finished

    # Retrieve a specific task
    specific_task = await tasks.aget(task_id=new_task.id)

    # Update task status
    await specific_task.aset_status(AgentExecutionStatus.Completed)
    await specific_task.asave()

    # The guide's spelling of aupdate works too
    updated = await tasks.auupdate(task_id=new_task.id, result="Reviewed")
    print(updated.result)
    # > Reviewed
    await tasks.aclose()


asyncio.run(main())
