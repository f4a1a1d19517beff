/*
 * account.c: accounts and the access keys that act for them.
 *
 * A secret access key must be known to verify SigV4 signatures, so it is
 * stored wrapped by the root key, labelled with its access key id (a wrapped
 * secret moved to another key id does not unwrap).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "core/core.h"

#define KEY_ID_ALPHABET		"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
#define SECRET_KEY_ALPHABET	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

static enum status
access_key_store(struct store_txn *txn, const struct core_env *env,
    const char *account_id, const char *access_key_id,
    const struct secret_buf *secret, int64_t now_ms)
{
	struct access_key_record rec;
	char			 label[160], user_id[32];
	enum status		 st;

	memset(&rec, 0, sizeof(rec));
	memcpy(user_id, "AIDA", 4);
	if ((st = random_string(KEY_ID_ALPHABET, 17, user_id + 4)) != STATUS_OK)
		goto out;
	user_id[21] = '\0';
	snprintf(label, sizeof(label), "access-key:%s", access_key_id);
	if ((st = keyring_wrap(env->keyring, label, secret, &rec.wrapped_secret,
	    &rec.wrapped_secret_len)) != STATUS_OK)
		goto out;
	rec.access_key_id = (char *)access_key_id;
	rec.account_id = (char *)account_id;
	if (asprintf(&rec.principal_arn, "arn:aws:iam::%s:user/admin",
	    account_id) < 0) {
		rec.principal_arn = NULL;
		st = STATUS_NO_MEMORY;
		goto out;
	}
	rec.user_name = (char *)"admin";
	rec.user_id = user_id;
	rec.is_active = true;
	rec.created_at = now_ms;
	st = store_access_key_put(txn, &rec);
out:
	free(rec.principal_arn);
	free(rec.wrapped_secret);
	return st;
}

static bool
account_id_is_valid(const char *id)
{
	if (strlen(id) != ACCOUNT_ID_LEN)
		return false;
	for (const char *p = id; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

enum status
core_account_create(const struct core_env *env, const char *account_id,
    int64_t now_ms, char out_account_id[16], struct access_key_pair *out_key,
    struct error *err)
{
	struct store_txn	*txn = NULL;
	struct secret_buf	*secret = NULL;
	struct access_key_pair	 pair;
	char			 id[16];
	enum status		 st;

	memset(&pair, 0, sizeof(pair));
	if (account_id != NULL) {
		if (!account_id_is_valid(account_id)) {
			st = error_set(err, STATUS_INVALID_PARAMETER,
			    "account id must be 12 digits");
			goto out;
		}
		snprintf(id, sizeof(id), "%s", account_id);
	} else {
		if ((st = random_string("0123456789", ACCOUNT_ID_LEN, id)) !=
		    STATUS_OK)
			goto out;
		if (id[0] == '0')
			id[0] = '1';
		id[ACCOUNT_ID_LEN] = '\0';
	}
	memcpy(pair.access_key_id, "AKIA", 4);
	if ((st = random_string(KEY_ID_ALPHABET, 16, pair.access_key_id + 4)) !=
	    STATUS_OK ||
	    (st = random_string(SECRET_KEY_ALPHABET, 40,
	    pair.secret_access_key)) != STATUS_OK)
		goto out;
	if ((secret = secret_buf_from(pair.secret_access_key, 40)) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	if ((st = store_begin(env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = store_account_put(txn, id, now_ms)) != STATUS_OK) {
		if (st == STATUS_EXISTS)
			error_set(err, st, "account %s already exists", id);
		goto out;
	}
	if ((st = access_key_store(txn, env, id, pair.access_key_id, secret,
	    now_ms)) != STATUS_OK)
		goto out;
	st = store_commit(txn);
	txn = NULL;
	if (st != STATUS_OK)
		goto out;
	memcpy(out_account_id, id, sizeof(id));
	*out_key = pair;
out:
	store_rollback(txn);
	secret_buf_free(secret);
	explicit_bzero(&pair, sizeof(pair));
	if (st != STATUS_OK && err != NULL && err->message[0] == '\0')
		error_set(err, st, "cannot create the account (%s)",
		    status_name(st));
	return st;
}

enum status
core_access_key_import(const struct core_env *env, const char *account_id,
    const char *access_key_id, const struct secret_buf *secret_access_key,
    int64_t now_ms, struct error *err)
{
	struct store_txn	*txn = NULL;
	size_t			 len = strlen(access_key_id);
	enum status		 st;

	if (len < 16 || len > 128) {
		st = error_set(err, STATUS_INVALID_PARAMETER,
		    "access key id must be 16 to 128 characters");
		goto out;
	}
	for (const char *p = access_key_id; *p; p++) {
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '_')) {
			st = error_set(err, STATUS_INVALID_PARAMETER,
			    "access key id may hold only letters, digits and _");
			goto out;
		}
	}
	if (secret_access_key->len == 0 || secret_access_key->len > 128) {
		st = error_set(err, STATUS_INVALID_PARAMETER,
		    "secret access key must be 1 to 128 characters");
		goto out;
	}
	if ((st = store_begin(env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = store_account_exists(txn, account_id)) != STATUS_OK) {
		if (st == STATUS_NOT_FOUND)
			error_set(err, st, "account %s does not exist",
			    account_id);
		goto out;
	}
	if ((st = access_key_store(txn, env, account_id, access_key_id,
	    secret_access_key, now_ms)) != STATUS_OK) {
		if (st == STATUS_EXISTS)
			error_set(err, st, "access key %s already exists",
			    access_key_id);
		goto out;
	}
	st = store_commit(txn);
	txn = NULL;
out:
	store_rollback(txn);
	if (st != STATUS_OK && err != NULL && err->message[0] == '\0')
		error_set(err, st, "cannot import the access key (%s)",
		    status_name(st));
	return st;
}

enum status
core_access_key_lookup(const struct core_env *env, const char *access_key_id,
    struct access_key_record *out, struct secret_buf **secret_access_key)
{
	struct store_txn	*txn = NULL;
	struct access_key_record rec;
	struct secret_buf	*secret = NULL;
	char			 label[160];
	enum status		 st;

	memset(&rec, 0, sizeof(rec));
	if ((st = store_begin(env->store, false, &txn)) != STATUS_OK)
		goto out;
	if ((st = store_access_key_get(txn, access_key_id, &rec)) != STATUS_OK)
		goto out;
	if (!rec.is_active) {
		st = STATUS_NOT_FOUND;
		goto out;
	}
	snprintf(label, sizeof(label), "access-key:%s", access_key_id);
	if ((st = keyring_unwrap_cached(env->keyring, label, rec.wrapped_secret,
	    rec.wrapped_secret_len, &secret)) != STATUS_OK) {
		log_error("access key %s does not unwrap under the root key",
		    access_key_id);
		st = STATUS_CORRUPT;
		goto out;
	}
	*out = rec;
	memset(&rec, 0, sizeof(rec));
	*secret_access_key = secret;
	secret = NULL;
out:
	store_rollback(txn);
	access_key_record_cleanup(&rec);
	secret_buf_free(secret);
	return st;
}
