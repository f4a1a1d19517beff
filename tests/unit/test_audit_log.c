/*
 * test_audit_log.c: the tamper-evident audit log: what the writer puts in
 * the files (chain, digests, rotation, recovery after a crash, fail closed)
 * and what `audit verify` finds after each kind of tampering, at which file,
 * line and event.
 *
 * Each case works in a fresh mkdtemp folder and removes it.  Events are
 * small so that a 4 KiB file limit spreads twenty of them over several
 * files.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <inttypes.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "audit/audit.h"
#include "audit/audit_internal.h"

#define SMALL_FILE_BYTES	4096

struct fixture {
	char	 base[64];
	char	 dir[128];
};

static struct secret_buf *
test_key(unsigned char fill)
{
	unsigned char	 bytes[CRYPTO_KEY_LEN];
	struct secret_buf *key;

	memset(bytes, fill, sizeof(bytes));
	key = secret_buf_from(bytes, sizeof(bytes));
	assert_non_null(key);
	return key;
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	snprintf(f->base, sizeof(f->base), "/tmp/sesame-audit-XXXXXX");
	assert_non_null(mkdtemp(f->base));
	snprintf(f->dir, sizeof(f->dir), "%s/audit", f->base);
	*state = f;
	return 0;
}

static void
remove_tree(const char *path)
{
	struct stat	 sb;
	DIR		*d;
	struct dirent	*de;
	char		 child[512];

	if (lstat(path, &sb) != 0)
		return;
	if (S_ISDIR(sb.st_mode) && (d = opendir(path)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			snprintf(child, sizeof(child), "%s/%s", path, de->d_name);
			remove_tree(child);
		}
		closedir(d);
		rmdir(path);
	} else
		unlink(path);
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	remove_tree(f->base);
	free(f);
	return 0;
}

static struct audit_log *
log_open_key(const struct fixture *f, int64_t max_bytes,
    int64_t rotate_seconds, int64_t sync_ms, unsigned char key_fill)
{
	struct audit_config	 cfg;
	struct audit_log	*log = NULL;
	struct error		 err;

	memset(&cfg, 0, sizeof(cfg));
	cfg.dir = f->dir;
	cfg.signing_key = test_key(key_fill);
	cfg.file_max_bytes = max_bytes;
	cfg.rotate_seconds = rotate_seconds;
	cfg.sync_interval_ms = sync_ms;
	assert_int_equal(audit_open(&cfg, &log, &err), STATUS_OK);
	return log;
}

static struct audit_log *
log_open(const struct fixture *f, int64_t max_bytes, int64_t rotate_seconds,
    int64_t sync_ms)
{
	return log_open_key(f, max_bytes, rotate_seconds, sync_ms, 0x42);
}

static enum status
log_event(struct audit_log *log, int i)
{
	struct audit_event	 ev;
	char			 request_id[32], arn[128];

	snprintf(request_id, sizeof(request_id), "request-%d", i);
	snprintf(arn, sizeof(arn), "arn:aws:secretsmanager:us-east-1:"
	    "123456789012:secret:app/db%d-AbCdEf", i % 3);
	memset(&ev, 0, sizeof(ev));
	ev.request_id = request_id;
	ev.time_ms = 1714564800000LL + (int64_t)i * 60000;	/* 2024-05-01 */
	ev.event_source = "secretsmanager.amazonaws.com";
	ev.event_name = i % 2 == 0 ? "GetSecretValue" : "DescribeSecret";
	ev.region = "us-east-1";
	ev.source_ip = "127.0.0.1";
	ev.identity_type = "IAMUser";
	ev.principal_arn = i % 4 == 3 ? "arn:aws:iam::123456789012:user/auditor" :
	    "arn:aws:iam::123456789012:user/admin";
	ev.principal_id = "AIDAEXAMPLE";
	ev.account_id = "123456789012";
	ev.access_key_id = "AKIAEXAMPLE";
	ev.resource_arn = arn;
	ev.is_read_only = true;
	if (i % 5 == 4) {
		ev.error_code = "AccessDeniedException";
		ev.error_message = "denied";
	}
	if (i == 7)
		ev.alarm = AUDIT_ALARM_DELETED_SECRET;
	return audit_record(log, &ev);
}

/* Events 1..count (sequence numbers follow i + 1) over small files. */
static void
write_events(const struct fixture *f, int count)
{
	struct audit_log *log = log_open(f, SMALL_FILE_BYTES, 0, 1000);

	for (int i = 0; i < count; i++)
		assert_int_equal(log_event(log, i), STATUS_OK);
	audit_close(log);
}

static struct audit_verify_report
verify_with(const struct fixture *f, unsigned char key_fill, bool use_key)
{
	struct audit_verify_options	 opt;
	struct audit_verify_report	 r;
	struct secret_buf		*key = use_key ? test_key(key_fill) : NULL;
	struct error			 err;

	memset(&opt, 0, sizeof(opt));
	opt.key = key;
	assert_int_equal(audit_verify(f->dir, &opt, &r, &err), STATUS_OK);
	secret_buf_free(key);
	return r;
}

static struct audit_verify_report
verify(const struct fixture *f)
{
	return verify_with(f, 0x42, true);
}

static void
file_path(const struct fixture *f, uint64_t number, char *out, size_t len)
{
	char name[AUDIT_FILE_NAME_MAX];

	audit_file_name(number, name, sizeof(name));
	snprintf(out, len, "%s/%s", f->dir, name);
}

/* A file as an array of lines (without newlines); free with lines_free. */
struct lines {
	char	**line;
	size_t	 count;
};

static struct lines
lines_read(const struct fixture *f, uint64_t number)
{
	struct audit_file_text	 t;
	struct lines		 l;
	struct error		 err;
	char			 path[256];

	file_path(f, number, path, sizeof(path));
	assert_int_equal(audit_file_read(path, &t, &err), STATUS_OK);
	l.count = t.line_count;
	l.line = calloc(t.line_count + 1, sizeof(char *));
	assert_non_null(l.line);
	for (size_t i = 0; i < t.line_count; i++)
		assert_non_null(l.line[i] = strndup(t.lines[i].text,
		    t.lines[i].len));
	audit_file_text_cleanup(&t);
	return l;
}

static void
lines_write(const struct fixture *f, uint64_t number, const struct lines *l)
{
	char	 path[256];
	FILE	*fp;

	file_path(f, number, path, sizeof(path));
	assert_non_null(fp = fopen(path, "w"));
	for (size_t i = 0; i < l->count; i++)
		fprintf(fp, "%s\n", l->line[i]);
	fclose(fp);
}

static void
lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->count; i++)
		free(l->line[i]);
	free(l->line);
}

