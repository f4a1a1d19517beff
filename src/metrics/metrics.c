/*
 * metrics.c: the counters behind GET /metrics.
 *
 * Every counter is a relaxed atomic in memory allocated once at start-up:
 * recording never locks or allocates.  Rendering reads each counter once;
 * a histogram's buckets are read before its count is derived from them, so
 * the text is always self-consistent (+Inf equals _count).
 *
 * Thread-safety: see metrics.h.
 */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "metrics/metrics.h"

/* Upper bounds (seconds) of the latency buckets; one more holds the rest. */
static const double bucket_bounds[] = {
	0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
	2.5, 5, 10,
};
#define BUCKET_COUNT	(sizeof(bucket_bounds) / sizeof(bucket_bounds[0]))

static const char *const alarm_names[METRICS_ALARM__COUNT] = {
	[METRICS_ALARM_DELETED_SECRET_ACCESS] = "SecretScheduledForDeletionAccessed",
};

struct operation_counters {
	_Atomic uint64_t	 by_status[STATUS__COUNT];
	_Atomic uint64_t	 buckets[BUCKET_COUNT + 1];	/* not cumulative */
	_Atomic uint64_t	 duration_ns_sum;
	_Atomic uint64_t	 denials;
};

struct metrics {
	const char *const	*names;
	size_t			 operation_count;
	metrics_status_label_fn	 label;
	struct operation_counters *operations;	/* operation_count + 1 */
	_Atomic uint64_t	 authentication_failures[STATUS__COUNT];
	_Atomic uint64_t	 rotations_succeeded;
	_Atomic uint64_t	 rotations_failed;
	_Atomic uint64_t	 audit_events;
	_Atomic uint64_t	 audit_write_failures;
	_Atomic uint64_t	 alarms[METRICS_ALARM__COUNT];
	metrics_secret_count_fn	 secret_counter;
	void			*secret_counter_arg;
	int64_t			 started_at;	/* Unix seconds */
};

/* A growing text buffer; is_failed sticks after an allocation failure. */
struct text {
	char	*data;
	size_t	 len;
	size_t	 cap;
	bool	 is_failed;
};

static void __attribute__((format(printf, 2, 3)))
text_printf(struct text *t, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	if (t->is_failed)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->data + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			t->is_failed = true;
			return;
		}
		if ((size_t)n < t->cap - t->len) {
			t->len += (size_t)n;
			return;
		}
		{
			size_t	 cap = t->cap * 2 + (size_t)n;
			char	*bigger = realloc(t->data, cap);

			if (bigger == NULL) {
				t->is_failed = true;
				return;
			}
			t->data = bigger;
			t->cap = cap;
		}
	}
}

/* A label value with \, " and newlines escaped, into out. */
static const char *
label_escape(const char *in, char *out, size_t out_len)
{
	size_t n = 0;

	for (; *in != '\0' && n + 3 < out_len; in++) {
		if (*in == '\\' || *in == '"') {
			out[n++] = '\\';
			out[n++] = *in;
		} else if (*in == '\n') {
			out[n++] = '\\';
			out[n++] = 'n';
		} else
			out[n++] = *in;
	}
	out[n] = '\0';
	return out;
}

static uint64_t
load(_Atomic uint64_t *counter)
{
	return atomic_load_explicit(counter, memory_order_relaxed);
}

static void
bump(_Atomic uint64_t *counter, uint64_t by)
{
	atomic_fetch_add_explicit(counter, by, memory_order_relaxed);
}

struct metrics *
metrics_new(const char *const *operation_names, size_t operation_count,
    metrics_status_label_fn label)
{
	struct metrics	*m;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	if ((m->operations = calloc(operation_count + 1,
	    sizeof(*m->operations))) == NULL) {
		free(m);
		return NULL;
	}
	m->names = operation_names;
	m->operation_count = operation_count;
	m->label = label;
	m->started_at = (int64_t)time(NULL);
	return m;
}

void
metrics_free(struct metrics *m)
{
	if (m == NULL)
		return;
	free(m->operations);
	free(m);
}

void
metrics_set_secret_counter(struct metrics *m, metrics_secret_count_fn fn,
    void *arg)
{
	if (m == NULL)
		return;
	m->secret_counter = fn;
	m->secret_counter_arg = arg;
}

size_t
metrics_operation_index(const struct metrics *m, const char *name)
{
	if (m == NULL || name == NULL)
		return m != NULL ? m->operation_count : 0;
	for (size_t i = 0; i < m->operation_count; i++)
		if (strcmp(m->names[i], name) == 0)
			return i;
	return m->operation_count;
}

