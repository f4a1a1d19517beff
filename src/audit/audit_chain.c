/*
 * audit_chain.c: the log's format, shared by the writer (audit_sink_file.c),
 * the verifier and the query: line hashes, chain fields, signed digests,
 * file names, and reading files back.
 *
 * Hashing and signing work on the exact bytes of a line, never on a
 * re-serialisation, so any tool that can compute SHA-256 can follow the
 * chain and nothing depends on jansson's output staying the same.
 *
 * Thread-safety: no shared state.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "audit/audit_internal.h"
#include "common/sigv4.h"
#include "common/utc_time.h"

#define AUDIT_FILE_PREFIX	"audit-"
#define AUDIT_FILE_SUFFIX	".log"
#define AUDIT_KEY_ID_INPUT	"sesame audit key id"

void
audit_hash_line(const char *line, size_t len, char out[AUDIT_HASH_HEX_LEN + 1])
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 md_len = 0;

	if (EVP_Digest(line, len, md, &md_len, sigv4_sha256(), NULL) != 1 ||
	    md_len != 32) {
		/* Cannot happen with the default provider; make it visible. */
		memset(out, 'x', AUDIT_HASH_HEX_LEN);
		out[AUDIT_HASH_HEX_LEN] = '\0';
		return;
	}
	hex_encode(md, md_len, out);
}

void
audit_file_name(uint64_t number, char *out, size_t out_len)
{
	snprintf(out, out_len, AUDIT_FILE_PREFIX "%06" PRIu64 AUDIT_FILE_SUFFIX,
	    number);
}

bool
audit_file_name_parse(const char *name, uint64_t *number)
{
	const size_t	 prefix_len = strlen(AUDIT_FILE_PREFIX);
	const size_t	 suffix_len = strlen(AUDIT_FILE_SUFFIX);
	size_t		 len = strlen(name), digits;
	uint64_t	 n = 0;

	if (len < prefix_len + suffix_len + 6 ||
	    strncmp(name, AUDIT_FILE_PREFIX, prefix_len) != 0 ||
	    strcmp(name + len - suffix_len, AUDIT_FILE_SUFFIX) != 0)
		return false;
	digits = len - prefix_len - suffix_len;
	if (digits > 18)
		return false;
	for (size_t i = 0; i < digits; i++) {
		char c = name[prefix_len + i];

		if (c < '0' || c > '9')
			return false;
		n = n * 10 + (uint64_t)(c - '0');
	}
	if (n == 0)
		return false;
	/* Only the canonical spelling: "audit-0000042.log" is not file 42. */
	if (digits > 6 && name[prefix_len] == '0')
		return false;
	*number = n;
	return true;
}

enum status
audit_key_id(const struct secret_buf *key, char out[AUDIT_KEY_ID_HEX_LEN + 1])
{
	unsigned char	 mac[CRYPTO_MAC_LEN];
	enum status	 st;

	if ((st = key_mac(key, AUDIT_KEY_ID_INPUT, strlen(AUDIT_KEY_ID_INPUT),
	    mac)) != STATUS_OK)
		return st;
	hex_encode(mac, AUDIT_KEY_ID_HEX_LEN / 2, out);
	return STATUS_OK;
}