static size_t
file_count(const struct fixture *f)
{
	uint64_t	*numbers = NULL;
	size_t		 count = 0;
	struct error	 err;

	assert_int_equal(audit_dir_list(f->dir, &numbers, &count, &err),
	    STATUS_OK);
	free(numbers);
	return count;
}

static int64_t
line_sequence(const char *line)
{
	struct audit_parsed	 p;
	int64_t			 seq;

	audit_line_parse(line, strlen(line), &p);
	assert_non_null(p.obj);
	seq = p.sequence;
	audit_parsed_cleanup(&p);
	return seq;
}

/* ---- what the writer writes ---- */

static void
test_untouched_log_verifies(void **state)
{
	struct fixture			*f = *state;
	struct audit_verify_report	 r;

	write_events(f, 20);
	assert_true(file_count(f) >= 3);
	r = verify(f);
	assert_int_equal(r.finding, AUDIT_FINDING_NONE);
	assert_int_equal(r.event_count, 20);
	assert_int_equal(r.first_sequence, 1);
	assert_int_equal(r.last_sequence, 20);
	assert_int_equal(r.digest_count, file_count(f));
	assert_false(r.is_writer_active);
	assert_false(r.is_last_file_open);
}

static void
test_every_file_closes_with_a_signed_digest(void **state)
{
	struct fixture	*f = *state;
	size_t		 files;

	write_events(f, 20);
	files = file_count(f);
	for (uint64_t n = 1; n <= files; n++) {
		struct lines		 l = lines_read(f, n);
		struct audit_parsed	 p;
		const char		*last = l.line[l.count - 1];
		struct secret_buf	*key = test_key(0x42);
		struct secret_buf	*other = test_key(0x43);

		audit_line_parse(last, strlen(last), &p);
		assert_true(p.is_digest);
		assert_true(audit_digest_signature_ok(last, strlen(last), key,
		    NULL));
		assert_false(audit_digest_signature_ok(last, strlen(last),
		    other, NULL));
		audit_parsed_cleanup(&p);
		for (size_t i = 0; i + 1 < l.count; i++) {
			audit_line_parse(l.line[i], strlen(l.line[i]), &p);
			assert_false(p.is_digest);
			assert_true(p.sequence > 0);
			audit_parsed_cleanup(&p);
		}
		secret_buf_free(key);
		secret_buf_free(other);
		lines_free(&l);
	}
}

/*
 * Writers on several threads over small files, events synced in the
 * background: a full file is signed under the log's lock and synced,
 * closed and anchored after it, while the other writers go on.  Every
 * file still ends with its digest, the chain has no gap, and the anchor
 * hears of every file once, in order.
 */
#define ROTATION_WRITERS	4
#define ROTATION_EVENTS		150

struct anchors {
	pthread_mutex_t	 lock;
	uint64_t	 numbers[ROTATION_WRITERS * ROTATION_EVENTS];
	int64_t		 last_sequences[ROTATION_WRITERS * ROTATION_EVENTS];
	size_t		 count;
};

static void
anchor_record(void *arg, const struct audit_file_closed *closed)
{
	struct anchors *a = arg;

	pthread_mutex_lock(&a->lock);
	if (a->count < ROTATION_WRITERS * ROTATION_EVENTS) {
		a->numbers[a->count] = closed->file_number;
		a->last_sequences[a->count] = closed->last_sequence;
		a->count++;
	}
	pthread_mutex_unlock(&a->lock);
}

struct writer {
	struct audit_log	*log;
	int			 first;
	int			 failures;
};

static void *
writer_main(void *arg)
{
	struct writer *w = arg;

	for (int i = 0; i < ROTATION_EVENTS; i++)
		if (log_event(w->log, w->first + i) != STATUS_OK)
			w->failures++;
	return NULL;
}

static void
test_concurrent_writers_rotate_without_gaps(void **state)
{
	struct fixture			*f = *state;
	struct audit_config		 cfg;
	struct audit_log		*log = NULL;
	struct audit_verify_report	 r;
	struct anchors			 a;
	struct writer			 w[ROTATION_WRITERS];
	pthread_t			 t[ROTATION_WRITERS];
	struct error			 err;
	size_t				 files;

	memset(&a, 0, sizeof(a));
	pthread_mutex_init(&a.lock, NULL);
	memset(&cfg, 0, sizeof(cfg));
	cfg.dir = f->dir;
	cfg.signing_key = test_key(0x42);
	cfg.file_max_bytes = SMALL_FILE_BYTES;
	cfg.sync_interval_ms = 1000;
	cfg.on_file_closed = anchor_record;
	cfg.on_file_closed_arg = &a;
	assert_int_equal(audit_open(&cfg, &log, &err), STATUS_OK);
	for (int i = 0; i < ROTATION_WRITERS; i++) {
		w[i].log = log;
		w[i].first = i * ROTATION_EVENTS;
		w[i].failures = 0;
		assert_int_equal(pthread_create(&t[i], NULL, writer_main, &w[i]),
		    0);
	}
	for (int i = 0; i < ROTATION_WRITERS; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(w[i].failures, 0);
	}
	audit_close(log);

	files = file_count(f);
	assert_true(files >= 20);
	r = verify(f);
	assert_int_equal(r.finding, AUDIT_FINDING_NONE);
	assert_int_equal(r.event_count, ROTATION_WRITERS * ROTATION_EVENTS);
	assert_int_equal(r.last_sequence, ROTATION_WRITERS * ROTATION_EVENTS);
	assert_int_equal(r.digest_count, files);
	/* Every file, the last one at shutdown included, in order. */
	assert_int_equal(a.count, files);
	for (size_t i = 0; i < a.count; i++) {
		assert_int_equal(a.numbers[i], i + 1);
		if (i > 0)
			assert_true(a.last_sequences[i] >
			    a.last_sequences[i - 1]);
	}
	assert_int_equal(a.last_sequences[a.count - 1],
	    ROTATION_WRITERS * ROTATION_EVENTS);
	pthread_mutex_destroy(&a.lock);
}

static void
test_each_event_links_to_the_line_before(void **state)
{
	struct fixture	*f = *state;
	struct lines	 l;
	char		 hash[AUDIT_HASH_HEX_LEN + 1];

	write_events(f, 3);
	l = lines_read(f, 1);
	assert_int_equal(l.count, 4);
	assert_non_null(strstr(l.line[0], "\"sesamePreviousHash\":\""
	    AUDIT_GENESIS_HASH "\""));
	for (size_t i = 1; i < l.count; i++) {
		char want[128];

		audit_hash_line(l.line[i - 1], strlen(l.line[i - 1]), hash);
		snprintf(want, sizeof(want), "\"sesamePreviousHash\":\"%s\"",
		    hash);
		assert_non_null(strstr(l.line[i], want));
	}
	assert_int_equal(line_sequence(l.line[0]), 1);
	assert_int_equal(line_sequence(l.line[2]), 3);
	lines_free(&l);
}

