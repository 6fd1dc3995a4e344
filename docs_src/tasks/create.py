from xpander_sdk import OutputFormat, Tasks, User

with Tasks() as tasks:
    task = tasks.create(
        agent_id="agent123",
        prompt="Analyze the sales data",
        file_urls=["https://example.com/data.csv"],
        title="Q3 sales",
        user_details=User(id="user-42", email="ada@example.com", first_name="Ada"),
        output_format=OutputFormat.Markdown,
        events_streaming=True,
    )
    print(task.status, task.title, task.input.files)
    # > pending Q3 sales ['https://example.com/data.csv']
    print(task.agent_id, task.input.user.email, task.output_format)
    # > agent123 ada@example.com markdown
