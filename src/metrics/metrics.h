/*
 * metrics.h: counters and histograms of the running server, rendered in
 * the Prometheus text exposition format (version 0.0.4) for GET /metrics.
 *
 * The module knows no AWS: operations are indexes into the name table given
 * to metrics_new, outcomes are enum status values labelled by a function the
 * caller supplies (api/ turns them into AWS error codes).  Everything is
 * fixed-size and counted with relaxed atomics, so recording costs a few
 * uncontended increments and never allocates.
 *
 * Thread-safety: every function may be called from any thread, except
 * metrics_free.
 */
#ifndef SESAME_METRICS_H
#define SESAME_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/status.h"

struct metrics;

/* The label of a status in sesame_requests_total{result=...}: "success"
 * for STATUS_OK, otherwise e.g. "AccessDeniedException".  Several statuses
 * may share a label; their counts are added up. */
typedef const char *(*metrics_status_label_fn)(enum status st);

/* Secret counts per account, asked for at render time: call emit once per
 * account.  Returns STATUS_OK or the failure (the family is then left
 * without samples and sesame_secrets_scrape_error is 1). */
typedef enum status (*metrics_secret_count_fn)(void *arg,
    void (*emit)(void *emit_arg, const char *account_id, int64_t count),
    void *emit_arg);

/* operation_names: the operations that can be counted (borrowed; must
 * outlive the metrics); requests that match none are counted under
 * "unknown".  NULL on allocation failure. */
struct metrics	*metrics_new(const char *const *operation_names,
		    size_t operation_count, metrics_status_label_fn label);
void		 metrics_free(struct metrics *m);
void		 metrics_set_secret_counter(struct metrics *m,
		    metrics_secret_count_fn fn, void *arg);

/* The index of name in the operation table, or operation_count. */
size_t		 metrics_operation_index(const struct metrics *m,
		    const char *name);

/* One answered request: its operation index, outcome and latency. */
void		 metrics_request(struct metrics *m, size_t operation,
		    enum status st, int64_t duration_ns);
/* A request whose signature or credentials were refused (st is the
 * authentication status). */
void		 metrics_authentication_failure(struct metrics *m,
		    enum status st);
/* A request authenticated but not authorised. */
void		 metrics_authorization_denial(struct metrics *m,
		    size_t operation);
void		 metrics_rotation(struct metrics *m, bool succeeded);
/* An audit event written, or one that could not be written. */
void		 metrics_audit_event(struct metrics *m, bool is_written);

enum metrics_alarm {
	METRICS_ALARM_DELETED_SECRET_ACCESS,	/* "SecretScheduledForDeletionAccessed" */
	METRICS_ALARM__COUNT
};

void		 metrics_alarm(struct metrics *m, enum metrics_alarm alarm);

/* The exposition text; *out malloc'd.  STATUS_NO_MEMORY on failure. */
enum status	 metrics_render(struct metrics *m, char **out, size_t *out_len);

/* The Content-Type of metrics_render's text. */
#define METRICS_CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"

#endif
