/*
 * replication.c: replicas of a secret in other regions of the same account.
 *
 * Regions are logical in one deployment.  A replica is a secret row in the
 * replica region with the primary's name and ARN suffix and primary_arn
 * set; its versions are the primary's, re-sealed under the replica region's
 * key (the replica's own KmsKeyId, or that region's aws/secretsmanager
 * key), with the same version ids, staging labels, description and tags.
 *
 * Every change to a primary syncs its replicas inside the same store
 * transaction (core_replicas_sync), so a replica is never behind an
 * acknowledged write: ReplicationStatus is InSync unless the replica could
 * not be created (a secret of that name already lives in the region and
 * ForceOverwriteReplicaSecret was not given: Failed, with a message).
 * Replicas are read-only: every write to one answers as AWS does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "core/core.h"
#include "core/core_internal.h"

#define STATUS_IN_SYNC	"InSync"
#define STATUS_FAILED	"Failed"

void
replication_output_cleanup(struct replication_output *out)
{
	free(out->arn);
	replica_records_free(out->replicas, out->replica_count);
	memset(out, 0, sizeof(*out));
}

enum status
core_replica_write_error(struct core_request *req,
    const struct secret_record *secret, struct error *err)
{
	if (secret->primary_arn == NULL)
		return STATUS_OK;
	return error_set(err, STATUS_INVALID_REQUEST, "Operation not permitted "
	    "on a replica secret. Call must be made in primary secret's "
	    "region.");
}

/* The replica ARN: the primary's with the region replaced. */
static char *
replica_arn(const struct secret_record *primary, const char *region)
{
	const char *suffix = primary->arn + strlen(primary->arn) -
	    SECRET_ARN_SUFFIX_LEN;

	return secret_arn_build(region, primary->account_id, primary->name,
	    suffix);
}

/* Copy one version of the primary into the replica, re-sealed. */
static enum status
version_copy(struct core_request *req, struct store_txn *txn,
    const struct secret_record *primary, const struct secret_record *replica,
    const char *version_id, struct error *err)
{
	struct version_record	 v, copy;
	struct secret_buf	*plain = NULL;
	struct envelope_aad	 aad;
	struct sealed_value	 sealed;
	char			*key_arn = NULL;
	enum status		 st;

	memset(&v, 0, sizeof(v));
	memset(&copy, 0, sizeof(copy));
	memset(&sealed, 0, sizeof(sealed));
	if ((st = store_version_get(txn, primary->id, version_id, true, &v)) !=
	    STATUS_OK)
		goto out;
	if ((st = core_version_open(req, txn, primary, &v, &plain, err)) !=
	    STATUS_OK)
		goto out;
	aad.account_id = replica->account_id;
	aad.secret_arn = replica->arn;
	aad.version_id = version_id;
	aad.is_binary = v.is_binary;
	if ((st = core_kms_version_seal(req, txn, replica->region,
	    replica->kms_key_id, &aad, plain, &sealed, &key_arn, err)) !=
	    STATUS_OK)
		goto out;
	copy.secret_id = replica->id;
	copy.version_id = v.version_id;
	copy.created_at = v.created_at;
	copy.is_binary = v.is_binary;
	copy.kms_key_arn = key_arn;
	copy.ciphertext = sealed.ciphertext;
	copy.ciphertext_len = sealed.ciphertext_len;
	copy.wrapped_key = sealed.wrapped_key;
	copy.wrapped_key_len = sealed.wrapped_key_len;
	st = store_version_insert(txn, &copy);
out:
	sealed_value_cleanup(&sealed);
	secret_buf_free(plain);
	free(key_arn);
	version_record_cleanup(&v);
	return st;
}

static const struct version_record *
version_find(const struct version_record *list, size_t count, const char *id)
{
	for (size_t i = 0; i < count; i++)
		if (strcmp(list[i].version_id, id) == 0)
			return &list[i];
	return NULL;
}

/* Make the replica's versions, labels, description and tags the primary's. */
static enum status
replica_sync_content(struct core_request *req, struct store_txn *txn,
    const struct secret_record *primary, struct secret_record *replica,
    struct error *err)
{
	struct version_record	*pv = NULL, *rv = NULL;
	struct tag		*tags = NULL;
	size_t			 pn = 0, rn = 0, tn = 0;
	enum status		 st;

