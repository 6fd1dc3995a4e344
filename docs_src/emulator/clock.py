from xpander_sdk import Configuration, Tasks
from xpander_sdk.emulator import EmulatorServer

# A run that takes an hour on the platform: a scripted agent that waits, then answers.
hour = {"agents": [{"steps": [{"chunk": "Working"}, {"wait": 3600}, {"result": "Done"}]}]}


def client(emu: EmulatorServer) -> Tasks:
    """A client of this emulator (emu.env() has the same, as XPANDER_* settings)."""
    config = Configuration(
        api_key=emu.api_key, base_url=emu.base_url, organization_id=emu.organization_id
    )
    return Tasks(configuration=config)


# A manual clock: time moves only when the test says so.
with EmulatorServer(clock="manual", agents=hour, step_delay=0) as emu, client(emu) as tasks:
    task = tasks.create(agent_id="agent-slow", prompt="Report", events_streaming=True)
    emu.clock.advance(60)  # a minute in: the run is waiting on its hour
    print(tasks.get(task.id).status, len(emu.clock.pending()))
    # > executing 1
    emu.clock.advance(3600)  # returns once the steps that fell due are stored and streamed
    done = tasks.get(task.id)
    print(done.status, done.result, done.finished_at - done.started_at)
    # > completed Done 1:00:00

# An auto clock: when every run waits on the clock, it jumps to the next wait's end, so the
# hour takes no wall time while the timestamps still show it.
with EmulatorServer(clock="auto", agents=hour, step_delay=0) as emu, client(emu) as tasks:
    task = tasks.create(agent_id="agent-slow", prompt="Report", events_streaming=True)
    task.wait_for_completion(timeout=30)  # follows the stream; the stream does not hold time
    print(task.status, task.finished_at - task.started_at)
    # > completed 1:00:00
    print(emu.clock.mode)
    # > auto
