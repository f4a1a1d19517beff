/*
 * sigv4.c: AWS Signature Version 4 canonicalisation, key derivation and
 * signing, shared by the server's verifier and by clients.
 *
 * The canonical request follows the AWS SigV4 specification for services
 * other than S3, as pinned by AWS's published test suite: the raw request
 * path is normalised ("." and ".." segments resolved, empty segments
 * dropped, a trailing slash kept) and every segment is URI-encoded once more
 * than it arrived; query names and values are decoded, re-encoded with the
 * unreserved set A-Za-z0-9-_.~ and sorted by name, then value; header names
 * are lowercased, values trimmed with inner runs of whitespace collapsed to
 * one space, and repeated headers joined with ','.
 *
 * Every function is pure and thread-safe.  Output buffers are bounded by
 * SIGV4_CANONICAL_MAX.  The derived key is wiped from the stack by callers;
 * this file wipes its own intermediate keys.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <pthread.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "common/sigv4.h"

/* Upper bound of a canonical request or an Authorization header we build. */
#define SIGV4_CANONICAL_MAX	(1024 * 1024)
#define SIGV4_HMAC_BLOCK_LEN	64
#define SIGV4_TERMINATOR	"aws4_request"

/* A growable string with a bound and a sticky error: callers append freely
 * and check the status once at the end. */
struct sigv4_buf {
	char		*data;
	size_t		 len;
	size_t		 cap;
	size_t		 max;
	enum status	 st;
};

struct sigv4_query_pair {
	const char	*name;		/* encoded, NUL-terminated */
	const char	*value;
};

struct sigv4_segment {
	const char	*start;
	size_t		 len;
};

static const char	 sigv4_hex_digits[] = "0123456789abcdef";
static const char	 sigv4_hex_upper[] = "0123456789ABCDEF";

static void
sigv4_buf_init(struct sigv4_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
	b->st = STATUS_OK;
}

static void
sigv4_buf_append(struct sigv4_buf *b, const void *p, size_t n)
{
	char	*grown;
	size_t	 want;

	if (b->st != STATUS_OK)
		return;
	if (n > b->max || b->len > b->max - n) {
		b->st = STATUS_REQUEST_TOO_LARGE;
		return;
	}
	if (b->len + n + 1 > b->cap) {
		want = b->cap < 256 ? 256 : b->cap;
		while (want < b->len + n + 1)
			want *= 2;
		if ((grown = realloc(b->data, want)) == NULL) {
			b->st = STATUS_NO_MEMORY;
			return;
		}
		b->data = grown;
		b->cap = want;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static void
sigv4_buf_puts(struct sigv4_buf *b, const char *s)
{
	sigv4_buf_append(b, s, strlen(s));
}

static void
sigv4_buf_putc(struct sigv4_buf *b, char c)
{
	sigv4_buf_append(b, &c, 1);
}

/* Hand the string to the caller on success; free it otherwise. */
static enum status
sigv4_buf_finish(struct sigv4_buf *b, char **out)
{
	enum status	 st = b->st;

	if (st == STATUS_OK && b->data == NULL) {
		sigv4_buf_append(b, "", 0);
		st = b->st;
	}
	if (st != STATUS_OK) {
		free(b->data);
		b->data = NULL;
		return st;
	}
	*out = b->data;
	b->data = NULL;
	return STATUS_OK;
}

static bool
sigv4_is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
	    c == '~';
}

static bool
sigv4_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
	    c == '\f';
}

static char
sigv4_lower(char c)
{
	if (c >= 'A' && c <= 'Z')
		return (char)(c - 'A' + 'a');
	return c;
}

static int
sigv4_hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void
sigv4_hex(const unsigned char *in, size_t len, char *out)
{
	size_t	 i;

	for (i = 0; i < len; i++) {
		out[2 * i] = sigv4_hex_digits[in[i] >> 4];
		out[2 * i + 1] = sigv4_hex_digits[in[i] & 0x0f];
	}
	out[2 * len] = '\0';
}

