/*
 * data_dir.c: opening a data folder made by `sesame init`, and the root
 * key sources.
 *
 * A server never starts empty over data it could not read: a missing
 * database is "not initialised", a wrong root key is refused before any
 * request is served.
 *
 * The root key comes from one source, chosen by root-key-source: a 0600
 * key file, the SESAME_ROOT_KEY environment variable, or a PKCS#11 token
 * that decrypts the wrapped key file (crypto/root_key_pkcs11.c); "auto"
 * is the environment when set, else the file.
 *
 * The keyring follows root key rotations run by `sesame admin
 * rotate-root-key` while the server runs (core/kms_root.c): before each
 * wrap it reads the rotation state (refresh hook), and when a row names a
 * generation it lacks (load hook) it opens the rotation's link or, once the
 * rotation is complete, reads its source again -- the key file or token
 * then holds the new key -- and keeps the key only if it matches the
 * data folder's check.  A key from the environment cannot change under a
 * running process: such a server keeps working until the rotation
 * completes and must then be restarted with the new key.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/log.h"
#include "daemon/daemon.h"

/* What the keyring hooks need, owned by the keyring (released with it). */
struct root_hooks {
	pthread_mutex_t	 lock;		/* one reload at a time */
	struct store	*store;
	struct config	 cfg;		/* the root key source options */
};

static bool
source_is(const struct config *cfg, const char *name)
{
	return cfg->root_key_source != NULL &&
	    strcmp(cfg->root_key_source, name) == 0;
}

static enum status
pkcs11_config_fill(const struct config *cfg, struct pkcs11_config *p,
    struct secret_buf **pin, struct error *err)
{
	const char	*env_pin = getenv("SESAME_PKCS11_PIN");
	enum status	 st;

	memset(p, 0, sizeof(*p));
	*pin = NULL;
	if (cfg->pkcs11_pin_file != NULL) {
		if ((st = secret_file_load(cfg->pkcs11_pin_file, pin, err)) !=
		    STATUS_OK)
			return st;
	} else if (env_pin != NULL && env_pin[0] != '\0') {
		if ((*pin = secret_buf_from(env_pin, strlen(env_pin))) == NULL)
			return error_set(err, STATUS_NO_MEMORY, "out of memory");
	} else
		return error_set(err, STATUS_INVALID_PARAMETER, "the PKCS#11 "
		    "root key source needs the token's PIN: set pkcs11-pin-file "
		    "or SESAME_PKCS11_PIN");
	p->module = cfg->pkcs11_module;
	p->token_label = cfg->pkcs11_token_label;
	p->key_label = cfg->pkcs11_key_label;
	p->pin = *pin;
	p->wrapped_file = cfg->pkcs11_wrapped_key_file;
	return STATUS_OK;
}

enum status
data_dir_root_key(const struct config *cfg, struct secret_buf **out,
    struct error *err)
{
	const char		*env_key = getenv("SESAME_ROOT_KEY");
	struct pkcs11_config	 p;
	struct secret_buf	*pin = NULL;
	enum status		 st;

	if (source_is(cfg, "pkcs11")) {
		if ((st = pkcs11_config_fill(cfg, &p, &pin, err)) == STATUS_OK)
			st = root_key_pkcs11_load(&p, out, err);
		secret_buf_free(pin);
		return st;
	}
	if (source_is(cfg, "env") && (env_key == NULL || env_key[0] == '\0'))
		return error_set(err, STATUS_INVALID_PARAMETER,
		    "root-key-source is env but SESAME_ROOT_KEY is not set");
	if (!source_is(cfg, "file") && env_key != NULL && env_key[0] != '\0')
		return root_key_parse_hex(env_key, out, err);
	return root_key_load_file(cfg->root_key_file, out, err);
}

enum status
data_dir_root_key_store(const struct config *cfg, const char *source,
    const struct secret_buf *key, struct error *err)
{
	struct pkcs11_config	 p;
	struct secret_buf	*pin = NULL;
	enum status		 st;

	if (strcmp(source, "pkcs11") == 0) {
		if ((st = pkcs11_config_fill(cfg, &p, &pin, err)) == STATUS_OK)
			st = root_key_pkcs11_store(&p, key, err);
		secret_buf_free(pin);
		return st;
	}
	if (strcmp(source, "file") == 0)
		return root_key_write_file(cfg->root_key_file, key, err);
	/* env: the operator holds the key; nothing to write. */
	return STATUS_OK;
}

