/*
 * audit.c: the front of the audit log: turns a struct audit_event into a
 * CloudTrail record (audit_event.c) and hands it to the file sink, which
 * chains and writes it (audit_sink_file.c).
 *
 * The record is built, and most of its line's hash computed, outside the
 * sink's lock; only chaining and the write happen under it.  Nothing here
 * sees a secret value: the event carries redacted parameters and
 * identifiers only.
 *
 * Thread-safety: audit_record and audit_check may run on any thread.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit_internal.h"

struct audit_log {
	struct audit_file_sink	*sink;
};

enum status
audit_open(const struct audit_config *cfg, struct audit_log **out,
    struct error *err)
{
	struct audit_log	*log;
	enum status		 st;

	if ((log = calloc(1, sizeof(*log))) == NULL) {
		secret_buf_free(cfg->signing_key);
		return error_set(err, STATUS_NO_MEMORY, "out of memory");
	}
	if ((st = audit_sink_file_open(cfg, &log->sink, err)) != STATUS_OK) {
		free(log);
		return st;
	}
	*out = log;
	return STATUS_OK;
}

void
audit_close(struct audit_log *log)
{
	if (log == NULL)
		return;
	audit_sink_file_close(log->sink);
	free(log);
}

enum status
audit_check(struct audit_log *log)
{
	if (log == NULL)
		return STATUS_OK;
	return audit_sink_file_ready(log->sink);
}

enum status
audit_record(struct audit_log *log, const struct audit_event *ev)
{
	char		*text;
	size_t		 len = 0;
	enum status	 st;

	if (log == NULL)
		return STATUS_OK;
	if ((text = audit_event_record(ev, AUDIT_CHAIN_TAIL_MAX, &len)) ==
	    NULL)
		return STATUS_NO_MEMORY;
	st = audit_sink_file_append(log->sink, text, len);
	free(text);
	return st;
}
