from xpander_sdk import Tasks, ValidationError

order_id = 43
# A key of your own, made from your data: whatever happened to the first attempt (even a
# crash before its answer came), sending the create again with this key makes no second task
key = f"order-{order_id}:refund"

with Tasks() as tasks:
    first = tasks.create(agent_id="agent-refunds", prompt="Refund order 43", idempotency_key=key)
    again = tasks.create(agent_id="agent-refunds", prompt="Refund order 43", idempotency_key=key)
    print(again.id == first.id, len(tasks.list("agent-refunds")))
    # > True 1

    # The same key with another request is refused (422), and the error names the key
    try:
        tasks.create(agent_id="agent-refunds", prompt="Refund order 44", idempotency_key=key)
    except ValidationError as e:
        print(e.errors[0]["field"], "-", e.idempotency_key)
        # > header.Idempotency-Key - order-43:refund

    # A key is 1 to 255 printable ASCII characters: another raises before any request
    try:
        tasks.create(agent_id="agent-refunds", prompt="Refund order 45", idempotency_key="")
    except ValueError as e:
        print(e)
        # > idempotency_key must be 1 to 255 characters long, not 0
