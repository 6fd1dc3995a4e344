from pathlib import Path

from xpander_sdk import AgentExecutionStatus, Configuration, Task, Tasks
from xpander_sdk.emulator import EmulatorServer

# The document above, next to this file (xpander-emulator --agents agents.yaml)
rules = Path(__file__).with_name("agents.yaml")

with EmulatorServer(agents=rules) as emu:
    config = Configuration(
        api_key=emu.api_key, base_url=emu.base_url, organization_id=emu.organization_id
    )
    with Tasks(configuration=config) as tasks:
        task = tasks.create(
            agent_id="billing-eu", prompt="Please refund invoice 2291", events_streaming=True
        )
        for event in task.events():
            if event.type == "tool_call_result":  # a ToolCallResult, as a dict
                call = event.data
                print(f"{call['tool_name']}({call['payload']}) -> {call['result']}")
            elif event.type in ("think", "plan_updated", "chunk"):
                print(event.type, "by", event.identity.name)
            elif isinstance(event.data, Task) and event.data.status == "paused":
                print("paused at", event.data.hitl_request.wait_node_id)
                # The person approves: the task set back to executing, the run goes on
                task.set_status(AgentExecutionStatus.Executing)
        # > chunk by Billing skill
        # > lookup_invoice({'invoice': '2291'}) -> {'amount': 12.5, 'paid': '2026-11-28'}
        # > think by Billing skill
        # > plan_updated by Billing skill
        # > paused at approve-refund
        # > refund({'invoice': '2291', 'amount': 12.5}) -> ok
        print(task.reload().status, "-", task.result, "-", task.used_tools)
        # > completed - Refunded 12.50 - ['lookup_invoice', 'refund']

        # The second rule serves one run; the next such task runs the rule after it, or the
        # default agent (here the demo agent) when none matches
        for _ in range(2):
            charge = tasks.create(agent_id="billing-eu", prompt="charge #7")
            print(charge.wait_for_completion(timeout=30).status, "-", charge.result)
        # > failed - Card declined
        # > completed - Emulated answer to: charge #7

        # A structured result that fits the task's output_schema, and one that does not
        schema = {"type": "object", "properties": {"total": {"type": "integer"}}}
        for fits in (schema, {**schema, "required": ["count"]}):
            report = tasks.create(
                agent_id="reports-q3", prompt="Totals", output_format="json", output_schema=fits
            )
            print(report.wait_for_completion(timeout=30).status, "-", report.result)
        # > completed - {"total": 3, "currency": "EUR"}
        # > failed - The structured result does not fit ...: at $: 'count' is a required property
