/*
 * admin_rotation.c: `sesame admin function ...` (the registry of external
 * rotation functions) and `sesame admin rotation-status`, run against the
 * data folder directly like the other admin commands (the server may be
 * running; it reads the registry at each rotation).
 *
 *   function register --arn ARN (--command PATH | --url URL)
 *                     [--timeout-seconds N]
 *   function list
 *   function remove --arn ARN
 *   rotation-status [--secret-id NAME|ARN] [--account-id N]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "daemon/daemon.h"
#include "rotation/rotation.h"

enum {
	EXTRA_ARN,
	EXTRA_COMMAND,
	EXTRA_URL,
	EXTRA_TIMEOUT,
	EXTRA_SECRET_ID,
	EXTRA_ACCOUNT_ID,
	EXTRA__COUNT
};

static const char *const extra[] = { "arn", "command", "url",
    "timeout-seconds", "secret-id", "account-id", NULL };

static int64_t
wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *
time_text(int64_t ms, char *buf, size_t len)
{
	struct tm	 tm;
	time_t		 t = (time_t)(ms / 1000);

	if (ms == 0 || gmtime_r(&t, &tm) == NULL)
		return "-";
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

/* Apply the flags before the command and those after it (and after its
 * subcommand); -1 when they do not parse. */
static int
flags_apply(int argc, char **argv, int command_index, int first,
    struct config *cfg, const char **values)
{
	int used;

	if (flags_parse(command_index, argv, cfg, extra, values) !=
	    command_index)
		return -1;
	if ((used = flags_parse(argc - first, argv + first, cfg, extra,
	    values)) < 0)
		return -1;
	if (used != argc - first) {
		fprintf(stderr, "sesame: unexpected argument '%s'\n",
		    argv[first + used]);
		return -1;
	}
	return 0;
}

/* defaults < DATA_DIR/sesame.conf < flags, as the other admin commands. */
static int
rotation_config(int argc, char **argv, int command_index, int first,
    struct config *cfg, const char **values)
{
	struct error	 err;
	char		 path[4096];

