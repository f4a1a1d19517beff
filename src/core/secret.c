/*
 * secret.c: the lifecycle of a secret and its versions.
 *
 * Invariants kept here, inside one store transaction per operation:
 * - a staging label lives on at most one version of a secret (the store's
 *   primary key enforces it; store_stage_move keeps it while moving);
 * - when AWSCURRENT moves to a new version, AWSPREVIOUS moves to the version
 *   that held AWSCURRENT;
 * - a version id (ClientRequestToken) names exactly one value forever: the
 *   same token with the same value is a no-op, with another value an error;
 * - a secret scheduled for deletion can be described, restored or deleted,
 *   and nothing else.
 * Plaintext only passes through struct secret_buf and is compared in
 * constant time.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "common/log.h"
#include "common/str_copy.h"
#include "core/core.h"
#include "core/core_internal.h"

#define MSG_NOT_FOUND	"Secrets Manager can't find the specified secret."
#define MSG_DELETED	"You can't perform this operation on the secret " \
			"because it was marked for deletion."
#define MSG_VERSION_EXISTS "You can't modify an existing version, you can " \
			"only create a new version."

void
secret_write_output_cleanup(struct secret_write_output *out)
{
	free(out->arn);
	free(out->name);
	free(out->version_id);
	for (size_t i = 0; i < out->stage_count; i++)
		free(out->stages[i]);
	free(out->stages);
	replica_records_free(out->replicas, out->replica_count);
	memset(out, 0, sizeof(*out));
}

void
secret_value_output_cleanup(struct secret_value_output *out)
{
	secret_record_cleanup(&out->secret);
	version_record_cleanup(&out->version);
	secret_buf_free(out->value);
	memset(out, 0, sizeof(*out));
}

void
secret_description_cleanup(struct secret_description *d)
{
	secret_record_cleanup(&d->secret);
	tags_free(d->tags, d->tag_count);
	version_records_free(d->versions, d->version_count);
	replica_records_free(d->replicas, d->replica_count);
	memset(d, 0, sizeof(*d));
}

void
secret_list_output_cleanup(struct secret_list_output *out)
{
	for (size_t i = 0; i < out->item_count; i++)
		secret_description_cleanup(&out->items[i]);
	free(out->items);
	free(out->next_token);
	memset(out, 0, sizeof(*out));
}

void
secret_delete_output_cleanup(struct secret_delete_output *out)
{
	free(out->arn);
	free(out->name);
	memset(out, 0, sizeof(*out));
}

enum status
core_deleted_secret_error(struct core_request *req, struct error *err)
{
	req->is_deleted_secret_access = true;
	return error_set(err, STATUS_INVALID_REQUEST, MSG_DELETED);
}

static void
note_resource(struct core_request *req, const char *arn)
{
	(void)str_copy(req->resource_arn, sizeof(req->resource_arn), arn);
}

enum status
core_authorize(struct core_request *req, const char *arn, const char *account_id,
    struct error *err)
{
	note_resource(req, arn);
	if (req->authorize == NULL)
		return error_set(err, STATUS_ACCESS_DENIED, "Access denied.");
	return req->authorize(req->authorize_arg, req, req->action, arn,
	    account_id,
	    err);
}

enum status
core_secret_resolve(struct core_request *req, struct store_txn *txn,
    const char *secret_id, struct secret_record *out, struct error *err)
{
	struct arn_parts parts;
	enum status	 st;

	if (strncmp(secret_id, "arn:", 4) != 0) {
		st = store_secret_get_by_name(txn, req->account_id, req->region,
		    secret_id, out);
		goto out;
	}
	if (arn_parse(secret_id, &parts) != STATUS_OK ||
	    strcmp(parts.service, "secretsmanager") != 0 ||
	    strncmp(parts.resource, "secret:", 7) != 0 ||
	    parts.resource[7] == '\0' ||
	    strcmp(parts.region, req->region) != 0) {
		st = STATUS_NOT_FOUND;
		goto out;
	}
	st = store_secret_get_by_arn(txn, secret_id, out);
	if (st == STATUS_NOT_FOUND)	/* a partial ARN: no random suffix */
		st = store_secret_get_by_name(txn, parts.account_id,
		    parts.region, parts.resource + 7, out);
out:
	if (st == STATUS_NOT_FOUND)
		error_set(err, st, MSG_NOT_FOUND);
	return st;
}