/* ---- following rotations ---- */

static void
config_copy_string(char **dst, const char *src)
{
	*dst = src != NULL ? strdup(src) : NULL;
}

static void
root_hooks_release(void *arg)
{
	struct root_hooks *h = arg;

	if (h == NULL)
		return;
	pthread_mutex_destroy(&h->lock);
	free(h->cfg.root_key_file);
	free(h->cfg.root_key_source);
	free(h->cfg.pkcs11_module);
	free(h->cfg.pkcs11_token_label);
	free(h->cfg.pkcs11_key_label);
	free(h->cfg.pkcs11_pin_file);
	free(h->cfg.pkcs11_wrapped_key_file);
	free(h);
}

static enum status
root_hooks_refresh(void *arg, struct keyring *kr)
{
	struct root_hooks	*h = arg;
	struct core_env		 env = { h->store, kr };

	return core_root_keyring_sync(&env);
}

/* Does key match the check blob stored under meta_key for generation? */
static bool
key_matches(struct store *store, const char *meta_key, uint32_t generation,
    const struct secret_buf *key)
{
	struct store_txn	*txn = NULL;
	struct keyring		*probe = NULL;
	struct secret_buf	*copy = NULL;
	unsigned char		*check = NULL;
	size_t			 check_len = 0;
	uint32_t		 g = 0;
	bool			 is_match = false;

	if (store_begin(store, false, &txn) != STATUS_OK)
		goto out;
	if (store_meta_get(txn, meta_key, &check, &check_len) != STATUS_OK ||
	    keyring_blob_generation(check, check_len, &g) != STATUS_OK ||
	    g != generation)
		goto out;
	if ((copy = secret_buf_from(key->data, key->len)) == NULL ||
	    keyring_new_generation(copy, generation, &probe) != STATUS_OK) {
		copy = NULL;
		goto out;
	}
	copy = NULL;
	is_match = keyring_check_verify(probe, check, check_len) == STATUS_OK;
out:
	store_rollback(txn);
	keyring_free(probe);
	secret_buf_free(copy);
	free(check);
	return is_match;
}

static enum status
root_hooks_load(void *arg, struct keyring *kr, uint32_t generation)
{
	struct root_hooks	*h = arg;
	struct core_env		 env = { h->store, kr };
	struct secret_buf	*key = NULL;
	struct error		 err;
	enum status		 st;

	/* A rotation under way: its link. */
	if ((st = core_root_keyring_sync(&env)) == STATUS_OK &&
	    keyring_has_generation(kr, generation))
		return STATUS_OK;
	/* A rotation completed elsewhere: the source holds the new key. */
	pthread_mutex_lock(&h->lock);
	if (keyring_has_generation(kr, generation)) {
		st = STATUS_OK;
		goto out;
	}
	if ((st = data_dir_root_key(&h->cfg, &key, &err)) != STATUS_OK) {
		log_error("root key generation %u is needed but the root key "
		    "source cannot be read: %s", (unsigned)generation,
		    err.message);
		goto out;
	}
	if (!key_matches(h->store, META_ROOT_CHECK, generation, key) &&
	    !key_matches(h->store, META_ROOT_PENDING_CHECK, generation, key)) {
		log_error("root key generation %u is needed but the root key "
		    "source holds another key: restart the server with the "
		    "current root key", (unsigned)generation);
		st = STATUS_DECRYPTION_FAILURE;
		goto out;
	}
	st = keyring_add(kr, generation, key);
	key = NULL;
	if (st == STATUS_OK)
		log_info("loaded root key generation %u from the root key "
		    "source", (unsigned)generation);
out:
	pthread_mutex_unlock(&h->lock);
	secret_buf_free(key);
	return st;
}