	if (flags_apply(argc, argv, command_index, first, cfg, values) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/sesame.conf", cfg->data_dir);
	if (access(path, F_OK) == 0) {
		if (config_load_file(cfg, path, false, &err) != STATUS_OK) {
			fprintf(stderr, "sesame: %s\n", err.message);
			return -1;
		}
		if (flags_apply(argc, argv, command_index, first, cfg,
		    values) != 0)
			return -1;
	}
	if (config_finish(cfg, &err) != STATUS_OK) {
		fprintf(stderr, "sesame: %s\n", err.message);
		return -1;
	}
	return 0;
}

static int
function_register(const struct core_env *env, const char **values)
{
	struct rotation_function_record rec;
	struct error	 err;
	char		*end;
	long		 timeout = 0;

	if (values[EXTRA_ARN] == NULL ||
	    (values[EXTRA_COMMAND] == NULL) == (values[EXTRA_URL] == NULL)) {
		fprintf(stderr, "sesame: function register needs --arn and one "
		    "of --command or --url\n");
		return 2;
	}
	if (values[EXTRA_TIMEOUT] != NULL) {
		timeout = strtol(values[EXTRA_TIMEOUT], &end, 10);
		if (*values[EXTRA_TIMEOUT] == '\0' || *end != '\0' ||
		    timeout < 1 || timeout > 900) {
			fprintf(stderr, "sesame: --timeout-seconds must be 1 to "
			    "900\n");
			return 2;
		}
	}
	memset(&rec, 0, sizeof(rec));
	error_clear(&err);
	rec.arn = (char *)values[EXTRA_ARN];
	rec.kind = values[EXTRA_COMMAND] != NULL ?
	    (char *)ROTATION_FUNCTION_COMMAND : (char *)ROTATION_FUNCTION_URL;
	rec.target = (char *)(values[EXTRA_COMMAND] != NULL ?
	    values[EXTRA_COMMAND] : values[EXTRA_URL]);
	rec.timeout_seconds = timeout;
	rec.created_at = wall_ms();
	if (rotator_function_check(rec.kind, rec.target, &err) != STATUS_OK ||
	    core_rotation_function_register(env, &rec, &err) != STATUS_OK) {
		fprintf(stderr, "sesame: %s\n", err.message);
		return 1;
	}
	printf("registered %s (%s %s)\n", rec.arn, rec.kind, rec.target);
	return 0;
}

static int
function_list(const struct core_env *env)
{
	struct rotation_function_record *recs = NULL;
	size_t		 count = 0;
	char		 when[32];

	if (core_rotation_function_list(env, &recs, &count) != STATUS_OK) {
		fprintf(stderr, "sesame: cannot read the functions\n");
		return 1;
	}
	for (size_t i = 0; i < count; i++) {
		printf("%s\t%s\t%s\t", recs[i].arn, recs[i].kind,
		    recs[i].target);
		if (recs[i].timeout_seconds > 0)
			printf("%llds", (long long)recs[i].timeout_seconds);
		else
			printf("default");
		printf("\t%s\n", time_text(recs[i].created_at, when,
		    sizeof(when)));
	}
	rotation_function_records_free(recs, count);
	return 0;
}

static int
function_remove(const struct core_env *env, const char **values)
{
	struct error err;

	if (values[EXTRA_ARN] == NULL) {
		fprintf(stderr, "sesame: function remove needs --arn\n");
		return 2;
	}
	error_clear(&err);
	if (core_rotation_function_remove(env, values[EXTRA_ARN], &err) !=
	    STATUS_OK) {
		fprintf(stderr, "sesame: %s\n", err.message[0] != '\0' ?
		    err.message : "cannot remove the function");
		return 1;
	}
	printf("removed %s\n", values[EXTRA_ARN]);
	return 0;
}

/* Does secret_id (a name or an ARN) name the secret of arn? */
static bool
secret_matches(const char *arn, const char *secret_id)
{
	const char	*name;
	size_t		 len;

	if (secret_id == NULL || strcmp(arn, secret_id) == 0)
		return true;
	if ((name = strstr(arn, ":secret:")) == NULL)
		return false;
	name += strlen(":secret:");
	len = strlen(name);
	return len > SECRET_ARN_SUFFIX_LEN + 1 &&
	    strlen(secret_id) == len - SECRET_ARN_SUFFIX_LEN - 1 &&
	    strncmp(name, secret_id, len - SECRET_ARN_SUFFIX_LEN - 1) == 0;
}

static int
rotation_status(const struct core_env *env, const char **values)
{
	struct rotation_record	*rows = NULL;
	size_t			 count = 0, shown = 0;
	char			 a[32], b[32];

	if (core_rotation_list(env, values[EXTRA_ACCOUNT_ID], &rows, &count) !=
	    STATUS_OK) {
		fprintf(stderr, "sesame: cannot read the rotation state\n");
		return 1;
	}
	for (size_t i = 0; i < count; i++) {
		const struct rotation_record *r = &rows[i];

		if (!secret_matches(r->secret_arn, values[EXTRA_SECRET_ID]))
			continue;
		shown++;
		printf("%s\n", r->secret_arn);
		printf("  rotation:      %s%s\n", r->is_enabled ? "enabled" :
		    "disabled", r->secret_deleted_at != 0 ?
		    " (secret scheduled for deletion)" : "");
		printf("  function:      %s\n", r->lambda_arn != NULL ?
		    r->lambda_arn : "-");
		if (r->master_arn != NULL)
			printf("  master secret: %s (its function may read it)\n",
			    r->master_arn);
		printf("  rules:        ");
		if (r->after_days > 0)
			printf(" AutomaticallyAfterDays=%lld",
			    (long long)r->after_days);
		if (r->schedule_expression != NULL)
			printf(" ScheduleExpression=%s", r->schedule_expression);
		if (r->duration != NULL)
			printf(" Duration=%s", r->duration);
		if (r->after_days == 0 && r->schedule_expression == NULL)
			printf(" none (on demand)");
		printf("\n  last rotated:  %s\n", time_text(r->last_rotated_at,
		    a, sizeof(a)));
		if (r->is_enabled && r->next_window_at != 0) {
			printf("  next window:   %s to %s\n",
			    time_text(r->next_window_at, a, sizeof(a)),
			    time_text(r->next_window_end_at, b, sizeof(b)));
			printf("  rotates at:    %s\n", time_text(
			    core_rotation_start_at(r->secret_arn,
			    r->next_window_at, r->next_window_end_at), a,
			    sizeof(a)));
		}
		printf("  last outcome:  %s", r->status != NULL ? r->status :
		    "never ran");
		if (r->step != NULL && r->status != NULL &&
		    strcmp(r->status, ROTATION_STATUS_SUCCEEDED) != 0)
			printf(" (step %s, attempt %lld)", r->step,
			    (long long)r->attempt_count);
		printf("\n");
		if (r->last_error != NULL)
			printf("  last error:    %s\n", r->last_error);
		if (r->pending_version_id != NULL) {
			printf("  in progress:   version %s since %s",
			    r->pending_version_id, time_text(r->started_at, a,
			    sizeof(a)));
			if (r->lease_owner != NULL && r->lease_until > wall_ms())
				printf(", run by %s", r->lease_owner);
			else if (r->retry_at != 0)
				printf(", next attempt %s", time_text(r->retry_at,
				    b, sizeof(b)));
			printf("\n");
		}
	}
	rotation_records_free(rows, count);
	if (shown == 0 && values[EXTRA_SECRET_ID] != NULL) {
		fprintf(stderr, "sesame: %s has never had rotation configured\n",
		    values[EXTRA_SECRET_ID]);
		return 1;
	}
	return 0;
}

int
cmd_admin_rotation(int argc, char **argv, int command_index)
{
	const char	*values[EXTRA__COUNT + 1] = { NULL };
	const char	*command = argv[command_index], *sub = NULL;
	struct config	 cfg;
	struct core_env	 env;
	struct error	 err;
	int		 first = command_index + 1, rc = 1;

	memset(&env, 0, sizeof(env));
	config_init(&cfg);
	if (strcmp(command, "function") == 0) {
		if (first >= argc || strncmp(argv[first], "--", 2) == 0) {
			fprintf(stderr, "sesame: admin function needs register, "
			    "list or remove\n");
			rc = 2;
			goto out;
		}
		sub = argv[first++];
		if (strcmp(sub, "register") != 0 && strcmp(sub, "list") != 0 &&
		    strcmp(sub, "remove") != 0) {
			fprintf(stderr, "sesame: unknown function command '%s'\n",
			    sub);
			rc = 2;
			goto out;
		}
	}
	if (rotation_config(argc, argv, command_index, first, &cfg, values) !=
	    0) {
		rc = 2;
		goto out;
	}
	if (data_dir_open(&cfg, &env, &err) != STATUS_OK) {
		fprintf(stderr, "sesame: %s\n", err.message);
		goto out;
	}
	if (sub == NULL)
		rc = rotation_status(&env, values);
	else if (strcmp(sub, "register") == 0)
		rc = function_register(&env, values);
	else if (strcmp(sub, "list") == 0)
		rc = function_list(&env);
	else
		rc = function_remove(&env, values);
out:
	data_dir_close(&env);
	config_cleanup(&cfg);
	return rc;
}