static void
test_events_are_cloudtrail_records(void **state)
{
	struct fixture	*f = *state;
	struct lines	 l;
	json_t		*rec;

	write_events(f, 8);
	l = lines_read(f, 1);
	assert_non_null(rec = json_loads(l.line[0], 0, NULL));
	assert_string_equal(json_string_value(json_object_get(rec,
	    "eventVersion")), "1.08");
	assert_string_equal(json_string_value(json_object_get(rec,
	    "eventTime")), "2024-05-01T12:00:00Z");
	assert_string_equal(json_string_value(json_object_get(rec,
	    "eventName")), "GetSecretValue");
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    rec, "userIdentity"), "arn")), "arn:aws:iam::123456789012:user/admin");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(rec, "resources"), 0), "type")),
	    "AWS::SecretsManager::Secret");
	assert_string_equal(json_string_value(json_object_get(rec,
	    "eventType")), "AwsApiCall");
	assert_true(json_is_true(json_object_get(rec, "readOnly")));
	assert_null(json_object_get(rec, "additionalEventData"));
	json_decref(rec);
	lines_free(&l);
}

static void
test_alarm_is_in_additional_event_data(void **state)
{
	struct fixture	*f = *state;
	struct audit_log *log = log_open(f, 0, 0, 1000);
	struct lines	 l;
	json_t		*rec;

	for (int i = 0; i < 8; i++)
		assert_int_equal(log_event(log, i), STATUS_OK);
	audit_close(log);
	l = lines_read(f, 1);
	assert_non_null(rec = json_loads(l.line[7], 0, NULL));
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    rec, "additionalEventData"), "sesameAlarm")),
	    AUDIT_ALARM_DELETED_SECRET);
	json_decref(rec);
	lines_free(&l);
}

static void
test_service_event_names_the_service(void **state)
{
	struct fixture		*f = *state;
	struct audit_log	*log = log_open(f, 0, 0, 1000);
	struct audit_event	 ev;
	struct lines		 l;
	json_t			*rec, *id;

	memset(&ev, 0, sizeof(ev));
	ev.time_ms = 1714564800000LL;
	ev.event_source = "secretsmanager.amazonaws.com";
	ev.event_name = "RotationSucceeded";
	ev.region = "us-east-1";
	ev.account_id = "123456789012";
	ev.is_service_event = true;
	ev.resource_arn =
	    "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf";
	assert_int_equal(audit_record(log, &ev), STATUS_OK);
	audit_close(log);
	l = lines_read(f, 1);
	assert_non_null(rec = json_loads(l.line[0], 0, NULL));
	id = json_object_get(rec, "userIdentity");
	assert_string_equal(json_string_value(json_object_get(id, "invokedBy")),
	    "secretsmanager.amazonaws.com");
	assert_null(json_object_get(id, "arn"));
	assert_string_equal(json_string_value(json_object_get(rec,
	    "eventType")), "AwsServiceEvent");
	assert_string_equal(json_string_value(json_object_get(rec,
	    "sourceIPAddress")), "secretsmanager.amazonaws.com");
	json_decref(rec);
	lines_free(&l);
}

static void
test_strings_are_escaped_and_utf8_checked(void **state)
{
	struct fixture		*f = *state;
	struct audit_log	*log = log_open(f, 0, 0, 1000);
	struct audit_event	 ev;
	struct lines		 l;
	json_t			*rec, *params;
	const char		*ua = "quote\" back\\ nl\n tab\t ctl\x01 "
	    "\xe7\xa7\x98\xe5\xaf\x86 \xf0\x9f\x94\x91 end";

	memset(&ev, 0, sizeof(ev));
	ev.time_ms = 1714564800000LL;
	ev.event_name = "GetSecretValue";
	ev.user_agent = ua;
	ev.source_ip = "bad \xff\xfe utf8";
	ev.region = "\xed\xa0\x80";	/* a UTF-16 surrogate: invalid */
	/* Escapes written before the bad byte are taken back with it. */
	ev.request_id = "id\t\"q\" \xc3";
	assert_non_null(params = json_pack("{s:s,s:i}", "secretId", "a\"b",
	    "n", 3));
	ev.request_parameters = params;
	assert_int_equal(audit_record(log, &ev), STATUS_OK);
	audit_close(log);
	json_decref(params);
	l = lines_read(f, 1);
	assert_non_null(rec = json_loads(l.line[0], JSON_REJECT_DUPLICATES,
	    NULL));
	assert_string_equal(json_string_value(json_object_get(rec, "userAgent")),
	    ua);
	assert_string_equal(json_string_value(json_object_get(rec,
	    "sourceIPAddress")), "(invalid UTF-8)");
	assert_string_equal(json_string_value(json_object_get(rec, "awsRegion")),
	    "(invalid UTF-8)");
	assert_string_equal(json_string_value(json_object_get(rec,
	    "requestID")), "(invalid UTF-8)");
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    rec, "requestParameters"), "secretId")), "a\"b");
	assert_null(json_object_get(rec, "errorCode"));
	assert_true(json_is_null(json_object_get(rec, "responseElements")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    rec, "userIdentity"), "type")), "Unknown");
	json_decref(rec);
	lines_free(&l);
}

/* Past the record's first 1 KiB: long strings are kept whole, and a bad
 * byte at the end of one takes back all of it after the buffer grew. */
static void
test_long_strings_grow_the_record(void **state)
{
	struct fixture		*f = *state;
	struct audit_log	*log = log_open(f, 0, 0, 1000);
	struct audit_event	 ev;
	struct lines		 l;
	json_t			*rec;
	char			 agent[3001], bad[5001];

	memset(agent, 'a', sizeof(agent) - 1);
	agent[sizeof(agent) - 1] = '\0';
	agent[1500] = '"';
	memset(bad, 'b', sizeof(bad) - 2);
	bad[sizeof(bad) - 2] = '\xc3';
	bad[sizeof(bad) - 1] = '\0';
	memset(&ev, 0, sizeof(ev));
	ev.time_ms = 1714564800000LL;
	ev.event_name = "GetSecretValue";
	ev.user_agent = agent;
	ev.request_id = bad;
	ev.region = "us-east-1";
	assert_int_equal(audit_record(log, &ev), STATUS_OK);
	audit_close(log);
	l = lines_read(f, 1);
	assert_non_null(rec = json_loads(l.line[0], JSON_REJECT_DUPLICATES,
	    NULL));
	assert_string_equal(json_string_value(json_object_get(rec,
	    "userAgent")), agent);
	assert_string_equal(json_string_value(json_object_get(rec,
	    "requestID")), "(invalid UTF-8)");
	assert_string_equal(json_string_value(json_object_get(rec,
	    "awsRegion")), "us-east-1");
	json_decref(rec);
	lines_free(&l);
}

