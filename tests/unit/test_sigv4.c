/*
 * test_sigv4.c: SigV4 canonicalisation and signing against AWS's published
 * test suite, the verifier's AWS errors and messages, its key cache, and
 * the interim authorisation rule.
 *
 * The suite vectors are AWS's "Signature Version 4 test suite" (2015-08-30
 * edition, as shipped in bazelbuild/bazel third_party/aws-sig-v4-test-suite
 * and in aws-sdk-js-v3's signature-v4 fixture): credentials AKIDEXAMPLE,
 * region us-east-1, service "service", time 20150830T123600Z.  Each row
 * holds the request as the .req file has it, and the signature from the
 * .authz file; some rows also hold the .creq text and the canonical
 * request's hash from the .sts file.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "auth/auth.h"
#include "common/sigv4.h"
#include "crypto/crypto.h"

#define SUITE_KEY_ID	"AKIDEXAMPLE"
#define SUITE_SECRET	"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define SUITE_DATE	"20150830T123600Z"
#define SUITE_HOST	"example.amazonaws.com"
#define SUITE_TOKEN	"AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4" \
	"x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/" \
	"qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq" \
	"5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64" \
	"lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/" \
	"oLxBA=="
#define EMPTY_HASH	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define MAX_HEADERS	8

struct suite_vector {
	const char		*name;
	const char		*method;
	const char		*path;
	const char		*query;
	struct sigv4_header	 headers[MAX_HEADERS];	/* ends at name NULL */
	const char		*body;
	const char		*signed_headers;
	const char		*canonical_request;	/* .creq, or NULL */
	const char		*canonical_hash;	/* .sts hash, or NULL */
	const char		*signature;		/* from .authz */
};

#define H_HOST		{ "Host", SUITE_HOST }
#define H_DATE		{ "X-Amz-Date", SUITE_DATE }
#define SIG_VANILLA	"5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
#define SIG_POST	"5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"

static const struct suite_vector suite[] = {
	{ "get-header-key-duplicate", "GET", "/", NULL,
	  { H_HOST, { "My-Header1", "value2" }, { "My-Header1", "value2" },
	    { "My-Header1", "value1" }, H_DATE }, NULL,
	  "host;my-header1;x-amz-date",
	  "GET\n/\n\nhost:example.amazonaws.com\n"
	  "my-header1:value2,value2,value1\nx-amz-date:20150830T123600Z\n\n"
	  "host;my-header1;x-amz-date\n" EMPTY_HASH, NULL,
	  "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea" },
	{ "get-header-value-order", "GET", "/", NULL,
	  { H_HOST, { "My-Header1", "value4" }, { "My-Header1", "value1" },
	    { "My-Header1", "value3" }, { "My-Header1", "value2" }, H_DATE },
	  NULL, "host;my-header1;x-amz-date", NULL, NULL,
	  "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01" },
	{ "get-header-value-trim", "GET", "/", NULL,
	  { H_HOST, { "My-Header1", " value1" },
	    { "My-Header2", " \"a   b   c\"  " }, H_DATE }, NULL,
	  "host;my-header1;my-header2;x-amz-date",
	  "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\n"
	  "my-header2:\"a b c\"\nx-amz-date:20150830T123600Z\n\n"
	  "host;my-header1;my-header2;x-amz-date\n" EMPTY_HASH, NULL,
	  "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736" },
	{ "get-unreserved", "GET",
	  "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
	  NULL, { H_HOST, H_DATE }, NULL, "host;x-amz-date", NULL, NULL,
	  "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f" },
	{ "get-utf8", "GET", "/\xe1\x88\xb4", NULL, { H_HOST, H_DATE }, NULL,
	  "host;x-amz-date",
	  "GET\n/%E1%88%B4\n\nhost:example.amazonaws.com\n"
	  "x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" EMPTY_HASH, NULL,
	  "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85" },
	{ "get-vanilla", "GET", "/", NULL, { H_HOST, H_DATE }, NULL,
	  "host;x-amz-date",
	  "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n"
	  "\nhost;x-amz-date\n" EMPTY_HASH,
	  "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
	  SIG_VANILLA },
	{ "get-vanilla-empty-query-key", "GET", "/", "Param1=value1",
	  { H_HOST, H_DATE }, NULL, "host;x-amz-date", NULL, NULL,
	  "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb" },
	{ "get-vanilla-query", "GET", "/", "", { H_HOST, H_DATE }, NULL,
	  "host;x-amz-date", NULL, NULL, SIG_VANILLA },
	{ "get-vanilla-query-order-key", "GET", "/",
	  "Param1=value2&Param1=Value1", { H_HOST, H_DATE }, NULL,
	  "host;x-amz-date",
	  "GET\n/\nParam1=Value1&Param1=value2\nhost:example.amazonaws.com\n"
	  "x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" EMPTY_HASH,
	  "704b4cef673542d84cdff252633f065e8daeba5f168b77116f8b1bcaf3d38f89",
	  "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1" },
	{ "get-vanilla-query-order-key-case", "GET", "/",
	  "Param2=value2&Param1=value1", { H_HOST, H_DATE }, NULL,
	  "host;x-amz-date", NULL, NULL,
	  "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500" },
	{ "get-vanilla-query-order-value", "GET", "/",
	  "Param1=value2&Param1=value1", { H_HOST, H_DATE }, NULL,
	  "host;x-amz-date",
	  "GET\n/\nParam1=value1&Param1=value2\nhost:example.amazonaws.com\n"
	  "x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" EMPTY_HASH, NULL,
	  "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694" },
	{ "get-vanilla-query-unreserved", "GET", "/",
	  "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz="
	  "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
	  { H_HOST, H_DATE }, NULL, "host;x-amz-date", NULL, NULL,
	  "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197" },
	{ "get-vanilla-utf8-query", "GET", "/", "\xe1\x88\xb4=bar",
	  { H_HOST, H_DATE }, NULL, "host;x-amz-date", NULL, NULL,
	  "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04" },
	{ "normalize-path/get-relative", "GET", "/example/..", NULL,
	  { H_HOST, H_DATE }, NULL, "host;x-amz-date", NULL, NULL,
	  SIG_VANILLA },
	{ "normalize-path/get-relative-relative", "GET",
	  "/example1/example2/../..", NULL, { H_HOST, H_DATE }, NULL,
	  "host;x-amz-date", NULL, NULL, SIG_VANILLA },
	{ "normalize-path/get-slash", "GET", "//", NULL, { H_HOST, H_DATE },
	  NULL, "host;x-amz-date", NULL, NULL, SIG_VANILLA },
	{ "normalize-path/get-slash-dot-slash", "GET", "/./", NULL,
	  { H_HOST, H_DATE }, NULL, "host;x-amz-date", NULL, NULL,
	  SIG_VANILLA },
	{ "normalize-path/get-slash-pointless-dot", "GET", "/./example", NULL,
	  { H_HOST, H_DATE }, NULL, "host;x-amz-date", NULL, NULL,
	  "ef75d96142cf21edca26f06005da7988e4f8dc83a165a80865db7089db637ec5" },
	{ "normalize-path/get-slashes", "GET", "//example//", NULL,
	  { H_HOST, H_DATE }, NULL, "host;x-amz-date", NULL, NULL,
	  "9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84" },
	{ "normalize-path/get-space", "GET", "/example space/", NULL,
	  { H_HOST, H_DATE }, NULL, "host;x-amz-date",
	  "GET\n/example%20space/\n\nhost:example.amazonaws.com\n"
	  "x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" EMPTY_HASH, NULL,
	  "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741" },
	{ "post-header-key-case", "POST", "/", NULL,
	  { { "host", SUITE_HOST }, { "x-amz-date", SUITE_DATE } }, NULL,
	  "host;x-amz-date", NULL, NULL, SIG_POST },
	{ "post-header-key-sort", "POST", "/", NULL,
	  { H_HOST, { "My-Header1", "value1" }, H_DATE }, NULL,
	  "host;my-header1;x-amz-date", NULL, NULL,
	  "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c" },
	{ "post-header-value-case", "POST", "/", NULL,
	  { H_HOST, { "My-Header1", "VALUE1" }, H_DATE }, NULL,
	  "host;my-header1;x-amz-date", NULL, NULL,
	  "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d" },
	{ "post-sts-token/post-sts-header-before", "POST", "/", NULL,
	  { H_HOST, H_DATE, { "X-Amz-Security-Token", SUITE_TOKEN } }, NULL,
	  "host;x-amz-date;x-amz-security-token", NULL, NULL,
	  "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead" },
	{ "post-sts-token/post-sts-header-after", "POST", "/", NULL,
	  { H_HOST, H_DATE, { "X-Amz-Security-Token", SUITE_TOKEN } }, NULL,
	  "host;x-amz-date", NULL, NULL, SIG_POST },
	{ "post-vanilla", "POST", "/", NULL, { H_HOST, H_DATE }, NULL,
	  "host;x-amz-date", NULL, NULL, SIG_POST },
	{ "post-vanilla-empty-query-value", "POST", "/", "Param1=value1",
	  { H_HOST, H_DATE }, NULL, "host;x-amz-date", NULL, NULL,
	  "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11" },
	{ "post-vanilla-query", "POST", "/", "Param1=value1",
	  { H_HOST, H_DATE }, NULL, "host;x-amz-date", NULL, NULL,
	  "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11" },
	{ "post-x-www-form-urlencoded", "POST", "/", NULL,
	  { { "Content-Type", "application/x-www-form-urlencoded" }, H_HOST,
	    H_DATE }, "Param1=value1", "content-type;host;x-amz-date",
	  "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\n"
	  "host:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
	  "content-type;host;x-amz-date\n"
	  "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
	  "42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281",
	  "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a" },
	{ "post-x-www-form-urlencoded-parameters", "POST", "/", NULL,
	  { { "Content-Type",
	      "application/x-www-form-urlencoded; charset=utf8" }, H_HOST,
	    H_DATE }, "Param1=value1", "content-type;host;x-amz-date", NULL,
	  "2e1cf7ed91881a30569e46552437e4156c823447bf1781b921b5d486c568dd1c",
	  "1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe" },
};

