/*
 * test_json_write.c: json_write_compact writes exactly what jansson's
 * json_dumps writes with the same flags (JSON_COMPACT, JSON_ENCODE_ANY,
 * JSON_REAL_PRECISION), on strings with every escape, UTF-8, embedded
 * NULs, integers at their limits, reals at every precision and the
 * millisecond dates that take the fast path, and refuses what jansson
 * refuses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>

#include "common/json_write.h"

/* Fixed-seed xorshift64*: the same corpus on every run. */
static uint64_t
next_random(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545F4914F6CDD1DULL;
}

/* Same bytes as json_dumps, or both refuse; value is left alone. */
static void
assert_like_jansson(const json_t *value, int precision)
{
	size_t	 flags = JSON_COMPACT | JSON_ENCODE_ANY |
		    JSON_REAL_PRECISION(precision);
	char	*want, *got;
	size_t	 len = 0;

	want = json_dumps(value, flags);
	got = json_write_compact(value, precision, &len);
	if (want == NULL || got == NULL) {
		if (want != got)
			fail_msg("precision %d: jansson %s, json_write %s",
			    precision, want != NULL ? want : "(refused)",
			    got != NULL ? got : "(refused)");
		return;
	}
	if (len != strlen(want) || memcmp(want, got, len + 1) != 0)
		fail_msg("precision %d:\n  jansson    %s\n  json_write %s "
		    "(%zu bytes)", precision, want, got, len);
	free(want);
	free(got);
}

/* At the two precisions Sesame uses: responses and audit records. */
static void
assert_like_jansson_both(json_t *value)
{
	assert_non_null(value);
	assert_like_jansson(value, 13);
	assert_like_jansson(value, 0);
	json_decref(value);
}

static void
assert_real_like_jansson(double v)
{
	json_t	*real = json_real(v);

	assert_non_null(real);
	assert_like_jansson(real, 13);
	assert_like_jansson(real, 0);
	json_decref(real);
}

static void
test_nested_containers_keep_insertion_order(void **state)
{
	json_t	*o;

	(void)state;
	o = json_pack("{s:s, s:i, s:[s, {s:b, s:n}, [], {}], s:{s:{s:[i, f]}},"
	    " s:b}", "Name", "prod/db", "zeta", 1, "Versions", "v1", "x", 1,
	    "y", "Inner", "a", "b", -7, 1.5, "alpha", 0);
	assert_like_jansson_both(o);

	/* Keys added out of alphabetical order stay in that order. */
	o = json_object();
	json_object_set_new(o, "z", json_integer(1));
	json_object_set_new(o, "a", json_integer(2));
	json_object_set_new(o, "m", json_array());
	json_object_set_new(o, "b", json_object());
	assert_like_jansson_both(o);

	/* The flags respond() uses, without JSON_ENCODE_ANY. */
	o = json_pack("{s:s, s:f}", "SecretString", "hunter2", "CreatedDate",
	    1764280000.123);
	{
		char	*want = json_dumps(o,
			    JSON_COMPACT | JSON_REAL_PRECISION(13));
		char	*got = json_write_compact(o, 13, NULL);

		assert_non_null(want);
		assert_non_null(got);
		assert_string_equal(got, want);
		assert_string_equal(got, "{\"SecretString\":\"hunter2\","
		    "\"CreatedDate\":1764280000.123}");
		free(want);
		free(got);
	}
	json_decref(o);
}

static void
test_empty_containers_and_scalars(void **state)
{
	(void)state;
	assert_like_jansson_both(json_object());
	assert_like_jansson_both(json_array());
	assert_like_jansson_both(json_pack("[[],{},[[]],{s:{}}]", "k"));
	assert_like_jansson_both(json_null());
	assert_like_jansson_both(json_true());
	assert_like_jansson_both(json_false());
	assert_like_jansson_both(json_string(""));
	assert_like_jansson_both(json_pack("{s:s}", "", ""));
}

static void
test_every_control_character_is_escaped(void **state)
{
	char	 c;
	json_t	*o;

	(void)state;
	for (int i = 0; i < 0x20; i++) {
		c = (char)i;
		assert_like_jansson_both(json_stringn(&c, 1));
		/* In a key too, between plain runs. */
		o = json_object();
		{
			char	key[3] = { 'a', c, 'b' };

			json_object_setn_new(o, key, 3, json_stringn(key, 3));
		}
		assert_like_jansson_both(o);
	}
	/* All of them in one string, and DEL, which is not escaped. */
	{
		char	all[0x21];

		for (int i = 0; i < 0x20; i++)
			all[i] = (char)(0x1F - i);
		all[0x20] = 0x7F;
		assert_like_jansson_both(json_stringn(all, sizeof(all)));
	}
}

