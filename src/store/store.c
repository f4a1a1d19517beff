/*
 * store.c: the store front-end.  Picks a backend by name, checks
 * arguments once for every backend, and dispatches through struct
 * store_backend.  Also owns the record cleanup functions, which every
 * backend and caller share.
 *
 * Invariants: a backend never sees a NULL pointer the contract does not
 * allow; a struct store_txn is freed by store_commit or store_rollback,
 * whatever the outcome.  A misuse (NULL where a value is required) is a
 * bug in the caller: it is logged and returns STATUS_INTERNAL.
 *
 * Thread-safety: this file keeps no state of its own; the backend decides
 * how a shared struct store is used by many threads.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "store/store.h"
#include "store/store_internal.h"

struct store {
	const struct store_backend	*backend;
	void				*handle;
};

/*
 * See store_write_generation.  One counter for the process rather than
 * one per store: closing a store bumps it too, so a store opened later at
 * the same address never meets a generation read from the old one.
 */
static _Atomic uint64_t store_generation = 1;

struct store_txn {
	const struct store_backend	*backend;
	void				*handle;
	bool				 is_write;
	uint64_t			 generation;	/* read before it began */
};

static const struct store_backend *const store_backends[] = {
	&store_backend_sqlite,
};

#define STORE_BACKEND_COUNT \
	(sizeof(store_backends) / sizeof(store_backends[0]))

static enum status
store_misuse(const char *func)
{
	log_error("%s: called with a missing argument", func);
	return STATUS_INTERNAL;
}

#define STORE_REQUIRE(cond)					\
	do {							\
		if (!(cond))					\
			return store_misuse(__func__);		\
	} while (0)

/* A blob argument: NULL is allowed only when it is empty. */
#define BLOB_OK(p, len)	((p) != NULL || (len) == 0)

enum status
store_open(const struct store_config *cfg, struct store **out,
    struct error *err)
{
	const struct store_backend *backend = NULL;
	struct store	*st = NULL;
	enum status	 rc = STATUS_INTERNAL;

	if (cfg == NULL || out == NULL) {
		rc = error_set(err, store_misuse(__func__),
		    "the store was opened without a configuration");
		goto out;
	}
	if (cfg->backend == NULL) {
		rc = error_set(err, STATUS_INVALID_PARAMETER,
		    "no store backend is configured");
		goto out;
	}
	for (size_t i = 0; i < STORE_BACKEND_COUNT; i++) {
		if (strcmp(store_backends[i]->name, cfg->backend) == 0) {
			backend = store_backends[i];
			break;
		}
	}
	if (backend == NULL) {
		rc = error_set(err, STATUS_INVALID_PARAMETER,
		    "unknown store backend \"%.64s\" (known: sqlite)",
		    cfg->backend);
		goto out;
	}
	if ((st = calloc(1, sizeof(*st))) == NULL) {
		rc = error_set(err, STATUS_NO_MEMORY, "out of memory");
		goto out;
	}
	st->backend = backend;
	if ((rc = backend->open(cfg, &st->handle, err)) != STATUS_OK)
		goto out;
	*out = st;
	st = NULL;
	rc = STATUS_OK;
out:
	free(st);
	return rc;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	st->backend->close(st->handle);
	atomic_fetch_add(&store_generation, 1);
	free(st);
}

enum status
store_begin(struct store *st, bool write, struct store_txn **out)
{
	struct store_txn *txn = NULL;
	enum status	 rc = STATUS_NO_MEMORY;

	STORE_REQUIRE(st != NULL && out != NULL);
	if ((txn = calloc(1, sizeof(*txn))) == NULL)
		goto out;
	txn->backend = st->backend;
	txn->is_write = write;
	txn->generation = atomic_load(&store_generation);
	if ((rc = st->backend->begin(st->handle, write, &txn->handle)) !=
	    STATUS_OK)
		goto out;
	*out = txn;
	txn = NULL;
	rc = STATUS_OK;
out:
	free(txn);
	return rc;
}

enum status
store_commit(struct store_txn *txn)
{
	enum status	 rc;

	STORE_REQUIRE(txn != NULL);
	rc = txn->backend->commit(txn->handle);
	/* Also after a failed commit: its outcome may be unknown. */
	if (txn->is_write)
		atomic_fetch_add(&store_generation, 1);
	free(txn);
	return rc;
}

