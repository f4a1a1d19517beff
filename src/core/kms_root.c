/*
 * kms_root.c: moving everything the root key protects under a new root key
 * without stopping readers, and surviving a crash at any point.
 *
 * What the root key wraps: KMS key material (every version of every key),
 * access keys' and STS session keys' secrets, and the root key check.  Every such blob records
 * in its authenticated header the root key generation that wrapped it
 * (crypto/keyring.c), so a row is always opened with the right key and the
 * rotation can tell which rows are done.
 *
 * A rotation from generation g to g+1:
 *  1. begin, one transaction: the check of g+1 (META_ROOT_PENDING_CHECK)
 *     and the link -- the key of g+1 wrapped under g
 *     (META_ROOT_PENDING_LINK).  From here every process holding key g
 *     can open rows of either generation, and wraps new rows under g+1
 *     (the keyring's refresh hook reads the state before each wrap).
 *  2. re-wrap, one row per transaction (compare-and-swap on the old blob,
 *     so a row the server changed meanwhile is left to the next pass).
 *  3. the new key reaches its source (key file, token; daemon/admin.c).
 *  4. finish, one transaction: re-wrap stragglers, the check of g+1
 *     becomes the check, the link is destroyed.
 * A crash before 4 leaves the old key usable for everything (through the
 * link); a crash between 3 and 4 leaves the new key usable for everything
 * (all rows are under it); running the rotation again resumes.  SQLite
 * serialises writers, so no row can be wrapped under g after step 4's
 * transaction: a writer either saw the pending state (wrapped under g+1)
 * or committed before step 4 began (and step 4 re-wraps its row).
 *
 * Thread-safety: the functions are meant for one admin process; they are
 * safe against concurrent servers on the same database.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "core/core.h"
#include "core/kms_internal.h"

#define REWRAP_PAGE	64

static enum status
generation_of(struct store_txn *txn, const char *meta_key, uint32_t *out)
{
	unsigned char	*blob = NULL;
	size_t		 len = 0;
	enum status	 st;

	if ((st = store_meta_get(txn, meta_key, &blob, &len)) != STATUS_OK)
		return st;
	st = keyring_blob_generation(blob, len, out);
	free(blob);
	return st == STATUS_OK ? STATUS_OK : STATUS_CORRUPT;
}

enum status
core_root_state(struct store_txn *txn, struct root_rotation_state *out)
{
	enum status	 st;

	memset(out, 0, sizeof(*out));
	if ((st = generation_of(txn, META_ROOT_CHECK,
	    &out->current_generation)) != STATUS_OK)
		return st;
	st = generation_of(txn, META_ROOT_PENDING_CHECK,
	    &out->pending_generation);
	if (st == STATUS_NOT_FOUND) {
		out->pending_generation = 0;
		st = STATUS_OK;
	}
	return st;
}

enum status
core_root_keyring_sync(const struct core_env *env)
{
	struct store_txn	*txn = NULL;
	struct root_rotation_state state;
	unsigned char		*link = NULL;
	size_t			 link_len = 0;
	uint32_t		 target;
	enum status		 st;

	if ((st = store_begin(env->store, false, &txn)) != STATUS_OK)
		goto out;
	if ((st = core_root_state(txn, &state)) != STATUS_OK)
		goto out;
	target = state.pending_generation != 0 ? state.pending_generation :
	    state.current_generation;
	if (state.pending_generation != 0 &&
	    !keyring_has_generation(env->keyring, target)) {
		if ((st = store_meta_get(txn, META_ROOT_PENDING_LINK, &link,
		    &link_len)) != STATUS_OK)
			goto out;
		if ((st = keyring_link_open(env->keyring, target, link,
		    link_len)) != STATUS_OK) {
			log_error("root key generation %u is pending but its "
			    "link does not open with the keys held",
			    (unsigned)target);
			goto out;
		}
		log_info("root key rotation to generation %u under way: "
		    "following it", (unsigned)target);
	}
	if (keyring_has_generation(env->keyring, target) &&
	    keyring_wrap_generation(env->keyring) != target)
		st = keyring_set_wrap_generation(env->keyring, target);
out:
	store_rollback(txn);
	free(link);
	return st;
}

enum status
core_root_rotation_begin(const struct core_env *env,
    struct secret_buf *next_key, uint32_t *generation, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct root_rotation_state state;
	unsigned char		*check = NULL, *link = NULL;
	size_t			 check_len = 0, link_len = 0;
	uint32_t		 next;
	enum status		 st;

	if ((st = store_begin(env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = core_root_state(txn, &state)) != STATUS_OK) {
		error_set(err, st, "the data folder holds no valid root key "
		    "check");
		goto out;
	}
	if (state.pending_generation != 0) {
		store_rollback(txn);
		txn = NULL;
		if ((st = core_root_keyring_sync(env)) != STATUS_OK ||
		    !keyring_has_generation(env->keyring,
		    state.pending_generation)) {
			st = error_set(err, STATUS_DECRYPTION_FAILURE, "a "
			    "rotation to root key generation %u is under way "
			    "but its key is not available",
			    (unsigned)state.pending_generation);
			goto out;
		}
		*generation = state.pending_generation;
		st = STATUS_OK;
		goto out;
	}
	if (!keyring_has_generation(env->keyring, state.current_generation)) {
		st = error_set(err, STATUS_DECRYPTION_FAILURE, "the current root "
		    "key (generation %u) is not loaded",
		    (unsigned)state.current_generation);
		goto out;
	}
	next = state.current_generation + 1;
	st = keyring_add(env->keyring, next, next_key);
	next_key = NULL;
	if (st != STATUS_OK) {
		error_set(err, st, "cannot hold the new root key");
		goto out;
	}
	if ((st = keyring_check_make_for(env->keyring, next, &check,
	    &check_len)) != STATUS_OK ||
	    (st = keyring_link_make(env->keyring, next,
	    state.current_generation, &link, &link_len)) != STATUS_OK ||
	    (st = store_meta_put(txn, META_ROOT_PENDING_CHECK, check,
	    check_len)) != STATUS_OK ||
	    (st = store_meta_put(txn, META_ROOT_PENDING_LINK, link,
	    link_len)) != STATUS_OK) {
		error_set(err, st, "cannot record the new root key");
		goto out;
	}
	st = store_commit(txn);
	txn = NULL;
	if (st != STATUS_OK) {
		error_set(err, st, "cannot record the new root key");
		goto out;
	}
	if ((st = keyring_set_wrap_generation(env->keyring, next)) !=
	    STATUS_OK)
		goto out;
	log_info("root key rotation begun: generation %u to %u",
	    (unsigned)state.current_generation, (unsigned)next);
	*generation = next;
out:
	store_rollback(txn);
	secret_buf_free(next_key);
	free(check);
	free(link);
	return st;
}

static void
row_label(const struct root_wrapped_record *row, char *buf, size_t len)
{
	/* The labels account.c, iam_access_keys.c and sts.c wrap under. */
	if (row->kind == ROOT_WRAPPED_KMS_MATERIAL)
		kms_material_label(row->arn != NULL ? row->arn : "",
		    row->version, buf, len);
	else if (row->kind == ROOT_WRAPPED_ACCESS_KEY)
		snprintf(buf, len, "access-key:%s", row->id);
	else
		snprintf(buf, len, "session-key:%s", row->id);
}

