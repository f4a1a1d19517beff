/*
 * iam_access_keys.c: long-term access keys of IAM users and of the
 * account's own principal: CreateAccessKey, ListAccessKeys,
 * UpdateAccessKey (Active/Inactive), DeleteAccessKey.
 *
 * A key's row names its owner by user name and user id (access_keys'
 * user_name, user_id, principal_arn): an IAM user's keys carry the user's
 * id, so a user deleted and made again never inherits old keys.  The
 * account's own keys (made by `sesame init`, `admin create-account`,
 * `admin import-access-key`) have no IAM user row; with no UserName the
 * operations act on the caller's keys, whichever kind of principal it is.
 * The secret is wrapped by the root key as account.c does ("access-key:"
 * label), and returned once, by CreateAccessKey.  Deactivation takes
 * effect on the next request: SigV4 reads the key's state every time.
 *
 * Thread-safety: reentrant.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core_internal.h"
#include "core/iam.h"
#include "core/iam_internal.h"

/* Whose keys an operation touches. */
struct key_owner {
	struct iam_entity_record user;	/* IAM user; else name/arn only */
	bool		 is_iam_user;
	const char	*user_id;	/* NULL: every key of the name (the
					 * account's own, whose keys each
					 * carry an id of their own) */
};

void
iam_access_key_list_cleanup(struct iam_access_key_list *l)
{
	if (l == NULL)
		return;
	access_key_records_free(l->keys, l->count);
	free(l->user_name);
	memset(l, 0, sizeof(*l));
}

static void
key_owner_cleanup(struct key_owner *o)
{
	iam_entity_record_cleanup(&o->user);
	memset(o, 0, sizeof(*o));
}

/* The account's own principal as an owner (a user without a row). */
static enum status
builtin_owner(struct core_request *req, const struct core_identity *caller,
    struct key_owner *o, struct error *err)
{
	enum status	 st;

	if ((st = core_authorize(req, caller->arn, req->account_id, err)) !=
	    STATUS_OK)
		return st;
	if ((o->user.name = strdup(caller->user_name)) == NULL ||
	    (o->user.arn = strdup(caller->arn)) == NULL ||
	    (o->user.id = strdup(caller->user_id)) == NULL)
		return STATUS_NO_MEMORY;
	o->is_iam_user = false;
	o->user_id = NULL;
	return STATUS_OK;
}

static enum status
owner_resolve(struct core_request *req, struct store_txn *txn,
    const struct core_identity *caller, const char *user_name,
    struct key_owner *o, struct error *err)
{
	enum status	 st;

	memset(o, 0, sizeof(*o));
	if (user_name == NULL) {
		if (caller == NULL || caller->user_name == NULL)
			return error_set(err, STATUS_VALIDATION,
			    IAM_MSG_NON_USER);
		if (caller->is_account_administrator)
			return builtin_owner(req, caller, o, err);
		user_name = caller->user_name;
	}
	st = iam_entity_load(req, txn, IAM_KIND_USER, user_name, &o->user, err);
	if (st == STATUS_NOT_FOUND && caller != NULL &&
	    caller->is_account_administrator &&
	    strcasecmp(user_name, caller->user_name) == 0) {
		/* "--user-name admin" from the account's own key. */
		error_clear(err);
		return builtin_owner(req, caller, o, err);
	}
	if (st != STATUS_OK)
		return st;
	o->is_iam_user = true;
	o->user_id = o->user.id;
	return STATUS_OK;
}

static enum status
key_not_found(struct error *err, const char *access_key_id)
{
	return error_set(err, STATUS_NOT_FOUND,
	    "The Access Key with id %s cannot be found.", access_key_id);
}

/* The key, if it is the owner's. */
static enum status
owned_key_get(struct core_request *req, struct store_txn *txn,
    const struct key_owner *o, const char *access_key_id,
    struct access_key_record *out, struct error *err)
{
	enum status	 st;

	if ((st = store_access_key_get(txn, access_key_id, out)) != STATUS_OK) {
		if (st == STATUS_NOT_FOUND)
			key_not_found(err, access_key_id);
		return st;
	}
	if (strcmp(out->account_id, req->account_id) != 0 ||
	    strcmp(out->user_name, o->user.name) != 0 ||
	    (o->user_id != NULL && strcmp(out->user_id, o->user_id) != 0)) {
		access_key_record_cleanup(out);
		return key_not_found(err, access_key_id);
	}
	return STATUS_OK;
}

enum status
core_iam_access_key_create(struct core_request *req,
    const struct core_identity *caller, const char *user_name,
    struct access_key_record *out_record, struct access_key_pair *out_key,
    struct error *err)
{
	struct store_txn	*txn = NULL;
	struct key_owner	 o;
	struct access_key_record rec, *keys = NULL;
	struct access_key_pair	 pair;
	struct secret_buf	*secret = NULL;
	char			 label[160];
	size_t			 n = 0;
	enum status		 st;

