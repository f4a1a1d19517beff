/*
 * audit_internal.h: what the files of audit/ share: the chain format
 * (audit_chain.c), reading log files back, and the file sink.
 *
 * Line format (docs/audit.md):
 *   event:  {...CloudTrail record...,"sesameSequence":N,
 *            "sesamePreviousHash":"<hex SHA-256 of the previous line>"}
 *   digest: {"sesameDigest":{...},"sesamePreviousHash":"<hex>",
 *            "sesameSignature":"<hex HMAC-SHA256 of everything before
 *            ',"sesameSignature"'>"}
 * A line's hash is the SHA-256 of its bytes without the newline.  The first
 * line of the log follows AUDIT_GENESIS_HASH.
 */
#ifndef SESAME_AUDIT_INTERNAL_H
#define SESAME_AUDIT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <openssl/types.h>

#include "audit/audit.h"

#define AUDIT_HASH_HEX_LEN	64
#define AUDIT_GENESIS_HASH \
	"0000000000000000000000000000000000000000000000000000000000000000"
#define AUDIT_FIELD_SEQUENCE	"sesameSequence"
#define AUDIT_FIELD_PREVIOUS	"sesamePreviousHash"
#define AUDIT_FIELD_LOST	"sesameLostEvents"
#define AUDIT_FIELD_DIGEST	"sesameDigest"
#define AUDIT_SIGNATURE_MARK	",\"sesameSignature\":\""
#define AUDIT_DIGEST_VERSION	1
#define AUDIT_FILE_NAME_MAX	64
#define AUDIT_KEY_ID_HEX_LEN	16
/* Longest line audit_file_read accepts (an event is far smaller). */
#define AUDIT_LINE_MAX		(1024 * 1024)

/* ---- chain (audit_chain.c) ---- */

void		 audit_hash_line(const char *line, size_t len,
		    char out[AUDIT_HASH_HEX_LEN + 1]);
/* "audit-000042.log" <-> 42.  parse: false for any other name. */
void		 audit_file_name(uint64_t number, char *out, size_t out_len);
bool		 audit_file_name_parse(const char *name, uint64_t *number);
/* Key id written in digests: hex of the first 8 bytes of
 * HMAC(key, "sesame audit key id"). */
enum status	 audit_key_id(const struct secret_buf *key,
		    char out[AUDIT_KEY_ID_HEX_LEN + 1]);

/*
 * The chain fields that end an event line, in place of the body's closing
 * brace: [,"sesameLostEvents":N],"sesameSequence":N,
 * "sesamePreviousHash":"..."}, then a newline.  after_member: the body
 * has members before them (a comma is needed).  out has room for
 * AUDIT_CHAIN_TAIL_MAX bytes; returns the length written (no NUL).
 */
#define AUDIT_CHAIN_TAIL_MAX	192
size_t		 audit_chain_tail(char *out, bool after_member,
		    int64_t sequence, const char *previous_hash,
		    uint64_t lost_count);

/*
 * A line's hash in two parts, so that the long part can be hashed before
 * the line's place in the chain is known: begin with the body up to its
 * closing brace, end with the chain fields (without the newline).  begin
 * returns NULL when out of memory (hash the whole line with
 * audit_hash_line instead); end frees ctx.
 */
EVP_MD_CTX	*audit_hash_begin(const char *part, size_t len);
void		 audit_hash_end(EVP_MD_CTX *ctx, const char *rest,
		    size_t len, char out[AUDIT_HASH_HEX_LEN + 1]);

struct audit_digest {
	const char	*file;		/* "audit-000001.log" */
	int64_t		 first_sequence;	/* first event of the file */
	int64_t		 last_sequence;		/* last event (first - 1: none) */
	int64_t		 opened_at_ms;		/* 0: unknown */
	int64_t		 closed_at_ms;
	const char	*reason;	/* "size", "age", "shutdown", ... */
	const char	*key_id;
};

/* The signed digest line (with newline); malloc'd.  signature receives
 * the hex HMAC. */
enum status	 audit_digest_line(const struct audit_digest *d,
		    const char *previous_hash, const struct secret_buf *key,
		    char **out, size_t *out_len,
		    char signature[AUDIT_HASH_HEX_LEN + 1]);
/* Whether line (without newline) is a digest line signed by key.
 * signature, when not NULL, receives the hex signature as written. */
