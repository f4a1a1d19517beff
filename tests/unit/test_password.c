/*
 * test_password.c: unit tests for password_generate (GetRandomPassword's
 * rules): length, every exclusion, spaces, RequireEachIncludedType, AWS's
 * refusals, and statistical checks sized so that they cannot flake.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/crypto.h"

static struct secret_buf *
test_generate(const struct password_spec *spec)
{
	struct secret_buf *pw = NULL;
	struct error	 err;

	error_clear(&err);
	assert_int_equal(password_generate(spec, &pw, &err), STATUS_OK);
	assert_non_null(pw);
	assert_int_equal(pw->len, spec->length);
	assert_int_equal(strlen((const char *)pw->data), spec->length);
	return pw;
}

static void
test_refused(const struct password_spec *spec, const char *message)
{
	struct secret_buf *pw = NULL;
	struct error	 err;

	error_clear(&err);
	assert_int_equal(password_generate(spec, &pw, &err),
	    STATUS_INVALID_PARAMETER);
	assert_null(pw);
	assert_int_equal(err.status, STATUS_INVALID_PARAMETER);
	if (message != NULL)
		assert_string_equal(err.message, message);
}

/* Count the characters of pw that are in set. */
static size_t
test_count_in(const struct secret_buf *pw, const char *set)
{
	size_t	 i, n = 0;

	for (i = 0; i < pw->len; i++)
		if (pw->data[i] != '\0' && strchr(set, pw->data[i]) != NULL)
			n++;
	return n;
}

#define LOWER	"abcdefghijklmnopqrstuvwxyz"
#define UPPER	"ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define DIGITS	"0123456789"

#define MSG_ALL_EXCLUDED \
	"All characters have been excluded from selection."

static void
test_default_spec_matches_aws(void **state)
{
	struct password_spec spec;
	struct secret_buf *pw;

	password_spec_default(&spec);
	assert_int_equal(spec.length, 32);
	assert_true(spec.require_each_included_type);
	assert_null(spec.exclude_characters);
	assert_false(spec.include_space);
	assert_false(spec.exclude_lowercase || spec.exclude_uppercase ||
	    spec.exclude_numbers || spec.exclude_punctuation);
	assert_int_equal(strlen(password_punctuation), 32);
	assert_string_equal(password_punctuation,
	    "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~");
	pw = test_generate(&spec);
	assert_int_equal(test_count_in(pw, LOWER UPPER DIGITS) +
	    test_count_in(pw, password_punctuation), 32);
	secret_buf_free(pw);
}

static void
test_length_is_honoured(void **state)
{
	const uint32_t	 lengths[] = { 1, 2, 4, 5, 31, 32, 33, 255, 4096 };
	struct password_spec spec;
	struct secret_buf *pw;
	size_t		 i;

	for (i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
		password_spec_default(&spec);
		spec.length = lengths[i];
		/* Below four characters not every type fits. */
		if (lengths[i] < 4)
			spec.require_each_included_type = false;
		pw = test_generate(&spec);
		secret_buf_free(pw);
	}
}

static void
test_length_out_of_bounds_is_refused(void **state)
{
	struct password_spec spec;

	password_spec_default(&spec);
	spec.length = 0;
	test_refused(&spec, NULL);
	spec.length = 4097;
	test_refused(&spec, NULL);
}

static void
test_each_exclusion_flag_removes_its_class(void **state)
{
	struct password_spec spec;
	struct secret_buf *pw;
	const char	*classes[] = {
		LOWER, UPPER, DIGITS, password_punctuation,
	};
	size_t		 excluded, i;

	for (excluded = 0; excluded < 4; excluded++) {
		password_spec_default(&spec);
		spec.length = 4096;
		spec.exclude_lowercase = excluded == 0;
		spec.exclude_uppercase = excluded == 1;
		spec.exclude_numbers = excluded == 2;
		spec.exclude_punctuation = excluded == 3;
		pw = test_generate(&spec);
		for (i = 0; i < 4; i++) {
			/* With 4096 draws every kept class shows up. */
			if (i == excluded)
				assert_int_equal(test_count_in(pw, classes[i]),
				    0);
			else
				assert_true(test_count_in(pw, classes[i]) > 0);
		}
		assert_int_equal(test_count_in(pw, " "), 0);
		secret_buf_free(pw);
	}
}