	memset(&o, 0, sizeof(o));
	memset(&rec, 0, sizeof(rec));
	memset(&pair, 0, sizeof(pair));
	if ((st = store_begin(req->env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = owner_resolve(req, txn, caller, user_name, &o, err)) !=
	    STATUS_OK)
		goto out;
	if (o.is_iam_user) {
		if ((st = store_access_key_list_by_owner(txn, req->account_id,
		    o.user.name, o.user_id, &keys, &n)) != STATUS_OK)
			goto out;
		if (n >= IAM_ACCESS_KEYS_PER_USER) {
			st = error_set(err, STATUS_LIMIT_EXCEEDED,
			    "Cannot exceed quota for AccessKeysPerUser: %d",
			    IAM_ACCESS_KEYS_PER_USER);
			goto out;
		}
	}
	if ((st = iam_key_pair_new("AKIA", &pair, &secret)) != STATUS_OK)
		goto out;
	snprintf(label, sizeof(label), "access-key:%s", pair.access_key_id);
	if ((st = keyring_wrap(req->env->keyring, label, secret,
	    &rec.wrapped_secret, &rec.wrapped_secret_len)) != STATUS_OK)
		goto out;
	rec.access_key_id = pair.access_key_id;
	rec.account_id = (char *)req->account_id;
	rec.principal_arn = o.user.arn;
	rec.user_name = o.user.name;
	rec.user_id = o.user.id;
	rec.is_active = true;
	rec.created_at = req->now_ms;
	if ((st = store_access_key_put(txn, &rec)) != STATUS_OK)
		goto out;
	st = iam_commit(txn);
	txn = NULL;
	if (st != STATUS_OK)
		goto out;
	memset(out_record, 0, sizeof(*out_record));
	if ((out_record->access_key_id = strdup(pair.access_key_id)) == NULL ||
	    (out_record->account_id = strdup(req->account_id)) == NULL ||
	    (out_record->principal_arn = strdup(o.user.arn)) == NULL ||
	    (out_record->user_name = strdup(o.user.name)) == NULL ||
	    (out_record->user_id = strdup(o.user.id)) == NULL) {
		access_key_record_cleanup(out_record);
		st = STATUS_NO_MEMORY;
		goto out;
	}
	out_record->is_active = true;
	out_record->created_at = req->now_ms;
	*out_key = pair;
out:
	store_rollback(txn);
	free(rec.wrapped_secret);
	secret_buf_free(secret);
	explicit_bzero(&pair, sizeof(pair));
	access_key_records_free(keys, n);
	key_owner_cleanup(&o);
	return st;
}

enum status
core_iam_access_key_list(struct core_request *req,
    const struct core_identity *caller, const char *user_name,
    struct iam_access_key_list *out, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct key_owner	 o;
	struct iam_access_key_list l;
	enum status		 st;

	memset(&o, 0, sizeof(o));
	memset(&l, 0, sizeof(l));
	if ((st = store_begin(req->env->store, false, &txn)) != STATUS_OK)
		goto out;
	if ((st = owner_resolve(req, txn, caller, user_name, &o, err)) !=
	    STATUS_OK)
		goto out;
	if ((st = store_access_key_list_by_owner(txn, req->account_id,
	    o.user.name, o.user_id, &l.keys, &l.count)) != STATUS_OK)
		goto out;
	if ((l.user_name = strdup(o.user.name)) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	*out = l;
	memset(&l, 0, sizeof(l));
out:
	store_rollback(txn);
	iam_access_key_list_cleanup(&l);
	key_owner_cleanup(&o);
	return st;
}

/* UpdateAccessKey (delete false) or DeleteAccessKey (delete true). */
static enum status
key_change(struct core_request *req, const struct core_identity *caller,
    const char *user_name, const char *access_key_id, bool is_delete,
    bool is_active, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct key_owner	 o;
	struct access_key_record key;
	enum status		 st;

	memset(&o, 0, sizeof(o));
	memset(&key, 0, sizeof(key));
	if ((st = store_begin(req->env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = owner_resolve(req, txn, caller, user_name, &o, err)) !=
	    STATUS_OK)
		goto out;
	if ((st = owned_key_get(req, txn, &o, access_key_id, &key, err)) !=
	    STATUS_OK)
		goto out;
	if (is_delete)
		st = store_access_key_delete(txn, access_key_id);
	else
		st = store_access_key_set_active(txn, access_key_id, is_active);
	if (st != STATUS_OK) {
		if (st == STATUS_NOT_FOUND)
			key_not_found(err, access_key_id);
		goto out;
	}
	st = iam_commit(txn);
	txn = NULL;
out:
	store_rollback(txn);
	access_key_record_cleanup(&key);
	key_owner_cleanup(&o);
	return st;
}

enum status
core_iam_access_key_update(struct core_request *req,
    const struct core_identity *caller, const char *user_name,
    const char *access_key_id, bool is_active, struct error *err)
{
	return key_change(req, caller, user_name, access_key_id, false,
	    is_active, err);
}

enum status
core_iam_access_key_delete(struct core_request *req,
    const struct core_identity *caller, const char *user_name,
    const char *access_key_id, struct error *err)
{
	return key_change(req, caller, user_name, access_key_id, true, false,
	    err);
}
