/*
 * sigv4_verify.c: authenticates a request from its bytes, answering with
 * AWS's own error types and messages when it cannot.
 *
 * Checks run in the order AWS's JSON services run them (as recorded by
 * dynalite against DynamoDB): an Authorization header or query-string
 * credentials at all; well-formed key=value pairs; Credential, Signature,
 * SignedHeaders and a date present; the date's format; the clock skew (for
 * a presigned request that says X-Amz-Expires: not before its date, less
 * the skew, nor after its date plus those seconds, as SigV4 defines it);
 * 'host' (and the date header) signed; the credential scope; the access key;
 * the signature.  Two checks run earlier than on AWS because the parser
 * owns them: the algorithm name and the credential's five elements.
 *
 * Derived signing keys are cached per (access key, date, region, service)
 * and the SHA-256 of the secret, so a changed secret never reuses an old
 * key.  Only keys that have just verified a signature enter the cache.  The
 * table lives in a secret_buf (locked, not dumped, wiped when freed) and is
 * guarded by one mutex; sigv4_verify is thread-safe.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "auth/auth.h"
#include "common/str_copy.h"
#include "common/utc_time.h"

/*
 * A power of two.  The table is locked memory, resident from the start
 * (about 330 bytes a slot, 83 KiB in all); a miss only costs deriving the
 * key again (four HMACs).
 */
#define SIGV4_CACHE_SLOTS	256
#define SIGV4_DEFAULT_SKEW	300
#define SIGV4_EXPIRES_MAX	604800	/* X-Amz-Expires: seven days */
#define SIGV4_ISO_LEN		16	/* 20150830T123600Z */
#define SIGV4_NAME_MAX		64	/* region and service, with the NUL */
#define SIGV4_KEY_ID_MAX	\
	sizeof(((struct principal *)0)->access_key_id)

#define MSG_MISSING_TOKEN	"Missing Authentication Token"
#define MSG_NO_DATE		"Authorization header requires existence of " \
				"either a 'X-Amz-Date' or a 'Date' header. "
#define MSG_REQUIRES_PREFIX	"Authorization header requires '"
#define MSG_HOST_UNSIGNED	"'Host' or ':authority' must be a " \
				"'SignedHeader' in the AWS Authorization."
#define MSG_BAD_TOKEN		"The security token included in the request " \
				"is invalid."
#define MSG_MISMATCH		"The request signature we calculated does " \
				"not match the signature you provided. " \
				"Check your AWS Secret Access Key and " \
				"signing method. Consult the service " \
				"documentation for details."
#define MSG_INTERNAL		"The request processing has failed because " \
				"of an unknown error, exception or failure."

struct sigv4_cache_entry {
	bool		 is_used;
	char		 access_key_id[SIGV4_KEY_ID_MAX];
	char		 date[9];
	char		 region[SIGV4_NAME_MAX];
	char		 service[SIGV4_NAME_MAX];
	unsigned char	 secret_hash[SIGV4_HASH_LEN];
	unsigned char	 key[SIGV4_HASH_LEN];
};

struct sigv4_cache {
	pthread_mutex_t		 lock;
	struct secret_buf	*storage;	/* holds entries[] */
	struct sigv4_cache_entry *entries;
};

/* What the two forms of credentials (header, query string) resolve to. */
struct sigv4_credentials {
	struct sigv4_authorization auth;
	char		*date_value;		/* malloc'd copy */
	const char	*date_header;		/* "x-amz-date", "date", NULL */
	char		*query;			/* canonical input; malloc'd */
	bool		 is_query_auth;
	int64_t		 expires;		/* X-Amz-Expires; 0: none */
};

struct sigv4_cache *
sigv4_cache_new(void)
{
	struct sigv4_cache *cache = NULL, *ret = NULL;
	bool		 has_lock = false;

	if ((cache = calloc(1, sizeof(*cache))) == NULL)
		goto out;
	if (pthread_mutex_init(&cache->lock, NULL) != 0)
		goto out;
	has_lock = true;
	cache->storage = secret_buf_new(SIGV4_CACHE_SLOTS *
	    sizeof(struct sigv4_cache_entry));
	if (cache->storage == NULL)
		goto out;
	cache->entries = (struct sigv4_cache_entry *)cache->storage->data;
	memset(cache->entries, 0, SIGV4_CACHE_SLOTS * sizeof(*cache->entries));
	ret = cache;
	cache = NULL;
out:
	if (cache != NULL) {
		if (has_lock)
			pthread_mutex_destroy(&cache->lock);
		secret_buf_free(cache->storage);
		free(cache);
	}
	return ret;
}

