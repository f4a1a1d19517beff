/*
 * kms_ops.c: the rules of the KMS API: key lifecycle (create, enable,
 * disable, scheduled deletion), aliases, key policies, rotation, tags, and
 * the cryptographic operations.
 *
 * Every operation runs in one store transaction, resolves its key there
 * and asks req->authorize for req->action on the key's ARN before acting
 * (core_authorize, which also names the key in the audit record).  Key
 * states follow AWS's table: a Disabled key refuses cryptography with
 * DisabledException, a PendingDeletion key refuses almost everything with
 * KMSInvalidStateException, and a key whose deletion date has come is
 * gone (deleted by core_kms_maintain, treated as missing until then).
 * AWS managed keys (aws/secretsmanager) cannot be disabled, deleted,
 * re-policied, re-tagged or rotated by hand.
 *
 * Encryption operations that find the key's automatic rotation due rotate
 * it first, in a write transaction of its own, so a key rotates on time
 * even without the maintenance loop.
 *
 * Thread-safety: reentrant.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth/policy.h"
#include "common/log.h"
#include "core/core.h"
#include "core/core_internal.h"
#include "core/kms_internal.h"

#define MSG_INCORRECT_KEY	"The key ID in the request does not identify " \
				"a CMK that can perform this operation."
#define MSG_ALIAS_PREFIX	"Alias must start with the prefix \"alias/\". " \
				"Please see https://docs.aws.amazon.com/kms/" \
				"latest/developerguide/kms-alias.html"
#define MSG_LOCKOUT		"The new key policy will not allow you to " \
				"update the key policy in the future."
#define DEFAULT_POLICY_NAME	"default"
#define LIST_MARKER_MAX		1024

void
kms_key_info_cleanup(struct kms_key_info *info)
{
	kms_key_record_cleanup(&info->key);
	tags_free(info->tags, info->tag_count);
	free(info->policy);
	memset(info, 0, sizeof(*info));
}

void
kms_list_output_cleanup(struct kms_list_output *out)
{
	kms_key_records_free(out->keys, out->key_count);
	kms_alias_records_free(out->aliases, out->alias_count);
	tags_free(out->tags, out->tag_count);
	kms_key_version_records_free(out->versions, out->version_count);
	free(out->key_arn);
	free(out->next_marker);
	memset(out, 0, sizeof(*out));
}

char *
core_kms_default_policy(const struct kms_key_record *key)
{
	char	*policy = NULL;
	int	 n;

	if (strcmp(key->key_manager, KMS_KEY_MANAGER_AWS) == 0)
		n = asprintf(&policy,
		    "{\n"
		    "  \"Version\" : \"2012-10-17\",\n"
		    "  \"Id\" : \"auto-secretsmanager-2\",\n"
		    "  \"Statement\" : [ {\n"
		    "    \"Sid\" : \"Allow access through AWS Secrets Manager for "
		    "all principals in the account that are authorized to use "
		    "AWS Secrets Manager\",\n"
		    "    \"Effect\" : \"Allow\",\n"
		    "    \"Principal\" : {\n      \"AWS\" : \"*\"\n    },\n"
		    "    \"Action\" : [ \"kms:Encrypt\", \"kms:Decrypt\", "
		    "\"kms:ReEncrypt*\", \"kms:CreateGrant\", "
		    "\"kms:DescribeKey\" ],\n"
		    "    \"Resource\" : \"*\",\n"
		    "    \"Condition\" : {\n      \"StringEquals\" : {\n"
		    "        \"kms:CallerAccount\" : \"%s\",\n"
		    "        \"kms:ViaService\" : "
		    "\"secretsmanager.%s.amazonaws.com\"\n      }\n    }\n"
		    "  }, {\n"
		    "    \"Sid\" : \"Allow access through AWS Secrets Manager for "
		    "all principals in the account that are authorized to use "
		    "AWS Secrets Manager\",\n"
		    "    \"Effect\" : \"Allow\",\n"
		    "    \"Principal\" : {\n      \"AWS\" : \"*\"\n    },\n"
		    "    \"Action\" : \"kms:GenerateDataKey*\",\n"
		    "    \"Resource\" : \"*\",\n"
		    "    \"Condition\" : {\n      \"StringEquals\" : {\n"
		    "        \"kms:CallerAccount\" : \"%s\"\n      },\n"
		    "      \"StringLike\" : {\n"
		    "        \"kms:ViaService\" : "
		    "\"secretsmanager.%s.amazonaws.com\"\n      }\n    }\n"
		    "  }, {\n"
		    "    \"Sid\" : \"Allow direct access to key metadata to the "
		    "account\",\n"
		    "    \"Effect\" : \"Allow\",\n"
		    "    \"Principal\" : {\n      \"AWS\" : "
		    "\"arn:aws:iam::%s:root\"\n    },\n"
		    "    \"Action\" : [ \"kms:Describe*\", \"kms:Get*\", "
		    "\"kms:List*\", \"kms:RevokeGrant\" ],\n"
		    "    \"Resource\" : \"*\"\n"
		    "  } ]\n"
		    "}", key->account_id, key->region, key->account_id,
		    key->region, key->account_id);
	else
		n = asprintf(&policy,
		    "{\n"
		    "  \"Version\" : \"2012-10-17\",\n"
		    "  \"Id\" : \"key-default-1\",\n"
		    "  \"Statement\" : [ {\n"
		    "    \"Sid\" : \"Enable IAM User Permissions\",\n"
		    "    \"Effect\" : \"Allow\",\n"
		    "    \"Principal\" : {\n"
		    "      \"AWS\" : \"arn:aws:iam::%s:root\"\n"
		    "    },\n"
		    "    \"Action\" : \"kms:*\",\n"
		    "    \"Resource\" : \"*\"\n"
		    "  } ]\n"
		    "}", key->account_id);
	return n < 0 ? NULL : policy;
}

/* ---- helpers ---- */

static bool
is_aws_managed(const struct kms_key_record *rec)
{
	return strcmp(rec->key_manager, KMS_KEY_MANAGER_AWS) == 0;
}

static enum status
aws_managed_error(const struct kms_key_record *rec, struct error *err)
{
	return error_set(err, STATUS_KMS_UNSUPPORTED, "%s is an AWS managed "
	    "key; AWS manages its state, policy, tags and rotation.",
	    rec->arn);
}

static bool
key_is_due_for_deletion(const struct kms_key_record *rec, int64_t now_ms)
{
	return strcmp(rec->state, KMS_STATE_PENDING_DELETION) == 0 &&
	    rec->deletion_date != 0 && rec->deletion_date <= now_ms;
}

static bool
is_pending_deletion(const struct kms_key_record *rec)
{
	return strcmp(rec->state, KMS_STATE_PENDING_DELETION) == 0;
}