/* AWS's UriEncode: unreserved bytes as they are, everything else %XX. */
static void
sigv4_buf_append_encoded(struct sigv4_buf *b, const char *s, size_t n)
{
	char		 esc[3];
	size_t		 i, run;

	for (i = 0; i < n; i = run) {
		run = i;
		while (run < n && sigv4_is_unreserved((unsigned char)s[run]))
			run++;
		sigv4_buf_append(b, s + i, run - i);
		if (run == n)
			break;
		esc[0] = '%';
		esc[1] = sigv4_hex_upper[(unsigned char)s[run] >> 4];
		esc[2] = sigv4_hex_upper[(unsigned char)s[run] & 0x0f];
		sigv4_buf_append(b, esc, sizeof(esc));
		run++;
	}
}

/*
 * Decode %XX escapes of s[0..n) into out (which has room for n bytes) and
 * return the decoded length.  A '%' not followed by two hex digits stays a
 * literal '%', and '+' stays '+': AWS SDKs encode spaces as %20, so a '+'
 * on the wire was a '+' when it was signed.
 */
static size_t
sigv4_percent_decode(const char *s, size_t n, char *out)
{
	size_t	 i, o = 0;
	int	 hi, lo;

	for (i = 0; i < n; i++) {
		if (s[i] == '%' && n - i >= 3 &&
		    (hi = sigv4_hex_value(s[i + 1])) >= 0 &&
		    (lo = sigv4_hex_value(s[i + 2])) >= 0) {
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else
			out[o++] = s[i];
	}
	return o;
}

static void
sigv4_buf_append_path(struct sigv4_buf *b, const char *path)
{
	struct sigv4_segment *segments = NULL;
	const char	*p, *end, *slash;
	size_t		 count = 0, max_count = 1, i, len;

	if (path == NULL || *path == '\0') {
		sigv4_buf_putc(b, '/');
		return;
	}
	len = strlen(path);
	for (p = path; *p != '\0'; p++)
		if (*p == '/')
			max_count++;
	if ((segments = calloc(max_count, sizeof(*segments))) == NULL) {
		if (b->st == STATUS_OK)
			b->st = STATUS_NO_MEMORY;
		return;
	}
	end = path + len;
	for (p = path; p < end; p = slash + 1) {
		if ((slash = memchr(p, '/', (size_t)(end - p))) == NULL)
			slash = end;
		if (slash == p || (slash - p == 1 && p[0] == '.'))
			continue;
		if (slash - p == 2 && p[0] == '.' && p[1] == '.') {
			if (count > 0)
				count--;
			continue;
		}
		segments[count].start = p;
		segments[count].len = (size_t)(slash - p);
		count++;
	}
	if (count == 0)
		sigv4_buf_putc(b, '/');
	for (i = 0; i < count; i++) {
		sigv4_buf_putc(b, '/');
		sigv4_buf_append_encoded(b, segments[i].start, segments[i].len);
	}
	if (count > 0 && path[len - 1] == '/')
		sigv4_buf_putc(b, '/');
	free(segments);
}

static int
sigv4_query_pair_compare(const void *a, const void *b)
{
	const struct sigv4_query_pair *pa = a, *pb = b;
	int	 c;

	if ((c = strcmp(pa->name, pb->name)) != 0)
		return c;
	return strcmp(pa->value, pb->value);
}

/* Encode one decoded name or value into the arena; return its start. */
static char *
sigv4_arena_encode(char **cursor, const char *s, size_t n)
{
	char	*start = *cursor, *o = *cursor;
	size_t	 i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (sigv4_is_unreserved(c))
			*o++ = (char)c;
		else {
			*o++ = '%';
			*o++ = sigv4_hex_upper[c >> 4];
			*o++ = sigv4_hex_upper[c & 0x0f];
		}
	}
	*o++ = '\0';
	*cursor = o;
	return start;
}

