/*
 * test_str_copy.c: unit tests for str_copy and str_concat
 * (common/str_copy.h): they copy and terminate exactly as snprintf with
 * "%s" and "%s%s%s" do, say whether everything fitted, never write past
 * size, and take NULL (str_copy) as the empty string.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "common/str_copy.h"

static void
test_matches_snprintf_at_every_size(void **state)
{
	static const char	*inputs[] = {
		"", "a", "abc", "arn:aws:iam::1:u",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		for (size_t size = 1; size <= 20; size++) {
			char	 want[32], got[32];

			memset(want, '#', sizeof(want));
			memset(got, '#', sizeof(got));
			snprintf(want, size, "%s", inputs[i]);
			assert_int_equal(str_copy(got, size, inputs[i]),
			    strlen(inputs[i]) < size);
			assert_memory_equal(got, want, sizeof(got));
		}
	}
}

static void
test_null_is_empty_and_size_zero_writes_nothing(void **state)
{
	char	 buf[4] = "xyz";

	(void)state;
	assert_true(str_copy(buf, sizeof(buf), NULL));
	assert_string_equal(buf, "");
	memcpy(buf, "xyz", 4);
	assert_false(str_copy(buf, 0, "a"));
	assert_true(str_copy(buf, 0, ""));
	assert_string_equal(buf, "xyz");
}

static void
test_concat_matches_snprintf_at_every_size(void **state)
{
	(void)state;
	for (size_t size = 1; size <= 24; size++) {
		char	 want[32], got[32];
		int	 n;

		memset(want, '#', sizeof(want));
		memset(got, '#', sizeof(got));
		n = snprintf(want, size, "%s%s%s", "kms:", "", "Context:k");
		assert_int_equal(str_concat(got, size, "kms:", "", "Context:k",
		    NULL), (size_t)n < size);
		assert_memory_equal(got, want, sizeof(got));
	}
}

static void
test_concat_of_nothing_is_empty_and_size_zero_fails(void **state)
{
	char	 buf[4] = "xyz";

	(void)state;
	assert_true(str_concat(buf, sizeof(buf), NULL));
	assert_string_equal(buf, "");
	memcpy(buf, "xyz", 4);
	assert_false(str_concat(buf, 0, "a", NULL));
	assert_string_equal(buf, "xyz");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matches_snprintf_at_every_size),
		cmocka_unit_test(
		    test_null_is_empty_and_size_zero_writes_nothing),
		cmocka_unit_test(test_concat_matches_snprintf_at_every_size),
		cmocka_unit_test(test_concat_of_nothing_is_empty_and_size_zero_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
