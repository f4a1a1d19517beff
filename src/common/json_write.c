/*
 * json_write.c: jansson values to compact JSON text in one buffer.
 *
 * json_dumps hands every fragment to a callback that appends it to a
 * reallocated strbuffer, and looks at strings one code point at a time;
 * on GetSecretValue that was a tenth of the request.  Here plain runs of a
 * string are copied whole and dates skip snprintf.
 *
 * The output must stay byte-identical to jansson 2.14 (dump.c and
 * strconv.c's jsonp_dtostr), as clients and the audit chain have seen it:
 * objects in iteration (insertion) order; "," and ":" without spaces;
 * strings escape '"', '\\' and controls below 0x20 (\b \f \n \r \t, else
 * \u00XX in upper case), leave '/' and UTF-8 alone, and fail on invalid
 * UTF-8; integers as %lld; reals as "%.*g" with ".0" appended when neither
 * '.' nor 'e' is present and the exponent's '+' and leading zeros removed.
 * tests/unit/test_json_write.c compares the two on a corpus.
 *
 * Thread-safety: no shared state.
 */
#include <locale.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json_write.h"

#define WRITER_FIRST_CAP	256

/*
 * Room for n more bytes and the terminator.  The old buffer may hold a
 * secret, so it is copied and wiped rather than realloc'd (realloc can
 * move it and leave the old bytes behind in freed memory).
 */
bool
json_text_reserve(struct json_text *w, size_t n)
{
	size_t	 cap;
	char	*bigger;

	if (w->is_failed)
		return false;
	if (n < w->cap - w->len)
		return true;
	if (n > SIZE_MAX / 4 - w->len) {
		w->is_failed = true;
		return false;
	}
	cap = w->cap == 0 ? WRITER_FIRST_CAP : w->cap * 2;
	if (cap < w->len + n + 1)
		cap = w->len + n + 1;
	if ((bigger = malloc(cap)) == NULL) {
		w->is_failed = true;
		return false;
	}
	if (w->data != NULL) {
		memcpy(bigger, w->data, w->len);
		explicit_bzero(w->data, w->cap);
		free(w->data);
	}
	w->data = bigger;
	w->cap = cap;
	return true;
}

void
json_text_put(struct json_text *w, const void *p, size_t n)
{
	if (!json_text_reserve(w, n))
		return;
	memcpy(w->data + w->len, p, n);
	w->len += n;
}

static void
writer_byte(struct json_text *w, char c)
{
	if (!json_text_reserve(w, 1))
		return;
	w->data[w->len++] = c;
}

/*
 * Length of the UTF-8 sequence starting a multi-byte character at p, or 0
 * when jansson's utf8_iterate would refuse it: a bad lead byte, a cut
 * sequence, a missing continuation, an overlong form, a surrogate or a
 * code point beyond U+10FFFF.
 */
static size_t
utf8_sequence_len(const unsigned char *p, size_t avail)
{
	uint32_t	 cp;
	size_t		 n;

	if (p[0] >= 0xC2 && p[0] <= 0xDF) {
		n = 2;
		cp = p[0] & 0x1F;
	} else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
		n = 3;
		cp = p[0] & 0x0F;
	} else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
		n = 4;
		cp = p[0] & 0x07;
	} else
		return 0;
	if (n > avail)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) ||
	    (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000))
		return 0;
	return n;
}

/* Bytes that end a plain run: controls, '"', '\\' and non-ASCII. */
static const unsigned char special[256] = {
	[0x00 ... 0x1F] = 1,
	['"'] = 1,
	['\\'] = 1,
	[0x80 ... 0xFF] = 1,
};

/* false, with w left mid-string, when s is not valid UTF-8. */
static bool
write_string(struct json_text *w, const char *s, size_t n)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p = (const unsigned char *)s;
	const unsigned char	*end = p + n, *run = p;
	char			 esc[6];
	size_t			 seq;

	writer_byte(w, '"');
	while (p < end) {
		if (!special[*p]) {
			p++;
			continue;
		}
		if (*p >= 0x80) {
			if ((seq = utf8_sequence_len(p,
			    (size_t)(end - p))) == 0)
				return false;
			p += seq;
			continue;
		}
		json_text_put(w, run, (size_t)(p - run));
		esc[0] = '\\';
		switch (*p) {
		case '"':
		case '\\':
			esc[1] = (char)*p;
			break;
		case '\b':
			esc[1] = 'b';
			break;
		case '\f':
			esc[1] = 'f';
			break;
		case '\n':
			esc[1] = 'n';
			break;
		case '\r':
			esc[1] = 'r';
			break;
		case '\t':
			esc[1] = 't';
			break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[*p >> 4];
			esc[5] = hex[*p & 0xF];
			json_text_put(w, esc, 6);
			run = ++p;
			continue;
		}
		json_text_put(w, esc, 2);
		run = ++p;
	}
	json_text_put(w, run, (size_t)(p - run));
	writer_byte(w, '"');
	return true;
}

static void
write_unsigned(struct json_text *w, unsigned long long u, bool is_negative)
{
	char	 digits[24], *p = digits + sizeof(digits);

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (is_negative)
		*--p = '-';
	json_text_put(w, p, (size_t)(digits + sizeof(digits) - p));
}

static void
write_integer(struct json_text *w, json_int_t v)
{
	/* Negated as unsigned so that INT64_MIN has a magnitude. */
	if (v < 0)
		write_unsigned(w, 0ULL - (unsigned long long)v, true);
	else
		write_unsigned(w, (unsigned long long)v, false);
}

