/*
 * password.c: random passwords with AWS GetRandomPassword's rules, for that
 * operation and for the rotators.
 *
 * Classes: lowercase a-z, uppercase A-Z, digits 0-9, AWS's 32 punctuation
 * characters, and the space when asked for.  exclude_characters removes its
 * characters from every class.  RequireEachIncludedType covers the four
 * classes not switched off (AWS documents "at least one upper and lowercase
 * letter, one number, and one punctuation"; a space is admitted, never
 * required).  Refusals, in AWS's order and words:
 *   - a required class emptied by exclude_characters,
 *   - nothing left to draw from,
 *   - a length shorter than the number of required classes.
 *
 * Generation: one character from each required class, the rest drawn from
 * the union of included characters, then a Fisher-Yates shuffle so the
 * required characters sit at uniformly random positions.  Every draw goes
 * through random_uniform, so there is no modulo bias; the password is built
 * directly in a secret_buf.
 *
 * Thread-safety: no shared state; safe from any thread.
 */
#include <stdint.h>
#include <string.h>

#include "crypto/crypto.h"

#define PASSWORD_LENGTH_MAX	4096
#define PASSWORD_CLASS_COUNT	4

const char password_punctuation[] = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

static const char password_lowercase[] = "abcdefghijklmnopqrstuvwxyz";
static const char password_uppercase[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
static const char password_digits[] = "0123456789";

/*
 * AWS's messages for GetRandomPassword's InvalidParameterException, as
 * observed from the service (quoted by go-to-k/cdkd, measured against
 * CloudFormation, and by moto for the length message).
 */
#define PASSWORD_MSG_TYPE_EXCLUDED \
	"All characters of the desired type have been excluded."
#define PASSWORD_MSG_ALL_EXCLUDED \
	"All characters have been excluded from selection."
#define PASSWORD_MSG_TOO_SHORT \
	"Password length is too short based on the required types."

void
password_spec_default(struct password_spec *spec)
{
	memset(spec, 0, sizeof(*spec));
	spec->length = 32;
	spec->exclude_characters = NULL;
	spec->require_each_included_type = true;
}

/* The characters a spec allows, per class and in total. */
struct password_charset {
	char	 classes[PASSWORD_CLASS_COUNT][sizeof(password_punctuation)];
	size_t	 class_len[PASSWORD_CLASS_COUNT];
	bool	 is_required[PASSWORD_CLASS_COUNT];
	size_t	 required_count;
	char	 pool[26 + 26 + 10 + 32 + 1 + 1];	/* + space + NUL */
	size_t	 pool_len;
};

/* Copy to out the characters of src not excluded; returns their count. */
static size_t
password_class_filter(const char *src, const bool excluded[256], char *out)
{
	size_t	 n = 0;

	for (; *src != '\0'; src++)
		if (!excluded[(unsigned char)*src])
			out[n++] = *src;
	out[n] = '\0';
	return n;
}

/* Work out what spec allows, or refuse it with AWS's message. */
static enum status
password_charset_build(const struct password_spec *spec,
    struct password_charset *cs, struct error *err)
{
	const char	*sources[PASSWORD_CLASS_COUNT] = {
		password_lowercase, password_uppercase, password_digits,
		password_punctuation,
	};
	bool		 is_included[PASSWORD_CLASS_COUNT];
	bool		 excluded[256] = { false };
	const unsigned char *p;
	size_t		 i;

	memset(cs, 0, sizeof(*cs));
	if (spec->exclude_characters != NULL)
		for (p = (const unsigned char *)spec->exclude_characters;
		    *p != '\0'; p++)
			excluded[*p] = true;
	is_included[0] = !spec->exclude_lowercase;
	is_included[1] = !spec->exclude_uppercase;
	is_included[2] = !spec->exclude_numbers;
	is_included[3] = !spec->exclude_punctuation;
	for (i = 0; i < PASSWORD_CLASS_COUNT; i++) {
		if (!is_included[i])
			continue;
		cs->class_len[i] = password_class_filter(sources[i], excluded,
		    cs->classes[i]);
		memcpy(cs->pool + cs->pool_len, cs->classes[i],
		    cs->class_len[i]);
		cs->pool_len += cs->class_len[i];
		if (spec->require_each_included_type) {
			if (cs->class_len[i] == 0)
				return error_set(err, STATUS_INVALID_PARAMETER,
				    PASSWORD_MSG_TYPE_EXCLUDED);
			cs->is_required[i] = true;
			cs->required_count++;
		}
	}
	if (spec->include_space && !excluded[' '])
		cs->pool[cs->pool_len++] = ' ';
	cs->pool[cs->pool_len] = '\0';
	if (cs->pool_len == 0)
		return error_set(err, STATUS_INVALID_PARAMETER,
		    PASSWORD_MSG_ALL_EXCLUDED);
	if (spec->length < cs->required_count)
		return error_set(err, STATUS_INVALID_PARAMETER,
		    PASSWORD_MSG_TOO_SHORT);
	return STATUS_OK;
}

/* Store one uniform draw from alphabet (alphabet_len > 0) at *dst. */
static enum status
password_draw(const char *alphabet, size_t alphabet_len, unsigned char *dst)
{
	enum status	 st;
	uint32_t	 pick;

	if ((st = random_uniform((uint32_t)alphabet_len, &pick)) != STATUS_OK)
		return st;
	*dst = (unsigned char)alphabet[pick];
	return STATUS_OK;
}

/* Fill pw (empty, room for length) with one character of each required
 * class and the rest from the pool, then shuffle. */
static enum status
password_fill(const struct password_charset *cs, uint32_t length,
    struct secret_buf *pw)
{
	enum status	 st;
	unsigned char	 swap;
	uint32_t	 j;
	size_t		 i;

	for (i = 0; i < PASSWORD_CLASS_COUNT; i++)
		if (cs->is_required[i] && (st = password_draw(cs->classes[i],
		    cs->class_len[i], &pw->data[pw->len++])) != STATUS_OK)
			return st;
	while (pw->len < length)
		if ((st = password_draw(cs->pool, cs->pool_len,
		    &pw->data[pw->len++])) != STATUS_OK)
			return st;
	/* Fisher-Yates: every position equally likely for each character. */
	for (i = pw->len - 1; i > 0; i--) {
		if ((st = random_uniform((uint32_t)i + 1, &j)) != STATUS_OK)
			return st;
		swap = pw->data[i];
		pw->data[i] = pw->data[j];
		pw->data[j] = swap;
	}
	pw->data[pw->len] = '\0';
	return STATUS_OK;
}

enum status
password_generate(const struct password_spec *spec, struct secret_buf **out,
    struct error *err)
{
	enum status	 st = STATUS_INTERNAL;
	struct password_charset cs;
	struct secret_buf *pw = NULL;

	if (spec == NULL || out == NULL) {
		error_set(err, st, "no password spec");
		goto out;
	}
	if (spec->length == 0 || spec->length > PASSWORD_LENGTH_MAX) {
		st = error_set(err, STATUS_INVALID_PARAMETER,
		    "1 validation error detected: Value '%u' at "
		    "'passwordLength' failed to satisfy constraint: Member "
		    "must have value %s",
		    (unsigned)spec->length, spec->length == 0 ?
		    "greater than or equal to 1" :
		    "less than or equal to 4096");
		goto out;
	}
	if ((st = password_charset_build(spec, &cs, err)) != STATUS_OK)
		goto out;
	if ((pw = secret_buf_new(spec->length)) == NULL) {
		st = error_set(err, STATUS_NO_MEMORY, "out of memory");
		goto out;
	}
	if ((st = password_fill(&cs, spec->length, pw)) != STATUS_OK) {
		error_set(err, st, "cannot generate a password: no randomness");
		goto out;
	}
	*out = pw;
	pw = NULL;
	st = STATUS_OK;
out:
	secret_buf_free(pw);
	return st;
}
