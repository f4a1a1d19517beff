"""The core flow through the real `aws secretsmanager` CLI (v2).

Credentials come from the data folder's credentials file (profile sesame);
every call is one CLI process, so the tests keep the number of calls small.
"""

import base64
import datetime
import string

from harness import SHARED_ACCOUNT, new_name


def test_cli_string_secret_lifecycle(aws_cli):
    name = new_name("cli")
    c = aws_cli("secretsmanager", "create-secret", "--name", name,
                "--secret-string", '{"user":"cli","pass":"p@ss word"}',
                "--description", "made by the cli",
                "--tags", "Key=origin,Value=cli").json
    assert c["Name"] == name
    assert c["ARN"].startswith(f"arn:aws:secretsmanager:us-east-1:{SHARED_ACCOUNT}:secret:{name}-")
    v1 = c["VersionId"]

    g = aws_cli("secretsmanager", "get-secret-value", "--secret-id", name).json
    assert g["SecretString"] == '{"user":"cli","pass":"p@ss word"}'
    assert g["VersionStages"] == ["AWSCURRENT"]
    assert g["VersionId"] == v1

    p = aws_cli("secretsmanager", "put-secret-value", "--secret-id", c["ARN"],
                "--secret-string", "second").json
    v2 = p["VersionId"]
    assert v2 != v1
    assert p["VersionStages"] == ["AWSCURRENT"]

    prev = aws_cli("secretsmanager", "get-secret-value", "--secret-id", name,
                   "--version-stage", "AWSPREVIOUS").json
    assert prev["SecretString"] == '{"user":"cli","pass":"p@ss word"}'
    assert prev["VersionId"] == v1

    d = aws_cli("secretsmanager", "describe-secret", "--secret-id", name).json
    assert d["Description"] == "made by the cli"
    assert d["VersionIdsToStages"] == {v1: ["AWSPREVIOUS"], v2: ["AWSCURRENT"]}
    assert d["Tags"] == [{"Key": "origin", "Value": "cli"}]
    # the CLI prints timestamps as ISO 8601 strings
    created = datetime.datetime.fromisoformat(d["CreatedDate"])
    assert abs((datetime.datetime.now(created.tzinfo) - created).total_seconds()) < 300

    old = aws_cli("secretsmanager", "get-secret-value", "--secret-id", name,
                  "--version-id", v1).json
    assert old["SecretString"] == '{"user":"cli","pass":"p@ss word"}'


def test_cli_binary_secret_from_fileb(aws_cli, tmp_path):
    name = new_name("cli-bin")
    data = bytes(range(256)) + b"\x00\x00\r\n\x1a"
    f = tmp_path / "secret.bin"
    f.write_bytes(data)
    c = aws_cli("secretsmanager", "create-secret", "--name", name,
                "--secret-binary", f"fileb://{f}").json
    assert c["VersionId"]
    g = aws_cli("secretsmanager", "get-secret-value", "--secret-id", name).json
    assert "SecretString" not in g
    assert base64.b64decode(g["SecretBinary"]) == data

    f2 = tmp_path / "secret2.bin"
    f2.write_bytes(b"\x00second\xff")
    aws_cli("secretsmanager", "put-secret-value", "--secret-id", name,
            "--secret-binary", f"fileb://{f2}")
    g2 = aws_cli("secretsmanager", "get-secret-value", "--secret-id", name).json
    assert base64.b64decode(g2["SecretBinary"]) == b"\x00second\xff"


def test_cli_delete_and_restore(aws_cli):
    name = new_name("cli-del")
    aws_cli("secretsmanager", "create-secret", "--name", name, "--secret-string", "x")
    d = aws_cli("secretsmanager", "delete-secret", "--secret-id", name,
                "--recovery-window-in-days", "7").json
    assert d["Name"] == name and "DeletionDate" in d
    r = aws_cli("secretsmanager", "get-secret-value", "--secret-id", name, check=False)
    assert r.returncode != 0
    assert "InvalidRequestException" in r.stderr
    aws_cli("secretsmanager", "restore-secret", "--secret-id", name)
    g = aws_cli("secretsmanager", "get-secret-value", "--secret-id", name).json
    assert g["SecretString"] == "x"


def test_cli_force_delete_then_not_found(aws_cli):
    name = new_name("cli-force")
    aws_cli("secretsmanager", "create-secret", "--name", name, "--secret-string", "x")
    aws_cli("secretsmanager", "delete-secret", "--secret-id", name,
            "--force-delete-without-recovery")
    r = aws_cli("secretsmanager", "describe-secret", "--secret-id", name, check=False)
    assert r.returncode != 0
    assert "ResourceNotFoundException" in r.stderr
    assert "Secrets Manager can't find the specified secret." in r.stderr


def test_cli_list_secrets_follows_next_token(fresh_server):
    created = [new_name("cli-list") for _ in range(3)]
    for n in created:
        fresh_server.aws("secretsmanager", "create-secret", "--name", n,
                         "--secret-string", "v")
    # --page-size 1 makes the CLI send MaxResults=1 and follow NextToken
    out = fresh_server.aws("secretsmanager", "list-secrets", "--page-size", "1").json
    assert sorted(s["Name"] for s in out["SecretList"]) == sorted(created)
    one = fresh_server.aws("secretsmanager", "list-secrets", "--no-paginate",
                           "--max-results", "1").json
    assert len(one["SecretList"]) == 1
    assert one.get("NextToken")


def test_cli_get_random_password(aws_cli):
    out = aws_cli("secretsmanager", "get-random-password", "--password-length", "40",
                  "--exclude-punctuation").json
    pw = out["RandomPassword"]
    assert len(pw) == 40
    assert set(pw) <= set(string.ascii_letters + string.digits)


def test_cli_update_secret_description_and_value(aws_cli):
    name = new_name("cli-upd")
    v1 = aws_cli("secretsmanager", "create-secret", "--name", name,
                 "--secret-string", "one").json["VersionId"]
    u = aws_cli("secretsmanager", "update-secret", "--secret-id", name,
                "--description", "new description").json
    assert "VersionId" not in u
    u2 = aws_cli("secretsmanager", "update-secret", "--secret-id", name,
                 "--secret-string", "two").json
    assert u2["VersionId"] != v1
    d = aws_cli("secretsmanager", "describe-secret", "--secret-id", name).json
    assert d["Description"] == "new description"
    assert d["VersionIdsToStages"][u2["VersionId"]] == ["AWSCURRENT"]


def test_cli_wrong_credentials_fail(server, tmp_path):
    creds = tmp_path / "bad-credentials"
    real = server.credentials()
    creds.write_text(f"[sesame]\naws_access_key_id = {real.access_key}\n"
                     f"aws_secret_access_key = {'x' * 40}\n")
    r = server.aws("secretsmanager", "list-secrets", "--max-results", "1",
                   "--no-paginate", check=False,
                   env={"AWS_SHARED_CREDENTIALS_FILE": str(creds)})
    assert r.returncode != 0
    assert "InvalidSignatureException" in r.stderr
