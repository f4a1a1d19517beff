/*
 * audit_verify.c: checks a log folder and names the first place where it
 * was tampered with.
 *
 * The walk follows the chain through the files in number order.  What it
 * can tell apart, and how:
 *   altered    a line's hash no longer matches the link in the line after
 *              it (the line before a signed digest, or any event), or a line
 *              is not JSON, or a digest's signature fails
 *   removed    sequence numbers jump forward and the missing event is not
 *              further down the file; or a digest counts events the file
 *              does not hold
 *   reordered  sequence numbers go backwards, or jump forward to an event
 *              whose predecessor comes later; a file holds another file's
 *              digest
 *   truncated  a line without its newline; a file other than the newest
 *              without a digest; the newest one without a digest while no
 *              server holds the folder
 *   missing    a gap in the file numbers; a first file other than 1 (unless
 *              pruning is allowed); a signed file the server recorded
 *              elsewhere (the anchor) that is not there
 * An attacker without the key can rewrite events that no digest covers yet
 * (the file being written) consistently; docs/audit.md says how to bound
 * that window.
 *
 * Thread-safety: no shared state.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit_internal.h"

struct verify_place {
	char		 file[AUDIT_FILE_NAME_MAX];
	uint64_t	 line;
	int64_t		 sequence;
	bool		 is_signed_digest;	/* a digest whose signature held */
};

struct verify_walk {
	const struct audit_verify_options *opt;
	struct audit_verify_report	*report;
	char				 dir[4096];
	bool				 is_hash_known;
	char				 previous_hash[AUDIT_HASH_HEX_LEN + 1];
	int64_t				 expected_sequence;	/* 0: unknown */
	struct verify_place		 previous;	/* line 0: none */
	char				 anchor_seen[AUDIT_HASH_HEX_LEN + 1];
};

const char *
audit_finding_name(enum audit_finding finding)
{
	switch (finding) {
	case AUDIT_FINDING_NONE:		return "ok";
	case AUDIT_FINDING_ALTERED:		return "altered";
	case AUDIT_FINDING_REMOVED:		return "removed";
	case AUDIT_FINDING_REORDERED:		return "reordered";
	case AUDIT_FINDING_TRUNCATED:		return "truncated";
	case AUDIT_FINDING_MISSING_FILE:	return "missing-file";
	case AUDIT_FINDING_BAD_SIGNATURE:	return "bad-signature";
	case AUDIT_FINDING_UNEXPECTED:		return "unexpected";
	}
	return "unknown";
}

static void __attribute__((format(printf, 6, 7)))
finding(struct verify_walk *w, enum audit_finding kind, const char *file,
    uint64_t line, int64_t sequence, const char *fmt, ...)
{
	struct audit_verify_report *r = w->report;
	va_list ap;

	r->finding = kind;
	snprintf(r->file, sizeof(r->file), "%s", file != NULL ? file : "");
	r->line = line;
	r->sequence = sequence;
	va_start(ap, fmt);
	vsnprintf(r->message, sizeof(r->message), fmt, ap);
	va_end(ap);
}

/* Blame for a broken link into the line at (file, line): the line before
 * it changed, unless that was a digest whose signature held. */
static void
broken_link(struct verify_walk *w, const char *file, uint64_t line,
    int64_t sequence)
{
	const struct verify_place *p = &w->previous;

	if (p->line == 0 || p->is_signed_digest) {
		finding(w, AUDIT_FINDING_ALTERED, file, line, sequence,
		    "%s line %" PRIu64 ": the link to the line before it was "
		    "altered (sesamePreviousHash does not match)", file, line);
		return;
	}
	if (p->sequence > 0)
		finding(w, AUDIT_FINDING_ALTERED, p->file, p->line, p->sequence,
		    "%s line %" PRIu64 ": event %" PRId64 " was altered (its hash "
		    "no longer matches the link in the line after it)", p->file,
		    p->line, p->sequence);
	else
		finding(w, AUDIT_FINDING_ALTERED, p->file, p->line, 0,
		    "%s line %" PRIu64 ": the digest was altered (its hash no "
		    "longer matches the link in the line after it)", p->file,
		    p->line);
}

/* Is event `sequence` on a line after `from` in t? Its line number then. */
static uint64_t
find_later(const struct audit_file_text *t, size_t from, int64_t sequence)
{
	for (size_t i = from; i < t->line_count; i++) {
		struct audit_parsed p;
		bool found;

		audit_line_parse(t->lines[i].text, t->lines[i].len, &p);
		found = p.obj != NULL && !p.is_digest && p.sequence == sequence;
		audit_parsed_cleanup(&p);
		if (found)
			return i + 1;
	}
	return 0;
}

