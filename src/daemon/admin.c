/*
 * admin.c: `sesame admin`: accounts, access keys and the root key, run
 * against the data folder directly (the server may be running: SQLite WAL
 * serialises writers).
 *
 * rotate-root-key moves everything the root key wraps under a new root key
 * (core/kms_root.c has the protocol).  Servers keep answering throughout;
 * a crash at any point leaves every key usable, and running the command
 * again resumes.  For tests, SESAME_TEST_CRASH_AFTER=N kills the process
 * after N re-wrapped rows and SESAME_TEST_CRASH_AT=begun|rewrapped|stored
 * after that step.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "daemon/daemon.h"

static void
admin_usage(FILE *f)
{
	fprintf(f,
	    "usage: sesame admin --data-dir DIR <command> [flags]\n\n"
	    "commands:\n"
	    "  create-account [--account-id N]\n"
	    "      create an account (random 12-digit id unless given) and print\n"
	    "      its administrator's access key as a credentials profile\n"
	    "  import-access-key --account-id N --access-key-id ID\n"
	    "                    --secret-access-key KEY|-\n"
	    "      bring in an existing key pair as that account's administrator\n"
	    "      ('-' reads the secret from standard input)\n"
	    "  rotate-root-key [--new-source file|env|pkcs11]\n"
	    "      re-wrap all key material under a new root key while servers\n"
	    "      run; the current key comes from --root-key-source (and its\n"
	    "      options), the new one goes to --new-source (default: the\n"
	    "      same kind): file replaces --root-key-file, pkcs11 has the\n"
	    "      token encrypt it into --pkcs11-wrapped-key-file, env takes\n"
	    "      it from SESAME_NEW_ROOT_KEY.  Run it again to resume after\n"
	    "      a crash.\n"
	    "  function register --arn ARN (--command PATH | --url URL)\n"
	    "                    [--timeout-seconds N]\n"
	    "  function list\n"
	    "  function remove --arn ARN\n"
	    "      the external rotation functions RotationLambdaARN can name\n"
	    "      (arn:aws:lambda:REGION:ACCOUNT:function:NAME; see\n"
	    "      docs/rotation.md)\n"
	    "  rotation-status [--secret-id NAME|ARN] [--account-id N]\n"
	    "      each secret's rotation: schedule, last outcome and error\n");
}

static int64_t
wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct secret_buf *
secret_from_stdin(void)
{
	struct secret_buf	*sb = secret_buf_new(256);
	int			 c;

	if (sb == NULL)
		return NULL;
	while ((c = getchar()) != EOF && c != '\n') {
		unsigned char ch = (unsigned char)c;

		if (sb->len >= 1024 || secret_buf_append(sb, &ch, 1) !=
		    STATUS_OK) {
			secret_buf_free(sb);
			return NULL;
		}
	}
	while (sb->len > 0 && (sb->data[sb->len - 1] == '\r' ||
	    sb->data[sb->len - 1] == ' '))
		sb->len--;
	return sb;
}

/* Reload cfg as defaults < DATA_DIR/sesame.conf < the flags given. */
static int
admin_config_file(int argc, char **argv, int command_index,
    struct config *cfg, const char *const *extra, const char **extra_values)
{
	struct config	 fresh;
	struct error	 err;
	char		 path[4096];

	snprintf(path, sizeof(path), "%s/sesame.conf", cfg->data_dir);
	if (access(path, F_OK) != 0)
		return 0;
	config_init(&fresh);
	config_set(&fresh, "data-dir", cfg->data_dir, NULL);
	if (config_load_file(&fresh, path, false, &err) != STATUS_OK) {
		fprintf(stderr, "sesame: %s\n", err.message);
		config_cleanup(&fresh);
		return -1;
	}
	if (flags_parse(command_index, argv, &fresh, extra, extra_values) < 0 ||
	    flags_parse(argc - command_index - 1, argv + command_index + 1,
	    &fresh, extra, extra_values) < 0) {
		config_cleanup(&fresh);
		return -1;
	}
	config_cleanup(cfg);
	*cfg = fresh;
	return 0;
}

/* Test hook: die here, as a crash would. */
static void
crash_point(const char *name)
{
	const char *at = getenv("SESAME_TEST_CRASH_AT");

	if (at != NULL && strcmp(at, name) == 0) {
		fprintf(stderr, "sesame: SESAME_TEST_CRASH_AT=%s: killing the "
		    "process\n", name);
		(void)kill(getpid(), SIGKILL);
		_exit(137);
	}
}