static size_t
header_count(const struct sigv4_header *headers)
{
	size_t	 n = 0;

	while (n < MAX_HEADERS && headers[n].name != NULL)
		n++;
	return n;
}

static struct sigv4_request
suite_request(const struct suite_vector *v)
{
	struct sigv4_request req = {
		.method = v->method,
		.path = v->path,
		.query = v->query,
		.headers = v->headers,
		.header_count = header_count(v->headers),
		.body = (const unsigned char *)v->body,
		.body_len = v->body != NULL ? strlen(v->body) : 0,
	};

	return req;
}

static void
test_suite_vectors_match_published_signatures(void **state)
{
	char		*canonical, *sts, *authorization, expected[512];
	char		 body_hash[65], canonical_hash[65];
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(suite) / sizeof(suite[0]); i++) {
		const struct suite_vector *v = &suite[i];
		struct sigv4_request req = suite_request(v);

		print_message("  %s\n", v->name);
		sigv4_hash_hex(req.body, req.body_len, body_hash);
		canonical = NULL;
		assert_int_equal(sigv4_canonical_request(&req,
		    v->signed_headers, body_hash, &canonical), STATUS_OK);
		if (v->canonical_request != NULL)
			assert_string_equal(canonical, v->canonical_request);
		sigv4_hash_hex(canonical, strlen(canonical), canonical_hash);
		if (v->canonical_hash != NULL)
			assert_string_equal(canonical_hash, v->canonical_hash);

		sts = NULL;
		assert_int_equal(sigv4_string_to_sign(SUITE_DATE,
		    "20150830/us-east-1/service/aws4_request", canonical, &sts),
		    STATUS_OK);
		snprintf(expected, sizeof(expected), "AWS4-HMAC-SHA256\n"
		    SUITE_DATE "\n20150830/us-east-1/service/aws4_request\n%s",
		    canonical_hash);
		assert_string_equal(sts, expected);

		authorization = NULL;
		assert_int_equal(sigv4_sign(&req, SUITE_KEY_ID, SUITE_SECRET,
		    "us-east-1", "service", SUITE_DATE, v->signed_headers,
		    &authorization), STATUS_OK);
		snprintf(expected, sizeof(expected), "AWS4-HMAC-SHA256 "
		    "Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
		    "aws4_request, SignedHeaders=%s, Signature=%s",
		    v->signed_headers, v->signature);
		assert_string_equal(authorization, expected);
		free(canonical);
		free(sts);
		free(authorization);
	}
}

/* AWS's worked example: IAM ListUsers (general reference, "Create a
 * signed AWS API request"). */
