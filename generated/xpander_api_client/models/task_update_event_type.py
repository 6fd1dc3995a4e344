from enum import Enum


class TaskUpdateEventType(str, Enum):
    TaskCreated = "task_created"
    TaskUpdated = "task_updated"
    TaskFinished = "task_finished"
    Chunk = "chunk"
    AuthEvent = "auth_event"
    ToolCallRequest = "tool_call_request"
    ToolCallResult = "tool_call_result"
    SubAgentTrigger = "sub_agent_trigger"
    Think = "think"
    Analyze = "analyze"
    PlanUpdated = "plan_updated"
    TaskCompactization = "task_compactization"

    def __str__(self) -> str:
        return str(self.value)