static void
test_signatures_in_error_messages_are_cut(void **state)
{
	struct fixture		*f = *state;
	struct audit_log	*log = log_open(f, 0, 0, 1000);
	struct audit_event	 ev;
	struct lines		 l;
	json_t			*rec;

	memset(&ev, 0, sizeof(ev));
	ev.time_ms = 1714564800000LL;
	ev.event_name = "GetSecretValue";
	ev.error_code = "IncompleteSignatureException";
	ev.error_message = "Authorization=AWS4-HMAC-SHA256 Credential=AKIA/x, "
	    "SignedHeaders=host, Signature=0123456789abcdef0123456789abcdef, "
	    "and X-Amz-Signature=fedcba9876543210&next";
	assert_int_equal(audit_record(log, &ev), STATUS_OK);
	audit_close(log);
	l = lines_read(f, 1);
	assert_null(strstr(l.line[0], "0123456789abcdef"));
	assert_null(strstr(l.line[0], "fedcba9876543210"));
	assert_non_null(rec = json_loads(l.line[0], 0, NULL));
	assert_string_equal(json_string_value(json_object_get(rec,
	    "errorMessage")), "Authorization=AWS4-HMAC-SHA256 Credential=AKIA/x, "
	    "SignedHeaders=host, Signature=<redacted>, and "
	    "X-Amz-Signature=<redacted>&next");
	json_decref(rec);
	lines_free(&l);
}

static void
test_restart_continues_the_chain_in_a_new_file(void **state)
{
	struct fixture	*f = *state;
	struct audit_log *log;
	struct audit_verify_report r;

	write_events(f, 2);
	log = log_open(f, 0, 0, 0);	/* and fsync every event */
	assert_int_equal(log_event(log, 2), STATUS_OK);
	audit_close(log);
	assert_int_equal(file_count(f), 2);
	r = verify(f);
	assert_int_equal(r.finding, AUDIT_FINDING_NONE);
	assert_int_equal(r.last_sequence, 3);
}

static void
test_second_writer_is_refused(void **state)
{
	struct fixture		*f = *state;
	struct audit_log	*log = log_open(f, 0, 0, 1000), *second = NULL;
	struct audit_config	 cfg;
	struct error		 err;
	struct audit_verify_report r;

	memset(&cfg, 0, sizeof(cfg));
	cfg.dir = f->dir;
	cfg.signing_key = test_key(0x42);
	assert_int_equal(audit_open(&cfg, &second, &err), STATUS_IO);
	assert_non_null(strstr(err.message, "another sesame process"));
	assert_int_equal(log_event(log, 0), STATUS_OK);
	r = verify(f);
	assert_int_equal(r.finding, AUDIT_FINDING_NONE);
	assert_true(r.is_writer_active);
	assert_true(r.is_last_file_open);
	assert_int_equal(r.unsigned_event_count, 1);
	audit_close(log);
}

static void
test_crashed_writer_file_is_signed_at_next_start(void **state)
{
	struct fixture	*f = *state;
	struct lines	 l;
	struct audit_log *log;
	struct audit_verify_report r;
	char		 path[256];
	FILE		*fp;

	write_events(f, 4);
	/* As if the process died: no digest, half a line at the end. */
	l = lines_read(f, 1);
	free(l.line[--l.count]);
	lines_write(f, 1, &l);
	lines_free(&l);
	file_path(f, 1, path, sizeof(path));
	assert_non_null(fp = fopen(path, "a"));
	fputs("{\"eventVersion\":\"1.08\",\"userIden", fp);
	fclose(fp);
	r = verify(f);
	assert_int_equal(r.finding, AUDIT_FINDING_TRUNCATED);

	log = log_open(f, 0, 0, 1000);
	assert_int_equal(log_event(log, 4), STATUS_OK);
	audit_close(log);
	l = lines_read(f, 1);
	assert_int_equal(l.count, 5);
	assert_non_null(strstr(l.line[4], "\"reason\":\"recovered\""));
	lines_free(&l);
	r = verify(f);
	assert_int_equal(r.finding, AUDIT_FINDING_NONE);
	assert_int_equal(r.last_sequence, 5);
}

static void
test_file_rotates_by_age(void **state)
{
	struct fixture		*f = *state;
	struct audit_log	*log = log_open(f, 0, 1, 100);

	assert_int_equal(log_event(log, 0), STATUS_OK);
	usleep(2500 * 1000);
	assert_int_equal(log_event(log, 1), STATUS_OK);
	audit_close(log);
	assert_int_equal(file_count(f), 2);
	assert_int_equal(verify(f).finding, AUDIT_FINDING_NONE);
}

static void
test_unwritable_folder_fails_closed_and_recovers(void **state)
{
	struct fixture		*f = *state;
	struct audit_log	*log = log_open(f, 0, 0, 1000);
	struct audit_verify_report r;
	struct lines		 l;
	char			 moved[192];
	FILE			*fp;

	assert_int_equal(log_event(log, 0), STATUS_OK);
	/* The folder goes away and a file takes its place: even root
	 * cannot write there. */
	snprintf(moved, sizeof(moved), "%s.moved", f->dir);
	assert_int_equal(rename(f->dir, moved), 0);
	assert_non_null(fp = fopen(f->dir, "w"));
	fclose(fp);
	assert_int_equal(log_event(log, 1), STATUS_IO);
	assert_int_equal(log_event(log, 2), STATUS_IO);
	/* Put back: the log carries on, counting what it lost. */
	assert_int_equal(unlink(f->dir), 0);
	assert_int_equal(rename(moved, f->dir), 0);
	assert_int_equal(log_event(log, 3), STATUS_OK);
	audit_close(log);
	l = lines_read(f, 2);
	assert_non_null(strstr(l.line[0], "\"sesameLostEvents\":2"));
	assert_int_equal(line_sequence(l.line[0]), 2);
	lines_free(&l);
	r = verify(f);
	assert_int_equal(r.finding, AUDIT_FINDING_NONE);
	assert_int_equal(r.event_count, 2);
}

static void
test_removed_current_file_continues_in_a_new_file(void **state)
{
	struct fixture		*f = *state;
	struct audit_log	*log = log_open(f, 0, 0, 1000);
	struct audit_verify_report r;
	char			 path[256];

	assert_int_equal(log_event(log, 0), STATUS_OK);
	file_path(f, 1, path, sizeof(path));
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkdir(path, 0700), 0);	/* and a folder in its place */
	assert_int_equal(log_event(log, 1), STATUS_OK);
	audit_close(log);
	r = verify(f);
	assert_int_equal(r.finding, AUDIT_FINDING_MISSING_FILE);
	assert_string_equal(r.file, "audit-000001.log");
}

