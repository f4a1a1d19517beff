#!/usr/bin/python3
"""Write the seed corpora of the fuzz targets into fuzz/corpus/<target>/.

Seeds are small, valid or nearly valid inputs that show each target the
shapes it parses; the fuzzer mutates from there.  Run again after changing
an input format (it rewrites only the files it owns, named seed-*).

    /usr/bin/python3 fuzz/make_seeds.py
"""

import datetime
import json
import re
from pathlib import Path

import botocore.auth
import botocore.awsrequest
import botocore.credentials

ROOT = Path(__file__).resolve().parent / "corpus"
REPO = Path(__file__).resolve().parents[1]

ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
WHEN = datetime.datetime(2015, 8, 30, 12, 36, 0)


def write(target, name, data):
    d = ROOT / target
    d.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    (d / f"seed-{name}").write_bytes(data)


def signed_headers(body, target="secretsmanager.GetSecretValue", query=""):
    url = "http://localhost:8080/" + (f"?{query}" if query else "")
    req = botocore.awsrequest.AWSRequest(
        method="POST", url=url, data=body,
        headers={"Host": "localhost:8080", "X-Amz-Target": target,
                 "Content-Type": "application/x-amz-json-1.1"})
    creds = botocore.credentials.Credentials(ACCESS_KEY, SECRET_KEY)
    auth = botocore.auth.SigV4Auth(creds, "secretsmanager", "us-east-1")
    req.context["timestamp"] = WHEN.strftime(botocore.auth.SIGV4_TIMESTAMP)
    auth._modify_request_before_signing(req)
    canonical = auth.canonical_request(req)
    sts = auth.string_to_sign(req, canonical)
    auth._inject_signature_to_request(req, auth.signature(sts, req))
    return dict(req.headers.items())


def sigv4_authorization():
    t = "sigv4_authorization"
    good = ("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/"
            "secretsmanager/aws4_request, SignedHeaders=host;x-amz-date;"
            "x-amz-target, Signature=5d672d79c15b13162d9279b0855cfba6789a8ed"
            "b4b93ef5cd0d7357ab2f6fa8c")
    write(t, "good", good)
    write(t, "no-spaces", good.replace(", ", ","))
    write(t, "lowercase-keys", good.replace("Credential", "credential")
          .replace("SignedHeaders", "signedheaders"))
    write(t, "trailing-slash", good.replace("aws4_request", "aws4_request//"))
    write(t, "missing-signature", good.split(", Signature")[0])
    write(t, "missing-all", "AWS4-HMAC-SHA256 ")
    write(t, "four-parts", good.replace("/secretsmanager", ""))
    write(t, "bad-terminator", good.replace("aws4_request", "aws5_request"))
    write(t, "no-equals", good.replace("Credential=", "Credential= "))
    write(t, "sigv2", "AWS AKIDEXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=")
    write(t, "bearer", "Bearer abc.def.ghi")
    write(t, "other-algorithm", good.replace("HMAC-SHA256", "ECDSA-P256-SHA256"))
    write(t, "extra-pair", good + ", Foo=bar")
    write(t, "duplicate", good + ", Signature=00")
    write(t, "long", "AWS4-HMAC-SHA256 Credential=" + "A" * 2100 +
          "/20150830/us-east-1/secretsmanager/aws4_request, SignedHeaders=host,"
          " Signature=00")


def sigv4_request():
    t = "sigv4_request"
    body = b'{"SecretId":"prod/app/mysql"}'
    h = signed_headers(body)
    lines = "".join(f"{k}:{v}\n" for k, v in h.items())
    # Mode 0 (raw) with flags 0x46: the clock at the signing time and the
    # signing-key cache in use, so this seed verifies successfully.
    write(t, "raw-valid", b"\x00\x46POST\n/\n\nhost;x-amz-date;x-amz-target\n" +
          lines.encode() + b"\n" + body)
    write(t, "raw-bad-signature", b"\x00\x46POST\n/\n\nhost\n" +
          lines.replace("Signature=", "Signature=0").encode() + b"\n" + body)
    write(t, "raw-query-auth", b"\x00\x06GET\n/\nX-Amz-Algorithm=AWS4-HMAC-SHA256"
          b"&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fsecretsmanager"
          b"%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host"
          b"&X-Amz-Signature=00\nhost\nHost:localhost\n\n")
    write(t, "raw-date-header", b"\x00\x06POST\n/\n\nhost;date\nHost:localhost\n"
          b"Date:Sun, 30 Aug 2015 12:36:00 GMT\nAuthorization:AWS4-HMAC-SHA256 "
          b"Credential=AKIDFAIL/20150830/us-east-1/secretsmanager/aws4_request, "
          b"SignedHeaders=host;date, Signature=00\n\n{}")
    write(t, "raw-path-dots", b"\x00\x06GET\n/./a/../b//c/%2e%2E/\na=1&b=%zz&c\n"
          b"host\nHost:localhost\nX-Amz-Date:20150830T123600Z\n\n")
    write(t, "raw-no-auth", b"\x00\x00GET\n/health\n\n\n\n")
    write(t, "round-trip", b"\x01POST\n/\n\nx-amz-target:secretsmanager.ListSecrets\n"
          b"content-type:application/x-amz-json-1.1\nmy-header:  a   b  \n"
          b"my-header:c\n\n{}")
    write(t, "round-trip-query", b"\x01GET\n/a b/../%41\nz=1&a=2&a=1&%41=%20+\n"
          b"x-amz-meta:\n\n")