/* Check one event line; false when a finding was made. */
static bool
verify_event(struct verify_walk *w, const char *name,
    const struct audit_file_text *t, size_t i, const struct audit_parsed *p)
{
	int64_t		 seq = p->sequence, want = w->expected_sequence;
	uint64_t	 line = i + 1, later;

	if (seq <= 0 || p->previous_hash == NULL) {
		finding(w, AUDIT_FINDING_ALTERED, name, line, 0, "%s line %" PRIu64
		    ": not an audit record (no sequence number or link)", name,
		    line);
		return false;
	}
	if (want != 0 && seq > want) {
		if ((later = find_later(t, i + 1, want)) != 0)
			finding(w, AUDIT_FINDING_REORDERED, name, line, seq,
			    "%s line %" PRIu64 ": event %" PRId64 " comes before "
			    "event %" PRId64 " (line %" PRIu64 "): events were "
			    "reordered", name, line, seq, want, later);
		else if (seq == want + 1)
			finding(w, AUDIT_FINDING_REMOVED, name, line, want,
			    "%s line %" PRIu64 ": event %" PRId64 " was removed "
			    "(the line before this one)", name, line, want);
		else
			finding(w, AUDIT_FINDING_REMOVED, name, line, want,
			    "%s line %" PRIu64 ": events %" PRId64 "..%" PRId64
			    " were removed (before this line)", name, line, want,
			    seq - 1);
		return false;
	}
	if (want != 0 && seq < want) {
		finding(w, AUDIT_FINDING_REORDERED, name, line, seq,
		    "%s line %" PRIu64 ": event %" PRId64 " comes after event %"
		    PRId64 ": events were reordered or repeated", name, line, seq,
		    want - 1);
		return false;
	}
	if (w->is_hash_known && strcmp(p->previous_hash, w->previous_hash) != 0) {
		broken_link(w, name, line, seq);
		return false;
	}
	w->expected_sequence = seq + 1;
	if (w->report->first_sequence == 0)
		w->report->first_sequence = seq;
	w->report->last_sequence = seq;
	w->report->event_count++;
	w->report->unsigned_event_count++;
	return true;
}

/* Check a digest line (the last line of a file); false on a finding. */
static bool
verify_digest(struct verify_walk *w, const char *name,
    const struct audit_file_text *t, size_t i, const struct audit_parsed *p,
    int64_t file_first_sequence)
{
	const struct audit_line *l = &t->lines[i];
	char		 key_id[AUDIT_KEY_ID_HEX_LEN + 1];
	char		 signature[AUDIT_HASH_HEX_LEN + 1];
	uint64_t	 line = i + 1;
	int64_t		 have_last = w->expected_sequence - 1;
	bool		 is_signed = false;

	if (p->digest_file == NULL || p->previous_hash == NULL ||
	    !audit_digest_signature_ok(l->text, l->len, NULL, signature)) {
		finding(w, AUDIT_FINDING_ALTERED, name, line, 0, "%s line %" PRIu64
		    ": the digest is malformed", name, line);
		return false;
	}
	if (strcmp(p->digest_file, name) != 0) {
		finding(w, AUDIT_FINDING_REORDERED, name, line, 0,
		    "%s holds the digest of %s: files were renamed or reordered",
		    name, p->digest_file);
		return false;
	}
	if (w->opt->key != NULL) {
		bool ok = audit_digest_signature_ok(l->text, l->len, w->opt->key,
		    NULL);

		for (size_t k = 0; !ok && k < w->opt->earlier_key_count; k++)
			ok = audit_digest_signature_ok(l->text, l->len,
			    w->opt->earlier_keys[k], NULL);
		if (!ok) {
			if (audit_key_id(w->opt->key, key_id) == STATUS_OK &&
			    p->digest_key_id != NULL &&
			    strcmp(p->digest_key_id, key_id) != 0)
				finding(w, AUDIT_FINDING_BAD_SIGNATURE, name, line,
				    0, "%s line %" PRIu64 ": the digest is signed "
				    "with key %s, not this root key's %s", name,
				    line, p->digest_key_id, key_id);
			else
				finding(w, AUDIT_FINDING_BAD_SIGNATURE, name, line,
				    0, "%s line %" PRIu64 ": the digest's signature "
				    "does not match: the digest was altered", name,
				    line);
			return false;
		}
		is_signed = true;
	}
	if (w->expected_sequence != 0 && p->digest_last_sequence > have_last) {
		finding(w, AUDIT_FINDING_REMOVED, name, line, have_last + 1,
		    "%s line %" PRIu64 ": the digest covers events up to %" PRId64
		    " but the file ends at %" PRId64 ": events %" PRId64 "..%"
		    PRId64 " were removed", name, line, p->digest_last_sequence,
		    have_last, have_last + 1, p->digest_last_sequence);
		return false;
	}
	if (w->expected_sequence != 0 && (p->digest_last_sequence < have_last ||
	    p->digest_first_sequence != file_first_sequence)) {
		finding(w, AUDIT_FINDING_UNEXPECTED, name, line, 0,
		    "%s: the digest covers events %" PRId64 "..%" PRId64 " but the "
		    "file holds %" PRId64 "..%" PRId64 ": events were added",
		    name, p->digest_first_sequence, p->digest_last_sequence,
		    file_first_sequence, have_last);
		return false;
	}
	if (w->is_hash_known && strcmp(p->previous_hash, w->previous_hash) != 0) {
		broken_link(w, name, line, 0);
		return false;
	}
	if (w->expected_sequence == 0)
		w->expected_sequence = p->digest_last_sequence + 1;
	if (w->opt->anchor_file_number != 0) {
		uint64_t number;

		if (audit_file_name_parse(name, &number) &&
		    number == w->opt->anchor_file_number)
			memcpy(w->anchor_seen, signature, sizeof(signature));
	}
	w->report->digest_count++;
	w->report->unsigned_event_count = 0;
	w->previous.is_signed_digest = is_signed;
	return true;
}

