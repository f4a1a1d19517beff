/*
 * test_str_copy.c: unit tests for str_copy (common/str_copy.h): it copies
 * and terminates exactly as snprintf(dst, size, "%s", src) does, says
 * whether all of src fitted, never writes past size, and copies NULL as
 * the empty string.
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
	static const char	*inputs[] = { "", "a", "abc", "arn:aws:iam::1:u" };

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matches_snprintf_at_every_size),
		cmocka_unit_test(test_null_is_empty_and_size_zero_writes_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
