/*
 * data_dir.c: opening a data folder made by `sesame init`.
 *
 * A server never starts empty over data it could not read: a missing
 * database is "not initialised", a wrong root key is refused before any
 * request is served.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "daemon/daemon.h"

enum status
data_dir_root_key(const struct config *cfg, struct secret_buf **out,
    struct error *err)
{
	const char *env_key = getenv("SESAME_ROOT_KEY");

	if (env_key != NULL && env_key[0] != '\0')
		return root_key_parse_hex(env_key, out, err);
	return root_key_load_file(cfg->root_key_file, out, err);
}

enum status
data_dir_open(const struct config *cfg, struct core_env *env,
    struct error *err)
{
	struct store_config	 scfg;
	struct secret_buf	*root = NULL;
	struct store_txn	*txn = NULL;
	unsigned char		*check = NULL;
	size_t			 check_len = 0;
	char			 path[4096];
	struct stat		 sb;
	enum status		 st;

	memset(env, 0, sizeof(*env));
	snprintf(path, sizeof(path), "%s/%s", cfg->data_dir, DB_FILE_NAME);
	if (stat(path, &sb) != 0) {
		st = error_set(err, STATUS_NOT_FOUND,
		    "%s is not an initialised data folder (%s: %s); run "
		    "`sesame init --data-dir %s` first", cfg->data_dir, path,
		    strerror(errno), cfg->data_dir);
		goto out;
	}
	if ((st = data_dir_root_key(cfg, &root, err)) != STATUS_OK)
		goto out;
	if ((st = keyring_new(root, &env->keyring)) != STATUS_OK) {
		root = NULL;
		error_set(err, st, "cannot set up the keyring");
		goto out;
	}
	root = NULL;
	scfg.backend = "sqlite";
	scfg.path = path;
	if ((st = store_open(&scfg, &env->store, err)) != STATUS_OK)
		goto out;
	if ((st = store_begin(env->store, false, &txn)) != STATUS_OK ||
	    (st = store_meta_get(txn, META_ROOT_KEY_CHECK, &check,
	    &check_len)) != STATUS_OK) {
		error_set(err, st == STATUS_NOT_FOUND ? STATUS_CORRUPT : st,
		    "%s holds no root key check: not initialised by sesame init, "
		    "or damaged", path);
		st = STATUS_CORRUPT;
		goto out;
	}
	if ((st = keyring_check_verify(env->keyring, check, check_len)) !=
	    STATUS_OK) {
		error_set(err, st, "the root key does not match the one %s was "
		    "initialised with; refusing to start", path);
		goto out;
	}
	st = STATUS_OK;
out:
	store_rollback(txn);
	free(check);
	secret_buf_free(root);
	if (st != STATUS_OK)
		data_dir_close(env);
	return st;
}

void
data_dir_close(struct core_env *env)
{
	if (env->store != NULL)
		store_close(env->store);
	if (env->keyring != NULL)
		keyring_free(env->keyring);
	memset(env, 0, sizeof(*env));
}