void
store_rollback(struct store_txn *txn)
{
	if (txn == NULL)
		return;
	txn->backend->rollback(txn->handle);
	if (txn->is_write)
		atomic_fetch_add(&store_generation, 1);
	free(txn);
}

uint64_t
store_write_generation(struct store *st)
{
	(void)st;
	return atomic_load(&store_generation);
}

uint64_t
store_txn_generation(const struct store_txn *txn)
{
	return txn->generation;
}

bool
store_txn_is_write(const struct store_txn *txn)
{
	return txn->is_write;
}

const struct store_backend *
store_txn_backend(struct store_txn *txn, void **handle)
{
	*handle = txn->handle;
	return txn->backend;
}

/* ---- meta ---- */

enum status
store_meta_get(struct store_txn *txn, const char *key, unsigned char **value,
    size_t *value_len)
{
	STORE_REQUIRE(txn != NULL && key != NULL && value != NULL &&
	    value_len != NULL);
	return txn->backend->meta_get(txn->handle, key, value, value_len);
}

enum status
store_meta_put(struct store_txn *txn, const char *key,
    const unsigned char *value, size_t value_len)
{
	STORE_REQUIRE(txn != NULL && key != NULL && BLOB_OK(value, value_len));
	return txn->backend->meta_put(txn->handle, key, value, value_len);
}

enum status
store_meta_delete(struct store_txn *txn, const char *key)
{
	STORE_REQUIRE(txn != NULL && key != NULL);
	return txn->backend->meta_delete(txn->handle, key);
}

/* ---- accounts ---- */

enum status
store_account_put(struct store_txn *txn, const char *account_id,
    int64_t created_at)
{
	STORE_REQUIRE(txn != NULL && account_id != NULL);
	return txn->backend->account_put(txn->handle, account_id, created_at);
}

enum status
store_account_exists(struct store_txn *txn, const char *account_id)
{
	STORE_REQUIRE(txn != NULL && account_id != NULL);
	return txn->backend->account_exists(txn->handle, account_id);
}

/* ---- access keys ---- */

enum status
store_access_key_put(struct store_txn *txn,
    const struct access_key_record *rec)
{
	STORE_REQUIRE(txn != NULL && rec != NULL);
	STORE_REQUIRE(rec->access_key_id != NULL && rec->account_id != NULL &&
	    rec->principal_arn != NULL && rec->user_name != NULL &&
	    rec->user_id != NULL &&
	    BLOB_OK(rec->wrapped_secret, rec->wrapped_secret_len));
	return txn->backend->access_key_put(txn->handle, rec);
}

enum status
store_access_key_get(struct store_txn *txn, const char *access_key_id,
    struct access_key_record *out)
{
	STORE_REQUIRE(txn != NULL && access_key_id != NULL && out != NULL);
	return txn->backend->access_key_get(txn->handle, access_key_id, out);
}

/* ---- KMS keys and aliases ---- */

enum status
store_kms_key_put(struct store_txn *txn, const struct kms_key_record *rec)
{
	STORE_REQUIRE(txn != NULL && rec != NULL);
	STORE_REQUIRE(rec->key_id != NULL && rec->account_id != NULL &&
	    rec->region != NULL && rec->arn != NULL &&
	    rec->key_manager != NULL && rec->state != NULL);
	return txn->backend->kms_key_put(txn->handle, rec);
}

enum status
store_kms_key_get(struct store_txn *txn, const char *account_id,
    const char *region, const char *key_id, struct kms_key_record *out)
{
	STORE_REQUIRE(txn != NULL && account_id != NULL && region != NULL &&
	    key_id != NULL && out != NULL);
	return txn->backend->kms_key_get(txn->handle, account_id, region,
	    key_id, out);
}

enum status
store_kms_alias_put(struct store_txn *txn, const char *account_id,
    const char *region, const char *alias_name, const char *key_id,
    int64_t created_at)
{
	STORE_REQUIRE(txn != NULL && account_id != NULL && region != NULL &&
	    alias_name != NULL && key_id != NULL);
	return txn->backend->kms_alias_put(txn->handle, account_id, region,
	    alias_name, key_id, created_at);
}

enum status
store_kms_alias_get(struct store_txn *txn, const char *account_id,
    const char *region, const char *alias_name, char **key_id)
{
	STORE_REQUIRE(txn != NULL && account_id != NULL && region != NULL &&
	    alias_name != NULL && key_id != NULL);
	return txn->backend->kms_alias_get(txn->handle, account_id, region,
	    alias_name, key_id);
}

