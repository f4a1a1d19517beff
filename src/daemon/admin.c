/*
 * admin.c: `sesame admin`: accounts and access keys, run against the data
 * folder directly (the server may be running: SQLite WAL serialises writers).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
	    "      ('-' reads the secret from standard input)\n");
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

int
cmd_admin(int argc, char **argv)
{
	static const char *const extra[] = { "account-id", "access-key-id",
	    "secret-access-key", NULL };
	const char		*extra_values[4] = { NULL, NULL, NULL, NULL };
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
	if ((used2 = flags_parse(argc - used - 1, argv + used + 1, &cfg, extra,
	    extra_values)) < 0 || used2 != argc - used - 1) {
		if (used2 >= 0)
			fprintf(stderr, "sesame: unexpected argument '%s'\n",
			    argv[used + 1 + used2]);
		rc = 2;
		goto out;
	}
	if (config_finish(&cfg, &err) != STATUS_OK) {
		fprintf(stderr, "sesame: %s\n", err.message);
		goto out;
	}
	if (strcmp(command, "create-account") != 0 &&
	    strcmp(command, "import-access-key") != 0) {
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