static void
test_exclude_characters_are_never_drawn(void **state)
{
	struct password_spec spec;
	struct secret_buf *pw;
	const char	*excluded = "abcXYZ019!\"'\\/@` ";
	int		 round;

	for (round = 0; round < 4; round++) {
		password_spec_default(&spec);
		spec.length = 4096;
		spec.exclude_characters = excluded;
		spec.include_space = true;
		spec.require_each_included_type = round % 2 == 0;
		pw = test_generate(&spec);
		assert_int_equal(test_count_in(pw, excluded), 0);
		assert_true(test_count_in(pw, "d") > 0);
		secret_buf_free(pw);
	}
}

static void
test_include_space_adds_space(void **state)
{
	struct password_spec spec;
	struct secret_buf *pw;

	password_spec_default(&spec);
	spec.length = 4096;
	spec.include_space = true;
	pw = test_generate(&spec);
	/* P(no space in 4096 draws from 95) = (94/95)^4096 < 1e-18. */
	assert_true(test_count_in(pw, " ") > 0);
	secret_buf_free(pw);

	/* Only a space left: a password of spaces. */
	password_spec_default(&spec);
	spec.length = 8;
	spec.include_space = true;
	spec.exclude_lowercase = spec.exclude_uppercase = true;
	spec.exclude_numbers = spec.exclude_punctuation = true;
	pw = test_generate(&spec);
	assert_string_equal((const char *)pw->data, "        ");
	secret_buf_free(pw);
}

static void
test_require_each_included_type_gives_each_class(void **state)
{
	struct password_spec spec;
	struct secret_buf *pw;
	int		 round;

	for (round = 0; round < 2000; round++) {
		password_spec_default(&spec);
		spec.length = 4;
		pw = test_generate(&spec);
		assert_int_equal(test_count_in(pw, LOWER), 1);
		assert_int_equal(test_count_in(pw, UPPER), 1);
		assert_int_equal(test_count_in(pw, DIGITS), 1);
		assert_int_equal(test_count_in(pw, password_punctuation), 1);
		secret_buf_free(pw);

		/* Excluded classes are not required. */
		spec.length = 2;
		spec.exclude_numbers = spec.exclude_punctuation = true;
		pw = test_generate(&spec);
		assert_int_equal(test_count_in(pw, LOWER), 1);
		assert_int_equal(test_count_in(pw, UPPER), 1);
		secret_buf_free(pw);
	}
}

/*
 * The required characters land at uniformly random positions.  4000
 * passwords of length 4 with four required classes: each (position, class)
 * pair has p = 1/4, so its count is Binomial(4000, 1/4): mean 1000,
 * sd ~27.4.  The allowed band of +-200 is over 7 sd wide; the chance that
 * any of the 16 counts falls outside it is below 1e-11.
 */
static void
test_required_characters_are_placed_uniformly(void **state)
{
	const char	*classes[] = {
		LOWER, UPPER, DIGITS, password_punctuation,
	};
	struct password_spec spec;
	struct secret_buf *pw;
	unsigned	 counts[4][4] = { { 0 } };
	int		 round, pos, c;

	password_spec_default(&spec);
	spec.length = 4;
	for (round = 0; round < 4000; round++) {
		pw = test_generate(&spec);
		for (pos = 0; pos < 4; pos++)
			for (c = 0; c < 4; c++)
				if (strchr(classes[c], pw->data[pos]) != NULL)
					counts[pos][c]++;
		secret_buf_free(pw);
	}
	for (pos = 0; pos < 4; pos++)
		for (c = 0; c < 4; c++) {
			assert_in_range(counts[pos][c], 800, 1200);
		}
}

