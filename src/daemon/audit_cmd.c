/*
 * audit_cmd.c: `sesame audit verify|query`, and the record of the latest
 * signed audit file that the server keeps in the database, apart from the
 * log (so removing the newest files of the log is noticed too).
 *
 * Both commands only read: they can run while a server writes the folder.
 * verify needs the root key (to re-derive the digest key) unless
 * --no-signatures is given; query needs no key.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "audit/audit.h"
#include "common/log.h"
#include "daemon/daemon.h"

#define META_AUDIT_LAST_SIGNED	"audit_last_signed"

/* ---- the anchor: "FILE_NUMBER LAST_SEQUENCE SIGNATURE" in store meta ---- */

void
audit_anchor_save(void *arg, const struct audit_file_closed *closed)
{
	struct core_env		*env = arg;
	struct store_txn	*txn = NULL;
	char			 value[160];
	enum status		 st = STATUS_IO;
	int			 n;

	n = snprintf(value, sizeof(value), "%llu %lld %s",
	    (unsigned long long)closed->file_number,
	    (long long)closed->last_sequence, closed->signature);
	if (n < 0 || (size_t)n >= sizeof(value))
		return;
	if (store_begin(env->store, true, &txn) == STATUS_OK &&
	    store_meta_put(txn, META_AUDIT_LAST_SIGNED,
	    (const unsigned char *)value, (size_t)n) == STATUS_OK) {
		st = store_commit(txn);	/* frees txn, also on failure */
		txn = NULL;
	}
	store_rollback(txn);
	if (st != STATUS_OK)
		log_warn("audit: cannot record %s as the latest signed file in "
		    "the database", closed->file_name);
}

/* Read the anchor from DATA_DIR's database; false when there is none. */
static bool
audit_anchor_load(const struct config *cfg, uint64_t *file_number,
    char signature[65])
{
	struct store_config	 scfg;
	struct store		*store = NULL;
	struct store_txn	*txn = NULL;
	struct error		 err;
	unsigned char		*value = NULL;
	size_t			 len = 0;
	char			 path[4096], text[160];
	unsigned long long	 number;
	long long		 sequence;
	struct stat		 sb;
	bool			 found = false;

	snprintf(path, sizeof(path), "%s/%s", cfg->data_dir, DB_FILE_NAME);
	if (stat(path, &sb) != 0)
		return false;
	scfg.backend = "sqlite";
	scfg.path = path;
	if (store_open(&scfg, &store, &err) != STATUS_OK)
		return false;
	if (store_begin(store, false, &txn) == STATUS_OK &&
	    store_meta_get(txn, META_AUDIT_LAST_SIGNED, &value, &len) ==
	    STATUS_OK && len < sizeof(text)) {
		memcpy(text, value, len);
		text[len] = '\0';
		found = sscanf(text, "%llu %lld %64s", &number, &sequence,
		    signature) == 3 && strlen(signature) == 64;
		if (found)
			*file_number = number;
	}
	free(value);
	store_rollback(txn);
	store_close(store);
	return found;
}

/* ---- shared option handling ---- */

static void
audit_usage(FILE *f)
{
	fprintf(f,
	    "usage: sesame audit verify [flags] [FOLDER]\n"
	    "       sesame audit query  [flags] [FOLDER]\n\n"
	    "FOLDER defaults to the audit-dir of --data-dir (DATA_DIR/audit).\n\n"
	    "verify: check the hash chain and the signed digests; report the\n"
	    "first altered, removed or reordered event, truncated or missing\n"
	    "file.  Exit 0: intact, 1: tampered, 2: could not check.\n"
	    "  --data-dir DIR       where the root key (and the record of the\n"
	    "                       latest signed file) are; SESAME_ROOT_KEY and\n"
	    "                       --root-key-file work as for the server\n"
	    "  --previous-root-key-file FILE\n"
	    "                       also accept digests signed before a root key\n"
	    "                       rotation (the old key, 64 hex characters)\n"
	    "  --no-signatures      check the chain only (no root key needed)\n"
	    "  --allow-pruned       the oldest files were removed on purpose\n"
	    "  --json               print the report as JSON\n\n"
	    "query: print the matching events, one JSON object per line.\n"
	    "  --since TIME --until TIME   2024-05-01T12:00:00Z, 2024-05-01 or\n"
	    "                              Unix seconds (until is exclusive)\n"
	    "  --principal WHO      ARN, principal id, access key id or user name\n"
	    "  --secret ID          secret name or ARN\n"
	    "  --event NAME         e.g. GetSecretValue\n"
	    "  --result R           success, failure, denied, or an error code\n"
	    "  --alarms             only events that raised an alarm\n");
}