enum status
store_kms_key_update(struct store_txn *txn, const struct kms_key_record *rec)
{
	STORE_REQUIRE(txn != NULL && rec != NULL && rec->key_id != NULL &&
	    rec->state != NULL);
	return txn->backend->kms_key_update(txn->handle, rec);
}

enum status
store_kms_key_delete(struct store_txn *txn, const char *key_id)
{
	STORE_REQUIRE(txn != NULL && key_id != NULL);
	return txn->backend->kms_key_delete(txn->handle, key_id);
}

enum status
store_kms_key_list(struct store_txn *txn, const char *account_id,
    const char *region, const char *after_key_id, size_t limit,
    struct kms_key_record **out, size_t *count)
{
	STORE_REQUIRE(txn != NULL && account_id != NULL && region != NULL &&
	    out != NULL && count != NULL);
	return txn->backend->kms_key_list(txn->handle, account_id, region,
	    after_key_id, limit, out, count);
}

enum status
store_kms_key_list_due(struct store_txn *txn, int64_t now_ms, size_t limit,
    struct kms_key_record **out, size_t *count)
{
	STORE_REQUIRE(txn != NULL && out != NULL && count != NULL);
	return txn->backend->kms_key_list_due(txn->handle, now_ms, limit, out,
	    count);
}

enum status
store_kms_key_version_put(struct store_txn *txn,
    const struct kms_key_version_record *rec)
{
	STORE_REQUIRE(txn != NULL && rec != NULL && rec->key_id != NULL &&
	    rec->version > 0 &&
	    BLOB_OK(rec->wrapped_material, rec->wrapped_material_len));
	return txn->backend->kms_key_version_put(txn->handle, rec);
}

enum status
store_kms_key_version_get(struct store_txn *txn, const char *key_id,
    int64_t version, struct kms_key_version_record *out)
{
	STORE_REQUIRE(txn != NULL && key_id != NULL && out != NULL);
	return txn->backend->kms_key_version_get(txn->handle, key_id, version,
	    out);
}

enum status
store_kms_key_version_list(struct store_txn *txn, const char *key_id,
    struct kms_key_version_record **out, size_t *count)
{
	STORE_REQUIRE(txn != NULL && key_id != NULL && out != NULL &&
	    count != NULL);
	return txn->backend->kms_key_version_list(txn->handle, key_id, out,
	    count);
}

enum status
store_kms_alias_update(struct store_txn *txn, const char *account_id,
    const char *region, const char *alias_name, const char *key_id,
    int64_t now_ms)
{
	STORE_REQUIRE(txn != NULL && account_id != NULL && region != NULL &&
	    alias_name != NULL && key_id != NULL);
	return txn->backend->kms_alias_update(txn->handle, account_id, region,
	    alias_name, key_id, now_ms);
}

enum status
store_kms_alias_delete(struct store_txn *txn, const char *account_id,
    const char *region, const char *alias_name)
{
	STORE_REQUIRE(txn != NULL && account_id != NULL && region != NULL &&
	    alias_name != NULL);
	return txn->backend->kms_alias_delete(txn->handle, account_id, region,
	    alias_name);
}

enum status
store_kms_alias_list(struct store_txn *txn, const char *account_id,
    const char *region, const char *key_id, const char *after_alias,
    size_t limit, struct kms_alias_record **out, size_t *count)
{
	STORE_REQUIRE(txn != NULL && account_id != NULL && region != NULL &&
	    out != NULL && count != NULL);
	return txn->backend->kms_alias_list(txn->handle, account_id, region,
	    key_id, after_alias, limit, out, count);
}

enum status
store_kms_tags_put(struct store_txn *txn, const char *key_id,
    const struct tag *tags, size_t count)
{
	STORE_REQUIRE(txn != NULL && key_id != NULL &&
	    (tags != NULL || count == 0));
	for (size_t i = 0; i < count; i++)
		STORE_REQUIRE(tags[i].key != NULL && tags[i].value != NULL);
	return txn->backend->kms_tags_put(txn->handle, key_id, tags, count);
}

enum status
store_kms_tags_get(struct store_txn *txn, const char *key_id,
    struct tag **out, size_t *count)
{
	STORE_REQUIRE(txn != NULL && key_id != NULL && out != NULL &&
	    count != NULL);
	return txn->backend->kms_tags_get(txn->handle, key_id, out, count);
}