void
sigv4_cache_free(struct sigv4_cache *cache)
{
	if (cache == NULL)
		return;
	secret_buf_free(cache->storage);	/* wipes every key */
	pthread_mutex_destroy(&cache->lock);
	free(cache);
}

static uint64_t
sigv4_cache_hash(const struct sigv4_authorization *auth)
{
	const char	*fields[4] = { auth->access_key_id, auth->date,
			    auth->region, auth->service };
	const unsigned char *p;
	uint64_t	 h = 0xcbf29ce484222325ULL;	/* FNV-1a */
	size_t		 i;

	for (i = 0; i < 4; i++) {
		for (p = (const unsigned char *)fields[i]; *p != '\0'; p++) {
			h ^= *p;
			h *= 0x100000001b3ULL;
		}
		h ^= 0xff;	/* separator: "ab"+"c" differs from "a"+"bc" */
		h *= 0x100000001b3ULL;
	}
	return h;
}

static bool
sigv4_cache_entry_matches(const struct sigv4_cache_entry *e,
    const struct sigv4_authorization *auth,
    const unsigned char secret_hash[SIGV4_HASH_LEN])
{
	return e->is_used &&
	    strcmp(e->access_key_id, auth->access_key_id) == 0 &&
	    strcmp(e->date, auth->date) == 0 &&
	    strcmp(e->region, auth->region) == 0 &&
	    strcmp(e->service, auth->service) == 0 &&
	    CRYPTO_memcmp(e->secret_hash, secret_hash, SIGV4_HASH_LEN) == 0;
}

static bool
sigv4_cache_is_cacheable(const struct sigv4_authorization *auth)
{
	return strlen(auth->access_key_id) <
	    sizeof(((struct sigv4_cache_entry *)0)->access_key_id) &&
	    strlen(auth->date) == 8 && strlen(auth->region) < SIGV4_NAME_MAX &&
	    strlen(auth->service) < SIGV4_NAME_MAX;
}

static bool
sigv4_cache_get(struct sigv4_cache *cache,
    const struct sigv4_authorization *auth,
    const unsigned char secret_hash[SIGV4_HASH_LEN],
    unsigned char key[SIGV4_HASH_LEN])
{
	struct sigv4_cache_entry *e;
	bool		 is_hit = false;

	e = &cache->entries[sigv4_cache_hash(auth) & (SIGV4_CACHE_SLOTS - 1)];
	pthread_mutex_lock(&cache->lock);
	if (sigv4_cache_entry_matches(e, auth, secret_hash)) {
		memcpy(key, e->key, SIGV4_HASH_LEN);
		is_hit = true;
	}
	pthread_mutex_unlock(&cache->lock);
	return is_hit;
}

/* Direct-mapped: the new key replaces whatever held its slot. */
static void
sigv4_cache_put(struct sigv4_cache *cache,
    const struct sigv4_authorization *auth,
    const unsigned char secret_hash[SIGV4_HASH_LEN],
    const unsigned char key[SIGV4_HASH_LEN])
{
	struct sigv4_cache_entry *e;

	e = &cache->entries[sigv4_cache_hash(auth) & (SIGV4_CACHE_SLOTS - 1)];
	pthread_mutex_lock(&cache->lock);
	OPENSSL_cleanse(e, sizeof(*e));
	(void)str_copy(e->access_key_id, sizeof(e->access_key_id),
	    auth->access_key_id);
	(void)str_copy(e->date, sizeof(e->date), auth->date);
	(void)str_copy(e->region, sizeof(e->region), auth->region);
	(void)str_copy(e->service, sizeof(e->service), auth->service);
	memcpy(e->secret_hash, secret_hash, SIGV4_HASH_LEN);
	memcpy(e->key, key, SIGV4_HASH_LEN);
	e->is_used = true;
	pthread_mutex_unlock(&cache->lock);
}

/* ---- request helpers ---- */