	if ((st = store_version_list(txn, primary->id, &pv, &pn)) != STATUS_OK ||
	    (st = store_version_list(txn, replica->id, &rv, &rn)) != STATUS_OK)
		goto out;
	/* Versions the primary no longer has go first (with their labels). */
	for (size_t i = 0; i < rn; i++)
		if (version_find(pv, pn, rv[i].version_id) == NULL &&
		    (st = store_version_delete(txn, replica->id,
		    rv[i].version_id)) != STATUS_OK)
			goto out;
	for (size_t i = 0; i < pn; i++)
		if (version_find(rv, rn, pv[i].version_id) == NULL &&
		    (st = version_copy(req, txn, primary, replica,
		    pv[i].version_id, err)) != STATUS_OK)
			goto out;
	/* Labels: remove those the primary does not have, then move all. */
	for (size_t i = 0; i < rn; i++) {
		const struct version_record *p = version_find(pv, pn,
		    rv[i].version_id);

		if (p == NULL)
			continue;
		for (size_t j = 0; j < rv[i].stage_count; j++)
			if (!core_stages_contain(p->stages, p->stage_count,
			    rv[i].stages[j]) &&
			    (st = store_stage_remove(txn, replica->id,
			    rv[i].stages[j], rv[i].version_id)) != STATUS_OK &&
			    st != STATUS_NOT_FOUND)
				goto out;
	}
	for (size_t i = 0; i < pn; i++)
		for (size_t j = 0; j < pv[i].stage_count; j++)
			if ((st = store_stage_move(txn, replica->id,
			    pv[i].stages[j], pv[i].version_id)) != STATUS_OK)
				goto out;
	if ((st = store_tags_get(txn, primary->id, &tags, &tn)) != STATUS_OK ||
	    (st = store_tags_put(txn, replica->id, tags, tn)) != STATUS_OK)
		goto out;
	free(replica->description);
	replica->description = NULL;
	if (primary->description != NULL &&
	    (replica->description = strdup(primary->description)) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	replica->last_changed_at = primary->last_changed_at;
	replica->deleted_at = primary->deleted_at;
	replica->deletion_date = primary->deletion_date;
	st = store_secret_update(txn, replica);
out:
	version_records_free(pv, pn);
	version_records_free(rv, rn);
	tags_free(tags, tn);
	return st;
}

/*
 * Bring one replica region up to date, creating the replica secret when
 * needed.  A name taken in that region by a secret that is not this
 * primary's replica fails the replica (not the request) unless overwrite is
 * set, in which case that secret is removed first.
 */
static enum status
replica_sync_one(struct core_request *req, struct store_txn *txn,
    const struct secret_record *primary, struct replica_record *row,
    bool overwrite, struct error *err)
{
	struct secret_record	 replica;
	char			*arn = NULL;
	enum status		 st;

	memset(&replica, 0, sizeof(replica));
	if ((arn = replica_arn(primary, row->region)) == NULL)
		return STATUS_NO_MEMORY;
	st = store_secret_get_by_name(txn, primary->account_id, row->region,
	    primary->name, &replica);
	if (st == STATUS_OK && (replica.primary_arn == NULL ||
	    strcmp(replica.primary_arn, primary->arn) != 0)) {
		if (!overwrite) {
			free(row->status);
			free(row->status_message);
			row->status = strdup(STATUS_FAILED);
			row->status_message = strdup("Replication failed: Secret "
			    "name already exists in Region. Use "
			    "ForceOverwriteReplicaSecret to overwrite it.");
			st = row->status == NULL || row->status_message == NULL ?
			    STATUS_NO_MEMORY : STATUS_OK;
			goto out;
		}
		if ((st = store_secret_delete(txn, replica.id)) != STATUS_OK)
			goto out;
		secret_record_cleanup(&replica);
		st = STATUS_NOT_FOUND;
	}
	if (st == STATUS_NOT_FOUND) {
		replica.account_id = strdup(primary->account_id);
		replica.region = strdup(row->region);
		replica.name = strdup(primary->name);
		replica.arn = arn;
		arn = NULL;
		replica.primary_arn = strdup(primary->arn);
		if (row->kms_key_id != NULL)
			replica.kms_key_id = strdup(row->kms_key_id);
		if (replica.account_id == NULL || replica.region == NULL ||
		    replica.name == NULL || replica.primary_arn == NULL ||
		    (row->kms_key_id != NULL && replica.kms_key_id == NULL)) {
			st = STATUS_NO_MEMORY;
			goto out;
		}
		replica.created_at = req->now_ms;
		replica.last_changed_at = req->now_ms;
		if ((st = store_secret_insert(txn, &replica)) != STATUS_OK)
			goto out;
	} else if (st != STATUS_OK)
		goto out;
	if ((st = replica_sync_content(req, txn, primary, &replica, err)) !=
	    STATUS_OK)
		goto out;
	free(row->status);
	free(row->status_message);
	row->status_message = NULL;
	if ((row->status = strdup(STATUS_IN_SYNC)) == NULL)
		st = STATUS_NO_MEMORY;
out:
	free(arn);
	secret_record_cleanup(&replica);
	return st;
}

enum status
core_replicas_sync(struct core_request *req, struct store_txn *txn,
    const struct secret_record *primary, struct error *err)
{
	struct replica_record	*rows = NULL;
	size_t			 count = 0;
	enum status		 st;

	if (primary->primary_arn != NULL)
		return STATUS_OK;
	if ((st = store_replica_list(txn, primary->id, &rows, &count)) !=
	    STATUS_OK)
		return st;
	for (size_t i = 0; i < count; i++) {
		if (strcmp(rows[i].status, STATUS_FAILED) == 0)
			continue;
		if ((st = replica_sync_one(req, txn, primary, &rows[i], false,
		    err)) != STATUS_OK ||
		    (st = store_replica_put(txn, &rows[i])) != STATUS_OK)
			break;
	}
	replica_records_free(rows, count);
	return st;
}

static enum status
output_fill(struct store_txn *txn, const struct secret_record *secret,
    struct replication_output *out)
{
	enum status st;