/* ---- rows wrapped by the root key ---- */

enum status
store_root_wrapped_list(struct store_txn *txn, enum root_wrapped_kind kind,
    const char *after_id, int64_t after_version, size_t limit,
    struct root_wrapped_record **out, size_t *count)
{
	STORE_REQUIRE(txn != NULL && out != NULL && count != NULL &&
	    (kind == ROOT_WRAPPED_KMS_MATERIAL ||
	    kind == ROOT_WRAPPED_ACCESS_KEY ||
	    kind == ROOT_WRAPPED_SESSION_KEY));
	return txn->backend->root_wrapped_list(txn->handle, kind, after_id,
	    after_version, limit, out, count);
}

enum status
store_root_wrapped_update(struct store_txn *txn,
    const struct root_wrapped_record *rec, const unsigned char *old_wrapped,
    size_t old_wrapped_len)
{
	STORE_REQUIRE(txn != NULL && rec != NULL && rec->id != NULL &&
	    BLOB_OK(rec->wrapped, rec->wrapped_len) &&
	    BLOB_OK(old_wrapped, old_wrapped_len));
	return txn->backend->root_wrapped_update(txn->handle, rec, old_wrapped,
	    old_wrapped_len);
}

void
root_wrapped_records_free(struct root_wrapped_record *recs, size_t count)
{
	if (recs == NULL)
		return;
	for (size_t i = 0; i < count; i++) {
		free(recs[i].id);
		free(recs[i].arn);
		free(recs[i].wrapped);
	}
	free(recs);
}

void
kms_key_records_free(struct kms_key_record *recs, size_t count)
{
	if (recs == NULL)
		return;
	for (size_t i = 0; i < count; i++)
		kms_key_record_cleanup(&recs[i]);
	free(recs);
}

void
kms_key_version_record_cleanup(struct kms_key_version_record *rec)
{
	if (rec == NULL)
		return;
	free(rec->key_id);
	free(rec->wrapped_material);
	free(rec->rotation_type);
	memset(rec, 0, sizeof(*rec));
}

void
kms_key_version_records_free(struct kms_key_version_record *recs,
    size_t count)
{
	if (recs == NULL)
		return;
	for (size_t i = 0; i < count; i++)
		kms_key_version_record_cleanup(&recs[i]);
	free(recs);
}

void
kms_alias_records_free(struct kms_alias_record *recs, size_t count)
{
	if (recs == NULL)
		return;
	for (size_t i = 0; i < count; i++) {
		free(recs[i].alias_name);
		free(recs[i].key_id);
	}
	free(recs);
}

/* ---- secrets ---- */

enum status
store_secret_insert(struct store_txn *txn, struct secret_record *rec)
{
	STORE_REQUIRE(txn != NULL && rec != NULL);
	STORE_REQUIRE(rec->account_id != NULL && rec->region != NULL &&
	    rec->name != NULL && rec->arn != NULL);
	return txn->backend->secret_insert(txn->handle, rec);
}

enum status
store_secret_get_by_name(struct store_txn *txn, const char *account_id,
    const char *region, const char *name, struct secret_record *out)
{
	STORE_REQUIRE(txn != NULL && account_id != NULL && region != NULL &&
	    name != NULL && out != NULL);
	return txn->backend->secret_get_by_name(txn->handle, account_id,
	    region, name, out);
}

enum status
store_secret_get_by_arn(struct store_txn *txn, const char *arn,
    struct secret_record *out)
{
	STORE_REQUIRE(txn != NULL && arn != NULL && out != NULL);
	return txn->backend->secret_get_by_arn(txn->handle, arn, out);
}

enum status
store_secret_update(struct store_txn *txn, const struct secret_record *rec)
{
	STORE_REQUIRE(txn != NULL && rec != NULL);
	return txn->backend->secret_update(txn->handle, rec);
}

enum status
store_secret_delete(struct store_txn *txn, int64_t secret_id)
{
	STORE_REQUIRE(txn != NULL);
	return txn->backend->secret_delete(txn->handle, secret_id);
}

enum status
store_secret_list(struct store_txn *txn, const struct store_list_query *q,
    struct secret_record **out, size_t *count)
{
	STORE_REQUIRE(txn != NULL && q != NULL && q->account_id != NULL &&
	    q->region != NULL && out != NULL && count != NULL);
	return txn->backend->secret_list(txn->handle, q, out, count);
}