static void
test_nothing_to_draw_is_refused(void **state)
{
	struct password_spec spec;

	password_spec_default(&spec);
	spec.exclude_lowercase = spec.exclude_uppercase = true;
	spec.exclude_numbers = spec.exclude_punctuation = true;
	test_refused(&spec, MSG_ALL_EXCLUDED);
	spec.require_each_included_type = false;
	test_refused(&spec, MSG_ALL_EXCLUDED);
	/* A space that exclude_characters takes back leaves nothing either. */
	spec.include_space = true;
	spec.exclude_characters = " ";
	test_refused(&spec, MSG_ALL_EXCLUDED);

	/* Everything excluded character by character. */
	password_spec_default(&spec);
	spec.require_each_included_type = false;
	spec.exclude_characters = LOWER UPPER DIGITS
	    "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
	test_refused(&spec, MSG_ALL_EXCLUDED);
}

static void
test_required_type_emptied_by_exclude_characters_is_refused(void **state)
{
	struct password_spec spec;
	struct secret_buf *pw;

	password_spec_default(&spec);
	spec.exclude_characters = DIGITS;
	test_refused(&spec,
	    "All characters of the desired type have been excluded.");
	/* Not required, not refused: the password simply has no digits. */
	spec.require_each_included_type = false;
	spec.length = 1024;
	pw = test_generate(&spec);
	assert_int_equal(test_count_in(pw, DIGITS), 0);
	secret_buf_free(pw);
	/* Switching the type off is the way to have it both ways. */
	spec.require_each_included_type = true;
	spec.exclude_numbers = true;
	pw = test_generate(&spec);
	assert_int_equal(test_count_in(pw, DIGITS), 0);
	secret_buf_free(pw);
}

static void
test_length_below_required_types_is_refused(void **state)
{
	struct password_spec spec;
	struct secret_buf *pw;

	password_spec_default(&spec);
	spec.length = 3;
	test_refused(&spec,
	    "Password length is too short based on the required types.");
	/* Three required types fit in three characters. */
	spec.exclude_punctuation = true;
	pw = test_generate(&spec);
	assert_int_equal(test_count_in(pw, LOWER), 1);
	assert_int_equal(test_count_in(pw, UPPER), 1);
	assert_int_equal(test_count_in(pw, DIGITS), 1);
	secret_buf_free(pw);
	/* A space is admitted, never required. */
	spec.include_space = true;
	pw = test_generate(&spec);
	secret_buf_free(pw);
}

/*
 * Draws are uniform over the alphabet.  50 passwords of 4000 digits =
 * 200000 draws over 10 symbols: each count is Binomial(200000, 1/10), mean
 * 20000, sd ~134.  The allowed band of +-5% (+-1000) is 7.45 sd wide on each
 * side; the chance that any of the 10 counts falls outside it is about
 * 1e-12, so a failure means a real fault (a wrong index, a skewed draw), not
 * bad luck.  The residual bias a plain "% bound" would leave is far too small
 * to measure; random_uniform's rejection rules it out by construction.
 */
static void
test_draws_are_uniform(void **state)
{
	struct password_spec spec;
	struct secret_buf *pw;
	unsigned	 counts[10] = { 0 };
	size_t		 i;
	int		 round, d;

	password_spec_default(&spec);
	spec.length = 4000;
	spec.exclude_lowercase = spec.exclude_uppercase = true;
	spec.exclude_punctuation = true;
	spec.require_each_included_type = false;
	for (round = 0; round < 50; round++) {
		pw = test_generate(&spec);
		for (i = 0; i < pw->len; i++) {
			assert_true(pw->data[i] >= '0' && pw->data[i] <= '9');
			counts[pw->data[i] - '0']++;
		}
		secret_buf_free(pw);
	}
	for (d = 0; d < 10; d++)
		assert_in_range(counts[d], 19000, 21000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_spec_matches_aws),
		cmocka_unit_test(test_length_is_honoured),
		cmocka_unit_test(test_length_out_of_bounds_is_refused),
		cmocka_unit_test(test_each_exclusion_flag_removes_its_class),
		cmocka_unit_test(test_exclude_characters_are_never_drawn),
		cmocka_unit_test(test_include_space_adds_space),
		cmocka_unit_test(test_require_each_included_type_gives_each_class),
		cmocka_unit_test(test_required_characters_are_placed_uniformly),
		cmocka_unit_test(test_nothing_to_draw_is_refused),
		cmocka_unit_test(test_required_type_emptied_by_exclude_characters_is_refused),
		cmocka_unit_test(test_length_below_required_types_is_refused),
		cmocka_unit_test(test_draws_are_uniform),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
