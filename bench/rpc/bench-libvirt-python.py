#!/usr/bin/python3
"""libvirt-python side of `npm run bench:rpc`: a worker driven over stdin/stdout.

First line in:  {"uri": str, "names": [str]}
First line out: {"pythonVersion", "libvirtPythonVersion", "daemonLibVersion"}
Then one JSON command per line, one JSON answer per line:
  {"op": "sequential"}                 lookupByName + info() for every name, in turn
  {"op": "concurrent", "threads": n}   the same through a pool of n threads sharing
                                       the one virConnect (libvirt-python's usual way)
  {"op": "stats"}                      conn.getAllDomainStats()
  {"op": "quit"}
Answers: {"seconds", "cpuSeconds"} (+ "params" for stats), timed here so pipe traffic is
not counted. Any failure: {"error": ...} and exit 2, never a fast-looking sample.
"""

import json
import platform
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import libvirt


def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


class Worker:
    def __init__(self, uri, names):
        self.conn = libvirt.open(uri)
        self.names = names
        self.pools = {}

    def lookup_and_info(self, name):
        state = self.conn.lookupByName(name).info()[0]
        if state != libvirt.VIR_DOMAIN_RUNNING:
            raise RuntimeError(f"{name}: state {state}, expected running")

    def sequential(self):
        for name in self.names:
            self.lookup_and_info(name)

    def concurrent(self, threads):
        pool = self.pools.get(threads)
        if pool is None:
            pool = self.pools[threads] = ThreadPoolExecutor(max_workers=threads)
        # list() drains the results, so a worker's exception is raised here.
        list(pool.map(self.lookup_and_info, self.names))

    def stats(self):
        records = self.conn.getAllDomainStats()
        if len(records) != len(self.names):
            raise RuntimeError(f"getAllDomainStats: {len(records)} records, expected {len(self.names)}")
        return records

    def run(self, command):
        op = command["op"]
        extra = {}
        start_cpu = time.process_time()
        start = time.perf_counter()
        if op == "sequential":
            self.sequential()
        elif op == "concurrent":
            self.concurrent(int(command["threads"]))
        elif op == "stats":
            records = self.stats()
        else:
            raise ValueError(f"unknown op {op!r}")
        seconds = time.perf_counter() - start
        cpu = time.process_time() - start_cpu
        if op == "stats":
            extra["params"] = sum(len(params) for _dom, params in records)
        return {"seconds": seconds, "cpuSeconds": cpu, **extra}

    def close(self):
        for pool in self.pools.values():
            pool.shutdown()
        self.conn.close()


def main():
    # libvirt's default handler prints every error to stderr a second time; the raised
    # libvirtError still carries code, domain and message.
    libvirt.registerErrorHandler(lambda _ctx, _err: None, None)
    job = json.loads(sys.stdin.readline())
    worker = Worker(job["uri"], job["names"])
    try:
        reply(
            {
                "pythonVersion": platform.python_version(),
                "libvirtPythonVersion": libvirt.getVersion(),
                "daemonLibVersion": worker.conn.getLibVersion(),
            }
        )
        for line in sys.stdin:
            command = json.loads(line)
            if command["op"] == "quit":
                break
            reply(worker.run(command))
    finally:
        worker.close()


if __name__ == "__main__":
    try:
        main()
    except libvirt.libvirtError as err:
        reply(
            {
                "error": err.get_error_message(),
                "code": err.get_error_code(),
                "domain": err.get_error_domain(),
            }
        )
        sys.exit(2)
    except Exception as err:  # noqa: BLE001 - reported to the parent, then a failing exit
        reply({"error": f"{type(err).__name__}: {err}"})
        sys.exit(2)