enum status
store_secret_list_due(struct store_txn *txn, int64_t now_ms, size_t limit,
    struct secret_record **out, size_t *count)
{
	STORE_REQUIRE(txn != NULL && out != NULL && count != NULL);
	return txn->backend->secret_list_due(txn->handle, now_ms, limit, out,
	    count);
}

enum status
store_secret_counts(struct store_txn *txn, store_count_fn fn, void *arg)
{
	STORE_REQUIRE(txn != NULL && fn != NULL);
	return txn->backend->secret_counts(txn->handle, fn, arg);
}

/* ---- resource policies ---- */

enum status
store_secret_policy_put(struct store_txn *txn, int64_t secret_id,
    const char *policy, int64_t now_ms)
{
	STORE_REQUIRE(txn != NULL && policy != NULL);
	return txn->backend->secret_policy_put(txn->handle, secret_id, policy,
	    now_ms);
}

enum status
store_secret_policy_get(struct store_txn *txn, int64_t secret_id,
    char **policy)
{
	STORE_REQUIRE(txn != NULL && policy != NULL);
	return txn->backend->secret_policy_get(txn->handle, secret_id, policy);
}

enum status
store_secret_policy_delete(struct store_txn *txn, int64_t secret_id)
{
	STORE_REQUIRE(txn != NULL);
	return txn->backend->secret_policy_delete(txn->handle, secret_id);
}

/* ---- replicas ---- */

enum status
store_replica_put(struct store_txn *txn, const struct replica_record *rec)
{
	STORE_REQUIRE(txn != NULL && rec != NULL && rec->region != NULL &&
	    rec->status != NULL);
	return txn->backend->replica_put(txn->handle, rec);
}

enum status
store_replica_list(struct store_txn *txn, int64_t secret_id,
    struct replica_record **out, size_t *count)
{
	STORE_REQUIRE(txn != NULL && out != NULL && count != NULL);
	return txn->backend->replica_list(txn->handle, secret_id, out, count);
}

enum status
store_replica_delete(struct store_txn *txn, int64_t secret_id,
    const char *region)
{
	STORE_REQUIRE(txn != NULL && region != NULL);
	return txn->backend->replica_delete(txn->handle, secret_id, region);
}

void
replica_records_free(struct replica_record *recs, size_t count)
{
	if (recs == NULL)
		return;
	for (size_t i = 0; i < count; i++) {
		free(recs[i].region);
		free(recs[i].kms_key_id);
		free(recs[i].status);
		free(recs[i].status_message);
	}
	free(recs);
}

/* ---- tags ---- */

enum status
store_tags_put(struct store_txn *txn, int64_t secret_id,
    const struct tag *tags, size_t count)
{
	STORE_REQUIRE(txn != NULL && (tags != NULL || count == 0));
	for (size_t i = 0; i < count; i++)
		STORE_REQUIRE(tags[i].key != NULL && tags[i].value != NULL);
	return txn->backend->tags_put(txn->handle, secret_id, tags, count);
}

enum status
store_tags_get(struct store_txn *txn, int64_t secret_id, struct tag **out,
    size_t *count)
{
	STORE_REQUIRE(txn != NULL && out != NULL && count != NULL);
	return txn->backend->tags_get(txn->handle, secret_id, out, count);
}

/* ---- versions and staging labels ---- */

enum status
store_version_insert(struct store_txn *txn, const struct version_record *rec)
{
	STORE_REQUIRE(txn != NULL && rec != NULL && rec->version_id != NULL);
	STORE_REQUIRE(BLOB_OK(rec->ciphertext, rec->ciphertext_len) &&
	    BLOB_OK(rec->wrapped_key, rec->wrapped_key_len) &&
	    (rec->stages != NULL || rec->stage_count == 0));
	for (size_t i = 0; i < rec->stage_count; i++)
		STORE_REQUIRE(rec->stages[i] != NULL);
	return txn->backend->version_insert(txn->handle, rec);
}

enum status
store_version_get(struct store_txn *txn, int64_t secret_id,
    const char *version_id, bool with_value, struct version_record *out)
{
	STORE_REQUIRE(txn != NULL && version_id != NULL && out != NULL);
	return txn->backend->version_get(txn->handle, secret_id, version_id,
	    with_value, out);
}