/* The last line of the file at path. */
static char *
last_line(const char *path)
{
	struct audit_file_text	 t;
	struct error		 err;
	char			*line;

	assert_int_equal(audit_file_read(path, &t, &err), STATUS_OK);
	assert_true(t.line_count > 0);
	line = strndup(t.lines[t.line_count - 1].text,
	    t.lines[t.line_count - 1].len);
	audit_file_text_cleanup(&t);
	assert_non_null(line);
	return line;
}

/* File number's last line is the event of request_id. */
static void
assert_last_event_is(const struct fixture *f, uint64_t number,
    const char *request_id)
{
	char	 path[256];
	char	*line;

	file_path(f, number, path, sizeof(path));
	line = last_line(path);
	assert_non_null(strstr(line, request_id));
	free(line);
}

static void
assert_signed_for(const char *path, const char *reason)
{
	char	*line = last_line(path);
	char	 want[64];

	snprintf(want, sizeof(want), "\"reason\":\"%s\"", reason);
	assert_non_null(strstr(line, "{\"sesameDigest\""));
	assert_non_null(strstr(line, want));
	free(line);
}

static void
test_renamed_current_file_continues_in_a_new_file(void **state)
{
	struct fixture		*f = *state;
	struct audit_log	*log = log_open(f, 0, 0, 1000);
	char			 path[256], moved[300];

	assert_int_equal(log_event(log, 0), STATUS_OK);
	file_path(f, 1, path, sizeof(path));
	snprintf(moved, sizeof(moved), "%s/elsewhere", f->dir);
	assert_int_equal(rename(path, moved), 0);
	/* Noticed before this event is written, not after. */
	assert_int_equal(log_event(log, 1), STATUS_OK);
	assert_last_event_is(f, 2, "request-1");
	audit_close(log);
	assert_signed_for(moved, "replaced");
}

static void
test_appended_current_file_is_signed_as_modified(void **state)
{
	struct fixture		*f = *state;
	struct audit_log	*log = log_open(f, 0, 0, 1000);
	char			 path[256];
	FILE			*fp;

	assert_int_equal(log_event(log, 0), STATUS_OK);
	file_path(f, 1, path, sizeof(path));
	assert_non_null(fp = fopen(path, "a"));
	fputs("{\"forged\":true}\n", fp);
	fclose(fp);
	assert_int_equal(log_event(log, 1), STATUS_OK);
	assert_signed_for(path, "modified");
	assert_int_equal(file_count(f), 2);
	audit_close(log);
}

/* truncate(2) by path says nothing inotify can tell from our own writes:
 * the flusher's tick finds it. */
static void
test_truncated_current_file_is_signed_within_a_tick(void **state)
{
	struct fixture		*f = *state;
	struct audit_log	*log = log_open(f, 0, 0, 50);
	struct stat		 sb;
	char			 path[256];

	assert_int_equal(log_event(log, 0), STATUS_OK);
	assert_int_equal(log_event(log, 1), STATUS_OK);
	file_path(f, 1, path, sizeof(path));
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(truncate(path, sb.st_size / 2), 0);
	for (int i = 0; i < 100 && file_count(f) < 2; i++)
		usleep(10 * 1000);
	assert_signed_for(path, "modified");
	assert_int_equal(log_event(log, 2), STATUS_OK);
	audit_close(log);
	assert_int_equal(file_count(f), 2);
}

/* A folder moved away makes writes fail, also after an earlier folder
 * was replaced (the watch follows the path to the new folder). */
static void
test_moved_folder_fails_closed_also_after_a_replacement(void **state)
{
	struct fixture		*f = *state;
	struct audit_log	*log = log_open(f, 0, 0, 1000);
	char			 old[200], older[200];

	snprintf(old, sizeof(old), "%s/old", f->base);
	snprintf(older, sizeof(older), "%s/older", f->base);
	assert_int_equal(log_event(log, 0), STATUS_OK);
	assert_int_equal(rename(f->dir, old), 0);
	assert_int_equal(mkdir(f->dir, 0700), 0);
	assert_int_equal(log_event(log, 1), STATUS_OK);
	assert_last_event_is(f, 2, "request-1");
	assert_int_equal(log_event(log, 2), STATUS_OK);
	assert_int_equal(rename(f->dir, older), 0);
	assert_int_not_equal(log_event(log, 3), STATUS_OK);
	audit_close(log);
}

/* Readers (a follower, verify) and a chmod leave the file as it is. */
static void
test_reading_the_current_file_starts_no_new_one(void **state)
{
	struct fixture		*f = *state;
	struct audit_log	*log = log_open(f, 0, 0, 1000);
	char			 path[256], buf[64];
	FILE			*fp;

	assert_int_equal(log_event(log, 0), STATUS_OK);
	file_path(f, 1, path, sizeof(path));
	assert_non_null(fp = fopen(path, "r"));
	assert_true(fread(buf, 1, sizeof(buf), fp) > 0);
	fclose(fp);
	assert_int_equal(chmod(path, 0400), 0);
	assert_int_equal(log_event(log, 1), STATUS_OK);
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(log_event(log, 2), STATUS_OK);
	assert_int_equal(file_count(f), 1);
	audit_close(log);
	assert_int_equal(verify(f).finding, AUDIT_FINDING_NONE);
}

/* ---- what verify finds ---- */

static void
test_edited_event_is_reported_at_its_line(void **state)
{
	struct fixture	*f = *state;
	struct lines	 l;
	struct audit_verify_report r;
	char		*at;

	write_events(f, 20);
	l = lines_read(f, 2);
	assert_non_null(at = strstr(l.line[1], "127.0.0.1"));
	at[0] = '9';	/* 927.0.0.1 */
	lines_write(f, 2, &l);
	r = verify(f);
	assert_int_equal(r.finding, AUDIT_FINDING_ALTERED);
	assert_string_equal(r.file, "audit-000002.log");
	assert_int_equal(r.line, 2);
	assert_int_equal(r.sequence, line_sequence(l.line[1]));
	lines_free(&l);
}

static void
test_edited_last_event_of_a_file_is_caught_by_its_digest(void **state)
{
	struct fixture	*f = *state;
	struct lines	 l;
	struct audit_verify_report r;
	char		*at;

	write_events(f, 20);
	l = lines_read(f, 1);
	assert_non_null(at = strstr(l.line[l.count - 2], "DescribeSecret"));
	memcpy(at, "DeleteSecret__", 14);
	lines_write(f, 1, &l);
	r = verify(f);
	assert_int_equal(r.finding, AUDIT_FINDING_ALTERED);
	assert_string_equal(r.file, "audit-000001.log");
	assert_int_equal(r.line, l.count - 1);
	lines_free(&l);
}

