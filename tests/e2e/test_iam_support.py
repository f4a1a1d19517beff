"""Helpers of the IAM and STS end-to-end tests (test_iam*.py, test_sts*.py).

iam_client / sts_client / sm_client: boto3 clients bound to a server, with
optional credentials, session token and clock offset (the server's
--test-clock-offset-seconds: clients must sign with the shifted time).
query(): a hand-signed AWS Query request (form body), answered as a
RawResponse whose XML xml_error() reads.  trust(): a trust policy document.
No tests here.
"""

import json
import urllib.parse
import uuid
import xml.etree.ElementTree as ET

import boto3
import botocore.awsrequest
import botocore.credentials
from botocore.config import Config

from compat_helpers import ShiftedSigV4Auth
from harness import Creds, FixedTimeSigV4Auth

IAM_NS = "https://iam.amazonaws.com/doc/2010-05-08/"
STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/"


def unique(prefix="t"):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def aws_client(service, srv, creds=None, token=None, offset_seconds=0,
               validate=True, region="us-east-1"):
    creds = creds or srv.credentials()
    cfg = Config(retries={"total_max_attempts": 1, "mode": "standard"},
                 connect_timeout=10, read_timeout=60,
                 parameter_validation=validate)
    session = boto3.session.Session(aws_access_key_id=creds.access_key,
                                    aws_secret_access_key=creds.secret_key,
                                    aws_session_token=token,
                                    region_name=region)
    c = session.client(service, endpoint_url=srv.endpoint, config=cfg)
    if offset_seconds:
        signer = c._request_signer
        original = signer.get_auth_instance

        def get_auth_instance(*args, **kwargs):
            auth = original(*args, **kwargs)
            shifted = ShiftedSigV4Auth(auth.credentials, auth._service_name,
                                       auth._region_name)
            shifted.offset_seconds = offset_seconds
            return shifted
        signer.get_auth_instance = get_auth_instance
    return c


def iam_client(srv, **kw):
    return aws_client("iam", srv, **kw)


def sts_client(srv, **kw):
    return aws_client("sts", srv, **kw)


def sm_client(srv, **kw):
    return aws_client("secretsmanager", srv, **kw)


def session_of(credentials):
    """(Creds, token) of an STS Credentials structure."""
    return (Creds(credentials["AccessKeyId"], credentials["SecretAccessKey"]),
            credentials["SessionToken"])


def key_of(access_key):
    """Creds of a CreateAccessKey AccessKey structure."""
    return Creds(access_key["AccessKeyId"], access_key["SecretAccessKey"])


def trust(*principals, conditions=None, service=None):
    """A trust policy allowing sts:AssumeRole to AWS principals (ARNs or
    account ids) or to a service."""
    principal = {"Service": service} if service else {"AWS": list(principals)}
    statement = {"Effect": "Allow", "Principal": principal,
                 "Action": "sts:AssumeRole"}
    if conditions:
        statement["Condition"] = conditions
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def allow(action="*", resource="*"):
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": action, "Resource": resource}]})


class QueryResponse:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def xml(self):
        return ET.fromstring(self.body)

    def error(self):
        """(Type, Code, Message, RequestId) of an ErrorResponse."""
        root = self.xml
        assert root.tag.endswith("ErrorResponse"), self.body
        ns = root.tag[:-len("ErrorResponse")]
        err = root.find(f"{ns}Error")
        return (err.findtext(f"{ns}Type"), err.findtext(f"{ns}Code"),
                err.findtext(f"{ns}Message"), root.findtext(f"{ns}RequestId"))

    def __repr__(self):
        return f"QueryResponse({self.status}, {self.body[:400]!r})"


def query(srv, service, params=None, *, body=None, creds=None, token=None,
          when=None, content_type="application/x-www-form-urlencoded; charset=utf-8",
          sign=True):
    """POST a form body to srv, signed for service (iam or sts)."""
    if body is None:
        body = urllib.parse.urlencode(params or {}).encode()
    url = srv.endpoint + "/"
    headers = {"Host": urllib.parse.urlsplit(url).netloc,
               "Content-Type": content_type}
    if sign:
        creds = creds or srv.credentials()
        req = botocore.awsrequest.AWSRequest(method="POST", url=url, data=body,
                                             headers=headers)
        c = botocore.credentials.Credentials(creds.access_key, creds.secret_key,
                                             token)
        FixedTimeSigV4Auth(c, service, "us-east-1", when).add_auth(req)
        headers = dict(req.headers.items())
    r = srv.send(headers, body)
    return QueryResponse(r.status, r.headers, r.body)


def status_of(exc):
    return exc.response["ResponseMetadata"]["HTTPStatusCode"]