/*
 * Dates are epoch seconds with milliseconds, and snprintf("%.13g") costs
 * thousands of instructions.  Where v is the double nearest to m / 1000 for
 * an integer m and 1 <= v < 1e10, "%.13g" prints m / 1000 exactly: v has
 * 1 to 10 integer digits, so %g uses fixed notation with 12 - X >= 3
 * decimals, and v lies within half an ulp (at most 2^-20 below 2^34) of
 * m / 1000, far inside the half unit of the last printed decimal (at
 * least 5e-4 scaled by the same power of ten), so rounding lands on
 * m / 1000.  %g then drops trailing zeros and the point, and jansson puts
 * back ".0".  Whatever m is tried, the exact comparison decides.
 */
static bool
write_milliseconds(struct json_text *w, double v)
{
	unsigned long long	 m;
	unsigned		 frac;
	char			 tail[4];
	size_t			 n = 1;

	if (!(v >= 1.0 && v < 1e10))
		return false;
	m = (unsigned long long)(v * 1000.0 + 0.5);
	if ((double)m / 1000.0 != v)
		return false;
	write_unsigned(w, m / 1000, false);
	frac = (unsigned)(m % 1000);
	tail[0] = '.';
	if (frac == 0)
		tail[n++] = '0';
	else {
		tail[n++] = (char)('0' + frac / 100);
		if (frac % 100 != 0) {
			tail[n++] = (char)('0' + frac / 10 % 10);
			if (frac % 10 != 0)
				tail[n++] = (char)('0' + frac % 10);
		}
	}
	json_text_put(w, tail, n);
	return true;
}

static void
write_real(struct json_text *w, double v, int precision)
{
	char		 text[64], *e, *digits, *from;
	const char	*point;
	int		 ret;
	size_t		 len;

	if (!isfinite(v)) {
		w->is_failed = true;
		return;
	}
	if (precision == 13 && write_milliseconds(w, v))
		return;
	ret = snprintf(text, sizeof(text), "%.*g", precision, v);
	if (ret < 0 || (size_t)ret + 3 > sizeof(text)) {
		w->is_failed = true;
		return;
	}
	len = (size_t)ret;
	/* jansson writes '.' whatever LC_NUMERIC says. */
	point = localeconv()->decimal_point;
	if (point[0] != '.' && (from = strchr(text, point[0])) != NULL)
		*from = '.';
	/* A real must not read back as an integer. */
	if (strchr(text, '.') == NULL && strchr(text, 'e') == NULL) {
		memcpy(text + len, ".0", 3);
		len += 2;
	}
	if ((e = strchr(text, 'e')) != NULL) {
		digits = e + 1;
		if (*digits == '-')
			digits++;
		from = digits;
		if (*from == '+')
			from++;
		while (*from == '0')
			from++;
		memmove(digits, from, len + 1 - (size_t)(from - text));
		len -= (size_t)(from - digits);
	}
	json_text_put(w, text, len);
}

static void
write_value(struct json_text *w, const json_t *value, int precision, int depth)
{
	void	*iter;
	size_t	 count;

	if (value == NULL || depth > JSON_WRITE_DEPTH_MAX) {
		w->is_failed = true;
		return;
	}
	switch (json_typeof(value)) {
	case JSON_NULL:
		json_text_put(w, "null", 4);
		break;
	case JSON_TRUE:
		json_text_put(w, "true", 4);
		break;
	case JSON_FALSE:
		json_text_put(w, "false", 5);
		break;
	case JSON_INTEGER:
		write_integer(w, json_integer_value(value));
		break;
	case JSON_REAL:
		write_real(w, json_real_value(value), precision);
		break;
	case JSON_STRING:
		if (!write_string(w, json_string_value(value),
		    json_string_length(value)))
			w->is_failed = true;
		break;
	case JSON_ARRAY:
		writer_byte(w, '[');
		count = json_array_size(value);
		for (size_t i = 0; i < count && !w->is_failed; i++) {
			if (i > 0)
				writer_byte(w, ',');
			write_value(w, json_array_get(value, i), precision,
			    depth + 1);
		}
		writer_byte(w, ']');
		break;
	case JSON_OBJECT:
		writer_byte(w, '{');
		/* jansson's iterators take a non-const object; none is changed. */
		iter = json_object_iter((json_t *)value);
		for (bool first = true; iter != NULL && !w->is_failed;
		    first = false) {
			if (!first)
				writer_byte(w, ',');
			if (!write_string(w, json_object_iter_key(iter),
			    json_object_iter_key_len(iter)))
				w->is_failed = true;
			writer_byte(w, ':');
			write_value(w, json_object_iter_value(iter), precision,
			    depth + 1);
			iter = json_object_iter_next((json_t *)value, iter);
		}
		writer_byte(w, '}');
		break;
	default:
		w->is_failed = true;
		break;
	}
}

bool
json_text_string(struct json_text *t, const char *s, size_t n)
{
	size_t	 start = t->len;

	if (write_string(t, s, n))
		return true;
	t->len = start;
	return false;
}

void
json_text_value(struct json_text *t, const json_t *value, int precision)
{
	if (precision < 0 || precision > 31) {
		t->is_failed = true;
		return;
	}
	write_value(t, value, precision == 0 ? 17 : precision, 1);
}

char *
json_text_finish(struct json_text *t, size_t *len_out)
{
	char	*data = t->data;

	if (!json_text_reserve(t, 0) || t->is_failed) {
		if (t->data != NULL) {
			explicit_bzero(t->data, t->cap);
			free(t->data);
		}
		data = NULL;
	} else {
		data[t->len] = '\0';
		if (len_out != NULL)
			*len_out = t->len;
	}
	memset(t, 0, sizeof(*t));
	return data;
}

char *
json_write_compact(const json_t *value, int precision, size_t *len_out)
{
	struct json_text t = { NULL, 0, 0, false };

	json_text_value(&t, value, precision);
	return json_text_finish(&t, len_out);
}