OPERATION_EXAMPLES = {
    "CreateSecret": {"Name": "prod/app/mysql", "ClientRequestToken":
                     "EXAMPLE1-90ab-cdef-fedc-ba987SECRET1", "Description": "d",
                     "KmsKeyId": "alias/aws/secretsmanager",
                     "SecretString": "{\"username\":\"app\"}",
                     "Tags": [{"Key": "team", "Value": "db"}],
                     "AddReplicaRegions": [{"Region": "eu-west-1"}],
                     "ForceOverwriteReplicaSecret": False},
    "PutSecretValue": {"SecretId": "prod/app/mysql", "SecretBinary": "AAECAw==",
                       "VersionStages": ["AWSCURRENT", "custom"]},
    "GetSecretValue": {"SecretId": "arn:aws:secretsmanager:us-east-1:"
                       "123456789012:secret:prod/app/mysql-AbCdEf",
                       "VersionStage": "AWSPREVIOUS"},
    "DeleteSecret": {"SecretId": "x", "RecoveryWindowInDays": 7,
                     "ForceDeleteWithoutRecovery": False},
    "ListSecrets": {"MaxResults": 100, "NextToken": "sesame-page-v1:1",
                    "Filters": [{"Key": "name", "Values": ["prod"]}],
                    "SortOrder": "asc", "IncludePlannedDeletion": True},
    "GetRandomPassword": {"PasswordLength": 4096, "ExcludeCharacters": "abc",
                          "RequireEachIncludedType": True},
    "RotateSecret": {"SecretId": "x", "RotationRules": {"ScheduleExpression":
                     "rate(10 days)"}, "RotateImmediately": False},
    "UpdateSecretVersionStage": {"SecretId": "x", "VersionStage": "AWSCURRENT",
                                 "MoveToVersionId": "a" * 32},
    "UntagResource": {"SecretId": "x", "TagKeys": ["a", "b"]},
    "PutResourcePolicy": {"SecretId": "x", "ResourcePolicy": "{\"Version\":"
                          "\"2012-10-17\",\"Statement\":[]}"},
}


def json_request():
    t = "json_request"
    for op, body in OPERATION_EXAMPLES.items():
        write(t, op, f"secretsmanager.{op}\n" + json.dumps(body))
    write(t, "empty-body", "secretsmanager.ListSecrets\n")
    write(t, "nested", "secretsmanager.CreateSecret\n" + "[" * 40 + "]" * 40)
    write(t, "not-object", "secretsmanager.CreateSecret\n[1,2,3]")
    write(t, "wrong-types", "secretsmanager.CreateSecret\n"
          '{"Name":1,"Tags":{},"SecretBinary":true,"MaxResults":"1"}')
    write(t, "duplicate-key", 'secretsmanager.CreateSecret\n{"Name":"a","Name":"b"}')
    write(t, "big-number", 'secretsmanager.DeleteSecret\n'
          '{"SecretId":"x","RecoveryWindowInDays":123456789012345678901234567890}')
    write(t, "escapes", 'secretsmanager.CreateSecret\n'
          '{"Name":"\\u00e9\\ud83d\\ude00","SecretString":"\\u0000"}')
    write(t, "bad-utf8", b'secretsmanager.CreateSecret\n{"Name":"\xff\xfe"}')
    write(t, "no-target", '{"SecretId":"x"}')