	if ((out->arn = strdup(secret->arn)) == NULL)
		return STATUS_NO_MEMORY;
	if ((st = store_replica_list(txn, secret->id, &out->replicas,
	    &out->replica_count)) != STATUS_OK)
		return st;
	return STATUS_OK;
}

enum status
core_replicas_add(struct core_request *req, struct store_txn *txn,
    const struct secret_record *primary, const struct replica_input *regions,
    size_t count, bool overwrite, struct error *err)
{
	struct replica_record	 row;
	enum status		 st = STATUS_OK;

	for (size_t i = 0; i < count; i++) {
		if (strcmp(regions[i].region, primary->region) == 0)
			return error_set(err, STATUS_INVALID_PARAMETER,
			    "You can't replicate a secret to the Region where "
			    "the primary secret is: %s.", regions[i].region);
		for (size_t j = 0; j < i; j++)
			if (strcmp(regions[i].region, regions[j].region) == 0)
				return error_set(err, STATUS_INVALID_PARAMETER,
				    "Duplicate Region in AddReplicaRegions: %s.",
				    regions[i].region);
	}
	for (size_t i = 0; i < count && st == STATUS_OK; i++) {
		memset(&row, 0, sizeof(row));
		row.secret_id = primary->id;
		row.region = strdup(regions[i].region);
		row.kms_key_id = regions[i].kms_key_id != NULL ?
		    strdup(regions[i].kms_key_id) : NULL;
		row.status = strdup("InProgress");
		row.created_at = req->now_ms;
		if (row.region == NULL || row.status == NULL ||
		    (regions[i].kms_key_id != NULL && row.kms_key_id == NULL))
			st = STATUS_NO_MEMORY;
		if (st == STATUS_OK)
			st = replica_sync_one(req, txn, primary, &row, overwrite,
			    err);
		if (st == STATUS_OK)
			st = store_replica_put(txn, &row);
		free(row.region);
		free(row.kms_key_id);
		free(row.status);
		free(row.status_message);
	}
	return st;
}

enum status
core_secret_replicate(struct core_request *req, const char *secret_id,
    const struct replica_input *regions, size_t count, bool overwrite,
    struct replication_output *out, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct secret_record	 primary;
	struct replication_output result;
	enum status		 st;

	memset(&primary, 0, sizeof(primary));
	memset(&result, 0, sizeof(result));
	if ((st = store_begin(req->env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = core_secret_load(req, txn, secret_id, &primary, err)) !=
	    STATUS_OK)
		goto out;
	if ((st = core_replica_write_error(req, &primary, err)) != STATUS_OK)
		goto out;
	if (primary.deleted_at != 0) {
		st = core_deleted_secret_error(req, err);
		goto out;
	}
	if ((st = core_replicas_add(req, txn, &primary, regions, count,
	    overwrite, err)) != STATUS_OK)
		goto out;
	if ((st = output_fill(txn, &primary, &result)) != STATUS_OK)
		goto out;
	if ((st = store_commit(txn)) != STATUS_OK) {
		txn = NULL;
		goto out;
	}
	txn = NULL;
	*out = result;
	memset(&result, 0, sizeof(result));
out:
	store_rollback(txn);
	secret_record_cleanup(&primary);
	replication_output_cleanup(&result);
	return st;
}

enum status
core_secret_remove_regions(struct core_request *req, const char *secret_id,
    const char *const *regions, size_t count, struct replication_output *out,
    struct error *err)
{
	struct store_txn	*txn = NULL;
	struct secret_record	 primary, replica;
	struct replication_output result;
	enum status		 st;

	memset(&primary, 0, sizeof(primary));
	memset(&replica, 0, sizeof(replica));
	memset(&result, 0, sizeof(result));
	if ((st = store_begin(req->env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = core_secret_load(req, txn, secret_id, &primary, err)) !=
	    STATUS_OK)
		goto out;
	if ((st = core_replica_write_error(req, &primary, err)) != STATUS_OK)
		goto out;
	for (size_t i = 0; i < count; i++) {
		st = store_replica_delete(txn, primary.id, regions[i]);
		if (st == STATUS_NOT_FOUND) {
			st = error_set(err, STATUS_INVALID_PARAMETER, "The secret "
			    "isn't replicated to the Region %s.", regions[i]);
			goto out;
		}
		if (st != STATUS_OK)
			goto out;
		st = store_secret_get_by_name(txn, primary.account_id,
		    regions[i], primary.name, &replica);
		if (st == STATUS_OK && replica.primary_arn != NULL &&
		    strcmp(replica.primary_arn, primary.arn) == 0)
			st = store_secret_delete(txn, replica.id);
		else if (st == STATUS_NOT_FOUND || st == STATUS_OK)
			st = STATUS_OK;
		secret_record_cleanup(&replica);
		if (st != STATUS_OK)
			goto out;
	}
	if ((st = output_fill(txn, &primary, &result)) != STATUS_OK)
		goto out;
	if ((st = store_commit(txn)) != STATUS_OK) {
		txn = NULL;
		goto out;
	}
	txn = NULL;
	*out = result;
	memset(&result, 0, sizeof(result));
out:
	store_rollback(txn);
	secret_record_cleanup(&primary);
	secret_record_cleanup(&replica);
	replication_output_cleanup(&result);
	return st;
}

enum status
core_secret_stop_replication(struct core_request *req, const char *secret_id,
    char **arn, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct secret_record	 replica, primary;
	enum status		 st;

	memset(&replica, 0, sizeof(replica));
	memset(&primary, 0, sizeof(primary));
	if ((st = store_begin(req->env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = core_secret_load(req, txn, secret_id, &replica, err)) !=
	    STATUS_OK)
		goto out;
	if (replica.primary_arn == NULL) {
		st = error_set(err, STATUS_INVALID_REQUEST, "The secret isn't "
		    "a replica secret. You can only stop replication to a "
		    "replica.");
		goto out;
	}
	st = store_secret_get_by_arn(txn, replica.primary_arn, &primary);
	if (st == STATUS_OK)
		st = store_replica_delete(txn, primary.id, replica.region);
	if (st != STATUS_OK && st != STATUS_NOT_FOUND)
		goto out;
	free(replica.primary_arn);
	replica.primary_arn = NULL;
	replica.last_changed_at = req->now_ms;
	if ((st = store_secret_update(txn, &replica)) != STATUS_OK)
		goto out;
	if ((st = store_commit(txn)) != STATUS_OK) {
		txn = NULL;
		goto out;
	}
	txn = NULL;
	if ((*arn = strdup(replica.arn)) == NULL)
		st = STATUS_NO_MEMORY;
out:
	store_rollback(txn);
	secret_record_cleanup(&replica);
	secret_record_cleanup(&primary);
	return st;
}

enum status
core_replication_status(struct core_request *req, struct store_txn *txn,
    const struct secret_record *secret, struct replica_record **out,
    size_t *count)
{
	*out = NULL;
	*count = 0;
	if (secret->primary_arn != NULL)
		return STATUS_OK;
	return store_replica_list(txn, secret->id, out, count);
}