static void
test_quotes_backslashes_and_slashes(void **state)
{
	(void)state;
	assert_like_jansson_both(json_string("\""));
	assert_like_jansson_both(json_string("\\"));
	assert_like_jansson_both(json_string("/"));
	assert_like_jansson_both(json_string("a\"b\\c/d\\\\\"\"e"));
	assert_like_jansson_both(json_string(
	    "{\"username\":\"admin\",\"password\":\"p\\\"w\\n\"}"));
	assert_like_jansson_both(json_pack("{s:s}", "k\"\\/", "\\u0041"));
}

static void
test_utf8_passes_through(void **state)
{
	(void)state;
	assert_like_jansson_both(json_string("caf\xc3\xa9"));
	assert_like_jansson_both(json_string("\xe2\x82\xac 5"));
	assert_like_jansson_both(json_string("\xf0\x9f\x98\x80\n"));
	assert_like_jansson_both(json_string("\xc2\x80\xdf\xbf\xe0\xa0\x80"
	    "\xef\xbf\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbf"));
	assert_like_jansson_both(json_string("\xe2\x80\xa8\xe2\x80\xa9"));
	assert_like_jansson_both(json_pack("{s:s}", "cl\xc3\xa9",
	    "\xe6\x97\xa5\xe6\x9c\xac"));
}

static void
test_embedded_nul_is_escaped(void **state)
{
	json_t	*o;

	(void)state;
	assert_like_jansson_both(json_stringn("a\0b", 3));
	assert_like_jansson_both(json_stringn("\0", 1));
	assert_like_jansson_both(json_stringn("\0\0x\0", 4));
	o = json_object();
	json_object_setn_new(o, "k\0ey", 4, json_stringn("v\0", 2));
	assert_like_jansson_both(o);
}

/* Strings jansson's own constructors refuse, built unchecked: both fail. */
static void
test_invalid_utf8_is_refused(void **state)
{
	static const char *const bad[] = {
		"\xff", "\x80", "\xc0\x80", "\xc1\xbf", "\xe0\x80\x80",
		"\xed\xa0\x80", "\xed\xbf\xbf", "\xf0\x80\x80\x80",
		"\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xe2\x82",
		"ok\xc3", "\xc3\x28", "\xe2\x28\xa1",
	};
	json_t	*s, *a;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		s = json_stringn_nocheck(bad[i], strlen(bad[i]));
		assert_non_null(s);
		assert_null(json_write_compact(s, 13, NULL));
		assert_like_jansson(s, 13);
		a = json_pack("[s,O]", "fine", s);
		assert_null(json_write_compact(a, 0, NULL));
		assert_like_jansson(a, 0);
		json_decref(a);
		json_decref(s);
	}
}

static void
test_integers_at_their_limits(void **state)
{
	static const json_int_t ints[] = {
		0, 1, -1, 9, 10, -10, 99, 100, 123456789, -987654321,
		INT32_MAX, INT32_MIN, (json_int_t)INT32_MAX + 1,
		INT64_MAX, INT64_MIN, INT64_MAX - 1, INT64_MIN + 1,
		1764280000123LL,
	};
	json_int_t	 p = 1;

	(void)state;
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
		assert_like_jansson_both(json_integer(ints[i]));
	for (int i = 0; i < 18; i++, p *= 10) {
		assert_like_jansson_both(json_integer(p));
		assert_like_jansson_both(json_integer(p - 1));
		assert_like_jansson_both(json_integer(-p));
	}
}

static void
test_reals_at_every_precision(void **state)
{
	static const double reals[] = {
		0.0, -0.0, 0.1, -0.1, 1e-7, 1e-5, 1e-4, 0.0001234, 1e21, 1e22,
		1e100, -1e-100, 1e300, 5e-324, 2.2250738585072014e-308,
		1.7976931348623157e308, 123456789012345.0, 1234567890123.0,
		12345678901234.0, 1.5, 2.0, -3.0, 100.0, 1e15, 1e16, 1e17,
		0.30000000000000004, 3.141592653589793, 1.0 / 3.0, 2.5e-3,
		9.999999999999999e22, 1764280000.123, 1764280000.0,
	};

	(void)state;
	for (size_t i = 0; i < sizeof(reals) / sizeof(reals[0]); i++) {
		json_t	*real = json_real(reals[i]);

		assert_non_null(real);
		for (int precision = 0; precision <= 31; precision++)
			assert_like_jansson(real, precision);
		json_decref(real);
	}
}

/* The double next to a positive v, up or down (nextafter without libm). */
static double
neighbour(double v, int step)
{
	uint64_t	 bits;

	memcpy(&bits, &v, sizeof(bits));
	bits += (uint64_t)(int64_t)step;
	memcpy(&v, &bits, sizeof(v));
	return v;
}

