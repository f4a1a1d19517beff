/*
 * deletion.c: the end of a recovery window.
 *
 * A secret scheduled for deletion stays (describable, restorable) until its
 * deletion date; then the purge removes it with its versions and tags, and
 * its name can be used again.  The purge is driven by the store's
 * deletion_date column, so it is durable across restarts: a secret that
 * fell due while the server was down goes at the next run.
 */
#include <string.h>

#include "common/log.h"
#include "core/core.h"

#define PURGE_BATCH	100

enum status
core_purge_due(const struct core_env *env, int64_t now_ms,
    core_purged_fn on_purged, void *arg, size_t *purged)
{
	struct store_txn	*txn = NULL;
	struct secret_record	*due = NULL;
	size_t			 count = 0, total = 0;
	enum status		 st;

	do {
		if ((st = store_begin(env->store, true, &txn)) != STATUS_OK)
			goto out;
		if ((st = store_secret_list_due(txn, now_ms, PURGE_BATCH, &due,
		    &count)) != STATUS_OK)
			goto out;
		for (size_t i = 0; i < count; i++)
			if ((st = store_secret_delete(txn, due[i].id)) != STATUS_OK)
				goto out;
		st = store_commit(txn);
		txn = NULL;
		if (st != STATUS_OK)
			goto out;
		for (size_t i = 0; i < count; i++) {
			log_info("purged secret %s: its recovery window ended",
			    due[i].arn);
			if (on_purged != NULL)
				on_purged(arg, &due[i], now_ms);
		}
		total += count;
		secret_records_free(due, count);
		due = NULL;
	} while (count == PURGE_BATCH);
out:
	store_rollback(txn);
	secret_records_free(due, count);
	if (purged != NULL)
		*purged = total;
	return st;
}
