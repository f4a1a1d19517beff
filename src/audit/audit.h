/*
 * audit.h: one event per request, allowed or denied, written after the
 * decision and before the response, in CloudTrail's record format.
 *
 * Events never carry secret values: request parameters arrive already
 * redacted by the field tables (sensitive members dropped), and response
 * elements are limited to identifiers.
 *
 * Thread-safety: audit_record may be called from any thread; each event is
 * one write(2) of one line to an O_APPEND file.
 */
#ifndef SESAME_AUDIT_H
#define SESAME_AUDIT_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "common/status.h"

struct audit_log;

struct audit_event {
	const char	*request_id;
	int64_t		 time_ms;
	const char	*event_source;	/* "secretsmanager.amazonaws.com" */
	const char	*event_name;	/* "GetSecretValue"; NULL if unknown */
	const char	*region;
	const char	*source_ip;
	const char	*user_agent;
	/* userIdentity; principal_arn NULL when the caller is unknown */
	const char	*identity_type;
	const char	*principal_arn;
	const char	*principal_id;
	const char	*account_id;
	const char	*access_key_id;
	const char	*resource_arn;	/* NULL or "" when none */
	const char	*error_code;	/* NULL on success */
	const char	*error_message;
	bool		 is_read_only;
	const json_t	*request_parameters;	/* redacted; may be NULL */
	const json_t	*response_elements;	/* identifiers only; may be NULL */
};

/* Open (create) DIR/audit.log for appending; the folder is made 0700. */
enum status	 audit_open(const char *dir, struct audit_log **out,
		    struct error *err);
void		 audit_close(struct audit_log *log);
/* STATUS_IO when the event could not be written: the caller fails the
 * request (fail closed). */
enum status	 audit_record(struct audit_log *log, const struct audit_event *ev);

#endif
