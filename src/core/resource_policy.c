/*
 * resource_policy.c: a secret's resource-based policy (PutResourcePolicy,
 * GetResourcePolicy, DeleteResourcePolicy, ValidateResourcePolicy).
 *
 * Documents are parsed by the policy engine before they are stored, so a
 * stored policy always compiles; BlockPublicPolicy refuses one that grants
 * access to anyone (Principal "*" without a condition restricting the
 * caller's account), as AWS does.
 */
#include <stdlib.h>
#include <string.h>

#include "auth/policy.h"
#include "core/core.h"
#include "core/core_internal.h"

static enum status
policy_output(const struct secret_record *secret, char *policy,
    struct secret_policy_output *out)
{
	memset(out, 0, sizeof(*out));
	out->arn = strdup(secret->arn);
	out->name = strdup(secret->name);
	out->policy = policy;
	if (out->arn == NULL || out->name == NULL) {
		secret_policy_output_cleanup(out);
		return STATUS_NO_MEMORY;
	}
	return STATUS_OK;
}

void
secret_policy_output_cleanup(struct secret_policy_output *out)
{
	free(out->arn);
	free(out->name);
	free(out->policy);
	memset(out, 0, sizeof(*out));
}

enum status
core_secret_policy_put(struct core_request *req, const char *secret_id,
    const char *policy_json, bool block_public,
    struct secret_policy_output *out, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct secret_record	 secret;
	struct policy		*policy = NULL;
	enum status		 st;

	memset(&secret, 0, sizeof(secret));
	if ((st = store_begin(req->env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = core_secret_load(req, txn, secret_id, &secret, err)) !=
	    STATUS_OK)
		goto out;
	if ((st = core_replica_write_error(req, &secret, err)) != STATUS_OK)
		goto out;
	if (secret.deleted_at != 0) {
		st = core_deleted_secret_error(req, err);
		goto out;
	}
	if ((st = policy_parse(policy_json, strlen(policy_json),
	    POLICY_KIND_RESOURCE, &policy, err)) != STATUS_OK)
		goto out;
	if (block_public && policy_is_public(policy, secret.account_id)) {
		st = error_set(err, STATUS_PUBLIC_POLICY, "You can't attach a "
		    "resource-based policy that allows broad access to the "
		    "secret.");
		goto out;
	}
	if ((st = store_secret_policy_put(txn, secret.id, policy_json,
	    req->now_ms)) != STATUS_OK)
		goto out;
	secret.last_changed_at = req->now_ms;
	if ((st = store_secret_update(txn, &secret)) != STATUS_OK)
		goto out;
	if ((st = store_commit(txn)) != STATUS_OK) {
		txn = NULL;
		goto out;
	}
	txn = NULL;
	st = policy_output(&secret, NULL, out);
out:
	store_rollback(txn);
	policy_free(policy);
	secret_record_cleanup(&secret);
	return st;
}

enum status
core_secret_policy_get(struct core_request *req, const char *secret_id,
    struct secret_policy_output *out, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct secret_record	 secret;
	char			*policy = NULL;
	enum status		 st;

	memset(&secret, 0, sizeof(secret));
	if ((st = store_begin(req->env->store, false, &txn)) != STATUS_OK)
		goto out;
	if ((st = core_secret_load(req, txn, secret_id, &secret, err)) !=
	    STATUS_OK)
		goto out;
	st = store_secret_policy_get(txn, secret.id, &policy);
	if (st != STATUS_OK && st != STATUS_NOT_FOUND)
		goto out;
	st = policy_output(&secret, policy, out);
	if (st != STATUS_OK)
		free(policy);
out:
	store_rollback(txn);
	secret_record_cleanup(&secret);
	return st;
}

enum status
core_secret_policy_delete(struct core_request *req, const char *secret_id,
    struct secret_policy_output *out, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct secret_record	 secret;
	enum status		 st;

	memset(&secret, 0, sizeof(secret));
	if ((st = store_begin(req->env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = core_secret_load(req, txn, secret_id, &secret, err)) !=
	    STATUS_OK)
		goto out;
	if ((st = core_replica_write_error(req, &secret, err)) != STATUS_OK)
		goto out;
	if (secret.deleted_at != 0) {
		st = core_deleted_secret_error(req, err);
		goto out;
	}
	if ((st = store_secret_policy_delete(txn, secret.id)) != STATUS_OK)
		goto out;
	if ((st = store_commit(txn)) != STATUS_OK) {
		txn = NULL;
		goto out;
	}
	txn = NULL;
	st = policy_output(&secret, NULL, out);
out:
	store_rollback(txn);
	secret_record_cleanup(&secret);
	return st;
}

enum status
core_secret_policy_validate(struct core_request *req, const char *secret_id,
    const char *policy_json, struct policy_findings *findings, bool *is_valid,
    struct error *err)
{
	struct policy_validate_options	 opt;
	struct store_txn		*txn = NULL;
	struct secret_record		 secret;
	enum status			 st;

	memset(&secret, 0, sizeof(secret));
	memset(&opt, 0, sizeof(opt));
	opt.kind = POLICY_KIND_RESOURCE;
	opt.account_id = req->account_id;
	opt.check_public = true;
	if (secret_id != NULL) {
		if ((st = store_begin(req->env->store, false, &txn)) != STATUS_OK)
			goto out;
		if ((st = core_secret_load(req, txn, secret_id, &secret, err)) !=
		    STATUS_OK)
			goto out;
		opt.account_id = secret.account_id;
		opt.resource = secret.arn;
	} else if ((st = core_authorize(req, "*", req->account_id, err)) !=
	    STATUS_OK)
		goto out;
	st = policy_validate(policy_json, strlen(policy_json), &opt, findings,
	    is_valid);
out:
	store_rollback(txn);
	secret_record_cleanup(&secret);
	return st;
}

/* ---- what the authoriser reads of a secret ---- */

void
secret_access_info_cleanup(struct secret_access_info *info)
{
	if (info == NULL)
		return;
	free(info->name);
	tags_free(info->tags, info->tag_count);
	free(info->policy);
	free(info->primary_region);
	memset(info, 0, sizeof(*info));
}

enum status
core_secret_access_read(struct store_txn *txn, const struct secret_record *secret,
    struct secret_access_info *out)
{
	struct secret_access_info info;
	struct arn_parts	 primary;
	enum status		 st;

	memset(&info, 0, sizeof(info));
	if ((info.name = strdup(secret->name)) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	if (secret->primary_arn != NULL &&
	    arn_parse(secret->primary_arn, &primary) == STATUS_OK)
		info.primary_region = strdup(primary.region);
	else
		info.primary_region = strdup(secret->region);
	if (info.primary_region == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	if ((st = store_tags_get(txn, secret->id, &info.tags,
	    &info.tag_count)) != STATUS_OK)
		goto out;
	st = store_secret_policy_get(txn, secret->id, &info.policy);
	if (st == STATUS_NOT_FOUND) {
		info.policy = NULL;
		st = STATUS_OK;
	}
	if (st != STATUS_OK)
		goto out;
	*out = info;
	memset(&info, 0, sizeof(info));
out:
	secret_access_info_cleanup(&info);
	return st;
}

enum status
core_secret_access_load(const struct core_env *env, const char *arn,
    struct secret_access_info *out)
{
	struct store_txn	*txn = NULL;
	struct secret_record	 secret;
	enum status		 st;

	memset(&secret, 0, sizeof(secret));
	if ((st = store_begin(env->store, false, &txn)) != STATUS_OK)
		goto out;
	if ((st = store_secret_get_by_arn(txn, arn, &secret)) != STATUS_OK)
		goto out;
	st = core_secret_access_read(txn, &secret, out);
out:
	store_rollback(txn);
	secret_record_cleanup(&secret);
	return st;
}