enum status
core_secret_load(struct core_request *req, struct store_txn *txn,
    const char *secret_id, struct secret_record *out, struct error *err)
{
	struct secret_access_info info;
	struct arn_parts parts;
	enum status	 st;

	st = core_secret_resolve(req, txn, secret_id, out, err);
	if (st == STATUS_NOT_FOUND && arn_parse(secret_id, &parts) == STATUS_OK &&
	    strcmp(parts.account_id, req->account_id) != 0) {
		enum status ast = core_authorize(req, secret_id, parts.account_id, err);

		if (ast != STATUS_OK)
			return ast;
		error_set(err, st, MSG_NOT_FOUND);
		return st;
	}
	if (st != STATUS_OK) {
		if (st == STATUS_NOT_FOUND)
			note_resource(req, secret_id);
		return st;
	}
	/* What the authoriser reads of the secret comes from this
	 * transaction: one consistent view, and no second one. */
	memset(&info, 0, sizeof(info));
	if ((st = core_secret_access_read(txn, out, &info)) == STATUS_OK) {
		req->secret_access = &info;
		req->secret_access_arn = out->arn;
		st = core_authorize(req, out->arn, out->account_id, err);
		req->secret_access = NULL;
		req->secret_access_arn = NULL;
	}
	secret_access_info_cleanup(&info);
	if (st != STATUS_OK) {
		secret_record_cleanup(out);
		return st;
	}
	return STATUS_OK;
}