static void
test_iam_documentation_example_signs_as_published(void **state)
{
	static const struct sigv4_header headers[] = {
		{ "Content-Type",
		  "application/x-www-form-urlencoded; charset=utf-8" },
		{ "Host", "iam.amazonaws.com" },
		{ "X-Amz-Date", SUITE_DATE },
	};
	struct sigv4_request req = { "GET", "/",
	    "Action=ListUsers&Version=2010-05-08", headers, 3, NULL, 0 };
	char		*canonical = NULL, *authorization = NULL, hash[65];

	(void)state;
	assert_int_equal(sigv4_canonical_request(&req,
	    "content-type;host;x-amz-date", EMPTY_HASH, &canonical), STATUS_OK);
	sigv4_hash_hex(canonical, strlen(canonical), hash);
	assert_string_equal(hash,
	    "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
	assert_int_equal(sigv4_sign(&req, SUITE_KEY_ID, SUITE_SECRET,
	    "us-east-1", "iam", SUITE_DATE, NULL, &authorization), STATUS_OK);
	assert_string_equal(authorization, "AWS4-HMAC-SHA256 Credential="
	    "AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
	    "SignedHeaders=content-type;host;x-amz-date, Signature="
	    "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
	free(canonical);
	free(authorization);
}

static void
hex_of(const unsigned char *in, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t	 i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0xf];
	}
	out[2 * len] = '\0';
}