static void
sigv4_buf_append_query(struct sigv4_buf *b, const char *query)
{
	struct sigv4_query_pair *pairs = NULL;
	char		*arena = NULL, *cursor, *scratch = NULL;
	const char	*p, *end, *amp, *eq;
	size_t		 qlen, max_pairs = 1, count = 0, i, n;

	if (query == NULL || *query == '\0')
		return;
	qlen = strlen(query);
	for (p = query; *p != '\0'; p++)
		if (*p == '&')
			max_pairs++;
	/* Decoding never lengthens, encoding at most triples; each pair
	 * adds two NULs. */
	if (qlen > (SIZE_MAX - 2 * max_pairs) / 3 ||
	    (pairs = calloc(max_pairs, sizeof(*pairs))) == NULL ||
	    (arena = malloc(3 * qlen + 2 * max_pairs)) == NULL ||
	    (scratch = malloc(qlen + 1)) == NULL) {
		if (b->st == STATUS_OK)
			b->st = STATUS_NO_MEMORY;
		goto out;
	}
	cursor = arena;
	end = query + qlen;
	for (p = query; p < end; p = amp + 1) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		if (amp == p)
			continue;
		if ((eq = memchr(p, '=', (size_t)(amp - p))) == NULL)
			eq = amp;
		n = sigv4_percent_decode(p, (size_t)(eq - p), scratch);
		pairs[count].name = sigv4_arena_encode(&cursor, scratch, n);
		if (eq < amp)
			n = sigv4_percent_decode(eq + 1, (size_t)(amp - eq - 1),
			    scratch);
		else
			n = 0;
		pairs[count].value = sigv4_arena_encode(&cursor, scratch, n);
		count++;
	}
	qsort(pairs, count, sizeof(*pairs), sigv4_query_pair_compare);
	for (i = 0; i < count; i++) {
		if (i > 0)
			sigv4_buf_putc(b, '&');
		sigv4_buf_puts(b, pairs[i].name);
		sigv4_buf_putc(b, '=');
		sigv4_buf_puts(b, pairs[i].value);
	}
out:
	free(scratch);
	free(arena);
	free(pairs);
}

/* Value trimmed, inner whitespace runs collapsed to one space. */
static void
sigv4_buf_append_header_value(struct sigv4_buf *b, const char *v)
{
	const char	*p = v, *word;

	if (v == NULL)
		return;
	while (*p != '\0' && sigv4_is_space(*p))
		p++;
	while (*p != '\0') {
		word = p;
		while (*p != '\0' && !sigv4_is_space(*p))
			p++;
		sigv4_buf_append(b, word, (size_t)(p - word));
		while (*p != '\0' && sigv4_is_space(*p))
			p++;
		if (*p != '\0')
			sigv4_buf_putc(b, ' ');
	}
}

static bool
sigv4_name_equal(const char *name, const char *want, size_t want_len)
{
	return name != NULL && strlen(name) == want_len &&
	    strncasecmp(name, want, want_len) == 0;
}

static void
sigv4_buf_append_lower(struct sigv4_buf *b, const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		sigv4_buf_putc(b, sigv4_lower(s[i]));
}

static void
sigv4_buf_append_headers(struct sigv4_buf *b, const struct sigv4_request *req,
    const char *signed_headers)
{
	const char	*p, *semi;
	size_t		 n, i, found;

	for (p = signed_headers; *p != '\0'; p = semi) {
		if ((semi = strchr(p, ';')) == NULL)
			semi = p + strlen(p);
		n = (size_t)(semi - p);
		if (*semi == ';')
			semi++;
		if (n == 0)
			continue;
		sigv4_buf_append_lower(b, p, n);
		sigv4_buf_putc(b, ':');
		found = 0;
		for (i = 0; i < req->header_count; i++) {
			if (!sigv4_name_equal(req->headers[i].name, p, n))
				continue;
			if (found++ > 0)
				sigv4_buf_putc(b, ',');
			sigv4_buf_append_header_value(b, req->headers[i].value);
		}
		sigv4_buf_putc(b, '\n');
	}
}

enum status
sigv4_canonical_request(const struct sigv4_request *req,
    const char *signed_headers, const char *body_hash, char **out)
{
	struct sigv4_buf b;

	if (req == NULL || signed_headers == NULL || body_hash == NULL ||
	    out == NULL)
		return STATUS_INTERNAL;
	sigv4_buf_init(&b, SIGV4_CANONICAL_MAX);
	sigv4_buf_puts(&b, req->method != NULL ? req->method : "");
	sigv4_buf_putc(&b, '\n');
	sigv4_buf_append_path(&b, req->path);
	sigv4_buf_putc(&b, '\n');
	sigv4_buf_append_query(&b, req->query);
	sigv4_buf_putc(&b, '\n');
	sigv4_buf_append_headers(&b, req, signed_headers);
	sigv4_buf_putc(&b, '\n');
	sigv4_buf_append_lower(&b, signed_headers, strlen(signed_headers));
	sigv4_buf_putc(&b, '\n');
	sigv4_buf_puts(&b, body_hash);
	return sigv4_buf_finish(&b, out);
}

