"""ListSecrets SortBy / SortOrder with keyset paging (issue 3).  Debian's
boto3 predates SortBy, so the listing goes through signed raw requests."""

import json
import time

from harness import new_name

REGION = "ca-central-1"


def list_page(server, **kw):
    r = server.raw("ListSecrets", kw, region=REGION)
    assert r.status == 200, r
    return json.loads(r.body)


def list_all(server, **kw):
    names, token = [], None
    while True:
        args = dict(kw, MaxResults=2)
        if token:
            args["NextToken"] = token
        r = list_page(server, **args)
        names += [s["Name"] for s in r["SecretList"]]
        token = r.get("NextToken")
        if not token:
            return names


def test_sort_by_name_pages_in_byte_order_both_ways(server):
    sm = server.client(region=REGION)
    prefix = new_name("sortname")
    made = [f"{prefix}/{c}" for c in ("m", "B", "z", "a", "b")]
    for n in made:
        sm.create_secret(Name=n, SecretString="v")
    flt = [{"Key": "name", "Values": [prefix]}]
    assert list_all(server, Filters=flt, SortBy="name") == sorted(made)
    assert list_all(server, Filters=flt, SortBy="name", SortOrder="desc") == \
        sorted(made, reverse=True)


def test_sort_by_last_changed_date_follows_updates(server):
    sm = server.client(region=REGION)
    prefix = new_name("sortchanged")
    made = [f"{prefix}/{c}" for c in ("one", "two", "three")]
    for n in made:
        sm.create_secret(Name=n, SecretString="v")
        time.sleep(0.01)
    time.sleep(0.01)
    sm.update_secret(SecretId=made[0], Description="touched last")
    flt = [{"Key": "name", "Values": [prefix]}]
    assert list_all(server, Filters=flt, SortBy="last-changed-date") == \
        [made[1], made[2], made[0]]
    assert list_all(server, Filters=flt, SortBy="last-changed-date",
                    SortOrder="desc") == [made[0], made[2], made[1]]


def test_a_token_of_another_sort_is_refused(server):
    sm = server.client(region=REGION)
    prefix = new_name("sorttoken")
    for c in "abc":
        sm.create_secret(Name=f"{prefix}/{c}", SecretString="v")
    flt = [{"Key": "name", "Values": [prefix]}]
    token = list_page(server, Filters=flt, SortBy="name",
                      MaxResults=1)["NextToken"]
    r = server.raw("ListSecrets", {"Filters": flt, "SortBy": "created-date",
                                   "NextToken": token}, region=REGION)
    assert r.status == 400 and r.error_type == "InvalidNextTokenException", r
