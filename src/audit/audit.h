/*
 * audit.h: one event per request, allowed or denied, written after the
 * decision and before the response, in CloudTrail's record format, into a
 * tamper-evident log.
 *
 * Events never carry secret values: request parameters arrive already
 * redacted by the field tables (sensitive members dropped), and response
 * elements are limited to identifiers.
 *
 * The log is a folder of numbered files (audit-000001.log, ...), one JSON
 * object per line.  Every event line carries its sequence number and the
 * SHA-256 of the line before it (across files), and every file closes with
 * a digest line signed with HMAC-SHA256 under a key derived from the root
 * key (so it is held apart from the log).  docs/audit.md describes the
 * format; audit_verify checks it, audit_query searches it.
 *
 * Thread-safety: audit_record may be called from any thread (one mutex
 * orders the chain; each line is one write(2)).  audit_open and audit_close
 * must not race with anything else.
 */
#ifndef SESAME_AUDIT_H
#define SESAME_AUDIT_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "common/status.h"
#include "crypto/crypto.h"

/* root_key_derive label of the key that signs digests. */
#define AUDIT_KEY_LABEL			"sesame audit hmac v1"
/* additionalEventData.sesameAlarm of a request for a secret that is
 * scheduled for deletion. */
#define AUDIT_ALARM_DELETED_SECRET	"SecretScheduledForDeletionAccessed"

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
	const char	*account_id;	/* the caller's account */
	const char	*access_key_id;	/* also for unauthenticated callers */
	const char	*resource_arn;	/* NULL or "" when none */
	const char	*error_code;	/* NULL on success */
	const char	*error_message;
	bool		 is_read_only;
	/* A service event (rotation, end of a deletion window): eventType
	 * AwsServiceEvent, userIdentity {accountId, invokedBy}. */
	bool		 is_service_event;
	const char	*alarm;		/* NULL, or AUDIT_ALARM_* */
	const json_t	*request_parameters;	/* redacted; may be NULL */
	const json_t	*response_elements;	/* identifiers only; may be NULL */
	const json_t	*additional_event_data;	/* may be NULL */
};

/* What audit_config.on_file_closed learns when a file has been signed. */
struct audit_file_closed {
	uint64_t	 file_number;
	const char	*file_name;		/* "audit-000007.log" */
	int64_t		 last_sequence;		/* last event of the log so far */
	const char	*signature;		/* hex HMAC of the digest line */
};

typedef void (*audit_file_closed_fn)(void *arg,
    const struct audit_file_closed *closed);

struct audit_config {
	const char	*dir;
	/* The digest key (root_key_derive(root, AUDIT_KEY_LABEL)); audit_open
	 * takes it, also on failure. */
	struct secret_buf *signing_key;
	int64_t		 file_max_bytes;	/* start a new file past this; 0: no limit */
	int64_t		 rotate_seconds;	/* sign a file whose first event is this
						 * old; 0: only on size and shutdown */
	int64_t		 sync_interval_ms;	/* 0: fsync every event before answering */
	/* Called (under the log's lock) after each file is signed; may be
	 * NULL.  The server keeps the latest one apart from the log. */
	audit_file_closed_fn on_file_closed;
	void		*on_file_closed_arg;
};

/* Open the log: create the folder (0700) if needed, take its lock (one
 * writer per folder), sign a file a crashed process left open, and start a
 * new file.  STATUS_IO (message names the folder) when any of it fails. */
enum status	 audit_open(const struct audit_config *cfg,
		    struct audit_log **out, struct error *err);
/* Sign and close the current file.  NULL is allowed. */
void		 audit_close(struct audit_log *log);
/* Whether an event could be written now: the folder and the current file
 * are usable (one stat(2); a damaged file is signed off and a new one
 * started).  STATUS_OK or STATUS_IO.  A request that changes state asks
 * first, so that a fail-closed server refuses it rather than applying it
 * unrecorded; a NULL log is always ready. */