static EVP_MD	*sigv4_sha256_fetched;
static pthread_once_t sigv4_sha256_once = PTHREAD_ONCE_INIT;

static void
sigv4_sha256_fetch(void)
{
	sigv4_sha256_fetched = EVP_MD_fetch(NULL, "SHA256", NULL);
}

/*
 * OpenSSL 3 looks an implicitly fetched algorithm (EVP_sha256()) up in its
 * provider store on every use; fetched once, the lookup is gone.  Never
 * freed: it lives as long as the process.  If the fetch failed, the
 * implicit form still works, only slower.
 */
const EVP_MD *
sigv4_sha256(void)
{
	pthread_once(&sigv4_sha256_once, sigv4_sha256_fetch);
	return sigv4_sha256_fetched != NULL ? sigv4_sha256_fetched :
	    EVP_sha256();
}

void
sigv4_hash_hex(const void *data, size_t len, char out[2 * SIGV4_HASH_LEN + 1])
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 md_len = 0;

	/* An empty string never equals a real digest, so a failure here can
	 * only make a comparison fail. */
	out[0] = '\0';
	if (data == NULL)
		data = "";
	if (EVP_Digest(data, len, md, &md_len, sigv4_sha256(), NULL) != 1 ||
	    md_len != SIGV4_HASH_LEN)
		return;
	sigv4_hex(md, SIGV4_HASH_LEN, out);
}

enum status
sigv4_string_to_sign(const char *amz_date, const char *scope,
    const char *canonical_request, char **out)
{
	struct sigv4_buf b;
	char		 hash[2 * SIGV4_HASH_LEN + 1];

	if (amz_date == NULL || scope == NULL || canonical_request == NULL ||
	    out == NULL)
		return STATUS_INTERNAL;
	sigv4_hash_hex(canonical_request, strlen(canonical_request), hash);
	if (hash[0] == '\0')
		return STATUS_INTERNAL;
	sigv4_buf_init(&b, SIGV4_CANONICAL_MAX);
	sigv4_buf_puts(&b, SIGV4_ALGORITHM "\n");
	sigv4_buf_puts(&b, amz_date);
	sigv4_buf_putc(&b, '\n');
	sigv4_buf_puts(&b, scope);
	sigv4_buf_putc(&b, '\n');
	sigv4_buf_puts(&b, hash);
	return sigv4_buf_finish(&b, out);
}

/*
 * HMAC-SHA256 (RFC 2104) over the fetched digest: OpenSSL's HMAC() fetches
 * both the MAC and the digest on every call.  Every key here fits a block
 * (sigv4_secret_key pre-hashes long secrets; derived keys are 32 bytes),
 * so the key is never hashed first.  The pads are key material: wiped.
 */
static bool
sigv4_hmac(const unsigned char *key, size_t key_len, const char *data,
    unsigned char out[SIGV4_HASH_LEN])
{
	unsigned char	 pad[SIGV4_HMAC_BLOCK_LEN], inner[SIGV4_HASH_LEN];
	EVP_MD_CTX	*ctx = NULL;
	const EVP_MD	*md = sigv4_sha256();
	unsigned int	 md_len = 0;
	bool		 ok = false;

	if (key_len > SIGV4_HMAC_BLOCK_LEN || (ctx = EVP_MD_CTX_new()) == NULL)
		goto out;
	memset(pad, 0x36, sizeof(pad));
	for (size_t i = 0; i < key_len; i++)
		pad[i] ^= key[i];
	if (EVP_DigestInit_ex2(ctx, md, NULL) != 1 ||
	    EVP_DigestUpdate(ctx, pad, sizeof(pad)) != 1 ||
	    EVP_DigestUpdate(ctx, data, strlen(data)) != 1 ||
	    EVP_DigestFinal_ex(ctx, inner, &md_len) != 1 ||
	    md_len != SIGV4_HASH_LEN)
		goto out;
	memset(pad, 0x5c, sizeof(pad));
	for (size_t i = 0; i < key_len; i++)
		pad[i] ^= key[i];
	if (EVP_DigestInit_ex2(ctx, md, NULL) != 1 ||
	    EVP_DigestUpdate(ctx, pad, sizeof(pad)) != 1 ||
	    EVP_DigestUpdate(ctx, inner, sizeof(inner)) != 1 ||
	    EVP_DigestFinal_ex(ctx, out, &md_len) != 1 ||
	    md_len != SIGV4_HASH_LEN)
		goto out;
	ok = true;
out:
	OPENSSL_cleanse(pad, sizeof(pad));
	OPENSSL_cleanse(inner, sizeof(inner));
	EVP_MD_CTX_free(ctx);
	return ok;
}