/* Re-wrap one row under the keyring's wrap generation, inside txn.
 * STATUS_NOT_FOUND when the row changed underneath (left for later). */
static enum status
row_rewrap(const struct core_env *env, struct store_txn *txn,
    const struct root_wrapped_record *row, struct error *err)
{
	struct root_wrapped_record fresh;
	struct secret_buf	*material = NULL;
	char			 label[2200];
	uint32_t		 generation = 0;
	enum status		 st;

	fresh = *row;
	fresh.wrapped = NULL;
	row_label(row, label, sizeof(label));
	(void)keyring_blob_generation(row->wrapped, row->wrapped_len,
	    &generation);
	if ((st = keyring_unwrap(env->keyring, label, row->wrapped,
	    row->wrapped_len, &material)) != STATUS_OK) {
		st = error_set(err, STATUS_DECRYPTION_FAILURE, "%s %s is wrapped "
		    "under root key generation %u, which this process does not "
		    "hold (or the row is damaged); run the rotation with that "
		    "key", row->kind == ROOT_WRAPPED_KMS_MATERIAL ? "KMS key" :
		    row->kind == ROOT_WRAPPED_ACCESS_KEY ? "access key" :
		    "session key", row->id, (unsigned)generation);
		goto out;
	}
	if ((st = keyring_wrap(env->keyring, label, material, &fresh.wrapped,
	    &fresh.wrapped_len)) != STATUS_OK) {
		error_set(err, st, "cannot wrap under the new root key");
		goto out;
	}
	st = store_root_wrapped_update(txn, &fresh, row->wrapped,
	    row->wrapped_len);
out:
	free(fresh.wrapped);
	secret_buf_free(material);
	return st;
}

