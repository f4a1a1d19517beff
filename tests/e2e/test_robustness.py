"""No request may crash the server or make it fail internally.

For every Secrets Manager operation in botocore's model (plus the newer
BatchGetSecretValue), a valid-looking baseline request is sent with one member
at a time replaced by a hostile value: empty, null, wrong JSON type, oversize,
lists of junk, nested junk.  The server may accept or refuse each one, but it
must answer with a status below 500 and stay up.  Under the ASan build the
harness also fails on any sanitizer report.
"""

import uuid

import subprocess

import botocore.session

from harness import b64

HOSTILE = [
    "", None, 0, -1, 2 ** 63, 1.5, True, [], {}, "x" * 5000,
    [""], [None], [123], [{}], [[]], {"": ""}, "\u00e9\u2603", "%s%n%x",
    "arn:aws:secretsmanager:us-east-1:123456789012:secret:",
]

EXTRA_OPERATIONS = {
    "BatchGetSecretValue": {
        "SecretIdList": ["TARGET"],
        "Filters": [{"Key": "name", "Values": ["x"]}],
        "MaxResults": 1,
    },
}


def _model():
    return botocore.session.get_session().get_service_model("secretsmanager")


def _valid(shape, name, target):
    t = shape.type_name
    if name in ("SecretId", "Name"):
        return target
    if name == "ClientRequestToken":
        return str(uuid.uuid4())
    if t == "string":
        if shape.enum:
            return shape.enum[0]
        return "x"
    if t in ("integer", "long"):
        lo = shape.metadata.get("min", 1)
        return max(int(lo), 1) if name != "RecoveryWindowInDays" else 7
    if t == "boolean":
        return False
    if t == "blob":
        return b64(b"blob")
    if t == "list":
        return [_valid(shape.member, name + "[]", target)]
    if t == "structure":
        return {k: _valid(v, k, target) for k, v in shape.members.items()
                if k in shape.required_members}
    if t == "map":
        return {"k": _valid(shape.value, name + "{}", target)}
    if t == "timestamp":
        return 0
    return "x"


def _cases(model):
    """(operation, payload) pairs: one hostile value at a time."""
    for op_name in model.operation_names:
        shape = model.operation_model(op_name).input_shape
        if shape is None:
            continue
        base = {k: _valid(v, k, "TARGET") for k, v in shape.members.items()
                if k in shape.required_members or k in ("SecretId", "Name")}
        yield op_name, dict(base)
        for member, mshape in shape.members.items():
            for bad in HOSTILE:
                p = dict(base)
                p[member] = bad
                yield op_name, p
            # one level down: list of structures / structures
            inner = mshape.member if mshape.type_name == "list" else mshape
            if inner.type_name == "structure":
                for sub in inner.members:
                    for bad in HOSTILE:
                        item = _valid(inner, sub, "TARGET")
                        item[sub] = bad
                        p = dict(base)
                        p[member] = [item] if mshape.type_name == "list" else item
                        yield op_name, p
    for op_name, base in EXTRA_OPERATIONS.items():
        yield op_name, dict(base)
        for member in base:
            for bad in HOSTILE:
                p = dict(base)
                p[member] = bad
                yield op_name, p


def _substitute(payload, target):
    def sub(v):
        if v == "TARGET":
            return target
        if isinstance(v, list):
            return [sub(x) for x in v]
        if isinstance(v, dict):
            return {k: sub(x) for k, x in v.items()}
        return v
    return sub(payload)


def test_hostile_members_never_crash_or_500(fresh_server):
    """Runs every case even after a crash (the server is restarted on the same
    data folder) so that the failure lists every crashing request."""
    srv = fresh_server
    model = _model()
    cases = list(_cases(model))
    assert len(cases) > 500
    targets = {}
    crashes, internal = [], []
    for i, (op, payload) in enumerate(cases):
        if op not in targets or i % 50 == 0:
            # a live secret for each operation, renewed now and then
            # (baseline requests delete, untag, restore, ... it)
            name = f"robust-{op}-{i}"
            srv.client().create_secret(Name=name, SecretString="v",
                                       Tags=[{"Key": "k", "Value": "v"}])
            targets[op] = name
        body = _substitute(payload, targets[op])
        try:
            r = srv.raw(op, body, timeout=15)
        except OSError as e:
            r = e
            try:                      # a dropped connection: is it dying?
                srv.proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                pass
        if not srv.alive():
            rc = srv.stop(check=False)
            crashes.append((_shape_of(op, body), f"{op} {body!r:.200} -> exit {rc}"))
            # keep the crash report in the old log; a clean log for the rest
            srv.log_path = srv.log_path.with_name(f"{srv.log_path.stem}-after-crash{i}.log")
            srv.start()
            continue
        if isinstance(r, OSError):
            internal.append((_shape_of(op, body), f"{op} {body!r:.200} -> no answer {r!r}"))
        elif r.status >= 500:
            internal.append((_shape_of(op, body),
                             f"{op} {body!r:.200} -> {r.status} {r.body[:150]!r}"))
    assert srv.http_get("/health")[0] == 200
    assert not crashes and not internal, "\n".join(
        [f"{len(crashes)} requests killed the server; one example per member:"]
        + _one_per_key(crashes)
        + [f"{len(internal)} requests got 5xx or no answer; one example per member:"]
        + _one_per_key(internal))


def _shape_of(op, body):
    """op plus the member path that carried the hostile value (roughly)."""
    keys = []
    for k, v in body.items():
        keys.append(k)
        if isinstance(v, list) and v and isinstance(v[0], dict):
            keys += [f"{k}.{sub}" for sub in v[0]]
    return op + ":" + ",".join(keys)


def _one_per_key(items):
    seen, out = set(), []
    for key, text in items:
        if key not in seen:
            seen.add(key)
            out.append("  " + text)
    return out
