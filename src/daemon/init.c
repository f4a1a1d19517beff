/*
 * init.c: `sesame init`: make a data folder.
 *
 * Creates, in order: the folder (0700), the root key file (0600, unless
 * SESAME_ROOT_KEY is set), the database with a root key check, the first
 * account with its administrator key, and DATA_DIR/credentials (0600) as an
 * AWS shared-credentials profile named "sesame".  An existing database is
 * never touched.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "daemon/daemon.h"

static int64_t
wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static enum status
credentials_write(const char *path, const struct access_key_pair *key,
    const char *region, struct error *err)
{
	char	 text[512];
	int	 fd, n;
	enum status st = STATUS_OK;

	n = snprintf(text, sizeof(text), "[sesame]\naws_access_key_id = %s\n"
	    "aws_secret_access_key = %s\nregion = %s\n", key->access_key_id,
	    key->secret_access_key, region);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0) {
		st = error_set(err, STATUS_IO, "cannot create %s: %s", path,
		    strerror(errno));
		goto out;
	}
	if (write(fd, text, (size_t)n) != n || fsync(fd) != 0)
		st = error_set(err, STATUS_IO, "cannot write %s: %s", path,
		    strerror(errno));
	close(fd);
out:
	explicit_bzero(text, sizeof(text));
	return st;
}

static void
init_usage(void)
{
	printf("usage: sesame init --data-dir DIR [--account-id 123456789012] "
	    "[--region us-east-1]\n\n"
	    "Creates DIR with the SQLite database, a random root key in "
	    "DIR/root.key\n(0600; or taken from SESAME_ROOT_KEY), an account "
	    "(random 12-digit id\nunless given) and its administrator access key, "
	    "written to DIR/credentials\nas the AWS profile 'sesame'.\n");
}

int
cmd_init(int argc, char **argv)
{
	static const char *const extra[] = { "account-id", "region", NULL };
	const char		*extra_values[3] = { NULL, NULL, NULL };
	struct config		 cfg;
	struct core_env		 env;
	struct store_config	 scfg;
	struct store_txn	*txn = NULL;
	struct secret_buf	*root = NULL;
	struct access_key_pair	 key;
	struct error		 err;
	unsigned char		*check = NULL;
	size_t			 check_len;
	char			 db_path[4096], cred_path[4096], account_id[16];
	const char		*region;
	struct stat		 sb;
	bool			 key_file_made = false;
	int			 rc = 1, used;

	memset(&env, 0, sizeof(env));
	memset(&key, 0, sizeof(key));
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			init_usage();
			return 0;
		}
	config_init(&cfg);
	if ((used = flags_parse(argc, argv, &cfg, extra, extra_values)) < 0 ||
	    used != argc) {
		if (used >= 0)
			fprintf(stderr, "sesame: unexpected argument '%s'\n",
			    argv[used]);
		rc = 2;
		goto out;
	}
	region = extra_values[1] != NULL ? extra_values[1] : "us-east-1";
	if (config_finish(&cfg, &err) != STATUS_OK) {
		fprintf(stderr, "sesame: %s\n", err.message);
		goto out;
	}
	snprintf(db_path, sizeof(db_path), "%s/%s", cfg.data_dir, DB_FILE_NAME);
	snprintf(cred_path, sizeof(cred_path), "%s/%s", cfg.data_dir,
	    CREDENTIALS_FILE_NAME);
	if (mkdir(cfg.data_dir, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "sesame: cannot create %s: %s\n", cfg.data_dir,
		    strerror(errno));
		goto out;
	}
	if (stat(db_path, &sb) == 0) {
		fprintf(stderr, "sesame: %s is already initialised (%s exists); "
		    "nothing changed\n", cfg.data_dir, db_path);
		goto out;
	}
	if (getenv("SESAME_ROOT_KEY") == NULL ||
	    getenv("SESAME_ROOT_KEY")[0] == '\0') {
		if (root_key_generate_file(cfg.root_key_file, &err) != STATUS_OK) {
			fprintf(stderr, "sesame: %s\n", err.message);
			goto out;
		}
		key_file_made = true;
	}
	if (data_dir_root_key(&cfg, &root, &err) != STATUS_OK) {
		fprintf(stderr, "sesame: %s\n", err.message);
		goto out;
	}
	if (keyring_new(root, &env.keyring) != STATUS_OK) {
		root = NULL;
		fprintf(stderr, "sesame: cannot set up the keyring\n");
		goto out;
	}
	root = NULL;
	scfg.backend = "sqlite";
	scfg.path = db_path;
	if (store_open(&scfg, &env.store, &err) != STATUS_OK) {
		fprintf(stderr, "sesame: %s\n", err.message);
		goto out;
	}
	if (keyring_check_make(env.keyring, &check, &check_len) != STATUS_OK ||
	    store_begin(env.store, true, &txn) != STATUS_OK ||
	    store_meta_put(txn, META_ROOT_KEY_CHECK, check, check_len) !=
	    STATUS_OK || store_commit(txn) != STATUS_OK) {
		txn = NULL;
		fprintf(stderr, "sesame: cannot write the root key check\n");
		goto out;
	}
	txn = NULL;
	error_clear(&err);
	if (core_account_create(&env, extra_values[0], wall_ms(), account_id,
	    &key, &err) != STATUS_OK) {
		fprintf(stderr, "sesame: %s\n", err.message);
		goto out;
	}
	if (credentials_write(cred_path, &key, region, &err) != STATUS_OK) {
		fprintf(stderr, "sesame: %s\n", err.message);
		goto out;
	}
	printf("initialised %s\n", cfg.data_dir);
	printf("  database:    %s\n", db_path);
	if (key_file_made)
		printf("  root key:    %s (0600; keep a copy apart from the data)\n",
		    cfg.root_key_file);
	else
		printf("  root key:    from SESAME_ROOT_KEY (not stored)\n");
	printf("  account:     %s\n", account_id);
	printf("  credentials: %s (profile \"sesame\")\n", cred_path);
	rc = 0;
out:
	store_rollback(txn);
	free(check);
	secret_buf_free(root);
	data_dir_close(&env);
	explicit_bzero(&key, sizeof(key));
	config_cleanup(&cfg);
	return rc;
}
