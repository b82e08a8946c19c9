"""The official Python SDK's side of `cargo xtask bench` (our own driver script).

    python sdk_bench.py seq|conc|pages URL COUNT INFLIGHT

Sends COUNT requests through the `liveblocks` package from PyPI (after a short untimed
warm-up) and prints `RESULT requests=N seconds=S cpu=C`, where `cpu` is this process's user +
system CPU time during the timed part. `seq` and `pages` use the synchronous client one call
at a time; `conc` uses the asynchronous client with INFLIGHT calls gathered per batch.
"""

import asyncio
import resource
import sys
import time

from liveblocks import AsyncLiveblocks, Liveblocks

SECRET = "sk_bench_0123456789"


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def check_room(room) -> None:
    if not room.id:
        raise SystemExit("empty room id")


def run_sync(workload: str, url: str, count: int) -> None:
    with Liveblocks(secret=SECRET, base_url=url) as client:

        def one(i: int) -> None:
            if workload == "pages":
                page = client.get_rooms(limit=100)
                if len(page.data) != 100:
                    raise SystemExit(f"expected 100 rooms, got {len(page.data)}")
            else:
                check_room(client.get_room(f"room-{i % 1000}"))

        for i in range(max(1, min(200, count // 20))):
            one(i)
        cpu = cpu_seconds()
        started = time.perf_counter()
        for i in range(count):
            one(i)
        seconds = time.perf_counter() - started
        cpu = cpu_seconds() - cpu
    print(f"RESULT requests={count} seconds={seconds:.6f} cpu={cpu:.6f}", flush=True)


async def run_async(url: str, count: int, inflight: int) -> None:
    async with AsyncLiveblocks(secret=SECRET, base_url=url) as client:

        async def one(i: int) -> None:
            check_room(await client.get_room(f"room-{i % 1000}"))

        async def batches(total: int) -> None:
            for start in range(0, total, inflight):
                end = min(total, start + inflight)
                await asyncio.gather(*(one(i) for i in range(start, end)))

        await batches(max(1, min(200, count // 20)))
        cpu = cpu_seconds()
        started = time.perf_counter()
        await batches(count)
        seconds = time.perf_counter() - started
        cpu = cpu_seconds() - cpu
    print(f"RESULT requests={count} seconds={seconds:.6f} cpu={cpu:.6f}", flush=True)


def main() -> None:
    workload, url, count, inflight = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    if workload == "conc":
        asyncio.run(run_async(url, count, inflight))
    elif workload in ("seq", "pages"):
        run_sync(workload, url, count)
    else:
        raise SystemExit(f"unknown workload {workload!r}")


if __name__ == "__main__":
    main()