void
metrics_request(struct metrics *m, size_t operation, enum status st,
    int64_t duration_ns)
{
	struct operation_counters *c;
	double	 seconds;
	size_t	 b;

	if (m == NULL)
		return;
	if (operation > m->operation_count)
		operation = m->operation_count;
	if ((unsigned)st >= STATUS__COUNT)
		st = STATUS_INTERNAL;
	if (duration_ns < 0)
		duration_ns = 0;
	c = &m->operations[operation];
	seconds = (double)duration_ns / 1e9;
	for (b = 0; b < BUCKET_COUNT && seconds > bucket_bounds[b]; b++)
		;
	bump(&c->buckets[b], 1);
	bump(&c->duration_ns_sum, (uint64_t)duration_ns);
	bump(&c->by_status[st], 1);
}

void
metrics_authentication_failure(struct metrics *m, enum status st)
{
	if (m != NULL && (unsigned)st < STATUS__COUNT)
		bump(&m->authentication_failures[st], 1);
}

void
metrics_authorization_denial(struct metrics *m, size_t operation)
{
	if (m == NULL)
		return;
	if (operation > m->operation_count)
		operation = m->operation_count;
	bump(&m->operations[operation].denials, 1);
}

void
metrics_rotation(struct metrics *m, bool succeeded)
{
	if (m != NULL)
		bump(succeeded ? &m->rotations_succeeded : &m->rotations_failed, 1);
}

void
metrics_audit_event(struct metrics *m, bool is_written)
{
	if (m != NULL)
		bump(is_written ? &m->audit_events : &m->audit_write_failures, 1);
}

void
metrics_alarm(struct metrics *m, enum metrics_alarm alarm)
{
	if (m != NULL && (unsigned)alarm < METRICS_ALARM__COUNT)
		bump(&m->alarms[alarm], 1);
}

static const char *
operation_name(const struct metrics *m, size_t i)
{
	return i < m->operation_count ? m->names[i] : "unknown";
}

static const char *
status_label(const struct metrics *m, enum status st)
{
	const char *l = m->label != NULL ? m->label(st) : NULL;

	if (l != NULL)
		return l;
	return st == STATUS_OK ? "success" : status_name(st);
}

static void
render_requests(struct metrics *m, struct text *t)
{
	char	 esc[256];

	text_printf(t, "# HELP sesame_requests_total AWS API requests answered, "
	    "by operation and result (success, or the AWS error code).\n"
	    "# TYPE sesame_requests_total counter\n");
	for (size_t op = 0; op <= m->operation_count; op++) {
		uint64_t counts[STATUS__COUNT];

		for (int s = 0; s < STATUS__COUNT; s++)
			counts[s] = load(&m->operations[op].by_status[s]);
		for (int s = 0; s < STATUS__COUNT; s++) {
			const char	*l;
			uint64_t	 sum;
			bool		 is_seen = false;

			if (counts[s] == 0)
				continue;
			l = status_label(m, (enum status)s);
			for (int e = 0; e < s && !is_seen; e++)
				is_seen = counts[e] != 0 &&
				    strcmp(status_label(m, (enum status)e), l) == 0;
			if (is_seen)
				continue;
			sum = counts[s];
			for (int e = s + 1; e < STATUS__COUNT; e++)
				if (counts[e] != 0 && strcmp(status_label(m,
				    (enum status)e), l) == 0)
					sum += counts[e];
			text_printf(t, "sesame_requests_total{operation=\"%s\","
			    "result=\"%s\"} %llu\n", operation_name(m, op),
			    label_escape(l, esc, sizeof(esc)),
			    (unsigned long long)sum);
		}
	}
}

static void
render_latency(struct metrics *m, struct text *t)
{
	text_printf(t, "# HELP sesame_request_duration_seconds Time from "
	    "receiving a request to having its answer, audit write included.\n"
	    "# TYPE sesame_request_duration_seconds histogram\n");
	for (size_t op = 0; op <= m->operation_count; op++) {
		struct operation_counters *c = &m->operations[op];
		uint64_t	 buckets[BUCKET_COUNT + 1], total = 0;
		const char	*name = operation_name(m, op);

		for (size_t b = 0; b <= BUCKET_COUNT; b++)
			total += buckets[b] = load(&c->buckets[b]);
		if (total == 0)
			continue;
		total = 0;
		for (size_t b = 0; b < BUCKET_COUNT; b++) {
			total += buckets[b];
			text_printf(t, "sesame_request_duration_seconds_bucket{"
			    "operation=\"%s\",le=\"%g\"} %llu\n", name,
			    bucket_bounds[b], (unsigned long long)total);
		}
		total += buckets[BUCKET_COUNT];
		text_printf(t, "sesame_request_duration_seconds_bucket{"
		    "operation=\"%s\",le=\"+Inf\"} %llu\n"
		    "sesame_request_duration_seconds_sum{operation=\"%s\"} %.9f\n"
		    "sesame_request_duration_seconds_count{operation=\"%s\"} "
		    "%llu\n", name, (unsigned long long)total, name,
		    (double)load(&c->duration_ns_sum) / 1e9, name,
		    (unsigned long long)total);
	}
}

