/*
 * staging.c: staging labels and the version list.
 *
 * A label lives on at most one version of a secret (the store's key);
 * moving AWSCURRENT moves AWSPREVIOUS to the version it left.  A version
 * without labels is deprecated: the 100 most recent versions are kept, and
 * every version younger than 24 hours, as AWS documents for PutSecretValue;
 * older deprecated versions beyond those are pruned after each change.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/core_internal.h"

#define VERSIONS_KEPT		100
#define VERSION_MIN_AGE_MS	(24LL * 3600 * 1000)
#define TOKEN_PREFIX		"sesame-versions-v1:"

enum status
core_versions_prune(struct core_request *req, struct store_txn *txn,
    int64_t secret_id)
{
	struct version_record	*versions = NULL;
	size_t			 count = 0;
	enum status		 st;

	/* Only the candidates: listing every version (and its stages) on
	 * every write made a write's cost grow with the secret's history. */
	if ((st = store_version_list_prunable(txn, secret_id, VERSIONS_KEPT,
	    req->now_ms - VERSION_MIN_AGE_MS, &versions, &count)) != STATUS_OK)
		return st;
	for (size_t i = 0; i < count; i++) {
		const struct version_record *v = &versions[i];

		if (v->stage_count > 0)
			continue;
		if ((st = store_version_delete(txn, secret_id, v->version_id)) !=
		    STATUS_OK)
			break;
	}
	version_records_free(versions, count);
	return st;
}

static enum status
version_must_exist(struct store_txn *txn, int64_t secret_id,
    const char *version_id, struct error *err)
{
	struct version_record	 v;
	enum status		 st;

	memset(&v, 0, sizeof(v));
	st = store_version_get(txn, secret_id, version_id, false, &v);
	version_record_cleanup(&v);
	if (st == STATUS_NOT_FOUND)
		error_set(err, st, "Secrets Manager can't find the specified "
		    "secret value for VersionId: %s", version_id);
	return st;
}

enum status
core_secret_update_stage(struct core_request *req,
    const struct secret_stage_input *in, struct secret_delete_output *out,
    struct error *err)
{
	struct store_txn	*txn = NULL;
	struct secret_record	 secret;
	struct version_record	 holder;
	struct secret_delete_output result;
	bool			 is_held;
	enum status		 st;

	memset(&secret, 0, sizeof(secret));
	memset(&holder, 0, sizeof(holder));
	memset(&result, 0, sizeof(result));
	if (in->move_to_version_id == NULL &&
	    in->remove_from_version_id == NULL) {
		st = error_set(err, STATUS_INVALID_PARAMETER, "You must specify "
		    "MoveToVersionId, RemoveFromVersionId, or both.");
		goto out;
	}
	if ((st = store_begin(req->env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = core_secret_load(req, txn, in->secret_id, &secret, err)) !=
	    STATUS_OK)
		goto out;
	if ((st = core_replica_write_error(req, &secret, err)) != STATUS_OK)
		goto out;
	if (secret.deleted_at != 0) {
		st = core_deleted_secret_error(req, err);
		goto out;
	}
	st = store_version_get_by_stage(txn, secret.id, in->version_stage, false,
	    &holder);
	if (st != STATUS_OK && st != STATUS_NOT_FOUND)
		goto out;
	is_held = st == STATUS_OK;

	if (in->remove_from_version_id != NULL &&
	    (st = version_must_exist(txn, secret.id, in->remove_from_version_id,
	    err)) != STATUS_OK)
		goto out;
	if (in->remove_from_version_id != NULL && (!is_held ||
	    strcmp(holder.version_id, in->remove_from_version_id) != 0)) {
		st = error_set(err, STATUS_INVALID_PARAMETER, "The staging label "
		    "%s is not attached to the version %s.", in->version_stage,
		    in->remove_from_version_id);
		goto out;
	}

	if (in->move_to_version_id != NULL) {
		if ((st = version_must_exist(txn, secret.id,
		    in->move_to_version_id, err)) != STATUS_OK)
			goto out;
		if (is_held && strcmp(holder.version_id,
		    in->move_to_version_id) != 0 &&
		    in->remove_from_version_id == NULL) {
			st = error_set(err, STATUS_INVALID_PARAMETER, "The "
			    "staging label %s is currently attached to version "
			    "%s. You must specify the RemoveFromVersionId "
			    "parameter to move it.", in->version_stage,
			    holder.version_id);
			goto out;
		}
		if ((st = store_stage_move(txn, secret.id, in->version_stage,
		    in->move_to_version_id)) != STATUS_OK)
			goto out;
		if (strcmp(in->version_stage, STAGE_CURRENT) == 0 && is_held &&
		    strcmp(holder.version_id, in->move_to_version_id) != 0 &&
		    (st = store_stage_move(txn, secret.id, STAGE_PREVIOUS,
		    holder.version_id)) != STATUS_OK)
			goto out;
	} else {
		if (strcmp(in->version_stage, STAGE_CURRENT) == 0) {
			st = error_set(err, STATUS_INVALID_PARAMETER, "You can't "
			    "remove the staging label AWSCURRENT from a version. "
			    "Move it to another version instead.");
			goto out;
		}
		if ((st = store_stage_remove(txn, secret.id, in->version_stage,
		    in->remove_from_version_id)) != STATUS_OK)
			goto out;
	}
	secret.last_changed_at = req->now_ms;
	if ((st = store_secret_update(txn, &secret)) != STATUS_OK ||
	    (st = core_versions_prune(req, txn, secret.id)) != STATUS_OK ||
	    (st = core_replicas_sync(req, txn, &secret, err)) != STATUS_OK)
		goto out;
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
	version_record_cleanup(&holder);
	secret_delete_output_cleanup(&result);
	return st;
}

void
secret_versions_output_cleanup(struct secret_versions_output *out)
{
	secret_record_cleanup(&out->secret);
	version_records_free(out->versions, out->version_count);
	free(out->next_token);
	memset(out, 0, sizeof(*out));
}

/*
 * Page tokens name the last version returned (its creation time and id), so
 * versions created or deprecated between pages neither repeat nor vanish:
 * the next page starts right after that version in newest-first order, or,
 * if it was pruned meanwhile, at the first version created before it.
 */
enum status
core_secret_list_versions(struct core_request *req,
    const struct secret_versions_input *in, struct secret_versions_output *out,
    struct error *err)
{
	struct store_txn		*txn = NULL;
	struct secret_versions_output	 result;
	size_t				 kept = 0, i, start = 0;
	long long			 after_at = 0;
	const char			*after_id = NULL;
	char				*end;
	enum status			 st;

