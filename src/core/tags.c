/*
 * tags.c: tags on secrets (TagResource, UntagResource, Tags on create).
 *
 * Limits as AWS documents them: at most 50 tags per secret, keys of 1-128
 * and values of 0-256 characters, and the aws: prefix reserved for AWS.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core.h"
#include "core/core_internal.h"

#define TAGS_MAX	50

enum status
core_tags_validate(const struct tag *tags, size_t count, struct error *err)
{
	for (size_t i = 0; i < count; i++) {
		if (strncasecmp(tags[i].key, "aws:", 4) == 0)
			return error_set(err, STATUS_INVALID_PARAMETER,
			    "Invalid tag key: the aws: prefix is reserved for "
			    "AWS use.");
		for (size_t j = 0; j < i; j++)
			if (strcmp(tags[i].key, tags[j].key) == 0)
				return error_set(err, STATUS_INVALID_PARAMETER,
				    "Duplicate tag key: %s", tags[i].key);
	}
	if (count > TAGS_MAX)
		return error_set(err, STATUS_INVALID_PARAMETER, "A secret can "
		    "have at most %d tags.", TAGS_MAX);
	return STATUS_OK;
}

/* Apply additions (overwriting equal keys) or removals to the stored tags. */
static enum status
tags_change(struct core_request *req, const char *secret_id,
    const struct tag *add, size_t add_count, const char *const *remove,
    size_t remove_count, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct secret_record	 secret;
	struct tag		*old = NULL, *merged = NULL;
	size_t			 old_count = 0, n = 0;
	enum status		 st;

	memset(&secret, 0, sizeof(secret));
	if (add_count > 0 &&
	    (st = core_tags_validate(add, add_count, err)) != STATUS_OK)
		goto out;
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
	if ((st = store_tags_get(txn, secret.id, &old, &old_count)) != STATUS_OK)
		goto out;
	if ((merged = calloc(old_count + add_count + 1, sizeof(*merged))) ==
	    NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	for (size_t i = 0; i < old_count; i++) {
		bool is_dropped = false;

		for (size_t j = 0; !is_dropped && j < add_count; j++)
			is_dropped = strcmp(old[i].key, add[j].key) == 0;
		for (size_t j = 0; !is_dropped && j < remove_count; j++)
			is_dropped = strcmp(old[i].key, remove[j]) == 0;
		if (!is_dropped)
			merged[n++] = old[i];
	}
	for (size_t j = 0; j < add_count; j++)
		merged[n++] = add[j];
	if (add_count > 0 && (st = core_tags_validate(merged, n, err)) !=
	    STATUS_OK)
		goto out;
	if ((st = store_tags_put(txn, secret.id, merged, n)) != STATUS_OK)
		goto out;
	secret.last_changed_at = req->now_ms;
	if ((st = store_secret_update(txn, &secret)) != STATUS_OK ||
	    (st = core_replicas_sync(req, txn, &secret, err)) != STATUS_OK)
		goto out;
	st = store_commit(txn);
	txn = NULL;
out:
	store_rollback(txn);
	free(merged);		/* borrowed strings: freed with old / add */
	tags_free(old, old_count);
	secret_record_cleanup(&secret);
	return st;
}

enum status
core_secret_tag(struct core_request *req, const char *secret_id,
    const struct tag *tags, size_t count, struct error *err)
{
	return tags_change(req, secret_id, tags, count, NULL, 0, err);
}

enum status
core_secret_untag(struct core_request *req, const char *secret_id,
    const char *const *keys, size_t count, struct error *err)
{
	return tags_change(req, secret_id, NULL, 0, keys, count, err);
}