struct secret_emit {
	struct text	*t;
};

static void
secret_count_emit(void *arg, const char *account_id, int64_t count)
{
	struct secret_emit	*e = arg;
	char			 esc[128];

	text_printf(e->t, "sesame_secrets{account_id=\"%s\"} %lld\n",
	    label_escape(account_id, esc, sizeof(esc)), (long long)count);
}

enum status
metrics_render(struct metrics *m, char **out, size_t *out_len)
{
	struct text		 t = { NULL, 0, 0, false };
	struct secret_emit	 e;
	enum status		 counted = STATUS_OK;
	char			 esc[128];

	if ((t.data = malloc(t.cap = 8192)) == NULL)
		return STATUS_NO_MEMORY;
	render_requests(m, &t);
	render_latency(m, &t);

	text_printf(&t, "# HELP sesame_authentication_failures_total Requests "
	    "refused before an identity was established, by reason.\n"
	    "# TYPE sesame_authentication_failures_total counter\n");
	for (int s = 0; s < STATUS__COUNT; s++) {
		uint64_t n = load(&m->authentication_failures[s]);

		if (n != 0)
			text_printf(&t, "sesame_authentication_failures_total{"
			    "reason=\"%s\"} %llu\n", label_escape(status_label(m,
			    (enum status)s), esc, sizeof(esc)),
			    (unsigned long long)n);
	}
	text_printf(&t, "# HELP sesame_authorization_denials_total "
	    "Authenticated requests denied by policy, by operation.\n"
	    "# TYPE sesame_authorization_denials_total counter\n");
	for (size_t op = 0; op <= m->operation_count; op++) {
		uint64_t n = load(&m->operations[op].denials);

		if (n != 0)
			text_printf(&t, "sesame_authorization_denials_total{"
			    "operation=\"%s\"} %llu\n", operation_name(m, op),
			    (unsigned long long)n);
	}
	text_printf(&t, "# HELP sesame_rotations_total Secret rotations "
	    "finished, by result.\n# TYPE sesame_rotations_total counter\n"
	    "sesame_rotations_total{result=\"succeeded\"} %llu\n"
	    "sesame_rotations_total{result=\"failed\"} %llu\n",
	    (unsigned long long)load(&m->rotations_succeeded),
	    (unsigned long long)load(&m->rotations_failed));

	text_printf(&t, "# HELP sesame_secrets Secrets stored, by account "
	    "(including those scheduled for deletion).\n"
	    "# TYPE sesame_secrets gauge\n");
	if (m->secret_counter != NULL) {
		e.t = &t;
		counted = m->secret_counter(m->secret_counter_arg,
		    secret_count_emit, &e);
	}
	text_printf(&t, "# HELP sesame_secrets_scrape_error 1 when the secret "
	    "counts could not be read.\n# TYPE sesame_secrets_scrape_error "
	    "gauge\nsesame_secrets_scrape_error %d\n",
	    counted != STATUS_OK || m->secret_counter == NULL);

	text_printf(&t, "# HELP sesame_audit_events_total Audit events "
	    "written.\n# TYPE sesame_audit_events_total counter\n"
	    "sesame_audit_events_total %llu\n"
	    "# HELP sesame_audit_write_failures_total Audit events that could "
	    "not be written.\n# TYPE sesame_audit_write_failures_total counter\n"
	    "sesame_audit_write_failures_total %llu\n",
	    (unsigned long long)load(&m->audit_events),
	    (unsigned long long)load(&m->audit_write_failures));
	text_printf(&t, "# HELP sesame_alarms_total Alarms raised (each is also "
	    "an audit event), by alarm.\n# TYPE sesame_alarms_total counter\n");
	for (int a = 0; a < METRICS_ALARM__COUNT; a++)
		text_printf(&t, "sesame_alarms_total{alarm=\"%s\"} %llu\n",
		    alarm_names[a], (unsigned long long)load(&m->alarms[a]));
	text_printf(&t, "# HELP sesame_start_time_seconds When the server "
	    "started, in Unix seconds.\n# TYPE sesame_start_time_seconds gauge\n"
	    "sesame_start_time_seconds %lld\n", (long long)m->started_at);

	if (t.is_failed) {
		free(t.data);
		return STATUS_NO_MEMORY;
	}
	*out = t.data;
	*out_len = t.len;
	return STATUS_OK;
}