/* One file; false when a finding was made. */
static bool
verify_file(struct verify_walk *w, uint64_t number, bool is_newest,
    struct error *err, enum status *st)
{
	struct error		 read_err;
	struct audit_file_text	 t;
	struct audit_parsed	 p;
	char			 name[AUDIT_FILE_NAME_MAX], path[4200];
	int64_t			 file_first = w->expected_sequence;
	bool			 has_digest = false, ok = false;

	memset(&t, 0, sizeof(t));
	audit_file_name(number, name, sizeof(name));
	snprintf(path, sizeof(path), "%s/%s", w->dir, name);
	error_clear(&read_err);
	if ((*st = audit_file_read(path, &t, &read_err)) != STATUS_OK) {
		if (*st == STATUS_NO_MEMORY) {
			error_set(err, *st, "out of memory");
			return false;
		}
		*st = STATUS_OK;
		finding(w, AUDIT_FINDING_MISSING_FILE, name, 0, 0,
		    "%s cannot be read as a log file: %s", name,
		    read_err.message);
		return false;
	}
	/* A file renamed into another's place shows in its digest: say so
	 * before its sequence numbers suggest removed events. */
	if (t.line_count > 0 && t.lines[t.line_count - 1].has_newline) {
		const struct audit_line *l = &t.lines[t.line_count - 1];

		audit_line_parse(l->text, l->len, &p);
		if (p.obj != NULL && p.is_digest && p.digest_file != NULL &&
		    strcmp(p.digest_file, name) != 0) {
			finding(w, AUDIT_FINDING_REORDERED, name, t.line_count, 0,
			    "%s holds the digest of %s: files were renamed or "
			    "reordered", name, p.digest_file);
			audit_parsed_cleanup(&p);
			goto out;
		}
		audit_parsed_cleanup(&p);
	}
	for (size_t i = 0; i < t.line_count; i++) {
		const struct audit_line *l = &t.lines[i];
		bool good;

		if (!l->has_newline) {
			finding(w, AUDIT_FINDING_TRUNCATED, name, i + 1, 0,
			    "%s line %zu: the file ends in a partial line: it "
			    "was cut short", name, i + 1);
			goto out;
		}
		if (has_digest) {
			finding(w, AUDIT_FINDING_UNEXPECTED, name, i + 1, 0,
			    "%s line %zu: a line after the file's digest", name,
			    i + 1);
			goto out;
		}
		audit_line_parse(l->text, l->len, &p);
		if (p.obj == NULL) {
			audit_parsed_cleanup(&p);
			finding(w, AUDIT_FINDING_ALTERED, name, i + 1, 0,
			    "%s line %zu: not a JSON record: the line was "
			    "altered", name, i + 1);
			goto out;
		}
		if (p.is_digest) {
			good = verify_digest(w, name, &t, i, &p,
			    file_first != 0 ? file_first : w->expected_sequence);
			has_digest = true;
		} else {
			if (file_first == 0 && p.sequence > 0)
				file_first = p.sequence;
			good = verify_event(w, name, &t, i, &p);
			w->previous.is_signed_digest = false;
		}
		audit_parsed_cleanup(&p);
		if (!good)
			goto out;
		audit_hash_line(l->text, l->len, w->previous_hash);
		w->is_hash_known = true;
		snprintf(w->previous.file, sizeof(w->previous.file), "%s", name);
		w->previous.line = i + 1;
		w->previous.sequence = has_digest ? 0 : w->expected_sequence - 1;
	}
	if (!has_digest) {
		if (!is_newest) {
			finding(w, AUDIT_FINDING_TRUNCATED, name, t.line_count, 0,
			    "%s does not end with its digest although a newer "
			    "file follows: it was cut short after line %zu", name,
			    t.line_count);
			goto out;
		}
		if (!w->report->is_writer_active) {
			finding(w, AUDIT_FINDING_TRUNCATED, name, t.line_count, 0,
			    "%s, the newest file, does not end with a digest and "
			    "no server holds the folder: it was cut short after "
			    "line %zu (or its server died; the next start signs "
			    "it)", name, t.line_count);
			goto out;
		}
		w->report->is_last_file_open = true;
	}
	ok = true;
out:
	audit_file_text_cleanup(&t);
	return ok;
}