def arn():
    t = "arn"
    for i, s in enumerate([
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/app/mysql-AbCdEf",
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/app/mysql",
            "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "arn:aws:iam::123456789012:user/admin",
            "arn:aws-cn:s3:::bucket/key:with:colons",
            "arn::::::",
            "prod/app/mysql",
            "a/../b/./c@d=e+f!g_h-i.j",
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:" + "n" * 600,
    ]):
        write(t, str(i), s)


def base64_seeds():
    t = "base64"
    for i, s in enumerate(["", "AA==", "AAE=", "AAEC", "AAECAw==",
                           "/+/+", "QUJD\n", "QUJ=", "QR==", "====", "A===",
                           "SGVsbG8sIHdvcmxkIQ=="]):
        write(t, str(i), s)


def config():
    t = "config"
    write(t, "full", "\n".join([
        "# Sesame configuration", "listen = 127.0.0.1:8443",
        "tls_cert = /etc/sesame/cert.pem", "tls-key = /etc/sesame/key.pem",
        "root_key_file = /etc/sesame/root.key", "audit-dir = /var/log/sesame",
        "log-level = debug", "threads = 4", "max-body-bytes = 1048576",
        "max-header-bytes = 32768", "max-clock-skew-seconds = 300",
        "idle-timeout-seconds = 60", "allow-insecure-remote = false", ""]))
    write(t, "ipv6", "listen = [::1]:8080\n")
    write(t, "bad-line", "listen\n")
    write(t, "unknown", "colour = blue\n")
    write(t, "data-dir", "data_dir = /elsewhere\n")
    write(t, "range", "threads = 99999999999999999999\n")
    write(t, "crlf", "threads = 2\r\nallow_insecure_remote = yes\r\n")


def dictionaries():
    d = REPO / "fuzz" / "dict"
    d.mkdir(exist_ok=True)
    fields = set()
    text = (REPO / "src/api/secretsmanager_fields.c").read_text()
    fields.update(re.findall(r'\{ "([A-Za-z]+)", FIELD_', text))
    ops = set(re.findall(r'secretsmanager_fields_([A-Za-z]+)\[\]', text))
    json_tokens = ['"{"', '"}"', '"["', '"]"', '":"', '","', '"\\""',
                   '"true"', '"false"', '"null"', '"\\\\u0000"', '"\\\\ud800"',
                   '"1e400"', '"-0"', '"9223372036854775808"',
                   '"secretsmanager."', '"AWSCURRENT"', '"AWSPREVIOUS"',
                   '"arn:aws:secretsmanager:us-east-1:123456789012:secret:"']
    lines = json_tokens + [f'"\\"{f}\\""' for f in sorted(fields)] + \
        [f'"{o}"' for o in sorted(ops)]
    (d / "json_request.dict").write_text("\n".join(lines) + "\n")
    sig = ['"AWS4-HMAC-SHA256"', '"Credential="', '"SignedHeaders="',
           '"Signature="', '"aws4_request"', '"/20150830/"', '"us-east-1"',
           '"secretsmanager"', '"AKIDEXAMPLE"', '"AKIDFAIL"', '", "', '";"',
           '"host"', '"x-amz-date"', '"20150830T123600Z"', '"X-Amz-Algorithm="',
           '"X-Amz-Credential="', '"X-Amz-Signature="', '"X-Amz-SignedHeaders="',
           '"X-Amz-Date="', '"x-amz-content-sha256"', '"%2F"', '"/../"',
           '"/./"', '"//"', '"Authorization:"', '"Date:"',
           '"Sun, 30 Aug 2015 12:36:00 GMT"']
    for t in ("sigv4_authorization", "sigv4_request"):
        (d / f"{t}.dict").write_text("\n".join(sig) + "\n")
    conf = ['"listen"', '"tls-cert"', '"tls_key"', '"root-key-file"',
            '"audit-dir"', '"log-level"', '"threads"', '"max-body-bytes"',
            '"max-header-bytes"', '"max-clock-skew-seconds"',
            '"idle-timeout-seconds"', '"allow-insecure-remote"',
            '"test-clock-offset-seconds"', '" = "', '"#"', '"[::1]:"',
            '"true"', '"no"', '"\\x0a"']
    (d / "config.dict").write_text("\n".join(conf) + "\n")


if __name__ == "__main__":
    sigv4_authorization()
    sigv4_request()
    json_request()
    arn()
    base64_seeds()
    config()
    dictionaries()
    print(f"seeds written under {ROOT}")
