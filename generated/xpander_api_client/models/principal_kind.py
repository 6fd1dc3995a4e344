from enum import Enum


class PrincipalKind(str, Enum):
    User = "user"
    Slack = "slack"
    ApiKey = "api_key"
    System = "system"
    Anonymous = "anonymous"

    def __str__(self) -> str:
        return str(self.value)