static const char *
sigv4_verify_header_find(const struct sigv4_request *http, const char *name)
{
	size_t	 i;

	for (i = 0; i < http->header_count; i++)
		if (http->headers[i].name != NULL &&
		    strcasecmp(http->headers[i].name, name) == 0)
			return http->headers[i].value != NULL ?
			    http->headers[i].value : "";
	return NULL;
}

/* Is name one of the ';'-separated entries of list (case-insensitive)? */
static bool
sigv4_verify_list_has(const char *list, const char *name)
{
	const char	*p = list, *semi;
	size_t		 n = strlen(name);

	for (;;) {
		if ((semi = strchr(p, ';')) == NULL)
			semi = p + strlen(p);
		if ((size_t)(semi - p) == n && strncasecmp(p, name, n) == 0)
			return true;
		if (*semi == '\0')
			return false;
		p = semi + 1;
	}
}

static int
sigv4_verify_hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Find name (compared raw) in the query; *value gets its decoded value. */
static enum status
sigv4_verify_query_param(const char *query, const char *name, bool *found,
    char **value)
{
	const char	*p, *end, *amp, *eq, *v;
	size_t		 n = strlen(name), i, o;
	char		*decoded;
	int		 hi, lo;

	*found = false;
	if (query == NULL)
		return STATUS_OK;
	end = query + strlen(query);
	for (p = query; p < end; p = amp + 1) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		if ((eq = memchr(p, '=', (size_t)(amp - p))) == NULL)
			eq = amp;
		if ((size_t)(eq - p) != n || strncmp(p, name, n) != 0)
			continue;
		*found = true;
		if (value == NULL)
			return STATUS_OK;
		v = eq < amp ? eq + 1 : amp;
		if ((decoded = malloc((size_t)(amp - v) + 1)) == NULL)
			return STATUS_NO_MEMORY;
		for (i = 0, o = 0; v + i < amp; i++) {
			if (v[i] == '%' && amp - (v + i) >= 3 &&
			    (hi = sigv4_verify_hex_value(v[i + 1])) >= 0 &&
			    (lo = sigv4_verify_hex_value(v[i + 2])) >= 0) {
				decoded[o++] = (char)(hi << 4 | lo);
				i += 2;
			} else
				decoded[o++] = v[i];
		}
		decoded[o] = '\0';
		*value = decoded;
		return STATUS_OK;
	}
	return STATUS_OK;
}

/* The query without its X-Amz-Signature pair: what the client signed. */
static enum status
sigv4_verify_query_unsigned(const char *query, char **out)
{
	const char	*p, *end, *amp, *eq;
	char		*copy;
	size_t		 len = 0;

	end = query + strlen(query);
	if ((copy = malloc((size_t)(end - query) + 1)) == NULL)
		return STATUS_NO_MEMORY;
	for (p = query; p < end; p = amp + 1) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		if ((eq = memchr(p, '=', (size_t)(amp - p))) == NULL)
			eq = amp;
		if (eq - p == 15 && strncmp(p, "X-Amz-Signature", 15) == 0)
			continue;
		if (len > 0)
			copy[len++] = '&';
		memcpy(copy + len, p, (size_t)(amp - p));
		len += (size_t)(amp - p);
	}
	copy[len] = '\0';
	*out = copy;
	return STATUS_OK;
}

/* ---- time ---- */