static bool
row_is_current(const struct root_wrapped_record *row, uint32_t target)
{
	uint32_t g = 0;

	return keyring_blob_generation(row->wrapped, row->wrapped_len, &g) ==
	    STATUS_OK && g == target;
}

static void
crash_now(size_t rows)
{
	log_warn("SESAME_TEST_CRASH_AFTER: killing the process after %zu "
	    "re-wrapped rows", rows);
	(void)kill(getpid(), SIGKILL);
	_exit(137);
}

/* One pass over one kind of row; each stale row in a transaction of its
 * own (txn NULL) or all in txn (the finishing transaction). */
static enum status
rewrap_kind(const struct core_env *env, struct store_txn *txn,
    enum root_wrapped_kind kind, uint32_t target, size_t crash_after,
    size_t *rewrapped, struct error *err)
{
	struct root_wrapped_record *rows = NULL;
	struct store_txn	*own = NULL;
	size_t			 count = 0;
	char			*after_id = NULL;
	int64_t			 after_version = 0;
	enum status		 st;

	for (;;) {
		if (txn == NULL && (st = store_begin(env->store, false,
		    &own)) != STATUS_OK)
			goto out;
		st = store_root_wrapped_list(txn != NULL ? txn : own, kind,
		    after_id, after_version, REWRAP_PAGE, &rows, &count);
		store_rollback(own);
		own = NULL;
		if (st != STATUS_OK)
			goto out;
		if (count == 0)
			break;
		for (size_t i = 0; i < count; i++) {
			if (row_is_current(&rows[i], target))
				continue;
			if (txn != NULL) {
				if ((st = row_rewrap(env, txn, &rows[i],
				    err)) != STATUS_OK)
					goto out;
				(*rewrapped)++;
				continue;
			}
			if ((st = store_begin(env->store, true, &own)) !=
			    STATUS_OK)
				goto out;
			st = row_rewrap(env, own, &rows[i], err);
			if (st == STATUS_NOT_FOUND) {
				/* Changed meanwhile: finish picks it up. */
				store_rollback(own);
				own = NULL;
				continue;
			}
			if (st != STATUS_OK)
				goto out;
			st = store_commit(own);
			own = NULL;
			if (st != STATUS_OK)
				goto out;
			(*rewrapped)++;
			if (crash_after > 0 && *rewrapped == crash_after)
				crash_now(*rewrapped);
		}
		free(after_id);
		if ((after_id = strdup(rows[count - 1].id)) == NULL) {
			st = STATUS_NO_MEMORY;
			goto out;
		}
		after_version = rows[count - 1].version;
		root_wrapped_records_free(rows, count);
		rows = NULL;
		count = 0;
	}
	st = STATUS_OK;
out:
	store_rollback(own);
	root_wrapped_records_free(rows, count);
	free(after_id);
	return st;
}