static void
test_signing_key_matches_documented_derivation(void **state)
{
	unsigned char	 key[SIGV4_HASH_LEN];
	char		 hex[65];

	(void)state;
	sigv4_signing_key(SUITE_SECRET, "20150830", "us-east-1", "iam", key);
	hex_of(key, sizeof(key), hex);
	assert_string_equal(hex,
	    "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
}

static void
test_long_secret_derives_same_key_as_plain_hmac_chain(void **state)
{
	const char	*secret = "0123456789abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	unsigned char	 key[SIGV4_HASH_LEN], k[SIGV4_HASH_LEN];
	unsigned char	 kk[SIGV4_HASH_LEN];
	char		 full[128];
	unsigned int	 n = 0;
	int		 len;

	(void)state;
	len = snprintf(full, sizeof(full), "AWS4%s", secret);
	HMAC(EVP_sha256(), full, len, (const unsigned char *)"20150830", 8, k,
	    &n);
	HMAC(EVP_sha256(), k, 32, (const unsigned char *)"us-east-1", 9, kk,
	    &n);
	HMAC(EVP_sha256(), kk, 32, (const unsigned char *)"service", 7, k, &n);
	HMAC(EVP_sha256(), k, 32, (const unsigned char *)"aws4_request", 12, kk,
	    &n);
	sigv4_signing_key(secret, "20150830", "us-east-1", "service", key);
	assert_memory_equal(key, kk, sizeof(key));
}

static void
assert_canonical_line(const char *path, const char *query, int line,
    const char *want)
{
	static const struct sigv4_header headers[] = { { "Host", "h" } };
	struct sigv4_request req = { "GET", path, query, headers, 1, NULL, 0 };
	char		*canonical = NULL, *p;
	int		 i;

	assert_int_equal(sigv4_canonical_request(&req, "host", EMPTY_HASH,
	    &canonical), STATUS_OK);
	for (p = canonical, i = 0; i < line; i++)
		p = strchr(p, '\n') + 1;
	*strchr(p, '\n') = '\0';
	assert_string_equal(p, want);
	free(canonical);
}

static void
test_path_is_encoded_once_more_than_received(void **state)
{
	(void)state;
	assert_canonical_line("/a%20b/c+d", NULL, 1, "/a%2520b/c%2Bd");
	assert_canonical_line("", NULL, 1, "/");
	assert_canonical_line(NULL, NULL, 1, "/");
	assert_canonical_line("/a/./b/../c/", NULL, 1, "/a/c/");
	assert_canonical_line("/../..", NULL, 1, "/");
}

static void
test_query_is_decoded_reencoded_and_sorted(void **state)
{
	(void)state;
	assert_canonical_line("/", "b=2&a=%7e&a=1&&c&d=x%2fy%20z+w", 2,
	    "a=1&a=~&b=2&c=&d=x%2Fy%20z%2Bw");
	assert_canonical_line("/", "bad=%zz%4", 2, "bad=%25zz%254");
	assert_canonical_line("/", "a-=1&a=2", 2, "a=2&a-=1");
}

static void
test_parse_authorization_fills_every_field(void **state)
{
	struct sigv4_authorization auth;
	struct error	 err;

	(void)state;
	assert_int_equal(sigv4_parse_authorization("AWS4-HMAC-SHA256 "
	    "Credential=AKID/20150830/us-east-1/service/aws4_request/,"
	    "SignedHeaders=host;x-amz-date,Signature=abc", &auth, &err),
	    STATUS_OK);
	assert_string_equal(auth.access_key_id, "AKID");
	assert_string_equal(auth.date, "20150830");
	assert_string_equal(auth.region, "us-east-1");
	assert_string_equal(auth.service, "service");
	assert_string_equal(auth.signed_headers, "host;x-amz-date");
	assert_string_equal(auth.signature, "abc");
}

/* ---- the verifier ---- */

#define ACCOUNT		"123456789012"
#define USER_ARN	"arn:aws:iam::123456789012:user/alice"
#define NOW		1440938160	/* 20150830T123600Z */

struct fixture {
	const char	*secret;	/* what the lookup answers */
	int		 lookup_count;
	pthread_mutex_t	 lock;
};

static enum status
fixture_lookup(void *arg, const char *access_key_id,
    struct principal *principal, struct secret_buf **secret)
{
	struct fixture	*f = arg;

	pthread_mutex_lock(&f->lock);
	f->lookup_count++;
	pthread_mutex_unlock(&f->lock);
	if (strcmp(access_key_id, SUITE_KEY_ID) != 0)
		return STATUS_NOT_FOUND;
	memset(principal, 0, sizeof(*principal));
	snprintf(principal->account_id, sizeof(principal->account_id), ACCOUNT);
	snprintf(principal->arn, sizeof(principal->arn), USER_ARN);
	snprintf(principal->user_name, sizeof(principal->user_name), "alice");
	snprintf(principal->access_key_id, sizeof(principal->access_key_id),
	    "%s", access_key_id);
	snprintf(principal->type, sizeof(principal->type), "IAMUser");
	if ((*secret = secret_buf_from(f->secret, strlen(f->secret))) == NULL)
		return STATUS_NO_MEMORY;
	return STATUS_OK;
}

/* A Secrets Manager call as an SDK sends it; headers[4] is Authorization. */
struct call {
	struct sigv4_header	 headers[MAX_HEADERS];
	size_t			 header_count;
	const char		*body;
	char			*authorization;
	struct auth_request	 req;
};

static void
call_init(struct call *c, const char *amz_date)
{
	memset(c, 0, sizeof(*c));
	c->headers[0] = (struct sigv4_header){ "Host",
	    "secretsmanager.us-east-1.amazonaws.com" };
	c->headers[1] = (struct sigv4_header){ "X-Amz-Date", amz_date };
	c->headers[2] = (struct sigv4_header){ "X-Amz-Target",
	    "secretsmanager.GetSecretValue" };
	c->headers[3] = (struct sigv4_header){ "Content-Type",
	    "application/x-amz-json-1.1" };
	c->header_count = 4;
	c->body = "{\"SecretId\":\"db\"}";
	c->req.http.method = "POST";
	c->req.http.path = "/";
	c->req.http.headers = c->headers;
	c->req.http.body = (const unsigned char *)c->body;
	c->req.http.body_len = strlen(c->body);
	c->req.now = NOW;
	c->req.max_skew_seconds = 300;
	c->req.expected_service = "secretsmanager";
}

static void
call_sign_as(struct call *c, const char *key_id, const char *secret,
    const char *service, const char *signed_headers)
{
	const char	*date = c->headers[1].value;

	c->req.http.header_count = c->header_count;
	free(c->authorization);
	c->authorization = NULL;
	assert_int_equal(sigv4_sign(&c->req.http, key_id, secret, "us-east-1",
	    service, date, signed_headers, &c->authorization), STATUS_OK);
	c->headers[c->header_count] = (struct sigv4_header){ "Authorization",
	    c->authorization };
	c->req.http.header_count = c->header_count + 1;
}

static void
call_sign(struct call *c, const char *secret)
{
	call_sign_as(c, SUITE_KEY_ID, secret, "secretsmanager", NULL);
}

static void
call_set_authorization(struct call *c, const char *authorization)
{
	c->headers[c->header_count] = (struct sigv4_header){ "Authorization",
	    authorization };
	c->req.http.header_count = c->header_count + 1;
}

static enum status
call_verify(struct call *c, struct fixture *f, struct sigv4_cache *cache,
    struct auth_result *result, struct error *err)
{
	memset(result, 0, sizeof(*result));
	error_clear(err);
	return sigv4_verify(&c->req, fixture_lookup, f, cache, result, err);
}

static int
fixture_setup(void **state)
{
	struct fixture	*f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	f->secret = SUITE_SECRET;
	pthread_mutex_init(&f->lock, NULL);
	*state = f;
	return 0;
}

static int
fixture_teardown(void **state)
{
	struct fixture	*f = *state;

	pthread_mutex_destroy(&f->lock);
	free(f);
	return 0;
}

static void
assert_rejected(struct call *c, struct fixture *f, enum status want_status,
    const char *want_message)
{
	struct auth_result result;
	struct error	 err;

	assert_int_equal(call_verify(c, f, NULL, &result, &err), want_status);
	assert_int_equal(err.status, want_status);
	assert_string_equal(err.message, want_message);
}

static void
test_valid_signature_is_accepted_and_names_principal(void **state)
{
	struct fixture	*f = *state;
	struct auth_result result;
	struct error	 err;
	struct call	 c;

	call_init(&c, SUITE_DATE);
	call_sign(&c, SUITE_SECRET);
	assert_int_equal(call_verify(&c, f, NULL, &result, &err), STATUS_OK);
	assert_string_equal(result.principal.arn, USER_ARN);
	assert_string_equal(result.principal.account_id, ACCOUNT);
	assert_string_equal(result.region, "us-east-1");
	assert_string_equal(result.service, "secretsmanager");
	free(c.authorization);
}

static void
test_published_vector_verifies(void **state)
{
	struct fixture	*f = *state;
	const struct suite_vector *v = &suite[5];	/* get-vanilla */
	struct sigv4_header headers[MAX_HEADERS];
	struct auth_request req;
	struct auth_result result;
	struct error	 err;
	char		 authorization[512];

	assert_string_equal(v->name, "get-vanilla");
	snprintf(authorization, sizeof(authorization), "AWS4-HMAC-SHA256 "
	    "Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
	    "SignedHeaders=host;x-amz-date, Signature=%s", v->signature);
	memcpy(headers, v->headers, sizeof(headers));
	headers[2] = (struct sigv4_header){ "Authorization", authorization };
	memset(&req, 0, sizeof(req));
	req.http = suite_request(v);
	req.http.headers = headers;
	req.http.header_count = 3;
	req.now = NOW + 299;
	req.max_skew_seconds = 300;
	req.expected_service = "service";
	assert_int_equal(sigv4_verify(&req, fixture_lookup, f, NULL, &result,
	    &err), STATUS_OK);
	assert_string_equal(result.service, "service");
}

static void
test_tampered_body_is_rejected(void **state)
{
	struct fixture	*f = *state;
	struct call	 c;

	call_init(&c, SUITE_DATE);
	call_sign(&c, SUITE_SECRET);
	c.req.http.body = (const unsigned char *)"{\"SecretId\":\"dc\"}";
	assert_rejected(&c, f, STATUS_INVALID_SIGNATURE,
	    "The request signature we calculated does not match the signature "
	    "you provided. Check your AWS Secret Access Key and signing method. "
	    "Consult the service documentation for details.");
	free(c.authorization);
}

static void
test_wrong_secret_is_rejected(void **state)
{
	struct fixture	*f = *state;
	struct call	 c;

	call_init(&c, SUITE_DATE);
	call_sign(&c, "not-the-secret");
	assert_rejected(&c, f, STATUS_INVALID_SIGNATURE,
	    "The request signature we calculated does not match the signature "
	    "you provided. Check your AWS Secret Access Key and signing method. "
	    "Consult the service documentation for details.");
	free(c.authorization);
}

static void
test_expired_signature_names_both_times(void **state)
{
	struct fixture	*f = *state;
	struct call	 c;

	call_init(&c, "20130524T000000Z");
	call_sign(&c, SUITE_SECRET);
	c.req.now = 1369354200;		/* 20130524T001000Z */
	assert_rejected(&c, f, STATUS_INVALID_SIGNATURE,
	    "Signature expired: 20130524T000000Z is now earlier than "
	    "20130524T000500Z (20130524T001000Z - 5 min.)");
	free(c.authorization);
}

static void
test_future_signature_names_both_times(void **state)
{
	struct fixture	*f = *state;
	struct call	 c;

	call_init(&c, "20130524T002000Z");
	call_sign(&c, SUITE_SECRET);
	c.req.now = 1369354200;		/* 20130524T001000Z */
	assert_rejected(&c, f, STATUS_INVALID_SIGNATURE,
	    "Signature not yet current: 20130524T002000Z is still later than "
	    "20130524T001500Z (20130524T001000Z + 5 min.)");
	free(c.authorization);
}

static void
test_signature_at_edge_of_window_is_accepted(void **state)
{
	struct fixture	*f = *state;
	struct auth_result result;
	struct error	 err;
	struct call	 c;

	call_init(&c, SUITE_DATE);
	call_sign(&c, SUITE_SECRET);
	c.req.now = NOW + 300;
	assert_int_equal(call_verify(&c, f, NULL, &result, &err), STATUS_OK);
	c.req.now = NOW - 300;
	assert_int_equal(call_verify(&c, f, NULL, &result, &err), STATUS_OK);
	c.req.now = NOW + 301;
	assert_int_equal(call_verify(&c, f, NULL, &result, &err),
	    STATUS_INVALID_SIGNATURE);
	free(c.authorization);
}

static void
test_unknown_access_key_is_unrecognized_client(void **state)
{
	struct fixture	*f = *state;
	struct call	 c;

	call_init(&c, SUITE_DATE);
	call_sign_as(&c, "AKIAUNKNOWN", SUITE_SECRET, "secretsmanager", NULL);
	assert_rejected(&c, f, STATUS_UNRECOGNIZED_CLIENT,
	    "The security token included in the request is invalid.");
	free(c.authorization);
}

static void
test_missing_authorization_is_missing_token(void **state)
{
	struct fixture	*f = *state;
	struct call	 c;

	call_init(&c, SUITE_DATE);
	c.req.http.header_count = c.header_count;
	assert_rejected(&c, f, STATUS_MISSING_AUTH,
	    "Missing Authentication Token");
	assert_int_equal(f->lookup_count, 0);
}

static void
test_non_sigv4_authorization_is_missing_token(void **state)
{
	struct fixture	*f = *state;
	struct call	 c;

	call_init(&c, SUITE_DATE);
	call_set_authorization(&c, "Bearer eyJhbGciOiJIUzI1NiJ9.e30.x");
	assert_rejected(&c, f, STATUS_MISSING_AUTH,
	    "Missing Authentication Token");
}

static void
test_incomplete_header_names_each_missing_part(void **state)
{
	struct fixture	*f = *state;
	struct call	 c;

	call_init(&c, SUITE_DATE);
	call_set_authorization(&c, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"
	    "20150830/us-east-1/secretsmanager/aws4_request");
	assert_rejected(&c, f, STATUS_INCOMPLETE_SIGNATURE,
	    "Authorization header requires 'Signature' parameter. "
	    "Authorization header requires 'SignedHeaders' parameter. "
	    "Authorization=AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/"
	    "us-east-1/secretsmanager/aws4_request");

	c.header_count = 1;		/* Host only: no X-Amz-Date either */
	call_set_authorization(&c, "AWS4-HMAC-SHA256");
	assert_rejected(&c, f, STATUS_INCOMPLETE_SIGNATURE,
	    "Authorization header requires 'Credential' parameter. "
	    "Authorization header requires 'Signature' parameter. "
	    "Authorization header requires 'SignedHeaders' parameter. "
	    "Authorization header requires existence of either a 'X-Amz-Date' "
	    "or a 'Date' header. Authorization=AWS4-HMAC-SHA256");
}

static void
test_missing_date_is_incomplete_signature(void **state)
{
	struct fixture	*f = *state;
	struct call	 c;
	char		 want[1024];

	call_init(&c, SUITE_DATE);
	call_sign(&c, SUITE_SECRET);
	c.headers[1].name = "X-Not-A-Date";
	snprintf(want, sizeof(want), "Authorization header requires existence "
	    "of either a 'X-Amz-Date' or a 'Date' header. Authorization=%s",
	    c.authorization);
	assert_rejected(&c, f, STATUS_INCOMPLETE_SIGNATURE, want);
	free(c.authorization);
}

static void
test_pair_without_equal_sign_is_named(void **state)
{
	struct fixture	*f = *state;
	struct call	 c;

	call_init(&c, SUITE_DATE);
	call_set_authorization(&c, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE "
	    "/20150830/us-east-1/secretsmanager/aws4_request, "
	    "SignedHeaders=host;x-amz-date, Signature=abc");
	assert_rejected(&c, f, STATUS_INCOMPLETE_SIGNATURE,
	    "'/20150830/us-east-1/secretsmanager/aws4_request' not a valid "
	    "key=value pair (missing equal-sign) in Authorization header: "
	    "'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE /20150830/us-east-1/"
	    "secretsmanager/aws4_request, SignedHeaders=host;x-amz-date, "
	    "Signature=abc'.");
}

static void
test_unsupported_algorithm_is_incomplete_signature(void **state)
{
	struct fixture	*f = *state;
	struct call	 c;

	call_init(&c, SUITE_DATE);
	call_set_authorization(&c, "AWS4-HMAC-SHA25 Credential=AKIDEXAMPLE/"
	    "20150830/us-east-1/secretsmanager/aws4_request, "
	    "SignedHeaders=host;x-amz-date, Signature=abc");
	assert_rejected(&c, f, STATUS_INCOMPLETE_SIGNATURE,
	    "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA25' (only "
	    "AWS4-HMAC-SHA256 for now). ");
}

static void
test_credential_needs_five_elements(void **state)
{
	struct fixture	*f = *state;
	struct call	 c;

	call_init(&c, SUITE_DATE);
	call_set_authorization(&c, "AWS4-HMAC-SHA256 Credential=a/b/c/d, "
	    "SignedHeaders=host;x-amz-date, Signature=abc");
	assert_rejected(&c, f, STATUS_INCOMPLETE_SIGNATURE,
	    "Credential must have exactly 5 slash-delimited elements, e.g. "
	    "keyid/date/region/service/term, got 'a/b/c/d'");
	call_set_authorization(&c, "AWS4-HMAC-SHA256 Credential=a/b/c/d/e/f, "
	    "SignedHeaders=host;x-amz-date, Signature=abc");
	assert_rejected(&c, f, STATUS_INCOMPLETE_SIGNATURE,
	    "Credential must have exactly 5 slash-delimited elements, e.g. "
	    "keyid/date/region/service/term, got 'a/b/c/d/e/f'");
	call_set_authorization(&c, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"
	    "20150830/us-east-1/secretsmanager/aws5_request, "
	    "SignedHeaders=host;x-amz-date, Signature=abc");
	assert_rejected(&c, f, STATUS_INVALID_SIGNATURE,
	    "Credential should be scoped with a valid terminator: "
	    "'aws4_request', not 'aws5_request'. ");
}

static void
test_host_must_be_signed(void **state)
{
	struct fixture	*f = *state;
	struct call	 c;

	call_init(&c, SUITE_DATE);
	call_sign_as(&c, SUITE_KEY_ID, SUITE_SECRET, "secretsmanager",
	    "x-amz-date;x-amz-target");
	assert_rejected(&c, f, STATUS_INVALID_SIGNATURE,
	    "'Host' or ':authority' must be a 'SignedHeader' in the AWS "
	    "Authorization.");
	free(c.authorization);
}

static void
test_amz_date_must_be_signed(void **state)
{
	struct fixture	*f = *state;
	struct call	 c;

	call_init(&c, SUITE_DATE);
	call_sign_as(&c, SUITE_KEY_ID, SUITE_SECRET, "secretsmanager",
	    "host;x-amz-target");
	assert_rejected(&c, f, STATUS_INVALID_SIGNATURE,
	    "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.");
	free(c.authorization);
}

static void
test_date_header_in_http_form_is_accepted(void **state)
{
	struct fixture	*f = *state;
	struct auth_result result;
	struct error	 err;
	struct call	 c;

	call_init(&c, SUITE_DATE);
	c.headers[1] = (struct sigv4_header){ "Date",
	    "Sun, 30 Aug 2015 12:36:00 GMT" };
	c.req.http.header_count = c.header_count;
	c.authorization = NULL;
	assert_int_equal(sigv4_sign(&c.req.http, SUITE_KEY_ID, SUITE_SECRET,
	    "us-east-1", "secretsmanager", SUITE_DATE, "date;host",
	    &c.authorization), STATUS_OK);
	call_set_authorization(&c, c.authorization);
	assert_int_equal(call_verify(&c, f, NULL, &result, &err), STATUS_OK);
	free(c.authorization);
}

static void
test_bad_date_format_is_incomplete_signature(void **state)
{
	struct fixture	*f = *state;
	struct call	 c;

	call_init(&c, "201");
	call_set_authorization(&c, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"
	    "20150830/us-east-1/secretsmanager/aws4_request, "
	    "SignedHeaders=host;x-amz-date, Signature=abc");
	assert_rejected(&c, f, STATUS_INCOMPLETE_SIGNATURE,
	    "Date must be in ISO-8601 'basic format'. Got '201'. See "
	    "http://en.wikipedia.org/wiki/ISO_8601");
	c.headers[1].value = "20150231T123600Z";
	assert_rejected(&c, f, STATUS_INCOMPLETE_SIGNATURE,
	    "Date must be in ISO-8601 'basic format'. Got '20150231T123600Z'. "
	    "See http://en.wikipedia.org/wiki/ISO_8601");
}

static void
test_scope_date_must_match_request_date(void **state)
{
	struct fixture	*f = *state;
	struct call	 c;

	call_init(&c, SUITE_DATE);
	call_set_authorization(&c, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"
	    "20150831/us-east-1/secretsmanager/aws4_request, "
	    "SignedHeaders=host;x-amz-date, Signature=abc");
	assert_rejected(&c, f, STATUS_INVALID_SIGNATURE,
	    "Date in Credential scope does not match YYYYMMDD from ISO-8601 "
	    "version of date from HTTP: '20150831' != '20150830', from "
	    "'20150830T123600Z'.");
}

static void
test_scope_problems_are_reported_together(void **state)
{
	struct fixture	*f = *state;
	struct call	 c;

	call_init(&c, SUITE_DATE);
	call_set_authorization(&c, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"
	    "b/US_EAST/kms/aws4_request, SignedHeaders=host;x-amz-date, "
	    "Signature=abc");
	assert_rejected(&c, f, STATUS_INVALID_SIGNATURE,
	    "Credential should be scoped to a valid region, not 'US_EAST'. "
	    "Credential should be scoped to correct service: 'secretsmanager'. "
	    "Date in Credential scope does not match YYYYMMDD from ISO-8601 "
	    "version of date from HTTP: 'b' != '20150830', from "
	    "'20150830T123600Z'.");
}

static void
test_wrong_service_scope_is_rejected(void **state)
{
	struct fixture	*f = *state;
	struct call	 c;

	call_init(&c, SUITE_DATE);
	call_sign_as(&c, SUITE_KEY_ID, SUITE_SECRET, "kms", NULL);
	assert_rejected(&c, f, STATUS_INVALID_SIGNATURE,
	    "Credential should be scoped to correct service: "
	    "'secretsmanager'. ");
	assert_int_equal(f->lookup_count, 0);
	free(c.authorization);
}

static void
test_content_sha256_must_match_body(void **state)
{
	struct fixture	*f = *state;
	struct auth_result result;
	struct error	 err;
	struct call	 c;
	char		 hash[65];

	call_init(&c, SUITE_DATE);
	sigv4_hash_hex(c.body, strlen(c.body), hash);
	c.headers[4] = (struct sigv4_header){ "X-Amz-Content-Sha256", hash };
	c.header_count = 5;
	call_sign(&c, SUITE_SECRET);
	assert_int_equal(call_verify(&c, f, NULL, &result, &err), STATUS_OK);

	/* A client that signs a claimed hash for a different body. */
	c.headers[4].value = EMPTY_HASH;
	call_sign(&c, SUITE_SECRET);
	assert_rejected(&c, f, STATUS_INVALID_SIGNATURE,
	    "The request signature we calculated does not match the signature "
	    "you provided. Check your AWS Secret Access Key and signing method. "
	    "Consult the service documentation for details.");
	free(c.authorization);
}

static void
test_security_token_is_signed_over(void **state)
{
	struct fixture	*f = *state;
	struct auth_result result;
	struct error	 err;
	struct call	 c;

	call_init(&c, SUITE_DATE);
	c.headers[4] = (struct sigv4_header){ "X-Amz-Security-Token",
	    SUITE_TOKEN };
	c.header_count = 5;
	call_sign(&c, SUITE_SECRET);
	assert_int_equal(call_verify(&c, f, NULL, &result, &err), STATUS_OK);
	c.headers[4].value = "another-token";
	assert_int_equal(call_verify(&c, f, NULL, &result, &err),
	    STATUS_INVALID_SIGNATURE);
	free(c.authorization);
}

static void
test_cache_hit_accepts_and_secret_change_invalidates(void **state)
{
	struct fixture	*f = *state;
	struct sigv4_cache *cache = sigv4_cache_new();
	struct auth_result result;
	struct error	 err;
	struct call	 c;

	assert_non_null(cache);
	call_init(&c, SUITE_DATE);
	call_sign(&c, SUITE_SECRET);
	assert_int_equal(call_verify(&c, f, cache, &result, &err), STATUS_OK);
	/* Second time round the key comes from the cache. */
	assert_int_equal(call_verify(&c, f, cache, &result, &err), STATUS_OK);
	assert_string_equal(result.principal.arn, USER_ARN);

	/* The key was rotated: the cached key for the old secret must not
	 * accept the old signature, and the new one must verify. */
	f->secret = "rotated-secret-access-key";
	assert_int_equal(call_verify(&c, f, cache, &result, &err),
	    STATUS_INVALID_SIGNATURE);
	call_sign(&c, "rotated-secret-access-key");
	assert_int_equal(call_verify(&c, f, cache, &result, &err), STATUS_OK);
	assert_int_equal(call_verify(&c, f, cache, &result, &err), STATUS_OK);

	/* A wrong signature is still wrong with a warm cache. */
	call_sign(&c, SUITE_SECRET);
	assert_int_equal(call_verify(&c, f, cache, &result, &err),
	    STATUS_INVALID_SIGNATURE);
	f->secret = SUITE_SECRET;
	free(c.authorization);
	sigv4_cache_free(cache);
	sigv4_cache_free(NULL);
}

static void
test_cache_keeps_scopes_apart(void **state)
{
	struct fixture	*f = *state;
	struct sigv4_cache *cache = sigv4_cache_new();
	struct auth_result result;
	struct error	 err;
	struct call	 c;

	assert_non_null(cache);
	call_init(&c, SUITE_DATE);
	c.req.expected_service = NULL;
	call_sign_as(&c, SUITE_KEY_ID, SUITE_SECRET, "secretsmanager", NULL);
	assert_int_equal(call_verify(&c, f, cache, &result, &err), STATUS_OK);
	call_sign_as(&c, SUITE_KEY_ID, SUITE_SECRET, "kms", NULL);
	assert_int_equal(call_verify(&c, f, cache, &result, &err), STATUS_OK);
	assert_string_equal(result.service, "kms");
	assert_int_equal(call_verify(&c, f, cache, &result, &err), STATUS_OK);
	free(c.authorization);
	sigv4_cache_free(cache);
}

struct worker {
	struct fixture		*fixture;
	struct sigv4_cache	*cache;
	const char		*amz_date;
	int			 failures;
};

static void *
worker_run(void *arg)
{
	struct worker	*w = arg;
	struct auth_result result;
	struct error	 err;
	struct call	 c;
	int		 i;

	call_init(&c, w->amz_date);
	call_sign(&c, SUITE_SECRET);
	c.req.now = NOW + 120;
	for (i = 0; i < 200; i++)
		if (call_verify(&c, w->fixture, w->cache, &result, &err) !=
		    STATUS_OK)
			w->failures++;
	free(c.authorization);
	return NULL;
}

static void
test_cache_is_shared_safely_between_threads(void **state)
{
	struct fixture	*f = *state;
	struct sigv4_cache *cache = sigv4_cache_new();
	static const char *const dates[] = { "20150830T123600Z",
	    "20150830T123700Z", "20150830T123800Z", "20150830T123900Z" };
	struct worker	 workers[4];
	pthread_t	 threads[4];
	int		 i;

	assert_non_null(cache);
	for (i = 0; i < 4; i++) {
		workers[i] = (struct worker){ f, cache, dates[i], 0 };
		assert_int_equal(pthread_create(&threads[i], NULL, worker_run,
		    &workers[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(threads[i], NULL), 0);
		assert_int_equal(workers[i].failures, 0);
	}
	sigv4_cache_free(cache);
}

/* A presigned ListSecrets dated SUITE_DATE (NOW) with X-Amz-Expires=expires
 * (left out when NULL), signed, into query. */
static void
presigned_query(const char *expires, char *query, size_t size)
{
	static const struct sigv4_header headers[] = {
		{ "Host", "secretsmanager.us-east-1.amazonaws.com" },
	};
	struct sigv4_request http = { "GET", "/", NULL, headers, 1, NULL, 0 };
	char		*canonical = NULL, *sts = NULL;
	char		 signature[65], base[512];
	unsigned char	 key[SIGV4_HASH_LEN];

	snprintf(base, sizeof(base), "Action=ListSecrets&X-Amz-Algorithm="
	    "AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%%2F20150830%%2F"
	    "us-east-1%%2Fsecretsmanager%%2Faws4_request&X-Amz-Date="
	    SUITE_DATE "%s%s&X-Amz-SignedHeaders=host",
	    expires != NULL ? "&X-Amz-Expires=" : "",
	    expires != NULL ? expires : "");
	http.query = base;
	assert_int_equal(sigv4_canonical_request(&http, "host", EMPTY_HASH,
	    &canonical), STATUS_OK);
	assert_int_equal(sigv4_string_to_sign(SUITE_DATE,
	    "20150830/us-east-1/secretsmanager/aws4_request", canonical, &sts),
	    STATUS_OK);
	sigv4_signing_key(SUITE_SECRET, "20150830", "us-east-1",
	    "secretsmanager", key);
	sigv4_signature(key, sts, signature);
	snprintf(query, size, "%s&X-Amz-Signature=%s", base, signature);
	free(canonical);
	free(sts);
}

/* presigned_query checked at now; tamper flips its signature's last
 * digit. */
static enum status
presigned_verify(struct fixture *f, const char *expires, time_t now,
    bool tamper, struct auth_result *result, struct error *err)
{
	static const struct sigv4_header headers[] = {
		{ "Host", "secretsmanager.us-east-1.amazonaws.com" },
	};
	struct auth_request req;
	char		 query[1024];

	presigned_query(expires, query, sizeof(query));
	if (tamper)
		query[strlen(query) - 1] ^= 1;
	memset(&req, 0, sizeof(req));
	req.http = (struct sigv4_request){ "GET", "/", query, headers, 1,
	    NULL, 0 };
	req.now = now;
	req.max_skew_seconds = 300;
	req.expected_service = "secretsmanager";
	return sigv4_verify(&req, fixture_lookup, f, NULL, result, err);
}

static enum status
expiry_verify(struct fixture *f, const char *expires, time_t now,
    struct error *err)
{
	struct auth_result result;

	return presigned_verify(f, expires, now, false, &result, err);
}

static void
test_presigned_query_is_accepted(void **state)
{
	struct fixture	*f = *state;
	struct auth_result result;
	struct error	 err;

	assert_int_equal(presigned_verify(f, "300", NOW, false, &result, &err),
	    STATUS_OK);
	assert_string_equal(result.principal.arn, USER_ARN);
	assert_int_equal(presigned_verify(f, "300", NOW, true, &result, &err),
	    STATUS_INVALID_SIGNATURE);
}

/* X-Amz-Expires bounds a presigned request, shorter or longer than the
 * clock skew; without it the skew alone does. */
static void
test_presigned_query_honours_its_expiry(void **state)
{
	struct fixture	*f = *state;
	struct error	 err;

	assert_int_equal(expiry_verify(f, "60", NOW + 60, &err), STATUS_OK);
	assert_int_equal(expiry_verify(f, "60", NOW + 61, &err),
	    STATUS_INVALID_SIGNATURE);
	assert_string_equal(err.message, "Signature expired: 20150830T123600Z "
	    "is now earlier than 20150830T123601Z (20150830T123701Z - 60 "
	    "sec.)");
	assert_int_equal(expiry_verify(f, "900", NOW + 900, &err),
	    STATUS_OK);
	assert_int_equal(expiry_verify(f, "900", NOW + 901, &err),
	    STATUS_INVALID_SIGNATURE);
	assert_int_equal(expiry_verify(f, "900", NOW - 300, &err),
	    STATUS_OK);
	assert_int_equal(expiry_verify(f, "900", NOW - 301, &err),
	    STATUS_INVALID_SIGNATURE);
	assert_non_null(strstr(err.message, "not yet current"));
	assert_int_equal(expiry_verify(f, NULL, NOW + 300, &err),
	    STATUS_OK);
	assert_int_equal(expiry_verify(f, NULL, NOW + 301, &err),
	    STATUS_INVALID_SIGNATURE);
	assert_int_equal(expiry_verify(f, "604800", NOW + 604800, &err),
	    STATUS_OK);
}

static void
test_presigned_query_refuses_a_bad_expiry(void **state)
{
	struct fixture	*f = *state;
	struct error	 err;
	static const char *const bad[] = {
		"0", "604801", "99999999999999999999", "-5", "6O", "",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(expiry_verify(f, bad[i], NOW, &err),
		    STATUS_INCOMPLETE_SIGNATURE);
		assert_non_null(strstr(err.message, "X-Amz-Expires must be"));
	}
}

static void
test_query_auth_names_missing_parameters(void **state)
{
	struct fixture	*f = *state;
	struct call	 c;

	call_init(&c, SUITE_DATE);
	c.req.http.header_count = c.header_count;
	c.req.http.query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=x";
	assert_rejected(&c, f, STATUS_INCOMPLETE_SIGNATURE,
	    "AWS query-string parameters must include 'X-Amz-Credential'. "
	    "AWS query-string parameters must include 'X-Amz-Signature'. "
	    "AWS query-string parameters must include 'X-Amz-SignedHeaders'. "
	    "Re-examine the query-string parameters.");
}

static void
test_header_and_query_auth_together_are_rejected(void **state)
{
	struct fixture	*f = *state;
	struct call	 c;

	call_init(&c, SUITE_DATE);
	call_sign(&c, SUITE_SECRET);
	c.req.http.query = "X-Amz-Algorithm=AWS4-HMAC-SHA256";
	assert_rejected(&c, f, STATUS_INVALID_SIGNATURE,
	    "Found both 'X-Amz-Algorithm' as a query-string param and "
	    "'Authorization' as HTTP header.");
	free(c.authorization);
}

/* ---- authorisation ---- */

static struct principal
alice(void)
{
	struct principal p;

	memset(&p, 0, sizeof(p));
	snprintf(p.account_id, sizeof(p.account_id), ACCOUNT);
	snprintf(p.arn, sizeof(p.arn), USER_ARN);
	return p;
}

static void
test_own_account_resource_is_allowed(void **state)
{
	struct principal p = alice();
	struct error	 err;

	(void)state;
	assert_int_equal(auth_authorize(&p, "secretsmanager:GetSecretValue",
	    "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
	    ACCOUNT, NULL, &err), STATUS_OK);
	assert_int_equal(auth_authorize(&p, "secretsmanager:ListSecrets", "*",
	    NULL, NULL, &err), STATUS_OK);
}

static void
test_other_account_resource_is_denied_naming_all_three(void **state)
{
	struct principal p = alice();
	struct error	 err;

	(void)state;
	error_clear(&err);
	assert_int_equal(auth_authorize(&p, "secretsmanager:GetSecretValue",
	    "arn:aws:secretsmanager:us-east-1:210987654321:secret:db-AbCdEf",
	    "210987654321", NULL, &err), STATUS_ACCESS_DENIED);
	assert_string_equal(err.message, "User: " USER_ARN " is not authorized "
	    "to perform: secretsmanager:GetSecretValue on resource: "
	    "arn:aws:secretsmanager:us-east-1:210987654321:secret:db-AbCdEf "
	    "because no resource-based policy allows the "
	    "secretsmanager:GetSecretValue action");
	assert_int_equal(auth_authorize(&p, "secretsmanager:ListSecrets", "*",
	    "210987654321", NULL, &err), STATUS_ACCESS_DENIED);
	assert_string_equal(err.message, "User: " USER_ARN " is not authorized "
	    "to perform: secretsmanager:ListSecrets because no identity-based "
	    "policy allows the secretsmanager:ListSecrets action");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_suite_vectors_match_published_signatures),
		cmocka_unit_test(test_iam_documentation_example_signs_as_published),
		cmocka_unit_test(test_signing_key_matches_documented_derivation),
		cmocka_unit_test(test_long_secret_derives_same_key_as_plain_hmac_chain),
		cmocka_unit_test(test_path_is_encoded_once_more_than_received),
		cmocka_unit_test(test_query_is_decoded_reencoded_and_sorted),
		cmocka_unit_test(test_parse_authorization_fills_every_field),
#define T(fn)	cmocka_unit_test_setup_teardown(fn, fixture_setup, fixture_teardown)
		T(test_valid_signature_is_accepted_and_names_principal),
		T(test_published_vector_verifies),
		T(test_tampered_body_is_rejected),
		T(test_wrong_secret_is_rejected),
		T(test_expired_signature_names_both_times),
		T(test_presigned_query_honours_its_expiry),
		T(test_presigned_query_refuses_a_bad_expiry),
		T(test_future_signature_names_both_times),
		T(test_signature_at_edge_of_window_is_accepted),
		T(test_unknown_access_key_is_unrecognized_client),
		T(test_missing_authorization_is_missing_token),
		T(test_non_sigv4_authorization_is_missing_token),
		T(test_incomplete_header_names_each_missing_part),
		T(test_missing_date_is_incomplete_signature),
		T(test_pair_without_equal_sign_is_named),
		T(test_unsupported_algorithm_is_incomplete_signature),
		T(test_credential_needs_five_elements),
		T(test_host_must_be_signed),
		T(test_amz_date_must_be_signed),
		T(test_date_header_in_http_form_is_accepted),
		T(test_bad_date_format_is_incomplete_signature),
		T(test_scope_date_must_match_request_date),
		T(test_scope_problems_are_reported_together),
		T(test_wrong_service_scope_is_rejected),
		T(test_content_sha256_must_match_body),
		T(test_security_token_is_signed_over),
		T(test_cache_hit_accepts_and_secret_change_invalidates),
		T(test_cache_keeps_scopes_apart),
		T(test_cache_is_shared_safely_between_threads),
		T(test_presigned_query_is_accepted),
		T(test_query_auth_names_missing_parameters),
		T(test_header_and_query_auth_together_are_rejected),
#undef T
		cmocka_unit_test(test_own_account_resource_is_allowed),
		cmocka_unit_test(test_other_account_resource_is_denied_naming_all_three),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