static void
test_rewritten_chain_fails_the_signature(void **state)
{
	struct fixture	*f = *state;
	struct lines	 l;
	struct audit_verify_report r;
	char		 hash[AUDIT_HASH_HEX_LEN + 1], *at;

	/* Whoever lacks the key can recompute every hash after an edit, but
	 * not the digest's signature. */
	write_events(f, 20);
	l = lines_read(f, 1);
	assert_non_null(at = strstr(l.line[0], "127.0.0.1"));
	at[0] = '9';
	for (size_t i = 1; i < l.count; i++) {
		audit_hash_line(l.line[i - 1], strlen(l.line[i - 1]), hash);
		assert_non_null(at = strstr(l.line[i],
		    "\"sesamePreviousHash\":\""));
		memcpy(at + strlen("\"sesamePreviousHash\":\""), hash,
		    AUDIT_HASH_HEX_LEN);
	}
	lines_write(f, 1, &l);
	r = verify_with(f, 0, false);		/* the chain alone holds */
	assert_int_equal(r.finding, AUDIT_FINDING_ALTERED);	/* file 2 */
	assert_string_equal(r.file, "audit-000001.log");
	r = verify(f);
	assert_int_equal(r.finding, AUDIT_FINDING_BAD_SIGNATURE);
	assert_string_equal(r.file, "audit-000001.log");
	assert_int_equal(r.line, l.count);
	lines_free(&l);
}

static void
test_deleted_event_is_reported_as_removed(void **state)
{
	struct fixture	*f = *state;
	struct lines	 l;
	struct audit_verify_report r;
	int64_t		 gone;

	write_events(f, 20);
	l = lines_read(f, 2);
	gone = line_sequence(l.line[1]);
	free(l.line[1]);
	memmove(&l.line[1], &l.line[2], (l.count - 2) * sizeof(char *));
	l.count--;
	lines_write(f, 2, &l);
	r = verify(f);
	assert_int_equal(r.finding, AUDIT_FINDING_REMOVED);
	assert_string_equal(r.file, "audit-000002.log");
	assert_int_equal(r.line, 2);
	assert_int_equal(r.sequence, gone);
	lines_free(&l);
}

static void
test_deleted_last_events_are_reported_at_the_digest(void **state)
{
	struct fixture	*f = *state;
	struct lines	 l;
	struct audit_verify_report r;

	write_events(f, 20);
	l = lines_read(f, 1);
	assert_true(l.count >= 4);
	free(l.line[l.count - 2]);
	free(l.line[l.count - 3]);
	l.line[l.count - 3] = l.line[l.count - 1];
	l.count -= 2;
	lines_write(f, 1, &l);
	r = verify(f);
	assert_int_equal(r.finding, AUDIT_FINDING_REMOVED);
	assert_string_equal(r.file, "audit-000001.log");
	assert_int_equal(r.line, l.count);
	lines_free(&l);
}

static void
test_swapped_events_are_reported_as_reordered(void **state)
{
	struct fixture	*f = *state;
	struct lines	 l;
	struct audit_verify_report r;
	char		*tmp;

	write_events(f, 20);
	l = lines_read(f, 2);
	tmp = l.line[1];
	l.line[1] = l.line[2];
	l.line[2] = tmp;
	lines_write(f, 2, &l);
	r = verify(f);
	assert_int_equal(r.finding, AUDIT_FINDING_REORDERED);
	assert_string_equal(r.file, "audit-000002.log");
	assert_int_equal(r.line, 2);
	lines_free(&l);
}

static void
test_renamed_files_are_reported_as_reordered(void **state)
{
	struct fixture	*f = *state;
	struct audit_verify_report r;
	char		 a[256], b[256], tmp[300];

	write_events(f, 20);
	file_path(f, 2, a, sizeof(a));
	file_path(f, 3, b, sizeof(b));
	snprintf(tmp, sizeof(tmp), "%s.tmp", a);
	assert_int_equal(rename(a, tmp), 0);
	assert_int_equal(rename(b, a), 0);
	assert_int_equal(rename(tmp, b), 0);
	r = verify(f);
	assert_int_equal(r.finding, AUDIT_FINDING_REORDERED);
	assert_string_equal(r.file, "audit-000002.log");
}

static void
test_truncated_file_is_reported(void **state)
{
	struct fixture	*f = *state;
	struct audit_verify_report r;
	struct stat	 sb;
	char		 path[256];

	write_events(f, 20);
	file_path(f, 2, path, sizeof(path));
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(truncate(path, sb.st_size / 2), 0);
	r = verify(f);
	assert_int_equal(r.finding, AUDIT_FINDING_TRUNCATED);
	assert_string_equal(r.file, "audit-000002.log");
}

static void
test_truncated_at_a_line_end_is_reported(void **state)
{
	struct fixture	*f = *state;
	struct lines	 l;
	struct audit_verify_report r;
	size_t		 files;

	write_events(f, 20);
	files = file_count(f);
	/* The newest file loses its digest and last event. */
	l = lines_read(f, files);
	free(l.line[--l.count]);
	free(l.line[--l.count]);
	lines_write(f, files, &l);
	r = verify(f);
	assert_int_equal(r.finding, AUDIT_FINDING_TRUNCATED);
	assert_int_equal(r.line, l.count);
	lines_free(&l);
	/* A middle file the same way. */
	write_events(f, 0);	/* recovery signs the newest file again */
	l = lines_read(f, 2);
	free(l.line[--l.count]);
	lines_write(f, 2, &l);
	r = verify(f);
	assert_int_equal(r.finding, AUDIT_FINDING_TRUNCATED);
	assert_string_equal(r.file, "audit-000002.log");
	lines_free(&l);
}

static void
test_missing_file_is_reported(void **state)
{
	struct fixture	*f = *state;
	struct audit_verify_report r;
	char		 path[256];

	write_events(f, 20);
	file_path(f, 2, path, sizeof(path));
	assert_int_equal(unlink(path), 0);
	r = verify(f);
	assert_int_equal(r.finding, AUDIT_FINDING_MISSING_FILE);
	assert_string_equal(r.file, "audit-000002.log");
}

static void
test_pruned_oldest_file_needs_allow_pruned(void **state)
{
	struct fixture			*f = *state;
	struct audit_verify_options	 opt;
	struct audit_verify_report	 r;
	struct error			 err;
	char				 path[256];

	write_events(f, 20);
	file_path(f, 1, path, sizeof(path));
	assert_int_equal(unlink(path), 0);
	r = verify(f);
	assert_int_equal(r.finding, AUDIT_FINDING_MISSING_FILE);
	assert_string_equal(r.file, "audit-000001.log");
	memset(&opt, 0, sizeof(opt));
	opt.key = test_key(0x42);
	opt.allow_pruned = true;
	assert_int_equal(audit_verify(f->dir, &opt, &r, &err), STATUS_OK);
	assert_int_equal(r.finding, AUDIT_FINDING_NONE);
	secret_buf_free((struct secret_buf *)opt.key);
}