static enum status
root_hooks_install(const struct config *cfg, struct core_env *env)
{
	struct keyring_hooks	 hooks;
	struct root_hooks	*h;

	if ((h = calloc(1, sizeof(*h))) == NULL)
		return STATUS_NO_MEMORY;
	if (pthread_mutex_init(&h->lock, NULL) != 0) {
		free(h);
		return STATUS_INTERNAL;
	}
	h->store = env->store;
	config_copy_string(&h->cfg.root_key_file, cfg->root_key_file);
	config_copy_string(&h->cfg.root_key_source, cfg->root_key_source);
	config_copy_string(&h->cfg.pkcs11_module, cfg->pkcs11_module);
	config_copy_string(&h->cfg.pkcs11_token_label, cfg->pkcs11_token_label);
	config_copy_string(&h->cfg.pkcs11_key_label, cfg->pkcs11_key_label);
	config_copy_string(&h->cfg.pkcs11_pin_file, cfg->pkcs11_pin_file);
	config_copy_string(&h->cfg.pkcs11_wrapped_key_file,
	    cfg->pkcs11_wrapped_key_file);
	memset(&hooks, 0, sizeof(hooks));
	hooks.refresh = root_hooks_refresh;
	hooks.load = root_hooks_load;
	hooks.release = root_hooks_release;
	hooks.arg = h;
	keyring_set_hooks(env->keyring, &hooks);
	return STATUS_OK;
}

/* ---- opening ---- */

enum status
data_dir_open(const struct config *cfg, struct core_env *env,
    struct error *err)
{
	struct store_config	 scfg;
	struct root_rotation_state state;
	struct secret_buf	*root = NULL, *copy = NULL;
	struct store_txn	*txn = NULL;
	unsigned char		*check = NULL, *pending = NULL;
	size_t			 check_len = 0, pending_len = 0;
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
	scfg.backend = "sqlite";
	scfg.path = path;
	if ((st = store_open(&scfg, &env->store, err)) != STATUS_OK)
		goto out;
	if ((st = store_begin(env->store, false, &txn)) != STATUS_OK ||
	    (st = store_meta_get(txn, META_ROOT_KEY_CHECK, &check,
	    &check_len)) != STATUS_OK ||
	    (st = core_root_state(txn, &state)) != STATUS_OK) {
		error_set(err, st == STATUS_NOT_FOUND ? STATUS_CORRUPT : st,
		    "%s holds no root key check: not initialised by sesame init, "
		    "or damaged", path);
		st = STATUS_CORRUPT;
		goto out;
	}
	if (state.pending_generation != 0 &&
	    store_meta_get(txn, META_ROOT_PENDING_CHECK, &pending,
	    &pending_len) != STATUS_OK)
		pending = NULL;
	store_rollback(txn);
	txn = NULL;

	/* Which generation is this key?  The current one, or -- after a
	 * rotation that stored its new key but did not finish -- the next. */
	if ((copy = secret_buf_from(root->data, root->len)) == NULL) {
		st = error_set(err, STATUS_NO_MEMORY, "out of memory");
		goto out;
	}
	if ((st = keyring_new_generation(root, state.current_generation,
	    &env->keyring)) != STATUS_OK) {
		root = NULL;
		error_set(err, st, "cannot set up the keyring");
		goto out;
	}
	root = NULL;
	if (keyring_check_verify(env->keyring, check, check_len) !=
	    STATUS_OK) {
		keyring_free(env->keyring);
		env->keyring = NULL;
		st = STATUS_DECRYPTION_FAILURE;
		if (pending != NULL) {
			st = keyring_new_generation(copy,
			    state.pending_generation, &env->keyring);
			copy = NULL;
			if (st == STATUS_OK)
				st = keyring_check_verify(env->keyring, pending,
				    pending_len);
		}
		if (st != STATUS_OK) {
			st = error_set(err, STATUS_DECRYPTION_FAILURE, "the root "
			    "key does not match the one %s was initialised with "
			    "(or last rotated to); refusing to start", path);
			goto out;
		}
		log_warn("the root key is generation %u, of a rotation that "
		    "did not finish: run `sesame admin rotate-root-key` to "
		    "complete it", (unsigned)state.pending_generation);
	}
	if ((st = root_hooks_install(cfg, env)) != STATUS_OK) {
		error_set(err, st, "cannot set up the keyring");
		goto out;
	}
	if (state.pending_generation != 0 &&
	    core_root_keyring_sync(env) != STATUS_OK)
		log_warn("a root key rotation to generation %u is under way",
		    (unsigned)state.pending_generation);
	st = STATUS_OK;
out:
	store_rollback(txn);
	free(check);
	free(pending);
	secret_buf_free(root);
	secret_buf_free(copy);
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
	data_key_cache_clear();
	memset(env, 0, sizeof(*env));
}