	memset(&result, 0, sizeof(result));
	if (in->next_token != NULL) {
		const char *p = in->next_token + strlen(TOKEN_PREFIX);

		if (strncmp(in->next_token, TOKEN_PREFIX,
		    strlen(TOKEN_PREFIX)) != 0 || *p < '0' || *p > '9' ||
		    (after_at = strtoll(p, &end, 10)) <= 0 || *end != ':' ||
		    end[1] == '\0') {
			st = error_set(err, STATUS_INVALID_NEXT_TOKEN,
			    "The NextToken value is invalid.");
			goto out;
		}
		after_id = end + 1;
	}
	if ((st = store_begin(req->env->store, false, &txn)) != STATUS_OK)
		goto out;
	if ((st = core_secret_load(req, txn, in->secret_id, &result.secret,
	    err)) != STATUS_OK)
		goto out;
	if ((st = store_version_list(txn, result.secret.id, &result.versions,
	    &result.version_count)) != STATUS_OK)
		goto out;

	if (after_id != NULL) {
		for (start = 0; start < result.version_count; start++) {
			const struct version_record *v = &result.versions[start];

			if (strcmp(v->version_id, after_id) == 0) {
				start++;
				break;
			}
			if (v->created_at < after_at)
				break;
		}
	}
	for (i = start; i < result.version_count; i++) {
		struct version_record *v = &result.versions[i];

		if (!in->include_deprecated && v->stage_count == 0)
			continue;
		if (kept == in->max_results) {
			const struct version_record *last =
			    &result.versions[kept - 1];

			if (asprintf(&result.next_token, TOKEN_PREFIX "%lld:%s",
			    (long long)last->created_at, last->version_id) < 0) {
				result.next_token = NULL;
				st = STATUS_NO_MEMORY;
				goto out;
			}
			break;
		}
		if (kept != i) {
			version_record_cleanup(&result.versions[kept]);
			result.versions[kept] = *v;
			memset(v, 0, sizeof(*v));
		}
		kept++;
	}
	for (i = kept; i < result.version_count; i++)
		version_record_cleanup(&result.versions[i]);
	result.version_count = kept;
	*out = result;
	memset(&result, 0, sizeof(result));
	st = STATUS_OK;
out:
	store_rollback(txn);
	secret_versions_output_cleanup(&result);
	return st;
}