enum status	 audit_check(struct audit_log *log);
/* Write one event.  STATUS_IO when it could not be written (the caller
 * fails the request unless configured to carry on); the next event that is
 * written then counts the ones lost ("sesameLostEvents").  A NULL log
 * records nothing and returns STATUS_OK. */
enum status	 audit_record(struct audit_log *log, const struct audit_event *ev);

/* ---- verification (audit_verify.c) ---- */

enum audit_finding {
	AUDIT_FINDING_NONE = 0,
	AUDIT_FINDING_ALTERED,		/* a line's bytes changed */
	AUDIT_FINDING_REMOVED,		/* events missing from a file */
	AUDIT_FINDING_REORDERED,	/* events or files out of order */
	AUDIT_FINDING_TRUNCATED,	/* a file cut short */
	AUDIT_FINDING_MISSING_FILE,	/* a whole file gone */
	AUDIT_FINDING_BAD_SIGNATURE,	/* a digest not signed by the key */
	AUDIT_FINDING_UNEXPECTED,	/* something that does not belong */
};

struct audit_verify_options {
	/* The digest key; NULL checks the chain only, not the signatures. */
	const struct secret_buf *key;
	/* Keys of earlier root keys (digests written before a root key
	 * rotation carry their keyId); may be NULL. */
	const struct secret_buf *const *earlier_keys;
	size_t		 earlier_key_count;
	/* Accept a folder whose oldest files were removed on purpose (after
	 * shipping): the first file present need not be audit-000001.log. */
	bool		 allow_pruned;
	/* The latest signed file known from outside the folder (the server
	 * keeps it in the database): 0 when unknown. */
	uint64_t	 anchor_file_number;
	const char	*anchor_signature;	/* hex; may be NULL */
};

struct audit_verify_report {
	enum audit_finding finding;
	char		 file[64];	/* where; "" when not about one file */
	uint64_t	 line;		/* 1-based; 0: the file as a whole */
	int64_t		 sequence;	/* the event concerned; 0: none */
	char		 message[768];
	/* what was checked */
	bool		 is_writer_active;	/* a server holds the folder */
	size_t		 file_count;
	uint64_t	 first_file, last_file;
	int64_t		 first_sequence, last_sequence;
	uint64_t	 event_count;
	uint64_t	 digest_count;
	bool		 is_last_file_open;	/* being written: no digest yet */
	uint64_t	 unsigned_event_count;	/* events after the last digest */
};

/* Check every file of dir in order and stop at the first finding.
 * STATUS_OK when the check ran (report->finding says what it found);
 * STATUS_IO / STATUS_NO_MEMORY when it could not. */
enum status	 audit_verify(const char *dir,
		    const struct audit_verify_options *opt,
		    struct audit_verify_report *report, struct error *err);
const char	*audit_finding_name(enum audit_finding finding);

/* ---- queries (audit_query.c) ---- */

struct audit_query {
	int64_t		 since_ms;	/* eventTime >= since; 0: no bound */
	int64_t		 until_ms;	/* eventTime < until; 0: no bound */
	const char	*principal;	/* ARN, principal id, access key id or
					 * user name; NULL: any */
	const char	*secret;	/* ARN (full or partial) or name */
	const char	*event_name;
	/* "success", "failure" (any error), "denied" (authentication or
	 * authorisation refused), or an error code; NULL: any */
	const char	*result;
	bool		 is_alarm_only;
};

/* Receives each matching event line (without its newline); returning
 * non-zero stops the query. */
typedef int (*audit_query_emit_fn)(void *arg, const char *line, size_t len);

/* Events of dir matching q, oldest first.  Digest lines are skipped;
 * lines that are not JSON are skipped (audit_verify reports them). */
enum status	 audit_query_run(const char *dir, const struct audit_query *q,
		    audit_query_emit_fn emit, void *arg, struct error *err);
/* Parse "2024-05-01T12:00:00Z", "2024-05-01" or Unix seconds into ms. */
enum status	 audit_time_parse(const char *text, int64_t *out_ms);

#endif