static enum status
pending_deletion_error(const struct kms_key_record *rec, struct error *err)
{
	return error_set(err, STATUS_KMS_INVALID_STATE, "%s is pending "
	    "deletion.", rec->arn);
}

/* Is key_id (an ARN) in another account than the caller's? */
static bool
names_other_account(const struct core_request *req, const char *key_id,
    char account[16])
{
	struct arn_parts parts;

	if (strncmp(key_id, "arn:", 4) != 0 ||
	    arn_parse(key_id, &parts) != STATUS_OK ||
	    strcmp(parts.account_id, req->account_id) == 0)
		return false;
	snprintf(account, 16, "%s", parts.account_id);
	return true;
}

/*
 * Find and authorise.  A key of another account that does not exist is
 * denied rather than reported missing, so existence does not leak.
 */
static enum status
key_load(struct core_request *req, struct store_txn *txn, const char *key_id,
    struct kms_key_record *out, struct error *err)
{
	char		 account[16];
	enum status	 st;

	st = kms_key_find(req, txn, key_id, out, err);
	if (st == STATUS_NOT_FOUND && names_other_account(req, key_id,
	    account)) {
		enum status ast = core_authorize(req, key_id, account, err);

		if (ast != STATUS_OK)
			return ast;
		return error_set(err, st, "Key '%s' does not exist", key_id);
	}
	if (st != STATUS_OK) {
		snprintf(req->resource_arn, sizeof(req->resource_arn), "%s",
		    key_id);
		return st;
	}
	if ((st = kms_key_authorize(req, NULL, out, err)) != STATUS_OK) {
		kms_key_record_cleanup(out);
		return st;
	}
	return STATUS_OK;
}

/* Authorise an action on no particular key ("*"). */
static enum status
authorize_any(struct core_request *req, struct error *err)
{
	return core_authorize(req, "*", req->account_id, err);
}

static enum status
commit_or_fail(struct store_txn **txn)
{
	enum status st = store_commit(*txn);

	*txn = NULL;
	return st;
}

/* KMS's tag rules (TagException for reserved or repeated keys). */
static enum status
tags_check(const struct tag *tags, size_t count, struct error *err)
{
	for (size_t i = 0; i < count; i++) {
		if (strncasecmp(tags[i].key, "aws:", 4) == 0)
			return error_set(err, STATUS_KMS_TAG, "Tags beginning "
			    "with aws: are reserved.");
		for (size_t j = 0; j < i; j++)
			if (strcmp(tags[i].key, tags[j].key) == 0)
				return error_set(err, STATUS_KMS_TAG,
				    "Duplicate tag keys: %s", tags[i].key);
	}
	if (count > KMS_TAGS_MAX)
		return error_set(err, STATUS_LIMIT_EXCEEDED, "A KMS key can "
		    "have at most %d tags.", KMS_TAGS_MAX);
	return STATUS_OK;
}

/* ---- key policies ---- */

/* A key policy must be a policy document the engine can enforce. */
static enum status
key_policy_check(const char *policy, struct error *err)
{
	struct policy	*parsed = NULL;
	struct error	 why;
	enum status	 st;

	error_clear(&why);
	st = policy_parse(policy, strlen(policy), POLICY_KIND_KEY, &parsed,
	    &why);
	policy_free(parsed);
	if (st == STATUS_MALFORMED_POLICY)
		return error_set(err, st, "%s", why.message);
	return st == STATUS_OK ? STATUS_OK : error_set(err, st, NULL);
}

/*
 * KMS's policy lockout safety check: unless the caller bypasses it, a new
 * policy for rec must still let the caller put the key's policy, so the
 * key cannot become unmanageable by mistake.
 */
static enum status
key_policy_lockout_check(struct core_request *req,
    const struct kms_key_record *rec, const char *policy, bool bypass,
    struct error *err)
{
	struct kms_key_record	 proposed = *rec;
	enum status		 st;

	if (bypass || req->authorize == NULL)
		return STATUS_OK;
	proposed.policy = (char *)policy;
	st = kms_key_authorize(req, "kms:PutKeyPolicy", &proposed, err);
	if (st == STATUS_ACCESS_DENIED) {
		error_clear(err);
		return error_set(err, STATUS_MALFORMED_POLICY, MSG_LOCKOUT);
	}
	return st;
}

/* ---- lifecycle ---- */