static const char *
current_source(const struct config *cfg)
{
	const char *env_key = getenv("SESAME_ROOT_KEY");

	if (strcmp(cfg->root_key_source, "auto") != 0)
		return cfg->root_key_source;
	return env_key != NULL && env_key[0] != '\0' ? "env" : "file";
}

static int
rotate_root_key(const struct config *cfg, struct core_env *env,
    const char *new_source)
{
	struct store_txn	*txn = NULL;
	struct root_rotation_state state;
	struct secret_buf	*next = NULL;
	struct error		 err;
	const char		*crash = getenv("SESAME_TEST_CRASH_AFTER");
	const char		*env_key = getenv("SESAME_NEW_ROOT_KEY");
	const char		*from = current_source(cfg);
	size_t			 rewrapped = 0, crash_after = 0;
	uint32_t		 generation = 0;
	enum status		 st;

	error_clear(&err);
	if (new_source == NULL)
		new_source = from;
	if (strcmp(new_source, "file") != 0 && strcmp(new_source, "env") != 0 &&
	    strcmp(new_source, "pkcs11") != 0) {
		fprintf(stderr, "sesame: --new-source must be file, env or "
		    "pkcs11\n");
		return 2;
	}
	if (crash != NULL)
		crash_after = (size_t)strtoull(crash, NULL, 10);
	if ((st = store_begin(env->store, false, &txn)) != STATUS_OK ||
	    (st = core_root_state(txn, &state)) != STATUS_OK) {
		store_rollback(txn);
		fprintf(stderr, "sesame: cannot read the root key state\n");
		return 1;
	}
	store_rollback(txn);
	if (state.pending_generation == 0) {
		if (strcmp(new_source, "env") == 0) {
			if (env_key == NULL || env_key[0] == '\0') {
				fprintf(stderr, "sesame: --new-source env needs "
				    "the new key in SESAME_NEW_ROOT_KEY\n");
				return 2;
			}
			st = root_key_parse_hex(env_key, &next, &err);
		} else
			st = root_key_generate(&next);
		if (st != STATUS_OK) {
			fprintf(stderr, "sesame: %s\n", err.message[0] != '\0' ?
			    err.message : "cannot make a new root key");
			return 1;
		}
	} else
		printf("resuming the rotation to root key generation %u\n",
		    (unsigned)state.pending_generation);
	if ((st = core_root_rotation_begin(env, next, &generation, &err)) !=
	    STATUS_OK) {
		fprintf(stderr, "sesame: %s\n", err.message);
		return 1;
	}
	crash_point("begun");
	if ((st = core_root_rewrap_all(env, crash_after, &rewrapped, &err)) !=
	    STATUS_OK) {
		fprintf(stderr, "sesame: %s\n", err.message[0] != '\0' ?
		    err.message : "cannot re-wrap the key material");
		return 1;
	}
	crash_point("rewrapped");
	/* The new key must be in its source before the old one is let go. */
	if ((st = core_root_key_export(env, generation, &next)) != STATUS_OK ||
	    (st = data_dir_root_key_store(cfg, new_source, next, &err)) !=
	    STATUS_OK) {
		secret_buf_free(next);
		fprintf(stderr, "sesame: cannot store the new root key: %s; "
		    "the rotation is not complete (run the command again)\n",
		    err.message);
		return 1;
	}
	secret_buf_free(next);
	next = NULL;
	crash_point("stored");
	if ((st = core_root_rotation_finish(env, &err)) != STATUS_OK) {
		fprintf(stderr, "sesame: %s\n", err.message);
		return 1;
	}
	/* A key file of the old source would only hold a useless old key. */
	if (strcmp(from, "file") == 0 && strcmp(new_source, "file") != 0 &&
	    unlink(cfg->root_key_file) == 0)
		printf("removed the old key file %s\n", cfg->root_key_file);
	printf("root key rotated to generation %u (%zu rows re-wrapped)\n",
	    (unsigned)generation, rewrapped);
	if (strcmp(new_source, "file") == 0)
		printf("  the new key is in %s: back it up now\n",
		    cfg->root_key_file);
	else if (strcmp(new_source, "pkcs11") == 0)
		printf("  the new key is wrapped by the token in %s; start "
		    "servers with root-key-source = pkcs11\n",
		    cfg->pkcs11_wrapped_key_file);
	else
		printf("  restart servers with SESAME_ROOT_KEY set to the new "
		    "key\n");
	return 0;
}

