import os

from xpander_sdk import Configuration, Tasks

config = Configuration(
    api_key=os.environ["XPANDER_API_KEY"],  # from your secret store
    base_url=os.environ["XPANDER_BASE_URL"],  # the hosted platform when not given
    organization_id=os.environ["XPANDER_ORGANIZATION_ID"],
    max_retries=5,
)
print(repr(config).startswith("Configuration(api_key='***'"))  # the key is never shown
# > True

# A copy with other settings
patient = config.copy_with(timeout=120.0)

with Tasks(configuration=patient) as tasks:
    print(tasks.create(agent_id="agent123", prompt="Summarize Q3").status)
    # > pending