static char *
strdup_or_null(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

bool
core_stages_contain(char *const *stages, size_t count, const char *stage)
{
	for (size_t i = 0; i < count; i++)
		if (strcmp(stages[i], stage) == 0)
			return true;
	return false;
}

static enum status
output_fill(struct secret_write_output *out, const struct secret_record *secret,
    const char *version_id, char *const *stages, size_t stage_count)
{
	out->arn = strdup(secret->arn);
	out->name = strdup(secret->name);
	if (out->arn == NULL || out->name == NULL)
		return STATUS_NO_MEMORY;
	if (version_id == NULL)
		return STATUS_OK;
	if ((out->version_id = strdup(version_id)) == NULL)
		return STATUS_NO_MEMORY;
	if (stage_count == 0)
		return STATUS_OK;
	if ((out->stages = calloc(stage_count, sizeof(char *))) == NULL)
		return STATUS_NO_MEMORY;
	for (size_t i = 0; i < stage_count; i++) {
		if ((out->stages[i] = strdup(stages[i])) == NULL)
			return STATUS_NO_MEMORY;
		out->stage_count++;
	}
	return STATUS_OK;
}

/* Open a stored version's value (kms_key.c checks the key and opens). */
enum status
core_version_open(struct core_request *req, struct store_txn *txn,
    const struct secret_record *secret, const struct version_record *version,
    struct secret_buf **out, struct error *err)
{
	struct envelope_aad	 aad;
	struct sealed_value	 sealed;

	aad.account_id = secret->account_id;
	aad.secret_arn = secret->arn;
	aad.version_id = version->version_id;
	aad.is_binary = version->is_binary;
	sealed.ciphertext = version->ciphertext;
	sealed.ciphertext_len = version->ciphertext_len;
	sealed.wrapped_key = version->wrapped_key;
	sealed.wrapped_key_len = version->wrapped_key_len;
	return core_kms_version_open(req, txn, &aad, version->kms_key_arn,
	    &sealed, out, err);
}

/*
 * An existing version with this id: the same value makes the write a no-op
 * (STATUS_OK with *is_same set), another value is an error.
 * STATUS_NOT_FOUND when no such version exists.
 */
static enum status
version_idempotency_check(struct core_request *req, struct store_txn *txn,
    const struct secret_record *secret, const char *version_id,
    const struct secret_value_input *value, struct version_record *existing,
    struct error *err)
{
	struct secret_buf	*stored = NULL;
	enum status		 st;

	st = store_version_get(txn, secret->id, version_id, true, existing);
	if (st != STATUS_OK)
		return st;
	if (!value->is_present) {
		st = error_set(err, STATUS_EXISTS, MSG_VERSION_EXISTS);
		goto out;
	}
	if ((st = core_version_open(req, txn, secret, existing, &stored, err)) !=
	    STATUS_OK)
		goto out;
	if (existing->is_binary != value->is_binary ||
	    !secret_buf_equal(stored, value->value)) {
		st = error_set(err, STATUS_EXISTS, MSG_VERSION_EXISTS);
		goto out;
	}
	st = STATUS_OK;
out:
	secret_buf_free(stored);
	if (st != STATUS_OK)
		version_record_cleanup(existing);
	return st;
}

/* Seal and store a new version, then move its labels onto it. */
static enum status
version_create(struct core_request *req, struct store_txn *txn,
    struct secret_record *secret, const char *version_id,
    const struct secret_value_input *value, const char *const *stages,
    size_t stage_count, struct error *err)
{
	struct version_record	 rec, current;
	struct envelope_aad	 aad;
	struct sealed_value	 sealed;
	char			*key_arn = NULL;
	enum status		 st;

	memset(&rec, 0, sizeof(rec));
	memset(&current, 0, sizeof(current));
	memset(&sealed, 0, sizeof(sealed));
	aad.account_id = secret->account_id;
	aad.secret_arn = secret->arn;
	aad.version_id = version_id;
	aad.is_binary = value->is_binary;
	/* EncryptionFailure when the secret's key is disabled or pending
	 * deletion: never another key in its place. */
	if ((st = core_kms_version_seal(req, txn, secret->region,
	    secret->kms_key_id, &aad, value->value, &sealed, &key_arn, err)) !=
	    STATUS_OK)
		goto out;
	rec.secret_id = secret->id;
	rec.version_id = (char *)version_id;
	rec.created_at = req->now_ms;
	rec.is_binary = value->is_binary;
	rec.kms_key_arn = key_arn;
	rec.ciphertext = sealed.ciphertext;
	rec.ciphertext_len = sealed.ciphertext_len;
	rec.wrapped_key = sealed.wrapped_key;
	rec.wrapped_key_len = sealed.wrapped_key_len;
	if ((st = store_version_insert(txn, &rec)) != STATUS_OK) {
		if (st == STATUS_EXISTS)
			error_set(err, st, MSG_VERSION_EXISTS);
		goto out;
	}
	for (size_t i = 0; i < stage_count; i++) {
		if (strcmp(stages[i], STAGE_CURRENT) == 0) {
			st = store_version_get_by_stage(txn, secret->id,
			    STAGE_CURRENT, false, &current);
			if (st == STATUS_OK && strcmp(current.version_id,
			    version_id) != 0)
				st = store_stage_move(txn, secret->id,
				    STAGE_PREVIOUS, current.version_id);
			else if (st == STATUS_NOT_FOUND)
				st = STATUS_OK;
			version_record_cleanup(&current);
			if (st != STATUS_OK)
				goto out;
		}
		if ((st = store_stage_move(txn, secret->id, stages[i],
		    version_id)) != STATUS_OK)
			goto out;
	}
	secret->last_changed_at = req->now_ms;
	st = STATUS_OK;
out:
	sealed_value_cleanup(&sealed);
	free(key_arn);
	return st;
}

static enum status
token_or_new(const char *token, char buf[37], const char **out)
{
	enum status st;

	if (token != NULL) {
		*out = token;
		return STATUS_OK;
	}
	if ((st = core_uuid(buf)) != STATUS_OK)
		return st;
	*out = buf;
	return STATUS_OK;
}

enum status
core_secret_create(struct core_request *req, const struct secret_create_input *in,
    struct secret_write_output *out, struct error *err)
{
	static const char *const current[] = { STAGE_CURRENT };
	struct store_txn	*txn = NULL;
	struct secret_record	 rec, existing;
	struct version_record	 version;
	char			 suffix[SECRET_ARN_SUFFIX_LEN + 1], uuid[37];
	const char		*version_id = NULL;
	enum status		 st;

	memset(&rec, 0, sizeof(rec));
	memset(&existing, 0, sizeof(existing));
	memset(&version, 0, sizeof(version));
	if ((st = secret_name_validate(in->name, err)) != STATUS_OK ||
	    (st = core_tags_validate(in->tags, in->tag_count, err)) != STATUS_OK)
		goto out;
	if (in->value.is_present &&
	    (st = token_or_new(in->client_request_token, uuid, &version_id)) !=
	    STATUS_OK)
		goto out;
	if ((st = store_begin(req->env->store, true, &txn)) != STATUS_OK)
		goto out;

	st = store_secret_get_by_name(txn, req->account_id, req->region,
	    in->name, &existing);
	if (st == STATUS_OK) {
		if ((st = core_authorize(req, existing.arn, existing.account_id,
		    err)) != STATUS_OK)
			goto out;
		if (existing.deleted_at != 0) {
			st = error_set(err, STATUS_INVALID_REQUEST,
			    "You can't create this secret because a secret with "
			    "this name is already scheduled for deletion.");
			goto out;
		}
		/* A retried create (same token, same value) is a no-op. */
		if (version_id != NULL && in->client_request_token != NULL &&
		    version_idempotency_check(req, txn, &existing, version_id,
		    &in->value, &version, NULL) == STATUS_OK) {
			st = output_fill(out, &existing, version.version_id,
			    version.stages, version.stage_count);
			goto out;
		}
		st = error_set(err, STATUS_EXISTS,
		    "The operation failed because the secret %s already exists.",
		    in->name);
		goto out;
	}
	if (st != STATUS_NOT_FOUND)
		goto out;

	if ((st = random_string("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
	    SECRET_ARN_SUFFIX_LEN, suffix)) != STATUS_OK)
		goto out;
	suffix[SECRET_ARN_SUFFIX_LEN] = '\0';
	rec.account_id = strdup(req->account_id);
	rec.region = strdup(req->region);
	rec.name = strdup(in->name);
	rec.arn = secret_arn_build(req->region, req->account_id, in->name, suffix);
	rec.description = strdup_or_null(in->description);
	rec.kms_key_id = strdup_or_null(in->kms_key_id);
	if (rec.account_id == NULL || rec.region == NULL || rec.name == NULL ||
	    rec.arn == NULL || (in->description != NULL && rec.description ==
	    NULL) || (in->kms_key_id != NULL && rec.kms_key_id == NULL)) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	if ((st = core_authorize(req, rec.arn, rec.account_id, err)) != STATUS_OK)
		goto out;
	rec.created_at = req->now_ms;
	rec.last_changed_at = req->now_ms;
	if (in->kms_key_id != NULL) {
		struct secret_buf	*material = NULL;
		char			*key_arn = NULL;

		/* The key must exist and be usable before anything is stored. */
		st = core_kms_key_material(req, txn, rec.account_id, rec.region,
		    rec.kms_key_id, false, &material, &key_arn, err);
		secret_buf_free(material);
		free(key_arn);
		if (st != STATUS_OK)
			goto out;
	}
	if ((st = store_secret_insert(txn, &rec)) != STATUS_OK)
		goto out;
	if (in->tag_count > 0 &&
	    (st = store_tags_put(txn, rec.id, in->tags, in->tag_count)) !=
	    STATUS_OK)
		goto out;
	if (in->value.is_present) {
		if ((st = version_create(req, txn, &rec, version_id, &in->value,
		    current, 1, err)) != STATUS_OK)
			goto out;
	}
	if (in->replica_count > 0 &&
	    ((st = core_replicas_add(req, txn, &rec, in->replicas,
	    in->replica_count, in->force_overwrite_replica, err)) != STATUS_OK ||
	    (st = store_replica_list(txn, rec.id, &out->replicas,
	    &out->replica_count)) != STATUS_OK))
		goto out;
	if ((st = store_commit(txn)) != STATUS_OK) {
		txn = NULL;
		goto out;
	}
	txn = NULL;
	st = output_fill(out, &rec, version_id, in->value.is_present ?
	    (char *const *)current : NULL, in->value.is_present ? 1 : 0);
out:
	store_rollback(txn);
	secret_record_cleanup(&rec);
	secret_record_cleanup(&existing);
	version_record_cleanup(&version);
	return st;
}

/*
 * The common tail of PutSecretValue and UpdateSecret with a value.  The
 * first version of a secret always gets AWSCURRENT, whatever labels were
 * asked for, as AWS documents.
 */
static enum status
secret_write_version(struct core_request *req, struct store_txn *txn,
    struct secret_record *secret, const char *token,
    const struct secret_value_input *value, const char *const *stages,
    size_t stage_count, bool is_retry_allowed, struct secret_write_output *out,
    struct error *err)
{
	struct version_record	 existing;
	const char		*with_current[21];
	enum status		 st;

	memset(&existing, 0, sizeof(existing));
	st = version_idempotency_check(req, txn, secret, token, value,
	    &existing, err);
	if (st == STATUS_OK && !is_retry_allowed) {
		/* UpdateSecret: a token naming an existing version is an error
		 * even with the same value, as AWS documents. */
		version_record_cleanup(&existing);
		return error_set(err, STATUS_EXISTS, MSG_VERSION_EXISTS);
	}
	if (st == STATUS_OK) {
		st = output_fill(out, secret, existing.version_id,
		    existing.stages, existing.stage_count);
		version_record_cleanup(&existing);
		return st;
	}
	if (st != STATUS_NOT_FOUND)
		return st;
	error_clear(err);
	if (!core_stages_contain((char *const *)stages, stage_count,
	    STAGE_CURRENT) && stage_count < 20) {
		st = store_version_get_by_stage(txn, secret->id, STAGE_CURRENT,
		    false, &existing);
		version_record_cleanup(&existing);
		if (st == STATUS_NOT_FOUND) {
			memcpy(with_current, stages, stage_count * sizeof(*stages));
			with_current[stage_count++] = STAGE_CURRENT;
			stages = with_current;
		} else if (st != STATUS_OK)
			return st;
	}
	if ((st = version_create(req, txn, secret, token, value, stages,
	    stage_count, err)) != STATUS_OK)
		return st;
	if ((st = store_secret_update(txn, secret)) != STATUS_OK ||
	    (st = core_versions_prune(req, txn, secret->id)) != STATUS_OK)
		return st;
	return output_fill(out, secret, token, (char *const *)stages,
	    stage_count);
}

/*
 * A RotationToken names the rotation attempt a function was invoked for
 * (AWS checks it to know the caller as that rotation's function).  It is
 * good while that attempt runs, for its own secret only: a token of
 * another secret, of an attempt that ended, or made up is refused.
 */
static enum status
rotation_token_check(struct store_txn *txn, const struct secret_record *secret,
    const char *token, struct error *err)
{
	struct rotation_record	 row;
	enum status		 st;
	bool			 is_valid = false;

	memset(&row, 0, sizeof(row));
	st = store_rotation_get(txn, secret->id, &row);
	if (st != STATUS_OK && st != STATUS_NOT_FOUND)
		return st;
	if (st == STATUS_OK && row.rotation_token != NULL &&
	    row.lease_owner != NULL && row.pending_version_id != NULL &&
	    strlen(row.rotation_token) == strlen(token))
		is_valid = CRYPTO_memcmp(row.rotation_token, token,
		    strlen(token)) == 0;
	rotation_record_cleanup(&row);
	if (!is_valid)
		return error_set(err, STATUS_ACCESS_DENIED, "The rotation "
		    "token isn't valid for this secret: no rotation of it with "
		    "this token is in progress.");
	return STATUS_OK;
}

enum status
core_secret_put_value(struct core_request *req,
    const struct secret_put_input *in, struct secret_write_output *out,
    struct error *err)
{
	static const char *const current[] = { STAGE_CURRENT };
	struct store_txn	*txn = NULL;
	struct secret_record	 secret;
	enum status		 st;

	memset(&secret, 0, sizeof(secret));
	if ((st = store_begin(req->env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = core_secret_load(req, txn, in->secret_id, &secret, err)) !=
	    STATUS_OK)
		goto out;
	if (secret.deleted_at != 0) {
		st = core_deleted_secret_error(req, err);
		goto out;
	}
	if ((st = core_replica_write_error(req, &secret, err)) != STATUS_OK)
		goto out;
	if (in->rotation_token != NULL && (st = rotation_token_check(txn,
	    &secret, in->rotation_token, err)) != STATUS_OK)
		goto out;
	if ((st = secret_write_version(req, txn, &secret,
	    in->client_request_token, &in->value,
	    in->stages != NULL ? in->stages : current,
	    in->stages != NULL ? in->stage_count : 1, true, out, err)) !=
	    STATUS_OK ||
	    (st = core_replicas_sync(req, txn, &secret, err)) != STATUS_OK)
		goto out;
	st = store_commit(txn);
	txn = NULL;
out:
	store_rollback(txn);
	secret_record_cleanup(&secret);
	if (st != STATUS_OK)
		secret_write_output_cleanup(out);
	return st;
}

enum status
core_secret_update(struct core_request *req,
    const struct secret_update_input *in, struct secret_write_output *out,
    struct error *err)
{
	static const char *const current[] = { STAGE_CURRENT };
	struct store_txn	*txn = NULL;
	struct secret_record	 secret;
	char			 uuid[37];
	const char		*version_id = NULL;
	enum status		 st;

	memset(&secret, 0, sizeof(secret));
	if (in->value.is_present &&
	    (st = token_or_new(in->client_request_token, uuid, &version_id)) !=
	    STATUS_OK)
		goto out;
	if ((st = store_begin(req->env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = core_secret_load(req, txn, in->secret_id, &secret, err)) !=
	    STATUS_OK)
		goto out;
	if (secret.deleted_at != 0) {
		st = core_deleted_secret_error(req, err);
		goto out;
	}
	if ((st = core_replica_write_error(req, &secret, err)) != STATUS_OK)
		goto out;
	if (in->has_description) {
		free(secret.description);
		if ((secret.description = strdup_or_null(in->description)) ==
		    NULL && in->description != NULL) {
			st = STATUS_NO_MEMORY;
			goto out;
		}
		secret.last_changed_at = req->now_ms;
	}
	if (in->kms_key_id != NULL) {
		struct secret_buf	*material = NULL;
		char			*key_arn = NULL;

		st = core_kms_key_material(req, txn, secret.account_id,
		    secret.region, in->kms_key_id, false, &material, &key_arn,
		    err);
		secret_buf_free(material);
		free(key_arn);
		if (st != STATUS_OK)
			goto out;
		/* As AWS: the versions with a staging label move to the new
		 * key now; the others stay under the key that sealed them. */
		if ((st = core_kms_secret_rekey(req, txn, &secret,
		    in->kms_key_id, err)) != STATUS_OK)
			goto out;
		free(secret.kms_key_id);
		if ((secret.kms_key_id = strdup(in->kms_key_id)) == NULL) {
			st = STATUS_NO_MEMORY;
			goto out;
		}
		secret.last_changed_at = req->now_ms;
	}
	if (in->value.is_present) {
		if ((st = secret_write_version(req, txn, &secret, version_id,
		    &in->value, current, 1, false, out, err)) != STATUS_OK)
			goto out;
	} else {
		if ((st = store_secret_update(txn, &secret)) != STATUS_OK ||
		    (st = output_fill(out, &secret, NULL, NULL, 0)) != STATUS_OK)
			goto out;
	}
	if ((st = core_replicas_sync(req, txn, &secret, err)) != STATUS_OK)
		goto out;
	st = store_commit(txn);
	txn = NULL;
out:
	store_rollback(txn);
	secret_record_cleanup(&secret);
	if (st != STATUS_OK)
		secret_write_output_cleanup(out);
	return st;
}

/* Record the day of last access, writing at most once a day per secret. */
static void
secret_touch(struct core_request *req, const char *arn, int64_t secret_id)
{
	struct store_txn	*txn = NULL;
	struct secret_record	 rec;
	int64_t			 today = req->now_ms - req->now_ms % MS_PER_DAY;

	memset(&rec, 0, sizeof(rec));
	if (store_begin(req->env->store, true, &txn) != STATUS_OK)
		return;
	if (store_secret_get_by_arn(txn, arn, &rec) == STATUS_OK &&
	    rec.id == secret_id && rec.last_accessed_at < today) {
		rec.last_accessed_at = today;
		if (store_secret_update(txn, &rec) == STATUS_OK) {
			(void)store_commit(txn);
			txn = NULL;
		}
	}
	store_rollback(txn);
	secret_record_cleanup(&rec);
}

enum status
core_secret_get_value(struct core_request *req, const char *secret_id,
    const char *version_id, const char *version_stage,
    struct secret_value_output *out, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct secret_value_output result;
	const char		*stage = version_stage;
	bool			 needs_touch = false;
	enum status		 st;

	memset(&result, 0, sizeof(result));
	if ((st = store_begin(req->env->store, false, &txn)) != STATUS_OK)
		goto out;
	if ((st = core_secret_load(req, txn, secret_id, &result.secret, err)) !=
	    STATUS_OK)
		goto out;
	if (result.secret.deleted_at != 0) {
		st = core_deleted_secret_error(req, err);
		goto out;
	}
	if (version_id != NULL) {
		st = store_version_get(txn, result.secret.id, version_id, true,
		    &result.version);
		if (st == STATUS_NOT_FOUND) {
			error_set(err, st, "Secrets Manager can't find the "
			    "specified secret value for VersionId: %s",
			    version_id);
			goto out;
		}
		if (st != STATUS_OK)
			goto out;
		if (stage != NULL && !core_stages_contain(result.version.stages,
		    result.version.stage_count, stage)) {
			st = error_set(err, STATUS_INVALID_REQUEST,
			    "You provided a VersionStage that is not associated "
			    "to the provided VersionId.");
			goto out;
		}
	} else {
		if (stage == NULL)
			stage = STAGE_CURRENT;
		st = store_version_get_by_stage(txn, result.secret.id, stage,
		    true, &result.version);
		if (st == STATUS_NOT_FOUND) {
			error_set(err, st, "Secrets Manager can't find the "
			    "specified secret value for staging label: %s", stage);
			goto out;
		}
		if (st != STATUS_OK)
			goto out;
	}
	if ((st = core_version_open(req, txn, &result.secret, &result.version,
	    &result.value, err)) != STATUS_OK)
		goto out;
	needs_touch = result.secret.last_accessed_at <
	    req->now_ms - req->now_ms % MS_PER_DAY;
	store_rollback(txn);
	txn = NULL;
	if (needs_touch)
		secret_touch(req, result.secret.arn, result.secret.id);

	/* The sealed blobs are no use to the caller. */
	free(result.version.ciphertext);
	free(result.version.wrapped_key);
	result.version.ciphertext = result.version.wrapped_key = NULL;
	result.version.ciphertext_len = result.version.wrapped_key_len = 0;
	*out = result;
	memset(&result, 0, sizeof(result));
	st = STATUS_OK;
out:
	store_rollback(txn);
	secret_value_output_cleanup(&result);
	return st;
}

enum status
core_description_load(struct store_txn *txn, struct secret_description *d)
{
	enum status st;

	if ((st = store_tags_get(txn, d->secret.id, &d->tags, &d->tag_count)) !=
	    STATUS_OK)
		return st;
	if (d->secret.primary_arn == NULL &&
	    (st = store_replica_list(txn, d->secret.id, &d->replicas,
	    &d->replica_count)) != STATUS_OK)
		return st;
	return store_version_list(txn, d->secret.id, &d->versions,
	    &d->version_count);
}

enum status
core_secret_describe(struct core_request *req, const char *secret_id,
    struct secret_description *out, struct error *err)
{
	struct store_txn		*txn = NULL;
	struct secret_description	 d;
	enum status			 st;

	memset(&d, 0, sizeof(d));
	if ((st = store_begin(req->env->store, false, &txn)) != STATUS_OK)
		goto out;
	if ((st = core_secret_load(req, txn, secret_id, &d.secret, err)) != STATUS_OK)
		goto out;
	if ((st = core_description_load(txn, &d)) != STATUS_OK)
		goto out;
	*out = d;
	memset(&d, 0, sizeof(d));
out:
	store_rollback(txn);
	secret_description_cleanup(&d);
	return st;
}

/*
 * ForceDeleteWithoutRecovery of a secret that does not exist succeeds, as on
 * AWS; the caller must still be allowed to delete that name.
 */
static enum status
secret_forget_missing(struct core_request *req, const char *secret_id,
    struct secret_delete_output *out, struct error *err)
{
	struct arn_parts parts;
	const char	*name = secret_id;
	char		*arn = NULL, account_id[16];
	enum status	 st;

	(void)str_copy(account_id, sizeof(account_id), req->account_id);

	if (strncmp(secret_id, "arn:", 4) == 0 &&
	    arn_parse(secret_id, &parts) == STATUS_OK &&
	    strncmp(parts.resource, "secret:", 7) == 0) {
		name = secret_id + strlen(secret_id) - strlen(parts.resource) + 7;
		(void)str_copy(account_id, sizeof(account_id),
		    parts.account_id);
		arn = strdup(secret_id);
	} else if (asprintf(&arn, "arn:aws:secretsmanager:%s:%s:secret:%s",
	    req->region, req->account_id, secret_id) < 0)
		arn = NULL;
	if (arn == NULL)
		return STATUS_NO_MEMORY;
	error_clear(err);
	if ((st = core_authorize(req, arn, account_id, err)) !=
	    STATUS_OK) {
		free(arn);
		return st;
	}
	out->arn = arn;
	if ((out->name = strdup(name)) == NULL)
		return STATUS_NO_MEMORY;
	out->deletion_date = req->now_ms;
	return STATUS_OK;
}

enum status
core_secret_delete(struct core_request *req, const struct secret_delete_input *in,
    struct secret_delete_output *out, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct secret_record	 secret;
	struct secret_delete_output result;
	struct replica_record	*replicas = NULL;
	size_t			 replica_count = 0;
	enum status		 st;

	memset(&secret, 0, sizeof(secret));
	memset(&result, 0, sizeof(result));
	if ((st = store_begin(req->env->store, true, &txn)) != STATUS_OK)
		goto out;
	st = core_secret_load(req, txn, in->secret_id, &secret, err);
	if (st == STATUS_NOT_FOUND && in->force_delete_without_recovery) {
		/* AWS: forcibly deleting a nonexistent secret is not an error. */
		st = secret_forget_missing(req, in->secret_id, &result, err);
		if (st == STATUS_OK) {
			*out = result;
			memset(&result, 0, sizeof(result));
		}
		goto out;
	}
	if (st != STATUS_OK)
		goto out;
	if ((st = core_replica_write_error(req, &secret, err)) != STATUS_OK)
		goto out;
	if ((st = store_replica_list(txn, secret.id, &replicas,
	    &replica_count)) != STATUS_OK)
		goto out;
	if (replica_count > 0) {
		st = error_set(err, STATUS_INVALID_REQUEST, "You can't delete "
		    "secret %s because it's replicated to other Regions. Remove "
		    "the replicas with RemoveRegionsFromReplication first.",
		    secret.name);
		goto out;
	}
	if (in->force_delete_without_recovery) {
		if ((st = store_secret_delete(txn, secret.id)) != STATUS_OK)
			goto out;
		result.deletion_date = req->now_ms;
	} else {
		if (secret.deleted_at != 0) {
			st = error_set(err, STATUS_INVALID_REQUEST,
			    "You tried to perform the operation on a secret "
			    "that's currently marked deleted.");
			goto out;
		}
		secret.deleted_at = req->now_ms;
		secret.deletion_date = req->now_ms +
		    (in->has_recovery_window ? in->recovery_window_days : 30) *
		    MS_PER_DAY;
		if ((st = store_secret_update(txn, &secret)) != STATUS_OK)
			goto out;
		result.deletion_date = secret.deletion_date;
	}
	if ((st = store_commit(txn)) != STATUS_OK) {
		txn = NULL;
		goto out;
	}
	txn = NULL;
	result.arn = strdup(secret.arn);
	result.name = strdup(secret.name);
	if (result.arn == NULL || result.name == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	*out = result;
	memset(&result, 0, sizeof(result));
out:
	store_rollback(txn);
	replica_records_free(replicas, replica_count);
	secret_record_cleanup(&secret);
	secret_delete_output_cleanup(&result);
	return st;
}

enum status
core_secret_restore(struct core_request *req, const char *secret_id,
    struct secret_delete_output *out, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct secret_record	 secret;
	struct secret_delete_output result;
	enum status		 st;

	memset(&secret, 0, sizeof(secret));
	memset(&result, 0, sizeof(result));
	if ((st = store_begin(req->env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = core_secret_load(req, txn, secret_id, &secret, err)) != STATUS_OK)
		goto out;
	if ((st = core_replica_write_error(req, &secret, err)) != STATUS_OK)
		goto out;
	if (secret.deleted_at != 0) {
		secret.deleted_at = 0;
		secret.deletion_date = 0;
		if ((st = store_secret_update(txn, &secret)) != STATUS_OK)
			goto out;
	}
	if ((st = store_commit(txn)) != STATUS_OK) {
		txn = NULL;
		goto out;
	}
	txn = NULL;
	result.arn = strdup(secret.arn);
	result.name = strdup(secret.name);
	if (result.arn == NULL || result.name == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	*out = result;
	memset(&result, 0, sizeof(result));
out:
	store_rollback(txn);
	secret_record_cleanup(&secret);
	secret_delete_output_cleanup(&result);
	return st;
}