enum status
store_version_get_by_stage(struct store_txn *txn, int64_t secret_id,
    const char *stage, bool with_value, struct version_record *out)
{
	STORE_REQUIRE(txn != NULL && stage != NULL && out != NULL);
	return txn->backend->version_get_by_stage(txn->handle, secret_id, stage,
	    with_value, out);
}

enum status
store_version_list(struct store_txn *txn, int64_t secret_id,
    struct version_record **out, size_t *count)
{
	STORE_REQUIRE(txn != NULL && out != NULL && count != NULL);
	return txn->backend->version_list(txn->handle, secret_id, out, count);
}

enum status
store_version_list_prunable(struct store_txn *txn, int64_t secret_id,
    size_t keep, int64_t created_at_most, struct version_record **out,
    size_t *count)
{
	STORE_REQUIRE(txn != NULL && out != NULL && count != NULL);
	return txn->backend->version_list_prunable(txn->handle, secret_id, keep,
	    created_at_most, out, count);
}

enum status
store_version_delete(struct store_txn *txn, int64_t secret_id,
    const char *version_id)
{
	STORE_REQUIRE(txn != NULL && version_id != NULL);
	return txn->backend->version_delete(txn->handle, secret_id, version_id);
}

enum status
store_version_rewrap(struct store_txn *txn, int64_t secret_id,
    const char *version_id, const char *kms_key_arn,
    const unsigned char *wrapped_key, size_t wrapped_key_len)
{
	STORE_REQUIRE(txn != NULL && version_id != NULL && kms_key_arn != NULL &&
	    BLOB_OK(wrapped_key, wrapped_key_len));
	return txn->backend->version_rewrap(txn->handle, secret_id, version_id,
	    kms_key_arn, wrapped_key, wrapped_key_len);
}

enum status
store_stage_move(struct store_txn *txn, int64_t secret_id, const char *stage,
    const char *version_id)
{
	STORE_REQUIRE(txn != NULL && stage != NULL && version_id != NULL);
	return txn->backend->stage_move(txn->handle, secret_id, stage,
	    version_id);
}

enum status
store_stage_remove(struct store_txn *txn, int64_t secret_id,
    const char *stage, const char *version_id)
{
	STORE_REQUIRE(txn != NULL && stage != NULL && version_id != NULL);
	return txn->backend->stage_remove(txn->handle, secret_id, stage,
	    version_id);
}

/* ---- record cleanup ---- */

void
access_key_record_cleanup(struct access_key_record *rec)
{
	if (rec == NULL)
		return;
	free(rec->access_key_id);
	free(rec->account_id);
	free(rec->principal_arn);
	free(rec->user_name);
	free(rec->user_id);
	free(rec->wrapped_secret);
	memset(rec, 0, sizeof(*rec));
}

void
kms_key_record_cleanup(struct kms_key_record *rec)
{
	if (rec == NULL)
		return;
	free(rec->key_id);
	free(rec->account_id);
	free(rec->region);
	free(rec->arn);
	free(rec->description);
	free(rec->key_manager);
	free(rec->state);
	free(rec->policy);
	memset(rec, 0, sizeof(*rec));
}

void
secret_record_cleanup(struct secret_record *rec)
{
	if (rec == NULL)
		return;
	free(rec->account_id);
	free(rec->region);
	free(rec->name);
	free(rec->arn);
	free(rec->description);
	free(rec->kms_key_id);
	free(rec->primary_arn);
	memset(rec, 0, sizeof(*rec));
}

void
secret_records_free(struct secret_record *recs, size_t count)
{
	if (recs == NULL)
		return;
	for (size_t i = 0; i < count; i++)
		secret_record_cleanup(&recs[i]);
	free(recs);
}

void
tags_free(struct tag *tags, size_t count)
{
	if (tags == NULL)
		return;
	for (size_t i = 0; i < count; i++) {
		free(tags[i].key);
		free(tags[i].value);
	}
	free(tags);
}

void
version_record_cleanup(struct version_record *rec)
{
	if (rec == NULL)
		return;
	free(rec->version_id);
	free(rec->kms_key_arn);
	free(rec->ciphertext);
	free(rec->wrapped_key);
	if (rec->stages != NULL) {
		for (size_t i = 0; i < rec->stage_count; i++)
			free(rec->stages[i]);
		free(rec->stages);
	}
	memset(rec, 0, sizeof(*rec));
}

