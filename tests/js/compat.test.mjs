// Sesame compatibility tests with the npm AWS SDK v3
// (@aws-sdk/client-secrets-manager), for what Debian's boto3 lacks:
// BatchGetSecretValue, and ListSecrets' SortBy / IncludePlannedDeletion.
// (SortBy other than created-date is covered, and reported, by
// tests/e2e/test_compat_listing.py::test_sort_by_name.)
//
// Run by tests/e2e/test_compat_js.py, which starts a server and sets
// SESAME_ENDPOINT, SESAME_REGION, SESAME_ACCESS_KEY_ID and
// SESAME_SECRET_ACCESS_KEY.  By hand: `node --test tests/js/` with those set.

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { before, describe, test } from "node:test";

import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (run through tests/e2e/test_compat_js.py)`);
  return v;
};

const client = new SecretsManagerClient({
  endpoint: env("SESAME_ENDPOINT"),
  region: process.env.SESAME_REGION || "us-east-1",
  credentials: {
    accessKeyId: env("SESAME_ACCESS_KEY_ID"),
    secretAccessKey: env("SESAME_SECRET_ACCESS_KEY"),
  },
  maxAttempts: 1,
});

const prefix = `js${randomUUID().replaceAll("-", "").slice(0, 10)}`;
const send = (cmd) => client.send(cmd);
const create = (Name, SecretString, extra = {}) =>
  send(new CreateSecretCommand({ Name, SecretString, ...extra }));

async function expectError(promise, name) {
  try {
    await promise;
  } catch (e) {
    assert.equal(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
    assert.equal(e.$metadata.httpStatusCode, 400);
    return e;
  }
  assert.fail(`expected ${name}, the call succeeded`);
}

describe("basic round trip through SDK v3", () => {
  test("create, get, describe", async () => {
    const name = `${prefix}/basic`;
    const c = await create(name, "hello from js");
    assert.match(c.ARN, new RegExp(`:secret:${name}-[A-Za-z0-9]{6}$`));
    const g = await send(new GetSecretValueCommand({ SecretId: name }));
    assert.equal(g.SecretString, "hello from js");
    assert.deepEqual(g.VersionStages, ["AWSCURRENT"]);
    assert.ok(g.CreatedDate instanceof Date);
    const d = await send(new DescribeSecretCommand({ SecretId: name }));
    assert.equal(d.ARN, c.ARN);
    assert.deepEqual(d.VersionIdsToStages, { [c.VersionId]: ["AWSCURRENT"] });
  });

  test("binary values round-trip as bytes", async () => {
    const name = `${prefix}/binary`;
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    await send(new CreateSecretCommand({ Name: name, SecretBinary: bytes }));
    const g = await send(new GetSecretValueCommand({ SecretId: name }));
    assert.deepEqual(Array.from(g.SecretBinary), Array.from(bytes));
  });

  test("missing secret is ResourceNotFoundException with AWS's text", async () => {
    const e = await expectError(
      send(new GetSecretValueCommand({ SecretId: `${prefix}/missing` })),
      "ResourceNotFoundException");
    assert.ok(e instanceof ResourceNotFoundException);
    assert.equal(e.message, "Secrets Manager can't find the specified secret.");
  });
});

describe("BatchGetSecretValue", () => {
  const names = [`${prefix}/batch/a`, `${prefix}/batch/b`, `${prefix}/batch/c`];
  let arnA;

  before(async () => {
    arnA = (await create(names[0], "A")).ARN;
    await create(names[1], "B");
    await create(names[2], "old");
    await send(new PutSecretValueCommand({ SecretId: names[2], SecretString: "C" }));
    await create(`${prefix}/batch-deleted`, "gone");
    await send(new DeleteSecretCommand({ SecretId: `${prefix}/batch-deleted`,
                                         RecoveryWindowInDays: 7 }));
  });

  test("by SecretIdList returns the current values", async () => {
    const r = await send(new BatchGetSecretValueCommand({ SecretIdList: names }));
    const got = Object.fromEntries(r.SecretValues.map((v) => [v.Name, v.SecretString]));
    assert.deepEqual(got, { [names[0]]: "A", [names[1]]: "B", [names[2]]: "C" });
    assert.deepEqual(r.Errors, []);
    for (const v of r.SecretValues) {
      assert.deepEqual(v.VersionStages, ["AWSCURRENT"]);
      assert.ok(v.CreatedDate instanceof Date);
      assert.match(v.VersionId, /^[0-9a-f-]{36}$/);
    }
  });

  test("by ARN", async () => {
    const r = await send(new BatchGetSecretValueCommand({ SecretIdList: [arnA] }));
    assert.equal(r.SecretValues.length, 1);
    assert.equal(r.SecretValues[0].ARN, arnA);
    assert.equal(r.SecretValues[0].SecretString, "A");
  });

  test("per-secret errors", async () => {
    const missing = `${prefix}/batch/missing`;
    const r = await send(new BatchGetSecretValueCommand({
      SecretIdList: [names[0], missing, `${prefix}/batch-deleted`],
    }));
    assert.deepEqual(r.SecretValues.map((v) => v.Name), [names[0]]);
    const errs = Object.fromEntries(r.Errors.map((e) => [e.SecretId, e]));
    assert.equal(errs[missing].ErrorCode, "ResourceNotFoundException");
    assert.equal(errs[missing].Message, "Secrets Manager can't find the specified secret.");
    assert.equal(errs[`${prefix}/batch-deleted`].ErrorCode, "InvalidRequestException");
  });

  test("by Filters, paged with MaxResults and NextToken", async () => {
    const seen = [];
    let NextToken;
    for (let i = 0; i < 10; i++) {
      const r = await send(new BatchGetSecretValueCommand({
        Filters: [{ Key: "name", Values: [`${prefix}/batch/`] }],
        MaxResults: 2,
        NextToken,
      }));
      assert.ok(r.SecretValues.length <= 2);
      seen.push(...r.SecretValues.map((v) => v.Name));
      NextToken = r.NextToken;
      if (!NextToken) break;
    }
    assert.deepEqual(seen.sort(), [...names].sort());
  });

  test("SecretIdList and Filters together is InvalidParameterException", async () => {
    await expectError(send(new BatchGetSecretValueCommand({
      SecretIdList: [names[0]],
      Filters: [{ Key: "name", Values: [prefix] }],
    })), "InvalidParameterException");
  });

  test("neither SecretIdList nor Filters is InvalidParameterException", async () => {
    await expectError(send(new BatchGetSecretValueCommand({})),
      "InvalidParameterException");
  });

  test("more than 20 ids is ValidationException", async () => {
    const ids = Array.from({ length: 21 }, (_, i) => `${prefix}/x${i}`);
    await expectError(send(new BatchGetSecretValueCommand({ SecretIdList: ids })),
      "ValidationException");
  });

  test("MaxResults without Filters is InvalidParameterException", async () => {
    await expectError(send(new BatchGetSecretValueCommand({
      SecretIdList: [names[0]], MaxResults: 5,
    })), "InvalidParameterException");
  });
});

describe("ListSecrets parameters newer than Debian's boto3", () => {
  const made = ["m", "b", "z", "a"].map((c) => `${prefix}/list/${c}`);

  before(async () => {
    for (const n of made) await create(n, "v");
    await create(`${prefix}/list/deleted`, "v");
    await send(new DeleteSecretCommand({ SecretId: `${prefix}/list/deleted` }));
  });

  const list = (extra) => send(new ListSecretsCommand({
    Filters: [{ Key: "name", Values: [`${prefix}/list/`] }], ...extra,
  })).then((r) => r.SecretList.map((s) => s.Name));

  test("IncludePlannedDeletion", async () => {
    assert.deepEqual(await list({}), made);
    const all = await list({ IncludePlannedDeletion: true });
    assert.deepEqual(all.sort(), [...made, `${prefix}/list/deleted`].sort());
  });

  test("SortOrder desc", async () => {
    assert.deepEqual(await list({ SortOrder: "desc" }), [...made].reverse());
  });

  test("SortBy created-date", async () => {
    assert.deepEqual(await list({ SortBy: "created-date" }), made);
  });
});