enum status
core_kms_create_key(struct core_request *req, const struct kms_create_input *in,
    struct kms_key_info *out, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct kms_key_info	 info;
	enum status		 st;

	memset(&info, 0, sizeof(info));
	if ((st = tags_check(in->tags, in->tag_count, err)) != STATUS_OK)
		goto out;
	if (in->policy != NULL &&
	    (st = key_policy_check(in->policy, err)) != STATUS_OK)
		goto out;
	if ((st = authorize_any(req, err)) != STATUS_OK)
		goto out;
	if ((st = store_begin(req->env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = kms_key_new(req->env, txn, req->account_id, req->region,
	    KMS_KEY_MANAGER_CUSTOMER, in->description, in->policy, req->now_ms,
	    &info.key)) != STATUS_OK)
		goto out;
	if (in->policy != NULL && (st = key_policy_lockout_check(req,
	    &info.key, in->policy, in->bypass_lockout_check, err)) !=
	    STATUS_OK)
		goto out;
	if (in->tag_count > 0 && (st = store_kms_tags_put(txn, info.key.key_id,
	    in->tags, in->tag_count)) != STATUS_OK)
		goto out;
	if ((st = commit_or_fail(&txn)) != STATUS_OK)
		goto out;
	snprintf(req->resource_arn, sizeof(req->resource_arn), "%s",
	    info.key.arn);
	*out = info;
	memset(&info, 0, sizeof(info));
out:
	store_rollback(txn);
	kms_key_info_cleanup(&info);
	return st;
}

/* Does key_id name the aws/secretsmanager alias of the caller? */
static bool
names_default_alias(const struct core_request *req, const char *key_id)
{
	char	 arn[256];

	if (strcmp(key_id, DEFAULT_KMS_ALIAS) == 0)
		return true;
	snprintf(arn, sizeof(arn), "arn:aws:kms:%s:%s:%s", req->region,
	    req->account_id, DEFAULT_KMS_ALIAS);
	return strcmp(key_id, arn) == 0;
}

enum status
core_kms_describe_key(struct core_request *req, const char *key_id,
    struct kms_key_info *out, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct kms_key_info	 info;
	enum status		 st;

	memset(&info, 0, sizeof(info));
	if ((st = store_begin(req->env->store, false, &txn)) != STATUS_OK)
		goto out;
	st = key_load(req, txn, key_id, &info.key, err);
	/* As on AWS, describing the managed key creates it. */
	if (st == STATUS_NOT_FOUND && names_default_alias(req, key_id)) {
		store_rollback(txn);
		txn = NULL;
		error_clear(err);
		if ((st = store_begin(req->env->store, true, &txn)) !=
		    STATUS_OK)
			goto out;
		st = key_load(req, txn, key_id, &info.key, err);
		if (st == STATUS_NOT_FOUND) {
			error_clear(err);
			if ((st = kms_default_key_create(req, txn,
			    req->account_id, req->region, &info.key)) !=
			    STATUS_OK ||
			    (st = kms_key_authorize(req, NULL, &info.key,
			    err)) != STATUS_OK ||
			    (st = commit_or_fail(&txn)) != STATUS_OK)
				goto out;
		}
	}
	if (st != STATUS_OK)
		goto out;
	*out = info;
	memset(&info, 0, sizeof(info));
out:
	store_rollback(txn);
	kms_key_info_cleanup(&info);
	return st;
}

/* One key, changed by fn inside a write transaction. */
typedef enum status (*key_change_fn)(struct core_request *req,
    struct store_txn *txn, struct kms_key_record *rec, void *arg,
    struct error *err);

static enum status
key_change(struct core_request *req, const char *key_id, key_change_fn fn,
    void *arg, struct kms_key_info *out, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct kms_key_info	 info;
	enum status		 st;

	memset(&info, 0, sizeof(info));
	if ((st = store_begin(req->env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = key_load(req, txn, key_id, &info.key, err)) != STATUS_OK)
		goto out;
	if ((st = fn(req, txn, &info.key, arg, err)) != STATUS_OK)
		goto out;
	if ((st = commit_or_fail(&txn)) != STATUS_OK)
		goto out;
	if (out != NULL) {
		*out = info;
		memset(&info, 0, sizeof(info));
	}
out:
	store_rollback(txn);
	kms_key_info_cleanup(&info);
	return st;
}

static enum status
change_enabled(struct core_request *req, struct store_txn *txn,
    struct kms_key_record *rec, void *arg, struct error *err)
{
	bool	 enabled = *(bool *)arg;
	char	*state;

	if (is_aws_managed(rec))
		return aws_managed_error(rec, err);
	if (is_pending_deletion(rec))
		return pending_deletion_error(rec, err);
	if ((state = strdup(enabled ? KMS_STATE_ENABLED :
	    KMS_STATE_DISABLED)) == NULL)
		return STATUS_NO_MEMORY;
	free(rec->state);
	rec->state = state;
	return store_kms_key_update(txn, rec);
}

enum status
core_kms_set_enabled(struct core_request *req, const char *key_id,
    bool enabled, struct error *err)
{
	return key_change(req, key_id, change_enabled, &enabled, NULL, err);
}

static enum status
change_schedule_deletion(struct core_request *req, struct store_txn *txn,
    struct kms_key_record *rec, void *arg, struct error *err)
{
	int64_t	 days = *(int64_t *)arg;
	char	*state;

	if (is_aws_managed(rec))
		return aws_managed_error(rec, err);
	if (is_pending_deletion(rec))
		return pending_deletion_error(rec, err);
	if ((state = strdup(KMS_STATE_PENDING_DELETION)) == NULL)
		return STATUS_NO_MEMORY;
	free(rec->state);
	rec->state = state;
	rec->pending_window_days = days;
	rec->deletion_date = req->now_ms + days * MS_PER_DAY;
	log_info("KMS key %s scheduled for deletion in %lld days", rec->arn,
	    (long long)days);
	return store_kms_key_update(txn, rec);
}

enum status
core_kms_schedule_deletion(struct core_request *req, const char *key_id,
    bool has_days, int64_t days, struct kms_key_info *out, struct error *err)
{
	if (!has_days)
		days = KMS_PENDING_WINDOW_DEFAULT;
	if (days < KMS_PENDING_WINDOW_MIN)
		return error_set(err, STATUS_VALIDATION, "1 validation error "
		    "detected: Value '%lld' at 'pendingWindowInDays' failed to "
		    "satisfy constraint: Member must have value greater than or "
		    "equal to %d", (long long)days, KMS_PENDING_WINDOW_MIN);
	if (days > KMS_PENDING_WINDOW_MAX)
		return error_set(err, STATUS_VALIDATION, "1 validation error "
		    "detected: Value '%lld' at 'pendingWindowInDays' failed to "
		    "satisfy constraint: Member must have value less than or "
		    "equal to %d", (long long)days, KMS_PENDING_WINDOW_MAX);
	return key_change(req, key_id, change_schedule_deletion, &days, out,
	    err);
}

static enum status
change_cancel_deletion(struct core_request *req, struct store_txn *txn,
    struct kms_key_record *rec, void *arg, struct error *err)
{
	char	*state;

	if (!is_pending_deletion(rec))
		return error_set(err, STATUS_KMS_INVALID_STATE, "%s is not "
		    "pending deletion.", rec->arn);
	if ((state = strdup(KMS_STATE_DISABLED)) == NULL)
		return STATUS_NO_MEMORY;
	free(rec->state);
	rec->state = state;
	rec->deletion_date = 0;
	rec->pending_window_days = 0;
	return store_kms_key_update(txn, rec);
}

enum status
core_kms_cancel_deletion(struct core_request *req, const char *key_id,
    struct kms_key_info *out, struct error *err)
{
	return key_change(req, key_id, change_cancel_deletion, NULL, out, err);
}

/* ---- listing ---- */

static size_t
limit_or_default(size_t limit)
{
	return limit == 0 ? 100 : limit > 1000 ? 1000 : limit;
}

static enum status
marker_error(struct error *err)
{
	return error_set(err, STATUS_INVALID_NEXT_TOKEN, "Invalid marker.");
}

enum status
core_kms_list_keys(struct core_request *req, const char *marker,
    size_t limit, struct kms_list_output *out, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct kms_list_output	 l;
	size_t			 keep = 0;
	enum status		 st;

	memset(&l, 0, sizeof(l));
	limit = limit_or_default(limit);
	if (marker != NULL && strlen(marker) != KMS_KEY_ID_LEN) {
		st = marker_error(err);
		goto out;
	}
	if ((st = authorize_any(req, err)) != STATUS_OK)
		goto out;
	if ((st = store_begin(req->env->store, false, &txn)) != STATUS_OK)
		goto out;
	if ((st = store_kms_key_list(txn, req->account_id, req->region, marker,
	    limit + 1, &l.keys, &l.key_count)) != STATUS_OK)
		goto out;
	if (l.key_count > limit) {
		if ((l.next_marker = strdup(l.keys[limit - 1].key_id)) ==
		    NULL) {
			st = STATUS_NO_MEMORY;
			goto out;
		}
		kms_key_record_cleanup(&l.keys[limit]);
		l.key_count = limit;
	}
	/* Keys whose deletion date has come are gone. */
	for (size_t i = 0; i < l.key_count; i++) {
		if (strcmp(l.keys[i].state, KMS_STATE_PENDING_DELETION) == 0 &&
		    l.keys[i].deletion_date <= req->now_ms) {
			kms_key_record_cleanup(&l.keys[i]);
			continue;
		}
		if (keep != i) {
			l.keys[keep] = l.keys[i];
			memset(&l.keys[i], 0, sizeof(l.keys[i]));
		}
		keep++;
	}
	l.key_count = keep;
	*out = l;
	memset(&l, 0, sizeof(l));
out:
	store_rollback(txn);
	kms_list_output_cleanup(&l);
	return st;
}

enum status
core_kms_list_aliases(struct core_request *req, const char *key_id,
    const char *marker, size_t limit, struct kms_list_output *out,
    struct error *err)
{
	struct store_txn	*txn = NULL;
	struct kms_list_output	 l;
	struct kms_key_record	 rec;
	enum status		 st;

	memset(&l, 0, sizeof(l));
	memset(&rec, 0, sizeof(rec));
	limit = limit_or_default(limit);
	if (marker != NULL && strncmp(marker, "alias/", 6) != 0) {
		st = marker_error(err);
		goto out;
	}
	if ((st = store_begin(req->env->store, false, &txn)) != STATUS_OK)
		goto out;
	if (key_id != NULL) {
		if ((st = key_load(req, txn, key_id, &rec, err)) != STATUS_OK)
			goto out;
	} else if ((st = authorize_any(req, err)) != STATUS_OK)
		goto out;
	if ((st = store_kms_alias_list(txn, req->account_id, req->region,
	    key_id != NULL ? rec.key_id : NULL, marker, limit + 1, &l.aliases,
	    &l.alias_count)) != STATUS_OK)
		goto out;
	if (l.alias_count > limit) {
		if ((l.next_marker = strdup(l.aliases[limit - 1].alias_name)) ==
		    NULL) {
			st = STATUS_NO_MEMORY;
			goto out;
		}
		free(l.aliases[limit].alias_name);
		free(l.aliases[limit].key_id);
		l.alias_count = limit;
	}
	*out = l;
	memset(&l, 0, sizeof(l));
out:
	store_rollback(txn);
	kms_key_record_cleanup(&rec);
	kms_list_output_cleanup(&l);
	return st;
}

enum status
core_kms_list_tags(struct core_request *req, const char *key_id,
    const char *marker, size_t limit, struct kms_list_output *out,
    struct error *err)
{
	struct store_txn	*txn = NULL;
	struct kms_list_output	 l;
	struct kms_key_record	 rec;
	struct tag		*all = NULL;
	size_t			 all_count = 0, first = 0;
	enum status		 st;

	memset(&l, 0, sizeof(l));
	memset(&rec, 0, sizeof(rec));
	limit = limit_or_default(limit);
	if ((st = store_begin(req->env->store, false, &txn)) != STATUS_OK)
		goto out;
	if ((st = key_load(req, txn, key_id, &rec, err)) != STATUS_OK)
		goto out;
	if ((st = store_kms_tags_get(txn, rec.key_id, &all, &all_count)) !=
	    STATUS_OK)
		goto out;
	if (marker != NULL) {
		while (first < all_count && strcmp(all[first].key, marker) <= 0)
			first++;
		if (first == 0 || strcmp(all[first - 1].key, marker) != 0) {
			st = marker_error(err);
			goto out;
		}
	}
	if ((l.tags = calloc(limit + 1, sizeof(*l.tags))) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	for (size_t i = first; i < all_count && l.tag_count < limit; i++) {
		l.tags[l.tag_count++] = all[i];
		memset(&all[i], 0, sizeof(all[i]));
	}
	if (first + l.tag_count < all_count &&
	    (l.next_marker = strdup(l.tags[l.tag_count - 1].key)) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	*out = l;
	memset(&l, 0, sizeof(l));
out:
	store_rollback(txn);
	tags_free(all, all_count);
	kms_key_record_cleanup(&rec);
	kms_list_output_cleanup(&l);
	return st;
}

enum status
core_kms_list_rotations(struct core_request *req, const char *key_id,
    const char *marker, size_t limit, struct kms_list_output *out,
    struct error *err)
{
	struct store_txn	*txn = NULL;
	struct kms_list_output	 l;
	struct kms_key_record	 rec;
	struct kms_key_version_record *all = NULL;
	size_t			 all_count = 0;
	int64_t			 after = 1;
	char			*end;
	enum status		 st;

	memset(&l, 0, sizeof(l));
	memset(&rec, 0, sizeof(rec));
	limit = limit_or_default(limit);
	if (marker != NULL) {
		after = strtoll(marker, &end, 10);
		if (end == marker || *end != '\0' || after < 1) {
			st = marker_error(err);
			goto out;
		}
	}
	if ((st = store_begin(req->env->store, false, &txn)) != STATUS_OK)
		goto out;
	if ((st = key_load(req, txn, key_id, &rec, err)) != STATUS_OK)
		goto out;
	if (is_pending_deletion(&rec)) {
		st = pending_deletion_error(&rec, err);
		goto out;
	}
	if ((st = store_kms_key_version_list(txn, rec.key_id, &all,
	    &all_count)) != STATUS_OK)
		goto out;
	if ((l.versions = calloc(limit + 1, sizeof(*l.versions))) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	/* Version 1 is the material the key was made with, no rotation. */
	for (size_t i = 0; i < all_count; i++) {
		if (all[i].version <= after)
			continue;
		if (l.version_count == limit) {
			if (asprintf(&l.next_marker, "%lld", (long long)
			    l.versions[l.version_count - 1].version) < 0) {
				l.next_marker = NULL;
				st = STATUS_NO_MEMORY;
				goto out;
			}
			break;
		}
		l.versions[l.version_count++] = all[i];
		memset(&all[i], 0, sizeof(all[i]));
	}
	if ((l.key_arn = strdup(rec.arn)) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	*out = l;
	memset(&l, 0, sizeof(l));
out:
	store_rollback(txn);
	kms_key_version_records_free(all, all_count);
	kms_key_record_cleanup(&rec);
	kms_list_output_cleanup(&l);
	return st;
}

/* ---- aliases ---- */

/* AWS's rules for a name the caller may create or change. */
static enum status
alias_name_check(const char *alias_name, struct error *err)
{
	if (strncmp(alias_name, "alias/", 6) != 0 || alias_name[6] == '\0')
		return error_set(err, STATUS_KMS_INVALID_ALIAS_NAME,
		    MSG_ALIAS_PREFIX);
	if (strncmp(alias_name, "alias/aws/", 10) == 0)
		return error_set(err, STATUS_KMS_INVALID_ALIAS_NAME, "Alias "
		    "names that begin with \"alias/aws/\" are reserved for AWS "
		    "managed keys.");
	for (const char *p = alias_name + 6; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '/' || *p == '_' ||
		    *p == '-'))
			return error_set(err, STATUS_KMS_INVALID_ALIAS_NAME,
			    "Alias name %s contains characters that are not "
			    "allowed: use letters, digits, '/', '_' and '-'.",
			    alias_name);
	return STATUS_OK;
}

/* The alias target: found, authorised, not pending deletion, not AWS's. */
static enum status
alias_target_load(struct core_request *req, struct store_txn *txn,
    const char *target_key_id, struct kms_key_record *rec, struct error *err)
{
	enum status	 st;

	if (strncmp(target_key_id, "alias/", 6) == 0 ||
	    strstr(target_key_id, ":alias/") != NULL)
		return error_set(err, STATUS_VALIDATION, "1 validation error "
		    "detected: Value '%s' at 'targetKeyId' failed to satisfy "
		    "constraint: Member must be a key ID or key ARN",
		    target_key_id);
	if ((st = key_load(req, txn, target_key_id, rec, err)) != STATUS_OK)
		return st;
	if (is_pending_deletion(rec))
		st = pending_deletion_error(rec, err);
	else if (is_aws_managed(rec))
		st = aws_managed_error(rec, err);
	if (st != STATUS_OK)
		kms_key_record_cleanup(rec);
	return st;
}

enum status
core_kms_alias_create(struct core_request *req, const char *alias_name,
    const char *target_key_id, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct kms_key_record	 rec;
	enum status		 st;

	memset(&rec, 0, sizeof(rec));
	if ((st = alias_name_check(alias_name, err)) != STATUS_OK)
		goto out;
	if ((st = store_begin(req->env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = alias_target_load(req, txn, target_key_id, &rec, err)) !=
	    STATUS_OK)
		goto out;
	st = store_kms_alias_put(txn, req->account_id, req->region, alias_name,
	    rec.key_id, req->now_ms);
	if (st == STATUS_EXISTS) {
		error_set(err, st, "An alias with the name arn:aws:kms:%s:%s:%s "
		    "already exists", req->region, req->account_id, alias_name);
		goto out;
	}
	if (st != STATUS_OK)
		goto out;
	st = commit_or_fail(&txn);
out:
	store_rollback(txn);
	kms_key_record_cleanup(&rec);
	return st;
}

static enum status
alias_not_found(struct core_request *req, const char *alias_name,
    struct error *err)
{
	return error_set(err, STATUS_NOT_FOUND, "Alias arn:aws:kms:%s:%s:%s is "
	    "not found.", req->region, req->account_id, alias_name);
}

enum status
core_kms_alias_update(struct core_request *req, const char *alias_name,
    const char *target_key_id, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct kms_key_record	 rec;
	char			*old_key_id = NULL;
	enum status		 st;

	memset(&rec, 0, sizeof(rec));
	if ((st = alias_name_check(alias_name, err)) != STATUS_OK)
		goto out;
	if ((st = store_begin(req->env->store, true, &txn)) != STATUS_OK)
		goto out;
	st = store_kms_alias_get(txn, req->account_id, req->region, alias_name,
	    &old_key_id);
	if (st == STATUS_NOT_FOUND) {
		alias_not_found(req, alias_name, err);
		goto out;
	}
	if (st != STATUS_OK)
		goto out;
	if ((st = alias_target_load(req, txn, target_key_id, &rec, err)) !=
	    STATUS_OK)
		goto out;
	if ((st = store_kms_alias_update(txn, req->account_id, req->region,
	    alias_name, rec.key_id, req->now_ms)) != STATUS_OK)
		goto out;
	st = commit_or_fail(&txn);
out:
	store_rollback(txn);
	free(old_key_id);
	kms_key_record_cleanup(&rec);
	return st;
}

enum status
core_kms_alias_delete(struct core_request *req, const char *alias_name,
    struct error *err)
{
	struct store_txn	*txn = NULL;
	struct kms_key_record	 rec;
	char			*key_id = NULL;
	enum status		 st;

	memset(&rec, 0, sizeof(rec));
	if ((st = alias_name_check(alias_name, err)) != STATUS_OK)
		goto out;
	if ((st = store_begin(req->env->store, true, &txn)) != STATUS_OK)
		goto out;
	st = store_kms_alias_get(txn, req->account_id, req->region, alias_name,
	    &key_id);
	if (st == STATUS_NOT_FOUND) {
		alias_not_found(req, alias_name, err);
		goto out;
	}
	if (st != STATUS_OK)
		goto out;
	/* Authorised on the key the alias names (it may be pending
	 * deletion: an alias can always be removed). */
	if ((st = key_load(req, txn, key_id, &rec, err)) != STATUS_OK &&
	    st != STATUS_NOT_FOUND)
		goto out;
	if (st == STATUS_NOT_FOUND) {
		error_clear(err);
		if ((st = authorize_any(req, err)) != STATUS_OK)
			goto out;
	}
	if ((st = store_kms_alias_delete(txn, req->account_id, req->region,
	    alias_name)) != STATUS_OK)
		goto out;
	st = commit_or_fail(&txn);
out:
	store_rollback(txn);
	free(key_id);
	kms_key_record_cleanup(&rec);
	return st;
}

/* ---- key policies ---- */

static enum status
policy_name_check(const char *policy_name, struct error *err)
{
	if (policy_name != NULL && strcmp(policy_name, DEFAULT_POLICY_NAME) !=
	    0)
		return error_set(err, STATUS_NOT_FOUND, "No such policy exists: "
		    "%s. The only key policy name is \"default\".",
		    policy_name);
	return STATUS_OK;
}

enum status
core_kms_policy_get(struct core_request *req, const char *key_id,
    const char *policy_name, struct kms_key_info *out, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct kms_key_info	 info;
	enum status		 st;

	memset(&info, 0, sizeof(info));
	if ((st = store_begin(req->env->store, false, &txn)) != STATUS_OK)
		goto out;
	if ((st = key_load(req, txn, key_id, &info.key, err)) != STATUS_OK ||
	    (st = policy_name_check(policy_name, err)) != STATUS_OK)
		goto out;
	info.policy = info.key.policy != NULL ? strdup(info.key.policy) :
	    core_kms_default_policy(&info.key);
	if (info.policy == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	*out = info;
	memset(&info, 0, sizeof(info));
out:
	store_rollback(txn);
	kms_key_info_cleanup(&info);
	return st;
}

struct policy_change {
	const char	*name;
	const char	*policy;
	bool		 bypass_lockout_check;
};

static enum status
change_policy(struct core_request *req, struct store_txn *txn,
    struct kms_key_record *rec, void *arg, struct error *err)
{
	const struct policy_change *pc = arg;
	char		*copy;
	enum status	 st;

	if ((st = policy_name_check(pc->name, err)) != STATUS_OK)
		return st;
	if (is_aws_managed(rec))
		return aws_managed_error(rec, err);
	if ((st = key_policy_check(pc->policy, err)) != STATUS_OK ||
	    (st = key_policy_lockout_check(req, rec, pc->policy,
	    pc->bypass_lockout_check, err)) != STATUS_OK)
		return st;
	if ((copy = strdup(pc->policy)) == NULL)
		return STATUS_NO_MEMORY;
	free(rec->policy);
	rec->policy = copy;
	return store_kms_key_update(txn, rec);
}

enum status
core_kms_policy_put(struct core_request *req, const char *key_id,
    const char *policy_name, const char *policy, bool bypass_lockout_check,
    struct error *err)
{
	struct policy_change pc = { policy_name, policy, bypass_lockout_check };

	return key_change(req, key_id, change_policy, &pc, NULL, err);
}

/* ---- rotation ---- */

/* The checks every rotation change makes. */
static enum status
rotation_change_check(const struct kms_key_record *rec, struct error *err)
{
	if (is_aws_managed(rec))
		return aws_managed_error(rec, err);
	return kms_key_usable(rec, err);
}

static enum status
change_rotation(struct core_request *req, struct store_txn *txn,
    struct kms_key_record *rec, void *arg, struct error *err)
{
	int64_t		 period = *(int64_t *)arg;
	enum status	 st;

	if ((st = rotation_change_check(rec, err)) != STATUS_OK)
		return st;
	if (period > 0 && (rec->rotation_period_days != period ||
	    rec->next_rotation_at == 0))
		rec->next_rotation_at = req->now_ms + period * MS_PER_DAY;
	else if (period == 0)
		rec->next_rotation_at = 0;
	rec->rotation_period_days = period;
	return store_kms_key_update(txn, rec);
}

enum status
core_kms_rotation_enable(struct core_request *req, const char *key_id,
    int64_t period_days, struct error *err)
{
	if (period_days == 0)
		period_days = KMS_ROTATION_PERIOD_DEFAULT;
	return key_change(req, key_id, change_rotation, &period_days, NULL,
	    err);
}

enum status
core_kms_rotation_disable(struct core_request *req, const char *key_id,
    struct error *err)
{
	int64_t	 none = 0;

	return key_change(req, key_id, change_rotation, &none, NULL, err);
}

/* Versions made by on-demand rotations, and when the last was. */
static enum status
on_demand_count(struct store_txn *txn, const char *key_id, size_t *count,
    int64_t *last_at)
{
	struct kms_key_version_record *v = NULL;
	size_t		 n = 0;
	enum status	 st;

	*count = 0;
	*last_at = 0;
	if ((st = store_kms_key_version_list(txn, key_id, &v, &n)) != STATUS_OK)
		return st;
	for (size_t i = 0; i < n; i++)
		if (v[i].rotation_type != NULL &&
		    strcmp(v[i].rotation_type, KMS_ROTATION_ON_DEMAND) == 0) {
			(*count)++;
			*last_at = v[i].created_at;
		}
	kms_key_version_records_free(v, n);
	return STATUS_OK;
}

enum status
core_kms_rotation_status(struct core_request *req, const char *key_id,
    struct kms_key_info *out, int64_t *on_demand_at, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct kms_key_info	 info;
	size_t			 count;
	enum status		 st;

	memset(&info, 0, sizeof(info));
	if ((st = store_begin(req->env->store, false, &txn)) != STATUS_OK)
		goto out;
	if ((st = key_load(req, txn, key_id, &info.key, err)) != STATUS_OK)
		goto out;
	if ((st = on_demand_count(txn, info.key.key_id, &count,
	    on_demand_at)) != STATUS_OK)
		goto out;
	*out = info;
	memset(&info, 0, sizeof(info));
out:
	store_rollback(txn);
	kms_key_info_cleanup(&info);
	return st;
}

static enum status
change_rotate_now(struct core_request *req, struct store_txn *txn,
    struct kms_key_record *rec, void *arg, struct error *err)
{
	size_t		 count;
	int64_t		 last_at;
	enum status	 st;

	if ((st = rotation_change_check(rec, err)) != STATUS_OK)
		return st;
	if ((st = on_demand_count(txn, rec->key_id, &count, &last_at)) !=
	    STATUS_OK)
		return st;
	if (count >= KMS_ON_DEMAND_ROTATIONS_MAX)
		return error_set(err, STATUS_LIMIT_EXCEEDED, "You have reached "
		    "the maximum of %d on-demand rotations for %s.",
		    KMS_ON_DEMAND_ROTATIONS_MAX, rec->arn);
	return kms_key_rotate(req->env, txn, rec, KMS_ROTATION_ON_DEMAND,
	    req->now_ms);
}

enum status
core_kms_rotate_now(struct core_request *req, const char *key_id,
    struct kms_key_info *out, struct error *err)
{
	return key_change(req, key_id, change_rotate_now, NULL, out, err);
}

/* ---- tags ---- */

struct tag_change {
	const struct tag	*add;
	size_t			 add_count;
	const char *const	*remove;
	size_t			 remove_count;
};

static enum status
change_tags(struct core_request *req, struct store_txn *txn,
    struct kms_key_record *rec, void *arg, struct error *err)
{
	const struct tag_change *tc = arg;
	struct tag	*old = NULL, *merged = NULL;
	size_t		 old_count = 0, n = 0;
	enum status	 st;

	if (is_aws_managed(rec))
		return aws_managed_error(rec, err);
	if (is_pending_deletion(rec))
		return pending_deletion_error(rec, err);
	if ((st = store_kms_tags_get(txn, rec->key_id, &old, &old_count)) !=
	    STATUS_OK)
		return st;
	if ((merged = calloc(old_count + tc->add_count + 1,
	    sizeof(*merged))) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	for (size_t i = 0; i < old_count; i++) {
		bool is_dropped = false;

		for (size_t j = 0; !is_dropped && j < tc->add_count; j++)
			is_dropped = strcmp(old[i].key, tc->add[j].key) == 0;
		for (size_t j = 0; !is_dropped && j < tc->remove_count; j++)
			is_dropped = strcmp(old[i].key, tc->remove[j]) == 0;
		if (!is_dropped)
			merged[n++] = old[i];
	}
	for (size_t j = 0; j < tc->add_count; j++)
		merged[n++] = tc->add[j];
	if ((st = tags_check(merged, n, err)) != STATUS_OK)
		goto out;
	st = store_kms_tags_put(txn, rec->key_id, merged, n);
out:
	free(merged);		/* borrowed strings */
	tags_free(old, old_count);
	return st;
}

enum status
core_kms_tag(struct core_request *req, const char *key_id,
    const struct tag *tags, size_t count, struct error *err)
{
	struct tag_change tc = { tags, count, NULL, 0 };
	enum status	 st;

	if ((st = tags_check(tags, count, err)) != STATUS_OK)
		return st;
	return key_change(req, key_id, change_tags, &tc, NULL, err);
}

enum status
core_kms_untag(struct core_request *req, const char *key_id,
    const char *const *keys, size_t count, struct error *err)
{
	struct tag_change tc = { NULL, 0, keys, count };

	return key_change(req, key_id, change_tags, &tc, NULL, err);
}

/* ---- cryptography ---- */

/* req->kms_context for a direct call (no ViaService). */
static void
direct_context(struct core_request *req, struct kms_context *ctx,
    const struct kms_context_pair *pairs, size_t count)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->caller_account = req->account_id;
	ctx->encryption_context = pairs;
	ctx->encryption_context_count = count;
	req->kms_context = ctx;
}

/* Rotate the key now if its automatic rotation is due. */
static enum status
rotation_catch_up(struct core_request *req, const char *key_id)
{
	struct store_txn	*txn = NULL;
	struct kms_key_record	 rec;
	enum status		 st;

	memset(&rec, 0, sizeof(rec));
	if ((st = store_begin(req->env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = store_kms_key_get(txn, req->account_id, req->region, key_id,
	    &rec)) != STATUS_OK)
		goto out;
	if (strcmp(rec.state, KMS_STATE_ENABLED) != 0 ||
	    rec.rotation_period_days <= 0 || rec.next_rotation_at == 0 ||
	    rec.next_rotation_at > req->now_ms) {
		st = STATUS_OK;
		goto out;
	}
	if ((st = kms_key_rotate(req->env, txn, &rec, KMS_ROTATION_AUTOMATIC,
	    req->now_ms)) != STATUS_OK)
		goto out;
	st = commit_or_fail(&txn);
out:
	store_rollback(txn);
	kms_key_record_cleanup(&rec);
	return st;
}

/*
 * Begin a read transaction holding the usable key key_id, with its
 * automatic rotation caught up first.
 */
static enum status
encrypt_key_load(struct core_request *req, const char *key_id,
    struct store_txn **txn, struct kms_key_record *rec, struct error *err)
{
	enum status	 st;

	for (int attempt = 0; attempt < 2; attempt++) {
		if ((st = store_begin(req->env->store, false, txn)) != STATUS_OK)
			return st;
		if ((st = key_load(req, *txn, key_id, rec, err)) != STATUS_OK ||
		    (st = kms_key_usable(rec, err)) != STATUS_OK)
			break;
		if (attempt > 0 || rec->rotation_period_days <= 0 ||
		    rec->next_rotation_at == 0 ||
		    rec->next_rotation_at > req->now_ms ||
		    strcmp(rec->account_id, req->account_id) != 0)
			return STATUS_OK;
		store_rollback(*txn);
		*txn = NULL;
		if ((st = rotation_catch_up(req, rec->key_id)) != STATUS_OK)
			return st;
		kms_key_record_cleanup(rec);
	}
	store_rollback(*txn);
	*txn = NULL;
	kms_key_record_cleanup(rec);
	return st;
}

static enum status
seal_under(struct core_request *req, struct store_txn *txn,
    const struct kms_key_record *rec, const struct kms_context_pair *context,
    size_t context_count, const void *plain, size_t plain_len,
    unsigned char **blob, size_t *blob_len)
{
	struct secret_buf	*material = NULL;
	enum status		 st;

	if ((st = kms_material_get(req, txn, rec, rec->current_version,
	    &material)) != STATUS_OK)
		return st;
	st = kms_blob_seal(material, rec->key_id,
	    (uint32_t)rec->current_version, context, context_count, plain,
	    plain_len, blob, blob_len);
	secret_buf_free(material);
	return st == STATUS_ENCRYPTION_FAILURE ? STATUS_INTERNAL : st;
}

enum status
core_kms_encrypt(struct core_request *req, const char *key_id,
    const struct kms_context_pair *context, size_t context_count,
    const struct secret_buf *plain, unsigned char **blob, size_t *blob_len,
    char **key_arn, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct kms_key_record	 rec;
	struct kms_context	 ctx;
	char			*arn = NULL;
	enum status		 st;

	memset(&rec, 0, sizeof(rec));
	direct_context(req, &ctx, context, context_count);
	if ((st = encrypt_key_load(req, key_id, &txn, &rec, err)) != STATUS_OK)
		goto out;
	if ((st = seal_under(req, txn, &rec, context, context_count,
	    plain->data, plain->len, blob, blob_len)) != STATUS_OK)
		goto out;
	if ((arn = strdup(rec.arn)) == NULL) {
		free(*blob);
		*blob = NULL;
		st = STATUS_NO_MEMORY;
		goto out;
	}
	*key_arn = arn;
out:
	req->kms_context = NULL;
	store_rollback(txn);
	kms_key_record_cleanup(&rec);
	return st;
}

/* Open blob with the key it names (checked against key_id when given). */
static enum status
open_blob(struct core_request *req, struct store_txn *txn, const char *key_id,
    const struct kms_context_pair *context, size_t context_count,
    const unsigned char *blob, size_t blob_len, struct kms_key_record *rec,
    struct secret_buf **plain, struct error *err)
{
	struct kms_blob_header	 h;
	struct secret_buf	*material = NULL;
	enum status		 st;

	if (kms_blob_header_parse(blob, blob_len, &h) != STATUS_OK)
		return error_set(err, STATUS_KMS_INVALID_CIPHERTEXT, NULL);
	if (key_id != NULL) {
		if ((st = key_load(req, txn, key_id, rec, err)) != STATUS_OK)
			return st;
		if (strcmp(rec->key_id, h.key_id) != 0) {
			kms_key_record_cleanup(rec);
			return error_set(err, STATUS_KMS_INCORRECT_KEY,
			    MSG_INCORRECT_KEY);
		}
	} else if ((st = key_load(req, txn, h.key_id, rec, err)) != STATUS_OK)
		return st;
	if ((st = kms_key_usable(rec, err)) != STATUS_OK)
		goto fail;
	if ((st = kms_material_get(req, txn, rec, h.key_version, &material)) !=
	    STATUS_OK) {
		if (st == STATUS_NOT_FOUND)
			st = error_set(err, STATUS_KMS_INVALID_CIPHERTEXT,
			    NULL);
		goto fail;
	}
	st = kms_blob_open(material, context, context_count, blob, blob_len,
	    plain);
	secret_buf_free(material);
	if (st != STATUS_OK) {
		st = error_set(err, STATUS_KMS_INVALID_CIPHERTEXT, NULL);
		goto fail;
	}
	return STATUS_OK;
fail:
	kms_key_record_cleanup(rec);
	return st;
}

enum status
core_kms_decrypt(struct core_request *req, const char *key_id,
    const struct kms_context_pair *context, size_t context_count,
    const unsigned char *blob, size_t blob_len, struct secret_buf **plain,
    char **key_arn, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct kms_key_record	 rec;
	struct kms_context	 ctx;
	struct secret_buf	*p = NULL;
	enum status		 st;

	memset(&rec, 0, sizeof(rec));
	direct_context(req, &ctx, context, context_count);
	if ((st = store_begin(req->env->store, false, &txn)) != STATUS_OK)
		goto out;
	if ((st = open_blob(req, txn, key_id, context, context_count, blob,
	    blob_len, &rec, &p, err)) != STATUS_OK)
		goto out;
	if ((*key_arn = strdup(rec.arn)) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	*plain = p;
	p = NULL;
out:
	req->kms_context = NULL;
	store_rollback(txn);
	secret_buf_free(p);
	kms_key_record_cleanup(&rec);
	return st;
}

enum status
core_kms_reencrypt(struct core_request *req,
    const struct kms_reencrypt_input *in, unsigned char **blob,
    size_t *blob_len, char **source_arn, char **destination_arn,
    struct error *err)
{
	struct store_txn	*txn = NULL;
	struct kms_key_record	 src, dst;
	struct kms_context	 ctx;
	struct secret_buf	*plain = NULL;
	const char		*action = req->action;
	char			*sarn = NULL, *darn = NULL;
	enum status		 st;

	memset(&src, 0, sizeof(src));
	memset(&dst, 0, sizeof(dst));
	/* AWS asks for kms:ReEncryptFrom on the source key and
	 * kms:ReEncryptTo on the destination. */
	req->action = "kms:ReEncryptTo";
	direct_context(req, &ctx, in->destination_context,
	    in->destination_context_count);
	if ((st = encrypt_key_load(req, in->destination_key_id, &txn, &dst,
	    err)) != STATUS_OK)
		goto out;
	req->action = "kms:ReEncryptFrom";
	direct_context(req, &ctx, in->source_context,
	    in->source_context_count);
	if ((st = open_blob(req, txn, in->source_key_id, in->source_context,
	    in->source_context_count, in->blob, in->blob_len, &src, &plain,
	    err)) != STATUS_OK)
		goto out;
	if ((st = seal_under(req, txn, &dst, in->destination_context,
	    in->destination_context_count, plain->data, plain->len, blob,
	    blob_len)) != STATUS_OK)
		goto out;
	if ((sarn = strdup(src.arn)) == NULL ||
	    (darn = strdup(dst.arn)) == NULL) {
		free(*blob);
		*blob = NULL;
		st = STATUS_NO_MEMORY;
		goto out;
	}
	*source_arn = sarn;
	*destination_arn = darn;
	sarn = darn = NULL;
out:
	req->action = action;
	req->kms_context = NULL;
	store_rollback(txn);
	secret_buf_free(plain);
	free(sarn);
	free(darn);
	kms_key_record_cleanup(&src);
	kms_key_record_cleanup(&dst);
	return st;
}

enum status
core_kms_generate_data_key(struct core_request *req, const char *key_id,
    const struct kms_context_pair *context, size_t context_count,
    size_t key_len, struct secret_buf **plain, unsigned char **blob,
    size_t *blob_len, char **key_arn, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct kms_key_record	 rec;
	struct kms_context	 ctx;
	struct secret_buf	*data_key = NULL;
	enum status		 st;

	memset(&rec, 0, sizeof(rec));
	direct_context(req, &ctx, context, context_count);
	if ((st = encrypt_key_load(req, key_id, &txn, &rec, err)) != STATUS_OK)
		goto out;
	if ((data_key = secret_buf_new(key_len)) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	if ((st = random_bytes(data_key->data, key_len)) != STATUS_OK)
		goto out;
	data_key->len = key_len;
	if ((st = seal_under(req, txn, &rec, context, context_count,
	    data_key->data, data_key->len, blob, blob_len)) != STATUS_OK)
		goto out;
	if ((*key_arn = strdup(rec.arn)) == NULL) {
		free(*blob);
		*blob = NULL;
		st = STATUS_NO_MEMORY;
		goto out;
	}
	if (plain != NULL) {
		*plain = data_key;
		data_key = NULL;
	}
out:
	req->kms_context = NULL;
	store_rollback(txn);
	secret_buf_free(data_key);
	kms_key_record_cleanup(&rec);
	return st;
}

enum status
core_kms_generate_random(struct core_request *req, size_t len,
    struct secret_buf **out, struct error *err)
{
	struct secret_buf	*buf;
	enum status		 st;

	if ((st = authorize_any(req, err)) != STATUS_OK)
		return st;
	if ((buf = secret_buf_new(len)) == NULL)
		return STATUS_NO_MEMORY;
	if ((st = random_bytes(buf->data, len)) != STATUS_OK) {
		secret_buf_free(buf);
		return st;
	}
	buf->len = len;
	*out = buf;
	return STATUS_OK;
}

/* ---- background work ---- */

enum status
core_kms_maintain(const struct core_env *env, int64_t now_ms, size_t *deleted,
    size_t *rotated)
{
	struct store_txn	*txn = NULL;
	struct kms_key_record	*due = NULL, rec;
	size_t			 due_count = 0;
	enum status		 st;

	*deleted = *rotated = 0;
	memset(&rec, 0, sizeof(rec));
	if ((st = store_begin(env->store, false, &txn)) != STATUS_OK)
		return st;
	st = store_kms_key_list_due(txn, now_ms, 100, &due, &due_count);
	store_rollback(txn);
	txn = NULL;
	if (st != STATUS_OK)
		return st;
	for (size_t i = 0; i < due_count; i++) {
		if ((st = store_begin(env->store, true, &txn)) != STATUS_OK)
			goto out;
		/* Re-read: the key may have changed since the list. */
		if ((st = store_kms_key_get(txn, due[i].account_id,
		    due[i].region, due[i].key_id, &rec)) != STATUS_OK) {
			store_rollback(txn);
			txn = NULL;
			continue;
		}
		if (key_is_due_for_deletion(&rec, now_ms)) {
			if ((st = store_kms_key_delete(txn, rec.key_id)) !=
			    STATUS_OK)
				goto out;
			log_info("KMS key %s deleted: its waiting period "
			    "ended", rec.arn);
			(*deleted)++;
		} else if (strcmp(rec.state, KMS_STATE_ENABLED) == 0 &&
		    rec.rotation_period_days > 0 && rec.next_rotation_at != 0 &&
		    rec.next_rotation_at <= now_ms) {
			if ((st = kms_key_rotate(env, txn, &rec,
			    KMS_ROTATION_AUTOMATIC, now_ms)) != STATUS_OK)
				goto out;
			(*rotated)++;
		}
		kms_key_record_cleanup(&rec);
		if ((st = commit_or_fail(&txn)) != STATUS_OK)
			goto out;
	}
	st = STATUS_OK;
out:
	store_rollback(txn);
	kms_key_record_cleanup(&rec);
	kms_key_records_free(due, due_count);
	return st;
}