/* Appends the decimal digits of u at p; returns the end. */
static char *
put_decimal(char *p, uint64_t u)
{
	char	 digits[20], *d = digits + sizeof(digits);

	do {
		*--d = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	memcpy(p, d, (size_t)(digits + sizeof(digits) - d));
	return p + (digits + sizeof(digits) - d);
}

#define TAIL_LOST	",\"" AUDIT_FIELD_LOST "\":"
#define TAIL_SEQUENCE	",\"" AUDIT_FIELD_SEQUENCE "\":"
#define TAIL_PREVIOUS	",\"" AUDIT_FIELD_PREVIOUS "\":\""
#define TAIL_END	"\"}\n"

_Static_assert(sizeof(TAIL_LOST) - 1 + 20 + sizeof(TAIL_SEQUENCE) - 1 + 20 +
    sizeof(TAIL_PREVIOUS) - 1 + AUDIT_HASH_HEX_LEN + sizeof(TAIL_END) - 1 <=
    AUDIT_CHAIN_TAIL_MAX, "AUDIT_CHAIN_TAIL_MAX holds the longest tail");

size_t
audit_chain_tail(char *out, bool after_member, int64_t sequence,
    const char *previous_hash, uint64_t lost_count)
{
	char	*p = out;
	size_t	 skip = after_member ? 0 : 1;	/* the comma */

	if (lost_count > 0) {
		memcpy(p, TAIL_LOST + skip, sizeof(TAIL_LOST) - 1 - skip);
		p = put_decimal(p + sizeof(TAIL_LOST) - 1 - skip, lost_count);
		skip = 0;
	}
	memcpy(p, TAIL_SEQUENCE + skip, sizeof(TAIL_SEQUENCE) - 1 - skip);
	p += sizeof(TAIL_SEQUENCE) - 1 - skip;
	/* Sequences start at 1; a negative one is still written as it is. */
	if (sequence < 0) {
		*p++ = '-';
		p = put_decimal(p, (uint64_t)0 - (uint64_t)sequence);
	} else
		p = put_decimal(p, (uint64_t)sequence);
	memcpy(p, TAIL_PREVIOUS, sizeof(TAIL_PREVIOUS) - 1);
	p += sizeof(TAIL_PREVIOUS) - 1;
	memcpy(p, previous_hash, AUDIT_HASH_HEX_LEN);
	p += AUDIT_HASH_HEX_LEN;
	memcpy(p, TAIL_END, sizeof(TAIL_END) - 1);
	p += sizeof(TAIL_END) - 1;
	return (size_t)(p - out);
}

EVP_MD_CTX *
audit_hash_begin(const char *part, size_t len)
{
	EVP_MD_CTX *ctx;

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return NULL;
	if (EVP_DigestInit_ex(ctx, sigv4_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(ctx, part, len) != 1) {
		EVP_MD_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

void
audit_hash_end(EVP_MD_CTX *ctx, const char *rest, size_t len,
    char out[AUDIT_HASH_HEX_LEN + 1])
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 md_len = 0;

	if (EVP_DigestUpdate(ctx, rest, len) != 1 ||
	    EVP_DigestFinal_ex(ctx, md, &md_len) != 1 || md_len != 32) {
		/* Cannot happen with the default provider; make it visible. */
		memset(out, 'x', AUDIT_HASH_HEX_LEN);
		out[AUDIT_HASH_HEX_LEN] = '\0';
	} else {
		hex_encode(md, md_len, out);
	}
	EVP_MD_CTX_free(ctx);
}

void
audit_format_time(int64_t ms, char *out, size_t out_len)
{
	char	 iso[UTC_TIME_ISO_LEN + 1];
	size_t	 n;

	if (out_len == 0)
		return;
	utc_time_format_iso(ms / 1000, iso);
	n = out_len - 1 < UTC_TIME_ISO_LEN ? out_len - 1 : UTC_TIME_ISO_LEN;
	memcpy(out, iso, n);
	out[n] = '\0';
}

enum status
audit_digest_line(const struct audit_digest *d, const char *previous_hash,
    const struct secret_buf *key, char **out, size_t *out_len,
    char signature[AUDIT_HASH_HEX_LEN + 1])
{
	json_t		*obj = NULL, *digest = NULL;
	char		*prefix = NULL, *line = NULL, stamp[32];
	unsigned char	 mac[CRYPTO_MAC_LEN];
	size_t		 prefix_len, len;
	enum status	 st = STATUS_NO_MEMORY;

	if ((obj = json_object()) == NULL || (digest = json_object()) == NULL)
		goto out;
	json_object_set_new(digest, "version", json_integer(AUDIT_DIGEST_VERSION));
	json_object_set_new(digest, "file", json_string(d->file));
	json_object_set_new(digest, "firstSequence",
	    json_integer(d->first_sequence));
	json_object_set_new(digest, "lastSequence",
	    json_integer(d->last_sequence));
	json_object_set_new(digest, "eventCount",
	    json_integer(d->last_sequence - d->first_sequence + 1));
	if (d->opened_at_ms != 0) {
		audit_format_time(d->opened_at_ms, stamp, sizeof(stamp));
		json_object_set_new(digest, "openedAt", json_string(stamp));
	}
	audit_format_time(d->closed_at_ms, stamp, sizeof(stamp));
	json_object_set_new(digest, "closedAt", json_string(stamp));
	json_object_set_new(digest, "reason", json_string(d->reason));
	json_object_set_new(digest, "algorithm", json_string("HMAC-SHA256"));
	json_object_set_new(digest, "keyId", json_string(d->key_id));
	json_object_set_new(obj, AUDIT_FIELD_DIGEST, digest);
	digest = NULL;
	json_object_set_new(obj, AUDIT_FIELD_PREVIOUS, json_string(previous_hash));
	if ((prefix = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER)) ==
	    NULL)
		goto out;
	/* Sign everything up to the signature field: drop the closing brace. */
	prefix_len = strlen(prefix) - 1;
	if ((st = key_mac(key, prefix, prefix_len, mac)) != STATUS_OK)
		goto out;
	hex_encode(mac, sizeof(mac), signature);
	len = prefix_len + strlen(AUDIT_SIGNATURE_MARK) + AUDIT_HASH_HEX_LEN + 3;
	if ((line = malloc(len + 1)) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	memcpy(line, prefix, prefix_len);
	snprintf(line + prefix_len, len + 1 - prefix_len,
	    AUDIT_SIGNATURE_MARK "%s\"}\n", signature);
	*out = line;
	*out_len = len;
	line = NULL;
	st = STATUS_OK;
out:
	free(line);
	free(prefix);
	json_decref(digest);
	json_decref(obj);
	return st;
}

static int
hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

bool
audit_digest_signature_ok(const char *line, size_t len,
    const struct secret_buf *key, char signature[AUDIT_HASH_HEX_LEN + 1])
{
	const size_t	 mark_len = strlen(AUDIT_SIGNATURE_MARK);
	const size_t	 tail_len = mark_len + AUDIT_HASH_HEX_LEN + 2;
	unsigned char	 mac[CRYPTO_MAC_LEN];
	const char	*hex;
	size_t		 prefix_len;

	if (len <= tail_len || memcmp(line + len - 2, "\"}", 2) != 0)
		return false;
	prefix_len = len - tail_len;
	if (memcmp(line + prefix_len, AUDIT_SIGNATURE_MARK, mark_len) != 0)
		return false;
	hex = line + prefix_len + mark_len;
	for (size_t i = 0; i < CRYPTO_MAC_LEN; i++) {
		int hi = hex_value((unsigned char)hex[2 * i]);
		int lo = hex_value((unsigned char)hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		mac[i] = (unsigned char)(hi << 4 | lo);
	}
	if (signature != NULL) {
		memcpy(signature, hex, AUDIT_HASH_HEX_LEN);
		signature[AUDIT_HASH_HEX_LEN] = '\0';
	}
	if (key == NULL)
		return true;
	return key_mac_verify(key, line, prefix_len, mac);
}

void
audit_line_parse(const char *line, size_t len, struct audit_parsed *p)
{
	json_t		*digest, *v;

	memset(p, 0, sizeof(*p));
	p->obj = json_loadb(line, len, JSON_REJECT_DUPLICATES, NULL);
	if (p->obj != NULL && !json_is_object(p->obj)) {
		json_decref(p->obj);
		p->obj = NULL;
	}
	if (p->obj == NULL)
		return;
	p->previous_hash = json_string_value(json_object_get(p->obj,
	    AUDIT_FIELD_PREVIOUS));
	if ((digest = json_object_get(p->obj, AUDIT_FIELD_DIGEST)) != NULL &&
	    json_is_object(digest)) {
		p->is_digest = true;
		p->digest_file = json_string_value(json_object_get(digest,
		    "file"));
		if (json_is_integer(v = json_object_get(digest, "firstSequence")))
			p->digest_first_sequence = json_integer_value(v);
		if (json_is_integer(v = json_object_get(digest, "lastSequence")))
			p->digest_last_sequence = json_integer_value(v);
		p->digest_key_id = json_string_value(json_object_get(digest,
		    "keyId"));
		p->digest_reason = json_string_value(json_object_get(digest,
		    "reason"));
		return;
	}
	if (json_is_integer(v = json_object_get(p->obj, AUDIT_FIELD_SEQUENCE)))
		p->sequence = json_integer_value(v);
}

void
audit_parsed_cleanup(struct audit_parsed *p)
{
	json_decref(p->obj);
	memset(p, 0, sizeof(*p));
}

enum status
audit_file_read(const char *path, struct audit_file_text *out,
    struct error *err)
{
	struct audit_file_text t;
	struct stat	 sb;
	size_t		 cap = 0, start;
	ssize_t		 n;
	int		 fd = -1;
	enum status	 st = STATUS_IO;

	memset(&t, 0, sizeof(t));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0) {
		error_set(err, STATUS_IO, "cannot open %s: %s", path,
		    strerror(errno));
		goto out;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		error_set(err, STATUS_IO, "%s is not a regular file", path);
		goto out;
	}
	cap = (size_t)sb.st_size + 1;
	if ((t.data = malloc(cap)) == NULL) {
		st = error_set(err, STATUS_NO_MEMORY, "out of memory");
		goto out;
	}
	for (;;) {
		if (t.len + 1 >= cap) {
			char *bigger = realloc(t.data, cap * 2);

			if (bigger == NULL) {
				st = error_set(err, STATUS_NO_MEMORY,
				    "out of memory");
				goto out;
			}
			t.data = bigger;
			cap *= 2;
		}
		n = read(fd, t.data + t.len, cap - 1 - t.len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			error_set(err, STATUS_IO, "cannot read %s: %s", path,
			    strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		t.len += (size_t)n;
	}
	t.data[t.len] = '\0';
	for (size_t i = 0; i < t.len; i++)
		if (t.data[i] == '\n')
			t.line_count++;
	if (t.len > 0 && t.data[t.len - 1] != '\n')
		t.line_count++;
	if (t.line_count > 0 &&
	    (t.lines = calloc(t.line_count, sizeof(*t.lines))) == NULL) {
		st = error_set(err, STATUS_NO_MEMORY, "out of memory");
		goto out;
	}
	start = 0;
	for (size_t i = 0, k = 0; k < t.line_count; i++) {
		if (i == t.len || t.data[i] == '\n') {
			t.lines[k].text = t.data + start;
			t.lines[k].len = i - start;
			t.lines[k].has_newline = i < t.len;
			k++;
			start = i + 1;
		}
	}
	*out = t;
	memset(&t, 0, sizeof(t));
	st = STATUS_OK;
out:
	if (fd >= 0)
		close(fd);
	audit_file_text_cleanup(&t);
	return st;
}

void
audit_file_text_cleanup(struct audit_file_text *t)
{
	free(t->data);
	free(t->lines);
	memset(t, 0, sizeof(*t));
}

static int
number_compare(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

enum status
audit_dir_list(const char *dir, uint64_t **numbers, size_t *count,
    struct error *err)
{
	DIR		*d;
	struct dirent	*de;
	uint64_t	*list = NULL, n;
	size_t		 used = 0, cap = 0;
	enum status	 st = STATUS_OK;

	if ((d = opendir(dir)) == NULL)
		return error_set(err, STATUS_IO, "cannot read the audit folder "
		    "%s: %s", dir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (!audit_file_name_parse(de->d_name, &n))
			continue;
		if (used == cap) {
			uint64_t *bigger;

			cap = cap == 0 ? 64 : cap * 2;
			if ((bigger = realloc(list, cap * sizeof(*list))) ==
			    NULL) {
				st = error_set(err, STATUS_NO_MEMORY,
				    "out of memory");
				break;
			}
			list = bigger;
		}
		list[used++] = n;
	}
	closedir(d);
	if (st != STATUS_OK) {
		free(list);
		return st;
	}
	if (used > 0)
		qsort(list, used, sizeof(*list), number_compare);
	*numbers = list;
	*count = used;
	return STATUS_OK;
}

bool
audit_dir_is_locked(const char *dir)
{
	int	 fd;
	bool	 locked = false;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return false;
	if (flock(fd, LOCK_SH | LOCK_NB) != 0)
		locked = errno == EWOULDBLOCK;
	else
		flock(fd, LOCK_UN);
	close(fd);
	return locked;
}