bool		 audit_digest_signature_ok(const char *line, size_t len,
		    const struct secret_buf *key,
		    char signature[AUDIT_HASH_HEX_LEN + 1]);

/* One line of a log file, parsed. */
struct audit_parsed {
	json_t		*obj;		/* NULL: not a JSON object */
	bool		 is_digest;
	int64_t		 sequence;	/* events: sesameSequence; 0: absent */
	const char	*previous_hash;	/* borrowed from obj; NULL: absent */
	/* digests only */
	const char	*digest_file;
	int64_t		 digest_first_sequence;
	int64_t		 digest_last_sequence;
	const char	*digest_key_id;
	const char	*digest_reason;
};

/* Parse line (strict JSON, duplicate keys refused).  Never fails: a line
 * that is not an object leaves p->obj NULL. */
void		 audit_line_parse(const char *line, size_t len,
		    struct audit_parsed *p);
void		 audit_parsed_cleanup(struct audit_parsed *p);

/* A log file read whole and split into lines. */
struct audit_line {
	const char	*text;
	size_t		 len;		/* without the newline */
	bool		 has_newline;
};

struct audit_file_text {
	char		*data;
	size_t		 len;
	struct audit_line *lines;
	size_t		 line_count;
};

/* STATUS_IO when path cannot be read (message in err), STATUS_NO_MEMORY. */
enum status	 audit_file_read(const char *path, struct audit_file_text *out,
		    struct error *err);
void		 audit_file_text_cleanup(struct audit_file_text *t);

/* The numbers of the log files in dir, ascending; *numbers malloc'd (NULL
 * when count is 0).  STATUS_IO when dir cannot be listed. */
enum status	 audit_dir_list(const char *dir, uint64_t **numbers,
		    size_t *count, struct error *err);
/* Whether a writer holds dir's lock right now. */
bool		 audit_dir_is_locked(const char *dir);

/* ISO-8601 UTC with seconds, "2024-05-01T12:00:00Z". */
void		 audit_format_time(int64_t ms, char *out, size_t out_len);

/* ---- the record (audit_event.c) ---- */

/* ev as one CloudTrail record, compact JSON, no newline; malloc'd with
 * room for spare more bytes after it.  NULL on allocation failure. */
char		*audit_event_record(const struct audit_event *ev,
		    size_t spare, size_t *out_len);

/* ---- changes by others to the file being written (audit_file_watch.c) ---- */

struct audit_file_watch {
	int		 fd;		/* inotify instance; -1: none */
	const char	*dir;		/* the folder, borrowed */
	int		 dir_wd;
	int		 file_wd;	/* -1: no file watched */
};

/* Watch dir (the audit folder).  Without inotify w->fd stays -1 and
 * audit_file_watch_changed always answers true. */
void		 audit_file_watch_open(struct audit_file_watch *w,
		    const char *dir);
/* Watch path, the file just opened, instead of the one before.  false
 * when it cannot be watched (changed answers true until a file can). */
bool		 audit_file_watch_file(struct audit_file_watch *w,
		    const char *path);
void		 audit_file_watch_forget(struct audit_file_watch *w);
/* Whether something may have touched the file or the folder since the
 * last call (true: stat the file to see).  false means nobody unlinked,
 * renamed, replaced, chmod'ed or closed-after-writing it in between. */
bool		 audit_file_watch_changed(struct audit_file_watch *w);
void		 audit_file_watch_close(struct audit_file_watch *w);

/* ---- the file sink (audit_sink_file.c) ---- */

struct audit_file_sink;

enum status	 audit_sink_file_open(const struct audit_config *cfg,
		    struct audit_file_sink **out, struct error *err);
/* Chain body (a compact JSON object, body_len bytes, in a buffer with
 * room for AUDIT_CHAIN_TAIL_MAX more: the chain fields are written into
 * it), write it, count it.  STATUS_IO when the line could not be written
 * (nothing of it is left in the file); STATUS_INTERNAL when body is not
 * an object (nothing is written).  Either way the event is counted lost. */
enum status	 audit_sink_file_append(struct audit_file_sink *sink,
		    char *body, size_t body_len);
/* Whether a line could be appended now (repairing what append would). */
enum status	 audit_sink_file_ready(struct audit_file_sink *sink);
void		 audit_sink_file_close(struct audit_file_sink *sink);

#endif