/* Take a value-less flag out of argv; true when it was there. */
static bool
take_switch(int *argc, char **argv, const char *name)
{
	bool found = false;

	for (int i = 0; i < *argc; i++) {
		if (strcmp(argv[i], name) != 0)
			continue;
		for (int j = i; j < *argc - 1; j++)
			argv[j] = argv[j + 1];
		(*argc)--;
		i--;
		found = true;
	}
	return found;
}

/*
 * defaults < DATA_DIR/sesame.conf < flags, as for the server, so the
 * audit-dir the server uses is the default folder.  *folder is the
 * positional argument or cfg->audit_dir.  Returns 0, or an exit code.
 */
static int
audit_config(int argc, char **argv, const char *const *extra,
    const char **extra_values, struct config *cfg, const char **folder)
{
	struct config	 first;
	struct error	 err;
	char		 path[4096];
	int		 used;

	config_init(&first);
	if (flags_parse(argc, argv, &first, extra, extra_values) < 0) {
		config_cleanup(&first);
		return 2;
	}
	config_init(cfg);
	config_set(cfg, "data-dir", first.data_dir, NULL);
	snprintf(path, sizeof(path), "%s/sesame.conf", first.data_dir);
	config_cleanup(&first);
	if (config_load_file(cfg, path, false, &err) != STATUS_OK) {
		fprintf(stderr, "sesame: %s\n", err.message);
		return 2;
	}
	if ((used = flags_parse(argc, argv, cfg, extra, extra_values)) < 0)
		return 2;
	if (used < argc - 1) {
		fprintf(stderr, "sesame: unexpected argument '%s'\n",
		    argv[used + 1]);
		return 2;
	}
	if (config_finish(cfg, &err) != STATUS_OK) {
		fprintf(stderr, "sesame: %s\n", err.message);
		return 2;
	}
	*folder = used == argc - 1 ? argv[used] : cfg->audit_dir;
	return 0;
}

/* ---- verify ---- */

static void
report_print_json(const struct audit_verify_report *r, const char *folder)
{
	json_t	*o = json_object();
	char	*text;

	if (o == NULL)
		return;
	json_object_set_new(o, "folder", json_string(folder));
	json_object_set_new(o, "result", json_string(audit_finding_name(
	    r->finding)));
	if (r->finding != AUDIT_FINDING_NONE) {
		json_object_set_new(o, "file", json_string(r->file));
		json_object_set_new(o, "line", json_integer((json_int_t)r->line));
		json_object_set_new(o, "sequence", json_integer(r->sequence));
		json_object_set_new(o, "message", json_string(r->message));
	}
	json_object_set_new(o, "fileCount", json_integer((json_int_t)
	    r->file_count));
	json_object_set_new(o, "eventCount", json_integer((json_int_t)
	    r->event_count));
	json_object_set_new(o, "digestCount", json_integer((json_int_t)
	    r->digest_count));
	json_object_set_new(o, "firstSequence", json_integer(r->first_sequence));
	json_object_set_new(o, "lastSequence", json_integer(r->last_sequence));
	json_object_set_new(o, "writerActive", json_boolean(r->is_writer_active));
	json_object_set_new(o, "unsignedEventCount", json_integer((json_int_t)
	    r->unsigned_event_count));
	if ((text = json_dumps(o, JSON_COMPACT)) != NULL)
		printf("%s\n", text);
	free(text);
	json_decref(o);
}