static int64_t
sigv4_verify_days_from_civil(int64_t y, int m, int d)
{
	int64_t		 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static bool
sigv4_verify_civil_to_time(int y, int mon, int d, int h, int min, int s,
    time_t *out)
{
	static const int days_in_month[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	bool		 is_leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	int		 month_days;

	if (y < 1970 || mon < 1 || mon > 12 || d < 1 || h > 23 || min > 59 ||
	    s > 60 || h < 0 || min < 0 || s < 0)
		return false;
	month_days = days_in_month[mon - 1] + (mon == 2 && is_leap);
	if (d > month_days)
		return false;
	*out = (time_t)(sigv4_verify_days_from_civil(y, mon, d) * 86400 +
	    h * 3600 + min * 60 + s);
	return true;
}

static int
sigv4_verify_digits(const char *s, size_t n)
{
	int	 v = 0;
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* ISO 8601 basic format in UTC, as AWS signs it: 20150830T123600Z. */
static bool
sigv4_verify_parse_iso(const char *s, time_t *out)
{
	if (strlen(s) != SIGV4_ISO_LEN || s[8] != 'T' || s[15] != 'Z')
		return false;
	return sigv4_verify_civil_to_time(sigv4_verify_digits(s, 4),
	    sigv4_verify_digits(s + 4, 2), sigv4_verify_digits(s + 6, 2),
	    sigv4_verify_digits(s + 9, 2), sigv4_verify_digits(s + 11, 2),
	    sigv4_verify_digits(s + 13, 2), out);
}

/* RFC 7231 IMF-fixdate, the form of a Date header: Sun, 30 Aug 2015
 * 12:36:00 GMT. */
static bool
sigv4_verify_parse_http_date(const char *s, time_t *out)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	const char	*m;
	char		 mon[4];
	int		 d, y, h, min, sec, end = -1;

	if (sscanf(s, "%*3[A-Za-z], %2d %3[A-Za-z] %4d %2d:%2d:%2d GMT%n",
	    &d, mon, &y, &h, &min, &sec, &end) != 6 || end < 0 ||
	    s[end] != '\0')
		return false;
	if ((m = strstr(months, mon)) == NULL || (m - months) % 3 != 0)
		return false;
	return sigv4_verify_civil_to_time(y, (int)((m - months) / 3) + 1, d, h,
	    min, sec, out);
}

static void
sigv4_verify_format_iso(time_t t, char out[SIGV4_ISO_LEN + 1])
{
	_Static_assert(SIGV4_ISO_LEN == UTC_TIME_BASIC_LEN,
	    "X-Amz-Date is ISO 8601's basic format");
	/* Not gmtime_r: it takes glibc's time zone lock on every request. */
	utc_time_format_basic((int64_t)t, out);
}

/* AWS words the window as "5 min."; other windows follow the same form. */
static void
sigv4_verify_format_skew(int skew, char *out, size_t size)
{
	if (skew % 60 == 0)
		snprintf(out, size, "%d min", skew / 60);
	else
		snprintf(out, size, "%d sec", skew);
}

/* expires: a presigned request's X-Amz-Expires, 0 for none. */
static enum status
sigv4_verify_time(const struct auth_request *req, time_t request_at,
    int64_t expires, const char *request_iso, struct error *err)
{
	char		 bound[SIGV4_ISO_LEN + 1], now[SIGV4_ISO_LEN + 1];
	char		 window[32];
	int		 skew = SIGV4_DEFAULT_SKEW;

	if (req->max_skew_seconds > 0)
		skew = req->max_skew_seconds;
	if (expires > 0 && request_at <= req->now + skew) {
		if (req->now <= request_at + expires)
			return STATUS_OK;
		sigv4_verify_format_iso(req->now, now);
		sigv4_verify_format_iso(req->now - expires, bound);
		return error_set(err, STATUS_INVALID_SIGNATURE,
		    "Signature expired: %s is now earlier than %s (%s - %lld "
		    "sec.)", request_iso, bound, now, (long long)expires);
	}
	if (request_at >= req->now - skew && request_at <= req->now + skew)
		return STATUS_OK;

	/* Only a refusal spells the times out. */
	sigv4_verify_format_iso(req->now, now);
	sigv4_verify_format_skew(skew, window, sizeof(window));
	if (request_at < req->now - skew) {
		sigv4_verify_format_iso(req->now - skew, bound);
		return error_set(err, STATUS_INVALID_SIGNATURE,
		    "Signature expired: %s is now earlier than %s (%s - %s.)",
		    request_iso, bound, now, window);
	}
	if (request_at > req->now + skew) {
		sigv4_verify_format_iso(req->now + skew, bound);
		return error_set(err, STATUS_INVALID_SIGNATURE,
		    "Signature not yet current: %s is still later than %s "
		    "(%s + %s.)", request_iso, bound, now, window);
	}
	return STATUS_OK;
}

/* ---- credentials: header or query string ---- */

static enum status
sigv4_verify_credentials_header(const struct sigv4_request *http,
    const char *authorization, struct sigv4_credentials *cred,
    struct error *err)
{
	struct error	 parse_err;
	enum status	 st;
	const char	*date, *at;

	cred->date_header = "x-amz-date";
	if ((date = sigv4_verify_header_find(http, "x-amz-date")) == NULL) {
		cred->date_header = "date";
		date = sigv4_verify_header_find(http, "date");
	}
	error_clear(&parse_err);
	st = sigv4_parse_authorization(authorization, &cred->auth, &parse_err);
	if (st == STATUS_MISSING_AUTH || (st != STATUS_OK && date != NULL))
		return error_set(err, st, "%s", parse_err.message);
	if (date == NULL) {
		/* AWS lists a missing date with the missing parameters, before
		 * anything but malformed pairs.  The parser's contract has
		 * only its message to tell these apart, so the wording is
		 * matched. */
		if (st == STATUS_INCOMPLETE_SIGNATURE &&
		    strncmp(parse_err.message, MSG_REQUIRES_PREFIX,
		    sizeof(MSG_REQUIRES_PREFIX) - 1) == 0 &&
		    (at = strstr(parse_err.message, "Authorization=")) != NULL)
			return error_set(err, STATUS_INCOMPLETE_SIGNATURE,
			    "%.*s" MSG_NO_DATE "%s",
			    (int)(at - parse_err.message), parse_err.message,
			    at);
		if (st == STATUS_INCOMPLETE_SIGNATURE &&
		    strstr(parse_err.message, "not a valid key=value pair") !=
		    NULL)
			return error_set(err, st, "%s", parse_err.message);
		return error_set(err, STATUS_INCOMPLETE_SIGNATURE,
		    MSG_NO_DATE "Authorization=%s", authorization);
	}
	if ((cred->date_value = strdup(date)) == NULL)
		return error_set(err, STATUS_NO_MEMORY, MSG_INTERNAL);
	if (http->query != NULL &&
	    (cred->query = strdup(http->query)) == NULL)
		return error_set(err, STATUS_NO_MEMORY, MSG_INTERNAL);
	return STATUS_OK;
}

/* A presigned request's X-Amz-Expires: 1 to 7 days of seconds, or absent
 * (*out 0: the clock skew alone bounds the request). */
static enum status
sigv4_verify_expires(const char *query, int64_t *out, struct error *err)
{
	char		*value = NULL;
	bool		 found;
	int64_t		 n = 0;
	enum status	 st = STATUS_OK;

	*out = 0;
	if (sigv4_verify_query_param(query, "X-Amz-Expires", &found, &value) !=
	    STATUS_OK)
		return error_set(err, STATUS_NO_MEMORY, MSG_INTERNAL);
	if (!found)
		goto out;
	for (const char *p = value; *p != '\0' && n <= SIGV4_EXPIRES_MAX; p++)
		n = *p >= '0' && *p <= '9' ? n * 10 + (*p - '0') :
		    SIGV4_EXPIRES_MAX + 1;
	if (n < 1 || n > SIGV4_EXPIRES_MAX) {
		st = error_set(err, STATUS_INCOMPLETE_SIGNATURE,
		    "X-Amz-Expires must be a number of seconds from 1 to %d; "
		    "got '%.16s'.", SIGV4_EXPIRES_MAX, value);
		goto out;
	}
	*out = n;
out:
	free(value);
	return st;
}

static enum status
sigv4_verify_credentials_query(const struct sigv4_request *http,
    struct sigv4_credentials *cred, struct error *err)
{
	static const char *const names[] = { "X-Amz-Algorithm",
	    "X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders",
	    "X-Amz-Date" };
	char		*values[5] = { NULL };
	char		*synthetic = NULL;
	char		 missing[512];
	size_t		 i, n = 0, len;
	bool		 found;
	enum status	 st = STATUS_NO_MEMORY;

	missing[0] = '\0';
	for (i = 0; i < 5; i++) {
		if (sigv4_verify_query_param(http->query, names[i], &found,
		    &values[i]) != STATUS_OK) {
			error_set(err, STATUS_NO_MEMORY, MSG_INTERNAL);
			goto out;
		}
		/* An empty algorithm counts as missing; the others only
		 * need to be present here. */
		if (found && (i != 0 || values[i][0] != '\0'))
			continue;
		n += (size_t)snprintf(missing + n, sizeof(missing) - n,
		    "AWS query-string parameters must include '%s'. ",
		    names[i]);
	}
	if (missing[0] != '\0') {
		st = error_set(err, STATUS_INCOMPLETE_SIGNATURE,
		    "%sRe-examine the query-string parameters.", missing);
		goto out;
	}
	/* Parse the same fields through the header parser, so both forms
	 * get identical checks and messages. */
	len = strlen(values[0]) + strlen(values[1]) + strlen(values[3]) +
	    strlen(values[2]) + 64;
	if ((synthetic = malloc(len)) == NULL) {
		error_set(err, STATUS_NO_MEMORY, MSG_INTERNAL);
		goto out;
	}
	snprintf(synthetic, len, "%s Credential=%s, SignedHeaders=%s, "
	    "Signature=%s", values[0], values[1], values[3], values[2]);
	if ((st = sigv4_parse_authorization(synthetic, &cred->auth, err)) !=
	    STATUS_OK)
		goto out;
	if ((st = sigv4_verify_query_unsigned(http->query, &cred->query)) !=
	    STATUS_OK) {
		error_set(err, st, MSG_INTERNAL);
		goto out;
	}
	if ((st = sigv4_verify_expires(http->query, &cred->expires, err)) !=
	    STATUS_OK)
		goto out;
	cred->date_value = values[4];
	values[4] = NULL;
	cred->date_header = NULL;
	cred->is_query_auth = true;
	st = STATUS_OK;
out:
	for (i = 0; i < 5; i++)
		free(values[i]);
	free(synthetic);
	return st;
}

static bool
sigv4_verify_is_name(const char *s)
{
	size_t	 n = strlen(s), i;

	if (n == 0 || n >= SIGV4_NAME_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

/* AWS reports every scope problem at once, each sentence ending in ". ". */
static enum status
sigv4_verify_scope(const struct auth_request *req,
    const struct sigv4_authorization *auth, const char *request_iso,
    struct error *err)
{
	char		 msg[ERROR_MESSAGE_MAX];
	size_t		 n = 0;

	msg[0] = '\0';
	if (!sigv4_verify_is_name(auth->region))
		n += (size_t)snprintf(msg + n, sizeof(msg) - n,
		    "Credential should be scoped to a valid region, not "
		    "'%.64s'. ", auth->region);
	if (req->expected_service != NULL &&
	    strcmp(auth->service, req->expected_service) != 0)
		n += (size_t)snprintf(msg + n, sizeof(msg) - n,
		    "Credential should be scoped to correct service: '%s'. ",
		    req->expected_service);
	else if (!sigv4_verify_is_name(auth->service))
		/* Only without an expected service; not an AWS message. */
		n += (size_t)snprintf(msg + n, sizeof(msg) - n,
		    "Credential should be scoped to a valid service, not "
		    "'%.64s'. ", auth->service);
	if (strncmp(auth->date, request_iso, 8) != 0 || strlen(auth->date) != 8)
		n += (size_t)snprintf(msg + n, sizeof(msg) - n,
		    "Date in Credential scope does not match YYYYMMDD from "
		    "ISO-8601 version of date from HTTP: '%.64s' != '%.8s', "
		    "from '%s'.", auth->date, request_iso, request_iso);
	if (n == 0)
		return STATUS_OK;
	return error_set(err, STATUS_INVALID_SIGNATURE, "%s", msg);
}

static bool
sigv4_verify_secret_hash(const struct secret_buf *secret,
    unsigned char out[SIGV4_HASH_LEN])
{
	unsigned int	 md_len = 0;

	return EVP_Digest(secret->data, secret->len, out, &md_len,
	    sigv4_sha256(), NULL) == 1 && md_len == SIGV4_HASH_LEN;
}

/*
 * The parsed credentials fill auth.storage from its start; only that much
 * is wiped.  Wiping and zeroing all 32 KiB of it cost 33,000 instructions
 * a request, for a header of a few hundred bytes.
 */
static size_t
sigv4_credentials_used(const struct sigv4_authorization *auth)
{
	const char	*fields[6] = { auth->access_key_id, auth->date,
			    auth->region, auth->service, auth->signed_headers,
			    auth->signature };
	const char	*end = auth->storage + sizeof(auth->storage);
	size_t		 used = 0, n;

	for (size_t i = 0; i < 6; i++) {
		if (fields[i] < auth->storage || fields[i] >= end)
			continue;
		n = (size_t)(fields[i] - auth->storage) +
		    strnlen(fields[i], (size_t)(end - fields[i]));
		if (n < sizeof(auth->storage))
			n++;	/* the NUL */
		if (n > used)
			used = n;
	}
	return used;
}

static void
sigv4_credentials_init(struct sigv4_credentials *cred)
{
	memset(&cred->auth, 0, offsetof(struct sigv4_authorization,
	    storage));
	cred->date_value = NULL;
	cred->date_header = NULL;
	cred->query = NULL;
	cred->is_query_auth = false;
	cred->expires = 0;
}

static void
sigv4_credentials_cleanup(struct sigv4_credentials *cred)
{
	free(cred->date_value);
	free(cred->query);
	OPENSSL_cleanse(cred->auth.storage,
	    sigv4_credentials_used(&cred->auth));
	OPENSSL_cleanse(&cred->auth, offsetof(struct sigv4_authorization,
	    storage));
}

enum status
sigv4_verify(const struct auth_request *req, auth_key_lookup_fn lookup,
    void *lookup_arg, struct sigv4_cache *cache, struct auth_result *out,
    struct error *err)
{
	enum status	 st = STATUS_INTERNAL;
	struct sigv4_credentials cred;
	struct sigv4_request http;
	struct principal principal;
	struct secret_buf *secret = NULL;
	const char	*authorization, *content_sha256;
	char		*canonical = NULL, *sts = NULL, *scope = NULL;
	char		 request_iso[SIGV4_ISO_LEN + 1];
	char		 body_hash[2 * SIGV4_HASH_LEN + 1];
	char		 expected[2 * SIGV4_HASH_LEN + 1];
	unsigned char	 key[SIGV4_HASH_LEN], secret_hash[SIGV4_HASH_LEN];
	time_t		 request_at;
	size_t		 scope_len;
	bool		 has_query_auth, is_cacheable = false, is_hit = false;

	sigv4_credentials_init(&cred);
	memset(&principal, 0, sizeof(principal));
	OPENSSL_cleanse(key, sizeof(key));
	if (req == NULL || lookup == NULL || out == NULL) {
		st = error_set(err, STATUS_INTERNAL, MSG_INTERNAL);
		goto out;
	}
	http = req->http;

	authorization = sigv4_verify_header_find(&http, "authorization");
	if ((st = sigv4_verify_query_param(http.query, "X-Amz-Algorithm",
	    &has_query_auth, NULL)) != STATUS_OK) {
		error_set(err, st, MSG_INTERNAL);
		goto out;
	}
	if (authorization != NULL && has_query_auth) {
		st = error_set(err, STATUS_INVALID_SIGNATURE,
		    "Found both 'X-Amz-Algorithm' as a query-string param and "
		    "'Authorization' as HTTP header.");
		goto out;
	}
	if (authorization == NULL && !has_query_auth) {
		st = error_set(err, STATUS_MISSING_AUTH, MSG_MISSING_TOKEN);
		goto out;
	}
	if (has_query_auth)
		st = sigv4_verify_credentials_query(&http, &cred, err);
	else
		st = sigv4_verify_credentials_header(&http, authorization,
		    &cred, err);
	if (st != STATUS_OK)
		goto out;

	if (!sigv4_verify_parse_iso(cred.date_value, &request_at) &&
	    (cred.date_header == NULL ||
	    strcmp(cred.date_header, "date") != 0 ||
	    !sigv4_verify_parse_http_date(cred.date_value, &request_at))) {
		st = error_set(err, STATUS_INCOMPLETE_SIGNATURE,
		    "Date must be in ISO-8601 'basic format'. Got '%.64s'. See "
		    "http://en.wikipedia.org/wiki/ISO_8601", cred.date_value);
		goto out;
	}
	sigv4_verify_format_iso(request_at, request_iso);
	if ((st = sigv4_verify_time(req, request_at, cred.expires, request_iso,
	    err)) != STATUS_OK)
		goto out;

	if (!sigv4_verify_list_has(cred.auth.signed_headers, "host")) {
		st = error_set(err, STATUS_INVALID_SIGNATURE,
		    MSG_HOST_UNSIGNED);
		goto out;
	}
	/* AWS's SigV4 rules require the date header to be signed when one
	 * is used; the wording follows the 'Host' message (not observed). */
	if (cred.date_header != NULL &&
	    !sigv4_verify_list_has(cred.auth.signed_headers,
	    cred.date_header)) {
		st = error_set(err, STATUS_INVALID_SIGNATURE,
		    "'%s' must be a 'SignedHeader' in the AWS Authorization.",
		    strcmp(cred.date_header, "date") == 0 ? "Date" :
		    "X-Amz-Date");
		goto out;
	}
	if ((st = sigv4_verify_scope(req, &cred.auth, request_iso, err)) !=
	    STATUS_OK)
		goto out;

	st = lookup(lookup_arg, cred.auth.access_key_id, &principal, &secret);
	if (st == STATUS_NOT_FOUND) {
		st = error_set(err, STATUS_UNRECOGNIZED_CLIENT, MSG_BAD_TOKEN);
		goto out;
	}
	if (st != STATUS_OK || secret == NULL) {
		st = error_set(err, st == STATUS_OK ? STATUS_INTERNAL : st,
		    MSG_INTERNAL);
		goto out;
	}

	/* The payload hash is always computed here: a client's
	 * x-amz-content-sha256 is signed over but never trusted. */
	sigv4_hash_hex(http.body, http.body_len, body_hash);
	if (body_hash[0] == '\0') {
		st = error_set(err, STATUS_INTERNAL, MSG_INTERNAL);
		goto out;
	}
	content_sha256 = sigv4_verify_header_find(&http,
	    "x-amz-content-sha256");
	if (content_sha256 != NULL &&
	    strcasecmp(content_sha256, body_hash) != 0) {
		st = error_set(err, STATUS_INVALID_SIGNATURE, MSG_MISMATCH);
		goto out;
	}

	http.query = cred.query;
	if ((st = sigv4_canonical_request(&http, cred.auth.signed_headers,
	    body_hash, &canonical)) != STATUS_OK) {
		error_set(err, st, MSG_INTERNAL);
		goto out;
	}
	scope_len = strlen(cred.auth.date) + strlen(cred.auth.region) +
	    strlen(cred.auth.service) + sizeof("///aws4_request");
	if ((scope = malloc(scope_len)) == NULL) {
		st = error_set(err, STATUS_NO_MEMORY, MSG_INTERNAL);
		goto out;
	}
	(void)str_concat(scope, scope_len, cred.auth.date, "/",
	    cred.auth.region, "/", cred.auth.service, "/aws4_request", NULL);
	if ((st = sigv4_string_to_sign(request_iso, scope, canonical, &sts)) !=
	    STATUS_OK) {
		error_set(err, st, MSG_INTERNAL);
		goto out;
	}

	is_cacheable = cache != NULL && sigv4_cache_is_cacheable(&cred.auth) &&
	    sigv4_verify_secret_hash(secret, secret_hash);
	if (is_cacheable)
		is_hit = sigv4_cache_get(cache, &cred.auth, secret_hash, key);
	if (!is_hit)
		sigv4_signing_key((const char *)secret->data, cred.auth.date,
		    cred.auth.region, cred.auth.service, key);
	sigv4_signature(key, sts, expected);
	if (strlen(expected) != 2 * SIGV4_HASH_LEN ||
	    strlen(cred.auth.signature) != 2 * SIGV4_HASH_LEN ||
	    CRYPTO_memcmp(expected, cred.auth.signature,
	    2 * SIGV4_HASH_LEN) != 0) {
		st = error_set(err, STATUS_INVALID_SIGNATURE, MSG_MISMATCH);
		goto out;
	}
	/* Cached only now: the key has just proved itself. */
	if (is_cacheable && !is_hit)
		sigv4_cache_put(cache, &cred.auth, secret_hash, key);

	out->principal = principal;
	(void)str_copy(out->region, sizeof(out->region), cred.auth.region);
	(void)str_copy(out->service, sizeof(out->service), cred.auth.service);
	st = STATUS_OK;
out:
	OPENSSL_cleanse(key, sizeof(key));
	OPENSSL_cleanse(secret_hash, sizeof(secret_hash));
	OPENSSL_cleanse(expected, sizeof(expected));
	secret_buf_free(secret);
	sigv4_credentials_cleanup(&cred);
	free(canonical);
	free(sts);
	free(scope);
	return st;
}