int
cmd_admin(int argc, char **argv)
{
	static const char *const extra[] = { "account-id", "access-key-id",
	    "secret-access-key", "new-source", NULL };
	const char		*extra_values[5] = { NULL, NULL, NULL, NULL,
	    NULL };
	struct config		 cfg;
	struct core_env		 env;
	struct access_key_pair	 key;
	struct secret_buf	*secret = NULL;
	struct error		 err;
	char			 account_id[16];
	const char		*command;
	int			 rc = 1, used, used2;

	memset(&env, 0, sizeof(env));
	memset(&key, 0, sizeof(key));
	config_init(&cfg);
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			admin_usage(stdout);
			rc = 0;
			goto out;
		}
	if ((used = flags_parse(argc, argv, &cfg, extra, extra_values)) < 0) {
		rc = 2;
		goto out;
	}
	if (used >= argc) {
		admin_usage(stderr);
		rc = 2;
		goto out;
	}
	command = argv[used];
	if (strcmp(command, "function") == 0 ||
	    strcmp(command, "rotation-status") == 0) {
		rc = cmd_admin_rotation(argc, argv, used);	/* admin_rotation.c */
		goto out;
	}
	if ((used2 = flags_parse(argc - used - 1, argv + used + 1, &cfg, extra,
	    extra_values)) < 0 || used2 != argc - used - 1) {
		if (used2 >= 0)
			fprintf(stderr, "sesame: unexpected argument '%s'\n",
			    argv[used + 1 + used2]);
		rc = 2;
		goto out;
	}
	/* As the server: DATA_DIR/sesame.conf under the flags (which name
	 * the root key source among others). */
	if (admin_config_file(argc, argv, used, &cfg, extra, extra_values) !=
	    0) {
		rc = 2;
		goto out;
	}
	if (config_finish(&cfg, &err) != STATUS_OK) {
		fprintf(stderr, "sesame: %s\n", err.message);
		goto out;
	}
	if (strcmp(command, "create-account") != 0 &&
	    strcmp(command, "import-access-key") != 0 &&
	    strcmp(command, "rotate-root-key") != 0) {
		fprintf(stderr, "sesame: unknown admin command '%s'\n", command);
		admin_usage(stderr);
		rc = 2;
		goto out;
	}
	if (data_dir_open(&cfg, &env, &err) != STATUS_OK) {
		fprintf(stderr, "sesame: %s\n", err.message);
		goto out;
	}
	error_clear(&err);
	if (strcmp(command, "rotate-root-key") == 0) {
		rc = rotate_root_key(&cfg, &env, extra_values[3]);
		goto out;
	}
	if (strcmp(command, "create-account") == 0) {
		if (core_account_create(&env, extra_values[0], wall_ms(),
		    account_id, &key, &err) != STATUS_OK) {
			fprintf(stderr, "sesame: %s\n", err.message);
			goto out;
		}
		printf("# account %s\n[%s]\naws_access_key_id = %s\n"
		    "aws_secret_access_key = %s\n", account_id, account_id,
		    key.access_key_id, key.secret_access_key);
		rc = 0;
		goto out;
	}
	if (extra_values[0] == NULL || extra_values[1] == NULL ||
	    extra_values[2] == NULL) {
		fprintf(stderr, "sesame: import-access-key needs --account-id, "
		    "--access-key-id and --secret-access-key\n");
		rc = 2;
		goto out;
	}
	if (strcmp(extra_values[2], "-") == 0)
		secret = secret_from_stdin();
	else
		secret = secret_buf_from(extra_values[2],
		    strlen(extra_values[2]));
	if (secret == NULL) {
		fprintf(stderr, "sesame: cannot read the secret access key\n");
		goto out;
	}
	if (core_access_key_import(&env, extra_values[0], extra_values[1],
	    secret, wall_ms(), &err) != STATUS_OK) {
		fprintf(stderr, "sesame: %s\n", err.message);
		goto out;
	}
	printf("imported access key %s for account %s\n", extra_values[1],
	    extra_values[0]);
	rc = 0;
out:
	secret_buf_free(secret);
	data_dir_close(&env);
	explicit_bzero(&key, sizeof(key));
	config_cleanup(&cfg);
	return rc;
}