static int
cmd_audit_verify(int argc, char **argv)
{
	struct config		 cfg;
	struct audit_verify_options opt;
	struct audit_verify_report report;
	static const char *const extra[] = { "previous-root-key-file", NULL };
	const char		*values[2] = { NULL, NULL };
	struct secret_buf	*root = NULL, *key = NULL, *old_root = NULL;
	struct secret_buf	*old_key = NULL;
	const struct secret_buf	*earlier[1];
	struct error		 err;
	const char		*folder = NULL;
	char			 anchor_signature[65];
	bool			 is_json, is_unsigned, has_anchor = false;
	int			 rc;

	memset(&opt, 0, sizeof(opt));
	memset(&cfg, 0, sizeof(cfg));
	is_json = take_switch(&argc, argv, "--json");
	is_unsigned = take_switch(&argc, argv, "--no-signatures");
	opt.allow_pruned = take_switch(&argc, argv, "--allow-pruned");
	if ((rc = audit_config(argc, argv, extra, values, &cfg, &folder)) != 0)
		goto out;
	rc = 2;
	if (values[0] != NULL && !is_unsigned) {
		if (root_key_load_file(values[0], &old_root, &err) != STATUS_OK ||
		    root_key_derive(old_root, AUDIT_KEY_LABEL, &old_key) !=
		    STATUS_OK) {
			fprintf(stderr, "sesame: %s\n", old_key == NULL &&
			    old_root == NULL ? err.message :
			    "cannot derive the audit key");
			goto out;
		}
		earlier[0] = old_key;
		opt.earlier_keys = earlier;
		opt.earlier_key_count = 1;
	}
	if (!is_unsigned) {
		if (data_dir_root_key(&cfg, &root, &err) != STATUS_OK) {
			fprintf(stderr, "sesame: %s (give --data-dir or "
			    "SESAME_ROOT_KEY, or check the chain only with "
			    "--no-signatures)\n", err.message);
			goto out;
		}
		if (root_key_derive(root, AUDIT_KEY_LABEL, &key) != STATUS_OK) {
			fprintf(stderr, "sesame: cannot derive the audit key\n");
			goto out;
		}
		opt.key = key;
	}
	if (audit_anchor_load(&cfg, &opt.anchor_file_number,
	    anchor_signature)) {
		has_anchor = true;
		opt.anchor_signature = anchor_signature;
	}
	if (audit_verify(folder, &opt, &report, &err) != STATUS_OK) {
		fprintf(stderr, "sesame: %s\n", err.message);
		goto out;
	}
	rc = report.finding == AUDIT_FINDING_NONE ? 0 : 1;
	if (is_json) {
		report_print_json(&report, folder);
		goto out;
	}
	if (report.finding != AUDIT_FINDING_NONE) {
		printf("audit log TAMPERED (%s): %s\n",
		    audit_finding_name(report.finding), report.message);
		goto out;
	}
	if (report.file_count == 0) {
		printf("audit log OK: %s holds no log files yet\n", folder);
		goto out;
	}
	printf("audit log OK: %zu file%s (audit-%06llu.log..audit-%06llu.log), "
	    "events %lld..%lld, %llu digest%s %s\n", report.file_count,
	    report.file_count == 1 ? "" : "s",
	    (unsigned long long)report.first_file,
	    (unsigned long long)report.last_file,
	    (long long)report.first_sequence, (long long)report.last_sequence,
	    (unsigned long long)report.digest_count,
	    report.digest_count == 1 ? "" : "s",
	    key != NULL ? "with valid signatures" : "(signatures not checked)");
	if (report.is_last_file_open)
		printf("note: audit-%06llu.log is being written; its last %llu "
		    "event%s will be covered when it is signed\n",
		    (unsigned long long)report.last_file,
		    (unsigned long long)report.unsigned_event_count,
		    report.unsigned_event_count == 1 ? "" : "s");
	if (!has_anchor)
		printf("note: no record of the latest signed file in %s/%s: "
		    "removal of the newest files cannot be detected\n",
		    cfg.data_dir, DB_FILE_NAME);
out:
	secret_buf_free(old_key);
	secret_buf_free(old_root);
	secret_buf_free(key);
	secret_buf_free(root);
	config_cleanup(&cfg);
	return rc;
}

/* ---- query ---- */

static int
query_emit(void *arg, const char *line, size_t len)
{
	(void)arg;
	fwrite(line, 1, len, stdout);
	fputc('\n', stdout);
	return ferror(stdout) ? 1 : 0;
}

static int
cmd_audit_query(int argc, char **argv)
{
	static const char *const extra[] = { "since", "until", "principal",
	    "secret", "event", "result", NULL };
	const char	*values[7] = { NULL, NULL, NULL, NULL, NULL, NULL, NULL };
	struct config	 cfg;
	struct audit_query q;
	struct error	 err;
	const char	*folder = NULL;
	int		 rc;

	memset(&q, 0, sizeof(q));
	memset(&cfg, 0, sizeof(cfg));
	q.is_alarm_only = take_switch(&argc, argv, "--alarms");
	if ((rc = audit_config(argc, argv, extra, values, &cfg, &folder)) != 0)
		goto out;
	rc = 2;
	if ((values[0] != NULL && audit_time_parse(values[0], &q.since_ms) !=
	    STATUS_OK) || (values[1] != NULL && audit_time_parse(values[1],
	    &q.until_ms) != STATUS_OK)) {
		fprintf(stderr, "sesame: times are 2024-05-01T12:00:00Z, "
		    "2024-05-01 or Unix seconds\n");
		goto out;
	}
	q.principal = values[2];
	q.secret = values[3];
	q.event_name = values[4];
	q.result = values[5];
	if (audit_query_run(folder, &q, query_emit, NULL, &err) != STATUS_OK) {
		fprintf(stderr, "sesame: %s\n", err.message);
		goto out;
	}
	rc = fflush(stdout) == 0 ? 0 : 2;
out:
	config_cleanup(&cfg);
	return rc;
}

int
cmd_audit(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			audit_usage(stdout);
			return 0;
		}
	if (argc >= 1 && strcmp(argv[0], "verify") == 0)
		return cmd_audit_verify(argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "query") == 0)
		return cmd_audit_query(argc - 1, argv + 1);
	audit_usage(stderr);
	return 2;
}