enum status
audit_verify(const char *dir, const struct audit_verify_options *opt,
    struct audit_verify_report *report, struct error *err)
{
	struct verify_walk	*w = NULL;
	uint64_t		*numbers = NULL, expected;
	size_t			 count = 0;
	char			 name[AUDIT_FILE_NAME_MAX], other[AUDIT_FILE_NAME_MAX];
	enum status		 st;

	memset(report, 0, sizeof(*report));
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return error_set(err, STATUS_NO_MEMORY, "out of memory");
	w->opt = opt;
	w->report = report;
	snprintf(w->dir, sizeof(w->dir), "%s", dir);
	report->is_writer_active = audit_dir_is_locked(dir);
	if ((st = audit_dir_list(dir, &numbers, &count, err)) != STATUS_OK)
		goto out;
	report->file_count = count;
	if (count == 0) {
		if (opt->anchor_file_number != 0) {
			audit_file_name(opt->anchor_file_number, name,
			    sizeof(name));
			finding(w, AUDIT_FINDING_MISSING_FILE, name, 0, 0,
			    "the folder holds no log files, but %s was signed",
			    name);
		}
		goto out;
	}
	report->first_file = numbers[0];
	report->last_file = numbers[count - 1];
	expected = 1;
	if (opt->allow_pruned && numbers[0] != 1) {
		expected = numbers[0];
	} else {
		memcpy(w->previous_hash, AUDIT_GENESIS_HASH,
		    sizeof(w->previous_hash));
		w->is_hash_known = true;
		w->expected_sequence = 1;
	}
	for (size_t i = 0; i < count; i++) {
		if (numbers[i] != expected) {
			audit_file_name(expected, name, sizeof(name));
			audit_file_name(numbers[i], other, sizeof(other));
			finding(w, AUDIT_FINDING_MISSING_FILE, name, 0,
			    w->expected_sequence, numbers[i] == expected + 1 ?
			    "%s is missing (the next file present is %s)" :
			    "%s and the files after it up to %s are missing",
			    name, other);
			goto out;
		}
		if (!verify_file(w, numbers[i], i == count - 1, err, &st))
			goto out;
		expected++;
	}
	if (opt->anchor_file_number != 0) {
		audit_file_name(opt->anchor_file_number, name, sizeof(name));
		audit_file_name(numbers[count - 1], other, sizeof(other));
		if (opt->anchor_file_number > numbers[count - 1])
			finding(w, AUDIT_FINDING_MISSING_FILE, name, 0, 0,
			    "%s is missing: the server recorded signing it, and "
			    "the newest file here is %s", name, other);
		else if (opt->anchor_signature != NULL &&
		    opt->anchor_file_number >= numbers[0] &&
		    strcmp(w->anchor_seen, opt->anchor_signature) != 0)
			finding(w, AUDIT_FINDING_ALTERED, name, 0, 0,
			    "%s is not the file the server signed (its digest "
			    "differs from the one recorded apart from the log)",
			    name);
	}
out:
	free(numbers);
	free(w);
	return st;
}