/*
 * kSecret = "AWS4" + secret.  HMAC replaces a key longer than its block by
 * the key's hash (RFC 2104), so a long secret is pre-hashed here instead of
 * concatenated: the result is the same and no heap copy of it is made.
 */
static bool
sigv4_secret_key(const char *secret, unsigned char *key, size_t *key_len)
{
	EVP_MD_CTX	*ctx = NULL;
	size_t		 len = strlen(secret);
	unsigned int	 md_len = 0;
	bool		 ok = false;

	if (len <= SIGV4_HMAC_BLOCK_LEN - 4) {
		memcpy(key, "AWS4", 4);
		memcpy(key + 4, secret, len);
		*key_len = 4 + len;
		return true;
	}
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		goto out;
	if (EVP_DigestInit_ex2(ctx, sigv4_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(ctx, "AWS4", 4) != 1 ||
	    EVP_DigestUpdate(ctx, secret, len) != 1 ||
	    EVP_DigestFinal_ex(ctx, key, &md_len) != 1 ||
	    md_len != SIGV4_HASH_LEN)
		goto out;
	*key_len = SIGV4_HASH_LEN;
	ok = true;
out:
	EVP_MD_CTX_free(ctx);
	return ok;
}

void
sigv4_signing_key(const char *secret_access_key, const char *date,
    const char *region, const char *service, unsigned char out[SIGV4_HASH_LEN])
{
	unsigned char	 secret_key[SIGV4_HMAC_BLOCK_LEN];
	unsigned char	 k1[SIGV4_HASH_LEN], k2[SIGV4_HASH_LEN];
	size_t		 secret_key_len = 0;
	bool		 ok = false;

	if (secret_access_key == NULL || date == NULL || region == NULL ||
	    service == NULL)
		goto out;
	if (!sigv4_secret_key(secret_access_key, secret_key, &secret_key_len))
		goto out;
	if (!sigv4_hmac(secret_key, secret_key_len, date, k1) ||
	    !sigv4_hmac(k1, sizeof(k1), region, k2) ||
	    !sigv4_hmac(k2, sizeof(k2), service, k1) ||
	    !sigv4_hmac(k1, sizeof(k1), SIGV4_TERMINATOR, out))
		goto out;
	ok = true;
out:
	/* The signature is void, so a failure must not leave a predictable
	 * key behind: an unknown random key makes every signature mismatch. */
	if (!ok && RAND_bytes(out, SIGV4_HASH_LEN) != 1)
		OPENSSL_cleanse(out, SIGV4_HASH_LEN);
	OPENSSL_cleanse(secret_key, sizeof(secret_key));
	OPENSSL_cleanse(k1, sizeof(k1));
	OPENSSL_cleanse(k2, sizeof(k2));
}

void
sigv4_signature(const unsigned char key[SIGV4_HASH_LEN],
    const char *string_to_sign, char out[2 * SIGV4_HASH_LEN + 1])
{
	unsigned char	 mac[SIGV4_HASH_LEN];

	/* Empty on failure: it never equals a 64-character signature. */
	out[0] = '\0';
	if (key == NULL || string_to_sign == NULL)
		return;
	if (sigv4_hmac(key, SIGV4_HASH_LEN, string_to_sign, mac))
		sigv4_hex(mac, sizeof(mac), out);
	OPENSSL_cleanse(mac, sizeof(mac));
}

static const char *
sigv4_header_find(const struct sigv4_request *req, const char *name)
{
	size_t	 i;

	for (i = 0; i < req->header_count; i++)
		if (req->headers[i].name != NULL &&
		    strcasecmp(req->headers[i].name, name) == 0)
			return req->headers[i].value != NULL ?
			    req->headers[i].value : "";
	return NULL;
}

static int
sigv4_string_compare(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "a;b;c": every header name of req, lowercased, sorted, unique. */
static enum status
sigv4_signed_headers_all(const struct sigv4_request *req, char **out)
{
	struct sigv4_buf b;
	char		**names = NULL;
	size_t		 i, j, count = 0;
	enum status	 st = STATUS_NO_MEMORY;

	if (req->header_count == 0)
		return STATUS_INVALID_REQUEST;
	if ((names = calloc(req->header_count, sizeof(*names))) == NULL)
		goto out;
	for (i = 0; i < req->header_count; i++) {
		if (req->headers[i].name == NULL)
			continue;
		if ((names[count] = strdup(req->headers[i].name)) == NULL)
			goto out;
		for (j = 0; names[count][j] != '\0'; j++)
			names[count][j] = sigv4_lower(names[count][j]);
		count++;
	}
	qsort(names, count, sizeof(*names), sigv4_string_compare);
	sigv4_buf_init(&b, SIGV4_CANONICAL_MAX);
	for (i = 0; i < count; i++) {
		if (i > 0 && strcmp(names[i], names[i - 1]) == 0)
			continue;
		if (b.len > 0)
			sigv4_buf_putc(&b, ';');
		sigv4_buf_puts(&b, names[i]);
	}
	st = sigv4_buf_finish(&b, out);
out:
	if (names != NULL)
		for (i = 0; i < req->header_count; i++)
			free(names[i]);
	free(names);
	return st;
}

enum status
sigv4_sign(const struct sigv4_request *req, const char *access_key_id,
    const char *secret_access_key, const char *region, const char *service,
    const char *amz_date, const char *signed_headers, char **authorization)
{
	enum status	 st = STATUS_INTERNAL;
	struct sigv4_buf b;
	char		*all_headers = NULL, *canonical = NULL, *sts = NULL;
	char		 date[9], body_hash[2 * SIGV4_HASH_LEN + 1];
	char		 signature[2 * SIGV4_HASH_LEN + 1];
	const char	*content_sha256;
	unsigned char	 key[SIGV4_HASH_LEN];

	if (req == NULL || access_key_id == NULL || secret_access_key == NULL ||
	    region == NULL || service == NULL || amz_date == NULL ||
	    authorization == NULL || strlen(amz_date) < 8)
		goto out;
	if (signed_headers == NULL) {
		st = sigv4_signed_headers_all(req, &all_headers);
		if (st != STATUS_OK)
			goto out;
		signed_headers = all_headers;
	}
	/* As botocore does: a given payload hash is what gets signed. */
	if ((content_sha256 = sigv4_header_find(req, "x-amz-content-sha256")) !=
	    NULL)
		snprintf(body_hash, sizeof(body_hash), "%s", content_sha256);
	else {
		sigv4_hash_hex(req->body, req->body_len, body_hash);
		if (body_hash[0] == '\0') {
			st = STATUS_INTERNAL;
			goto out;
		}
	}
	if ((st = sigv4_canonical_request(req, signed_headers, body_hash,
	    &canonical)) != STATUS_OK)
		goto out;
	memcpy(date, amz_date, 8);
	date[8] = '\0';
	sigv4_buf_init(&b, SIGV4_CANONICAL_MAX);
	sigv4_buf_puts(&b, date);
	sigv4_buf_putc(&b, '/');
	sigv4_buf_puts(&b, region);
	sigv4_buf_putc(&b, '/');
	sigv4_buf_puts(&b, service);
	sigv4_buf_puts(&b, "/" SIGV4_TERMINATOR);
	if (b.st != STATUS_OK) {
		st = b.st;
		free(b.data);
		goto out;
	}
	st = sigv4_string_to_sign(amz_date, b.data, canonical, &sts);
	free(b.data);
	if (st != STATUS_OK)
		goto out;
	sigv4_signing_key(secret_access_key, date, region, service, key);
	sigv4_signature(key, sts, signature);
	if (signature[0] == '\0') {
		st = STATUS_INTERNAL;
		goto out;
	}
	sigv4_buf_init(&b, SIGV4_CANONICAL_MAX);
	sigv4_buf_puts(&b, SIGV4_ALGORITHM " Credential=");
	sigv4_buf_puts(&b, access_key_id);
	sigv4_buf_putc(&b, '/');
	sigv4_buf_puts(&b, date);
	sigv4_buf_putc(&b, '/');
	sigv4_buf_puts(&b, region);
	sigv4_buf_putc(&b, '/');
	sigv4_buf_puts(&b, service);
	sigv4_buf_puts(&b, "/" SIGV4_TERMINATOR ", SignedHeaders=");
	sigv4_buf_append_lower(&b, signed_headers, strlen(signed_headers));
	sigv4_buf_puts(&b, ", Signature=");
	sigv4_buf_puts(&b, signature);
	st = sigv4_buf_finish(&b, authorization);
out:
	OPENSSL_cleanse(key, sizeof(key));
	free(all_headers);
	free(canonical);
	free(sts);
	return st;
}

/* ---- parsing the Authorization header ---- */

static bool
sigv4_is_separator(char c)
{
	return c == ',' || sigv4_is_space(c);
}

struct sigv4_parsed_field {
	const char	*start;
	size_t		 len;
	bool		 is_present;
};

/* Copy s[0..n) into storage at *used; the offset is returned in *off. */
static bool
sigv4_storage_put(char *storage, size_t size, size_t *used, const char *s,
    size_t n, size_t *off)
{
	if (n >= size - *used)
		return false;
	memcpy(storage + *used, s, n);
	storage[*used + n] = '\0';
	*off = *used;
	*used += n + 1;
	return true;
}

enum status
sigv4_parse_authorization(const char *header,
    struct sigv4_authorization *out, struct error *err)
{
	struct sigv4_parsed_field credential = { 0 }, signed_headers = { 0 };
	struct sigv4_parsed_field signature = { 0 }, *field;
	const char	*p, *algorithm, *token, *eq, *cred_end, *slash;
	const char	*parts[5];
	size_t		 algorithm_len, token_len, part_len[5], n, count;
	size_t		 used = 0;
	size_t		 off_key, off_date, off_region, off_service, off_signed;
	size_t		 off_signature;
	char		 storage[sizeof(out->storage)];
	char		 missing[512];

	if (header == NULL)
		return error_set(err, STATUS_MISSING_AUTH,
		    "Missing Authentication Token");
	for (p = header; sigv4_is_space(*p); p++)
		;
	/* AWS's JSON services answer a header that is not SigV4 at all (a
	 * Bearer token, SigV2) as if there were no header. */
	if (strncmp(p, "AWS4-", 5) != 0)
		return error_set(err, STATUS_MISSING_AUTH,
		    "Missing Authentication Token");
	algorithm = p;
	while (*p != '\0' && !sigv4_is_separator(*p))
		p++;
	algorithm_len = (size_t)(p - algorithm);

	/* Pairs are separated by commas and/or whitespace: a stray space in
	 * "Credential= AKID/..." makes "AKID/..." a pair without '='. */
	for (;;) {
		while (sigv4_is_separator(*p))
			p++;
		if (*p == '\0')
			break;
		token = p;
		while (*p != '\0' && !sigv4_is_separator(*p))
			p++;
		token_len = (size_t)(p - token);
		if ((eq = memchr(token, '=', token_len)) == NULL)
			return error_set(err, STATUS_INCOMPLETE_SIGNATURE,
			    "'%.*s' not a valid key=value pair (missing "
			    "equal-sign) in Authorization header: '%s'.",
			    (int)(token_len > 256 ? 256 : token_len), token,
			    header);
		n = (size_t)(eq - token);
		if (n == 10 && strncasecmp(token, "Credential", n) == 0)
			field = &credential;
		else if (n == 13 && strncasecmp(token, "SignedHeaders", n) == 0)
			field = &signed_headers;
		else if (n == 9 && strncasecmp(token, "Signature", n) == 0)
			field = &signature;
		else
			continue;
		field->start = eq + 1;
		field->len = token_len - n - 1;
		field->is_present = true;
	}

	/* An empty SignedHeaders is allowed here; the check that 'host' is
	 * signed rejects it later, as AWS does. */
	n = 0;
	missing[0] = '\0';
	if (!credential.is_present || credential.len == 0)
		n += (size_t)snprintf(missing + n, sizeof(missing) - n, "%s",
		    "Authorization header requires 'Credential' parameter. ");
	if (!signature.is_present || signature.len == 0)
		n += (size_t)snprintf(missing + n, sizeof(missing) - n, "%s",
		    "Authorization header requires 'Signature' parameter. ");
	if (!signed_headers.is_present)
		n += (size_t)snprintf(missing + n, sizeof(missing) - n, "%s",
		    "Authorization header requires 'SignedHeaders' "
		    "parameter. ");
	if (missing[0] != '\0')
		return error_set(err, STATUS_INCOMPLETE_SIGNATURE,
		    "%sAuthorization=%s", missing, header);

	if (algorithm_len != strlen(SIGV4_ALGORITHM) ||
	    strncmp(algorithm, SIGV4_ALGORITHM, algorithm_len) != 0)
		return error_set(err, STATUS_INCOMPLETE_SIGNATURE,
		    "Unsupported AWS 'algorithm': '%.*s' (only "
		    SIGV4_ALGORITHM " for now). ",
		    (int)(algorithm_len > 64 ? 64 : algorithm_len), algorithm);

	/* keyid/date/region/service/term; trailing slashes are ignored. */
	cred_end = credential.start + credential.len;
	while (cred_end > credential.start && cred_end[-1] == '/')
		cred_end--;
	count = 0;
	for (p = credential.start;; p = slash + 1) {
		slash = memchr(p, '/', (size_t)(cred_end - p));
		if (count < 5) {
			parts[count] = p;
			part_len[count] = (size_t)((slash != NULL ? slash :
			    cred_end) - p);
		}
		count++;
		if (slash == NULL)
			break;
	}
	if (count != 5)
		return error_set(err, STATUS_INCOMPLETE_SIGNATURE,
		    "Credential must have exactly 5 slash-delimited elements, "
		    "e.g. keyid/date/region/service/term, got '%.*s'",
		    (int)(credential.len > 512 ? 512 : credential.len),
		    credential.start);
	/* AWS reports this among the scope checks (InvalidSignature); the
	 * parsed form has no field for the terminator, so it is checked
	 * here. */
	if (part_len[4] != strlen(SIGV4_TERMINATOR) ||
	    strncmp(parts[4], SIGV4_TERMINATOR, part_len[4]) != 0)
		return error_set(err, STATUS_INVALID_SIGNATURE,
		    "Credential should be scoped with a valid terminator: "
		    "'" SIGV4_TERMINATOR "', not '%.*s'. ",
		    (int)(part_len[4] > 64 ? 64 : part_len[4]), parts[4]);

	if (!sigv4_storage_put(storage, sizeof(storage), &used, parts[0],
	    part_len[0], &off_key) ||
	    !sigv4_storage_put(storage, sizeof(storage), &used, parts[1],
	    part_len[1], &off_date) ||
	    !sigv4_storage_put(storage, sizeof(storage), &used, parts[2],
	    part_len[2], &off_region) ||
	    !sigv4_storage_put(storage, sizeof(storage), &used, parts[3],
	    part_len[3], &off_service) ||
	    !sigv4_storage_put(storage, sizeof(storage), &used,
	    signed_headers.start, signed_headers.len, &off_signed) ||
	    !sigv4_storage_put(storage, sizeof(storage), &used,
	    signature.start, signature.len, &off_signature))
		/* Not an AWS message: AWS refuses such headers at its HTTP
		 * front end.  This names the problem without echoing it. */
		return error_set(err, STATUS_INCOMPLETE_SIGNATURE,
		    "Authorization header is too long.");

	memcpy(out->storage, storage, used);
	out->access_key_id = out->storage + off_key;
	out->date = out->storage + off_date;
	out->region = out->storage + off_region;
	out->service = out->storage + off_service;
	out->signed_headers = out->storage + off_signed;
	out->signature = out->storage + off_signature;
	return STATUS_OK;
}
