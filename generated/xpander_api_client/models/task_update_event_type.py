from enum import Enum


class TaskUpdateEventType(str, Enum):
    ANALYZE = "analyze"
    AUTH_EVENT = "auth_event"
    CHUNK = "chunk"
    PLAN_UPDATED = "plan_updated"
    SUB_AGENT_TRIGGER = "sub_agent_trigger"
    TASK_COMPACTIZATION = "task_compactization"
    TASK_CREATED = "task_created"
    TASK_FINISHED = "task_finished"
    TASK_UPDATED = "task_updated"
    THINK = "think"
    TOOL_CALL_REQUEST = "tool_call_request"
    TOOL_CALL_RESULT = "tool_call_result"

    def __str__(self) -> str:
        return str(self.value)