static void
test_anchor_finds_removed_newest_file(void **state)
{
	struct fixture			*f = *state;
	struct audit_verify_options	 opt;
	struct audit_verify_report	 r;
	struct error			 err;
	char				 path[256];
	size_t				 files;

	write_events(f, 20);
	files = file_count(f);
	file_path(f, files, path, sizeof(path));
	assert_int_equal(unlink(path), 0);
	assert_int_equal(verify(f).finding, AUDIT_FINDING_NONE);
	memset(&opt, 0, sizeof(opt));
	opt.anchor_file_number = files;
	assert_int_equal(audit_verify(f->dir, &opt, &r, &err), STATUS_OK);
	assert_int_equal(r.finding, AUDIT_FINDING_MISSING_FILE);
}

static void
test_other_key_is_reported(void **state)
{
	struct fixture	*f = *state;
	struct audit_verify_report r;

	write_events(f, 5);
	r = verify_with(f, 0x77, true);
	assert_int_equal(r.finding, AUDIT_FINDING_BAD_SIGNATURE);
	assert_non_null(strstr(r.message, "signed with key"));
}

static void
test_log_across_a_root_key_rotation_verifies_with_both_keys(void **state)
{
	struct fixture			*f = *state;
	struct audit_log		*log;
	struct audit_verify_options	 opt;
	struct audit_verify_report	 r;
	struct secret_buf		*old_key = test_key(0x41);
	const struct secret_buf		*earlier[1] = { old_key };
	struct error			 err;

	log = log_open_key(f, 0, 0, 1000, 0x41);
	assert_int_equal(log_event(log, 0), STATUS_OK);
	audit_close(log);
	log = log_open_key(f, 0, 0, 1000, 0x42);	/* the root key rotated */
	assert_int_equal(log_event(log, 1), STATUS_OK);
	audit_close(log);
	r = verify(f);
	assert_int_equal(r.finding, AUDIT_FINDING_BAD_SIGNATURE);
	assert_string_equal(r.file, "audit-000001.log");
	memset(&opt, 0, sizeof(opt));
	opt.key = test_key(0x42);
	opt.earlier_keys = earlier;
	opt.earlier_key_count = 1;
	assert_int_equal(audit_verify(f->dir, &opt, &r, &err), STATUS_OK);
	assert_int_equal(r.finding, AUDIT_FINDING_NONE);
	assert_int_equal(r.digest_count, 2);
	secret_buf_free((struct secret_buf *)opt.key);
	secret_buf_free(old_key);
}

static void
test_garbage_line_is_reported(void **state)
{
	struct fixture	*f = *state;
	struct lines	 l;
	struct audit_verify_report r;

	write_events(f, 20);
	l = lines_read(f, 3);
	free(l.line[0]);
	assert_non_null(l.line[0] = strdup("not json"));
	lines_write(f, 3, &l);
	r = verify(f);
	assert_int_equal(r.finding, AUDIT_FINDING_ALTERED);
	assert_string_equal(r.file, "audit-000003.log");
	assert_int_equal(r.line, 1);
	lines_free(&l);
}

/* ---- queries ---- */

struct collected {
	int	 count;
	char	 first[4096];
};

static int
collect(void *arg, const char *line, size_t len)
{
	struct collected *c = arg;

	if (c->count++ == 0)
		snprintf(c->first, sizeof(c->first), "%.*s", (int)len, line);
	return 0;
}

static int
query_count(const struct fixture *f, const struct audit_query *q)
{
	struct collected	 c;
	struct error		 err;

	memset(&c, 0, sizeof(c));
	assert_int_equal(audit_query_run(f->dir, q, collect, &c, &err),
	    STATUS_OK);
	return c.count;
}

static void
test_query_filters(void **state)
{
	struct fixture		*f = *state;
	struct audit_query	 q;

	write_events(f, 20);
	memset(&q, 0, sizeof(q));
	assert_int_equal(query_count(f, &q), 20);
	q.event_name = "GetSecretValue";
	assert_int_equal(query_count(f, &q), 10);
	memset(&q, 0, sizeof(q));
	q.principal = "auditor";		/* i % 4 == 3 */
	assert_int_equal(query_count(f, &q), 5);
	q.principal = "arn:aws:iam::123456789012:user/auditor";
	assert_int_equal(query_count(f, &q), 5);
	memset(&q, 0, sizeof(q));
	q.secret = "app/db1";			/* i % 3 == 1 */
	assert_int_equal(query_count(f, &q), 7);
	q.secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:"
	    "app/db1-AbCdEf";
	assert_int_equal(query_count(f, &q), 7);
	memset(&q, 0, sizeof(q));
	q.result = "denied";			/* i % 5 == 4 */
	assert_int_equal(query_count(f, &q), 4);
	q.result = "success";
	assert_int_equal(query_count(f, &q), 16);
	q.result = "AccessDeniedException";
	assert_int_equal(query_count(f, &q), 4);
	memset(&q, 0, sizeof(q));
	assert_int_equal(audit_time_parse("2024-05-01T12:05:00Z", &q.since_ms),
	    STATUS_OK);
	assert_int_equal(audit_time_parse("2024-05-01T12:10:00Z", &q.until_ms),
	    STATUS_OK);
	assert_int_equal(query_count(f, &q), 5);	/* minutes 5..9 */
	memset(&q, 0, sizeof(q));
	q.is_alarm_only = true;
	assert_int_equal(query_count(f, &q), 1);
}

static void
test_time_parse(void **state)
{
	int64_t ms;

	(void)state;
	assert_int_equal(audit_time_parse("2024-05-01", &ms), STATUS_OK);
	assert_int_equal(ms, 1714521600000LL);
	assert_int_equal(audit_time_parse("1714521600", &ms), STATUS_OK);
	assert_int_equal(ms, 1714521600000LL);
	assert_int_equal(audit_time_parse("2024-05-01T00:00:01Z", &ms),
	    STATUS_OK);
	assert_int_equal(ms, 1714521601000LL);
	assert_int_not_equal(audit_time_parse("yesterday", &ms), STATUS_OK);
	assert_int_not_equal(audit_time_parse("2024-13-01", &ms), STATUS_OK);
}