/* The fast path's edges: below 1, at 1e10, and not a whole millisecond. */
static void
test_reals_just_outside_the_date_fast_path(void **state)
{
	static const double reals[] = {
		1.0, 0.999, 0.9995, 0.9999999999999999, 1.001, 1.0005, 1.0001,
		9999999999.999, 9999999999.9995, 9999999999.9999, 1e10,
		1e10 + 0.001, 1e10 + 1, 1e9, 1e9 - 0.001, 999999999.999,
		1764280000.1234, 1764280000.1235, 1764280000.0005,
		1764280000.12, 1764280000.1, 1764280000.001, 1764280000.01,
		99999.9995, 12.3455, 4503599627370496.0, 1e13, 1e13 + 0.5,
	};

	(void)state;
	for (size_t i = 0; i < sizeof(reals) / sizeof(reals[0]); i++) {
		assert_real_like_jansson(reals[i]);
		assert_real_like_jansson(neighbour(reals[i], -1));
		assert_real_like_jansson(neighbour(reals[i], 1));
		assert_real_like_jansson(-reals[i]);
	}
}

/* Epoch seconds from 2001 to 2283 with random milliseconds. */
static void
test_dates_with_milliseconds(void **state)
{
	uint64_t	 seed = 0x5e5a3e5a3e5a3e5aULL;

	(void)state;
	for (int i = 0; i < 50000; i++) {
		uint64_t	 seconds = 1000000000ULL +
				    next_random(&seed) % 8900000000ULL;
		unsigned	 ms = (unsigned)(next_random(&seed) % 1000);

		/* Both ways a date is computed from a clock. */
		assert_real_like_jansson((double)(seconds * 1000 + ms) / 1000.0);
		assert_real_like_jansson((double)seconds + ms / 1000.0);
		/* Microseconds: never a whole millisecond, so snprintf. */
		assert_real_like_jansson((double)seconds +
		    (double)(next_random(&seed) % 1000000) / 1e6);
	}
	/* Small values with milliseconds take the fast path too. */
	for (int i = 0; i < 20000; i++) {
		uint64_t	 m = 1000 + next_random(&seed) %
				    (1ULL << (next_random(&seed) % 40 + 1));

		assert_real_like_jansson((double)m / 1000.0);
	}
}

/* Any finite bit pattern: the snprintf path and its fix-ups. */
static void
test_random_doubles(void **state)
{
	uint64_t	 seed = 42;
	uint64_t	 bits;
	double		 v;

	(void)state;
	for (int i = 0; i < 30000; i++) {
		bits = next_random(&seed);
		memcpy(&v, &bits, sizeof(v));
		if (!isfinite(v))
			continue;
		assert_real_like_jansson(v);
	}
}

static void
test_depth_beyond_the_cap_is_refused(void **state)
{
	json_t	*root = json_array(), *inner = root, *next;
	char	*text;

	(void)state;
	for (int depth = 1; depth < JSON_WRITE_DEPTH_MAX; depth++) {
		next = depth % 2 ? json_object() : json_array();
		if (json_is_array(inner))
			json_array_append_new(inner, next);
		else
			json_object_set_new(inner, "k", next);
		inner = next;
	}
	assert_like_jansson(root, 13);
	text = json_write_compact(root, 13, NULL);
	assert_non_null(text);
	free(text);

	if (json_is_array(inner))
		json_array_append_new(inner, json_array());
	else
		json_object_set_new(inner, "k", json_array());
	assert_null(json_write_compact(root, 13, NULL));
	json_decref(root);
}

static void
test_bad_arguments_are_refused(void **state)
{
	json_t	*o = json_object();

	(void)state;
	assert_null(json_write_compact(NULL, 13, NULL));
	assert_null(json_write_compact(o, -1, NULL));
	assert_null(json_write_compact(o, 32, NULL));
	json_decref(o);
}

/* Big strings make the buffer grow several times; the bytes survive. */
static void
test_large_secret_survives_growth(void **state)
{
	size_t	 n = 70000;
	char	*big = malloc(n);
	json_t	*o;

	(void)state;
	assert_non_null(big);
	for (size_t i = 0; i < n; i++)
		big[i] = (char)(i % 7 == 0 ? '\n' : 'a' + i % 26);
	o = json_pack("{s:s%, s:[s%, s%]}", "SecretString", big, n, "More",
	    big, n / 3, big, (size_t)1);
	assert_like_jansson_both(o);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nested_containers_keep_insertion_order),
		cmocka_unit_test(test_empty_containers_and_scalars),
		cmocka_unit_test(test_every_control_character_is_escaped),
		cmocka_unit_test(test_quotes_backslashes_and_slashes),
		cmocka_unit_test(test_utf8_passes_through),
		cmocka_unit_test(test_embedded_nul_is_escaped),
		cmocka_unit_test(test_invalid_utf8_is_refused),
		cmocka_unit_test(test_integers_at_their_limits),
		cmocka_unit_test(test_reals_at_every_precision),
		cmocka_unit_test(test_reals_just_outside_the_date_fast_path),
		cmocka_unit_test(test_dates_with_milliseconds),
		cmocka_unit_test(test_random_doubles),
		cmocka_unit_test(test_depth_beyond_the_cap_is_refused),
		cmocka_unit_test(test_bad_arguments_are_refused),
		cmocka_unit_test(test_large_secret_survives_growth),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