static enum status
pending_target(const struct core_env *env, uint32_t *target)
{
	struct store_txn	*txn = NULL;
	struct root_rotation_state state;
	enum status		 st;

	if ((st = store_begin(env->store, false, &txn)) != STATUS_OK)
		return st;
	st = core_root_state(txn, &state);
	store_rollback(txn);
	if (st != STATUS_OK)
		return st;
	*target = state.pending_generation;
	return STATUS_OK;
}

enum status
core_root_rewrap_all(const struct core_env *env, size_t crash_after,
    size_t *rewrapped, struct error *err)
{
	uint32_t	 target = 0;
	enum status	 st;

	*rewrapped = 0;
	if ((st = pending_target(env, &target)) != STATUS_OK)
		return error_set(err, st, "cannot read the rotation state");
	if (target == 0)
		return STATUS_OK;
	if ((st = core_root_keyring_sync(env)) != STATUS_OK ||
	    keyring_wrap_generation(env->keyring) != target)
		return error_set(err, STATUS_DECRYPTION_FAILURE, "the key of "
		    "root key generation %u is not available", (unsigned)target);
	if ((st = rewrap_kind(env, NULL, ROOT_WRAPPED_KMS_MATERIAL, target,
	    crash_after, rewrapped, err)) != STATUS_OK ||
	    (st = rewrap_kind(env, NULL, ROOT_WRAPPED_ACCESS_KEY, target,
	    crash_after, rewrapped, err)) != STATUS_OK ||
	    (st = rewrap_kind(env, NULL, ROOT_WRAPPED_SESSION_KEY, target,
	    crash_after, rewrapped, err)) != STATUS_OK)
		return st;
	return STATUS_OK;
}

enum status
core_root_rotation_finish(const struct core_env *env, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct root_rotation_state state;
	unsigned char		*check = NULL;
	size_t			 check_len = 0, stragglers = 0;
	enum status		 st;

	if ((st = store_begin(env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = core_root_state(txn, &state)) != STATUS_OK)
		goto out;
	if (state.pending_generation == 0) {
		st = STATUS_OK;
		goto out;
	}
	if (keyring_wrap_generation(env->keyring) != state.pending_generation) {
		st = error_set(err, STATUS_INTERNAL, "the keyring does not wrap "
		    "under the pending generation");
		goto out;
	}
	/* Rows written since the last pass, under the write lock. */
	if ((st = rewrap_kind(env, txn, ROOT_WRAPPED_KMS_MATERIAL,
	    state.pending_generation, 0, &stragglers, err)) != STATUS_OK ||
	    (st = rewrap_kind(env, txn, ROOT_WRAPPED_ACCESS_KEY,
	    state.pending_generation, 0, &stragglers, err)) != STATUS_OK ||
	    (st = rewrap_kind(env, txn, ROOT_WRAPPED_SESSION_KEY,
	    state.pending_generation, 0, &stragglers, err)) != STATUS_OK)
		goto out;
	if ((st = store_meta_get(txn, META_ROOT_PENDING_CHECK, &check,
	    &check_len)) != STATUS_OK ||
	    (st = keyring_check_verify(env->keyring, check, check_len)) !=
	    STATUS_OK ||
	    (st = store_meta_put(txn, META_ROOT_CHECK, check, check_len)) !=
	    STATUS_OK ||
	    (st = store_meta_delete(txn, META_ROOT_PENDING_CHECK)) !=
	    STATUS_OK ||
	    (st = store_meta_delete(txn, META_ROOT_PENDING_LINK)) != STATUS_OK) {
		error_set(err, st, "cannot complete the rotation");
		goto out;
	}
	st = store_commit(txn);
	txn = NULL;
	if (st != STATUS_OK) {
		error_set(err, st, "cannot complete the rotation");
		goto out;
	}
	log_info("root key rotation to generation %u complete (%zu late rows "
	    "re-wrapped)", (unsigned)state.pending_generation, stragglers);
out:
	store_rollback(txn);
	free(check);
	return st;
}

enum status
core_root_key_export(const struct core_env *env, uint32_t generation,
    struct secret_buf **out)
{
	return keyring_root_copy(env->keyring, generation, out);
}