/* The chain fields as the format defines them, written with printf. */
static int
expected_tail(char *out, size_t size, bool after_member, int64_t sequence,
    const char *previous, uint64_t lost)
{
	if (lost > 0)
		return snprintf(out, size, "%s\"" AUDIT_FIELD_LOST "\":%" PRIu64
		    ",\"" AUDIT_FIELD_SEQUENCE "\":%" PRId64 ",\""
		    AUDIT_FIELD_PREVIOUS "\":\"%s\"}\n", after_member ? "," : "",
		    lost, sequence, previous);
	return snprintf(out, size, "%s\"" AUDIT_FIELD_SEQUENCE "\":%" PRId64
	    ",\"" AUDIT_FIELD_PREVIOUS "\":\"%s\"}\n", after_member ? "," : "",
	    sequence, previous);
}

static void
test_chain_tail_matches_the_format(void **state)
{
	static const int64_t	 sequences[] = { 1, 9, 10, 99, 100, 12345,
	    INT64_MAX, 0, -1, -10, INT64_MIN };
	static const uint64_t	 losts[] = { 0, 1, 10, 4294967296ULL,
	    UINT64_MAX };
	const char		*previous = AUDIT_GENESIS_HASH;
	char			 got[AUDIT_CHAIN_TAIL_MAX + 8];
	char			 want[AUDIT_CHAIN_TAIL_MAX + 8];
	size_t			 n;
	int			 w;

	(void)state;
	for (int member = 0; member < 2; member++)
		for (size_t i = 0; i < sizeof(sequences) /
		    sizeof(sequences[0]); i++)
			for (size_t j = 0; j < sizeof(losts) /
			    sizeof(losts[0]); j++) {
				memset(got, '#', sizeof(got));
				n = audit_chain_tail(got, member, sequences[i],
				    previous, losts[j]);
				w = expected_tail(want, sizeof(want), member,
				    sequences[i], previous, losts[j]);
				assert_true(w > 0);
				assert_int_equal(n, (size_t)w);
				assert_true(n <= AUDIT_CHAIN_TAIL_MAX);
				assert_memory_equal(got, want, n);
				/* Nothing past what it said it wrote. */
				assert_int_equal(got[n], '#');
			}
}

/* Hashing a line in two parts, at any split, gives the line's hash. */
static void
test_split_hash_is_the_line_hash(void **state)
{
	const char	*line = "{\"eventName\":\"GetSecretValue\","
	    "\"sesameSequence\":7,\"sesamePreviousHash\":\""
	    AUDIT_GENESIS_HASH "\"}";
	size_t		 len = strlen(line);
	char		 whole[AUDIT_HASH_HEX_LEN + 1];
	char		 split[AUDIT_HASH_HEX_LEN + 1];
	EVP_MD_CTX	*ctx;

	(void)state;
	audit_hash_line(line, len, whole);
	for (size_t at = 0; at <= len; at++) {
		ctx = audit_hash_begin(line, at);
		assert_non_null(ctx);
		audit_hash_end(ctx, line + at, len - at, split);
		assert_string_equal(split, whole);
	}
	/* And it is SHA-256 of the bytes: the empty line's is well known. */
	audit_hash_line("", 0, whole);
	assert_string_equal(whole, "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
}

static void
test_file_names(void **state)
{
	uint64_t	 n;
	char		 name[AUDIT_FILE_NAME_MAX];

	(void)state;
	audit_file_name(42, name, sizeof(name));
	assert_string_equal(name, "audit-000042.log");
	assert_true(audit_file_name_parse(name, &n));
	assert_int_equal(n, 42);
	assert_true(audit_file_name_parse("audit-1234567.log", &n));
	assert_int_equal(n, 1234567);
	assert_false(audit_file_name_parse("audit-0000042.log", &n));
	assert_false(audit_file_name_parse("audit-000000.log", &n));
	assert_false(audit_file_name_parse("audit-00004x.log", &n));
	assert_false(audit_file_name_parse("audit-000042.log.gz", &n));
}

static void
test_derived_keys_differ_by_label(void **state)
{
	struct secret_buf *root = test_key(0x01), *a = NULL, *b = NULL, *c = NULL;

	(void)state;
	assert_int_equal(root_key_derive(root, AUDIT_KEY_LABEL, &a), STATUS_OK);
	assert_int_equal(root_key_derive(root, AUDIT_KEY_LABEL, &b), STATUS_OK);
	assert_int_equal(root_key_derive(root, "another purpose", &c),
	    STATUS_OK);
	assert_int_equal(a->len, CRYPTO_KEY_LEN);
	assert_true(secret_buf_equal(a, b));
	assert_false(secret_buf_equal(a, c));
	assert_false(secret_buf_equal(a, root));
	secret_buf_free(root);
	secret_buf_free(a);
	secret_buf_free(b);
	secret_buf_free(c);
}

#define T(name)	cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_untouched_log_verifies),
		T(test_every_file_closes_with_a_signed_digest),
		T(test_each_event_links_to_the_line_before),
		T(test_concurrent_writers_rotate_without_gaps),
		T(test_events_are_cloudtrail_records),
		T(test_alarm_is_in_additional_event_data),
		T(test_service_event_names_the_service),
		T(test_strings_are_escaped_and_utf8_checked),
		T(test_long_strings_grow_the_record),
		T(test_signatures_in_error_messages_are_cut),
		T(test_restart_continues_the_chain_in_a_new_file),
		T(test_second_writer_is_refused),
		T(test_crashed_writer_file_is_signed_at_next_start),
		T(test_file_rotates_by_age),
		T(test_unwritable_folder_fails_closed_and_recovers),
		T(test_removed_current_file_continues_in_a_new_file),
		T(test_renamed_current_file_continues_in_a_new_file),
		T(test_appended_current_file_is_signed_as_modified),
		T(test_truncated_current_file_is_signed_within_a_tick),
		T(test_reading_the_current_file_starts_no_new_one),
		T(test_moved_folder_fails_closed_also_after_a_replacement),
		T(test_edited_event_is_reported_at_its_line),
		T(test_edited_last_event_of_a_file_is_caught_by_its_digest),
		T(test_rewritten_chain_fails_the_signature),
		T(test_deleted_event_is_reported_as_removed),
		T(test_deleted_last_events_are_reported_at_the_digest),
		T(test_swapped_events_are_reported_as_reordered),
		T(test_renamed_files_are_reported_as_reordered),
		T(test_truncated_file_is_reported),
		T(test_truncated_at_a_line_end_is_reported),
		T(test_missing_file_is_reported),
		T(test_pruned_oldest_file_needs_allow_pruned),
		T(test_anchor_finds_removed_newest_file),
		T(test_other_key_is_reported),
		T(test_log_across_a_root_key_rotation_verifies_with_both_keys),
		T(test_garbage_line_is_reported),
		T(test_query_filters),
		cmocka_unit_test(test_time_parse),
		cmocka_unit_test(test_file_names),
		cmocka_unit_test(test_chain_tail_matches_the_format),
		cmocka_unit_test(test_split_hash_is_the_line_hash),
		cmocka_unit_test(test_derived_keys_differ_by_label),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