void
version_records_free(struct version_record *recs, size_t count)
{
	if (recs == NULL)
		return;
	for (size_t i = 0; i < count; i++)
		version_record_cleanup(&recs[i]);
	free(recs);
}

/* ---- rotation of secrets ---- */

enum status
store_rotation_get(struct store_txn *txn, int64_t secret_id,
    struct rotation_record *out)
{
	STORE_REQUIRE(txn != NULL && out != NULL);
	return txn->backend->rotation_get(txn->handle, secret_id, out);
}

enum status
store_rotation_put(struct store_txn *txn, const struct rotation_record *rec)
{
	STORE_REQUIRE(txn != NULL && rec != NULL);
	return txn->backend->rotation_put(txn->handle, rec);
}

enum status
store_rotation_list(struct store_txn *txn, const struct store_rotation_query *q,
    struct rotation_record **out, size_t *count)
{
	STORE_REQUIRE(txn != NULL && q != NULL && out != NULL && count != NULL);
	return txn->backend->rotation_list(txn->handle, q, out, count);
}

enum status
store_rotation_function_put(struct store_txn *txn,
    const struct rotation_function_record *rec)
{
	STORE_REQUIRE(txn != NULL && rec != NULL && rec->arn != NULL &&
	    rec->kind != NULL && rec->target != NULL);
	return txn->backend->rotation_function_put(txn->handle, rec);
}

enum status
store_rotation_function_get(struct store_txn *txn, const char *arn,
    struct rotation_function_record *out)
{
	STORE_REQUIRE(txn != NULL && arn != NULL && out != NULL);
	return txn->backend->rotation_function_get(txn->handle, arn, out);
}

enum status
store_rotation_function_list(struct store_txn *txn,
    struct rotation_function_record **out, size_t *count)
{
	STORE_REQUIRE(txn != NULL && out != NULL && count != NULL);
	return txn->backend->rotation_function_list(txn->handle, out, count);
}

enum status
store_rotation_function_delete(struct store_txn *txn, const char *arn)
{
	STORE_REQUIRE(txn != NULL && arn != NULL);
	return txn->backend->rotation_function_delete(txn->handle, arn);
}

enum status
store_access_key_delete(struct store_txn *txn, const char *access_key_id)
{
	STORE_REQUIRE(txn != NULL && access_key_id != NULL);
	return txn->backend->access_key_delete(txn->handle, access_key_id);
}

enum status
store_access_key_list_by_user(struct store_txn *txn, const char *user_name,
    struct access_key_record **out, size_t *count)
{
	STORE_REQUIRE(txn != NULL && user_name != NULL && out != NULL &&
	    count != NULL);
	return txn->backend->access_key_list_by_user(txn->handle, user_name,
	    out, count);
}

void
rotation_record_cleanup(struct rotation_record *rec)
{
	if (rec == NULL)
		return;
	free(rec->lambda_arn);
	free(rec->duration);
	free(rec->schedule_expression);
	free(rec->pending_version_id);
	free(rec->rotation_token);
	free(rec->step);
	free(rec->status);
	free(rec->last_error);
	free(rec->lease_owner);
	free(rec->access_key_id);
	free(rec->master_arn);
	free(rec->secret_arn);
	free(rec->account_id);
	free(rec->region);
	memset(rec, 0, sizeof(*rec));
}

void
rotation_records_free(struct rotation_record *recs, size_t count)
{
	if (recs == NULL)
		return;
	for (size_t i = 0; i < count; i++)
		rotation_record_cleanup(&recs[i]);
	free(recs);
}

void
rotation_function_record_cleanup(struct rotation_function_record *rec)
{
	if (rec == NULL)
		return;
	free(rec->arn);
	free(rec->kind);
	free(rec->target);
	memset(rec, 0, sizeof(*rec));
}

void
rotation_function_records_free(struct rotation_function_record *recs,
    size_t count)
{
	if (recs == NULL)
		return;
	for (size_t i = 0; i < count; i++)
		rotation_function_record_cleanup(&recs[i]);
	free(recs);
}

void
access_key_records_free(struct access_key_record *recs, size_t count)
{
	if (recs == NULL)
		return;
	for (size_t i = 0; i < count; i++)
		access_key_record_cleanup(&recs[i]);
	free(recs);
}
