"""Shared by bench/populate, bench/api, bench/startup and bench/instructions: the emulator binary, an emulator
process on a store, the deterministic data set, /proc readings, and RESULTS.md sections."""
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_DIR = os.path.join(ROOT, "bench")
CHANNEL = "71df7c11-df1e-4365-80e3-75a434c9caf0"  # seed/channels.json "Support"
DAY_MS = 86_400_000
BASE_MS = 1_704_067_200_000  # 2024-01-01T00:00:00.000Z
TOKEN = "bench"


def log(tool, message):
    print(f"[{tool}] {message}", file=sys.stderr, flush=True)


def iso(ms):
    seconds, millis = divmod(ms, 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{millis:03d}Z"


def scratch():
    path = os.environ.get("BENCH_SCRATCH", ".build-bench")
    return path if os.path.isabs(path) else os.path.join(ROOT, path)


def populated_path():
    return os.environ.get("BENCH_POPULATED") or os.path.join(scratch(), "stores", "populated.sqlite3")


def emulator_binary(tool):
    """BENCH_BIN, or the release build in the scratch path (built first unless BENCH_SKIP_BUILD=1)."""
    if os.environ.get("BENCH_BIN"):
        return os.environ["BENCH_BIN"]
    if os.environ.get("BENCH_SKIP_BUILD", "0") != "1":
        log(tool, f"building: swift build -c release --scratch-path {scratch()}")
        subprocess.run(["swift", "build", "-c", "release", "--scratch-path", scratch()], cwd=ROOT, check=True,
                       stdout=sys.stderr)
    binary = os.path.join(scratch(), "release", "freshchat-emulator")
    if not os.access(binary, os.X_OK):
        sys.exit(f"no emulator binary at {binary}")
    return binary


def copy_store(source, directory):
    """A copy of a (checkpointed) file store in `directory`, so a run's writes never reach the original. The copy is
    flushed to disk before it is used: otherwise the kernel writes its 900 MB back while the first write benchmark
    runs, and the emulator's own writes wait behind it (POST /v2/users at c=8 on the populated store had p99 17–63 ms
    in three runs, with the server idle 6 % of the time)."""
    target = os.path.join(directory, os.path.basename(source))
    subprocess.run(["cp", "--reflink=auto", source, target], check=True)
    os.sync()
    return target


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def clean_env():
    """The caller's environment without FRESHCHAT_EMULATOR_* (they would change what is measured)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("FRESHCHAT_EMULATOR_")}


class Emulator:
    """The emulator on `db` on a free port. `cpu`: pinned with taskset. `log_level`: info is the access log a user
    gets (to a file), warning turns it off. `prefix`: a command to run it under (valgrind)."""

    def __init__(self, binary, db, tmp, cpu=None, log_level="info", prefix=(), extra=(), ready_timeout=60):
        self.tmp = tmp
        port_file = os.path.join(tmp, f"port.{time.monotonic_ns()}")
        command = list(prefix) + [binary, "--host", "127.0.0.1", "--port", "0", "--port-file", port_file, "--db", db,
                                  "--token", TOKEN, "--rate-limit", "1000000000", "--log-level", log_level] + list(extra)
        if cpu is not None:
            command = ["taskset", "-c", str(cpu)] + command
        self.log_path = os.path.join(tmp, "emulator.log")
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=open(self.log_path, "a"),
                                        env=clean_env())
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            if os.path.exists(port_file) and open(port_file).read().strip():
                break
            if self.process.poll() is not None:
                sys.exit(f"emulator exited at start-up; see {self.log_path}")
            time.sleep(0.02)
        else:
            sys.exit(f"emulator wrote no port file within {ready_timeout} s")
        self.port = int(open(port_file).read().strip())
        self.connection = None

    @property
    def pid(self):
        return self.process.pid

    def call(self, method, path, body=None, expect=(200, 201, 202, 204), raw=False, token=True):
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        data = None if body is None else json.dumps(body, separators=(",", ":")).encode()
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = "Bearer " + TOKEN
        self.connection.request(method, path, body=data, headers=headers)
        response = self.connection.getresponse()
        payload = response.read()
        if response.status not in expect:
            sys.exit(f"{method} {path} answered {response.status}: {payload[:500]!r}")
        if raw:
            return response.status, payload
        return json.loads(payload) if payload else None

    def status(self):
        """VmRSS and VmHWM in KiB, and the thread count."""
        values = {}
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM", "Threads"):
                    values[key] = int(value.split()[0])
        return values

    def cpu_ticks(self):
        with open(f"/proc/{self.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])

    def stop(self):
        if self.connection is not None:
            self.connection.close()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# ---------------------------------------------------------------------------------------------------------------
# The data set (bench/populate): a pure function of the counts.
# ---------------------------------------------------------------------------------------------------------------

class Shape:
    def __init__(self, users, conversations, messages_per_conversation, agents, days):
        self.users = users
        self.conversations = conversations
        self.messages_per_conversation = messages_per_conversation
        self.agents = agents
        self.days = days

    @property
    def messages(self):
        return self.conversations * self.messages_per_conversation

    def env(self):
        return {"BENCH_USERS": str(self.users), "BENCH_CONVERSATIONS": str(self.conversations),
                "BENCH_AGENTS": str(self.agents)}


LARGE = Shape(users=100_000, conversations=20_000, messages_per_conversation=50, agents=200, days=20)
# The seeded store's bench data: one day of 10 000 message events.
SMALL = Shape(users=1_000, conversations=1_000, messages_per_conversation=10, agents=200, days=1)


def populated_shape():
    """The shape bench/populate wrote next to its store (`<store>.shape.json`), else the default large one."""
    path = populated_path() + ".shape.json"
    if os.path.exists(path):
        data = json.load(open(path))
        return Shape(data["users"], data["conversations"], data["messages_per_conversation"], data["agents"],
                     data["days"])
    return LARGE


def write_shape(store, shape):
    with open(store + ".shape.json", "w") as f:
        json.dump({"users": shape.users, "conversations": shape.conversations,
                   "messages_per_conversation": shape.messages_per_conversation, "agents": shape.agents,
                   "days": shape.days}, f)


def agents_batch(shape):
    return [{"id": f"a-{i}", "email": f"agent{i}@bench.example", "first_name": f"Agent{i}",
             "last_name": f"Bench{i % 7}", "role_id": "AGENT"} for i in range(shape.agents)]


def users_batch(start, stop):
    return [{
        "id": f"u-{i}", "email": f"user{i}@bench.example", "first_name": f"First{i % 1000}",
        "last_name": f"Last{i // 1000}", "phone": f"555{i:07d}", "reference_id": f"ref-{i}",
        "created_time": iso(BASE_MS - DAY_MS + i * 100),
    } for i in range(start, stop)]


def conversations_batch(start, stop, shape):
    """Conversation c: `c-<c>` for user `u-<c*5 mod users>`, assigned to `a-<c mod agents>`, created at an even
    spacing over `days` days from 2024-01-01; its messages alternate user and agent, one second apart."""
    spacing = shape.days * DAY_MS // shape.conversations
    batch = []
    for c in range(start, stop):
        created = BASE_MS + c * spacing
        user = f"u-{(c * 5) % shape.users}"
        agent = f"a-{c % shape.agents}"
        messages = []
        for m in range(shape.messages_per_conversation):
            if m % 2 == 0:
                actor = ("user", user)
                text = f"Question {m // 2 + 1} about order {c:06d}: where is my parcel?"
            else:
                actor = ("agent", agent)
                text = f"Answer {m // 2 + 1} for order {c:06d}: it ships tomorrow."
            messages.append({"id": f"m-{c}-{m}", "created_time": iso(created + m * 1000), "actor_type": actor[0],
                             "actor_id": actor[1], "message_type": "normal",
                             "message_parts": [{"text": {"content": text}}]})
        batch.append({"conversation_id": f"c-{c}", "channel_id": CHANNEL, "created_time": iso(created),
                      "users": [{"id": user}], "status": "assigned", "assigned_agent_id": agent,
                      "messages": messages})
    return batch


def populate(emulator, shape, tool, batch_messages=10_000, progress=True):
    """Adds the data set through POST /_emulator/fixtures, in batches; returns [(phase, count, seconds)]."""
    phases = []
    t = time.monotonic()
    emulator.call("POST", "/_emulator/fixtures", {"agents": agents_batch(shape)})
    phases.append(("agents", shape.agents, time.monotonic() - t))
    t = time.monotonic()
    for start in range(0, shape.users, 5000):
        emulator.call("POST", "/_emulator/fixtures", {"users": users_batch(start, min(start + 5000, shape.users))})
    phases.append(("users", shape.users, time.monotonic() - t))
    if progress:
        log(tool, f"{shape.users} users in {phases[-1][2]:.1f} s")
    t = time.monotonic()
    per_batch = max(1, batch_messages // max(1, shape.messages_per_conversation))
    for index, start in enumerate(range(0, shape.conversations, per_batch)):
        stop = min(start + per_batch, shape.conversations)
        emulator.call("POST", "/_emulator/fixtures", {"conversations": conversations_batch(start, stop, shape)})
        if progress and index % 20 == 0:
            log(tool, f"conversations {stop}/{shape.conversations}, {time.monotonic() - t:.0f} s")
    phases.append(("conversations + messages", f"{shape.conversations} + {shape.messages}", time.monotonic() - t))
    return phases


# ---------------------------------------------------------------------------------------------------------------
# The run's context and RESULTS.md.
# ---------------------------------------------------------------------------------------------------------------

def busy_others():
    try:
        out = subprocess.run(["pgrep", "-c", "-f", "swift-frontend|swift-build|swift-test|swiftc|clang|ld.lld|ld.gold"],
                             capture_output=True, text=True).stdout.strip()
        return int(out or 0)
    except (OSError, ValueError):
        return 0


def loadavg():
    return " ".join(open("/proc/loadavg").read().split()[:3])


def machine():
    model = ""
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return f"{os.cpu_count()} CPUs (nproc), {model or os.uname().machine}, Linux {os.uname().release}"


def commit():
    try:
        head = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True).stdout.strip() or "unknown"
        dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--", "Sources", "Package.swift"],
                               capture_output=True, text=True, env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"}
                               ).stdout.strip()
        if dirty:
            head += f" + uncommitted changes in {len(dirty.splitlines())} file(s) under Sources/"
        return head
    except OSError:
        return "unknown"


def binary_label(binary):
    built = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(os.path.getmtime(binary)))
    return f"{os.path.relpath(binary, ROOT)}, built {built}"


def append_results(lines):
    if os.environ.get("BENCH_NO_RESULTS", "0") == "1":
        return
    path = os.environ.get("BENCH_RESULTS") or os.path.join(BENCH_DIR, "RESULTS.md")
    with open(path, "a") as f:
        f.write("\n" + "\n".join(lines) + "\n")


def now_utc():
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())


def path_of(href):
    parsed = urllib.parse.urlparse(href)
    return parsed.path + (("?" + parsed.query) if parsed.query else "")


def temp_dir(tool):
    return tempfile.mkdtemp(prefix=f"freshchat-{tool}.", dir=os.environ.get("TMPDIR"))


def remove_dir(path):
    shutil.rmtree(path, ignore_errors=True)
